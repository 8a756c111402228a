"""SJZ-05, SJZ-06 and BJ-36 computed from the records through the packs' formulas."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fawang.core.models import Region, RegionLevel
from fawang.education import metrics, services
from fawang.indicators.formula import evaluate, parse
from fawang.policy.packs import shipped_packs
from tests.education.helpers import MALAN, World, build_world, villages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def _indicator(code: str) -> dict:
    for pack in shipped_packs():
        for entry in pack.raw["indicators"]:
            if entry["code"] == code:
                return entry
    raise AssertionError(code)


def _value(code: str, day, region_ids: set[int] | None = None) -> float | None:  # type: ignore[no-untyped-def]
    entry = _indicator(code)
    assert entry["source"] == "computed"
    counters = {name: fn for name, fn in metrics.STOCK_COUNTERS.items()}
    values = {}
    for name, fn in counters.items():
        rows = fn(day)
        values[name] = sum(v for k, v in rows.items() if region_ids is None or k in region_ids)
    formula = parse(entry["formula"], {name: "stock" for name in counters})
    return evaluate(formula, values, None)


def test_sjz05_is_the_share_of_villages_with_a_site(w: World) -> None:
    today = timezone.localdate()
    township = Region.objects.get(code="130102001000")
    villages = villages_of(township.code)
    assert metrics.villages(today) == {}  # no registry in use: no value rather than 0%
    for village in villages[:3]:
        services.register_site(
            services.SiteIn(name="法治文化广场", kind="park", region_code=village.code,
                            opened_on=today - timedelta(days=5)),
            acting_user=w.sjz_city,
        )  # fmt: skip
    assert metrics.villages_with_culture_site(today) == {township.pk: 3.0}
    assert metrics.villages(today)[township.pk] == len(villages)
    assert metrics.villages_with_culture_site(today - timedelta(days=6)) == {}
    value = _value("SJZ-05", today, {township.pk})
    assert value == pytest.approx(100 * 3 / len(villages))
    sjz_villages = Region.objects.filter(
        level=RegionLevel.VILLAGE, path__startswith="/130100000000/"
    )
    # Every real village of the city whose registry is in use; Beijing has recorded none yet.
    assert sum(metrics.villages(today).values()) == sjz_villages.count() > 5000


def test_sjz06_counts_model_villages_of_the_last_two_years_per_district(w: World) -> None:
    today = timezone.localdate()
    villages = villages_of("130102001000")
    for village in villages[:3]:
        services.record_model_village(village.code, "city", today - timedelta(days=100),
                                      acting_user=w.sjz_city)  # fmt: skip
    services.record_model_village(villages[3].code, "city", today - timedelta(days=800),
                                  acting_user=w.sjz_city)  # fmt: skip
    assert sum(metrics.model_villages_recent(today).values()) == 3
    changan = Region.objects.get(code="130102000000")
    assert _value("SJZ-06", today, {changan.pk, *[v.pk for v in villages]}) == 3
    # A window ending on 29 February 2028 starts after 28 February 2026.
    for village, named in ((villages[4], date(2026, 2, 28)), (villages[5], date(2026, 3, 1))):
        services.record_model_village(village.code, "city", named, acting_user=w.sjz_city)
    leap_day = metrics.model_villages_recent(date(2028, 2, 29))
    assert villages[5].pk in leap_day and villages[4].pk not in leap_day


def test_bj36_counts_mentougous_mountain_sites(w: World) -> None:
    today = timezone.localdate()
    assert _value("BJ-36", today) == 0
    site = services.register_site(
        services.SiteIn(name="马栏村山区法治文化广场", kind="park", region_code=MALAN,
                        opened_on=today - timedelta(days=1), mountain_feature=True),
        acting_user=w.city,
    )  # fmt: skip
    services.register_site(
        services.SiteIn(name="普通宣传栏", kind="board", region_code=MALAN, opened_on=today),
        acting_user=w.city,
    )  # fmt: skip
    assert _value("BJ-36", today) == 1
    services.close_site(site, today, acting_user=w.city)
    assert _value("BJ-36", today) == 0
