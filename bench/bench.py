"""The benchmark suite: one command, SQLite and PostgreSQL, a Markdown table of medians and 95th
percentiles. Targets are ratios measured side by side in one run (the machines are shared and
noisy), so every HTTP measure runs against a trivial page of the same server in the same run, and
every query measure against the bare SQL of the same work (`bench/bare_sql.py`, tested to return
what the service returns by `tests/bench/test_bare_sql.py`).

    .venv/bin/python bench/bench.py --scale 1,10 --databases sqlite,postgres [--quick]

Data comes from `manage.py generate_national_data --scale N`, generated once per database and
scale into var/bench/ and reused by later runs (regenerated when the generator's code changes).
"""

import argparse
import hashlib
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on the path and `bench` would be this file.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import bare_sql  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
PASSWORD = "Benchmark-password-2026"
CLIENTS = 8  # concurrent clients for page loads
SEED = 2026  # the same searches in every run, on every database and scale
# The generator's "today": searches start in the 90 days after it, where its bookings and voids are.
DATA_TODAY = "2026-11-01"


@dataclass
class Result:
    measure: str
    unit: str
    median: float
    p95: float
    note: str = ""


@dataclass
class Run:
    """What one database at one scale measured, for the ratios across scales."""

    kind: str
    scale: int
    results: list[Result] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return percentile(values, 0.5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generator_fingerprint() -> str:
    """The generator's code: cached data made by another version is made again."""
    digest = hashlib.sha256()
    files = sorted((ROOT / "cas").glob("datagen/**/*.py")) + sorted((ROOT / "cas").glob("*/datagen*.py"))
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


PREPARE_SCRIPT = """
import json
from django.db.models import Count
from cas.accounts.models import User, RoleAssignment, ApiToken
from cas.accounts.services import create_api_token
from cas.reference.models import ProbationRegion
from cas.premises.models import Premises, Bedspace
from cas.placements.models import Booking
from cas.people.registry import get_case_system
from cas.people.synthetic.dataset import national_crn
region = ProbationRegion.objects.get(delius_code='N51')
national = ProbationRegion.objects.get(delius_code=ProbationRegion.NATIONAL_CODE)
def user(username, home):
    u, _ = User.objects.get_or_create(username=username, defaults={'region': home})
    u.set_password(PASSWORD); u.save()
    RoleAssignment.objects.get_or_create(user=u, role='cas3_assessor')
    return u
assessor = user('bench.assessor', region)
national_assessor = user('bench.national', national)
ApiToken.objects.filter(user=national_assessor).delete()
_, token = create_api_token(None, national_assessor, 'benchmark')
premises = Premises.objects.filter(region=region).order_by('reference').first()
booking = Booking.objects.filter(region=region).order_by('-arrival_date', 'id').first()
# Booking under contention: a few bedspaces of one property in service for good, in a window of
# dates after every earlier run's bookings, so each run starts from free bedspaces.
crowded = (
    Premises.objects.filter(region=region, end_date__isnull=True, service='cas3')
    .annotate(n=Count('bedspaces')).filter(n__gte=4).order_by('reference').first()
)
bedspaces = [str(b) for b in Bedspace.objects.filter(premises=crowded, end_date__isnull=True)
             .order_by('reference').values_list('id', flat=True)[:4]]
last = Booking.objects.filter(created_by=national_assessor).order_by('-available_from').first()
import datetime as dt
window = max(dt.date(2031, 1, 1), (last.available_from + dt.timedelta(days=30)) if last else dt.date(2031, 1, 1))
cases = get_case_system()
crns = []
for i in range(400):
    crn = national_crn(i)
    try:
        if cases.check_access(crn, national_assessor.username).allowed:
            crns.append(crn)
    except Exception:
        pass
    if len(crns) >= 40:
        break
print(json.dumps({
    'premises_id': str(premises.pk), 'booking_id': str(booking.pk) if booking else None,
    'token': token, 'bedspaces': bedspaces, 'window': window.isoformat(), 'crns': crns,
}))
"""


class Database:
    def __init__(self, kind: str, scale: int, pg_url: str | None):
        self.kind, self.scale = kind, scale
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
        self.env.update(CAS_ENV="development", DEBUG="false", REQUEST_LOG_LEVEL="WARNING", LOG_LEVEL="WARNING")
        self.name = f"bench_scale{scale}"
        if kind == "sqlite":
            self.path = BENCH_DIR / f"sqlite-scale{scale}.sqlite3"
            self.env["SQLITE_PATH"] = str(self.path)
        else:
            self.admin_url = f"{pg_url.rsplit('/', 1)[0]}/postgres"
            self.env["DATABASE_URL"] = f"{pg_url.rsplit('/', 1)[0]}/{self.name}"

    def manage(self, *args, capture=True) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=capture, text=True
        )
        return done.stdout if capture else ""

    def shell(self, code: str) -> str:
        """Run `code` in the project's shell; its last line of output."""
        return self.manage("shell", "-c", code).strip().splitlines()[-1]

    def _drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f"drop database if exists {self.name} with (force)")

    def prepare(self) -> dict:
        marker = BENCH_DIR / f"{self.kind}-scale{self.scale}.generated"
        fingerprint = generator_fingerprint()
        stale = not marker.exists() or marker.read_text().split()[-1] != fingerprint
        if stale:
            self._drop()
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                if not conn.execute("select 1 from pg_database where datname = %s", [self.name]).fetchone():
                    conn.execute(f"create database {self.name}")
        self.manage("migrate", "--no-input")
        if stale:
            print(f"[{self.kind}] generating national data at scale {self.scale} (once)...", file=sys.stderr)
            started = time.perf_counter()
            self.manage("generate_national_data", "--scale", str(self.scale), capture=False)
            marker.write_text(f"{time.perf_counter() - started:.0f} {fingerprint}\n")
        self.info = json.loads(self.shell(PREPARE_SCRIPT.replace("PASSWORD", repr(PASSWORD))))
        return self.info

    def serve(self, workers: int = 2):
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if requests.get(f"{base}/health", timeout=1).ok:
                    return server, base
            except requests.RequestException:
                time.sleep(0.1)
        server.kill()
        raise RuntimeError("server did not start")


