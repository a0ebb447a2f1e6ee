from django.conf import settings
from django.core.management.base import BaseCommand

from cas.core.dates import LONG_PADDED, format_date
from cas.privacy.retention import anonymise_closed_cases


class Command(BaseCommand):
    help = (
        "Anonymise people whose cases are closed (no open referral or booking) and whose last activity is "
        "older than RETENTION_CLOSED_CASE_DAYS. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the closed cases; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        days = settings.RETENTION_CLOSED_CASE_DAYS
        results = anonymise_closed_cases(None, dry_run=dry_run)
        if dry_run:
            for case in results:
                self.stdout.write(f"{case.crn}: closed, last activity {format_date(case.last_activity, LONG_PADDED)}")
            self.stdout.write(f"{len(results)} closed cases older than {days} days would be anonymised (dry run).")
            return
        for done in results:
            self.stdout.write(f"{done.pseudonym_crn}: {done.records} records anonymised")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} closed cases older than {days} days anonymised."))
