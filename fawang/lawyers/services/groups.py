"""Lawyer-line use cases: service groups, activities, placements."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.lawyers.models import (
    ActivityKind,
    FirmPairing,
    GroupKind,
    HoursStatus,
    Placement,
    ServiceActivity,
    ServiceGroup,
    ServiceHours,
)
from fawang.lawyers.services._common import (
    MAX_HOURS_PER_ACTIVITY,
    _day,
    _firm,
    _id,
    _person,
    _region,
    _require_supervisor,
    own_practitioner,
)


def create_group(
    *, name: str, kind: str, region_code: Any, member_ids: list[Any], acting_user: User
) -> ServiceGroup:
    region = _region(region_code)
    _require_supervisor(acting_user, region)
    kind = clean_choice(kind, GroupKind.values, "kind", "服务团类别")
    name = clean_text(name, 100, "name", "名称")
    members = [_person(pk, "member_ids") for pk in member_ids]
    if ServiceGroup.objects.filter(name=name).exists():
        raise Conflict(_("已有同名的服务团。"), code="duplicate")
    with transaction.atomic():
        group = ServiceGroup.objects.create(
            name=name, kind=kind, region=region, created_by=acting_user
        )
        group.members.set(members)
        record_event(
            "lawyers.group_created", actor=acting_user, obj=group, detail={"members": len(members)}
        )
    return group


def create_activity(
    *,
    kind: str,
    title: str,
    held_on: Any,
    region_code: Any,
    place: str,
    acting_user: User,
    served: Any = 0,
    enterprises: list[str] | None = None,
    group_id: Any = None,
) -> ServiceActivity:
    """The organiser (a bureau) records the activity; lawyers log hours against it. A 法治体检
    (SJZ 四 23) names the enterprises served."""
    region = _region(region_code)
    _require_supervisor(acting_user, region)
    kind = clean_choice(kind, ActivityKind.values, "kind", "活动类型")
    day = _day(held_on, "held_on", _("请按“年-月-日”填写活动日期。"))
    if day > timezone.localdate():
        raise InvalidInput(_("活动日期不能晚于今天。"), code="bad_date", field="held_on")
    firms = [clean_text(e, 100, "enterprises", "企业名称") for e in enterprises or [] if e.strip()]
    if kind == ActivityKind.HEALTH_CHECK and not firms:
        raise InvalidInput(_("“法治体检”请填写服务的企业。"), code="required", field="enterprises")
    group = None
    if group_id:
        group = ServiceGroup.objects.filter(
            pk=_id(group_id, "group_id", _("请选择服务团。"))
        ).first()
        if group is None:
            raise InvalidInput(_("所选服务团不存在。"), code="unknown", field="group_id")
    elif kind == ActivityKind.SERVICE_GROUP:
        raise InvalidInput(_("公益服务团活动请选择服务团。"), code="required", field="group_id")
    try:
        served_n = int(served or 0)
    except (TypeError, ValueError):
        raise InvalidInput(_("服务人次应为整数。"), code="bad_number", field="served") from None
    if served_n < 0:
        raise InvalidInput(_("服务人次不能为负数。"), code="bad_number", field="served")
    with transaction.atomic():
        activity = ServiceActivity.objects.create(
            kind=kind,
            title=clean_text(title, 200, "title", "主题"),
            held_on=day,
            region=region,
            place=clean_text(place, 200, "place", "地点"),
            served=served_n,
            enterprises=firms,
            group=group,
            organiser=acting_user,
        )
        record_event("lawyers.activity_created", actor=acting_user, obj=activity)
    return activity


def log_hours(activity_id: Any, hours: Any, note: str = "", *, acting_user: User) -> ServiceHours:
    """A lawyer logs hours against an activity; one log per lawyer and activity."""
    person = own_practitioner(acting_user)
    activity = ServiceActivity.objects.filter(
        pk=_id(activity_id, "activity_id", _("请选择活动。"))
    ).first()
    if activity is None:
        raise InvalidInput(_("所选活动不存在。"), code="unknown", field="activity_id")
    try:
        amount = Decimal(str(hours).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("时长应为数字（小时）。"), code="bad_number", field="hours") from None
    if not Decimal(0) < amount <= MAX_HOURS_PER_ACTIVITY:
        raise InvalidInput(_("时长应大于0且不超过24小时。"), code="bad_number", field="hours")
    try:
        with transaction.atomic():
            row = ServiceHours.objects.create(
                practitioner=person,
                activity=activity,
                hours=amount,
                note=clean_text(note, 500, "note", "说明", required=False),
                logged_by=acting_user,
            )
            record_event(
                "lawyers.hours_logged", actor=acting_user, obj=row, detail={"hours": str(amount)}
            )
    except IntegrityError:
        raise Conflict(_("您已登记过该活动的时长，不能重复登记。"), code="duplicate") from None
    return row


def confirm_hours(row: ServiceHours, confirmed: bool, *, acting_user: User) -> None:
    """Only the activity's organiser confirms (or refuses) the hours logged against it."""
    if row.activity.organiser_id != acting_user.pk:
        raise PermissionDenied(_("只有活动组织者可以确认时长。"))
    with transaction.atomic():
        locked = lock(row)
        if locked.status != HoursStatus.PENDING:
            raise Conflict(_("该时长已经处理。"), code="bad_state")
        locked.status = HoursStatus.CONFIRMED if confirmed else HoursStatus.REJECTED
        locked.confirmed_by, locked.confirmed_at = acting_user, timezone.now()
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
        record_event(
            "lawyers.hours_confirmed" if confirmed else "lawyers.hours_refused",
            actor=acting_user,
            obj=locked,
        )


