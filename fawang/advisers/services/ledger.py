"""Village-adviser use cases: the ledger (台账)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.advisers.models import (
    Appointment,
    AppointmentStatus,
    CommunityAdviser,
    LedgerEntry,
    LiaisonMatter,
    ServiceMode,
)
from fawang.advisers.policy import advisers_policy
from fawang.advisers.services._common import MAX_TEXT, _date, _int, serves
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.validation import clean_choice, clean_text


@dataclass
class ServiceIn:
    item: str
    served_on: Any
    people_served: Any
    minutes: Any
    mode: str
    note: str = ""
    appointment_id: int | None = None
    matter_id: int | None = None


def record_service(adviser: CommunityAdviser, data: ServiceIn, *, acting_user: User) -> LedgerEntry:
    """A service against the list the village's district offers (基础清单 + 特色菜单), by the
    adviser appointed; a booking or a liaison's matter it answers is closed by it."""
    if not serves(acting_user, adviser):
        raise PermissionDenied(_("只有该村（居）的法律顾问可以登记服务台账。"))
    district = adviser.village.district
    items = advisers_policy(adviser.village).items_for(district.code if district else None)
    item = clean_choice(data.item, [i.code for i in items], "item", "服务项目", code="not_on_list")
    served_on = _date(data.served_on, "served_on", _("服务日期"))
    if served_on > timezone.localdate() or served_on < adviser.term_start:
        raise InvalidInput(
            _("服务日期应在聘期内且不晚于今天。"), code="bad_date", field="served_on"
        )
    people = _int(data.people_served, "people_served", _("服务人数"), least=1, most=10000)
    minutes = _int(data.minutes, "minutes", _("服务时长（分钟）"), least=1, most=1440)
    mode = clean_choice(data.mode, ServiceMode.values, "mode", "服务方式")
    note = clean_text(data.note, MAX_TEXT, "note", "服务内容", required=False)
    with transaction.atomic():
        appointment = matter = None
        if data.appointment_id:
            appointment = (
                Appointment.objects.select_for_update()
                .filter(pk=data.appointment_id, adviser=adviser)
                .first()
            )
            if appointment is None or appointment.status != AppointmentStatus.BOOKED:
                raise Conflict(_("该预约不存在或已处理。"), code="bad_state")
            appointment.status = AppointmentStatus.DONE
            appointment.save(update_fields=["status"])
        if data.matter_id:
            matter = LiaisonMatter.objects.filter(pk=data.matter_id, adviser=adviser).first()
            if matter is None or LedgerEntry.objects.filter(matter=matter).exists():
                raise Conflict(_("该事项不存在或已办结。"), code="bad_state")
        entry = LedgerEntry.objects.create(
            adviser=adviser,
            item=item,
            served_on=served_on,
            people_served=people,
            minutes=minutes,
            mode=mode,
            note=note,
            appointment=appointment,
            matter=matter,
            recorded_by=acting_user,
        )
        record_event(
            "advisers.service_recorded",
            actor=acting_user,
            obj=entry,
            detail={"village": adviser.village.code, "item": item, "minutes": minutes},
        )
    return entry
