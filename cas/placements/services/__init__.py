"""The placements app's write API: every change to a booking goes through one of these functions, each
one transaction with the rules, an audit record, the domain event for the probation case system and,
where the referrer needs to know, an email.

Callers (web pages, the API, demo data, tests) use the package, `from cas.placements import services`
then `services.confirm_booking(...)`; the functions live in a module per concern, named for where a
rule is found:

- `creation.py`: booking a bedspace and confirming the booking;
- `stays.py`: the arrival, extending or shortening the stay (overstays), the departure;
- `cancellation.py`: cancelling a booking and recording a non-arrival;
- `turnaround.py`: changing the turnaround;
- `incidents.py`: recording an incident;
- `effects.py`: what confirming or cancelling does to the referral, and the practitioner's emails;
- `rules.py`: what every write shares: the lock, the no-double-booking check, dates, overstays, errors.

Callers pass the acting user; `None` is the system (demo data, management commands).
"""

from cas.placements.services.cancellation import cancel_booking, record_non_arrival
from cas.placements.services.creation import confirm_booking, create_booking
from cas.placements.services.incidents import record_incident
from cas.placements.services.rules import (
    BedspaceTaken,
    OverstayDecision,
    OverstayDecisionNeeded,
    check_date_in_range,
)
from cas.placements.services.stays import (
    change_arrival_date,
    change_departure_date,
    record_arrival,
    record_departure,
)
from cas.placements.services.turnaround import change_turnaround

__all__ = [
    "BedspaceTaken",
    "OverstayDecision",
    "OverstayDecisionNeeded",
    "cancel_booking",
    "change_arrival_date",
    "change_departure_date",
    "change_turnaround",
    "check_date_in_range",
    "confirm_booking",
    "create_booking",
    "record_arrival",
    "record_departure",
    "record_incident",
    "record_non_arrival",
]
