"""Every /api/ answer is JSON {code, message, field} with the right status, whatever refused it;
pages carry a Content-Security-Policy that allows no inline script (issue 12)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fawang.workorders.models import WorkOrder
from tests.conftest import CHAOYANG
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/workorders"


def _is_chinese_json(response, code: str) -> bool:  # type: ignore[no-untyped-def]
    body = response.json()
    return body["code"] == code and re.search(r"[\u4e00-\u9fff]", body["message"]) is not None


def test_a_wrong_bearer_token_on_a_post_is_401_not_a_csrf_failure() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        ORDERS, {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer fw_wrong"
    )
    assert response.status_code == 401 and _is_chinese_json(response, "unauthenticated")
    anonymous = client.post(ORDERS, {}, content_type="application/json")
    assert anonymous.status_code == 401 and _is_chinese_json(anonymous, "unauthenticated")


def test_a_session_post_without_the_csrf_token_is_a_json_403() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_citizen(region_code=CHAOYANG))
    response = client.post(ORDERS, {"description": "x"}, content_type="application/json")
    assert response.status_code == 403 and _is_chinese_json(response, "csrf_failed")


def test_a_body_over_the_limit_is_413_and_saves_nothing(client: Client) -> None:
    client.force_login(make_citizen(region_code=CHAOYANG))
    body = '{"description": "' + "长" * 1_000_000 + '"}'
    response = client.post(ORDERS, body, content_type="application/json")
    assert response.status_code == 413 and _is_chinese_json(response, "payload_too_large")
    assert not WorkOrder.objects.exists()


def test_a_body_that_is_not_json_is_415(client: Client) -> None:
    client.force_login(make_citizen(region_code=CHAOYANG))
    response = client.post(ORDERS, '{"description": "x"}', content_type="text/plain")
    assert response.status_code == 415 and _is_chinese_json(response, "unsupported_media_type")
    assert not WorkOrder.objects.exists()


def test_django_own_refusals_under_api_are_json(client: Client) -> None:
    missing = client.get("/api/v1/no-such-endpoint")
    assert missing.status_code == 404 and _is_chinese_json(missing, "not_found")
    wrong_method = client.delete("/api/v1/regions")
    assert wrong_method.status_code == 405 and _is_chinese_json(wrong_method, "method_not_allowed")


def test_pages_forbid_inline_script_and_have_none(client: Client) -> None:
    for url in ("/", "/requests/track/", "/console/login/"):
        response = client.get(url, follow=True)
        policy = response.headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        inline = re.findall(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", response.content.decode()
        )
        assert inline == [], (url, inline)
        assert (
            " onclick=" not in response.content.decode()
            and " onchange=" not in response.content.decode()
        )


def test_the_api_docs_and_favicon_are_served_by_us(client: Client) -> None:
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/favicon.ico").status_code == 301


def test_a_nul_character_in_a_query_is_400_not_a_server_error(client: Client) -> None:
    response = client.get("/api/v1/public/practitioners", {"search": "张\x00"})
    assert response.status_code == 400 and _is_chinese_json(response, "bad_request")
