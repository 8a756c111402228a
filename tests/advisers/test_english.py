"""The adviser pages in English (the language cookie) and, by default, still in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.advisers.helpers import World, appointed, build_world
from tests.language import english

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def in_english(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    english(client)
    response = client.get(url, data or {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_a_villager_finds_their_adviser_in_english(w: World, login_as: Any) -> None:
    appointed(w)
    body = in_english(login_as(w.citizen), reverse("advisers:find"))
    assert "Find my village legal adviser" in body
    assert "Book a legal adviser" in body and "Appointment time" in body
    assert "Service list" in body and "顾问甲" in body  # the adviser's name is data
    assert "找我的村（居）法律顾问" not in body and "预约法律顾问" not in body


def test_the_coverage_page_in_english(w: World, login_as: Any) -> None:
    appointed(w)
    body = in_english(login_as(w.office), reverse("advisers:coverage"))
    assert "village legal adviser coverage" in body
    assert "Villages (communities) without a legal adviser" in body
    assert "Every village (community) has a legal adviser." not in body  # some are uncovered
    assert "法律顾问覆盖情况" not in body and "覆盖率" not in body


def test_an_error_is_shown_in_english(w: World, login_as: Any) -> None:
    appointed(w)
    client = login_as(w.citizen)
    english(client)
    response = client.post(
        reverse("advisers:find"),
        {"village": w.villages[0].code, "slot": "", "topic": "工伤赔偿", "mode": "video"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Please choose an appointment time." in body and "请选择预约时段" not in body


def test_the_pages_stay_chinese_by_default(w: World, client: Client, login_as: Any) -> None:
    appointed(w)
    find = client.get(reverse("advisers:find"), {"village": w.villages[0].code})
    assert "找我的村（居）法律顾问" in find.content.decode()
    assert "Find my village legal adviser" not in find.content.decode()
    coverage = login_as(w.office).get(reverse("advisers:coverage")).content.decode()
    assert "村（居）法律顾问覆盖情况" in coverage and "未配备法律顾问的村（居）" in coverage
