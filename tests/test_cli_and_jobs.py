from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fawang.core import broker
from fawang.core.models import ScheduledRun
from fawang.core.scheduling import enqueue_due_jobs, periodic_jobs
from fawang.core.services import request_sms_code
from fawang.core.sms import MemorySmsBackend
from fawang.core.tasks import send_sms_message
from tests import broker as test_broker

FAWANG = str(Path(sys.executable).parent / "fawang")


def run_fawang(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FAWANG_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [FAWANG, *args], env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_mode_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    result = run_fawang("check", FAWANG_MODE="production", FAWANG_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "FAWANG_SECRET_KEY or FAWANG_SECRET_KEY_FILE must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_demo_mode_generates_secrets_once_and_keeps_them(tmp_path: Path) -> None:
    assert run_fawang("check", FAWANG_VAR_DIR=str(tmp_path)).returncode == 0
    first = (tmp_path / "data_key").read_text()
    assert run_fawang("check", FAWANG_VAR_DIR=str(tmp_path)).returncode == 0
    assert (tmp_path / "data_key").read_text() == first and len(first) == 64
    assert oct((tmp_path / "data_key").stat().st_mode)[-3:] == "600"


def test_secrets_can_come_from_files(tmp_path: Path) -> None:
    (tmp_path / "s").write_text("x" * 50)
    (tmp_path / "d").write_text("ab" * 32)
    result = run_fawang(
        "check",
        FAWANG_MODE="production",
        FAWANG_VAR_DIR=str(tmp_path / "var"),
        FAWANG_SECRET_KEY_FILE=str(tmp_path / "s"),
        FAWANG_DATA_KEY_FILE=str(tmp_path / "d"),
        FAWANG_DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr


def test_hyphenated_verbs_reach_django_commands(tmp_path: Path) -> None:
    result = run_fawang("load-regions", "--help", FAWANG_VAR_DIR=str(tmp_path))
    assert result.returncode == 0 and "--city" in result.stdout


def test_a_command_on_a_database_never_migrated_says_what_to_run_first(tmp_path: Path) -> None:
    result = run_fawang("audit", "verify", FAWANG_VAR_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "数据库还没有建表" in result.stderr and "fawang migrate" in result.stderr
    assert "Traceback" not in result.stderr


SHOW_QUEUE_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps(["
    "s.TASKS['default']['BACKEND'], s.CACHES['default'].get('LOCATION', ''), "
    "'django_rq' in s.INSTALLED_APPS]))"
)


def test_the_broker_is_chosen_by_one_variable_and_the_default_stays_the_database(
    tmp_path: Path,
) -> None:
    default = run_fawang("shell", "-c", SHOW_QUEUE_SETTINGS, FAWANG_VAR_DIR=str(tmp_path))
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout.splitlines()[-1]) == [
        "fawang.core.jobs.DatabaseQueue",
        "",  # per-process memory
        False,
    ]
    on_broker = run_fawang(
        "shell",
        "-c",
        SHOW_QUEUE_SETTINGS,
        FAWANG_VAR_DIR=str(tmp_path),
        FAWANG_TASKS_BACKEND="rq",
        FAWANG_REDIS_URL="redis://127.0.0.1:6379/4",
    )
    assert on_broker.returncode == 0, on_broker.stderr
    # The cache moves to the same Redis, next database: a cache clear never empties the queue.
    assert json.loads(on_broker.stdout.splitlines()[-1]) == [
        "fawang.core.broker.RQBackend",
        "redis://127.0.0.1:6379/5",
        True,
    ]


# --- jobs, on both queues: the database (the default) and the broker (RQ on a real Redis) ------


@dataclass
class Queue:
    """What a test reads of the queue, whichever backend holds it."""

    backend: str

    def ids(self) -> list[str]:
        """The jobs waiting to run, oldest first."""
        if self.backend == "database":
            waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            return [str(pk) for pk in waiting.order_by("enqueued_at").values_list("pk", flat=True)]
        return list(broker.queue().get_job_ids())

    def stored_arguments(self, job_id: str) -> str:
        if self.backend == "database":
            return str(DBTaskResult.objects.get(pk=job_id).args_kwargs)
        job = broker.queue().fetch_job(job_id)
        return str((job.args, job.kwargs))


@pytest.fixture(params=["database", "rq"])
def tasks_backend(request: pytest.FixtureRequest) -> Iterator[Queue]:
    """The job tests run against the database queue and against RQ on a real Redis."""
    if request.param == "database":
        with override_settings(TASKS={"default": {"BACKEND": "fawang.core.jobs.DatabaseQueue"}}):
            yield Queue("database")
        return
    with (
        test_broker.empty_redis(test_broker.job_tests_url()) as address,
        override_settings(**test_broker.rq_settings(address)),
    ):
        yield Queue("rq")


# The test is about what is enqueued, not about running it.
@pytest.mark.django_db
def test_each_periodic_job_is_enqueued_once_per_slot(tasks_backend: Queue) -> None:
    names = {job.name for job in periodic_jobs()}
    assert {"audit.verify_chain", "core.purge_expired_sms_codes"} <= names
    now = timezone.now()
    assert set(enqueue_due_jobs(now)) == names
    assert enqueue_due_jobs(now) == []
    assert ScheduledRun.objects.count() == len(names)
    assert len(tasks_backend.ids()) == len(names)
    later = enqueue_due_jobs(now + timedelta(hours=1, minutes=1))
    assert "core.purge_expired_sms_codes" in later


# transaction=True: the worker checks its connection is in autocommit mode, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_the_queue_holds(tasks_backend: Queue) -> None:
    request_sms_code(phone="13900000001")
    assert MemorySmsBackend.outbox == []
    [job_id] = tasks_backend.ids()
    assert "13900000001" not in tasks_backend.stored_arguments(job_id)
    assert send_sms_message.get_result(job_id).status == TaskResultStatus.READY
    call_command("worker", "--batch")
    assert len(MemorySmsBackend.outbox) == 1
    phone, text = MemorySmsBackend.outbox[0]
    assert phone == "13900000001" and re.search(r"\d{6}", text)
    # The outcome is read back through the Tasks API, from the table or from Redis.
    result = send_sms_message.get_result(job_id)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.finished_at is not None
    assert tasks_backend.ids() == []


# Several schedulers racing for the same slots, each with its own database connection. Only
# PostgreSQL lets two writers truly overlap (SQLite serialises them at BEGIN).
@pytest.mark.django_db(transaction=True)
def test_schedulers_racing_for_a_slot_enqueue_each_job_once(tasks_backend: Queue) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only: concurrent schedulers need concurrent writers")
    names = {job.name for job in periodic_jobs()}
    schedulers, rounds = 3, 8
    start = timezone.now()
    longest = max(job.every for job in periodic_jobs())
    moments = [start + longest * n for n in range(rounds)]  # each a new slot of every job
    barrier = threading.Barrier(schedulers)
    enqueued: list[list[str]] = [[] for _ in moments]
    failures: list[BaseException] = []

    def scheduler() -> None:
        try:
            for n, moment in enumerate(moments):
                barrier.wait(timeout=30)
                enqueued[n].extend(enqueue_due_jobs(moment))
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(schedulers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    for names_in_round in enqueued:  # every job once per slot, whichever scheduler got it
        assert sorted(names_in_round) == sorted(names)
    assert ScheduledRun.objects.count() == len(names) * rounds
    assert len(tasks_backend.ids()) == len(names) * rounds  # no job lost, none doubled
