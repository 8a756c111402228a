from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fawang.core.models import ScheduledRun
from fawang.core.scheduling import enqueue_due_jobs, periodic_jobs
from fawang.core.services import request_sms_code
from fawang.core.sms import MemorySmsBackend

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


# The database queue, as in production: the test is about what is enqueued, not about running it.
@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_each_periodic_job_is_enqueued_once_per_slot() -> None:
    names = {job.name for job in periodic_jobs()}
    assert {"audit.verify_chain", "core.purge_expired_sms_codes"} <= names
    now = timezone.now()
    assert set(enqueue_due_jobs(now)) == names
    assert enqueue_due_jobs(now) == []
    assert ScheduledRun.objects.count() == len(names)
    assert DBTaskResult.objects.count() == len(names)
    later = enqueue_due_jobs(now + timedelta(hours=1, minutes=1))
    assert "core.purge_expired_sms_codes" in later


# transaction=True: the worker checks its connection is in autocommit mode, as in production.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_sends_what_the_database_queue_holds() -> None:
    request_sms_code(phone="13900000001")
    assert MemorySmsBackend.outbox == []
    queued = DBTaskResult.objects.get()
    assert "13900000001" not in str(queued.args_kwargs)
    call_command("worker", "--batch")
    assert len(MemorySmsBackend.outbox) == 1
    phone, text = MemorySmsBackend.outbox[0]
    assert phone == "13900000001" and re.search(r"\d{6}", text)
