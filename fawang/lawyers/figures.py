"""The bureau's figures: the lawyer plan's targets from the pack beside values computed from the
records in the bureau's area (a target whose records are not kept shows "未登记")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fawang.core.models import (
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    RegionLevel,
    User,
)
from fawang.lawyers import selectors
from fawang.lawyers.models import (
    ActivityKind,
    ForeignTalent,
    GroupKind,
    HoursStatus,
    LawyerKind,
    Placement,
    ServiceActivity,
    ServiceHours,
)
from fawang.lawyers.policy import LawyersPolicy

LABELS = {
    "lawyers_per_10k": gettext_lazy("每万人拥有律师数（人）"),
    "firms_100_lawyers": gettext_lazy("100名律师以上律师事务所（家）"),
    "foreign_branches": gettext_lazy("境外分支机构（家）"),
    "foreign_leading_talents": gettext_lazy("涉外律师领军人才（人）"),
    "public_sector_and_company_lawyers": gettext_lazy("公职律师、公司律师（名）"),
}


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | None
    target: float | None

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


def _lawyers(user: User) -> QuerySet[Practitioner]:
    return selectors.people_for_user(user).filter(
        kind=PractitionerKind.LAWYER, status=PractitionerStatus.PRACTISING
    )


def plan_values(user: User) -> dict[str, float | None]:
    lawyers = _lawyers(user)
    count = lawyers.count()
    population = user.region.resident_population if user.region else None
    big = lawyers.values("institution_id").annotate(n=Count("id")).filter(n__gte=100).count()
    branches = selectors.firms_for_user(user).aggregate(n=Sum("firm_profile__foreign_branches"))
    return {
        "lawyers_per_10k": round(count * 10_000 / population, 2) if population else None,
        "firms_100_lawyers": float(big),
        "foreign_branches": float(branches["n"] or 0),
        "foreign_leading_talents": float(
            lawyers.filter(lawyer_profile__foreign_talent=ForeignTalent.LEADING).count()
        ),
        "public_sector_and_company_lawyers": float(
            lawyers.filter(
                lawyer_profile__lawyer_kind__in=[LawyerKind.PUBLIC_SECTOR, LawyerKind.COMPANY]
            ).count()
        ),
    }


def plan_figures(user: User, policy: LawyersPolicy) -> list[Figure]:
    values = plan_values(user)
    return [
        Figure(str(LABELS[key]), values[key], policy.plan_targets.get(key))
        for key in LABELS
        if key in policy.plan_targets
    ]


def yearly_figures(user: User, year: int, policy: LawyersPolicy) -> list[Figure]:
    """BJ-17, BJ-18 and the per-lawyer hours (BJ-35) for the year, in the bureau's area."""
    path = user.region.path if user.region else "/none/"
    activities = ServiceActivity.objects.filter(
        region__path__startswith=path,
        held_on__year=year,
        kind=ActivityKind.SERVICE_GROUP,
        group__kind__in=[GroupKind.VOLUNTEER, GroupKind.CIRCUIT],
    ).count()
    placements = Placement.objects.filter(
        region__path__startswith=path, starts_on__year=year
    ).count()
    checks = ServiceActivity.objects.filter(
        region__path__startswith=path, held_on__year=year, kind=ActivityKind.HEALTH_CHECK
    )
    enterprises = sum(len(a.enterprises or []) for a in checks)
    lawyers = _lawyers(user)
    hours = ServiceHours.objects.filter(
        status=HoursStatus.CONFIRMED, activity__held_on__year=year, practitioner__in=lawyers
    ).aggregate(n=Sum("hours"))["n"]
    n = lawyers.count()
    per = round(float(hours or 0) / n, 1) if n else None
    return [
        Figure(_("志愿团、巡回服务团活动（次）"), float(activities),
               float(policy.group_activities_target) or None),
        Figure(_("青年律师跟班学习（名）"), float(placements),
               float(policy.placements_target) or None),
        Figure(_("律师人均公益法律服务时长（小时）"), per, float(policy.hours_target)),
        Figure(_("“法治体检”服务企业（家）"), float(enterprises), None),
    ]  # fmt: skip


def districts_of(region: Region) -> list[Region]:
    """The districts of the city the region lies in (where an obstructing organ sits)."""
    city_code = region.path.strip("/").split("/")[0]
    city = Region.objects.filter(code=city_code).first()
    if city is None:
        return []
    return list(
        Region.objects.filter(path__startswith=city.path, level=RegionLevel.DISTRICT).order_by(
            "code"
        )
    )
