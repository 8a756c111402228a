"""Counters for the indicators module (docs/indicators.md): SJZ-05 (villages with a
legal-culture site), SJZ-06 (民主法治示范村 named in the window, per district), BJ-36
(Mentougou's mountain-feature sites). All STOCK counters: the state at the end of the day,
grouped by the record's region (additive up the region tree)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count

from fawang.core.models import Region, RegionLevel
from fawang.education.models import DemocracyModelVillage, LegalCultureSite
from fawang.education.policy import education_policy
from fawang.education.selectors import covered_village_ids
from fawang.policy.packs import NoPackForRegion

Counter = Callable[[date], dict[int, float]]


def _by_township(village_ids: set[int] | None) -> dict[int, float]:
    """Villages counted by their township (additive up the tree; a row per village per day would
    be twelve thousand rows a day for nothing the indicators read below a township)."""
    qs = Region.objects.filter(level=RegionLevel.VILLAGE)
    if village_ids is not None:
        qs = qs.filter(pk__in=village_ids)
    rows = qs.values("parent_id").annotate(n=Count("id")).order_by()
    return {row["parent_id"]: float(row["n"]) for row in rows}


def villages(day: date) -> dict[int, float]:
    """Every village and community of the real region data (SJZ-05's denominator)."""
    return _by_township(None)


def villages_with_culture_site(day: date) -> dict[int, float]:
    """Villages with at least one legal-culture site open at the end of the day."""
    return _by_township(covered_village_ids(day))


def districts(day: date) -> dict[int, float]:
    return {
        pk: 1.0
        for pk in Region.objects.filter(level=RegionLevel.DISTRICT).values_list("pk", flat=True)
    }


def model_villages_recent(day: date) -> dict[int, float]:
    """民主法治示范村 named in the pack's window (two years in SJZ 专栏1 第6项) ending on the day,
    by the village; each city's own window."""
    counted: dict[int, float] = {}
    for city in Region.objects.filter(level=RegionLevel.CITY):
        try:
            years = education_policy(city).model_village_window_years
        except NoPackForRegion:  # a city without a pack has no window: nothing counted
            continue
        since = day.replace(year=day.year - years)
        rows = (
            DemocracyModelVillage.objects.filter(
                region__path__startswith=city.path,
                designated_on__gt=since,
                designated_on__lte=day,
            )
            .values("region_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        counted.update({row["region_id"]: float(row["n"]) for row in rows})
    return counted


def mountain_sites(day: date) -> dict[int, float]:
    """BJ-36: mountain-feature sites open at the end of the day (registration allows the flag
    only in the districts the pack names: Mentougou)."""
    rows = (
        LegalCultureSite.objects.filter(mountain_feature=True, opened_on__lte=day)
        .exclude(closed_on__lte=day)
        .values("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["region_id"]: float(row["n"]) for row in rows}


FLOW_COUNTERS: dict[str, Counter] = {}
STOCK_COUNTERS: dict[str, Counter] = {
    "education.villages": villages,
    "education.villages_with_culture_site": villages_with_culture_site,
    "education.districts": districts,
    "education.model_villages_recent": model_villages_recent,
    "education.mountain_sites": mountain_sites,
}
