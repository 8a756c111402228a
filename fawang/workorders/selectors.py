"""Scoped reads of work orders, queues and the district dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Case, Count, F, Q, QuerySet, When
from django.db.models.functions import Substr
from django.utils import timezone

from fawang.core.errors import NotFound
from fawang.core.models import (
    INSTITUTION_SCOPED_ROLES,
    SERVING_ROLES,
    Institution,
    InstitutionStatus,
    Region,
    RegionLevel,
    Role,
    User,
)
from fawang.core.personal_data import PHONE, lookup_hash
from fawang.core.scope import scope_filter
from fawang.core.selectors import NOT_FOUND_MESSAGE, one_in_scope
from fawang.core.taxonomy import Topic
from fawang.core.throttle import count_failure, exhausted, refuse, refuse_if_exhausted
from fawang.workorders.metrics import WEB_CHANNELS
from fawang.workorders.models import (
    OPEN_STATUSES,
    Channel,
    DispatchRule,
    Status,
    WorkOrder,
)

QUEUES = ("mine", "institution", "overdue", "supervised", "all")
# Who serves citizens from a queue: seats, clerks and the practitioners.


def orders_for_user(user: User) -> QuerySet[WorkOrder]:
    """Citizens: their own orders. Practitioners: their institution's queue and what is assigned
    to them. Seats, clerks and supervisors: orders about places in their region."""
    qs = WorkOrder.objects.select_related("region", "institution", "assignee")
    if not user.is_authenticated:
        return qs.none()
    if user.is_citizen:
        return qs.filter(citizen=user)
    if user.role in INSTITUTION_SCOPED_ROLES:
        return qs.filter(
            scope_filter(user, region=None, institution="institution") | Q(assignee=user)
        )
    return qs.filter(scope_filter(user, region="region", institution=None))


def get_order_for_user(user: User, number: str) -> WorkOrder:
    return one_in_scope(orders_for_user(user), number=number)


def queue_for_user(
    user: User,
    queue: str = "institution",
    *,
    status: str | None = None,
    topic: str | None = None,
    channel: str | None = None,
    business_line: str | None = None,
    search: str | None = None,
) -> QuerySet[WorkOrder]:
    qs = orders_for_user(user)
    if queue == "mine":
        qs = qs.filter(assignee=user)
    elif queue == "institution":
        qs = qs.filter(institution_id=user.institution_id) if user.institution_id else qs.none()
    elif queue == "overdue":
        qs = qs.filter(Q(claim_overdue=True) | Q(reply_overdue=True), status__in=OPEN_STATUSES)
    elif queue == "supervised":
        qs = qs.filter(supervised=True)
    for name, value in (
        ("status", status),
        ("topic", topic),
        ("channel", channel),
        ("business_line", business_line),
    ):
        if value:
            qs = qs.filter(**{name: value})
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(title__icontains=search))
    # 绿色通道 requests still open come first, then the newest.
    first = Case(When(green_channel=True, status__in=OPEN_STATUSES, then=1), default=0)
    return qs.annotate(green_first=first).order_by("-green_first", "-created_at", "-id")


def eligible_for_claim(user: User) -> QuerySet[WorkOrder]:
    """What "next" may hand this user: queued orders in their own institution's queue."""
    if user.institution_id is None or user.is_citizen:
        return WorkOrder.objects.none()
    # An order that follows a legal-aid or mediation case is handled through its case.
    return WorkOrder.objects.filter(
        status=Status.QUEUED, institution_id=user.institution_id, case_ref=""
    )


