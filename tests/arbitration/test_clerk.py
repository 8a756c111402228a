"""The commission clerk (仲裁委员会工作人员): registers and closes its own commission's cases, sees
only its own commission's cases, flags and figures; another commission's case is a 404; it does
not review flags (the bureau does)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fawang.arbitration import services
from fawang.arbitration.models import ArbitrationCase, Flag, FlagStatus
from fawang.core.errors import PermissionDenied
from fawang.core.models import SERVING_ROLES, Role, User
from tests.arbitration.test_arbitration import World, register, w  # noqa: F401
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def clerk_of(commission) -> User:  # type: ignore[no-untyped-def]
    return make_staff(Role.ARBITRATION_CLERK, institution=commission)


def form(number: str, **extra: str) -> dict[str, str]:
    values = {
        "case_number": number,
        "claimant": "甲公司",
        "respondent": "乙公司",
        "claims": "支付货款",
        "amount": "99000",
        "filed_on": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "arbitrators": "王仲裁、李仲裁",
        "contested": "1",
    }
    values.update(extra)
    return values


def test_clerk_registers_and_closes_own_case_on_the_page(w: World, login_as: Login) -> None:  # noqa: F811
    client = login_as(clerk_of(w.commission))
    page = client.get("/console/arbitration/").content.decode()
    assert "登记案件" in page and "朝阳仲裁委员会" in page
    response = client.post("/console/arbitration/cases", form("（2026）朝仲字第1号"))
    assert response.status_code == 302
    case = ArbitrationCase.objects.get(case_number="（2026）朝仲字第1号")
    assert case.commission == w.commission and case.arbitrators == ["王仲裁", "李仲裁"]
    assert Flag.objects.filter(case=case, rule="just_under_threshold").exists()
    closed = client.post(
        f"/console/arbitration/cases/{case.pk}/outcome",
        {"outcome": "award", "closed_on": timezone.localdate().isoformat()},
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "award"
    page = client.get("/console/arbitration/").content.decode()
    assert "待司法行政机关复核" in page and "confirm-flag" not in page


def test_bad_form_keeps_what_was_typed(w: World, login_as: Login) -> None:  # noqa: F811
    client = login_as(clerk_of(w.commission))
    response = client.post("/console/arbitration/cases", form("（2026）朝仲字第2号", amount="很多"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "争议金额应为金额" in body and "（2026）朝仲字第2号" in body
    assert not ArbitrationCase.objects.exists()


def test_clerk_sees_only_its_commission(w: World, login_as: Login) -> None:  # noqa: F811
    own = register(w, amount="99000")
    other = services.register_case(
        services.CaseIn(
            commission_id=w.haidian_commission.pk,
            case_number="（2026）海仲字第1号",
            claimant="丙公司",
            respondent="丁公司",
            claims="支付货款",
            amount="99000",
            filed_on=timezone.localdate(),
        ),
        acting_user=w.haidian_bureau,
    )
    other_flag = Flag.objects.get(case=other)
    client = login_as(clerk_of(w.commission))
    listed = client.get("/api/v1/arbitration/cases").json()
    assert [c["id"] for c in listed] == [own.pk]
    assert client.get(f"/api/v1/arbitration/cases/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/arbitration/cases/{other.pk}").status_code == 404
    response = client.post(
        f"/api/v1/arbitration/cases/{other.pk}/outcome",
        {"outcome": "award", "closed_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 404
    page_close = client.post(
        f"/console/arbitration/cases/{other.pk}/outcome",
        {"outcome": "award", "closed_on": timezone.localdate().isoformat()},
    )
    assert page_close.status_code == 404
    other.refresh_from_db()
    assert other.outcome == ""
    assert client.get("/api/v1/arbitration/figures").json()["cases"] == 1
    page = client.get("/console/arbitration/").content.decode()
    assert own.case_number in page and other.case_number not in page
    # The clerk does not review flags, even its own commission's.
    own_flag = Flag.objects.get(case=own)
    for flag in (own_flag, other_flag):
        response = client.post(
            f"/api/v1/arbitration/flags/{flag.pk}/review",
            {"decision": "cleared", "note": "无"},
            content_type="application/json",
        )
        assert response.status_code in (403, 404)
    assert client.post(f"/console/arbitration/flags/{own_flag.pk}", {}).status_code == 403
    own_flag.refresh_from_db()
    assert own_flag.status == FlagStatus.OPEN


def test_clerk_cannot_register_for_another_commission(w: World) -> None:  # noqa: F811
    with pytest.raises(PermissionDenied):
        services.register_case(
            services.CaseIn(
                commission_id=w.haidian_commission.pk,
                case_number="X",
                claimant="a",
                respondent="b",
                claims="c",
                amount="1",
                filed_on=timezone.localdate(),
            ),
            acting_user=clerk_of(w.commission),
        )
    assert not ArbitrationCase.objects.exists()


def test_clerk_is_no_work_order_server_and_bureau_still_sees_clerk_cases(
    w: World,  # noqa: F811
    login_as: Login,
) -> None:
    assert Role.ARBITRATION_CLERK not in SERVING_ROLES
    clerk = clerk_of(w.commission)
    case = services.register_case(
        services.CaseIn(
            commission_id=w.commission.pk,
            case_number="（2026）朝仲字第9号",
            claimant="甲",
            respondent="乙",
            claims="支付货款",
            amount="100",
            filed_on=timezone.localdate(),
        ),
        acting_user=clerk,
    )
    bureau = login_as(w.bureau)
    assert bureau.get(f"/api/v1/arbitration/cases/{case.pk}").status_code == 200
