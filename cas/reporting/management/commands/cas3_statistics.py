from pathlib import Path

from django.core.management.base import BaseCommand

from cas.reporting import releases
from cas.reporting.spreadsheets import table_csv
from cas.reporting.statistics import compute


class Command(BaseCommand):
    help = (
        "Compute the CAS3 official statistics from the service's placements and imported records, and write "
        "placements_by_region.csv, placements_by_gender.csv, outcomes_by_group.csv, outcomes_by_region.csv and "
        "cas3_statistics.ods to the output folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Folder for the files (created if missing)")
        parser.add_argument("--release", help="Also freeze these figures as a published release with this name")

    def handle(self, *args, output, release=None, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        tables = compute()
        for table in tables:
            (folder / f"{table.name}.csv").write_text(table_csv(table), encoding="utf-8")
        (folder / "cas3_statistics.ods").write_bytes(releases.workbook_for(tables))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(tables)} tables and cas3_statistics.ods to {folder}"))
        revisions = releases.revisions_since_latest(tables)
        if revisions is not None:
            name, changes = revisions
            self.stdout.write(f"Revised since release {name}: {len(changes)} figures")
            for change in changes[:50]:
                self.stdout.write(f"  {change}")
        if release:
            frozen = releases.freeze(None, release, tables)
            self.stdout.write(self.style.SUCCESS(f"Froze release {frozen.name}"))
