"""Backup and restore of the whole database (README: "Operations: backup and restore").

SQLite: SQLite's online backup API copies a consistent snapshot while the service keeps running
(readers and the one writer are not stopped; WAL contents are included). PostgreSQL: `pg_dump` in
its custom format (compressed, restorable table by table with `pg_restore`), also a consistent
snapshot of a running database. A restore goes into a fresh, empty database only, so it can never
mix a backup with live data; both write to a temporary name first, so a failed backup never leaves
a file that looks complete.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

from cas.core.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(DomainError):
    pass


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments for the PostgreSQL tools; the password goes in the environment, never
    on the command line (where other users could read it)."""
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(f"{name} was not found. Install the PostgreSQL client tools (Debian: postgresql-client).")


def backup(output: Path, alias: str = "default") -> Path:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    partial.unlink(missing_ok=True)
    settings_dict = _database(alias)
    try:
        if vendor(alias) == "sqlite":
            source = sqlite3.connect(str(settings_dict["NAME"]))
            target = sqlite3.connect(str(partial))
            try:
                with target:
                    source.backup(target)  # the online backup API: a consistent snapshot, service running
            finally:
                target.close()
                source.close()
        elif vendor(alias) == "postgresql":
            args, env = _pg_env(settings_dict)
            result = subprocess.run(  # noqa: S603 - a fixed tool, settings as arguments, no shell
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", *args,
                 f"--dbname={settings_dict['NAME']}"],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise BackupError(f"Backups are not supported for {vendor(alias)} databases")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def kind_of(path: Path) -> str:
    with Path(path).open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a backup made by backup_database (neither SQLite nor pg_dump custom format)")


def _is_empty(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        return not connections[alias].introspection.table_names(cursor)


def restore(path: Path, alias: str = "default") -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}")
    kind = kind_of(path)
    if kind != vendor(alias):
        raise BackupError(f"This is a {kind} backup; it restores into a {kind} database, not {vendor(alias)}")
    if not _is_empty(alias):
        raise BackupError(
            "The database is not empty. Restore into a fresh database (a new SQLITE_PATH, or a new "
            "PostgreSQL database in DATABASE_URL), check it, then switch the service over."
        )
    settings_dict = _database(alias)
    connections[alias].close()
    if kind == "sqlite":
        source = sqlite3.connect(str(path))
        target = sqlite3.connect(str(settings_dict["NAME"]))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    args, env = _pg_env(settings_dict)
    result = subprocess.run(  # noqa: S603 - a fixed tool, settings as arguments, no shell
        [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={settings_dict['NAME']}", *args, str(path)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing was restored): {result.stderr.strip()}")
