from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from fawang.core import health, services
from fawang.core.middleware import ELDER_COOKIE


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve (core.health); 503 naming each problem otherwise."""
    problems = health.readiness_problems()
    if problems:
        return JsonResponse({"status": "not_ready", "problems": problems}, status=503)
    return JsonResponse({"status": "ready"})


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
