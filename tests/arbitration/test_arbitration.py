"""Arbitration supervision: each false-arbitration rule with a case it flags and one it does not,
review, backlog, the set-aside rate, scope, pages and the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fawang.arbitration import services
from fawang.arbitration.models import ArbitrationCase, Flag, FlagStatus
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Institution, InstitutionKind, Role, User
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_institution, make_staff

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
_numbers = iter(range(1, 10_000))


@dataclass
class World:
    commission: Institution
    haidian_commission: Institution
    bureau: User
    haidian_bureau: User
    city_bureau: User


@pytest.fixture
def w() -> World:
    kind = InstitutionKind.ARBITRATION_COMMISSION
    return World(
        commission=make_institution(CHAOYANG, kind, name="朝阳仲裁委员会"),
        haidian_commission=make_institution(HAIDIAN, kind, name="海淀仲裁委员会"),
        bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        haidian_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
        city_bureau=make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
    )


def register(w: World, **overrides: Any) -> ArbitrationCase:
    values: dict[str, Any] = {
        "commission_id": w.commission.pk,
        "case_number": f"（2026）朝仲字第{next(_numbers)}号",
        "claimant": "甲公司",
        "respondent": f"乙公司{next(_numbers)}",
        "claims": "支付货款并承担违约金",
        "amount": "30000",
        "filed_on": timezone.localdate() - timedelta(days=20),
        "contested": True,
    }
    values.update(overrides)
    return services.register_case(services.CaseIn(**values), acting_user=w.bureau)


def rules_of(case: ArbitrationCase) -> set[str]:
    return set(Flag.objects.filter(case=case).values_list("rule", flat=True))


def test_same_claimant_against_many_respondents(w: World) -> None:
    cases = [register(w, claimant="丙公司", claims="返还借款十万元") for _ in range(3)]
    assert all("same_claimant_many" in rules_of(c) for c in cases)
    other = [register(w, claimant="丁公司", claims="返还借款") for _ in range(2)]
    assert all("same_claimant_many" not in rules_of(c) for c in other)
    varied = register(w, claimant="丙公司", claims="另一项请求")
    assert "same_claimant_many" not in rules_of(varied)


def test_quick_uncontested_settlement(w: World) -> None:
    quick = register(w, contested=False)
    services.record_outcome(
        quick, "settlement", quick.filed_on + timedelta(days=3), acting_user=w.bureau
    )
    assert "quick_settlement" in rules_of(quick)
    slow = register(w, contested=False)
    services.record_outcome(
        slow, "settlement", slow.filed_on + timedelta(days=15), acting_user=w.bureau
    )
    contested = register(w, contested=True)
    services.record_outcome(
        contested, "settlement", contested.filed_on + timedelta(days=2), acting_user=w.bureau
    )
    assert "quick_settlement" not in rules_of(slow) | rules_of(contested)


def test_shared_phone_or_agent(w: World) -> None:
    phone = register(w, claimant_phone="13911112222", respondent_phone="139 1111 2222")
    agent = register(w, claimant_agent="张律师", respondent_agent="张律师")
    clean = register(w, claimant_phone="13911112222", respondent_phone="13933334444")
    assert "shared_contact" in rules_of(phone) and "shared_contact" in rules_of(agent)
    assert "shared_contact" not in rules_of(clean)
    assert all("13911112222" not in f.reason for f in Flag.objects.filter(case=phone))


def test_amount_just_under_a_threshold(w: World) -> None:
    under = register(w, amount="98000")
    far = register(w, amount="60000")
    at = register(w, amount="100000")
    assert "just_under_threshold" in rules_of(under)
    assert "just_under_threshold" not in rules_of(far) | rules_of(at)


def test_award_used_against_third_party_enforcement(w: World) -> None:
    used = register(w)
    services.record_outcome(used, "award", timezone.localdate(), acting_user=w.bureau)
    services.record_court_outcome(used, "upheld", third_party_objection=True, acting_user=w.bureau)
    plain = register(w)
    services.record_outcome(plain, "award", timezone.localdate(), acting_user=w.bureau)
    services.record_court_outcome(plain, "upheld", acting_user=w.bureau)
    assert "third_party_objection" in rules_of(used)
    assert "third_party_objection" not in rules_of(plain)


def test_review_confirms_or_clears_once_and_hit_rate(w: World) -> None:
    a = register(w, amount="99000")
    b = register(w, amount="495000")
    fa, fb = Flag.objects.get(case=a), Flag.objects.get(case=b)
    with pytest.raises(PermissionDenied):
        services.review_flag(fa, "confirmed", "属实", acting_user=w.haidian_bureau)
    services.review_flag(fa, "confirmed", "拆分标的规避", acting_user=w.bureau)
    services.review_flag(fb, "cleared", "正常交易", acting_user=w.bureau)
    with pytest.raises(Conflict):
        services.review_flag(fb, "confirmed", "再议", acting_user=w.bureau)
    figures = services.figures(ArbitrationCase.objects.all())
    assert figures.hit_rate == {"just_under_threshold": 50.0}
    assert figures.confirmed == 1


def test_set_aside_rate_and_backlog(w: World) -> None:
    for n in range(4):
        case = register(w)
        services.record_outcome(case, "award", timezone.localdate(), acting_user=w.bureau)
        if n == 0:
            services.record_court_outcome(case, "set_aside", acting_user=w.bureau)
    old = register(w, filed_on=timezone.localdate() - timedelta(days=200))
    register(w)
    figures = services.figures(ArbitrationCase.objects.all())
    assert figures.awards == 4 and figures.set_aside_or_not_enforced == 1
    assert figures.set_aside_rate == 25.0 and figures.backlog == 1
    assert services.is_backlog(old)
    services.plan_clearance(old, "本月内开庭", acting_user=w.bureau)


def test_bad_input_is_refused_and_nothing_is_stored(w: World) -> None:
    for overrides, field in (
        ({"amount": "abc"}, "amount"),
        ({"claimant": ""}, "claimant"),
        ({"filed_on": timezone.localdate() + timedelta(days=3)}, "filed_on"),
        ({"claimant_phone": "12"}, "claimant_phone"),
        ({"commission_id": 999999}, "commission_id"),
    ):
        with pytest.raises(InvalidInput) as error:
            register(w, **overrides)
        assert error.value.field == field
    assert not ArbitrationCase.objects.exists()
    case = register(w, case_number="X1")
    with pytest.raises(Conflict):
        register(w, case_number="X1")
    with pytest.raises(Conflict):
        services.record_court_outcome(case, "set_aside", acting_user=w.bureau)


def test_scope_other_district_gets_404_and_practitioners_nothing(w: World, login_as: Login) -> None:
    case = register(w, amount="99000")
    flag = Flag.objects.get(case=case)
    haidian = login_as(w.haidian_bureau)
    assert haidian.get(f"/api/v1/arbitration/cases/{case.pk}").status_code == 404
    assert (
        haidian.post(f"/console/arbitration/flags/{flag.pk}", {"decision": "confirmed"}).status_code
        == 404
    )
    assert haidian.get("/api/v1/arbitration/cases").json() == []
    with pytest.raises(PermissionDenied):
        services.register_case(
            services.CaseIn(
                commission_id=w.commission.pk,
                case_number="Y",
                claimant="a",
                respondent="b",
                claims="c",
                amount="1",
                filed_on=timezone.localdate(),
            ),
            acting_user=w.haidian_bureau,
        )
    haidian.logout()
    city = login_as(w.city_bureau)
    assert city.get(f"/api/v1/arbitration/cases/{case.pk}").status_code == 200


def test_bureau_reviews_a_flag_on_the_page(w: World, login_as: Login) -> None:
    case = register(w, amount="99000")
    flag = Flag.objects.get(case=case)
    client = login_as(w.bureau)
    page = client.get("/console/arbitration/").content.decode()
    assert "争议金额略低于金额门槛" in page and case.case_number in page
    assert "just_under_threshold" not in page
    bad = client.post(
        f"/console/arbitration/flags/{flag.pk}", {"decision": "confirmed", "note": ""}
    )
    assert bad.status_code == 400 and "复核意见" in bad.content.decode()
    client.post(f"/console/arbitration/flags/{flag.pk}", {"decision": "confirmed", "note": "属实"})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED
    api = client.get("/api/v1/arbitration/figures").json()
    assert api["confirmed"] == 1


def test_api_registers_a_case(w: World, login_as: Login) -> None:
    client = login_as(w.bureau)
    response = client.post(
        "/api/v1/arbitration/cases",
        {
            "commission_id": w.commission.pk,
            "case_number": "（2026）朝仲字第1号",
            "claimant": "甲",
            "respondent": "乙",
            "claims": "请求",
            "amount": "499000",
            "filed_on": str(timezone.localdate()),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [f["rule"] for f in response.json()["flags"]] == ["just_under_threshold"]


def test_set_aside_counters_feed_sjz_26(w: World) -> None:
    from fawang.arbitration import metrics
    from tests.factories import region

    today = timezone.localdate()
    for n in range(3):
        case = register(w)
        services.record_outcome(case, "award", today, acting_user=w.bureau)
        if n == 0:
            services.record_court_outcome(case, "not_enforced", acting_user=w.bureau)
    chaoyang = region(CHAOYANG).pk
    assert metrics.awards(today) == {chaoyang: 3.0}
    assert metrics.awards_set_aside_or_not_enforced(today) == {chaoyang: 1.0}
