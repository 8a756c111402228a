"""Every state change of the hotline line: call records from the telephony system (idempotent by
the telephony call id), the link to the work order a seat created, seats and shifts (排班), and
the monthly review of sampled calls (坐席律师监管考评)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import Institution, InstitutionKind, Role, User
from fawang.core.selectors import NOT_FOUND_MESSAGE
from fawang.hotline import selectors
from fawang.hotline.models import CallOutcome, CallRecord, Seat, SeatReview, Shift
from fawang.hotline.policy import hotline_policy
from fawang.hotline.telephony import CallEvent
from fawang.hotline.timing import month_bounds
from fawang.workorders import selectors as order_selectors

# Who may sit a shift: the seat staff and the lawyers and legal-aid staff who take hotline duty.
SHIFT_ROLES = frozenset({Role.HOTLINE_SEAT, Role.LAWYER, Role.LEGAL_AID_OFFICER})
MAX_SHIFT = timedelta(hours=24)
# A telephony clock may run somewhat ahead of ours; a call dated further ahead is a wrong date
# (a mistyped year in a call-record file), which would be counted on that far-off day.
CLOCK_AHEAD = timedelta(hours=1)


def _require_supervisor(user: User) -> None:
    if not selectors.is_supervisor(user):
        raise PermissionDenied(_("只有司法行政管理人员可以管理坐席排班和考评。"), code="forbidden")


# --- call records -----------------------------------------------------------------------------


def _may_report_for(user: User, centre: Institution) -> bool:
    """The telephony integration posts with a token of a supervisor of the centre's region or of
    a seat account of the centre itself."""
    if user.role == Role.HOTLINE_SEAT:
        return user.institution_id == centre.pk
    return selectors.is_supervisor(user) and centre.region.path.startswith(
        user.region.path  # type: ignore[union-attr]
    )


def _staff_on_shift(seat: Seat, moment: datetime) -> User | None:
    shift = (
        Shift.objects.filter(seat=seat, start__lte=moment, end__gt=moment)
        .select_related("staff")
        .first()
    )
    return shift.staff if shift else None


def record_call(
    event: CallEvent, *, acting_user: User, source: str = "webhook"
) -> tuple[CallRecord, bool]:
    """Store one call event. A call id already stored returns that record unchanged (a retried
    webhook or a re-imported file must not count a call twice); ``created`` says which."""
    existing = CallRecord.objects.filter(call_id=event.call_id).first()
    centre = (
        Institution.objects.filter(pk=event.centre_id, kind=InstitutionKind.SERVICE_CENTRE)
        .select_related("region")
        .first()
    )
    if centre is None or not _may_report_for(acting_user, centre):
        raise NotFound(
            _("未找到该公共法律服务中心，或您无权报送其话务记录。"), code="unknown_centre"
        )
    if event.offered_at > timezone.now() + CLOCK_AHEAD:
        raise InvalidInput(
            _("来电时间晚于当前时间，请核对话务系统的时钟或话单中的日期。"),
            code="future_call",
            field="offered_at",
        )
    if existing is not None:
        if existing.centre_id != centre.pk:
            raise Conflict(
                _("该话务编号已属于另一中心的来电。"), code="call_conflict", field="call_id"
            )
        return existing, False
    seat = None
    if event.seat:
        seat = Seat.objects.filter(centre=centre, number=event.seat).first()
        if seat is None:
            raise InvalidInput(
                _("本中心没有坐席“%(seat)s”。") % {"seat": event.seat},
                code="unknown_seat",
                field="seat",
            )
    try:
        with transaction.atomic():
            call = CallRecord.objects.create(
                call_id=event.call_id,
                centre=centre,
                seat=seat,
                staff=_staff_on_shift(seat, event.offered_at) if seat else None,
                offered_at=event.offered_at,
                outcome=CallOutcome.ANSWERED if event.answered else CallOutcome.ABANDONED,
                wait_seconds=event.wait_seconds,
                talk_seconds=event.talk_seconds,
                recording_ref=event.recording_ref,
                source=source,
            )
            record_event(
                "hotline.call_recorded",
                actor=acting_user,
                obj=call,
                detail={"call_id": call.call_id, "outcome": call.outcome, "source": source},
            )
    except IntegrityError:
        # The same call id posted twice at once: the other request stored it.
        return CallRecord.objects.get(call_id=event.call_id), False
    return call, True


def import_cdr(events: list[CallEvent], *, acting_user: User) -> dict[str, int]:
    """A call-detail record file: all rows or none (a bad row names its line; nothing is kept)."""
    counts = {"created": 0, "existing": 0}
    with transaction.atomic():
        for event in events:
            _, created = record_call(event, acting_user=acting_user, source="cdr")
            counts["created" if created else "existing"] += 1
    return counts


def link_order(call: CallRecord, order_number: str, *, acting_user: User) -> CallRecord:
    """The seat who answered (or a supervisor) records the work order made from the call."""
    if call.staff_id != acting_user.pk and not selectors.is_supervisor(acting_user):
        raise NotFound(NOT_FOUND_MESSAGE)
    number = (order_number or "").strip()
    if not number:
        raise InvalidInput(_("请填写工单编号。"), code="required", field="order_number")
    order = order_selectors.get_order_for_user(acting_user, number)
    if call.work_order_id not in (None, order.pk):
        raise Conflict(_("该来电已关联其他工单。"), code="order_linked", field="order_number")
    with transaction.atomic():
        call.work_order = order
        call.save(update_fields=["work_order", "updated_at"])
        record_event(
            "hotline.call_linked",
            actor=acting_user,
            obj=call,
            detail={"call_id": call.call_id, "order": order.number},
        )
    return call


# --- seats and shifts -------------------------------------------------------------------------


def add_seat(centre: Institution, number: str, *, acting_user: User) -> Seat:
    _require_supervisor(acting_user)
    centre = selectors.managed_centre(acting_user, centre.pk)
    number = (number or "").strip()
    if not number or len(number) > 20:
        raise InvalidInput(_("请填写坐席号（最多20个字符）。"), code="required", field="number")
    if Seat.objects.filter(centre=centre, number=number).exists():
        raise Conflict(_("本中心已有该坐席号。"), code="duplicate_seat", field="number")
    with transaction.atomic():
        seat = Seat.objects.create(centre=centre, number=number)
        record_event("hotline.seat_added", actor=acting_user, obj=seat, detail={"number": number})
    return seat


def _check_staff(staff: User, centre: Institution) -> None:
    home = staff.region or (staff.institution.region if staff.institution else None)
    if (
        staff.role not in SHIFT_ROLES
        or home is None
        or not home.path.startswith(centre.region.path)
    ):
        raise InvalidInput(
            _("值班人员应为本区的热线坐席、律师或法律援助工作人员。"),
            code="bad_staff",
            field="staff",
        )


def add_shift(
    seat: Seat, staff: User, start: datetime, end: datetime, *, acting_user: User
) -> Shift:
    """A shift at a seat. A seat is not in two shifts at once, nor a person at two seats."""
    _require_supervisor(acting_user)
    centre = selectors.managed_centre(acting_user, seat.centre_id)
    _check_staff(staff, centre)
    if end <= start:
        raise InvalidInput(_("结束时间应晚于开始时间。"), code="bad_shift", field="end")
    if end - start > MAX_SHIFT:
        raise InvalidInput(_("一个班次不能超过24小时。"), code="bad_shift", field="end")
    with transaction.atomic():
        # Lock the seat so two supervisors cannot book the same hours at once.
        Seat.objects.select_for_update().filter(pk=seat.pk).first()
        overlapping = Shift.objects.filter(start__lt=end, end__gt=start)
        if overlapping.filter(seat=seat).exists():
            raise Conflict(_("该坐席在这段时间已有排班。"), code="shift_overlap", field="start")
        if overlapping.filter(staff=staff).exists():
            raise Conflict(
                _("该人员在这段时间已在其他坐席值班。"), code="staff_busy", field="staff"
            )
        shift = Shift.objects.create(
            seat=seat, staff=staff, start=start, end=end, created_by=acting_user
        )
        record_event(
            "hotline.shift_added",
            actor=acting_user,
            obj=shift,
            detail={"seat": seat.number, "staff": staff.pk, "start": start.isoformat()},
        )
    return shift


def remove_shift(shift: Shift, *, acting_user: User) -> None:
    _require_supervisor(acting_user)
    shift = selectors.managed_shift(acting_user, shift.pk)
    with transaction.atomic():
        record_event(
            "hotline.shift_removed",
            actor=acting_user,
            obj=shift,
            detail={"seat": shift.seat.number, "start": shift.start.isoformat()},
        )
        shift.delete()


def coverage_gaps(
    centre: Institution, start: datetime, days: int = 7
) -> list[tuple[datetime, datetime]]:
    """The stretches of [start, start + days) when no seat of the centre is staffed (7×24)."""
    end = start + timedelta(days=days)
    shifts = Shift.objects.filter(seat__centre=centre, start__lt=end, end__gt=start).order_by(
        "start"
    )
    gaps: list[tuple[datetime, datetime]] = []
    covered_to = start
    for shift in shifts:
        if shift.start > covered_to:
            gaps.append((covered_to, shift.start))
        covered_to = max(covered_to, shift.end)
    if covered_to < end:
        gaps.append((covered_to, end))
    return gaps


# --- quality review ---------------------------------------------------------------------------


def draw_reviews(centre: Institution, month: str, *, acting_user: User) -> list[SeatReview]:
    """Draw N answered calls per person of the month for review. The draw is seeded by centre and
    month, so drawing again gives the same calls (and adds none already drawn)."""
    _require_supervisor(acting_user)
    centre = selectors.managed_centre(acting_user, centre.pk)
    first, after = month_bounds(month)
    if first >= timezone.now():
        raise InvalidInput(_("只能抽取已开始月份的来电。"), code="bad_month", field="month")
    per_seat = hotline_policy(centre.region).review_sample_per_seat
    answered = CallRecord.objects.filter(
        centre=centre,
        outcome=CallOutcome.ANSWERED,
        staff__isnull=False,
        offered_at__gte=first,
        offered_at__lt=after,
    ).order_by("pk")
    by_staff: dict[int, list[CallRecord]] = {}
    for call in answered:
        by_staff.setdefault(call.staff_id, []).append(call)  # type: ignore[arg-type]
    rng = random.Random(f"hotline:{centre.pk}:{month}")
    made: list[SeatReview] = []
    with transaction.atomic():
        for staff_id in sorted(by_staff):
            calls = by_staff[staff_id]
            sample = rng.sample(calls, min(per_seat, len(calls)))
            for call in sorted(sample, key=lambda c: c.pk):
                review, created = SeatReview.objects.get_or_create(
                    call=call, defaults={"month": month, "staff_id": staff_id}
                )
                if created:
                    made.append(review)
        record_event(
            "hotline.reviews_drawn",
            actor=acting_user,
            obj=centre,
            detail={"month": month, "drawn": len(made), "per_seat": per_seat},
        )
    return made


def score_review(
    review: SeatReview, scores: dict[str, Any], comment: str, *, acting_user: User
) -> SeatReview:
    """Score a drawn call on the pack's checklist; the total is out of 100."""
    _require_supervisor(acting_user)
    review = selectors.managed_review(acting_user, review.pk)
    if review.reviewed_at is not None:
        raise Conflict(_("该来电已完成考评。"), code="already_reviewed")
    policy = hotline_policy(review.call.centre.region)
    clean: dict[str, int] = {}
    for item in policy.checklist:
        try:
            value = int(str(scores.get(item.code, "")).strip())
        except ValueError:
            raise InvalidInput(
                _("请为“%(label)s”打分（0–%(points)s）。")
                % {"label": item.label, "points": item.points},
                code="bad_score",
                field=item.code,
            ) from None
        if not 0 <= value <= item.points:
            raise InvalidInput(
                _("“%(label)s”的得分应在 0 到 %(points)s 之间。")
                % {"label": item.label, "points": item.points},
                code="bad_score",
                field=item.code,
            )
        clean[item.code] = value
    if len(comment or "") > 500:
        raise InvalidInput(_("评语最多500个字符。"), code="too_long", field="comment")
    with transaction.atomic():
        review.scores = clean
        review.total = round(sum(clean.values()) * 100 / policy.full_marks)
        review.comment = comment or ""
        review.reviewer = acting_user
        review.reviewed_at = timezone.now()
        review.save()
        record_event(
            "hotline.review_scored",
            actor=acting_user,
            obj=review,
            detail={"call_id": review.call.call_id, "total": review.total},
        )
    return review
