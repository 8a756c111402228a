"""Work-order API: intake from every channel, the queue verbs, tracking and rating."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from fawang.core.models import User
from fawang.core.pagination import Pagination
from fawang.core.selectors import get_region
from fawang.core.web import acting_user
from fawang.workorders import selectors, services
from fawang.workorders.models import WorkOrder

router = Router(tags=["工单"])

# Field limits here are generous transport limits; the services apply the real ones with a
# Chinese message (a 100 kB description gets "诉求内容不能超过5000个字").
TEXT = 200_000


class EventOut(Schema):
    occurred_at: datetime
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    from_status: str
    to_status: str
    institution: str | None = Field(None, alias="institution.name")
    actor: str | None = None
    note: str

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class OrderOut(Schema):
    number: str
    channel: str
    business_line: str
    topic: str
    topic_confirmed: bool
    suggested_topics: dict[str, float]
    title: str
    description: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    requester_name: str
    requester_phone: str
    region_code: str = Field(..., alias="region.code")
    institution: str | None = Field(None, alias="institution.name")
    institution_id: int | None
    assignee: str | None = None
    external_ref: str
    created_at: datetime
    claim_due_at: datetime
    claimed_at: datetime | None
    reply_due_at: datetime
    replied_at: datetime | None
    reply: str
    claim_overdue: bool
    reply_overdue: bool
    supervised: bool
    rating: int | None
    parent: str | None = Field(None, alias="parent.number")

    @staticmethod
    def resolve_requester_phone(obj: WorkOrder) -> str:
        return str(obj.requester_phone) if obj.requester_phone else ""

    @staticmethod
    def resolve_assignee(obj: WorkOrder) -> str | None:
        return str(obj.assignee) if obj.assignee_id else None

    @staticmethod
    def resolve_suggested_topics(obj: WorkOrder) -> dict[str, float]:
        return obj.suggested_topics or {}  # NULL: the classifier has yet to look


class OrderDetailOut(OrderOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: WorkOrder) -> list[Any]:
        return list(obj.events.select_related("actor", "institution"))


class TrackOut(Schema):
    """What anyone holding the number and the phone may see: no personal data."""

    number: str
    title: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    institution: str | None = Field(None, alias="institution.name")
    created_at: datetime
    replied_at: datetime | None
    reply: str
    rating: int | None


class OrderIn(Schema):
    channel: str = Field(..., max_length=30)
    business_line: str = Field(..., max_length=30)
    topic: str = Field(..., max_length=40)
    description: str = Field(..., max_length=TEXT)
    requester_name: str = Field(..., max_length=TEXT)
    requester_phone: str = Field(..., max_length=40)
    region_code: str = Field(..., max_length=20)
    title: str = Field("", max_length=TEXT)
    special_groups: list[str] = Field(default_factory=list, max_length=10)
    referral_source: str = Field("", max_length=30)
    external_ref: str = Field("", max_length=200)


class HotlineCallIn(Schema):
    call_id: str = Field(..., max_length=200)
    caller_number: str = Field(..., max_length=40)
    recording_ref: str = Field("", max_length=400)
    business_line: str = Field(..., max_length=30)
    topic: str = Field(..., max_length=40)
    description: str = Field(..., max_length=TEXT)
    requester_name: str = Field(..., max_length=TEXT)
    region_code: str = Field(..., max_length=20)


class CitizenHotlineIn(Schema):
    ticket_id: str = Field(..., max_length=200)
    business_line: str = Field("consultation", max_length=30)
    topic: str = Field(..., max_length=40)
    description: str = Field(..., max_length=TEXT)
    requester_name: str = Field(..., max_length=TEXT)
    requester_phone: str = Field(..., max_length=40)
    region_code: str = Field(..., max_length=20)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=TEXT)


class TransferIn(ReasonIn):
    institution_id: int


class RouteIn(Schema):
    institution_id: int


class AssignIn(Schema):
    assignee_id: int | None = None


class SuperviseIn(Schema):
    note: str = Field(..., max_length=TEXT)
    deadline: datetime


class ReplyIn(Schema):
    reply: str = Field(..., max_length=TEXT)


class ClassifyIn(Schema):
    topic: str = Field(..., max_length=40)
    business_line: str = Field(..., max_length=30)


class RatingIn(Schema):
    rating: int
    comment: str = Field("", max_length=TEXT)
    token: str = Field("", max_length=64)


class FollowUpIn(Schema):
    reached: bool = True
    satisfaction: int | None = None
    note: str = Field("", max_length=TEXT)


class ComplaintIn(Schema):
    text: str = Field(..., max_length=TEXT)


class RuleIn(Schema):
    region_code: str = Field(..., max_length=20)
    institution_id: int
    business_line: str = Field("", max_length=30)
    topic: str = Field("", max_length=40)
    priority: int = Field(100, ge=0, le=1000)
    active: bool = True


class RuleOut(Schema):
    id: int
    region_code: str = Field(..., alias="region.code")
    institution_id: int
    institution: str = Field(..., alias="institution.name")
    business_line: str
    topic: str
    priority: int
    active: bool


class DashboardOut(Schema):
    region_code: str
    total: int
    by_channel: list[tuple[str, int]]
    by_topic: list[tuple[str, int]]
    by_township: list[tuple[str, int]]
    claim_on_time_rate: float | None
    reply_on_time_rate: float | None
    satisfaction_rate: float | None
    average_rating: float | None


def _intake(payload: OrderIn, key: str | None) -> services.Intake:
    return services.Intake(
        channel=payload.channel,
        business_line=payload.business_line,
        topic=payload.topic,
        description=payload.description,
        requester_name=payload.requester_name,
        requester_phone=payload.requester_phone,
        region_code=payload.region_code,
        title=payload.title,
        special_groups=tuple(payload.special_groups),
        referral_source=payload.referral_source,
        external_ref=payload.external_ref,
        idempotency_key=key or "",
    )


@router.post("/workorders", response={201: OrderOut})
def create_order(
    request: HttpRequest,
    payload: OrderIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    """Any channel. Send `Idempotency-Key` to make retries safe: the same key from the same
    account returns the order created the first time."""
    order = services.create_work_order(
        _intake(payload, idempotency_key), acting_user=acting_user(request)
    )
    return HttpStatus(201, order)


@router.post("/workorders/hotline-calls", response={201: OrderOut})
def create_from_hotline_call(request: HttpRequest, payload: HotlineCallIn) -> Any:
    """For the 12348 telephony system: one call, one order (the call id is the idempotency key)."""
    intake = services.Intake(
        channel="hotline",
        business_line=payload.business_line,
        topic=payload.topic,
        description=payload.description,
        requester_name=payload.requester_name,
        requester_phone=payload.caller_number,
        region_code=payload.region_code,
        external_ref=payload.call_id,
        recording_ref=payload.recording_ref,
    )
    return HttpStatus(201, services.create_work_order(intake, acting_user=acting_user(request)))


@router.post("/workorders/from-12345", response={201: OrderOut})
def create_from_12345(request: HttpRequest, payload: CitizenHotlineIn) -> Any:
    """Inbound transfer from the 12345 citizen hotline; status updates flow back through the
    exchange outbox. The ticket id is the idempotency key."""
    intake = services.Intake(
        channel="hotline_12345",
        business_line=payload.business_line,
        topic=payload.topic,
        description=payload.description,
        requester_name=payload.requester_name,
        requester_phone=payload.requester_phone,
        region_code=payload.region_code,
        external_ref=payload.ticket_id,
    )
    return HttpStatus(201, services.create_work_order(intake, acting_user=acting_user(request)))


@router.get("/workorders", response=list[OrderOut])
@paginate(Pagination)
def list_orders(
    request: HttpRequest,
    queue: str = "institution",
    status: str | None = None,
    topic: str | None = None,
    channel: str | None = None,
) -> Any:
    return selectors.queue_for_user(
        acting_user(request), queue, status=status, topic=topic, channel=channel
    ).select_related("parent")


@router.get("/workorders/track", response=TrackOut, auth=None)
def track(request: HttpRequest, number: str, phone: str) -> Any:
    return selectors.track_order(number, phone, client=request.META.get("REMOTE_ADDR", ""))


@router.post("/workorders/claim-next", response={200: OrderOut, 204: None})
def claim_next(request: HttpRequest) -> Any:
    order = services.claim_next(acting_user=acting_user(request))
    return HttpStatus(204, None) if order is None else order


@router.get("/workorders/{number}", response=OrderDetailOut)
def get_order(request: HttpRequest, number: str) -> Any:
    return selectors.get_order_for_user(acting_user(request), number)


def _order(request: HttpRequest, number: str) -> WorkOrder:
    return selectors.get_order_for_user(acting_user(request), number)


@router.post("/workorders/{number}/claim", response=OrderOut)
def claim(request: HttpRequest, number: str) -> Any:
    return services.claim_order(_order(request, number), acting_user=acting_user(request))


@router.post("/workorders/{number}/route", response=OrderOut)
def route(request: HttpRequest, number: str, payload: RouteIn) -> Any:
    institution = services.institution_by_id(payload.institution_id)
    return services.route_order(
        _order(request, number), institution, acting_user=acting_user(request)
    )


@router.post("/workorders/{number}/assign", response=OrderOut)
def assign(request: HttpRequest, number: str, payload: AssignIn) -> Any:
    assignee = User.objects.filter(pk=payload.assignee_id).first() if payload.assignee_id else None
    return services.assign_order(
        _order(request, number), acting_user=acting_user(request), assignee=assignee
    )


@router.post("/workorders/{number}/transfer", response=OrderOut)
def transfer(request: HttpRequest, number: str, payload: TransferIn) -> Any:
    institution = services.institution_by_id(payload.institution_id)
    return services.transfer_order(
        _order(request, number),
        institution,
        reason=payload.reason,
        acting_user=acting_user(request),
    )


@router.post("/workorders/{number}/return", response=OrderOut)
def return_to_dispatcher(request: HttpRequest, number: str, payload: ReasonIn) -> Any:
    return services.return_order(
        _order(request, number), reason=payload.reason, acting_user=acting_user(request)
    )


@router.post("/workorders/{number}/supervise", response=OrderOut)
def supervise(request: HttpRequest, number: str, payload: SuperviseIn) -> Any:
    return services.supervise_order(
        _order(request, number),
        note=payload.note,
        new_deadline=payload.deadline,
        acting_user=acting_user(request),
    )


@router.post("/workorders/{number}/classify", response=OrderOut)
def classify(request: HttpRequest, number: str, payload: ClassifyIn) -> Any:
    return services.confirm_topic(
        _order(request, number),
        topic=payload.topic,
        business_line=payload.business_line,
        acting_user=acting_user(request),
    )


@router.post("/workorders/{number}/reply", response=OrderOut)
def reply(request: HttpRequest, number: str, payload: ReplyIn) -> Any:
    return services.reply_to_order(
        _order(request, number), reply=payload.reply, acting_user=acting_user(request)
    )


@router.post("/workorders/{number}/rating", response=TrackOut, auth=None)
def rate(request: HttpRequest, number: str, payload: RatingIn) -> Any:
    """Rate with the link's token, or logged in as the requester."""
    order = selectors.order_to_rate(number)
    user = request.user if request.user.is_authenticated else None
    return services.rate_order(
        order,
        rating=payload.rating,
        comment=payload.comment,
        acting_user=user,
        token=payload.token,
    )


