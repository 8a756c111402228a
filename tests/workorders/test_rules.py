from __future__ import annotations

import pytest

from fawang.core.models import InstitutionKind, Role
from fawang.workorders.models import DispatchRule
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_institution, make_staff
from tests.workorders.helpers import JIANWAI, build_world, new_order

pytestmark = pytest.mark.django_db


def test_district_bureau_adds_a_rule_that_routes_new_orders(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    client = login_as(world.supervisor)
    response = client.post(
        "/api/v1/dispatch-rules",
        {"region_code": JIANWAI, "institution_id": firm.pk, "topic": "company"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert new_order(world.seat, topic="company").institution == firm
    assert new_order(world.seat, topic="debt").institution == world.centre


def test_a_rule_outside_the_district_is_refused_and_not_saved(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    client = login_as(world.supervisor)
    before = DispatchRule.objects.count()
    response = client.post(
        "/api/v1/dispatch-rules",
        {"region_code": HAIDIAN, "institution_id": world.other_centre.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert DispatchRule.objects.count() == before


def test_seats_cannot_edit_rules(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    response = login_as(world.seat).post(
        "/api/v1/dispatch-rules",
        {"region_code": JIANWAI, "institution_id": world.centre.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "分派规则" in response.json()["message"]


def test_a_district_supervisor_sees_only_their_rules(login_as) -> None:  # type: ignore[no-untyped-def]
    build_world()
    other = make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN)
    rows = login_as(other).get("/api/v1/dispatch-rules").json()["items"]
    assert rows and all(row["region_code"] == HAIDIAN for row in rows)


def test_the_dashboard_api_answers_with_data(login_as) -> None:  # type: ignore[no-untyped-def]
    """It answered 500 once there were orders: its labels were lazy translations."""
    world = build_world()
    new_order(world.seat)
    new_order(world.seat, topic="labour")
    response = login_as(world.supervisor).get(
        "/api/v1/workorder-dashboard",
        {
            "region": CHAOYANG,
            "start": "2000-01-01T00:00:00+08:00",
            "end": "2100-01-01T00:00:00+08:00",
        },
    )
    assert response.status_code == 200, response.content
    board = response.json()
    assert board["total"] == 2
    assert dict(board["by_channel"]) == {"12348热线": 2}
    assert sum(n for _label, n in board["by_topic"]) == 2
