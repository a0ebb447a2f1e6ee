"""Test-only pause points, so a test can kill a real server process at a known moment in the middle
of a transaction (tests/reliability): never active unless CAS_FAULT_PAUSE is set, and never in
production.

`pause_point("booking.create")` does nothing unless the environment has CAS_FAULT_PAUSE naming this
point. Then it writes its process id to the file CAS_FAULT_MARKER (so the test knows the transaction
is open, with its rows written but not committed) and sleeps for CAS_FAULT_PAUSE_SECONDS (default
60) waiting to be killed. A point can be named more than once, comma-separated.
"""

import os
import time
from pathlib import Path

from django.conf import settings


def pause_point(name: str) -> None:
    wanted = os.environ.get("CAS_FAULT_PAUSE")
    if not wanted or settings.IS_PRODUCTION or name not in wanted.split(","):
        return
    marker = os.environ.get("CAS_FAULT_MARKER")
    if marker:
        Path(marker).write_text(f"{name} {os.getpid()}\n")
    time.sleep(float(os.environ.get("CAS_FAULT_PAUSE_SECONDS", "60")))