@router.post("/workorders/{number}/follow-ups", response={201: Schema})
def follow_up(request: HttpRequest, number: str, payload: FollowUpIn) -> Any:
    services.record_follow_up(
        _order(request, number),
        reached=payload.reached,
        satisfaction=payload.satisfaction,
        note=payload.note,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, {})


@router.post("/workorders/{number}/complaints", response={201: OrderOut})
def complain(request: HttpRequest, number: str, payload: ComplaintIn) -> Any:
    complaint = services.file_complaint(
        _order(request, number), text=payload.text, acting_user=acting_user(request)
    )
    return HttpStatus(201, complaint)


@router.get("/dispatch-rules", response=list[RuleOut])
@paginate(Pagination)
def list_rules(request: HttpRequest) -> Any:
    return selectors.dispatch_rules_for_user(acting_user(request))


@router.post("/dispatch-rules", response={201: RuleOut})
def create_rule(request: HttpRequest, payload: RuleIn) -> Any:
    rule = services.save_dispatch_rule(
        acting_user=acting_user(request),
        region=services.region_by_code(payload.region_code),
        institution=services.institution_by_id(payload.institution_id),
        business_line=payload.business_line,
        topic=payload.topic,
        priority=payload.priority,
        active=payload.active,
    )
    return HttpStatus(201, rule)


