from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from fawang.indicators import fill
from fawang.indicators.models import DailyCount, FillState, MonthlyCount
from fawang.indicators.selectors import indicators_for
from fawang.indicators.values import counter_totals, split_period, values_for
from fawang.workorders.services import claim_order
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import region
from tests.indicators.helpers import DAY_ONE, DAY_TWO, at, build_orders, load_shipped, order_on

pytestmark = pytest.mark.django_db


def _snapshot() -> set[tuple[object, ...]]:
    return set(DailyCount.objects.values_list("day", "region_id", "counter", "value"))


def _months() -> set[tuple[object, ...]]:
    return set(MonthlyCount.objects.values_list("month", "region_id", "counter", "value"))


def _total(code: str, counter: str, day: object = DAY_ONE) -> float:
    row = DailyCount.objects.filter(region=region(code), counter=counter, day=day).first()
    return row.value if row else 0.0


def test_counts_are_rolled_up_from_township_to_city() -> None:
    build_orders()
    fill.fill_days([DAY_ONE, DAY_TWO])
    assert _total(CHAOYANG, "workorders.web_created") == 4
    assert _total(CHAOYANG, "workorders.web_claimed_in_time") == 3
    assert _total(HAIDIAN, "workorders.web_created") == 1
    assert _total(BEIJING, "workorders.web_created") == 5
    assert _total(BEIJING, "workorders.web_created", DAY_TWO) == 1
    assert _total(BEIJING, "workorders.created") == 7
    assert _total(CHAOYANG, "workorders.satisfied") == 3
    assert _total(CHAOYANG, "workorders.rated_2") == 1


def test_web_claim_indicator_has_hand_computed_values() -> None:
    build_orders()
    load_shipped()
    fill.fill_days([DAY_ONE, DAY_TWO])
    regions = [region(BEIJING), region(CHAOYANG), region(HAIDIAN)]
    indicators = [i for i in indicators_for(regions[0]) if i.code == "BJ-01"]
    values = values_for(indicators, regions, DAY_ONE, DAY_TWO)
    by_region = {r.code: values[r.pk][indicators[0].pk] for r in regions}
    # Beijing: 4 of 6 web orders claimed in time; Chaoyang 3 of 4; Haidian 1 of 2.
    assert by_region[BEIJING].value == pytest.approx(100 * 4 / 6)
    assert by_region[CHAOYANG].value == 75
    assert by_region[HAIDIAN].value == 50
    assert by_region[CHAOYANG].provenance["counters"] == {
        "workorders.web_claimed_in_time": 3.0,
        "workorders.web_created": 4.0,
    }


def test_refilling_a_day_never_double_counts() -> None:
    build_orders()
    fill.fill_days([DAY_ONE])
    first = _snapshot()
    fill.fill_days([DAY_ONE])
    fill.fill_days([DAY_ONE])
    assert _snapshot() == first


@pytest.fixture
def short_first_fill(settings: Any) -> None:
    """The first run fills 40 days back instead of a year: the same code, a tenth of the days."""
    settings.INDICATOR_FIRST_FILL_DAYS = 40


@pytest.mark.usefixtures("short_first_fill")
def test_incremental_fill_equals_full_recompute() -> None:
    world = build_orders()
    now = at(DAY_TWO, 23)
    fill.fill_incremental(now=now - timedelta(days=400))  # first run, long before the orders
    FillState.objects.update(last_run_at=now)
    late = order_on(world, DAY_ONE)  # queued, unclaimed
    claim_order(late, acting_user=world.seat)  # an event today refills DAY_ONE
    fill.fill_incremental(now=timezone.now())
    incremental = {row for row in _snapshot() if row[0] in (DAY_ONE, DAY_TWO)}
    march = {row for row in _months() if row[0] == DAY_ONE.replace(day=1)}
    fill.fill_full(DAY_ONE.replace(day=1), DAY_ONE.replace(day=31))
    assert incremental == {row for row in _snapshot() if row[0] in (DAY_ONE, DAY_TWO)}
    assert march == {row for row in _months() if row[0] == DAY_ONE.replace(day=1)}
    assert _total(CHAOYANG, "workorders.web_created") == 5


@pytest.mark.usefixtures("short_first_fill")
def test_rerunning_the_incremental_fill_changes_nothing() -> None:
    build_orders()
    fill.fill_incremental(now=at(DAY_TWO, 23))
    first = _snapshot()
    assert _total(BEIJING, "workorders.web_created") == 5  # the first run reached back to them
    fill.fill_incremental(now=at(DAY_TWO, 23) + timedelta(minutes=15))
    assert {r for r in _snapshot() if r[0] <= DAY_TWO} == {r for r in first if r[0] <= DAY_TWO}


def test_stock_totals_take_the_last_filled_day() -> None:
    DailyCount.objects.create(day=DAY_ONE, region=region(CHAOYANG), counter="core.lawyers", value=5)
    DailyCount.objects.create(day=DAY_TWO, region=region(CHAOYANG), counter="core.lawyers", value=7)
    totals = counter_totals([region(CHAOYANG).pk], DAY_ONE, DAY_TWO, ["core.lawyers"])
    assert totals[region(CHAOYANG).pk]["core.lawyers"] == 7


def test_month_rows_sum_the_days_and_periods_split_on_months() -> None:
    build_orders()
    fill.fill_days([DAY_ONE, DAY_TWO])
    march = MonthlyCount.objects.get(
        region=region(BEIJING), counter="workorders.web_created", month=DAY_ONE.replace(day=1)
    )
    assert march.value == 6
    months, ranges = split_period(DAY_ONE, DAY_TWO.replace(day=30), date(2026, 12, 1))
    assert months == [] and ranges == [(DAY_ONE, DAY_TWO.replace(day=30))]
    totals = counter_totals(
        [region(BEIJING).pk], DAY_ONE.replace(day=1), DAY_TWO, ["workorders.web_created"]
    )
    assert totals[region(BEIJING).pk]["workorders.web_created"] == 6


def test_village_counts_are_kept_by_their_township() -> None:
    build_orders()
    fill.fill_days([DAY_ONE])
    assert not DailyCount.objects.filter(region__level="village").exists()
