from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from fawang.core import services
from fawang.core.models import Institution, Role, User
from fawang.core.sms import MemorySmsBackend
from tests.conftest import BEIJING, CHAOYANG
from tests.factories import make_institution, make_staff, valid_id_number

pytestmark = pytest.mark.django_db

_VALID = valid_id_number()
WRONG_CHECK_CHARACTER = _VALID[:17] + ("1" if _VALID[17] == "0" else "0")


def test_healthz_answers_with_the_database_vendor(client: Client) -> None:
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["database"] in {"sqlite", "postgresql"}


def test_openapi_schema_is_served(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/institutions/{institution_id}" in schema["paths"]
    assert "BearerAuth" in str(schema["components"]["securitySchemes"]) or schema["components"]


def test_regions_are_public_and_listed_by_parent(client: Client) -> None:
    data = client.get(f"/api/v1/regions?parent={CHAOYANG}&limit=500").json()
    assert data["count"] >= 40  # Chaoyang has 43 streets and area offices
    assert all(row["parent_code"] == CHAOYANG for row in data["items"])
    districts = client.get(f"/api/v1/regions?parent={BEIJING}&limit=100").json()
    assert districts["items"][0]["resident_population"] > 100_000


def test_unknown_region_code_gets_a_chinese_404(client: Client) -> None:
    response = client.get("/api/v1/regions/999999999999")
    assert response.status_code == 404
    assert "未知的行政区划代码" in response.json()["message"]


def test_integration_authenticates_with_a_bearer_token(client: Client) -> None:
    security = make_staff(Role.SECURITY_ADMIN, region_code=BEIJING)
    integration = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG, totp=False)
    make_institution(CHAOYANG)
    token = services.issue_api_token(
        acting_user=security, account=integration, name="12348 话务系统"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/institutions", **auth).json()["count"] >= 1
    api_token = integration.api_tokens.get()
    assert api_token.last_used_at is not None and token not in api_token.token_hash
    services.revoke_api_token(acting_user=security, api_token=api_token)
    response = client.get("/api/v1/institutions", **auth)
    assert response.status_code == 401
    assert "登录" in response.json()["message"]


def test_anonymous_request_gets_401_in_chinese(client: Client) -> None:
    response = client.get("/api/v1/institutions")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def _registration(client: Client, on_commit: Any, phone: str, **extra: str):  # type: ignore[no-untyped-def]
    with on_commit(execute=True):  # the code is texted once it is committed
        client.post("/api/v1/citizens/sms-code", {"phone": phone}, content_type="application/json")
    match = re.search(r"\d{6}", MemorySmsBackend.outbox[-1][1]) if MemorySmsBackend.outbox else None
    code = match.group(0) if match else ""
    payload = {"phone": phone, "sms_code": code, "password": "Spring-2026-ok", **extra}
    return client.post("/api/v1/citizens", payload, content_type="application/json")


def test_sms_code_is_what_the_registration_accepts(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = _registration(
        client, django_capture_on_commit_callbacks, "13500000001", id_number=valid_id_number()
    )
    assert response.status_code == 201
    assert response.json()["id_number"].count("*") == 8
    assert response.json()["phone"] == "135****0001"


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"id_number": WRONG_CHECK_CHARACTER}, "id_number", "校验位"),
        ({"id_number": "1101051980"}, "id_number", "18位"),
        ({"region_code": "110199999999"}, "region_code", "未知的行政区划代码"),
    ],
)
def test_bad_registration_input_gets_400_and_saves_nothing(
    client: Client,
    extra: dict[str, str],
    field: str,
    words: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = _registration(client, django_capture_on_commit_callbacks, "13500000002", **extra)
    assert response.status_code == 400
    assert response.json()["field"] == field and words in response.json()["message"]
    assert not User.objects.filter(role=Role.CITIZEN).exists()


def test_oversized_fields_get_422_with_a_chinese_message(client: Client) -> None:
    response = client.post(
        "/api/v1/citizens",
        {"phone": "1" * 5000, "sms_code": "1", "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("输入有误")
    assert not User.objects.filter(role=Role.CITIZEN).exists()


def test_oversized_institution_name_gets_400_and_keeps_the_old_one(login_as) -> None:  # type: ignore[no-untyped-def]
    firm = make_institution(CHAOYANG, name="北京测试律师事务所")
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.patch(
        f"/api/v1/institutions/{firm.pk}", {"name": "名" * 300}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "名称不能超过200个字。"
    assert Institution.objects.get(pk=firm.pk).name == "北京测试律师事务所"


def test_unknown_field_in_a_patch_is_refused(login_as) -> None:  # type: ignore[no-untyped-def]
    firm = make_institution(CHAOYANG)
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.patch(
        f"/api/v1/institutions/{firm.pk}", {"status": "bogus"}, content_type="application/json"
    )
    assert response.status_code == 400 and "未知" in response.json()["message"]
