"""The demo work orders: rules for every district, a believable history, idempotent builds.

The demo Beijing and its orders are built once for this module (about 20 s) inside a transaction
that is rolled back at the end; each test runs in a savepoint inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from fawang.audit.services import seal_pending, verify_chain
from fawang.core.demo import build_demo_world
from fawang.core.models import Institution, InstitutionKind, Region, RegionLevel, User
from fawang.workorders.demo import CHAOYANG_CENTRE, HAIDIAN_CENTRE, build_demo_work_orders
from fawang.workorders.models import (
    BusinessLine,
    Channel,
    DispatchRule,
    ExchangeMessage,
    Status,
    WorkOrder,
)
from fawang.workorders.selectors import dashboard_for_user
from tests.conftest import BEIJING, CHAOYANG

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def first_build(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_world()
        yield build_demo_work_orders()
        transaction.set_rollback(True)


def centre_of(district: Region) -> Institution | None:
    return Institution.objects.filter(region=district, kind=InstitutionKind.SERVICE_CENTRE).first()


def test_every_district_with_a_centre_has_a_rule_for_every_business_line(
    first_build: dict[str, int],
) -> None:
    districts = Region.objects.filter(parent__code=BEIJING, level=RegionLevel.DISTRICT)
    with_centre = [d for d in districts if centre_of(d) is not None]
    assert len(with_centre) >= 16
    for district in with_centre:
        rules = {
            rule.business_line: rule.institution
            for rule in DispatchRule.objects.filter(region=district, topic="", active=True)
        }
        assert set(rules) == set(BusinessLine.values), district.name
        assert rules[BusinessLine.CONSULTATION] == centre_of(district)
        assert rules[BusinessLine.LEGAL_AID].kind == InstitutionKind.LEGAL_AID_CENTRE
        assert rules[BusinessLine.COMPLAINT].kind == InstitutionKind.JUSTICE_BUREAU
        assert rules[BusinessLine.ARBITRATION].name == "北京仲裁委员会"
        assert rules[BusinessLine.NOTARIZATION].kind in {
            InstitutionKind.NOTARY_OFFICE,
            InstitutionKind.SERVICE_CENTRE,
        }


def test_the_city_has_a_catch_all_rule_to_the_city_centre(first_build: dict[str, int]) -> None:
    rule = DispatchRule.objects.get(region__code=BEIJING, business_line="", topic="")
    assert rule.institution.name == "北京市公共法律服务中心"


def test_a_second_build_creates_nothing(first_build: dict[str, int]) -> None:
    assert first_build["dispatch_rules"] > 100
    assert 250 <= first_build["work_orders"] <= 350
    orders, rules = WorkOrder.objects.count(), DispatchRule.objects.count()

    again = build_demo_work_orders()

    assert set(again.values()) == {0}
    assert (WorkOrder.objects.count(), DispatchRule.objects.count()) == (orders, rules)


def test_chaoyang_centre_has_no_queued_order_and_haidian_has_fresh_ones(
    first_build: dict[str, int],
) -> None:
    queued = WorkOrder.objects.filter(status=Status.QUEUED)
    assert not queued.filter(institution__name=CHAOYANG_CENTRE).exists()
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    fresh = queued.filter(institution__name=HAIDIAN_CENTRE, created_at__gte=today)
    assert 3 <= fresh.count() <= 5


def test_orders_come_in_through_every_channel(first_build: dict[str, int]) -> None:
    channels = set(WorkOrder.objects.values_list("channel", flat=True))
    assert channels == set(Channel.values)
    assert not WorkOrder.objects.filter(channel=Channel.REFERRAL, referral_source="").exists()


def test_most_orders_are_in_chaoyang_and_haidian(first_build: dict[str, int]) -> None:
    total = WorkOrder.objects.count()
    chaoyang = WorkOrder.objects.filter(region__path__contains="/110105000000/").count()
    haidian = WorkOrder.objects.filter(region__path__contains="/110108000000/").count()
    assert chaoyang > haidian > total - chaoyang - haidian > 0


def test_some_orders_are_rated_and_most_ratings_are_good(first_build: dict[str, int]) -> None:
    rated = WorkOrder.objects.filter(rating__isnull=False)
    assert rated.count() >= 50
    assert rated.filter(rating__gte=4).count() / rated.count() >= 0.8
    assert rated.filter(rating__lte=2).exists()


def test_the_history_is_backdated_consistently(first_build: dict[str, int]) -> None:
    now = timezone.now()
    orders = WorkOrder.objects.all()
    assert not orders.filter(created_at__lt=now - timedelta(days=61)).exists()
    assert orders.filter(created_at__lt=now - timedelta(days=45)).exists()
    assert not orders.filter(
        Q(claimed_at__lt=F("created_at"))
        | Q(replied_at__lt=F("claimed_at"))
        | Q(rated_at__lt=F("replied_at"))
        | Q(closed_at__lt=F("replied_at"))
        | Q(claim_due_at__lte=F("created_at"))
        | Q(claimed_at__gt=now)
        | Q(replied_at__gt=now)
    ).exists()
    order = orders.filter(status=Status.CLOSED, rated_at__isnull=False).first()
    assert order is not None
    assert list(order.events.values_list("occurred_at", flat=True)) == sorted(
        order.events.values_list("occurred_at", flat=True)
    )
    assert order.events.get(kind="created").occurred_at == order.created_at


def test_the_district_dashboard_shows_mostly_timely_claims_and_some_overdue(
    first_build: dict[str, int],
) -> None:
    now = timezone.now()
    supervisor = User.objects.get(username="demo-supervisor-district")
    board = dashboard_for_user(
        supervisor, Region.objects.get(code=CHAOYANG), now - timedelta(days=61), now
    )
    assert board.claim_on_time_rate is not None and 0.85 <= board.claim_on_time_rate < 1
    assert WorkOrder.objects.filter(claim_overdue=True).exists()
    assert WorkOrder.objects.filter(supervised=True).exists()


def test_the_audit_chain_still_verifies(first_build: dict[str, int]) -> None:
    seal_pending()  # as `fawang audit verify` does: what the sealer would have done by now
    assert verify_chain().ok


def test_order_numbers_rise_with_the_time_orders_came_in(first_build: dict[str, int]) -> None:
    numbers = list(WorkOrder.objects.filter(parent=None).order_by("created_at", "id"))
    assert [o.number for o in numbers] == sorted(o.number for o in numbers)


def test_nothing_about_invented_orders_is_queued_for_12345(first_build: dict[str, int]) -> None:
    assert WorkOrder.objects.filter(channel=Channel.CITIZEN_HOTLINE_12345).exists()
    assert not ExchangeMessage.objects.exists()
