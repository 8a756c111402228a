"""DEMO ONLY: three seats at the Chaoyang centre of the demo seat account, day shifts
(08:00–20:00) for the seat from four days back to a week ahead (so the roster shows the night
gaps), calls of the last days posted through the telephony service, a few linked to rated work
orders, and this month's review sample with one call scored. A second run creates nothing new."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.models import User
from fawang.hotline import services
from fawang.hotline.models import CallRecord, Seat, SeatReview, Shift
from fawang.hotline.policy import hotline_policy
from fawang.hotline.telephony import CallEvent
from fawang.hotline.timing import local_zone, this_month, today_start
from fawang.workorders.models import WorkOrder

CALLS_PER_DAY = 12
ABANDONED_EVERY = 12  # one call in twelve abandoned: 91.7% answered


def _shifts(seat: Seat, person: User, supervisor: User) -> int:
    made = 0
    today = today_start()
    for offset in range(-4, 7):
        day = (today + timedelta(days=offset)).date()
        start = datetime.combine(day, time(8), tzinfo=local_zone())
        if Shift.objects.filter(staff=person, start=start).exists():
            continue
        services.add_shift(seat, person, start, start + timedelta(hours=12), acting_user=supervisor)
        made += 1
    return made


def _calls(seat: Seat, supervisor: User) -> int:
    made = 0
    now = timezone.now()
    first = today_start().replace(day=1)
    for offset in range(-4, 1):
        day_start = today_start() + timedelta(days=offset)
        if day_start < first:
            continue
        for n in range(CALLS_PER_DAY):
            offered = day_start + timedelta(hours=8, minutes=50 * n + 5)
            if offered >= now:
                break
            answered = (n + offset) % ABANDONED_EVERY != 0
            event = CallEvent(
                call_id=f"DEMO-CY-{day_start:%Y%m%d}-{n:02d}",
                centre_id=seat.centre_id,
                seat=seat.number if answered else "",
                offered_at=offered,
                answered=answered,
                wait_seconds=8 + (n * 7) % 40 if answered else 65,
                talk_seconds=180 + (n * 53) % 420 if answered else 0,
                recording_ref=f"REC-{day_start:%Y%m%d}-{n:02d}" if answered else "",
            )
            _, created = services.record_call(event, acting_user=supervisor, source="demo")
            made += int(created)
    return made


def _links(seat: Seat, supervisor: User) -> int:
    calls = CallRecord.objects.filter(
        seat=seat, outcome="answered", work_order__isnull=True
    ).order_by("pk")
    orders = WorkOrder.objects.filter(
        region__path__startswith=seat.centre.region.path, rating__isnull=False
    ).order_by("pk")
    linked_ids = set(
        CallRecord.objects.exclude(work_order=None).values_list("work_order_id", flat=True)
    )
    made = 0
    for call, order in zip(calls, [o for o in orders if o.pk not in linked_ids][:4], strict=False):
        services.link_order(call, order.number, acting_user=supervisor)
        made += 1
    return made


def _reviews(seat: Seat, supervisor: User) -> int:
    month = this_month()
    services.draw_reviews(seat.centre, month, acting_user=supervisor)
    first = SeatReview.objects.filter(call__centre=seat.centre, month=month).order_by("pk").first()
    if first is None or first.total is not None:
        return 0
    checklist = hotline_policy(seat.centre.region).checklist
    scores = {item.code: item.points - (2 if item.points >= 20 else 0) for item in checklist}
    services.score_review(first, scores, "解答准确，语言规范。", acting_user=supervisor)
    return 1


def build_demo_hotline() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    seat_user = User.objects.filter(username="demo-hotline-seat").first()
    supervisor = User.objects.filter(username="demo-supervisor-district").first()
    if seat_user is None or supervisor is None or seat_user.institution is None:
        return {"seats": 0, "shifts": 0, "calls": 0}
    centre = seat_user.institution
    with transaction.atomic():
        seats = []
        for number in ("01", "02", "03"):
            seat = Seat.objects.filter(centre=centre, number=number).first()
            seats.append(seat or services.add_seat(centre, number, acting_user=supervisor))
        counts = {
            "shifts": _shifts(seats[0], seat_user, supervisor),
            "calls": _calls(seats[0], supervisor),
        }
        counts["links"] = _links(seats[0], supervisor)
        counts["reviews"] = _reviews(seats[0], supervisor)
        if any(counts.values()):
            record_event("demo.hotline", actor="fawang demo", detail=counts)
    return counts