@router.put("/dispatch-rules/{int:rule_id}", response=RuleOut)
def update_rule(request: HttpRequest, rule_id: int, payload: RuleIn) -> Any:
    user = acting_user(request)
    return services.save_dispatch_rule(
        acting_user=user,
        rule=selectors.get_dispatch_rule_for_user(user, rule_id),
        region=services.region_by_code(payload.region_code),
        institution=services.institution_by_id(payload.institution_id),
        business_line=payload.business_line,
        topic=payload.topic,
        priority=payload.priority,
        active=payload.active,
    )


@router.get("/workorder-dashboard", response=DashboardOut)
def dashboard(request: HttpRequest, region: str, start: datetime, end: datetime) -> Any:
    board = selectors.dashboard_for_user(acting_user(request), get_region(region), start, end)
    return {
        "region_code": board.region.code,
        "total": board.total,
        # Labels are lazy translations: the schema wants text in the request's language.
        "by_channel": [(str(label), n) for label, n in board.by_channel],
        "by_topic": [(str(label), n) for label, n in board.by_topic],
        "by_township": board.by_township,
        "claim_on_time_rate": board.claim_on_time_rate,
        "reply_on_time_rate": board.reply_on_time_rate,
        "satisfaction_rate": board.satisfaction_rate,
        "average_rating": board.average_rating,
    }
