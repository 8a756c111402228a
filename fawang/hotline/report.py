"""The monthly seat report (坐席月报): per person, the calls, 接通率, waits, talk, satisfaction of
the linked work orders and the review score — computed from the records — beside the pack's
targets (SJZ 专栏5: 接通率和满意率均不低于90%)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from fawang.core.models import Institution, User
from fawang.hotline.models import CallOutcome, CallRecord, SeatReview
from fawang.hotline.policy import HotlinePolicy, hotline_policy
from fawang.hotline.timing import month_bounds


def pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class Line:
    name: str
    offered: int = 0
    answered: int = 0
    wait: float | None = None
    talk: float | None = None
    rated: int = 0
    satisfied: int = 0
    review_score: float | None = None
    reviews: int = 0

    @property
    def answer_rate(self) -> float | None:
        return pct(self.answered, self.offered)

    @property
    def satisfaction(self) -> float | None:
        return pct(self.satisfied, self.rated)


@dataclass
class SeatReport:
    centre: Institution
    month: str
    policy: HotlinePolicy
    total: Line
    lines: list[Line] = field(default_factory=list)

    def meets(self, value: float | None, target: float) -> bool | None:
        return None if value is None else value >= target


def _line(name: str, calls: object, policy: HotlinePolicy) -> Line:
    qs = calls  # a CallRecord queryset
    agg = qs.aggregate(  # type: ignore[attr-defined]
        offered=Count("id"),
        answered=Count("id", filter=Q(outcome=CallOutcome.ANSWERED)),
        wait=Avg("wait_seconds"),
        talk=Avg("talk_seconds", filter=Q(outcome=CallOutcome.ANSWERED)),
        rated=Count("id", filter=Q(work_order__rating__isnull=False)),
        satisfied=Count("id", filter=Q(work_order__rating__gte=policy.satisfied_rating)),
    )
    return Line(
        name=name,
        offered=agg["offered"],
        answered=agg["answered"],
        wait=round(agg["wait"], 1) if agg["wait"] is not None else None,
        talk=round(agg["talk"], 1) if agg["talk"] is not None else None,
        rated=agg["rated"],
        satisfied=agg["satisfied"],
    )


def seat_report(centre: Institution, month: str, *, only: User | None = None) -> SeatReport:
    """The month at a centre; ``only`` narrows the lines to one person (a seat's own view)."""
    first, after = month_bounds(month)
    policy = hotline_policy(centre.region)
    calls = CallRecord.objects.filter(centre=centre, offered_at__gte=first, offered_at__lt=after)
    report = SeatReport(centre, month, policy, total=_line(_("合计"), calls, policy))
    staff_ids = calls.exclude(staff=None).values_list("staff_id", flat=True).distinct().order_by()
    people = User.objects.filter(pk__in=list(staff_ids)).order_by("full_name", "pk")
    if only is not None:
        people = people.filter(pk=only.pk)
    for person in people:
        line = _line(person.full_name or person.username, calls.filter(staff=person), policy)
        scored = SeatReview.objects.filter(
            staff=person, month=month, call__centre=centre, total__isnull=False
        ).aggregate(avg=Avg("total"), n=Count("id"))
        line.review_score = round(scored["avg"], 1) if scored["avg"] is not None else None
        line.reviews = scored["n"]
        report.lines.append(line)
    return report
