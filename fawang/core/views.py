from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from fawang.core import services
from fawang.core.middleware import ELDER_COOKIE
from fawang.core.models import ScheduledRun
from fawang.core.registry import readiness_checks


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": connection.vendor})


# A job ready this long and not taken means no worker is running (or it is stuck).
STALLED_QUEUE_SECONDS = 600


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database takes writes, every migration is applied, the job queue moves,
    and each line that declared a readiness check is ready. 503 with what is wrong otherwise."""
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
    if problems:
        return JsonResponse({"status": "not_ready", "problems": problems}, status=503)
    return JsonResponse({"status": "ready"})


def _database_not_writable() -> str | None:
    with transaction.atomic():
        ScheduledRun.objects.create(name="readyz", slot=-secrets.randbelow(2**31) - 1)
        transaction.set_rollback(True)
    return None


def _migrations_pending() -> str | None:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return f"有 {len(pending)} 个数据库迁移尚未执行" if pending else None


def _job_queue_stalled() -> str | None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    limit = timezone.now() - timedelta(seconds=STALLED_QUEUE_SECONDS)
    # A job waiting for its retry time (run_after) is not stalled; one due long ago is.
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lt=limit)
    oldest = waiting.filter(enqueued_at__lt=limit).first()
    return "后台任务积压：最早的待办任务已等待超过10分钟" if oldest is not None else None


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def toggle_elder_mode(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    if request.user.is_authenticated:
        services.set_elder_mode(user=request.user, enabled=enabled)
    response = redirect(safe_next(request))
    response.set_cookie(
        ELDER_COOKIE, "1" if enabled else "0", max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response
