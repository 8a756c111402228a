"""The service network's pages in English (the language cookie) and, by default, in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import CHAOYANG
from tests.language import english
from tests.network.helpers import bureaus, chaoyang_township, chaoyang_village, make_point

pytestmark = pytest.mark.django_db


def finder_query() -> dict[str, str]:
    village = chaoyang_village()
    return {
        "service": "legal_aid",
        "district": CHAOYANG,
        "township": village.parent.code,  # type: ignore[union-attr]
        "village": village.code,
    }


def test_the_finder_in_english(client: Client) -> None:
    make_point(chaoyang_township(), name="朝阳测试工作站")
    english(client)
    response = client.get("/service-points/", finder_query(), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Find the nearest public legal service point" in body
    assert "Estimated position" in body and "Opening hours" in body and "Nearest" in body
    assert "朝阳测试工作站" in body  # the point's name is data
    assert "找最近的公共法律服务点" not in body and "估算位置" not in body


def test_the_map_and_the_locate_button_speak_the_pages_language(client: Client) -> None:
    """The map's legend and the locate button's messages are drawn by scripts: they take their
    words from the page, so an English reader gets no Chinese legend."""
    make_point(chaoyang_township(), name="朝阳测试工作站")
    english(client)
    body = client.get("/service-points/", finder_query(), HTTP_ACCEPT_LANGUAGE="en").content
    page = body.decode()
    assert 'data-points="Service points"' in page and 'data-you="Your position"' in page
    assert 'data-gain=" (estimated new coverage: {n})"' in page
    assert 'data-failed="Your location could not be found; please choose your district."' in page
    assert "服务点" not in page.split('id="network-map"')[1].split(">")[0]
    chinese = Client().get("/service-points/", finder_query())
    assert 'data-points="服务点"' in chinese.content.decode()


def test_the_console_pages_in_english(login_as: Any) -> None:
    point = make_point(chaoyang_township(), name="朝阳测试工作站")
    client = login_as(bureaus()["chaoyang"])
    english(client)
    points = client.get("/console/network/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Public legal service points" in points and "Coverage and siting" in points
    assert "公共法律服务场所" not in points and "网络覆盖与选址" not in points
    detail = client.get(f"/console/network/{point.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Record an inspection" in detail.content.decode()
    assert "登记巡查" not in detail.content.decode()


def test_a_form_error_in_english(login_as: Any) -> None:
    client = login_as(bureaus()["chaoyang"])
    english(client)
    response = client.post(
        "/console/network/new",
        {"name": "New station", "level": "station", "region_code": CHAOYANG, "windows": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "the administrative area must be at" in body and "应设在" not in body


def test_the_pages_stay_chinese_by_default(client: Client) -> None:
    make_point(chaoyang_township(), name="朝阳测试工作站")
    body = client.get("/service-points/", finder_query()).content.decode()
    assert "找最近的公共法律服务点" in body and "估算位置" in body
    assert "Find the nearest public legal service point" not in body
