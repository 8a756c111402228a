from __future__ import annotations

from datetime import timedelta

import pytest

from fawang.core.models import InstitutionKind, PartyOrganisation, PractitionerKind
from fawang.indicators.core_metrics import STOCK_COUNTERS
from fawang.workorders.metrics import FLOW_COUNTERS, touched_days
from fawang.workorders.models import FollowUp, WorkOrder
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_institution, make_practitioner, region
from tests.indicators.helpers import DAY_ONE, DAY_TWO, at, build_orders

pytestmark = pytest.mark.django_db


def test_work_order_counters_count_the_creation_day_by_region() -> None:
    build_orders()
    chaoyang = region("110105001000").pk
    assert FLOW_COUNTERS["workorders.created"](DAY_ONE)[chaoyang] == 6
    assert FLOW_COUNTERS["workorders.web_claimed_in_time"](DAY_ONE)[chaoyang] == 3
    assert FLOW_COUNTERS["workorders.rating_sum"](DAY_ONE)[chaoyang] == 16
    assert FLOW_COUNTERS["workorders.web_created"](DAY_TWO) == {region("110108001000").pk: 1}


def test_touched_days_finds_creation_days_of_changed_orders() -> None:
    build_orders()
    assert touched_days(at(DAY_TWO, 0) - timedelta(days=1)) >= {DAY_ONE, DAY_TWO}


def test_core_stocks_count_law_firms_with_party_organisation_and_lawyers() -> None:
    firm = make_institution(
        CHAOYANG, InstitutionKind.LAW_FIRM, party_organisation=PartyOrganisation.INDEPENDENT
    )
    make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    make_institution(HAIDIAN, InstitutionKind.LAW_FIRM, party_organisation=PartyOrganisation.JOINT)
    make_practitioner(firm, PractitionerKind.LAWYER, is_public_sector=True)
    make_practitioner(firm, PractitionerKind.LAWYER)
    today = firm.created_at.date() + timedelta(days=1)
    chaoyang, haidian = region(CHAOYANG).pk, region(HAIDIAN).pk
    assert STOCK_COUNTERS["core.law_firms"](today) == {chaoyang: 2, haidian: 1}
    assert STOCK_COUNTERS["core.law_firms_party_independent"](today) == {chaoyang: 1}
    assert STOCK_COUNTERS["core.law_firms_party_any"](today) == {chaoyang: 1, haidian: 1}
    assert STOCK_COUNTERS["core.lawyers"](today) == {chaoyang: 2}
    assert STOCK_COUNTERS["core.public_sector_lawyers"](today) == {chaoyang: 1}


def test_institutions_created_later_are_not_in_an_earlier_stock() -> None:
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    assert STOCK_COUNTERS["core.law_firms"](firm.created_at.date() - timedelta(days=2)) == {}


def test_follow_up_surveys_count_with_the_order_cohort() -> None:
    world = build_orders()
    order = WorkOrder.objects.filter(region__code="110105001000").first()
    assert order is not None
    FollowUp.objects.create(order=order, made_by=world.seat, satisfaction=5)
    FollowUp.objects.create(order=order, made_by=world.seat, satisfaction=3)
    FollowUp.objects.create(order=order, made_by=world.seat, reached=False)
    chaoyang = region("110105001000").pk
    assert FLOW_COUNTERS["workorders.surveyed"](DAY_ONE) == {chaoyang: 2}
    assert FLOW_COUNTERS["workorders.surveyed_satisfied"](DAY_ONE) == {chaoyang: 1}
