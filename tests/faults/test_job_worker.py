"""The job worker under faults: killed mid-job, and the database locked or dropped under it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time

import pytest

from tests.faults.conftest import Platform, drop_connections_for, wait_for

pytestmark = pytest.mark.faults

SLOW_SMS = {
    "FAWANG_SMS_BACKEND": "tests.faults.backends.SlowFileSmsBackend",
    "FAWANG_JOB_LEASE_SECONDS": "2",
}

QUEUE_SMS = """
from django.db import transaction
from fawang.core.tasks import queue_sms_to_number
with transaction.atomic():
    for n in range({count}):
        queue_sms_to_number(f"1391111{{n:04d}}", f"故障测试第{{n}}条")
print("queued")
"""

JOB_STATES = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
print(json.dumps(Counter(DBTaskResult.objects.values_list("status", flat=True))))
"""


def _outbox(platform: Platform) -> list[dict[str, str]]:
    path = platform.var_dir / "sms-outbox.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _sending_unsent(platform: Platform) -> bool:
    """A send has started (the slow backend's marker) for a message not in the outbox yet."""
    marker = platform.var_dir / "sms-sending"
    if not marker.exists():
        return False
    started = marker.read_text(encoding="utf-8").split()
    return bool(started) and started[0] not in {message["key"] for message in _outbox(platform)}


def _all_succeeded(platform: Platform, count: int) -> bool:
    return bool(platform.query(JOB_STATES) == {"SUCCESSFUL": count})


def test_a_job_whose_worker_is_killed_mid_send_runs_again_and_texts_once(
    platform: Platform,
) -> None:
    count = 5
    platform.shell(QUEUE_SMS.format(count=count))
    worker = platform.start("worker", "--interval", "0.2", log="worker1.log", **SLOW_SMS)
    # Kill it in the middle of the second message: one delivered, one being sent.
    wait_for(lambda: len(_outbox(platform)) >= 1, 60, "the first SMS")
    wait_for(lambda: _sending_unsent(platform), 30, "the second send to start")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    assert platform.query(JOB_STATES).get("RUNNING") == 1  # the job it died in

    platform.start("worker", "--interval", "0.2", log="worker2.log", **SLOW_SMS)
    wait_for(lambda: _all_succeeded(platform, count), 90, "every job to finish", step=0.5)
    keys = [message["key"] for message in _outbox(platform)]
    phones = {message["phone"] for message in _outbox(platform)}
    print(
        f"\nkill -9 of the job worker: {count} jobs, {len(keys)} messages, {len(set(keys))} distinct"
    )
    assert len(keys) == len(set(keys)) == count  # every message once, none twice
    assert phones == {f"1391111{n:04d}" for n in range(count)}
    assert "made ready again" in platform.log("worker2.log")


def test_the_worker_waits_out_a_locked_or_dropped_database(platform: Platform) -> None:
    count = 3
    platform.shell(QUEUE_SMS.format(count=count))
    extra = {
        "FAWANG_SMS_BACKEND": "fawang.core.sms.FileSmsBackend",
        "FAWANG_SQLITE_TIMEOUT_SECONDS": "1",
        # A job whose connection was cut mid-run stays running until its lease ends.
        "FAWANG_JOB_LEASE_SECONDS": "2",
    }
    if platform.is_sqlite:
        holder = sqlite3.connect(platform.sqlite_file, isolation_level=None, timeout=10)
        holder.execute("BEGIN IMMEDIATE")  # what a backup tool or a stuck writer does
        worker = platform.start("worker", "--interval", "0.2", log="worker.log", **extra)
        wait_for(
            lambda: "database unavailable" in platform.log("worker.log"), 60, "the worker to notice"
        )
        time.sleep(3)  # several failed rounds, with back-off
        assert worker.poll() is None, platform.log("worker.log")
        assert _outbox(platform) == []
        holder.execute("ROLLBACK")
        holder.close()
    else:
        worker = platform.start("worker", "--interval", "0.2", log="worker.log", **extra)
        drop_connections_for(platform, seconds=4)
    wait_for(lambda: _all_succeeded(platform, count), 90, "every job to finish", step=0.5)
    assert worker.poll() is None  # still serving the queue, nobody restarted it
    assert len(_outbox(platform)) == count