def signed_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/account/sign-in")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/account/sign-in",
        data={"csrfmiddlewaretoken": token, "username": "bench.assessor", "password": PASSWORD},
        headers={"Referer": base},
    )
    return session


def load(base: str, path: str, *, clients: int, seconds: float, cookies) -> tuple[float, list[float]]:
    """Requests per second and latencies (ms) from `clients` concurrent clients for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    errors = []

    def client():
        session = requests.Session()
        session.cookies.update(cookies)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            response = session.get(f"{base}{path}")
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                errors.append(response.status_code)
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} failed requests (e.g. {errors[0]})")
    return len(latencies) / (time.perf_counter() - started), latencies


def pages(info: dict) -> dict[str, str]:
    """The pages measured against the trivial page (the issue's three first)."""
    found = {"HPT queue page": "/review/unallocated"}
    if info["booking_id"]:
        found["booking page"] = f"/bookings/{info['booking_id']}"
    found["property calendar"] = f"/properties/{info['premises_id']}/calendar"
    found["property list"] = "/properties"
    found["property page"] = f"/properties/{info['premises_id']}"
    return found


# Two baselines: the trivial page of the service (a static page in the GOV.UK layout, signed in:
# the session, the user and their roles, the navigation, the layout) and the JSON liveness probe
# (the session and the user only, no layout). The target is against the first; the second shows
# what the layout itself costs.
TRIVIAL_PAGE = "/accessibility"
PROBE = "/health"


def page_measures(run: Run, db: Database, base: str, quick: bool) -> None:
    session = signed_in(base)
    seconds = 3 if quick else 10
    baselines = {}
    for name, path in (("trivial page (accessibility statement)", TRIVIAL_PAGE), ("liveness probe (/health)", PROBE)):
        for _ in range(3):
            session.get(f"{base}{path}")
        rps, lat = load(base, path, clients=CLIENTS, seconds=seconds, cookies=session.cookies)
        baselines[path] = rps
        run.results.append(
            Result(name, "ms", median(lat), percentile(lat, 0.95), f"{rps:.1f} req/s with {CLIENTS} clients")
        )
    for name, path in pages(db.info).items():
        for _ in range(3):  # warm up: template compilation and caches are not what we measure
            session.get(f"{base}{path}")
        rps, lat = load(base, path, clients=CLIENTS, seconds=seconds, cookies=session.cookies)
        share, probe_share = rps / baselines[TRIVIAL_PAGE], rps / baselines[PROBE]
        run.figures[f"{name} share"] = share
        run.results.append(
            Result(
                name,
                "ms",
                median(lat),
                percentile(lat, 0.95),
                f"{rps:.1f} req/s = **{share:.2f}** of the trivial page's (target ≥ 0.40); "
                f"{probe_share:.2f} of the liveness probe's",
            )
        )


BARE_SEARCH_SCRIPT = """
import json, time
from django.db import connection
from bench import bare_sql
from cas.placements.status import available_from
bodies = json.load(open(BODIES))
connection.ensure_connection()
cursor = connection.connection.cursor()
vendor = connection.vendor
times = []
for _ in range(2):  # the first pass warms the caches, as the API's does
    times = []
    for body in bodies:
        started = time.perf_counter()
        bare_sql.search(cursor, vendor, body, available_from)
        times.append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
"""

REGIONS_SCRIPT = """
import json
from django.db import connection
from bench import bare_sql
connection.ensure_connection()
print(json.dumps(bare_sql.regions_for_search(connection.connection.cursor(), connection.vendor)))
"""


def search_bodies(db: Database, count: int) -> list[dict]:
    import datetime as dt

    regions = {k: tuple(v) for k, v in json.loads(db.shell(REGIONS_SCRIPT)).items()}
    rng = random.Random(SEED)
    return [bare_sql.random_search(rng, regions, dt.date.fromisoformat(DATA_TODAY)) for _ in range(count)]


def search_measures(run: Run, db: Database, base: str, quick: bool) -> None:
    """The same seeded searches through the HTTP API (one client, no other load) and as bare SQL."""
    bodies = search_bodies(db, 30 if quick else 100)
    headers = {"Authorization": f"Bearer {db.info['token']}"}
    session = requests.Session()
    api_times, found = [], 0
    for attempt in range(2):  # the first pass warms the caches
        api_times = []
        for body in bodies:
            started = time.perf_counter()
            response = session.post(f"{base}/api/v1/placements/search", json=body, headers=headers)
            api_times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"search failed: {response.status_code} {response.text[:300]}")
            if attempt:
                found += response.json()["bedspace_count"]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(bodies, f)
    try:
        bare_times = json.loads(db.shell(BARE_SEARCH_SCRIPT.replace("BODIES", repr(f.name))))
    finally:
        os.unlink(f.name)
    api_median, bare_median = median(api_times), median(bare_times)
    ratios = [a / b for a, b in zip(api_times, bare_times, strict=True) if b > 0]
    run.figures["search api"] = api_median
    run.figures["search ratio"] = api_median / bare_median
    run.results += [
        Result(
            "bedspace search, HTTP API",
            "ms",
            api_median,
            percentile(api_times, 0.95),
            f"{len(bodies)} seeded searches (random regions, PDUs, dates, durations, filters); "
            f"{found / len(bodies):.0f} bedspaces found on average",
        ),
        Result("bedspace search, bare SQL", "ms", bare_median, percentile(bare_times, 0.95), "same searches"),
        Result(
            "bedspace search, API / bare SQL",
            "ratio",
            api_median / bare_median,
            percentile(ratios, 0.95),
            f"ratio of medians **{api_median / bare_median:.2f}** (target ≤ 3); p95 column: 95th percentile of "
            f"per-search ratios (median per-search {median(ratios):.2f})",
        ),
    ]


