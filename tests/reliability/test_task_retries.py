"""Background tasks whose worker dies are tried again after their lease runs out, up to
TASKS_MAX_ATTEMPTS, then given up with their owner told; never half applied. The last test kills a
real worker process (`manage.py task_worker`) in the middle of an MI report and lets a second worker
finish it."""

import datetime as dt
import time
import uuid

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from cas.core import clock, tasks
from cas.core.models import TaskLease
from cas.core.roles import Role
from cas.reporting.models import ReportRun
from tests.factories import make_user
from tests.reliability.harness import VENDORS, Database, wait_for


def running_report(worker_ids, started_minutes_ago=60):
    run = ReportRun.objects.create(
        report_key="referrals",
        requested_by=make_user(Role.REPORTER, region_code="NA", username=f"r.{uuid.uuid4().hex[:6]}"),
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2026, 3, 31),
        file_format="csv",
        status=ReportRun.Status.RUNNING,
    )
    task = DBTaskResult.objects.create(
        task_path="cas.reporting.mi.generate_report",
        args_kwargs={"args": [str(run.pk)], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        started_at=clock.now() - dt.timedelta(minutes=started_minutes_ago),
        worker_ids=worker_ids,
    )
    return run, task


@pytest.mark.django_db
def test_a_task_whose_lease_ran_out_is_requeued(settings):
    settings.TASKS_MAX_ATTEMPTS = 3
    run, task = running_report(["dead-worker"])
    TaskLease.objects.create(task_id=task.pk, worker_id="dead-worker", expires_at=clock.now() - dt.timedelta(seconds=1))
    assert tasks.requeue_expired() == (1, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()
    assert not TaskLease.objects.exists()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING  # the owner is told only when the task is given up


@pytest.mark.django_db
def test_a_live_lease_is_left_alone_and_a_task_with_no_lease_waits_a_lease_length(settings):
    settings.TASKS_LEASE_MINUTES = 5
    _, live = running_report(["busy-worker"])
    TaskLease.objects.create(task_id=live.pk, worker_id="busy-worker", expires_at=clock.now() + dt.timedelta(minutes=2))
    _, just_claimed = running_report(["new-worker"], started_minutes_ago=1)  # claimed, lease not yet written
    _, old = running_report(["lost-worker"], started_minutes_ago=6)
    assert tasks.requeue_expired() == (1, 0)
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[live.pk] == statuses[just_claimed.pk] == TaskResultStatus.RUNNING
    assert statuses[old.pk] == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_task_is_given_up_after_the_maximum_attempts_and_its_report_fails(settings, tmp_path):
    settings.TASKS_MAX_ATTEMPTS = 2
    settings.REPORTS_DIR = tmp_path
    run, task = running_report(["worker-1", "worker-2"])
    partial = tmp_path / f"{run.pk}.csv.part"
    partial.write_text("half a report")
    assert tasks.requeue_expired() == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "cas.core.tasks.WorkerLost"
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "Ask for it again" in run.error
    assert not partial.exists()


@pytest.mark.django_db
def test_the_lease_keeper_renews_while_a_task_runs_and_releases_after():
    _, task = running_report(["me"])
    keeper = tasks.LeaseKeeper("me")
    with keeper.holding(task.pk):
        lease = TaskLease.objects.get(task_id=task.pk)
        assert lease.worker_id == "me" and lease.expires_at > clock.now()
        assert tasks.requeue_expired() == (0, 0)
    assert not TaskLease.objects.filter(task_id=task.pk).exists()


# A real worker, killed ----------------------------------------------------------------------------

SETUP = """
import datetime as dt
from cas.core.roles import Role
from cas.reporting import mi
from tests.factories import make_user, pdu
from tests.referral_factories import make_submitted

referrer = make_user(Role.CAS3_REFERRER, region_code="N51", pdu=pdu("N51LPLS"))
for crn in ("X100001", "X100002", "X100004"):
    make_submitted(referrer, crn)
reporter = make_user(Role.REPORTER, region_code="NA", username="task.reporter")
today = dt.date.today()
run = mi.request_report(reporter, "referrals", today - dt.timedelta(days=30), today + dt.timedelta(days=1), None, "csv")
print("RUN", run.pk)
"""


def report(db, run_id):
    with db.connect() as conn:
        return conn.execute(
            "select status, rows_expected, rows_written, attempts from reporting_reportrun where id = "
            + ("?" if db.vendor == "sqlite" else "%s"),
            (run_id.replace("-", "") if db.vendor == "sqlite" else run_id,),
        ).fetchone()


def task_row(db):
    with db.connect() as conn:
        return conn.execute("select status, worker_ids from django_tasks_database_dbtaskresult").fetchone()


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_killed_worker_s_report_is_finished_by_another_worker(vendor, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from tests.reliability.harness import ROOT

    reports = tmp_path / "reports"
    db = Database.fresh(
        vendor,
        tmp_path,
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        REPORTS_DIR=str(reports),
        TASKS_LEASE_MINUTES="0.05",  # 3 seconds, renewed every second
        TASKS_MAX_ATTEMPTS="3",
    )
    workers = []

    def worker(**extra):
        process = subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--no-startup-delay", "--interval", "0.2", "-v", "0"],
            cwd=ROOT,
            env={**db.env, **extra},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        workers.append(process)
        return process

    try:
        db.manage("migrate", "--no-input")
        run_id = next(line for line in db.shell(SETUP).splitlines() if line.startswith("RUN")).split()[1]
        assert task_row(db)[0] == "READY"

        marker = tmp_path / "paused"
        first = worker(CAS_FAULT_PAUSE="reports.generate", CAS_FAULT_MARKER=str(marker))
        wait_for(marker)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        status, expected, written, attempts = report(db, run_id)
        assert (status, attempts) == ("running", 1) and expected == 3
        assert task_row(db)[0] == "RUNNING"
        # Half a report is never served: only the partial file exists.
        assert list(reports.iterdir()) == [reports / f"{run_id}.csv.part"]

        worker()  # a healthy worker: requeues the task once its lease runs out, then runs it
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and report(db, run_id)[0] != "ready":
            time.sleep(0.3)
        status, expected, written, attempts = report(db, run_id)
        assert (status, expected, written, attempts) == ("ready", 3, 3, 2)
        task_status, worker_ids = task_row(db)
        assert task_status == "SUCCESSFUL"
        assert len(worker_ids if isinstance(worker_ids, list) else __import__("json").loads(worker_ids)) == 2
        lines = (reports / f"{run_id}.csv").read_text().splitlines()
        assert len(lines) == 4 and lines[0].startswith("Referral ID")
        assert not (reports / f"{run_id}.csv.part").exists()
    finally:
        for process in workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        db.drop()
