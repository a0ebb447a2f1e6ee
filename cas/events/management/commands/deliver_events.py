import time

from django.core.management.base import BaseCommand

from cas.events.domain_events import redeliver_pending
from cas.events.models import OutboundEmail
from cas.events.notifications import deliver


class Command(BaseCommand):
    help = (
        "Send domain events and emails that are due (retries back off). Safe to run often (cron), "
        "or keep it running as the delivery worker with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, checking every --interval seconds")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop=False, interval=5.0, **options):
        while True:
            events = redeliver_pending()
            emails = 0
            for email_id in OutboundEmail.objects.filter(
                status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.FAILED], attempts__lt=10
            ).values_list("pk", flat=True)[:1000]:
                deliver(email_id)
                emails += 1
            if not loop:
                self.stdout.write(f"Retried {events} events and {emails} emails.")
                return
            time.sleep(interval)
