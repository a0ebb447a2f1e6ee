"""Background tasks that survive their worker: leases, requeueing and a bounded number of attempts.

Production runs tasks with django-tasks-db and `manage.py task_worker` (not the bare `db_worker`).
A worker takes a lease on the task it claims and renews it every third of TASKS_LEASE_MINUTES while
the task runs. If the worker dies, the lease runs out; any worker's lease keeper then finds the task
(`requeue_expired`) and puts it back in the queue, or, once it has been tried TASKS_MAX_ATTEMPTS
times, marks it failed and tells its owner (`on_abandoned`), so nothing waits for ever.

Tasks are written to be run again safely: each does its work in one transaction, or starts over
(MI reports write a fresh file and only then replace the old one), so a retried task is never half
applied.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from cas.core import clock
from cas.core.models import TaskLease

log = logging.getLogger(__name__)

# Task path -> what to do when a task is given up (e.g. mark the report failed), called with the
# task's args and kwargs.
_ABANDON_HANDLERS: dict[str, Callable[..., None]] = {}


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped every time it was tried."""


def on_abandoned(task) -> Callable:
    """Register what to do when `task` is given up after TASKS_MAX_ATTEMPTS lost workers."""

    def register(handler: Callable[..., None]) -> Callable[..., None]:
        _ABANDON_HANDLERS[task.module_path] = handler
        return handler

    return register


def lease_length() -> dt.timedelta:
    return dt.timedelta(minutes=settings.TASKS_LEASE_MINUTES)


def renew(task_id, worker_id: str) -> None:
    TaskLease.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id, "expires_at": clock.now() + lease_length()}
    )


def release(task_id) -> None:
    TaskLease.objects.filter(task_id=task_id).delete()


def requeue_expired(now: dt.datetime | None = None) -> tuple[int, int]:
    """Put back RUNNING tasks whose worker is gone (lease expired, or never taken and started
    longer ago than a lease); fail those already tried TASKS_MAX_ATTEMPTS times.
    Returns (requeued, given up)."""
    now = now or clock.now()
    requeued = given_up = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    leased = dict(TaskLease.objects.filter(task_id__in=running.values("id")).values_list("task_id", "expires_at"))
    candidates = [
        pk
        for pk, started in running.values_list("id", "started_at")
        if (leased[pk] <= now if pk in leased else (started is None or started + lease_length() <= now))
    ]
    for pk in candidates:
        abandoned = None
        with transaction.atomic():
            task = DBTaskResult.objects.select_for_update().filter(pk=pk, status=TaskResultStatus.RUNNING).first()
            lease = TaskLease.objects.select_for_update().filter(task_id=pk).first()
            if task is None or (lease is not None and lease.expires_at > now):
                continue  # finished, or renewed, since we looked
            attempts = len(task.worker_ids)
            if attempts >= settings.TASKS_MAX_ATTEMPTS:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                task.traceback = f"The worker running this task stopped before it finished, {attempts} times; given up."
                task.return_value = None
                task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"])
                abandoned = task
                given_up += 1
            else:
                task.status = TaskResultStatus.READY
                task.run_after = get_date_max()
                task.save(update_fields=["status", "run_after"])
                requeued += 1
            TaskLease.objects.filter(task_id=pk).delete()
        log.warning(
            "Task %s (%s) lost its worker after attempt %d: %s",
            pk,
            task.task_path,
            attempts,
            "given up" if abandoned else "requeued",
        )
        if abandoned is not None and abandoned.task_path in _ABANDON_HANDLERS:
            args = abandoned.args_kwargs or {}
            _ABANDON_HANDLERS[abandoned.task_path](*args.get("args", []), **args.get("kwargs", {}))
    return requeued, given_up


class LeaseKeeper:
    """A thread in each worker process: renews the lease of the task the worker is running and
    requeues other workers' expired tasks, every third of a lease."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.current = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, name="cas-lease-keeper", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    @contextmanager
    def holding(self, task_id):
        renew(task_id, self.worker_id)
        with self._lock:
            self.current = task_id
        try:
            yield
        finally:
            with self._lock:
                self.current = None
            release(task_id)

    def _loop(self) -> None:
        interval = max(lease_length().total_seconds() / 3, 0.5)
        while not self._stop.wait(interval):
            try:
                close_old_connections()
                with self._lock:
                    current = self.current
                if current is not None:
                    renew(current, self.worker_id)
                requeue_expired()
            except Exception:  # a keeper that dies would let every lease lapse: log and go on
                log.exception("Lease keeper failed; trying again")
        connection.close()
