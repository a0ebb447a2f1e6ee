"""`manage.py backup_database --output PATH`: a consistent backup of the running service's
database (SQLite online backup, or pg_dump custom format). See cas/core/backup.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cas.core import backup


class Command(BaseCommand):
    help = "Back up the database to PATH (SQLite online backup, or pg_dump custom format on PostgreSQL)"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="Where to write the backup file")

    def handle(self, *args, output: Path, **options):
        try:
            written = backup.backup(output)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Backed up the {backup.vendor()} database to {written} ({written.stat().st_size} bytes)")
