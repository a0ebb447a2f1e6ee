from django.core.management.base import BaseCommand

from cas.core.idempotency import prune


class Command(BaseCommand):
    help = (
        "Delete submission keys older than IDEMPOTENCY_KEY_HOURS. Their stored answers can name people, "
        "so they are kept no longer than a repeat can arrive. Run from cron."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Removed {prune()} expired submission keys.")
