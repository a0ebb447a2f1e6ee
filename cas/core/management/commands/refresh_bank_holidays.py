"""Replace the bundled England and Wales bank holidays with the latest list from GOV.UK."""

import datetime as dt
import json
from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError

from cas.core import working_days

SOURCE_URL = "https://www.gov.uk/bank-holidays.json"
TIMEOUT_SECONDS = 10


def parse(payload: dict) -> dict:
    """The England and Wales part of GOV.UK's response, checked and sorted."""
    try:
        events = payload[working_days.DIVISION]["events"]
    except (KeyError, TypeError):
        raise CommandError(f"The response has no {working_days.DIVISION} bank holidays") from None
    cleaned = []
    for event in events:
        try:
            day = dt.date.fromisoformat(event["date"])
            title = str(event["title"])
        except (KeyError, TypeError, ValueError):
            raise CommandError(f"Unexpected bank holiday entry: {event!r}") from None
        cleaned.append(
            {
                "title": title,
                "date": day.isoformat(),
                "notes": str(event.get("notes", "")),
                "bunting": bool(event.get("bunting")),
            }
        )
    if not cleaned:
        raise CommandError("The response lists no bank holidays")
    cleaned.sort(key=lambda e: e["date"])
    return {"division": working_days.DIVISION, "source": SOURCE_URL, "events": cleaned}


class Command(BaseCommand):
    help = "Download GOV.UK's bank holidays and keep the England and Wales list used for working days."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=SOURCE_URL, help="Where to download from (default: GOV.UK).")
        parser.add_argument(
            "--output", default=str(working_days.BANK_HOLIDAYS_FILE), help="Where to write the England and Wales list."
        )
        parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="Seconds to wait for GOV.UK.")

    def handle(self, *args, url, output, timeout, **options):
        try:
            response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
            response.raise_for_status()
            payload = response.json()
        except requests.RequestException as exc:
            raise CommandError(f"Could not download the bank holidays: {exc}") from None
        except ValueError:
            raise CommandError("The bank holidays response is not JSON") from None
        data = parse(payload)
        path = Path(output)
        previous = None
        if path.exists():
            previous = json.loads(path.read_text(encoding="utf-8")).get("events")
        if previous == data["events"]:
            self.stdout.write("The bank holidays are already up to date.")
            return
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        working_days.reload()
        last = data["events"][-1]["date"]
        self.stdout.write(
            self.style.SUCCESS(f"Saved {len(data['events'])} England and Wales bank holidays up to {last} to {path}.")
        )
