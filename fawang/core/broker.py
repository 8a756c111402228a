"""Jobs on a broker: the Tasks API on RQ and Redis (``FAWANG_TASKS_BACKEND=rq``).

The database queue (``core.worker``) stays the default; this is the scale-out path
(docs/operations.md, "Jobs on a broker"). What it keeps of the database queue's promises:

- **Queued after the commit**, as before: ``core.jobs.after_commit`` calls ``enqueue`` only once
  the change is committed, whichever backend it is.
- **At least once, up to ``JOB_MAX_ATTEMPTS`` starts.** Every job is created with an RQ ``Retry``
  (:class:`RetryingQueue`): a job that fails, that outlives the lease (``JOB_LEASE_SECONDS``,
  RQ's job timeout) or whose worker died (RQ's abandoned-job clean-up) is queued again
  ``RETRY_DELAY_SECONDS`` later. The handlers are idempotent: an SMS job is keyed by its job id
  (``core.sms``), which RQ keeps across retries.
- **Results readable** through the Tasks API (``task.get_result(id)``), from Redis.
- **`fawang worker` runs it**: :func:`run_worker` is RQ's worker with its scheduler (for retries
  and jobs given a ``run_after``). A Redis outage makes the worker wait and retry.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import django_rq
import redis
from django.conf import settings
from django.db import close_old_connections
from django_rq.queues import DjangoRQ
from django_tasks_rq import Job
from django_tasks_rq import RQBackend as LibraryRQBackend
from redis.backoff import NoBackoff
from redis.retry import Retry as RedisRetry
from rq.job import Retry
from rq.worker import SimpleWorker

logger = logging.getLogger("fawang.worker")

QUEUE_NAME = "default"
RETRY_DELAY_SECONDS = 5
CLEAN_UP_SECONDS = 60
# How long /readyz waits for Redis before it calls it unreachable.
PROBE_TIMEOUT_SECONDS = 2.0


def broker_selected() -> bool:
    """Is the default Tasks backend this one (or the library's)?"""
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend.startswith(("fawang.core.broker.", "django_tasks_rq."))


class RetryingQueue(DjangoRQ):
    """Every job gets a Retry: failed, timed out or abandoned, it runs again, up to the attempts
    the database queue allows (``JOB_MAX_ATTEMPTS`` starts in all)."""

    def create_job(self, *args: Any, **kwargs: Any) -> Any:
        attempts = int(getattr(settings, "JOB_MAX_ATTEMPTS", 5))
        if kwargs.get("retry") is None and attempts > 1:
            kwargs["retry"] = Retry(max=attempts - 1, interval=RETRY_DELAY_SECONDS)
        return super().create_job(*args, **kwargs)


class RQBackend(LibraryRQBackend):
    """django-tasks-rq's backend; the worker and readiness of this module go with it."""


class PlatformWorker(SimpleWorker):
    """RQ's worker, running each job in the worker's own process as the database queue's worker
    does (no fork per job: the database connection is kept between jobs). A job that outlives the
    lease is stopped by RQ's timeout; a worker that dies leaves its job to RQ's abandoned-job
    clean-up, which retries it. Connections are handled as per request: an old or broken one is
    replaced before and after each job (PostgreSQL restarting, CONN_MAX_AGE)."""

    def perform_job(self, job: Any, queue: Any, *args: Any, **kwargs: Any) -> bool:
        close_old_connections()
        try:
            return bool(super().perform_job(job, queue, *args, **kwargs))
        finally:
            close_old_connections()

    def subscribe(self) -> None:
        # RQ's listener for stop commands polls every 60 s, and (with redis-py 8) stopping it
        # waits for that poll: every worker exit took a minute. One second instead.
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )


def queue() -> Any:
    """The platform's RQ queue (the jobs waiting to run)."""
    return django_rq.get_queue(QUEUE_NAME, job_class=Job)


def run_worker(*, burst: bool = False, max_jobs: int | None = None) -> bool:
    """RQ's worker on the platform's queue, with RQ's scheduler for delayed retries."""
    worker = django_rq.get_worker(
        QUEUE_NAME,
        job_class=Job,
        worker_class=f"{__name__}.PlatformWorker",  # RQ's hint wants a forking Worker
        # How often a worker looks for jobs abandoned by a dead worker (RQ's default: 10 min).
        maintenance_interval=CLEAN_UP_SECONDS,
    )
    logger.info("worker %s started on %s", worker.name, _redacted(settings.REDIS_URL))
    return bool(
        worker.work(burst=burst, max_jobs=max_jobs, with_scheduler=True, logging_level="INFO")
    )


def _redacted(url: str) -> str:
    """The Redis address without a password, for the log."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def queue_problem(stalled_after: timedelta) -> str | None:
    """What /readyz says about the broker: unreachable, or a job waiting too long (no worker)."""
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
        retry=RedisRetry(NoBackoff(), 0),  # one try: the probe answers within its timeout
    )
    try:
        client.ping()
        waiting = django_rq.get_queue(QUEUE_NAME, connection=client, job_class=Job)
        oldest_ids = waiting.get_job_ids(0, 1)
        oldest = waiting.fetch_job(oldest_ids[0]) if oldest_ids else None
    except redis.RedisError as error:
        return f"任务队列（Redis，{_redacted(settings.REDIS_URL)}）无法连接：{type(error).__name__}"
    finally:
        client.close()
    if oldest is None or oldest.enqueued_at is None:
        return None
    enqueued_at = oldest.enqueued_at
    if enqueued_at.tzinfo is None:
        enqueued_at = enqueued_at.replace(tzinfo=UTC)
    if datetime.now(UTC) - enqueued_at > stalled_after:
        return "后台任务积压：最早的待办任务已等待超过10分钟"
    return None