OVERLAP_SCRIPT = """
import uuid
from django.db import connection
from cas.placements.status import ACTIVE_STATUSES
from cas.premises.models import Bedspace
# As the database stores them (SQLite keeps UUIDs as 32 hex digits, without dashes).
ids = [Bedspace._meta.pk.get_db_prep_value(uuid.UUID(i), connection) for i in BEDSPACES]
marks = ', '.join(['%s'] * len(ids))
statuses = ', '.join(['%s'] * len(ACTIVE_STATUSES))
with connection.cursor() as c:
    c.execute(
        f'''select count(*) from placements_booking a join placements_booking b
            on a.bedspace_id = b.bedspace_id and a.id < b.id
            where a.bedspace_id in ({marks}) and a.status in ({statuses}) and b.status in ({statuses})
              and a.arrival_date < b.available_from and b.arrival_date < a.available_from''',
        [*ids, *ACTIVE_STATUSES, *ACTIVE_STATUSES],
    )
    overlaps = c.fetchone()[0]
    c.execute(f'select count(*) from placements_booking where bedspace_id in ({marks}) and status in ({statuses})',
              [*ids, *ACTIVE_STATUSES])
    print(overlaps, c.fetchone()[0])
"""


def contention_measures(run: Run, db: Database, base: str, quick: bool) -> None:
    """Many clients booking a few bedspaces for overlapping dates at once: throughput, and no two
    active bookings overlapping afterwards (checked by SQL, on the stored columns)."""
    import datetime as dt

    info = db.info
    if len(info["bedspaces"]) < 2 or not info["crns"]:
        run.results.append(Result("booking under contention", "", float("nan"), float("nan"), "no property to use"))
        return
    clients, seconds = 16, (5 if quick else 15)
    window = dt.date.fromisoformat(info["window"])
    headers = {"Authorization": f"Bearer {info['token']}"}
    outcomes: list[tuple[int, float]] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(n: int):
        rng = random.Random(f"{SEED}:{n}")
        session = requests.Session()
        while time.perf_counter() < stop:
            arrival = window + dt.timedelta(days=rng.randrange(60))
            body = {
                "crn": rng.choice(info["crns"]),
                "arrival_date": arrival.isoformat(),
                "departure_date": (arrival + dt.timedelta(days=rng.randint(1, 14))).isoformat(),
            }
            bedspace = rng.choice(info["bedspaces"])
            started = time.perf_counter()
            response = session.post(
                f"{base}/api/v1/placements/bedspaces/{bedspace}/bookings", json=body, headers=headers
            )
            with lock:
                outcomes.append((response.status_code, (time.perf_counter() - started) * 1000))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    made = sum(1 for code, _ in outcomes if code == 201)
    refused = sum(1 for code, _ in outcomes if code == 409)
    failed = [code for code, _ in outcomes if code not in (201, 409)]
    overlaps, active = (int(v) for v in db.shell(OVERLAP_SCRIPT.replace("BEDSPACES", repr(info["bedspaces"]))).split())
    latencies = [ms for _, ms in outcomes]
    run.figures["overlaps"] = overlaps
    run.results.append(
        Result(
            "booking creation under contention",
            "ms",
            median(latencies),
            percentile(latencies, 0.95),
            f"{clients} clients, {len(info['bedspaces'])} bedspaces, {seconds} s: {len(outcomes) / elapsed:.1f} "
            f"attempts/s, {made / elapsed:.1f} bookings/s ({made} made, {refused} refused as taken"
            + (f", {len(failed)} failed e.g. {failed[0]}" if failed else "")
            + f"); **{overlaps} overlapping** active bookings afterwards (of {active})",
        )
    )


