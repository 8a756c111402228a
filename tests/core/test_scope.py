"""The scope matrix: each staff role against an object outside its scope gets 404, changes nothing."""

from __future__ import annotations

import pytest

from fawang.core.models import Institution, InstitutionKind, Practitioner, Role
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_citizen, make_institution, make_practitioner, make_staff

pytestmark = pytest.mark.django_db

JIANWAI = "110105001000"  # a township (street) of Chaoyang
CHANG_AN_SJZ = "130102000000"  # a district of Shijiazhuang

INSTITUTION_ROLES = [
    (Role.LAWYER, InstitutionKind.LAW_FIRM),
    (Role.LEGAL_AID_OFFICER, InstitutionKind.LEGAL_AID_CENTRE),
    (Role.MEDIATOR, InstitutionKind.MEDIATION_COMMITTEE),
    (Role.NOTARY, InstitutionKind.NOTARY_OFFICE),
    (Role.APPRAISER, InstitutionKind.APPRAISAL_INSTITUTION),
    (Role.COMMUNITY_ADVISER, InstitutionKind.LAW_FIRM),
]
# role, the region it is scoped to, a region inside that scope, a region outside it
REGION_ROLES = [
    (Role.HOTLINE_SEAT, CHAOYANG, CHAOYANG, HAIDIAN),
    (Role.WINDOW_CLERK, CHAOYANG, JIANWAI, HAIDIAN),
    (Role.SUPERVISOR_DISTRICT, CHAOYANG, JIANWAI, HAIDIAN),
    (Role.SUPERVISOR_TOWNSHIP, JIANWAI, JIANWAI, CHAOYANG),
    (Role.SUPERVISOR_CITY, BEIJING, HAIDIAN, CHANG_AN_SJZ),
]


def _cases() -> list[tuple[str, str]]:
    return [(role, "institution") for role, _ in INSTITUTION_ROLES] + [
        (role, "region") for role, *_ in REGION_ROLES
    ]


def _world(role: str) -> tuple[object, Institution, Institution]:
    """The acting user, an institution inside their scope, one outside it."""
    for candidate, kind in INSTITUTION_ROLES:
        if candidate == role:
            own = make_institution(CHAOYANG, kind=kind)
            other = make_institution(CHAOYANG, kind=kind)
            return make_staff(role, institution=own), own, other
    for candidate, scope_code, inside, outside in REGION_ROLES:
        if candidate == role:
            return (
                make_staff(role, region_code=scope_code),
                make_institution(inside),
                make_institution(outside),
            )
    raise AssertionError(role)


@pytest.mark.parametrize(("role", "kind"), _cases())
def test_staff_reads_inside_scope_and_gets_404_outside(login_as, role: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    user, own, other = _world(role)
    own_person, other_person = make_practitioner(own), make_practitioner(other)
    client = login_as(user)

    assert client.get(f"/console/institutions/{own.pk}/").status_code == 200
    assert client.get(f"/api/v1/institutions/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/practitioners/{own_person.pk}").status_code == 200

    assert client.get(f"/console/institutions/{other.pk}/").status_code == 404
    assert client.get(f"/console/practitioners/{other_person.pk}/").status_code == 404
    response = client.get(f"/api/v1/institutions/{other.pk}")
    assert response.status_code == 404
    assert response.json()["message"] == "未找到该记录，或您无权查看。"
    assert client.get(f"/api/v1/practitioners/{other_person.pk}").status_code == 404
    listed = {row["id"] for row in client.get("/api/v1/institutions?limit=1000").json()["items"]}
    assert own.pk in listed and other.pk not in listed


@pytest.mark.parametrize(("role", "kind"), _cases())
def test_writes_outside_scope_get_404_and_change_nothing(login_as, role: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    user, _, other = _world(role)
    other_person = make_practitioner(other)
    client = login_as(user)
    name = other.name

    page = client.post(
        f"/console/institutions/{other.pk}/",
        {"name": "篡改", "status": "closed", "party_organisation": "none"},
    )
    api = client.patch(
        f"/api/v1/institutions/{other.pk}", {"name": "篡改"}, content_type="application/json"
    )
    status = client.post(
        f"/console/practitioners/{other_person.pk}/",
        {"action": "status", "status": "revoked", "reason": "x"},
    )
    reveal = client.post(
        "/api/v1/personal-data/reveal",
        {
            "subject_type": "practitioner",
            "subject_id": other_person.pk,
            "field": "phone",
            "reason": "x",
        },
        content_type="application/json",
    )

    assert [page.status_code, api.status_code, status.status_code, reveal.status_code] == [404] * 4
    other.refresh_from_db()
    assert (other.name, other.status) == (name, "active")
    assert Practitioner.objects.get(pk=other_person.pk).status == "practising"


def test_district_supervisor_edits_an_institution_in_their_district(login_as) -> None:  # type: ignore[no-untyped-def]
    firm = make_institution(JIANWAI)
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.patch(
        f"/api/v1/institutions/{firm.pk}",
        {"address": "朝阳区建国门外大街1号", "party_organisation": "independent"},
        content_type="application/json",
    )
    assert response.status_code == 200
    firm.refresh_from_db()
    assert (firm.address, firm.party_organisation) == ("朝阳区建国门外大街1号", "independent")


def test_a_lawyer_cannot_edit_even_their_own_firm(login_as) -> None:  # type: ignore[no-untyped-def]
    firm = make_institution(CHAOYANG)
    client = login_as(make_staff(Role.LAWYER, institution=firm))
    response = client.patch(
        f"/api/v1/institutions/{firm.pk}", {"name": "新名"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "无权" in response.json()["message"]
    firm.refresh_from_db()
    assert firm.name != "新名"


def test_a_citizen_reads_only_their_own_record(login_as) -> None:  # type: ignore[no-untyped-def]
    me, other = make_citizen(), make_citizen()
    client = login_as(me)
    assert client.get(f"/api/v1/citizens/{me.pk}").json()["id"] == me.pk
    response = client.get(f"/api/v1/citizens/{other.pk}")
    assert response.status_code == 404
    assert other.full_name not in response.content.decode()
    assert client.get("/api/v1/institutions").json()["items"] == []


def test_staff_see_citizens_of_their_region_only(login_as) -> None:  # type: ignore[no-untyped-def]
    inside, outside = make_citizen(region_code=JIANWAI), make_citizen(region_code=HAIDIAN)
    client = login_as(make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG))
    assert client.get(f"/api/v1/citizens/{inside.pk}").status_code == 200
    assert client.get(f"/api/v1/citizens/{outside.pk}").status_code == 404


def test_staff_account_without_a_scope_sees_nothing(login_as) -> None:  # type: ignore[no-untyped-def]
    make_institution(CHAOYANG)
    client = login_as(make_staff(Role.HOTLINE_SEAT))
    assert client.get("/api/v1/institutions").json()["count"] == 0
