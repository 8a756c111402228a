from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"elder_mode": getattr(request, "elder_mode", False)}
