"""Import properties and bedspaces from a CSV or XLSX file: the same checks and writes as the
"Import properties" page (see cas/premises/imports.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cas.accounts.models import User
from cas.premises import imports
from cas.reference.models import ProbationRegion


class Command(BaseCommand):
    help = (
        "Import properties and bedspaces (one line per bedspace) from a CSV or XLSX file. Nothing is written "
        "unless every line is right; importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX file (columns as in the template).")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help="Import as this user (a CAS3 assessor; their region bounds the import).")
        who.add_argument("--region", help="Import as the system into this region (Delius code, e.g. N51).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, writing nothing.")
        parser.add_argument("--template", action="store_true", help="Write the CSV template to FILE and stop.")

    def handle(self, *args, file, user=None, region=None, dry_run=False, template=False, **options):
        path = Path(file)
        if template:
            path.write_bytes(imports.template_csv())
            self.stdout.write(f"Wrote the template to {path}.")
            return
        actor = None
        region_obj = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {user}")
        else:
            region_obj = ProbationRegion.objects.filter(delius_code__iexact=region).first()
            if region_obj is None:
                raise CommandError(f"No probation region with the code {region}")
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        result = imports.import_file(actor, path.name, path.read_bytes(), region=region_obj, dry_run=dry_run)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(result.problems)} problem(s) to fix in {path.name}")
        verb = "Checked (nothing written)" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.lines} lines: properties {result.created_premises} new, "
                f"{result.updated_premises} changed, {result.unchanged_premises} unchanged; bedspaces "
                f"{result.created_bedspaces} new, {result.updated_bedspaces} changed, "
                f"{result.unchanged_bedspaces} unchanged."
            )
        )
