from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fawang.core import services as core_services
from fawang.core.models import Role
from fawang.mediation.models import Dispute
from fawang.workorders.models import WorkOrder
from tests.conftest import BEIJING
from tests.factories import make_staff
from tests.mediation.helpers import JIANWAI, World, build_world

pytestmark = pytest.mark.django_db


def bearer(world: World) -> dict[str, str]:
    security = make_staff(Role.SECURITY_ADMIN, region_code=BEIJING)
    token = core_services.issue_api_token(
        acting_user=security, account=world.court, name="朝阳法院诉调对接"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def handoff(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "source": "court",
        "external_ref": "(2026)京0105民诉前调88号",
        "dispute_type": "property_management",
        "facts": "业主拖欠物业费两年，物业公司诉至法院，法院委派诉前调解。",
        "claims": "支付物业费4800元。",
        "amount": "4800",
        "region_code": JIANWAI,
        "applicant": {"name": "某物业公司", "phone": "13700001111"},
        "respondents": [{"name": "刘某", "phone": "13700002222"}],
    }
    payload.update(overrides)
    return payload


def test_court_hands_off_by_api_and_reads_the_result(client: Client) -> None:
    world = build_world()
    auth = bearer(world)
    response = client.post(
        "/api/v1/mediation/handoffs", handoff(), content_type="application/json", **auth
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "court" and body["committee"] == "建外街道人民调解委员会"
    assert body["parties"][1]["phone"] == "137****2222"
    listed = client.get(
        "/api/v1/mediation/disputes", {"external_ref": "(2026)京0105民诉前调88号"}, **auth
    ).json()
    assert [row["number"] for row in listed["items"]] == [body["number"]]
    detail = client.get(f"/api/v1/mediation/disputes/{body['number']}", **auth).json()
    assert detail["status"] == "new" and detail["agreement"] is None


def test_sender_sees_the_agreement_through_the_api(client: Client, login_as: Any) -> None:
    world = build_world()
    auth = bearer(world)
    number = client.post(
        "/api/v1/mediation/handoffs", handoff(), content_type="application/json", **auth
    ).json()["number"]
    mediator = login_as(world.mediator)
    mediator.post(
        f"/api/v1/mediation/disputes/{number}/assign",
        {"mediator_ids": [world.mediator_person.pk]},
        content_type="application/json",
    )
    today = timezone.localdate().isoformat()
    response = mediator.post(
        f"/api/v1/mediation/disputes/{number}/agreement",
        {
            "form": "written", "facts": "拖欠物业费", "issues": "欠费数额", "terms": "分两期付清4800元",
            "performance_manner": "转账", "performance_deadline": today, "signed_on": today,
        },
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    mediator.logout()
    detail = Client().get(f"/api/v1/mediation/disputes/{number}", **auth).json()
    assert detail["status"] == "agreed" and detail["agreement"]["terms"] == "分两期付清4800元"


def test_hand_off_with_unknown_source_gets_a_chinese_400_and_saves_nothing(client: Client) -> None:
    world = build_world()
    response = client.post(
        "/api/v1/mediation/handoffs",
        handoff(source="army"),
        content_type="application/json",
        **bearer(world),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "source" and "未知" in response.json()["message"]
    assert not Dispute.objects.exists() and not WorkOrder.objects.exists()


def test_hand_off_without_respondents_gets_a_400(client: Client) -> None:
    world = build_world()
    response = client.post(
        "/api/v1/mediation/handoffs",
        handoff(respondents=[]),
        content_type="application/json",
        **bearer(world),
    )
    assert response.status_code == 400 and response.json()["field"] == "respondents"
    assert not Dispute.objects.exists()


def test_malformed_hand_off_gets_a_422(client: Client) -> None:
    world = build_world()
    response = client.post(
        "/api/v1/mediation/handoffs",
        {"source": "court"},
        content_type="application/json",
        **bearer(world),
    )
    assert response.status_code == 422
    assert not Dispute.objects.exists()


def test_outside_mediator_gets_404_and_changes_nothing(client: Client, login_as: Any) -> None:
    world = build_world()
    number = client.post(
        "/api/v1/mediation/handoffs", handoff(), content_type="application/json", **bearer(world)
    ).json()["number"]
    outsider = login_as(world.outsider)
    assert outsider.get(f"/api/v1/mediation/disputes/{number}").status_code == 404
    response = outsider.post(
        f"/api/v1/mediation/disputes/{number}/assign",
        {"mediator_ids": [world.outsider.practitioner.pk]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Dispute.objects.get().status == "new"


def test_citizen_applies_through_the_api(client: Client, login_as: Any) -> None:
    world = build_world()
    citizen = login_as(world.citizen)
    payload = handoff()
    del payload["source"], payload["external_ref"]
    response = citizen.post(
        "/api/v1/mediation/applications", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["work_order"].startswith("GF")


def test_quota_endpoint_lists_shortfalls(client: Client, login_as: Any) -> None:
    world = build_world()
    rows = (
        login_as(world.district_bureau)
        .get("/api/v1/mediation/committees/quota?short_only=true")
        .json()
    )
    assert [row["committee_id"] for row in rows] == [world.other_committee.pk]


def test_dispute_list_query_count_does_not_grow_with_rows(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    world = build_world()
    auth = bearer(world)
    for n in range(5):
        client.post(
            "/api/v1/mediation/handoffs",
            handoff(external_ref=f"REF-{n}"),
            content_type="application/json",
            **auth,
        )
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/mediation/disputes", **auth).json()
    assert body["count"] == 5


def test_the_bureau_elects_a_committee_by_api(login_as: Any) -> None:
    """人民调解法 第八条: 委员三至九人…应当有妇女成员 — a list of men only is a Chinese 400."""
    from fawang.core.models import PractitionerKind
    from tests.factories import make_practitioner
    from tests.mediation.helpers import build_world

    world = build_world()
    men = [
        make_practitioner(world.committee, kind=PractitionerKind.MEDIATOR, gender="M")
        for _ in range(3)
    ]
    bureau = login_as(world.district_bureau)
    url = f"/api/v1/mediation/committees/{world.committee.pk}/members"
    body = {
        "term_start": "2026-01-01",
        "members": [{"mediator_id": m.pk, "is_head": i == 0} for i, m in enumerate(men)],
    }
    refused = bureau.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "woman_member"
    woman = make_practitioner(world.committee, kind=PractitionerKind.MEDIATOR, gender="F")
    body["members"].append({"mediator_id": woman.pk})
    done = bureau.post(url, body, content_type="application/json")
    assert done.status_code == 200, done.content
    assert {row["term_end"] for row in done.json()} == {"2028-12-31"}
    mediator = login_as(world.mediator)
    assert mediator.post(url, body, content_type="application/json").status_code == 404
