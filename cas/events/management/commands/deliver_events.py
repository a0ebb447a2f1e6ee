from django.core.management.base import BaseCommand

from cas.events.domain_events import redeliver_pending
from cas.events.models import OutboundEmail
from cas.events.notifications import deliver


class Command(BaseCommand):
    help = "Retry domain events and emails that are waiting or failed. Safe to run often (cron)."

    def handle(self, *args, **options):
        events = redeliver_pending()
        emails = 0
        for email_id in OutboundEmail.objects.filter(
            status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.FAILED], attempts__lt=10
        ).values_list("pk", flat=True)[:1000]:
            deliver(email_id)
            emails += 1
        self.stdout.write(f"Retried {events} events and {emails} emails.")
