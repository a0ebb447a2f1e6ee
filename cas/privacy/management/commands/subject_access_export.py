from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cas.core.errors import DomainError
from cas.privacy.export import export_for_request


class Command(BaseCommand):
    help = "Write the subject access export (every record about a person) for a CRN or prison number."

    def add_arguments(self, parser):
        parser.add_argument("identifier", help="CRN (X320741) or prison number (A1234BC)")
        parser.add_argument("--output", required=True, help="File to write")
        parser.add_argument("--format", choices=["json", "html"], default=None, help="Default: from the file name")

    def handle(self, *args, identifier, output, format=None, **options):
        path = Path(output)
        fmt = format or ("html" if path.suffix.lower() in {".html", ".htm"} else "json")
        try:
            # Run from the command line by an operator: audited as the system, like other commands.
            export = export_for_request(None, identifier)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        path.write_text(export.to_html() if fmt == "html" else export.to_json(), encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {export.record_count} records about {', '.join(export.crns) or export.identifier} "
                f"to {path} ({fmt})."
            )
        )
