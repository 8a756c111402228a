"""The job worker: django-tasks-db's worker with leases and a worker that outlives the database.

What it guarantees (docs/operations.md, "Jobs"):

- **At least once.** A job is claimed with a lease (``JOB_LEASE_SECONDS``). A job still marked
  running when its lease has expired belonged to a worker that died (``kill -9``, power loss):
  it is made ready again and taken by the next worker. A job that has been started
  ``JOB_MAX_ATTEMPTS`` times without finishing is marked failed, so one poisonous job cannot take
  the queue down with it. Every handler is idempotent; the SMS jobs are keyed by job id
  (``core.sms``), so a message is not sent twice when its job runs twice.
- **It waits out the database.** A locked SQLite file, a read-only file, PostgreSQL restarting:
  the worker logs, waits (doubling up to ``MAX_BACKOFF_SECONDS``) and carries on. It exits only
  on an error that is not the database's (a bug), so the supervisor sees it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("fawang.worker")

MAX_BACKOFF_SECONDS = 30.0
# How often a worker looks for expired leases (each worker does; the update is idempotent).
LEASE_SWEEP_SECONDS = 15.0

# The database said no for now; anything else is a fault to exit on.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


TRANSIENT_ERROR_PATHS = frozenset(
    f"{error.__module__}.{error.__qualname__}" for error in TRANSIENT_DATABASE_ERRORS
)
RETRY_DELAY_SECONDS = 5


def lease_seconds() -> int:
    return int(getattr(settings, "JOB_LEASE_SECONDS", 600))


def max_attempts() -> int:
    return int(getattr(settings, "JOB_MAX_ATTEMPTS", 5))


def requeue_expired_leases(now: Any = None) -> dict[str, int]:
    """Jobs whose worker died mid-run: ready again, or failed after too many attempts."""
    now = now or timezone.now()
    expired = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - timedelta(seconds=lease_seconds())
    )
    requeued = failed = 0
    with transaction.atomic():
        for job in expired.select_for_update(skip_locked=True):
            if len(job.worker_ids) >= max_attempts():
                job.status = TaskResultStatus.FAILED
                job.finished_at = now
                job.exception_class_path = "fawang.core.worker.LeaseExpired"
                job.traceback = f"started {len(job.worker_ids)} times; no worker finished it"
                job.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
            else:
                job.status = TaskResultStatus.READY
                job.save(update_fields=["status"])
                requeued += 1
    if requeued or failed:
        logger.warning("jobs whose lease expired: %d made ready again, %d failed", requeued, failed)
    return {"requeued": requeued, "failed": failed}


class LeasedWorker(Worker):
    """The library's loop, plus the lease sweep and the back-off on database errors."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._next_sweep = 0.0
        self._backoff = 0.0

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        while self.running:
            try:
                finished = self._one_round()
            except TRANSIENT_DATABASE_ERRORS as error:
                self._wait_out(error)
                continue
            self._backoff = 0.0
            if finished:
                return

    def _one_round(self) -> bool:
        """Claim and run one job; True when the worker should stop (batch mode, max tasks)."""
        close_old_connections()
        if time.monotonic() >= self._next_sweep:
            requeue_expired_leases()
            self._next_sweep = time.monotonic() + min(LEASE_SWEEP_SECONDS, lease_seconds() / 2)
        job = self._claim_next()
        if job is not None:
            self.run_task(job)
        if self.batch and job is None:
            return True
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return True
        close_old_connections()
        if self.running and job is None:
            time.sleep(self.interval)
        return False

    def _claim_next(self) -> DBTaskResult | None:
        jobs = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            jobs = jobs.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            jobs = jobs.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(jobs.db):
            job = jobs.get_locked()
            if job is not None:
                job.claim(self.worker_id)
        return job

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the job; one the database stopped for now (not a bug in it) is tried again."""
        super().run_task(db_task_result)
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in TRANSIENT_ERROR_PATHS
        ):
            _retry_later(db_task_result)

    def _wait_out(self, error: Exception) -> None:
        self._backoff = min(MAX_BACKOFF_SECONDS, max(0.5, self._backoff * 2))
        logger.warning(
            "database unavailable (%s: %s); retrying in %.1f s",
            type(error).__name__,
            str(error).splitlines()[0] if str(error) else "",
            self._backoff,
        )
        with contextlib.suppress(*TRANSIENT_DATABASE_ERRORS):
            close_old_connections()
        time.sleep(self._backoff)


def _retry_later(job: DBTaskResult) -> None:
    """Ready again in a few seconds, unless it has used up its attempts (then it stays failed)."""
    if len(job.worker_ids) >= max_attempts():
        return
    logger.warning("job %s (%s) met a database error; retrying", job.id, job.task_path)
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + timedelta(seconds=RETRY_DELAY_SECONDS),
        finished_at=None,
    )
