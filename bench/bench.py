"""The benchmark suite: one command, SQLite and PostgreSQL, a Markdown table of medians and 95th
percentiles. Targets are ratios measured side by side in one run (the machines are shared and
noisy), so every HTTP measure runs against a trivial page of the same server in the same run.

    .venv/bin/python bench/bench.py --scale 1 --databases sqlite,postgres [--quick]

Data comes from `manage.py generate_national_data --scale N`, generated once per database and
scale into var/bench/ and reused by later runs.
"""

import argparse
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
PASSWORD = "Benchmark-password-2026"


@dataclass
class Result:
    measure: str
    unit: str
    median: float
    p95: float
    note: str = ""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    def __init__(self, kind: str, scale: int, pg_url: str | None):
        self.kind, self.scale = kind, scale
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
        self.env.update(CAS_ENV="development", DEBUG="false", REQUEST_LOG_LEVEL="WARNING", LOG_LEVEL="WARNING")
        if kind == "sqlite":
            self.env["SQLITE_PATH"] = str(BENCH_DIR / f"sqlite-scale{scale}.sqlite3")
        else:
            self.env["DATABASE_URL"] = f"{pg_url.rsplit('/', 1)[0]}/bench_scale{scale}"

    def manage(self, *args, capture=True) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=capture, text=True
        )
        return done.stdout if capture else ""

    def prepare(self) -> None:
        if self.kind == "postgres":
            import psycopg

            admin_url = self.env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(admin_url, autocommit=True) as conn:
                if not conn.execute(
                    "select 1 from pg_database where datname = %s", [f"bench_scale{self.scale}"]
                ).fetchone():
                    conn.execute(f"create database bench_scale{self.scale}")
        self.manage("migrate", "--no-input")
        marker = BENCH_DIR / f"{self.kind}-scale{self.scale}.generated"
        if not marker.exists():
            print(f"[{self.kind}] generating national data at scale {self.scale} (once)...", flush=True)
            started = time.perf_counter()
            self.manage("generate_national_data", "--scale", str(self.scale), capture=False)
            marker.write_text(f"{time.perf_counter() - started:.0f}\n")
        code = (
            "from cas.accounts.models import User, RoleAssignment\n"
            "from cas.reference.models import ProbationRegion\n"
            "r = ProbationRegion.objects.get(delius_code='N51')\n"
            "u, _ = User.objects.get_or_create(username='bench.assessor', defaults={'region': r})\n"
            f"u.set_password({PASSWORD!r}); u.save()\n"
            "RoleAssignment.objects.get_or_create(user=u, role='cas3_assessor')\n"
            "from cas.premises.models import Premises\n"
            "print(Premises.objects.filter(region=r).order_by('reference').values_list('id', flat=True).first())\n"
        )
        self.premises_id = self.manage("shell", "-c", code).strip().splitlines()[-1]

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
        for _ in range(200):
            try:
                if requests.get(f"{base}/health", timeout=1).ok:
                    return server, base
            except requests.RequestException:
                time.sleep(0.1)
        server.kill()
        raise RuntimeError("server did not start")


def signed_in(base: str) -> requests.Session:
    import re

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


# Pages measured against the trivial page; placement and review add theirs here as they land.
def pages(db: Database) -> dict[str, str]:
    return {
        "property list": "/properties",
        "property page": f"/properties/{db.premises_id}",
        "property calendar": f"/properties/{db.premises_id}/calendar",
    }


def http_measures(db: Database, quick: bool) -> list[Result]:
    server, base = db.serve()
    try:
        session = signed_in(base)
        for _ in range(3):
            session.get(f"{base}/health")
        seconds = 3 if quick else 10
        trivial_rps, trivial_lat = load(base, "/health", clients=8, seconds=seconds, cookies=session.cookies)
        results = [
            Result(
                "trivial page (/health)",
                "ms",
                percentile(trivial_lat, 0.5),
                percentile(trivial_lat, 0.95),
                f"{trivial_rps:.1f} req/s with 8 clients",
            )
        ]
        for name, path in pages(db).items():
            for _ in range(3):  # warm up: template compilation and caches are not what we measure
                session.get(f"{base}{path}")
            rps, lat = load(base, path, clients=8, seconds=seconds, cookies=session.cookies)
            results.append(
                Result(
                    name,
                    "ms",
                    percentile(lat, 0.5),
                    percentile(lat, 0.95),
                    f"{rps:.1f} req/s = {rps / trivial_rps:.2f} of the trivial page's",
                )
            )
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


REPORT_SCRIPT = """
import datetime as dt, time, tracemalloc
from cas.reporting import mi
from cas.reporting.mi import ReportParams
definition = mi.REPORTS[{key!r}]
end = dt.date(2026, 11, 1)
def run(years, trace):
    params = ReportParams(end - dt.timedelta(days=365 * years), end, None)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    rows = sum(1 for _ in definition.rows(params))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    return rows, seconds, peak
rows, seconds, _ = run(5, False)
small_rows, _, small_peak = run(1, True)
_, _, big_peak = run(5, True)
print(rows, seconds, small_rows, small_peak, big_peak)
"""


def report_measures(db: Database) -> list[Result]:
    """Rows per second over five years, and peak memory for one year against five (flat = streaming)."""
    results = []
    for key in ("referrals",):
        out = db.manage("shell", "-c", REPORT_SCRIPT.format(key=key)).split()[-5:]
        rows, seconds, small_rows, small_peak, big_peak = (
            int(out[0]),
            float(out[1]),
            int(out[2]),
            int(out[3]),
            int(out[4]),
        )
        results.append(
            Result(
                f"{key} report, 5 years, national",
                "rows/s",
                rows / seconds,
                rows / seconds,
                f"{rows:,} rows in {seconds:.1f} s; peak memory {small_peak / 1e6:.1f} MB for {small_rows:,} rows (1 year) "
                f"vs {big_peak / 1e6:.1f} MB for {rows:,} rows (5 years)",
            )
        )
    return results


MEASURES: list[Callable[[Database, bool], list[Result]]] = [
    lambda db, quick: http_measures(db, quick),
    lambda db, quick: report_measures(db),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--quick", action="store_true", help="shorter load periods (for a smoke run)")
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}",
        "",
        "| Database | Scale | Measure | Median | 95th percentile | Unit | Notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in args.databases.split(","):
        if kind == "postgres" and not pg_url:
            print("Skipping PostgreSQL: set BENCH_DATABASE_URL (bench/run does).", file=sys.stderr)
            continue
        db = Database(kind, args.scale, pg_url)
        db.prepare()
        for measure in MEASURES:
            for r in measure(db, args.quick):
                lines.append(
                    f"| {kind} | {args.scale} | {r.measure} | {r.median:,.1f} | {r.p95:,.1f} | {r.unit} | {r.note} |"
                )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
