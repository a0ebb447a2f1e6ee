"""Real processes for the reliability tests: a fresh database of its own (a SQLite file, or a new
database on the PostgreSQL server the suite runs on), `manage.py` commands against it, the
production server (gunicorn) and a worker, and a way to read every table's rows for comparison.

The database is fresh because the processes commit for real and are killed; the suite's own test
database stays untouched."""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
SUITE_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_DATABASE_URL.startswith(("postgres://", "postgresql://"))
# Tables whose rows legitimately change on every request outside any transaction of the service
# (sessions are touched by the sign-in, API tokens record when they were last used),
# left out of "nothing changed" comparisons.
VOLATILE = {"django_session", "accounts_apitoken"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Database:
    """A fresh database: `vendor` is sqlite or postgresql; `env` runs manage.py and servers on it."""

    vendor: str
    env: dict
    path: Path | None = None
    url: str = ""
    name: str = ""
    _admin_url: str = field(default="", repr=False)

    @classmethod
    def fresh(cls, vendor: str, tmp_path: Path, **extra_env) -> Database:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
        env.update(CAS_ENV="development", DEBUG="false", REQUEST_LOG_LEVEL="WARNING", LOG_LEVEL="WARNING")
        env.update(extra_env)
        if vendor == "sqlite":
            path = tmp_path / f"{uuid.uuid4().hex[:8]}.sqlite3"
            env["SQLITE_PATH"] = str(path)
            return cls("sqlite", env, path=path)
        name = f"cas_rel_{uuid.uuid4().hex[:10]}"
        parts = urlsplit(SUITE_DATABASE_URL)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        url = urlunsplit(parts._replace(path=f"/{name}"))
        cls._admin(admin_url, f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url
        return cls("postgresql", env, url=url, name=name, _admin_url=admin_url)

    @staticmethod
    def _admin(admin_url: str, sql: str) -> None:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(self._admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def manage(self, *args, check=True, **kwargs) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, **kwargs
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).stdout

    def connect(self):
        if self.vendor == "sqlite":
            return sqlite3.connect(self.path)
        import psycopg

        return psycopg.connect(self.url)

    def tables(self) -> list[str]:
        with self.connect() as conn:
            if self.vendor == "sqlite":
                rows = conn.execute(
                    "select name from sqlite_master where type='table' and name not like 'sqlite_%'"
                ).fetchall()
            else:
                rows = conn.execute("select tablename from pg_tables where schemaname = 'public'").fetchall()
        return sorted(r[0] for r in rows)

    def counts(self, tables=None) -> dict[str, int]:
        with self.connect() as conn:
            return {
                t: conn.execute(f'select count(*) from "{t}"').fetchone()[0]  # noqa: S608 - table names from the catalogue
                for t in (tables or self.tables())
            }

    def digests(self, tables=None) -> dict[str, tuple[int, str]]:
        """Every table's row count and a hash of its rows (each row as text, sorted), so two
        databases, or one database at two moments, can be compared table by table."""
        result = {}
        with self.connect() as conn:
            for table in tables or self.tables():
                rows = sorted(
                    repr(tuple(_normal(v) for v in row))
                    for row in conn.execute(f'select * from "{table}"').fetchall()  # noqa: S608
                )
                digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
                result[table] = (len(rows), digest)
        return result


def _normal(value):
    """One text form for a value whichever driver read it (SQLite stores dates, UUIDs, JSON and
    decimals as text or numbers; psycopg returns Python objects)."""
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return str(value)


class Server:
    """gunicorn serving the app on `db` (one worker unless told), in its own process group (to kill
    it whole); its output goes to `log` when given (to show why a request failed)."""

    def __init__(self, db: Database, workers: int = 1, log: Path | None = None, **extra_env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**db.env, **extra_env}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab") if log else subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
            start_new_session=True,
        )
        self.wait_up()

    def wait_up(self) -> None:
        for _ in range(200):
            try:
                if requests.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.kill()
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        import signal

        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def wait_for(path: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path.name} never appeared: the request did not reach its pause point")


VENDORS = ["postgresql"] if ON_POSTGRES else ["sqlite"]
