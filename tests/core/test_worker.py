"""Job leases (fawang.core.worker): a job whose worker died is taken again, a job that keeps
dying is failed, a job the database stopped is retried (issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fawang.core.worker import requeue_expired_leases
from tests.jobs import batch_worker

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "fawang.core.jobs.DatabaseQueue"}}


@task()
def locked_once() -> str:
    raise OperationalError("database is locked")


def _running_job(started_minutes_ago: int, attempts: int) -> DBTaskResult:
    with override_settings(TASKS=DB_TASKS):
        result = locked_once.using(backend="default").enqueue()
    job = DBTaskResult.objects.get(pk=result.id)
    job.status = TaskResultStatus.RUNNING
    job.started_at = timezone.now() - timedelta(minutes=started_minutes_ago)
    job.worker_ids = [f"dead-{n}" for n in range(attempts)]
    job.save()
    return job


@override_settings(TASKS=DB_TASKS, JOB_LEASE_SECONDS=600, JOB_MAX_ATTEMPTS=5)
def test_a_running_job_past_its_lease_is_ready_again_and_one_within_it_is_left() -> None:
    expired = _running_job(started_minutes_ago=11, attempts=1)
    current = _running_job(started_minutes_ago=2, attempts=1)
    assert requeue_expired_leases() == {"requeued": 1, "failed": 0}
    expired.refresh_from_db(), current.refresh_from_db()
    assert expired.status == TaskResultStatus.READY
    assert current.status == TaskResultStatus.RUNNING


@override_settings(TASKS=DB_TASKS, JOB_LEASE_SECONDS=600, JOB_MAX_ATTEMPTS=5)
def test_a_job_started_five_times_without_finishing_is_failed() -> None:
    poisonous = _running_job(started_minutes_ago=11, attempts=5)
    assert requeue_expired_leases() == {"requeued": 0, "failed": 1}
    poisonous.refresh_from_db()
    assert poisonous.status == TaskResultStatus.FAILED
    assert "started 5 times" in poisonous.traceback


@override_settings(TASKS=DB_TASKS, JOB_MAX_ATTEMPTS=5)
def test_a_job_the_database_stopped_is_retried_a_little_later() -> None:
    with override_settings(TASKS=DB_TASKS):
        result = locked_once.using(backend="default").enqueue()
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim("w1")
    worker = batch_worker("w1")
    worker.run_task(job)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert job.run_after > timezone.now()
