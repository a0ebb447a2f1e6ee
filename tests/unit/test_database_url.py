"""Any database URL that works for Django works for the service: the PostgreSQL-only connection
options (no JIT) are given to PostgreSQL only."""

import subprocess
import sys

from tests.reliability.harness import ROOT


def test_a_sqlite_database_url_runs_the_service(tmp_path):
    env = {"CAS_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'cas.sqlite3'}", "PATH": "/usr/bin:/bin"}
    code = (
        "from django.db import connection; connection.ensure_connection(); "
        "from django.conf import settings; print(connection.vendor, settings.DATABASES['default'].get('OPTIONS'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "sqlite {}"
