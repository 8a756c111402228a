"""只跑一次: the office calendar, booking the one visit, visits recorded, video sessions."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Institution, User
from fawang.core.rows import lock
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_choice, clean_text
from fawang.notary.models import (
    Appointment,
    NotarialMatter,
    Slot,
    SlotKind,
    VideoSession,
    Visit,
)
from fawang.notary.services._common import (
    MATTER_FLOW,
    is_head_of,
    require_applicant,
    require_notary,
)
from fawang.notary.video import video_backend


def add_slot(
    office: Institution,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    capacity: int,
    *,
    acting_user: User,
) -> Slot:
    """An office head opens a calendar entry: weekday, weekend, circuit or periodic session."""
    if not is_head_of(acting_user, office.pk):
        raise PermissionDenied(_("只有公证处负责人可以安排办证日程。"))
    kind = clean_choice(kind, SlotKind.values, "kind", "日程类别", code="unknown_kind")
    place = clean_text(place, 200, "place", "地点")
    if ends_at <= starts_at:
        raise InvalidInput(_("结束时间应晚于开始时间。"), code="bad_range", field="ends_at")
    if not 1 <= capacity <= 100:
        raise InvalidInput(_("可预约数应在 1 至 100 之间。"), code="bad_capacity", field="capacity")
    with transaction.atomic():
        slot = Slot.objects.create(
            office=office,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            capacity=capacity,
        )
        record_event(
            "notary.slot_added",
            actor=acting_user,
            obj=slot,
            detail={"kind": kind, "starts_at": starts_at.isoformat()},
        )
    return slot


def book_visit(matter: NotarialMatter, slot_id: int, *, acting_user: User) -> Appointment:
    """The applicant books the one visit (signing, identity check) in an open slot."""
    require_applicant(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        check_transition(MATTER_FLOW, matter.status, "book")
        try:
            slot = lock(Slot.objects.filter(office=matter.office), slot_id)
        except Slot.DoesNotExist:
            raise InvalidInput(_("所选时段不存在。"), code="no_slot", field="slot_id") from None
        if slot.starts_at <= timezone.now():
            raise InvalidInput(
                _("所选时段已过，请选择其他时段。"), code="past_slot", field="slot_id"
            )
        open_ones = matter.appointments.filter(cancelled_at__isnull=True, attended_at__isnull=True)
        if open_ones.exists():
            raise Conflict(_("您已预约到场时间，如需改约请先取消。"), code="already_booked")
        if slot.appointments.filter(cancelled_at__isnull=True).count() >= slot.capacity:
            raise Conflict(_("该时段已约满，请选择其他时段。"), code="slot_full")
        appointment = Appointment.objects.create(slot=slot, matter=matter)
        record_event(
            "notary.visit_booked",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "slot": slot.pk},
        )
    return appointment


def cancel_booking(matter: NotarialMatter, *, acting_user: User) -> None:
    require_applicant(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        updated = matter.appointments.filter(
            cancelled_at__isnull=True, attended_at__isnull=True
        ).update(cancelled_at=timezone.now())
        if not updated:
            raise Conflict(_("没有可以取消的预约。"), code="not_booked")
        record_event(
            "notary.visit_cancelled", actor=acting_user, obj=matter, detail={"code": matter.code}
        )


def record_visit(matter: NotarialMatter, purpose: str, *, acting_user: User) -> Visit:
    """The applicant came (to the office or a circuit point): counted for "最多跑一次"."""
    require_notary(acting_user, matter)
    purpose = clean_text(purpose, 100, "purpose", "到场事由")
    with transaction.atomic():
        matter = lock(matter)
        visit = Visit.objects.create(matter=matter, purpose=purpose, recorded_by=acting_user)
        matter.appointments.filter(cancelled_at__isnull=True, attended_at__isnull=True).update(
            attended_at=visit.visited_at
        )
        record_event(
            "notary.visit_recorded",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "visits": matter.visits.count()},
        )
    return visit


def start_video(
    matter: NotarialMatter, participants: list[str], *, acting_user: User
) -> VideoSession:
    require_notary(acting_user, matter)
    if not matter.matter.allows_video:
        raise Conflict(
            _("%(matter)s不能以视频方式办理。") % {"matter": matter.matter.display_name},
            code="no_video",
        )
    names = [clean_text(p, 50, "participants", "参与人") for p in participants if p.strip()]
    if not names:
        raise InvalidInput(_("请填写参与人。"), code="required", field="participants")
    with transaction.atomic():
        matter = lock(matter)
        if matter.video_sessions.filter(ended_at__isnull=True).exists():
            raise Conflict(_("已有进行中的视频会话。"), code="video_open")
        backend = video_backend()
        room = backend.open(matter.code, names)
        session = VideoSession.objects.create(
            matter=matter,
            backend=backend.name,
            room=room.room,
            participants=names,
            started_at=timezone.now(),
            started_by=acting_user,
        )
        record_event(
            "notary.video_started",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "room": room.room},
        )
    return session


def end_video(session: VideoSession, *, acting_user: User) -> VideoSession:
    require_notary(acting_user, session.matter)
    with transaction.atomic():
        session = lock(session)
        if session.ended_at is not None:
            raise Conflict(_("视频会话已结束。"), code="video_closed")
        session.recording_ref = video_backend().close(session.room)
        session.ended_at = timezone.now()
        session.save()
        record_event(
            "notary.video_ended",
            actor=acting_user,
            obj=session.matter,
            detail={"room": session.room, "recording": session.recording_ref},
        )
    return session
