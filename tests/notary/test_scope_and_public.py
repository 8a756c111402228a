"""Scope: a notary sees only their office, a citizen only their own matters, the bureau its
region. The public certificate check shows nothing personal."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.errors import NotFound, PermissionDenied
from fawang.core.models import User
from fawang.notary import selectors, services
from tests.notary.helpers import World, apply, build_world, issue

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def test_notary_sees_only_their_office(w: World) -> None:
    mine = apply(w)
    theirs = apply(w, office_id=w.other_office.pk)
    assert list(selectors.matters_for_user(w.notary)) == [mine]
    with pytest.raises(NotFound):
        selectors.get_matter_for_user(w.notary, theirs.code)
    with pytest.raises(PermissionDenied):
        services.accept(theirs, acting_user=w.notary)


def test_citizen_sees_only_their_own(w: World) -> None:
    matter = apply(w)
    assert selectors.get_matter_for_user(w.citizen, matter.code) == matter
    with pytest.raises(NotFound):
        selectors.get_matter_for_user(w.other_citizen, matter.code)
    with pytest.raises(NotFound):
        services.book_visit(matter, 1, acting_user=w.other_citizen)


def test_bureau_sees_its_region(w: World) -> None:
    chaoyang = apply(w)
    haidian = apply(w, office_id=w.haidian_office.pk)
    assert set(selectors.matters_for_user(w.district_bureau)) == {chaoyang}
    assert set(selectors.matters_for_user(w.haidian_bureau)) == {haidian}
    assert set(selectors.matters_for_user(w.city_bureau)) == {chaoyang, haidian}


def test_other_citizen_gets_404_on_page_and_api(w: World, login_as: Login) -> None:
    matter = apply(w)
    client = login_as(w.other_citizen)
    assert client.get(f"/notary/mine/{matter.code}").status_code == 404
    response = client.get(f"/api/v1/notary/matters/{matter.code}")
    assert response.status_code == 404


def test_outsider_notary_gets_404_on_console_page(w: World, login_as: Login) -> None:
    matter = apply(w)
    client = login_as(w.outsider)
    assert client.get(f"/console/notary/{matter.code}/").status_code == 404
    assert client.post(f"/console/notary/{matter.code}/", {"action": "accept"}).status_code == 404


def test_public_verification_shows_nothing_personal(w: World) -> None:
    matter = issue(w, apply(w, applicant_name="欧阳明珠", applicant_phone="13987654321"))
    code = matter.certificate.verification_code
    client = Client()
    page = client.get("/notary/verify", {"code": code.replace("-", "").lower()})
    api = client.get(f"/api/v1/notary/certificates/{code}")
    assert page.status_code == 200 and api.status_code == 200
    body = api.json()
    assert body["status"] == "valid" and body["office"] == "北京市朝阳公证处"
    assert body["matter_type"] == "出生公证"
    assert set(body) == {
        "number",
        "matter_type",
        "office",
        "issued_on",
        "status",
        "status_label",
        "revoked_on",
    }
    html = page.content.decode()
    assert "有效" in html and "北京市朝阳公证处" in html
    id_number = services_read_id(matter)
    for secret in ("欧阳明珠", "13987654321", "3987", id_number, id_number[-4:], "张秀兰"):
        assert secret not in html and secret not in json.dumps(body, ensure_ascii=False)


def services_read_id(matter: object) -> str:
    """The applicant's clear ID number, read the way tests may (the value the helper typed)."""
    from tests.factories import valid_id_number

    return valid_id_number()


def test_revoked_certificate_says_so_and_unknown_code_is_404(w: World) -> None:
    matter = issue(w, apply(w))
    services.revoke_certificate(matter.certificate, "公证书内容与事实不符", acting_user=w.notary)
    client = Client()
    body = client.get(f"/api/v1/notary/certificates/{matter.certificate.verification_code}").json()
    assert body["status"] == "revoked" and body["revoked_on"]
    assert "公证书内容与事实不符" not in json.dumps(body, ensure_ascii=False)
    missing = client.get("/api/v1/notary/certificates/AAAA-BBBB-CCCC")
    assert missing.status_code == 404 and "核验码" in missing.json()["message"]
    bad = client.get("/api/v1/notary/certificates/abc")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_code"
    page = client.get("/notary/verify", {"code": "AAAA-BBBB-CCCC"})
    assert page.status_code == 404 and "没有找到" in page.content.decode()
