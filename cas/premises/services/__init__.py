"""The premises app's write API: every change to the estate goes through one of these functions, each
one transaction with the rules and an audit record.

Callers (web pages, the API, the importer, demo data, tests) use the package, `from cas.premises
import services` then `services.archive_bedspace(...)`; the functions live in a module per concern,
named for where a rule is found:

- `properties.py`: adding and changing properties (postcode, region and PDU, turnaround);
- `bedspaces.py`: adding and changing bedspaces (start dates);
- `archiving.py`: archiving and bringing back online, scheduled or now, and cancelling a scheduled change;
- `voids.py`: void periods;
- `rules.py`: the estate's shared checks (who may change a region's estate, the lock, references,
  characteristics).

Callers pass the acting user; `None` means the system (a management command run by an operator). The
region rule is checked in every function, so the web and the API refuse the same things: an assessor
changes only their own region's properties.

Dates follow `status.py`: `start_date` is the first day in service, `end_date` the first day out of
service (the archive date). Void periods include both their start and end days.

Properties, bedspaces and void periods carry a `version` (`cas.core.concurrency`): the edits, archive
pages and void cancellation take the version the user's form was drawn from and refuse a stale one
(`StaleEdit`); every other write to one of these rows (a bedspace archived with its property, a
cancelled change restoring dates) bumps it, so a form drawn before that change is refused too.
"""

from cas.premises.services.archiving import (
    ArchiveBlocked,
    archive_bedspace,
    archive_premises,
    archive_window,
    bedspace_archive_preview,
    bedspace_unarchive_preview,
    cancel_change,
    earliest_archive_date,
    premises_archive_preview,
    premises_unarchive_preview,
    unarchive_bedspace,
    unarchive_premises,
    unarchive_window,
)
from cas.premises.services.bedspaces import (
    BEDSPACE_START_DAYS,
    bedspace_start_window,
    create_bedspace,
    update_bedspace,
)
from cas.premises.services.properties import (
    MAX_TURNAROUND_DAYS,
    create_premises,
    normalise_postcode,
    update_premises,
)
from cas.premises.services.rules import clean_reference
from cas.premises.services.voids import cancel_void, create_void, update_void

__all__ = [
    "BEDSPACE_START_DAYS",
    "MAX_TURNAROUND_DAYS",
    "ArchiveBlocked",
    "archive_bedspace",
    "archive_premises",
    "archive_window",
    "bedspace_archive_preview",
    "bedspace_start_window",
    "bedspace_unarchive_preview",
    "cancel_change",
    "cancel_void",
    "clean_reference",
    "create_bedspace",
    "create_premises",
    "create_void",
    "earliest_archive_date",
    "normalise_postcode",
    "premises_archive_preview",
    "premises_unarchive_preview",
    "unarchive_bedspace",
    "unarchive_premises",
    "unarchive_window",
    "update_bedspace",
    "update_premises",
    "update_void",
]
