"""`manage.py restore_database PATH`: restore a backup_database file into a fresh, empty database
(the one SQLITE_PATH or DATABASE_URL names). See cas/core/backup.py and the README."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cas.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by backup_database into a fresh, empty database"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file")

    def handle(self, *args, path: Path, **options):
        try:
            backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Restored {path} into the {backup.vendor()} database. Run `manage.py migrate` to check it is current."
        )
