from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from fawang.core.registry import CONSOLE, PORTAL, NavEntry, nav_entries


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "elder_mode": getattr(request, "elder_mode", False),
        "demo_mode": settings.MODE == "demo",
        "console_nav": SimpleLazyObject(lambda: console_nav(request)),
        "portal_nav": SimpleLazyObject(lambda: portal_nav(request)),
    }


def console_nav(request: HttpRequest) -> list[NavEntry]:
    """The console links of the registered apps that this staff member's role may open."""
    user: Any = request.user
    if not (user.is_authenticated and user.is_staff_member):
        return []
    return [e for e in nav_entries(CONSOLE) if not e.roles or user.role in e.roles]


def portal_nav(request: HttpRequest) -> list[NavEntry]:
    user: Any = request.user
    citizen = user.is_authenticated and user.is_citizen
    return [e for e in nav_entries(PORTAL) if citizen or not e.citizens_only]