REPORT_SCRIPT = """
import datetime as dt, time, tracemalloc
from cas.reporting import mi
from cas.reporting.mi import ReportParams
definition = mi.REPORTS[KEY]
end = dt.date(2026, 11, 1)
params = ReportParams(end - dt.timedelta(days=DAYS), end, None)
sum(1 for _ in definition.rows(params))  # warm up
started = time.perf_counter()
rows = sum(1 for _ in definition.rows(params))
seconds = time.perf_counter() - started
tracemalloc.start()
sum(1 for _ in definition.rows(params))
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(rows, seconds, peak)
"""


# (report, period in years): the CAS3 reports over the last year, as HPTs ask for them; the CAS2 reports
# over the whole five years of generated history (the MoJ's stop at 12 months).
REPORTS_MEASURED = (
    ("bookings", 1),
    ("referrals", 1),
    ("cas2-submitted-applications", 5),
    ("cas2-status-updates", 5),
    ("cas2-unsubmitted-applications", 5),
)


def report_measures(run: Run, db: Database) -> None:
    """Each measured report, national: rows per second and peak memory (traced by tracemalloc)."""
    registered = db.shell("from cas.reporting import mi; print(','.join(sorted(mi.REPORTS)))").split(",")
    for key, years in REPORTS_MEASURED:
        name = f"{key} report, {years} year{'s' if years > 1 else ''}, national"
        if key not in registered:
            run.results.append(Result(name, "", float("nan"), float("nan"), "report not built yet"))
            continue
        out = db.shell(REPORT_SCRIPT.replace("KEY", repr(key)).replace("DAYS", str(365 * years))).split()
        rows, seconds, peak = int(out[0]), float(out[1]), int(out[2])
        run.figures[f"{key} report peak"] = peak
        run.results.append(
            Result(
                name,
                "rows/s",
                rows / seconds if seconds else float("nan"),
                rows / seconds if seconds else float("nan"),
                f"{rows:,} rows in {seconds:.1f} s; peak memory {peak / 1e6:.2f} MB (tracemalloc)",
            )
        )


