"""Jobs on the broker (FAWANG_TASKS_BACKEND=rq, core.broker): readiness names Redis, and a failed
job runs again up to the attempts the database queue allows. The scenarios both queues share are
in tests/test_cli_and_jobs.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks import task
from django_tasks.base import TaskResultStatus

from fawang.consult import retrieval
from fawang.core import broker
from tests import broker as test_broker

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


@task()
def flaky(fail_times: int) -> str:
    """Fails its first ``fail_times`` runs (a gateway down for a while), then succeeds."""
    CALLS.append("run")
    if len(CALLS) <= fail_times:
        raise ConnectionError("短信网关暂时不可用")
    return "sent"


@pytest.fixture
def on_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(retrieval, "has_index", lambda: True)
    CALLS.clear()
    with (
        test_broker.empty_redis(test_broker.job_tests_url()) as address,
        override_settings(**test_broker.rq_settings(address)),
    ):
        yield


def test_readyz_names_an_unreachable_redis_in_chinese(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retrieval, "has_index", lambda: True)
    with override_settings(**test_broker.rq_settings("redis://127.0.0.1:1/0")):  # nothing there
        response = client.get("/readyz")
    assert response.status_code == 503
    problem = response.json()["problems"]["jobs"]
    assert problem.startswith("任务队列（Redis，redis://127.0.0.1:1/0）无法连接")


def test_readyz_on_the_broker_is_ready_then_reports_a_job_left_waiting(
    client: Client, on_redis: None
) -> None:
    result = flaky.enqueue(0)
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and "problems" not in ready  # warnings may be there
    job = broker.queue().fetch_job(result.id)
    job.enqueued_at = datetime.now(UTC) - timedelta(minutes=11)  # no worker for eleven minutes
    job.save()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == {"jobs": "后台任务积压：最早的待办任务已等待超过10分钟"}


@pytest.mark.django_db(transaction=True)
def test_a_failed_broker_job_runs_again_and_succeeds(
    on_redis: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(broker, "RETRY_DELAY_SECONDS", 0)  # at once, for the test
    result = flaky.enqueue(2)
    call_command("worker", "--batch")
    assert CALLS == ["run", "run", "run"]
    done = flaky.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == "sent"
    assert done.finished_at is not None


@pytest.mark.django_db(transaction=True)
@override_settings(JOB_MAX_ATTEMPTS=3)
def test_a_broker_job_failing_every_time_stops_after_the_last_attempt(
    on_redis: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(broker, "RETRY_DELAY_SECONDS", 0)
    result = flaky.enqueue(99)
    call_command("worker", "--batch")
    assert len(CALLS) == 3  # JOB_MAX_ATTEMPTS starts, as with the database queue
    failed = flaky.get_result(result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert "短信网关暂时不可用" in failed.errors[-1].traceback