def in_hand_out_order(queryset: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """The order "next" hands orders out in: 绿色通道 first, then the oldest. The index
    ``workorder_claim_queue`` holds each institution's queue in this order."""
    return queryset.order_by("-green_channel", "created_at", "id")


def reachable_institutions(anchor: Region, *, whole_city: bool = False) -> QuerySet[Institution]:
    """Where work about ``anchor`` may go: active institutions of its district and the city-level
    ones. For a city anchor (or ``whole_city``): the city's city- and district-level institutions.
    Routing, transfers and dispatch rules all use this one definition."""
    parts = anchor.path.strip("/").split("/")
    city_path = f"/{parts[0]}/"
    if whole_city or len(parts) < 2:
        where = Q(region__path__startswith=city_path) & Q(
            region__level__in=[RegionLevel.CITY, RegionLevel.DISTRICT]
        )
    else:
        where = Q(region__path__startswith=f"/{parts[0]}/{parts[1]}/") | Q(region__path=city_path)
    return Institution.objects.filter(where, status=InstitutionStatus.ACTIVE).select_related(
        "region"
    )


def colleagues(order: WorkOrder) -> QuerySet[User]:
    """Staff of the order's institution who can take it."""
    if order.institution_id is None:
        return User.objects.none()
    return User.objects.filter(
        institution_id=order.institution_id, is_active=True, role__in=SERVING_ROLES
    ).order_by("full_name", "username")


TRACK_FAILURES_PER_HOUR = 10


def track_order(number: str, phone: str, *, client: str = "") -> WorkOrder:
    """A citizen without an account follows an order with its number and their phone.

    Wrong guesses are counted per client address: after ten in an hour the client is refused, so
    a known order number does not let anyone work through phone numbers.
    """
    key = f"track-failures:{client}"
    order = (
        WorkOrder.objects.filter(number=(number or "").strip().upper())
        .annotate(refused=exhausted(key, TRACK_FAILURES_PER_HOUR))
        .select_related("institution")
        .first()
    )
    if order is None:
        refuse_if_exhausted(key, TRACK_FAILURES_PER_HOUR)
    else:
        refuse(order.refused)
    if order is None or not phone or order.requester_phone_hash != lookup_hash(PHONE, phone):
        count_failure(key)
        raise NotFound("未找到该工单，请核对工单编号和手机号码。")
    return order


def order_to_rate(number: str) -> WorkOrder:
    """Rating checks the token or the owner itself; an unknown number is simply not found."""
    order = WorkOrder.objects.filter(number=number).first()
    if order is None:
        raise NotFound("未找到该工单。")
    return order


def get_order_by_rating_token(token: str) -> WorkOrder:
    order = WorkOrder.objects.filter(rating_token=token).select_related("institution").first()
    if order is None:
        raise NotFound("评价链接无效。")
    return order


def dispatch_rules_for_user(user: User) -> QuerySet[DispatchRule]:
    return DispatchRule.objects.filter(
        scope_filter(user, region="region", institution=None)
    ).select_related("region", "institution")


def get_dispatch_rule_for_user(user: User, rule_id: int) -> DispatchRule:
    return one_in_scope(dispatch_rules_for_user(user), pk=rule_id)


# --- the district dashboard ---------------------------------------------------------------


@dataclass
class Dashboard:
    region: Region
    start: datetime
    end: datetime
    total: int = 0
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_topic: list[tuple[str, int]] = field(default_factory=list)
    by_township: list[tuple[str, int]] = field(default_factory=list)
    claim_due: int = 0
    claimed_on_time: int = 0
    # BJ-01's cohort (metrics.py, the indicator): every web/mini-program order created in the
    # period; one not claimed within its deadline — or not yet claimed — is not "in time".
    web_created: int = 0
    web_claimed_in_time: int = 0
    reply_due: int = 0
    replied_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    average_rating: float | None = None

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def claim_on_time_rate(self) -> float | None:
        return self._rate(self.claimed_on_time, self.claim_due)

    @property
    def web_claim_rate(self) -> float | None:
        return self._rate(self.web_claimed_in_time, self.web_created)

    @property
    def reply_on_time_rate(self) -> float | None:
        return self._rate(self.replied_on_time, self.reply_due)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)


def dashboard_for_user(
    user: User, region: Region, start: datetime, end: datetime, now: datetime | None = None
) -> Dashboard:
    """Figures for orders created in [start, end) about places in ``region``.

    The claim rate counts orders whose claim deadline has passed (or that were claimed): claimed
    by the deadline / all of them. The reply rate likewise. Satisfaction: ratings of 4 or 5 among
    rated orders (the documents' "满意率").
    """
    now = now or timezone.now()
    if user.role not in {Role.SUPERVISOR_CITY, Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_TOWNSHIP}:
        raise NotFound(NOT_FOUND_MESSAGE)
    if user.region is None or not user.region.contains(region):
        raise NotFound(NOT_FOUND_MESSAGE)
    orders = WorkOrder.objects.filter(
        region__path__startswith=region.path, created_at__gte=start, created_at__lt=end
    )
    board = Dashboard(region=region, start=start, end=end, total=orders.count())
    channel_labels, topic_labels = dict(Channel.choices), dict(Topic.choices)
    board.by_channel = [
        (channel_labels.get(row["channel"], row["channel"]), row["n"])
        for row in orders.values("channel").annotate(n=Count("id")).order_by("-n")
    ]
    board.by_topic = [
        (topic_labels.get(row["topic"], row["topic"]), row["n"])
        for row in orders.values("topic").annotate(n=Count("id")).order_by("-n")
    ]
    # Characters 28–39 of the path are the township code ("/city/district/township/…").
    townships = (
        orders.annotate(township=Substr("region__path", 28, 12))
        .values("township")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    names = dict(
        Region.objects.filter(code__in=[row["township"] for row in townships]).values_list(
            "code", "name"
        )
    )
    board.by_township = [(names.get(row["township"], "区级/未细分"), row["n"]) for row in townships]
    claim_due = orders.filter(Q(claim_due_at__lte=now) | Q(claimed_at__isnull=False))
    board.claim_due = claim_due.count()
    board.claimed_on_time = claim_due.filter(claimed_at__lte=F("claim_due_at")).count()
    web = orders.filter(channel__in=WEB_CHANNELS)
    board.web_created = web.count()
    board.web_claimed_in_time = web.filter(
        claimed_at__isnull=False, claimed_at__lte=F("claim_due_at")
    ).count()
    reply_due = orders.filter(Q(reply_due_at__lte=now) | Q(replied_at__isnull=False))
    board.reply_due = reply_due.count()
    board.replied_on_time = reply_due.filter(replied_at__lte=F("reply_due_at")).count()
    ratings = orders.filter(rating__isnull=False).aggregate(
        n=Count("id"), satisfied=Count("id", filter=Q(rating__gte=4)), average=Avg("rating")
    )
    board.rated, board.satisfied = ratings["n"], ratings["satisfied"]
    board.average_rating = round(ratings["average"], 2) if ratings["average"] else None
    return board
