"""Scoped reads. Staff (the justice offices and bureaus) see the records of their region subtree;
the public sees only published content. Denials are 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from fawang.core.errors import NotFound
from fawang.core.models import Region, RegionLevel, User
from fawang.core.scope import scope_filter
from fawang.core.selectors import NOT_FOUND_MESSAGE, one_in_scope
from fawang.education.models import (
    ContentStatus,
    DemocracyModelVillage,
    EducationActivity,
    EducationContent,
    EducationTheme,
    LegalCultureSite,
    ResponsibilityList,
)
from fawang.education.policy import education_policy
from fawang.policy.packs import NoPackForRegion, pack_for_region


def _scoped(qs: QuerySet[Any], user: User, region: str = "region") -> QuerySet[Any]:
    return qs.filter(scope_filter(user, region=region, institution=None))


# --- content ---------------------------------------------------------------------------------


def content_for_user(user: User) -> QuerySet[EducationContent]:
    return _scoped(EducationContent.objects.select_related("region", "author", "reviewer"), user)


def get_content_for_user(user: User, pk: int) -> EducationContent:
    return one_in_scope(content_for_user(user), pk=pk)


def published_content(
    *, group: str = "", topic: str = "", kind: str = "", search: str = ""
) -> QuerySet[EducationContent]:
    """The public list: published only, filtered by target group, topic, kind and words."""
    qs = EducationContent.objects.filter(status=ContentStatus.PUBLISHED).select_related("region")
    # JSON lists: filter in Python-free SQL by the quoted code (works on SQLite and PostgreSQL).
    if group:
        qs = qs.filter(groups__icontains=f'"{group}"')
    if topic:
        qs = qs.filter(topics__icontains=f'"{topic}"')
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(
            Q(title__icontains=search) | Q(summary__icontains=search) | Q(body__icontains=search)
        )
    return qs.order_by("-published_at", "-pk")


def get_published(pk: int) -> EducationContent:
    found = published_content().filter(pk=pk).first()
    if found is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return found


# --- records -----------------------------------------------------------------------------------


def activities_for_user(user: User) -> QuerySet[EducationActivity]:
    return _scoped(EducationActivity.objects.select_related("region", "site", "department"), user)


def sites_for_user(user: User) -> QuerySet[LegalCultureSite]:
    return _scoped(LegalCultureSite.objects.select_related("region__parent"), user)


def get_site_for_user(user: User, pk: int) -> LegalCultureSite:
    return one_in_scope(sites_for_user(user), pk=pk)


def model_villages_for_user(user: User) -> QuerySet[DemocracyModelVillage]:
    return _scoped(DemocracyModelVillage.objects.select_related("region__parent"), user)


def lists_for_user(user: User) -> QuerySet[ResponsibilityList]:
    return _scoped(ResponsibilityList.objects.select_related("region"), user)


def lists_reportable_by(user: User, year: int) -> QuerySet[ResponsibilityList]:
    """Lists an activity recorder may report against: departments over or inside their region."""
    if user.region is None:
        return ResponsibilityList.objects.none()
    return ResponsibilityList.objects.filter(
        Q(region__path__in=user.region.ancestor_paths())
        | Q(region__path__startswith=user.region.path),
        year=year,
    ).order_by("department")


def get_list_for_user(user: User, pk: int) -> ResponsibilityList:
    return one_in_scope(lists_for_user(user), pk=pk)


def themes_for_user(user: User) -> QuerySet[EducationTheme]:
    return _scoped(EducationTheme.objects.select_related("region"), user)


def published_for_topic(topic: str, region: Region) -> int:
    """How much published content on a topic serves a region (written there or above it)."""
    return EducationContent.objects.filter(
        status=ContentStatus.PUBLISHED,
        topics__icontains=f'"{topic}"',
        region__path__in=region.ancestor_paths(),
    ).count()


# --- coverage (SJZ-05) and 民主法治示范村 (SJZ-06) ------------------------------------------------


@dataclass
class CoverageRow:
    region: Region
    villages: int
    covered: int

    @property
    def percent(self) -> float:
        return round(100 * self.covered / self.villages, 1) if self.villages else 0.0


def covered_village_ids(day: date | None = None) -> set[int]:
    """Villages with a legal-culture site open on the day (today when None)."""
    qs = LegalCultureSite.objects.all()
    if day is not None:
        qs = qs.filter(opened_on__lte=day).exclude(closed_on__lte=day)
    else:
        qs = qs.filter(closed_on__isnull=True)
    return set(qs.values_list("region_id", flat=True))


def _child_path(path: str, depth: int) -> str:
    parts = path.strip("/").split("/")
    return "/" + "/".join(parts[:depth]) + "/"


def site_coverage(root: Region) -> tuple[CoverageRow, list[CoverageRow], list[Region]]:
    """Coverage of the villages under ``root``: the total, one row per child region, and the
    uncovered villages (the first 200)."""
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=root.path)
        .only("id", "path", "name", "code", "parent_id")
        .order_by("code")
    )
    covered = covered_village_ids()
    depth = len(root.path.strip("/").split("/")) + 1
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for village in villages:
        key = _child_path(village.path, depth)
        counts[key][0] += 1
        counts[key][1] += village.pk in covered
    children = {r.path: r for r in Region.objects.filter(path__in=list(counts)).order_by("code")}
    rows = [CoverageRow(children[p], *counts[p]) for p in children]
    total = CoverageRow(root, len(villages), sum(v.pk in covered for v in villages))
    uncovered = [v for v in villages if v.pk not in covered][:200]
    return total, rows, uncovered


@dataclass
class ModelVillageRow:
    district: Region
    recent: int
    target: float | None  # the city pack's SJZ-06 target; None where the pack sets none

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.recent >= self.target


# The pack indicators that set the targets shown beside the registry figures.
COVERAGE_INDICATOR, MODEL_VILLAGE_INDICATOR = "SJZ-05", "SJZ-06"


def indicator_target(region: Region, code: str) -> float | None:
    """The target of one of the city pack's indicators (None when the city's pack has none)."""
    try:
        pack = pack_for_region(region)
    except NoPackForRegion:
        return None
    for entry in pack.raw.get("indicators", []):
        if entry.get("code") == code:
            return float(entry["target"])
    return None


def model_villages_by_district(root: Region, today: date) -> list[ModelVillageRow]:
    """Per district under ``root``: villages named in the pack's window ending today."""
    years = education_policy(root).model_village_window_years
    since = today.replace(year=today.year - years)
    districts = Region.objects.filter(
        level=RegionLevel.DISTRICT, path__startswith=root.path
    ).order_by("code")
    if root.level in {RegionLevel.DISTRICT, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE}:
        districts = Region.objects.filter(pk=root.district.pk) if root.district else districts
    recent = DemocracyModelVillage.objects.filter(designated_on__gt=since, designated_on__lte=today)
    counted: dict[str, int] = defaultdict(int)
    for path in recent.values_list("region__path", flat=True):
        counted[_child_path(path, 2)] += 1
    target = indicator_target(root, MODEL_VILLAGE_INDICATOR)
    return [ModelVillageRow(d, counted[d.path], target) for d in districts]


# --- responsibility lists ---------------------------------------------------------------------


def responsibility_rows(user: User, year: int) -> list[ResponsibilityList]:
    """The year's lists with their reported activities (count, audience) and assessment."""
    return list(
        lists_for_user(user)
        .filter(year=year)
        .select_related("assessment")
        .annotate(
            reported=Count("activities", filter=Q(activities__held_on__year=year)),
            reached=Sum("activities__audience", filter=Q(activities__held_on__year=year)),
        )
    )


def coverage_root(user: User, code: str = "") -> Region:
    """The region whose coverage a staff member asks for: theirs, or one inside it (else 404)."""
    if not user.is_authenticated or user.is_citizen or user.region is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    if not code:
        return user.region
    region = Region.objects.filter(code=code).first()
    if region is None or not user.region.contains(region):
        raise NotFound(NOT_FOUND_MESSAGE)
    return region
