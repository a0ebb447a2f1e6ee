import time

from django.core.management.base import BaseCommand, CommandError

from cas.datagen.generator import generate
from cas.premises.models import Premises


class Command(BaseCommand):
    help = (
        "Fill an empty database (reference data only) with deterministic national-scale data: every region "
        "and PDU, about 3,000 properties and 10,000 bedspaces, and five years of history (per unit of scale "
        "100,000 referrals and 80,000 bookings through every state; 10,000 voids). --scale 10 is ten times the "
        "history on the same estate; a fraction such as --scale 0.1 makes a small history for trying things out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1)

    def handle(self, *args, scale: float, **options):
        if not 0.01 <= scale <= 100:
            raise CommandError("--scale must be from 0.01 to 100")
        if Premises.objects.filter(reference__startswith="GEN-").exists():
            raise CommandError("This database already has generated data; use a fresh database.")
        started = time.perf_counter()
        counts = generate(scale, progress=lambda line: self.stdout.write(f"  {line}"))
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {seconds:.0f} s."))
