"""/readyz: ready only when the platform can do its work; 503 naming what stops it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fawang.consult import retrieval
from fawang.core.tasks import purge_expired_sms_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval, "has_index", lambda: True)


def test_ready_when_database_migrations_queue_and_lines_are(
    client: Client, index_built: None
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()  # "warnings" (serving, but degraded) depend on what ran before
    assert body["status"] == "ready" and "problems" not in body


def test_not_ready_without_the_consult_index(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retrieval, "has_index", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == {"consult": "咨询检索索引尚未载入"}
    assert client.get("/healthz").status_code == 200  # alive, just not ready


@override_settings(TASKS={"default": {"BACKEND": "fawang.core.jobs.DatabaseQueue"}})
def test_not_ready_when_no_worker_takes_the_jobs(client: Client, index_built: None) -> None:
    purge_expired_sms_codes.enqueue()
    assert client.get("/readyz").status_code == 200  # just queued: a worker has time
    long_ago = timezone.now() - timedelta(minutes=11)
    DBTaskResult.objects.update(enqueued_at=long_ago, run_after=long_ago)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "后台任务积压" in response.json()["problems"]["jobs"]
    # A job waiting for its retry time is not a stalled queue.
    DBTaskResult.objects.update(run_after=timezone.now() + timedelta(minutes=5))
    assert client.get("/readyz").status_code == 200
