from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cas.reporting.placement_import import ImportRejected, import_placements


class Command(BaseCommand):
    help = (
        "Import CAS3 placements recorded outside the service from a CSV or XLSX file (header row: "
        "placement_reference, crn, probation_region, gender_identity, sex, start_date, end_date, "
        "move_on_category, source). Nothing is written unless every row is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV or XLSX file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            record = import_placements(None, path.name, path.read_bytes())
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {record.rows_total} placements from {path.name}: {record.rows_added} added, "
                f"{record.rows_updated} updated, {record.rows_unchanged} unchanged."
            )
        )
