"""Computed figures: coverage per region with the uncovered villages (SJZ-13), monthly completion
of the service list, the quarter's three-party score and subsidy, the 法律明白人 ratios.

Coverage over a city's 7,535 villages is two grouped queries (villages per township, covered
villages per township) folded up the region tree in Python — never a query per village."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from fawang.advisers.models import (
    CommunityAdviser,
    LedgerEntry,
    LegalLiaison,
    ServiceMode,
    ServiceRating,
    ThreePartyEvaluation,
    VillageHouseholds,
)
from fawang.advisers.policy import PARTIES, AdvisersPolicy, advisers_policy
from fawang.core.errors import InvalidInput
from fawang.core.models import Region, RegionLevel


def active_on(day: date) -> Q:
    """Appointments in force at the end of ``day``."""
    return Q(term_start__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


# --- coverage ---------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    region: Region
    villages: int = 0
    covered: int = 0
    liaison_villages: int = 0
    liaisons: int = 0

    @property
    def percent(self) -> float | None:
        return None if not self.villages else round(100 * self.covered / self.villages, 1)

    @property
    def uncovered(self) -> int:
        return self.villages - self.covered


def _per_township(qs: QuerySet[Region]) -> dict[int, int]:
    return {
        r["parent_id"]: r["n"] for r in qs.values("parent_id").annotate(n=Count("id")).order_by()
    }


def coverage(root: Region, day: date) -> tuple[CoverageRow, list[CoverageRow]]:
    """The root's totals and a row per child region (district, township or, under a township,
    village), on ``day``."""
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=root.path)
    covered_ids = CommunityAdviser.objects.filter(active_on(day)).values("village_id")
    liaison_ids = LegalLiaison.objects.filter(left_on__isnull=True).values("village_id")
    counts = {
        "villages": _per_township(villages),
        "covered": _per_township(villages.filter(pk__in=covered_ids)),
        "liaison_villages": _per_township(villages.filter(pk__in=liaison_ids)),
    }
    liaisons = {
        r["village__parent_id"]: r["n"]
        for r in LegalLiaison.objects.filter(
            left_on__isnull=True, village__path__startswith=root.path
        )
        .values("village__parent_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    children = list(root.children.order_by("code"))
    total = CoverageRow(root)
    rows = {child.pk: CoverageRow(child) for child in children}
    if root.level == RegionLevel.TOWNSHIP:
        covered = set(villages.filter(pk__in=covered_ids).values_list("pk", flat=True))
        with_liaison = Counter(
            LegalLiaison.objects.filter(left_on__isnull=True, village__parent=root).values_list(
                "village_id", flat=True
            )
        )
        for child in children:
            row = rows[child.pk]
            row.villages, row.covered = 1, int(child.pk in covered)
            row.liaisons = with_liaison.get(child.pk, 0)
            row.liaison_villages = int(row.liaisons > 0)
    else:
        by_path = {child.path: rows[child.pk] for child in children}
        townships = Region.objects.filter(
            level=RegionLevel.TOWNSHIP, path__startswith=root.path
        ).values_list("pk", "path")
        for township_id, path in townships:
            child_path = "/".join(path.split("/")[: root.path.count("/") + 1]) + "/"
            found = by_path.get(child_path)
            if found is None:
                continue
            row = found
            row.villages += counts["villages"].get(township_id, 0)
            row.covered += counts["covered"].get(township_id, 0)
            row.liaison_villages += counts["liaison_villages"].get(township_id, 0)
            row.liaisons += liaisons.get(township_id, 0)
    for row in rows.values():
        total.villages += row.villages
        total.covered += row.covered
        total.liaison_villages += row.liaison_villages
        total.liaisons += row.liaisons
    return total, [rows[c.pk] for c in children]


def uncovered_villages(root: Region, day: date) -> QuerySet[Region]:
    covered = CommunityAdviser.objects.filter(active_on(day)).values("village_id")
    return (
        Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=root.path)
        .exclude(pk__in=covered)
        .select_related("parent__parent")
        .order_by("code")
    )


# --- monthly completion of the service list ----------------------------------------------------


@dataclass
class Completion:
    required: int
    met: int
    counts: dict[str, int] = field(default_factory=dict)
    on_site_minutes: int = 0

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.met / self.required)

    @property
    def complete(self) -> bool:
        return self.met >= self.required


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def completion(adviser: CommunityAdviser, month: date, policy: AdvisersPolicy) -> Completion:
    """The basic list's monthly counts and the on-site hours (pack), met or not, in one month."""
    start, end = month_bounds(month)
    entries = LedgerEntry.objects.filter(adviser=adviser, served_on__gte=start, served_on__lt=end)
    counts = dict(entries.values_list("item").annotate(n=Count("id")).order_by())
    on_site = entries.filter(mode=ServiceMode.ON_SITE).aggregate(m=Sum("minutes"))["m"] or 0
    wanted = [i for i in policy.basic if i.monthly]
    met = sum(1 for i in wanted if counts.get(i.code, 0) >= i.monthly)
    required = len(wanted)
    if policy.on_site_hours_monthly:
        required += 1
        met += int(on_site >= policy.on_site_hours_monthly * 60)
    return Completion(required, met, counts, on_site)


