from django.core.management.base import BaseCommand

from cas.reporting.mi import prune_expired


class Command(BaseCommand):
    help = "Delete report files past their retention time (REPORT_RETENTION_HOURS). Run from cron."

    def handle(self, *args, **options):
        self.stdout.write(f"Removed {prune_expired()} expired report files.")
