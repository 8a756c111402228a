"""The header: a few links in the row, the rest under 更多 and a citizen's own under 我的 — no
link of any line lost, however many lines register (issue 13: one row at 1280 px)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from fawang.core.context_processors import PORTAL_HEADER_LINKS
from fawang.core.middleware import ELDER_COOKIE
from fawang.core.registry import PORTAL, nav_entries
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def _header(html: str) -> str:
    return html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def _menu(header: str, label: str) -> str:
    match = re.search(rf"<summary[^>]*>{label}</summary>(.*?)</details>", header, re.S)
    assert match, f"no {label} menu"
    return match.group(1)


def test_every_portal_link_is_in_the_row_or_under_more(client: Any) -> None:
    header = _header(client.get(reverse("portal:home")).content.decode())
    public = [e for e in nav_entries(PORTAL) if not e.citizens_only]
    in_row = header.split("<details", 1)[0]
    more = _menu(header, "更多")
    for position, entry in enumerate(public):
        place = in_row if position < PORTAL_HEADER_LINKS[0] else more
        assert f'href="{reverse(entry.url_name)}"' in place, entry.label
    assert "我的" not in header  # nobody logged in: no 我的 menu


def test_a_citizen_finds_their_own_records_and_logout_under_mine(login_as: Any) -> None:
    citizen = login_as(make_citizen())
    header = _header(citizen.get(reverse("portal:home")).content.decode())
    mine = _menu(header, "我的")
    for entry in (e for e in nav_entries(PORTAL) if e.citizens_only):
        assert f'href="{reverse(entry.url_name)}"' in mine, entry.label
    assert reverse("portal:profile") in mine and reverse("portal:logout") in mine


def test_elder_mode_keeps_fewer_links_in_the_row(client: Any) -> None:
    client.cookies[ELDER_COOKIE] = "1"
    header = _header(client.get(reverse("portal:home")).content.decode())
    in_row = header.split("<details", 1)[0]
    public = [e for e in nav_entries(PORTAL) if not e.citizens_only]
    shown = [e for e in public if f'href="{reverse(e.url_name)}"' in in_row]
    assert len(shown) == PORTAL_HEADER_LINKS[1]


def test_a_seats_claim_next_button_stays_in_the_row(login_as: Any) -> None:
    from tests.factories import make_staff

    seat = login_as(make_staff(role="hotline_seat"))
    header = _header(seat.get(reverse("console:home")).content.decode())
    in_row = header.split("<details", 1)[0]
    assert "领取下一单" in in_row
