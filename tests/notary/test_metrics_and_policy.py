"""Counters behind SJZ-32/SJZ-22 and the board, and the pack's notary section."""

from __future__ import annotations

import copy

import pytest
from django.utils import timezone

from fawang.core.models import InstitutionKind, PractitionerKind
from fawang.notary import metrics
from fawang.notary.policy import notary_policy, parse_notary
from fawang.policy.packs import PackError, shipped_packs
from tests.factories import make_institution, make_practitioner, region
from tests.notary.helpers import World, apply, build_world, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def test_offices_online_counts_offices_with_an_online_application(w: World) -> None:
    today = timezone.localdate()
    assert metrics.offices_online(today) == {}
    apply(w)  # portal: online
    apply(w, office_id=w.other_office.pk, user=w.window)  # window only: not online
    chaoyang = w.office.region_id
    assert metrics.offices_online(today) == {chaoyang: 1.0}
    apply(w, office_id=w.other_office.pk)
    apply(w)
    assert metrics.offices_online(today) == {chaoyang: 2.0}


def test_flow_counters(w: World) -> None:
    today = timezone.localdate()
    issue(w, apply(w))
    apply(w)
    region_id = w.office.region_id
    assert metrics.matters_received(today) == {region_id: 2.0}
    assert metrics.certificates_issued(today) == {region_id: 1.0}
    assert metrics.certificates_one_visit(today) == {region_id: 1.0}
    assert metrics.issue_days_total(today)[region_id] < 1


def test_mid_title_counter(w: World) -> None:
    office = make_institution("110108000000", InstitutionKind.NOTARY_OFFICE)
    make_practitioner(office, PractitionerKind.NOTARY, title="三级公证员")
    make_practitioner(office, PractitionerKind.NOTARY, title="四级公证员")
    make_practitioner(office, PractitionerKind.NOTARY, title="一级公证员")
    assert metrics.notaries_mid_title(timezone.localdate())[office.region_id] == 2.0


def test_sjz_32_and_22_are_computed_from_records() -> None:
    pack = next(p for p in shipped_packs() if p.code.startswith("shijiazhuang"))
    indicators = {i["code"]: i for i in pack.raw["indicators"]}
    assert indicators["SJZ-32"]["source"] == "computed"
    assert "notary.offices_online" in indicators["SJZ-32"]["formula"]
    assert indicators["SJZ-22"]["source"] == "computed"


def test_pack_section_is_read_and_checked() -> None:
    policy = notary_policy(region("110105000000"))
    assert policy.issue_working_days == 15
    assert policy.grade.thresholds == {"A": 90, "B": 75, "C": 60}
    pack = next(p for p in shipped_packs() if p.code.startswith("beijing"))
    broken = copy.deepcopy(pack.raw)
    broken["notary"]["grade"]["thresholds"] = {"A": 60, "B": 75, "C": 90}
    with pytest.raises(PackError, match="A > B > C"):
        parse_notary(broken, "test")
    broken = copy.deepcopy(pack.raw)
    del broken["notary"]["fees"]["will"]
    with pytest.raises(PackError, match="fees"):
        parse_notary(broken, "test")
    with pytest.raises(PackError):
        parse_notary({}, "test")


def test_board_values_come_from_the_records(w: World) -> None:
    from fawang.indicators import fill
    from fawang.indicators.models import Indicator
    from fawang.indicators.values import computed_value, counter_totals
    from fawang.notary import services
    from tests.conftest import BEIJING
    from tests.indicators.helpers import load_shipped

    load_shipped()
    issue(w, apply(w))  # online, no visit
    twice = apply(w)
    services.record_visit(twice, "提交材料", acting_user=w.notary)
    services.record_visit(twice, "签字", acting_user=w.notary)
    issue(w, twice)
    apply(w, office_id=w.other_office.pk, user=w.window)
    today = timezone.localdate()
    fill.fill_days([today])
    city = region(BEIJING)
    codes = [
        "notary.offices_online",
        "core.notary_offices",
        "notary.certificates_issued",
        "notary.certificates_one_visit",
    ]
    totals = counter_totals([city.pk], today, today, codes)[city.pk]
    assert totals["notary.offices_online"] == 1 and totals["core.notary_offices"] == 3
    bj40 = Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-40")
    value = computed_value(bj40, city, totals, today)
    assert value.value == 50.0  # one of the two certificates needed more than one visit
