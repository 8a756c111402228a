"""Counters for the indicators module (docs/indicators.md): SJZ-05 (villages with a
legal-culture site), SJZ-06 (民主法治示范村 named in the window, per district), BJ-36
(Mentougou's mountain-feature sites). All STOCK counters: the state at the end of the day,
grouped by the record's region (additive up the region tree)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from itertools import chain

from django.db.models import Count, Q, QuerySet

from fawang.core.models import Region, RegionLevel
from fawang.core.periods import local_days
from fawang.education.models import DemocracyModelVillage, LegalCultureSite
from fawang.education.policy import education_policy
from fawang.education.selectors import covered_village_ids
from fawang.policy.packs import NoPackForRegion

Counter = Callable[[date], dict[int, float]]


def _cities_in_use(paths: list[str]) -> list[str]:
    """The city paths ("/<city>/") of the records' regions: where the registry is in use."""
    return sorted({"/" + path.strip("/").split("/")[0] + "/" for path in paths})


def _by_township(qs: QuerySet[Region]) -> dict[int, float]:
    """Villages counted by their township (additive up the tree; a row per village per day would
    be twelve thousand rows a day for nothing the indicators read below a township)."""
    rows = qs.filter(level=RegionLevel.VILLAGE).values("parent_id").annotate(n=Count("id"))
    return {row["parent_id"]: float(row["n"]) for row in rows.order_by()}


def _under(paths: list[str], field: str = "path") -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def villages(day: date) -> dict[int, float]:
    """SJZ-05's denominator: every village and community of a city whose legal-culture site
    registry is in use by the day (a site recorded there). A city that has recorded none has no
    value rather than a 0% that only says nobody has entered the registry yet."""
    paths = LegalCultureSite.objects.filter(opened_on__lte=day).values_list(
        "region__path", flat=True
    )
    cities = _cities_in_use(list(paths.distinct()))
    return _by_township(Region.objects.filter(_under(cities))) if cities else {}


def villages_with_culture_site(day: date) -> dict[int, float]:
    """Villages with at least one legal-culture site open at the end of the day."""
    return _by_township(Region.objects.filter(pk__in=covered_village_ids(day)))


def districts(day: date) -> dict[int, float]:
    """SJZ-06's denominator: the districts of a city that records 民主法治示范村 (one by the day)."""
    paths = DemocracyModelVillage.objects.filter(designated_on__lte=day).values_list(
        "region__path", flat=True
    )
    cities = _cities_in_use(list(paths.distinct()))
    if not cities:
        return {}
    ids = Region.objects.filter(_under(cities), level=RegionLevel.DISTRICT).values_list(
        "pk", flat=True
    )
    return {pk: 1.0 for pk in ids}


def model_villages_recent(day: date) -> dict[int, float]:
    """民主法治示范村 named in the pack's window (two years in SJZ 专栏1 第6项) ending on the day,
    by the village; each city's own window."""
    paths = DemocracyModelVillage.objects.filter(designated_on__lte=day).values_list(
        "region__path", flat=True
    )
    # Only the cities with records, and one query per distinct window, not per city: a national
    # fill has ~360 cities.
    cities_by_window: dict[int, list[str]] = defaultdict(list)
    for city in Region.objects.filter(path__in=_cities_in_use(list(paths.distinct()))):
        try:
            years = education_policy(city).model_village_window_years
        except NoPackForRegion:  # a city without a pack has no window: nothing counted
            continue
        cities_by_window[years].append(city.path)
    counted: dict[int, float] = {}
    for years, cities in cities_by_window.items():
        # 29 February has no twin in most years: the window then starts on the 28th.
        since = day.replace(year=day.year - years, day=min(day.day, 28 if day.month == 2 else 31))
        rows = (
            DemocracyModelVillage.objects.filter(
                _under(cities, "region__path"), designated_on__gt=since, designated_on__lte=day
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


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. Every counter here is a stock: the
    fill refills them from the earliest of these days to today (today's on every run).

    For every row changed since ``since`` (each model below has an ``updated_at`` that every
    service bumps): the dates its counters count it on, and the local day of the change —
    legal-culture sites: ``opened_on`` and ``closed_on`` (coverage, the villages denominator,
    mountain sites); 民主法治示范村: ``designated_on`` (the window and the districts
    denominator). The office records a site built, or closed, and a village named on any day up
    to today, never ahead of it: a site built weeks ago and recorded today counts from the day it
    was built. A designation leaves its window years later with no row changing; that day's
    figure is today's, refilled on every run. Activities feed no counter.

    Left to today's refill: what no row here dates — the region tree behind the denominators;
    a new pack window needs ``fawang indicators fill --full``. A date changed later (the day it
    had before is not kept) needs ``fawang indicators fill --since``; the services set each date
    once.
    """
    changed = [
        LegalCultureSite.objects.filter(updated_at__gte=since).values_list(
            "opened_on", "closed_on", "updated_at"
        ),
        DemocracyModelVillage.objects.filter(updated_at__gte=since).values_list(
            "designated_on", "updated_at"
        ),
    ]
    return local_days(chain.from_iterable(changed))


FLOW_COUNTERS: dict[str, Counter] = {}
STOCK_COUNTERS: dict[str, Counter] = {
    "education.villages": villages,
    "education.villages_with_culture_site": villages_with_culture_site,
    "education.districts": districts,
    "education.model_villages_recent": model_villages_recent,
    "education.mountain_sites": mountain_sites,
}
