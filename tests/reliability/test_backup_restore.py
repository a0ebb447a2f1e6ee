"""Backup and restore: the demo data, backed up with `manage.py backup_database` (SQLite's online
backup API, or pg_dump's custom format), restored with `manage.py restore_database` into a fresh
database, holds every row of every table (compared by each table's row count and a hash of its
rows). Runs on SQLite in the SQLite pass and on PostgreSQL in the PostgreSQL pass; the demo data is
loaded once for the module."""

import pytest

from tests.reliability.harness import VENDORS, Database


@pytest.fixture(scope="module", params=VENDORS)
def demo(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("backup")
    db = Database.fresh(request.param, tmp)
    try:
        db.manage("migrate", "--no-input")
        db.manage("load_demo_data")
        yield db, tmp
    finally:
        db.drop()


def test_a_restored_backup_holds_every_row_of_every_table(demo):
    db, tmp = demo
    backup_file = tmp / f"cas-{db.vendor}.backup"
    done = db.manage("backup_database", "--output", str(backup_file))
    assert "Backed up" in done.stdout and backup_file.stat().st_size > 0
    assert not backup_file.with_name(backup_file.name + ".part").exists()

    fresh = Database.fresh(db.vendor, tmp)
    try:
        restored = fresh.manage("restore_database", str(backup_file))
        assert "Restored" in restored.stdout
        original, copy = db.digests(), fresh.digests()
        assert sorted(copy) == sorted(original)
        different = {table for table in original if original[table] != copy[table]}
        assert different == set(), f"tables that differ after the restore: {sorted(different)}"
        # The demo data is really there (a comparison of two empty databases would prove nothing).
        for table in ("referrals_referral", "placements_booking", "premises_bedspace", "core_auditevent"):
            assert original[table][0] > 0, table
        # The restored database is at the same migration as the code: nothing left to apply.
        assert fresh.manage("migrate", "--check", check=False).returncode == 0
    finally:
        fresh.drop()


def test_restore_refuses_a_database_that_is_not_empty(demo):
    db, tmp = demo
    backup_file = tmp / "again.backup"
    db.manage("backup_database", "--output", str(backup_file))
    before = db.digests()
    refused = db.manage("restore_database", str(backup_file), check=False)
    assert refused.returncode != 0 and "The database is not empty" in refused.stderr
    assert db.digests() == before


def test_restore_refuses_a_file_that_is_not_a_backup(demo, tmp_path):
    db, _ = demo
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    fresh = Database.fresh(db.vendor, tmp_path)
    try:
        refused = fresh.manage("restore_database", str(junk), check=False)
        assert refused.returncode != 0 and "is not a backup made by backup_database" in refused.stderr
        assert fresh.manage("restore_database", str(tmp_path / "missing"), check=False).returncode != 0
    finally:
        fresh.drop()
