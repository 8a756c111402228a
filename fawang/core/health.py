"""Is this server ready to serve? What `/readyz` reports (docs/operations.md, Health checks)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fawang.core.broker import broker_selected
from fawang.core.broker import queue_problem as broker_queue_problem
from fawang.core.models import ScheduledRun
from fawang.core.registry import readiness_checks, readiness_warnings

# A job ready this long and not taken means no worker is running (or it is stuck).
STALLED_QUEUE_SECONDS = 600


def _database_not_writable() -> str | None:
    # A write rolled back: a read-only or locked database fails here, and nothing is kept.
    with transaction.atomic():
        ScheduledRun.objects.create(name="readyz", slot=-secrets.randbelow(2**31) - 1)
        transaction.set_rollback(True)
    return None


def _migrations_pending() -> str | None:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return f"有 {len(pending)} 个数据库迁移尚未执行" if pending else None


def _job_queue_stalled() -> str | None:
    if broker_selected():  # the jobs are in Redis: reachable, and the oldest not left waiting
        return broker_queue_problem(timedelta(seconds=STALLED_QUEUE_SECONDS))
    limit = timezone.now() - timedelta(seconds=STALLED_QUEUE_SECONDS)
    # Due (run_after) long ago and still waiting; a job waiting for its retry time is not stalled.
    stalled = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lt=limit)
    return "后台任务积压：最早的待办任务已等待超过10分钟" if stalled.exists() else None


def readiness_problems() -> dict[str, str]:
    """What keeps the platform from doing its work, by check: the database takes writes, every
    migration is applied, the job queue moves, and each line that declared a check is ready."""
    problems: dict[str, str] = {}
    for name, check in (
        ("database", _database_not_writable),
        ("migrations", _migrations_pending),
        ("jobs", _job_queue_stalled),
        *readiness_checks(),
    ):
        try:
            problem = check()
        except Exception as error:  # a failing check is a finding, not a 500
            problem = f"检查失败：{type(error).__name__}"
        if problem:
            problems[name] = problem
    return problems


def readiness_notes() -> dict[str, str]:
    """What a line serves worse than it should, by line (shown by `/readyz`, never a 503)."""
    notes: dict[str, str] = {}
    for name, check in readiness_warnings():
        try:
            note = check()
        except Exception as error:
            note = f"检查失败：{type(error).__name__}"
        if note:
            notes[name] = note
    return notes
