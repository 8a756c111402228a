"""Village-adviser use cases: bookings (预约), SMS confirmation and reminder."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.advisers.models import Appointment, AppointmentMode, AppointmentStatus, ServiceRating
from fawang.advisers.services._common import (
    BOOKING_HORIZON_DAYS,
    REMINDER_AHEAD,
    _int,
    _village,
    active_adviser,
)
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.validation import clean_choice, clean_text


def book(citizen: User, village_id: Any, slot: Any, topic: str, mode: str) -> Appointment:
    """A villager books the village's adviser (BJ-list 一(十) 预约服务): a future slot within the
    horizon, a topic, on site or by video or phone; confirmed by SMS to the account's number."""
    if not citizen.is_citizen:
        raise PermissionDenied(_("只有群众账户可以预约法律顾问。"))
    village = _village(village_id)
    adviser = active_adviser(village)
    if adviser is None:
        raise Conflict(_("该村（居）暂未配备法律顾问。"), code="no_adviser")
    if isinstance(slot, str):
        try:
            slot = datetime.fromisoformat(slot.strip())
        except ValueError:
            raise InvalidInput(_("请选择预约时段。"), code="bad_slot", field="slot") from None
    if not isinstance(slot, datetime):
        raise InvalidInput(_("请选择预约时段。"), code="bad_slot", field="slot")
    if timezone.is_naive(slot):
        slot = timezone.make_aware(slot)
    now = timezone.now()
    if not now < slot <= now + timedelta(days=BOOKING_HORIZON_DAYS):
        raise InvalidInput(
            _("预约时段应在今后%(days)s天之内。") % {"days": BOOKING_HORIZON_DAYS},
            code="bad_slot",
            field="slot",
        )
    topic = clean_text(topic, 500, "topic", "咨询事项")
    mode = clean_choice(mode, AppointmentMode.values, "mode", "服务方式")
    with transaction.atomic():
        appointment = Appointment.objects.create(
            citizen=citizen, adviser=adviser, slot=slot, topic=topic, mode=mode
        )
        record_event(
            "advisers.appointment_booked",
            actor=citizen,
            obj=appointment,
            detail={"village": village.code, "mode": mode},
        )
        local = timezone.localtime(slot)
        queue_sms_to_record(
            citizen,
            "phone",
            f"【法网】您已预约{village.name}法律顾问{adviser.practitioner.name}，"
            f"时间{local:%m月%d日 %H:%M}（{AppointmentMode(mode).label}）。",
        )
    return appointment


def cancel_booking(appointment: Appointment, *, citizen: User) -> Appointment:
    if appointment.citizen_id != citizen.pk:
        raise NotFound(_("未找到该预约。"))
    with transaction.atomic():
        appointment = lock(appointment)
        if appointment.status != AppointmentStatus.BOOKED:
            raise Conflict(_("该预约已处理，不能取消。"), code="bad_state")
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status"])
        record_event("advisers.appointment_cancelled", actor=citizen, obj=appointment)
    return appointment


def send_reminders(now: datetime | None = None) -> int:
    """Text each villager whose booking starts within a day, once (``reminded_at``)."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminded_at__isnull=True,
        slot__gt=now,
        slot__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("adviser__practitioner", "adviser__village", "citizen")
                .get(pk=pk)
            )
            if appointment.reminded_at is not None:
                continue
            appointment.reminded_at = now
            appointment.save(update_fields=["reminded_at"])
            local = timezone.localtime(appointment.slot)
            queue_sms_to_record(
                appointment.citizen,
                "phone",
                f"【法网】提醒：您预约的{appointment.adviser.village.name}法律顾问服务"
                f"将于{local:%m月%d日 %H:%M}开始。",
            )
            record_event("advisers.appointment_reminded", actor="fawang scheduler", obj=appointment)
            sent += 1
    return sent


def rate(appointment: Appointment, score: Any, comment: str, *, citizen: User) -> ServiceRating:
    """群众评价 of a service the villager received (the residents' part of the evaluation)."""
    if appointment.citizen_id != citizen.pk:
        raise NotFound(_("未找到该预约。"))
    value = _int(score, "score", _("评分"), least=1, most=5)
    comment = clean_text(comment, 500, "comment", "评价意见", required=False)
    with transaction.atomic():
        appointment = lock(appointment)
        if appointment.status != AppointmentStatus.DONE:
            raise Conflict(_("法律顾问登记服务后才能评价。"), code="bad_state")
        if ServiceRating.objects.filter(appointment=appointment).exists():
            raise Conflict(_("您已评价过这次服务。"), code="already_rated")
        rating = ServiceRating.objects.create(appointment=appointment, score=value, comment=comment)
        record_event(
            "advisers.service_rated", actor=citizen, obj=appointment, detail={"score": value}
        )
    return rating
