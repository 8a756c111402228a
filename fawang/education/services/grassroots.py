"""Activities (普法活动), legal-culture sites (法治文化阵地) and 民主法治示范村 records: recorded by
the justice office or bureau over the place, each audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.education.models import (
    ActivityKind,
    Campaign,
    DemocracyModelVillage,
    EducationActivity,
    LegalCultureSite,
    LegalCultureSiteKind,
    ModelVillageLevel,
    ResponsibilityList,
)
from fawang.education.policy import education_policy
from fawang.education.services.common import (
    clean_date,
    clean_groups,
    clean_int,
    clean_topics,
    region_in_scope,
    require_staff_over,
    village_in_scope,
)

STAFF_ONLY = "只有主管该地区的司法行政机关可以登记。"


def _today() -> Any:
    return timezone.localdate()


# --- activities --------------------------------------------------------------------------------


@dataclass
class ActivityIn:
    kind: str
    title: str
    organiser: str
    region_code: str
    held_on: Any
    audience: Any
    groups: Any
    topics: Any = field(default_factory=list)
    campaign: str = ""
    site_id: Any = None
    department_id: Any = None


def record_activity(data: ActivityIn, *, acting_user: User) -> EducationActivity:
    """An activity that took place: where (a region, maybe one of its legal-culture sites), who
    organised it, how many attended, which groups; reported against a responsibility list."""
    region = region_in_scope(acting_user, data.region_code)
    require_staff_over(acting_user, region, STAFF_ONLY)
    kind = clean_choice(data.kind, ActivityKind.values, "kind", "活动类型")
    campaign = clean_choice(data.campaign or "", Campaign.values, "campaign", "集中宣传")
    title = clean_text(data.title, 120, "title", "活动名称")
    organiser = clean_text(data.organiser, 100, "organiser", "主办单位")
    held_on = clean_date(data.held_on, "held_on", "活动日期", today=_today())
    audience = clean_int(data.audience, "audience", "受众人数", least=1, most=1_000_000)
    groups = clean_groups(data.groups)
    topics = clean_topics(data.topics, required=False)
    site = None
    if data.site_id not in (None, ""):
        site = LegalCultureSite.objects.filter(pk=_id(data.site_id, "site_id")).first()
        if site is None or (not region.contains(site.region) and not site.region.contains(region)):
            raise InvalidInput(
                "所选法治文化阵地不在活动地区。", code="site_elsewhere", field="site_id"
            )
    department = None
    if data.department_id not in (None, ""):
        department = ResponsibilityList.objects.filter(
            pk=_id(data.department_id, "department_id")
        ).first()
        # The department reports an activity held within its own area.
        if department is None or not department.region.contains(region):
            raise InvalidInput(
                "所选责任单位不存在，或活动地点不在其管辖范围内。",
                code="unknown_department",
                field="department_id",
            )
    with transaction.atomic():
        activity = EducationActivity.objects.create(
            kind=kind,
            campaign=campaign,
            title=title,
            organiser=organiser,
            region=region,
            site=site,
            department=department,
            held_on=held_on,
            audience=audience,
            groups=groups,
            topics=topics,
            recorded_by=acting_user,
        )
        record_event(
            "education.activity_recorded",
            actor=acting_user,
            obj=activity,
            detail={"title": title, "audience": audience, "region": region.code},
        )
    return activity


def _id(value: Any, field_name: str) -> int:
    return clean_int(value, field_name, "编号", least=1, most=2**31 - 1)


# --- legal-culture sites -------------------------------------------------------------------------


@dataclass
class SiteIn:
    name: str
    kind: str
    region_code: str
    opened_on: Any
    address: str = ""
    mountain_feature: bool = False


def register_site(data: SiteIn, *, acting_user: User) -> LegalCultureSite:
    """A site in a village or community (it counts for that village's coverage, SJZ-05); a
    mountain-feature site only in a district the pack names (BJ-list 二(十二), BJ-36)."""
    region = village_in_scope(acting_user, data.region_code)
    require_staff_over(acting_user, region, STAFF_ONLY)
    name = clean_text(data.name, 100, "name", "阵地名称")
    kind = clean_choice(data.kind, LegalCultureSiteKind.values, "kind", "阵地类型")
    address = clean_text(data.address, 200, "address", "地址", required=False)
    opened_on = clean_date(data.opened_on, "opened_on", "建成日期", today=_today())
    mountain = bool(data.mountain_feature)
    if mountain:
        district = region.district
        allowed = education_policy(region).mountain_site_districts
        if district is None or district.code not in allowed:
            raise InvalidInput(
                "该地区不属于山区特色法治文化阵地建设范围。",
                code="not_mountain_district",
                field="mountain_feature",
            )
    with transaction.atomic():
        site = LegalCultureSite.objects.create(
            name=name,
            kind=kind,
            region=region,
            address=address,
            mountain_feature=mountain,
            opened_on=opened_on,
            recorded_by=acting_user,
        )
        record_event(
            "education.site_registered",
            actor=acting_user,
            obj=site,
            detail={"name": name, "region": region.code, "mountain_feature": mountain},
        )
    return site


def close_site(site: LegalCultureSite, closed_on: Any, *, acting_user: User) -> LegalCultureSite:
    require_staff_over(acting_user, site.region, STAFF_ONLY)
    day = clean_date(closed_on, "closed_on", "撤销日期", today=_today())
    with transaction.atomic():
        site = lock(site)
        if site.closed_on is not None:
            raise Conflict("该阵地已撤销。", code="bad_state")
        if day < site.opened_on:
            raise InvalidInput("撤销日期不能早于建成日期。", code="bad_date", field="closed_on")
        site.closed_on = day
        site.save(update_fields=["closed_on", "updated_at"])
        record_event("education.site_closed", actor=acting_user, obj=site)
    return site


# --- 民主法治示范村 --------------------------------------------------------------------------------


def record_model_village(
    region_code: str, level: str, designated_on: Any, batch: str = "", *, acting_user: User
) -> DemocracyModelVillage:
    region = village_in_scope(acting_user, region_code)
    require_staff_over(acting_user, region, STAFF_ONLY)
    level = clean_choice(level, ModelVillageLevel.values, "level", "命名级别")
    day = clean_date(designated_on, "designated_on", "命名日期", today=_today())
    batch = clean_text(batch, 60, "batch", "批次", required=False)
    try:
        with transaction.atomic():
            record = DemocracyModelVillage.objects.create(
                region=region, level=level, designated_on=day, batch=batch, recorded_by=acting_user
            )
            record_event(
                "education.model_village_recorded",
                actor=acting_user,
                obj=record,
                detail={"region": region.code, "level": level},
            )
    except IntegrityError:
        raise Conflict(
            "该村（社区）已有同级别的示范村命名记录。", code="already_recorded"
        ) from None
    return record
