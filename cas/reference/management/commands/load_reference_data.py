from django.core.management.base import BaseCommand
from django.db import transaction

from cas.reference.loader import load_all


class Command(BaseCommand):
    help = "Load the bundled reference data (regions, PDUs, local authorities, reason lists). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Overwrite entries with the values in the files (administrators' edits are lost).",
        )

    def handle(self, *args, refresh=False, **options):
        with transaction.atomic():
            created = load_all(refresh=refresh)
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {created} new entries."))
