from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from fawang.core import health, services
from fawang.core.middleware import ELDER_COOKIE
from fawang.core.personal_data import PHONE, mask
from fawang.core.sms import recent_outbox


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
    notes = health.readiness_notes()
    extra = {"warnings": notes} if notes else {}
    if problems:
        return JsonResponse({"status": "not_ready", "problems": problems, **extra}, status=503)
    return JsonResponse({"status": "ready", **extra})


@require_GET
def demo_sms_inbox(request: HttpRequest) -> HttpResponse:
    """Demo mode only: the texts the platform would have sent, so whoever tries the demo can read
    their registration code. The numbers are masked; there is no such page in production."""
    if settings.MODE != "demo":
        raise Http404
    messages = [
        {
            "at": parse_datetime(message.get("at", "")),
            "phone": mask(PHONE, message.get("phone", "")),
            "text": message.get("text", ""),
        }
        for message in recent_outbox()
    ]
    return render(request, "core/demo_sms.html", {"sms_messages": messages})


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
