import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cas.accounts import services
from cas.accounts.models import User
from cas.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from cas.demo.cas2_referrals import load_demo_cas2_applications
from cas.demo.placements import load_demo_bookings
from cas.demo.premises import load_demo_estate
from cas.demo.referrals import load_demo_referrals
from cas.people import access
from cas.reference.models import Prison, ProbationDeliveryUnit, ProbationRegion


class Command(BaseCommand):
    help = "Create the demo users, estate and case data (referrals, bookings). Idempotent; refused in production."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow in production (never on live data).")

    def handle(self, *args, force=False, **options):
        if settings.CAS_ENV == "production" and not force:
            raise CommandError("Demo data is not loaded in production. Use --force on a throwaway database.")
        # The demo's emails and events are delivered as it goes, each task logging its start and end:
        # a few hundred lines that would bury the summary and the sign-ins. Failures still show.
        tasks_log = logging.getLogger("django.tasks")
        level = tasks_log.level
        tasks_log.setLevel(logging.WARNING)
        try:
            self._load()
        finally:
            tasks_log.setLevel(level)

    def _load(self):
        with transaction.atomic():
            created = 0
            for demo in DEMO_USERS:
                if User.objects.filter(username=demo.username).exists():
                    continue
                region = ProbationRegion.objects.get(delius_code=demo.region_code)
                pdu = ProbationDeliveryUnit.objects.get(delius_code=demo.pdu_code) if demo.pdu_code else None
                services.create_user(
                    None,
                    username=demo.username,
                    first_name=demo.first_name,
                    last_name=demo.last_name,
                    email=f"{demo.username}@justice.gov.uk",
                    roles=demo.roles,
                    region=region,
                    pdu=pdu,
                    prison=Prison.objects.get(code=demo.prison_code) if demo.prison_code else None,
                    password=DEMO_PASSWORD,
                )
                created += 1
            properties = load_demo_estate()
        # Case data is made through the services, which look people up in the upstream systems and
        # send receipts; each demo referral is created once.
        referrals = load_demo_referrals()
        bookings = load_demo_bookings()
        applications = load_demo_cas2_applications()
        # Demo records copied from others were never checked with the case system: check them now, as
        # the nightly batch would, so searches and sorts by name treat them as the case system says.
        access.refresh()
        # A bulk load leaves PostgreSQL's planner statistics describing what the tables held before (a
        # database just emptied of generated national data kept their histograms): the bedspace
        # search then chose a plan that ran for minutes on the demo's few hundred bedspaces.
        # Autovacuum would catch up later; the demo must work at once.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} users, {properties} properties, {referrals} referrals, "
                f"{bookings} bookings, {applications} CAS2 applications created)."
            )
        )
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})\n")
        for demo in DEMO_USERS:
            roles = ", ".join(r.label for r in demo.roles)
            self.stdout.write(f"  {demo.username:<28} {roles} — {demo.note}")
