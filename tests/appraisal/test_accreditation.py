"""资质认定 (CMA) and 认可 (CNAS) per licensed field, recorded by the bureau: the rules, the scope,
the pages, and BJ-21 / SJZ-34 / SJZ-24 computed from the records through the packs' formulas."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fawang.appraisal import metrics, services
from fawang.appraisal.models import Accreditation, AccreditationStatus, InstitutionProfile
from fawang.audit.models import AuditEvent
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Institution, InstitutionKind, Role, User
from fawang.indicators.fill import fill_days
from fawang.indicators.formula import evaluate, parse
from fawang.indicators.models import Indicator
from fawang.indicators.values import values_for
from fawang.policy.packs import shipped_packs
from tests.appraisal.helpers import World, build_world
from tests.conftest import BEIJING, CHAOYANG
from tests.factories import make_institution, make_staff, region
from tests.indicators.helpers import load_shipped
from tests.test_visible_text import snake_tokens, visible_text

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
TODAY = timezone.localdate


@pytest.fixture
def w() -> World:
    return build_world()


def cma(
    w: World,
    institution: Institution | None = None,
    *,
    field: str = "forensic_dna",
    kind: str = "cma",
    number: str = "",
    issued: date | None = None,
    until: date | None = None,
    by: User | None = None,
) -> Accreditation:
    issued = issued or TODAY() - timedelta(days=400)
    institution = institution or w.institution
    return services.record_accreditation(
        institution,
        services.AccreditationIn(
            field=field,
            kind=kind,
            certificate_number=number or f"2024110{Accreditation.objects.count():05d}",
            issuing_body="北京市市场监督管理局",
            issued_on=issued,
            valid_until=until or issued + timedelta(days=6 * 365),
        ),
        acting_user=by or w.district_bureau,
    )


def url(institution: Institution) -> str:
    return f"/console/appraisal/institutions/{institution.pk}/"


# --- the rules -------------------------------------------------------------------------------


def test_a_field_the_institution_is_not_licensed_for_is_refused(w: World, login_as: Login) -> None:
    """决定 art. 5(三): the laboratory counts "在业务范围内" — 环境损害 is not in this licence."""
    with pytest.raises(InvalidInput) as refused:
        cma(w, field="environmental")
    assert refused.value.code == "field_not_licensed"
    assert "未获准从事环境损害司法鉴定业务" in refused.value.message
    response = login_as(w.district_bureau).post(
        f"/api/v1/appraisal/institutions/{w.institution.pk}/accreditations",
        {
            "field": "environmental",
            "kind": "cma",
            "certificate_number": "202411000001",
            "issuing_body": "北京市市场监督管理局",
            "issued_on": "2024-01-10",
            "valid_until": "2030-01-09",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (
        response.json()["code"] == "field_not_licensed"
        and "环境损害" in (response.json()["message"])
    )
    assert not Accreditation.objects.exists()


def test_dates_kind_and_certificate_are_checked(w: World) -> None:
    issued = TODAY() - timedelta(days=10)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"until": issued}, "bad_period"),
        ({"until": issued - timedelta(days=1)}, "bad_period"),
        ({"issued": TODAY() + timedelta(days=1)}, "future_date"),
        ({"kind": "iso"}, "bad_choice"),
        ({"field": "astrology"}, "unknown_field"),
    ]
    for overrides, code in cases:
        with pytest.raises(InvalidInput) as refused:
            cma(w, **({"issued": issued} | overrides))
        assert refused.value.code == code
    with pytest.raises(InvalidInput) as bad:
        services.record_accreditation(
            w.institution,
            services.AccreditationIn("forensic_dna", "cma", "X1", "局", "2024/01/01", "2030-01-01"),
            acting_user=w.district_bureau,
        )
    assert bad.value.code == "bad_date" and "年-月-日" in bad.value.message
    cma(w, number="202411000009")
    with pytest.raises(Conflict) as taken:  # another institution's certificate
        cma(w, w.other, number="202411000009")
    assert taken.value.code == "certificate_taken"
    assert Accreditation.objects.count() == 1


def test_one_certificate_in_force_per_field_and_kind_then_renewal(w: World) -> None:
    first = cma(w, issued=TODAY() - timedelta(days=2000), until=TODAY() + timedelta(days=30))
    with pytest.raises(Conflict) as twice:
        cma(w)
    assert twice.value.code == "already_accredited" and "请办理换证" in twice.value.message
    cnas = cma(w, kind="cnas", number="CNAS L1234")  # 认可 is another kind: allowed
    assert cnas.get_kind_display() == "实验室认可（CNAS）"
    with pytest.raises(InvalidInput) as shorter:
        services.renew_accreditation(
            first, "202611000001", "", TODAY(), TODAY() + timedelta(days=10),
            acting_user=w.district_bureau,
        )  # fmt: skip
    assert shorter.value.code == "bad_period"
    renewed = services.renew_accreditation(
        first, "202611000001", "", TODAY(), TODAY() + timedelta(days=2190),
        acting_user=w.district_bureau,
    )  # fmt: skip
    first.refresh_from_db()
    assert renewed.previous == first and renewed.issuing_body == first.issuing_body
    assert first.status_on(TODAY()) == AccreditationStatus.RENEWED
    assert first.valid_until == TODAY() + timedelta(days=30)  # the old dates stay as they were
    with pytest.raises(Conflict) as again:
        services.renew_accreditation(
            first, "202611000002", "", TODAY(), TODAY() + timedelta(days=3000),
            acting_user=w.district_bureau,
        )  # fmt: skip
    assert again.value.code == "already_renewed"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"appraisal.accreditation_recorded", "appraisal.accreditation_renewed"} <= actions


def test_statuses_on_a_day(w: World) -> None:
    today = TODAY()
    row = cma(w, issued=today - timedelta(days=100), until=today + timedelta(days=90))
    assert row.status_label(today) == "即将到期"
    assert row.status_label(today - timedelta(days=1)) == "有效"  # 91 days left
    assert row.status_label(today + timedelta(days=90)) == "即将到期"  # its last day
    assert row.status_label(today + timedelta(days=91)) == "已过期"
    services.withdraw_accreditation(
        row, "复查不合格", today - timedelta(days=5), acting_user=w.district_bureau
    )
    row.refresh_from_db()
    assert row.status_label(today) == "已撤销"
    assert row.status_label(today - timedelta(days=6)) == "有效"  # before the withdrawal
    with pytest.raises(Conflict) as twice:
        services.withdraw_accreditation(row, "再次", acting_user=w.district_bureau)
    assert twice.value.code == "already_withdrawn"
    with pytest.raises(InvalidInput):
        services.withdraw_accreditation(
            cma(w, field="forensic_clinical"),
            "x",
            today + timedelta(days=1),
            acting_user=w.district_bureau,
        )


# --- who may ---------------------------------------------------------------------------------


def test_only_the_bureau_of_the_region_records(w: World, login_as: Login) -> None:
    row = cma(w)
    base = "/api/v1/appraisal"
    payload = {"reason": "撤销", "withdrawn_on": None}
    haidian = login_as(w.haidian_bureau)  # another district: the records do not exist for it
    assert haidian.get(f"{base}/institutions/{w.institution.pk}/accreditations").status_code == 404
    assert haidian.get(url(w.institution)).status_code == 404
    recorded = haidian.post(
        f"{base}/institutions/{w.institution.pk}/accreditations",
        {
            "field": "forensic_clinical",
            "kind": "cma",
            "certificate_number": "202411000002",
            "issuing_body": "局",
            "issued_on": "2024-01-01",
            "valid_until": "2030-01-01",
        },
        content_type="application/json",
    )
    assert recorded.status_code == 404
    withdrawn = haidian.post(
        f"{base}/accreditations/{row.pk}/withdraw", payload, content_type="application/json"
    )
    assert withdrawn.status_code == 404
    page = haidian.post(
        url(w.haidian), {"action": "withdraw", "accreditation": str(row.pk), "reason": "x"}
    )
    assert page.status_code == 404  # its own institution's page, another district's certificate
    with pytest.raises(PermissionDenied):
        services.withdraw_accreditation(row, "x", acting_user=w.haidian_bureau)
    # the institution itself reads its certificates and changes nothing
    head = login_as(w.head)
    listed = head.get(f"{base}/institutions/{w.institution.pk}/accreditations")
    assert listed.status_code == 200 and listed.json()[0]["status_label"] == "有效"
    refused = head.post(
        f"{base}/accreditations/{row.pk}/withdraw", payload, content_type="application/json"
    )
    assert refused.status_code == 403 and "司法局" in refused.json()["message"]
    assert head.get(f"{base}/institutions/{w.other.pk}/accreditations").status_code == 404
    page = head.get(url(w.institution)).content.decode()
    assert "有效" in page and 'id="record-form"' not in page
    # a 司法所 does not record 资质认定, even for an institution within its township
    township = make_staff(Role.SUPERVISOR_TOWNSHIP, region_code="110105001000")
    local = make_institution(
        "110105001000", InstitutionKind.APPRAISAL_INSTITUTION, service_fields=["forensic_dna"]
    )
    with pytest.raises(PermissionDenied):
        cma(w, local, by=township)
    assert cma(w, local, by=w.city_bureau).institution == local  # the city bureau may
    row.refresh_from_db()
    assert not row.withdrawn


# --- pages -----------------------------------------------------------------------------------


def test_the_bureau_records_renews_and_withdraws_on_the_page(w: World, login_as: Login) -> None:
    client = login_as(w.district_bureau)
    today = TODAY()
    form = {
        "action": "record",
        "field": "forensic_dna",
        "kind": "cma",
        "certificate_number": "202411000003",
        "issuing_body": "北京市市场监督管理局",
        "issued_on": (today - timedelta(days=2000)).isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(),
    }
    bad = client.post(url(w.institution), form | {"valid_until": form["issued_on"]})
    assert bad.status_code == 400 and "有效期截止日期应晚于发证日期" in bad.content.decode()
    assert 'value="202411000003"' in bad.content.decode()  # what was typed stays in the form
    assert client.post(url(w.institution), form).status_code == 302
    row = Accreditation.objects.get()
    page = client.get(url(w.institution)).content.decode()
    assert "即将到期" in page and "202411000003" in page
    renewed = client.post(
        url(w.institution),
        {
            "action": "renew",
            "accreditation": str(row.pk),
            "certificate_number": "202611000003",
            "issuing_body": "北京市市场监督管理局",
            "issued_on": today.isoformat(),
            "valid_until": (today + timedelta(days=2190)).isoformat(),
        },
    )
    assert renewed.status_code == 302
    current = Accreditation.objects.get(previous=row)
    withdrawn = client.post(
        url(w.institution),
        {"action": "withdraw", "accreditation": str(current.pk), "reason": "复查评审不合格"},
    )
    assert withdrawn.status_code == 302
    parent = client.post(
        url(w.institution), {"action": "parent", "parent_body": "key_university", "parent_name": ""}
    )
    assert parent.status_code == 400 and "请填写母体名称" in parent.content.decode()
    client.post(
        url(w.institution),
        {"action": "parent", "parent_body": "key_university", "parent_name": "中国政法大学"},
    )
    page = client.get(url(w.institution)).content.decode()
    assert "已撤销" in page and "已换证" in page and "复查评审不合格" in page
    assert "重点高校（中国政法大学）" in page


def test_pages_show_statuses_in_chinese(w: World, login_as: Login) -> None:
    today = TODAY()
    cma(w, issued=today - timedelta(days=2500), until=today - timedelta(days=10))  # expired
    cma(w, field="forensic_clinical", until=today + timedelta(days=20))  # 即将到期
    cma(w, w.other)
    services.withdraw_accreditation(
        cma(w, w.other, field="forensic_clinical"), "撤销", acting_user=w.district_bureau
    )
    cma(w, w.other, kind="cnas", number="CNAS L0002")
    client = login_as(w.district_bureau)
    pages = {
        "institution": client.get(url(w.institution)).content.decode(),
        "other": client.get(url(w.other)).content.decode(),
        "supervision": client.get("/console/appraisal/supervision").content.decode(),
        "roster": Client().get("/appraisal/roster").content.decode(),
    }
    assert "已过期" in pages["institution"] and "即将到期" in pages["institution"]
    assert "有效" in pages["other"] and "已撤销" in pages["other"]
    assert "实验室认可（CNAS）" in pages["other"] and "资质认定（CMA）" in pages["other"]
    assert "法医物证鉴定：已过期" in pages["supervision"]
    assert "法医临床鉴定：即将到期" in pages["supervision"]
    assert "法医物证鉴定：未资质认定" in pages["roster"]  # 海淀: nothing recorded
    assert "法医物证鉴定：已过期" in pages["roster"]
    codes = {"valid", "expiring", "expired", "withdrawn", "renewed", "cma", "cnas", "other"}
    for name, page in pages.items():
        assert snake_tokens(page) == set(), name
        assert codes.isdisjoint(re.findall(r"[a-z]+", visible_text(page))), name
    # the public roster names no one who recorded anything
    assert w.district_bureau.username not in pages["roster"]
    api = Client().get("/api/v1/appraisal/roster", {"q": "东方"}).json()[0]["accreditations"]
    assert {a["field"]: a["status"] for a in api} == {
        "法医临床鉴定": "已撤销",
        "法医物证鉴定": "有效",
    }


# --- the indicators --------------------------------------------------------------------------


def _entry(code: str) -> dict[str, Any]:
    for pack in shipped_packs():
        for entry in pack.raw["indicators"]:
            if entry["code"] == code:
                return dict(entry)
    raise AssertionError(code)


def _value(code: str, day: date) -> float | None:
    entry = _entry(code)
    assert entry["source"] == "computed"
    counters = metrics.STOCK_COUNTERS | {"core.appraisal_institutions": _institutions}
    values = {name: sum(fn(day).values()) for name, fn in counters.items()}
    formula = parse(entry["formula"], {name: "stock" for name in counters})
    return evaluate(formula, values, None)


def _institutions(day: date) -> dict[int, float]:
    from fawang.indicators.core_metrics import STOCK_COUNTERS

    return STOCK_COUNTERS["core.appraisal_institutions"](day)


def _small_case(w: World) -> Institution:
    """Licensed pairs in the five fields: 物证 ×3 (the world's three institutions), 环境损害 ×1,
    电子数据 ×1. In force: 朝阳所 物证, 环境 所 环境损害 → SJZ four 2/4, BJ five 2/5."""
    today = TODAY()
    environment = make_institution(
        CHAOYANG,
        InstitutionKind.APPRAISAL_INSTITUTION,
        name="北京环境司法鉴定所",
        service_fields=["environmental", "electronic_data"],
    )
    # on the roster for a month: a past day counts them too
    Institution.objects.update(created_at=timezone.now() - timedelta(days=30))
    cma(w)  # in force
    cma(w, w.other, issued=today - timedelta(days=2200), until=today - timedelta(days=1))  # lapsed
    withdrawn = cma(w, w.haidian, by=w.haidian_bureau)
    services.withdraw_accreditation(withdrawn, "撤销", today, acting_user=w.haidian_bureau)
    cma(w, w.other, kind="cnas", number="CNAS L0003")  # 认可 alone does not count
    cma(w, environment, field="environmental")
    cma(w, field="forensic_clinical")  # not one of the named fields
    return environment


def test_coverage_is_computed_from_the_records(w: World) -> None:
    _small_case(w)
    today = TODAY()
    assert sum(metrics.FIELD_COUNTERS["appraisal.licensed_forensic_dna"](today).values()) == 3
    assert sum(metrics.FIELD_COUNTERS["appraisal.accredited_forensic_dna"](today).values()) == 1
    assert _value("SJZ-34", today) == 50
    assert _value("BJ-21", today) == 40
    # yesterday the lapsed certificate was on its last day and the withdrawn one in force
    assert _value("SJZ-34", today - timedelta(days=1)) == 100
    assert _value("BJ-21", today - timedelta(days=1)) == 80


def test_bj21_through_the_count_tables(w: World) -> None:
    _small_case(w)
    load_shipped()
    today = TODAY()
    fill_days([today])
    indicators = list(Indicator.objects.filter(code__in=["BJ-21", "SJZ-34"]))
    beijing, chaoyang = region(BEIJING), region(CHAOYANG)
    values = values_for(indicators, [beijing, chaoyang], today.replace(month=1, day=1), today)
    by_code = {i.code: i.pk for i in indicators}
    assert values[beijing.pk][by_code["BJ-21"]].value == 40
    assert values[beijing.pk][by_code["BJ-21"]].status_label in ("存在风险", "未达标")
    assert values[chaoyang.pk][by_code["BJ-21"]].value == pytest.approx(100 * 2 / 4)


def test_sjz24_counts_the_recorded_parent_bodies(w: World) -> None:
    today = TODAY()
    assert sum(metrics.institutions_with_key_parent(today).values()) == 0
    services.record_parent_body(
        w.institution, "research_institute", "北京市科学技术研究院", acting_user=w.district_bureau
    )
    services.record_parent_body(w.other, "other", "", acting_user=w.district_bureau)
    with pytest.raises(InvalidInput) as bad:
        services.record_parent_body(w.haidian, "school", "x", acting_user=w.haidian_bureau)
    assert bad.value.code == "bad_choice"
    with pytest.raises(PermissionDenied):
        services.record_parent_body(w.haidian, "other", "", acting_user=w.head)
    assert _value("SJZ-24", today) == pytest.approx(100 / 3)
    services.record_parent_body(w.institution, "other", "", acting_user=w.district_bureau)
    assert _value("SJZ-24", today) == 0
    assert InstitutionProfile.objects.count() == 2
    assert AuditEvent.objects.filter(action="appraisal.parent_body_recorded").count() == 3