def record_placement(
    *, practitioner_id: Any, host_firm_id: Any, starts_on: Any, ends_on: Any, acting_user: User
) -> Placement:
    """郊区青年律师到城区规模大所跟班学习 (BJ-list 一(四): 每年30名以上)."""
    person = _person(practitioner_id)
    host = _firm(host_firm_id, "host_firm_id")
    _require_supervisor(acting_user, person.institution.region)
    start = _day(starts_on, "starts_on", _("请按“年-月-日”填写开始日期。"))
    end = _day(ends_on, "ends_on", _("请按“年-月-日”填写结束日期。"))
    if end < start:
        raise InvalidInput(_("结束日期不能早于开始日期。"), code="bad_date", field="ends_on")
    if host.pk == person.institution_id:
        raise InvalidInput(
            _("跟班学习应到其他律师事务所。"), code="same_firm", field="host_firm_id"
        )
    with transaction.atomic():
        placement = Placement.objects.create(
            practitioner=person,
            home_firm=person.institution,
            host_firm=host,
            region=person.institution.region,
            starts_on=start,
            ends_on=end,
            recorded_by=acting_user,
        )
        record_event("lawyers.placement_recorded", actor=acting_user, obj=placement)
    return placement


def pair_firms(
    *, city_firm_id: Any, suburb_firm_id: Any, since: Any, acting_user: User
) -> FirmPairing:
    city, suburb = _firm(city_firm_id, "city_firm_id"), _firm(suburb_firm_id, "suburb_firm_id")
    _require_supervisor(acting_user, suburb.region)
    if city.pk == suburb.pk:
        raise InvalidInput(_("结对双方不能是同一律所。"), code="same_firm", field="suburb_firm_id")
    try:
        with transaction.atomic():
            pairing = FirmPairing.objects.create(
                city_firm=city,
                suburb_firm=suburb,
                since=_day(since, "since", _("请按“年-月-日”填写结对日期。")),
                recorded_by=acting_user,
            )
            record_event("lawyers.firms_paired", actor=acting_user, obj=pairing)
    except IntegrityError:
        raise Conflict(_("这两家律所已经结对。"), code="duplicate") from None
    return pairing
