"""Duty lawyers: shifts at courts, detention centres and procuratorates, and the help given."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Practitioner, User
from fawang.core.validation import clean_text
from fawang.legalaid.models import (
    DutyHelp,
    DutyHelpKind,
    DutyPlaceKind,
    DutyShift,
    PoolStatus,
    ProviderPoolMember,
)
from fawang.legalaid.services._common import MAX_NOTE, _choice, _require_officer, is_officer_of

# --- duty lawyers --------------------------------------------------------------------------


def add_duty_shift(
    member: ProviderPoolMember,
    *,
    place_kind: str,
    place_name: str,
    on_date: date | None,
    acting_user: User,
) -> DutyShift:
    _require_officer(acting_user, member.centre_id)
    if member.status != PoolStatus.ACTIVE:
        raise InvalidInput("已清退的人员不能排班。", code="provider_not_eligible", field="provider")
    place_kind = _choice(place_kind, DutyPlaceKind.values, "place_kind", "值班场所类别")
    place_name = clean_text(place_name, 200, "place_name", "值班场所")
    if on_date is None:
        raise InvalidInput("请填写值班日期。", code="required", field="on_date")
    try:
        with transaction.atomic():
            shift = DutyShift.objects.create(
                centre_id=member.centre_id,
                place_kind=place_kind,
                place_name=place_name,
                on_date=on_date,
                provider=member,
            )
            record_event("legalaid.duty_shift_added", actor=acting_user, obj=shift)
    except IntegrityError:
        raise Conflict("该人员当天已在此处值班。", code="duplicate") from None
    return shift


def record_duty_help(
    shift: DutyShift, *, person_name: str, kind: str, note: str = "", acting_user: User
) -> DutyHelp:
    """The help a duty lawyer gave (art. 30); recorded by the lawyer or the centre."""
    own = Practitioner.objects.filter(pk=shift.provider.practitioner_id, user=acting_user).exists()
    if not (own or is_officer_of(acting_user, shift.centre_id)):
        raise PermissionDenied("只有值班律师本人或中心工作人员可以记录。")
    person_name = clean_text(person_name, 50, "person_name", "受帮助人姓名")
    kind = _choice(kind, DutyHelpKind.values, "kind", "帮助类别")
    note = clean_text(note, MAX_NOTE, "note", "说明", required=False)
    with transaction.atomic():
        help_given = DutyHelp.objects.create(
            shift=shift, person_name=person_name, kind=kind, note=note
        )
        record_event("legalaid.duty_help_recorded", actor=acting_user, obj=help_given)
    return help_given
