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
        "console_menu": SimpleLazyObject(
            lambda: header_menu(request, console_nav(request), CONSOLE_HEADER_LINKS)
        ),
        "portal_menu": SimpleLazyObject(
            lambda: header_menu(request, portal_nav(request), PORTAL_HEADER_LINKS)
        ),
    }


# Links shown in the header row itself (standard, elder mode); the rest open from 更多, and a
# citizen's own records from 我的. A dozen business lines no longer fit one row at 1280 px, and a
# second or third row of links was what users complained about (issue 13).
PORTAL_HEADER_LINKS = (7, 3)
CONSOLE_HEADER_LINKS = (8, 5)


def header_menu(
    request: HttpRequest, entries: list[NavEntry], links: tuple[int, int]
) -> dict[str, list[NavEntry]]:
    mine = [e for e in entries if e.citizens_only]
    pages = [e for e in entries if not e.citizens_only and not e.post]
    # An action (a seat's 领取下一单) is what the person came for: it never hides under 更多.
    actions = [e for e in entries if not e.citizens_only and e.post]
    shown = links[1] if getattr(request, "elder_mode", False) else links[0]
    return {"main": pages[:shown] + actions, "more": pages[shown:], "mine": mine}


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
