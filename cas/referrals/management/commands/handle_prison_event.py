"""Replay prison system events from a JSON file (one event, or a list of them, in the HMPPS domain
event shape that `POST /api/v1/prison-events` takes): for operators catching up after the event
queue was down. Each event is applied on its own, in order; the changes are audited as the system."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cas.referrals.cas2 import transfers


class Command(BaseCommand):
    help = "Apply prison system events (moves, offender manager allocations, merged prison numbers) from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A JSON file holding one event or a list of events")

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        events = data if isinstance(data, list) else [data]
        for number, event in enumerate(events, start=1):
            if not isinstance(event, dict):
                raise CommandError(f"Event {number} is not a JSON object")
            try:
                outcome = transfers.handle_event(event)
            except transfers.UnknownPrisonEvent as exc:
                raise CommandError(f"Event {number}: {exc}") from exc
            changed = ", ".join(str(r.pk) for r in outcome.changed)
            self.stdout.write(
                f"Event {number} ({event.get('eventType')}): "
                + (f"changed {changed}" if changed else f"nothing changed ({outcome.reason})")
            )
