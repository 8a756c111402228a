"""Issue 13 item 4: no code (``snake_case``) in the text a person reads. Renders the main pages of
every role — each console navigation entry the role sees, the portal's pages for a visitor and a
citizen — with some data in them, and fails on a ``snake_case`` token in the visible text."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from fawang.core.models import InstitutionKind, Role, User
from fawang.core.registry import CONSOLE, PORTAL, nav_entries
from tests.conftest import CHAOYANG
from tests.factories import make_institution, make_staff
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db

# A dotted name counts too: ``workorders.web_claimed_in_time`` is a code a person cannot read.
SNAKE = re.compile(r"(?<![\w/:#=-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/:-])")
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>|<!--.*?-->", re.S | re.I)
SHOWN_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')


def visible_text(page: str) -> str:
    page = HIDDEN.sub(" ", page)
    shown = " ".join(SHOWN_ATTRIBUTES.findall(page))
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(f"{text} {shown}")


def snake_tokens(page: str) -> set[str]:
    return set(SNAKE.findall(visible_text(page)))


def test_the_check_finds_a_code_and_ignores_markup() -> None:
    page = '<p class="a_b">调解来源：petition_office</p><script>var x_y = 1;</script>'
    assert snake_tokens(page) == {"petition_office"}
    assert snake_tokens('<a href="/x_y/">链接</a><input name="reply_text">') == set()
    assert snake_tokens("<td>pct(workorders.web_claimed_in_time, x)</td>") == {
        "web_claimed_in_time"
    }


def _pages(client: Client, face: str, role: str | None) -> dict[str, str]:
    found = {}
    for entry in nav_entries(face):
        if entry.post or (face == CONSOLE and entry.roles and role not in entry.roles):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found[url] = response.content.decode()
    return found


def _world() -> Any:
    world = build_world()
    new_order(world.seat, special_groups=("elderly",), language="csl", home_visit=True)
    new_order(world.citizen, channel="web", business_line="mediation", topic="marriage_family")
    return world


STAFF_ROLES = [
    Role.HOTLINE_SEAT,
    Role.WINDOW_CLERK,
    Role.LEGAL_AID_OFFICER,
    Role.MEDIATOR,
    Role.SUPERVISOR_TOWNSHIP,
    Role.SUPERVISOR_DISTRICT,
    Role.SUPERVISOR_CITY,
]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_code_in_the_console_pages_of(role: str, login_as: Any) -> None:
    world = _world()
    institution = None
    if role in {Role.HOTLINE_SEAT, Role.WINDOW_CLERK}:
        institution = world.centre
    elif role == Role.LEGAL_AID_OFFICER:
        institution = world.aid_centre
    elif role == Role.MEDIATOR:
        institution = make_institution(CHAOYANG, InstitutionKind.MEDIATION_COMMITTEE)
    region_code = "110105001000" if role == Role.SUPERVISOR_TOWNSHIP else CHAOYANG
    if role == Role.SUPERVISOR_CITY:
        region_code = "110000000000"
    user: User = make_staff(role, region_code=region_code, institution=institution)
    pages = _pages(login_as(user), CONSOLE, role)
    assert pages, "the role sees no page at all"
    found = {url: tokens for url, page in pages.items() if (tokens := snake_tokens(page))}
    assert found == {}


def test_no_code_in_the_portal_pages(client: Client, login_as: Any) -> None:
    world = _world()
    pages = _pages(client, PORTAL, None) | _pages(login_as(world.citizen), PORTAL, None)
    found = {url: tokens for url, page in pages.items() if (tokens := snake_tokens(page))}
    assert found == {}


def test_no_code_on_the_statistics_pages_with_data(login_as: Any) -> None:
    """The pages issue 13 found codes on: 调解统计 (sources, types, the pack) and the indicators'
    definitions and board, for a district supervisor, with a dispute in the figures."""
    from tests.mediation.helpers import build_world as mediation_world
    from tests.mediation.helpers import citizen_dispute

    world = mediation_world()
    citizen_dispute(world)
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    urls = [
        reverse("mediation:figures"),
        reverse("indicators:definitions"),
        reverse("indicators:board", args=[CHAOYANG]),
    ]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if tokens := snake_tokens(response.content.decode()):
            found[url] = tokens
    assert found == {}


def test_formulas_and_passages_read_as_words() -> None:
    from fawang.indicators.wording import formula_text, passage_text

    text = formula_text("pct(workorders.web_claimed_in_time, workorders.web_created)")
    assert text == "网络平台工单按时领取数 ÷ 网络平台工单数 × 100%"
    assert snake_tokens(f"<td>{text}</td>") == set()
    assert passage_text("BJ-measures 10：严格").startswith("《北京市司法局关于深入推进")
    assert formula_text("per_10k(latest(core.lawyers))") == "律师人数（期末数） ÷ 常住人口 × 1万"


def test_every_counter_in_the_shipped_packs_has_a_label() -> None:
    import re as regex

    from fawang.indicators.wording import COUNTER_LABELS
    from fawang.policy.packs import shipped_packs

    used = set()
    for pack in shipped_packs():
        for indicator in pack.raw.get("indicators", []):
            used |= set(regex.findall(r"[a-z_]+\.[a-z0-9_]+", indicator.get("formula") or ""))
    assert used and used <= set(COUNTER_LABELS)


def test_excel_values_are_rounded_to_two_decimals() -> None:
    from fawang.indicators.render import rounded

    assert rounded(82.35294117647058) == 82.35 and rounded(7) == 7 and rounded(None) is None
