from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from cas.privacy.copy import copy_anonymised_database, target_settings


class Command(BaseCommand):
    help = (
        "Copy this database, with every person anonymised, into an empty database for a test environment "
        "(PostgreSQL or SQLite). Never point it at a live database."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--to", metavar="DATABASE_URL", help="e.g. postgres://user:pass@host/cas_test")
        target.add_argument("--to-sqlite", metavar="PATH", help="a SQLite file (created if missing)")

    def handle(self, *args, to=None, to_sqlite=None, **options):
        try:
            counts = copy_anonymised_database(
                target_settings(url=to, sqlite_path=to_sqlite),
                progress=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None,
            )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Copied {sum(counts.values())} rows in {len(counts)} tables, every person anonymised.")
        )