# --- the quarter's three-party evaluation and subsidy -----------------------------------------


def quarter_months(year: int, quarter: int) -> list[date]:
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("年份应在2000至2100之间。"), code="bad_number", field="year")
    if not 1 <= quarter <= 4:
        raise InvalidInput(_("季度应为1至4。"), code="bad_number", field="quarter")
    return [date(year, 3 * (quarter - 1) + m, 1) for m in (1, 2, 3)]


@dataclass
class Evaluation:
    adviser: CommunityAdviser
    residents: float | None  # 0–100 from the villagers' 1–5 ratings
    ratings: int
    committee: int | None
    township: int | None
    score: float | None
    low: bool
    months_complete: int
    subsidy: int
    completions: list[Completion]


def weighted(parts: dict[str, float | None], policy: AdvisersPolicy) -> float | None:
    """The pack's weights over the parts present; a missing part's weight is shared out among
    the others (docs/advisers.md), and with no part at all there is no score."""
    present = {p: v for p, v in parts.items() if v is not None}
    if not present:
        return None
    total = sum(policy.weights[p] for p in present)
    if not total:
        return None
    return round(sum(policy.weights[p] * v for p, v in present.items()) / total, 1)


def evaluate(adviser: CommunityAdviser, year: int, quarter: int) -> Evaluation:
    policy = advisers_policy(adviser.village)
    months = quarter_months(year, quarter)
    start, end = months[0], month_bounds(months[-1])[1]
    ratings = ServiceRating.objects.filter(
        appointment__adviser=adviser,
        appointment__entry__served_on__gte=start,
        appointment__entry__served_on__lt=end,
    ).aggregate(avg=Avg("score"), n=Count("id"))
    residents = None if not ratings["n"] else round(float(ratings["avg"]) * 20, 1)
    scores = ThreePartyEvaluation.objects.filter(
        adviser=adviser, year=year, quarter=quarter
    ).first()
    committee = scores.committee_score if scores else None
    township = scores.ledger_score if scores else None
    parts = dict(zip(PARTIES, (residents, committee, township), strict=True))
    score = weighted({p: None if v is None else float(v) for p, v in parts.items()}, policy)
    done = [completion(adviser, m, policy) for m in months]
    complete = sum(1 for c in done if c.complete)
    subsidy = round(policy.subsidy.per_village_month * complete * policy.factor(score))
    return Evaluation(
        adviser=adviser,
        residents=residents,
        ratings=ratings["n"],
        committee=committee,
        township=township,
        score=score,
        low=score is not None and score < policy.low_score,
        months_complete=complete,
        subsidy=subsidy,
        completions=done,
    )


def current_quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


# --- 法律明白人 ratios -------------------------------------------------------------------------


@dataclass
class LiaisonRatio:
    village: Region
    liaisons: int
    households: int | None
    needed: int

    @property
    def short(self) -> bool:
        return self.liaisons < self.needed


def liaison_ratios(villages: QuerySet[Region], policy: AdvisersPolicy) -> list[LiaisonRatio]:
    """Per village: at least the pack's number (SJZ-31: 3), and one per 20 households where a
    household count is on record (SJZ 四(一)1)."""
    ids = list(villages.values_list("pk", flat=True)[:2000])
    counts: defaultdict[int, int] = defaultdict(int)
    for village_id in LegalLiaison.objects.filter(
        village_id__in=ids, left_on__isnull=True
    ).values_list("village_id", flat=True):
        counts[village_id] += 1
    households = dict(
        VillageHouseholds.objects.filter(village_id__in=ids).values_list("village_id", "households")
    )
    rows = []
    for village in villages.filter(pk__in=ids):
        homes = households.get(village.pk)
        needed = policy.liaisons_per_village
        if homes:
            needed = max(needed, -(-homes // policy.households_per_liaison))
        rows.append(LiaisonRatio(village, counts[village.pk], homes, needed))
    return rows