STATISTICS_SCRIPT = """
import json, time
from django.db import connection
from bench import bare_sql
from cas.reporting import statistics
connection.ensure_connection()
cursor = connection.connection.cursor()
service, bare = [], []
for _ in range(REPEATS + 1):
    started = time.perf_counter()
    tables = statistics.compute()
    service.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    bare_sql.statistics(cursor, connection.vendor)
    bare.append((time.perf_counter() - started) * 1000)
placements = sum(r[2] for r in tables[0].rows if r[1] == statistics.ALL_REGIONS)
print(json.dumps([service[1:], bare[1:], placements]))
"""


def statistics_measures(run: Run, db: Database, quick: bool) -> None:
    service, bare, placements = json.loads(db.shell(STATISTICS_SCRIPT.replace("REPEATS", str(3 if quick else 7))))
    ratio = median(service) / median(bare)
    run.figures["statistics ratio"] = ratio
    run.results += [
        Result(
            "official statistics, all years",
            "ms",
            median(service),
            percentile(service, 0.95),
            f"{placements:,} placements (imported and digital)",
        ),
        Result("official statistics, bare SQL aggregation", "ms", median(bare), percentile(bare, 0.95), ""),
        Result("official statistics / bare SQL", "ratio", ratio, ratio, f"**{ratio:.2f}** (target ≤ 2)"),
    ]


