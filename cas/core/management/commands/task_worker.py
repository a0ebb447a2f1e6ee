"""`manage.py task_worker`: django-tasks-db's `db_worker`, with leases (cas/core/tasks.py) so a
task whose worker dies is tried again, up to TASKS_MAX_ATTEMPTS times, instead of staying
'running' for ever. Same options as `db_worker` (except --reload)."""

from django_tasks_db.management.commands import db_worker

from cas.core.tasks import LeaseKeeper


class LeasedWorker(db_worker.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.keeper = LeaseKeeper(self.worker_id)

    def run(self) -> None:
        self.keeper.start()
        try:
            super().run()
        finally:
            self.keeper.stop()

    def run_task(self, db_task_result) -> None:
        with self.keeper.holding(db_task_result.pk):
            super().run_task(db_task_result)


class Command(db_worker.Command):
    help = "Run background tasks, requeueing those whose worker died (see cas/core/tasks.py)"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        worker = LeasedWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()
