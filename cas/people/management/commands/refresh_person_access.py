"""Copy the probation case system's restriction and exclusion lists for the people the service holds
(nightly): without --all only those never checked, which lists, searches and reports treat as limited
until they are."""

from django.core.management.base import BaseCommand

from cas.core.wording import quantity
from cas.people import access


class Command(BaseCommand):
    help = "Copy the case system's restriction and exclusion lists of the people the service holds"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="check everyone, not only people never checked")

    def handle(self, *args, **options):
        checked, changed, failed = access.refresh(everyone=options["all"])
        self.stdout.write(
            f"Checked {quantity(checked, 'person', 'people')}; {changed} changed; {failed} could not be checked"
        )
        if failed:
            self.stderr.write("The probation case system could not answer for some people: they stay limited")