def measure(db: Database, quick: bool, only: set[str]) -> Run:
    run = Run(db.kind, db.scale)
    db.prepare()
    server, base = db.serve()
    try:
        steps: dict[str, Callable[[], None]] = {
            "pages": lambda: page_measures(run, db, base, quick),
            "search": lambda: search_measures(run, db, base, quick),
            "contention": lambda: contention_measures(run, db, base, quick),
        }
        for name, step in steps.items():
            if not only or name in only:
                attempt(run, name, step)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not lose the figures for it
            server.kill()
            server.wait()
    if not only or "reports" in only:
        attempt(run, "reports", lambda: report_measures(run, db))
    if not only or "statistics" in only:
        attempt(run, "statistics", lambda: statistics_measures(run, db, quick))
    return run


def attempt(run: Run, name: str, step: Callable[[], None]) -> None:
    """Run one group of measures; a failure is reported in the table and the others still run."""
    done = len(run.results)
    try:
        step()
    except Exception as exc:  # noqa: BLE001 (reported in the table, with its message)
        run.results.append(Result(f"{name} (failed)", "", float("nan"), float("nan"), f"{type(exc).__name__}: {exc}"))
    for r in run.results[done:]:
        print(
            f"| {run.kind} | {run.scale} | {r.measure} | {r.median:,.2f} | {r.p95:,.2f} | {r.unit} | {r.note} |",
            file=sys.stderr,
            flush=True,
        )


def across_scales(runs: list[Run]) -> list[tuple[str, Result]]:
    """Scale 10 against scale 1 on the same database: search time and report peak memory."""
    rows = []
    for kind in dict.fromkeys(r.kind for r in runs):
        by_scale = {r.scale: r for r in runs if r.kind == kind}
        if 1 not in by_scale or len(by_scale) < 2:
            continue
        small = by_scale[1]
        for scale, big in sorted(by_scale.items()):
            if scale == 1:
                continue
            if "search api" in small.figures and "search api" in big.figures:
                ratio = big.figures["search api"] / small.figures["search api"]
                rows.append(
                    (
                        kind,
                        Result(
                            f"bedspace search (API), scale {scale} / scale 1",
                            "ratio",
                            ratio,
                            ratio,
                            f"**{ratio:.2f}** (target ≤ 1.5), medians of the same seeded searches",
                        ),
                    )
                )
            # Flat memory: ten times the rows, about the same peak.
            for report, _ in REPORTS_MEASURED:
                key = f"{report} report peak"
                if key not in small.figures or key not in big.figures:
                    continue
                ratio = big.figures[key] / small.figures[key]
                rows.append(
                    (
                        kind,
                        Result(
                            f"{report} report peak memory, scale {scale} / scale 1",
                            "ratio",
                            ratio,
                            ratio,
                            f"**{ratio:.2f}** (target ≤ 1.3)",
                        ),
                    )
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="1", help="one scale or several, e.g. 1,10")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help="shorter load periods (for a smoke run)")
    parser.add_argument(
        "--only", default="", help="some measures: pages,search,contention,reports,statistics (default all)"
    )
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    only = {m for m in args.only.split(",") if m}
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; load average {os.getloadavg()[0]:.1f} at the start"
        + ("; --quick" if args.quick else ""),
        "",
        "| Database | Scale | Measure | Median | 95th percentile | Unit | Notes |",
        "|---|---|---|---|---|---|---|",
    ]

    def row(kind, scale, r: Result) -> str:
        return f"| {kind} | {scale} | {r.measure} | {r.median:,.2f} | {r.p95:,.2f} | {r.unit} | {r.note} |"

    runs = []
    for kind in args.databases.split(","):
        if kind == "postgres" and not pg_url:
            print("Skipping PostgreSQL: set BENCH_DATABASE_URL (bench/run does).", file=sys.stderr)
            continue
        for scale in (int(s) for s in args.scale.split(",")):
            run = measure(Database(kind, scale, pg_url), args.quick, only)
            runs.append(run)
            lines += [row(kind, scale, r) for r in run.results]
    for kind, r in across_scales(runs):
        lines.append(row(kind, "1 and 10", r))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
