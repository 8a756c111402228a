"""Work-order use cases: intake from every channel, routing, claim, transfer, reply, follow-up.

Each verb locks the order row (``core.rows.lock``), checks the transition against
``models.TRANSITIONS`` (``core.transitions``), changes it, writes one WorkOrderEvent and one audit
event, and writes the 12345 update to the outbox when the order came from 12345 — all in one
transaction. An SMS to the requester is queued when that transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    Practitioner,
    Region,
    Role,
    User,
)
from fawang.core.numbering import next_number
from fawang.core.personal_access import SELF_USE, read_personal_data
from fawang.core.rows import lock
from fawang.core.services import region_by_code, reveal_personal_data
from fawang.core.tasks import queue_sms_to_record
from fawang.core.taxonomy import SpecialGroup, Topic
from fawang.core.transitions import Transitions, check_transition
from fawang.core.validation import clean_choice, clean_phone, clean_text
from fawang.policy.packs import pack_for_region
from fawang.policy.workdays import working_days_after, working_days_between
from fawang.workorders import classification
from fawang.workorders.exchange import exchange_backend
from fawang.workorders.models import (
    MAX_DESCRIPTION,
    MAX_REPLY,
    OPEN_STATUSES,
    TRANSITIONS,
    BusinessLine,
    Channel,
    DispatchRule,
    EventKind,
    ExchangeMessage,
    FollowUp,
    Notification,
    OutboxStatus,
    ReferralSource,
    Status,
    WorkOrder,
    WorkOrderEvent,
)
from fawang.workorders.selectors import SERVING_ROLES, eligible_for_claim, reachable_institutions

MAX_TITLE = 100
MAX_NOTE = 1000
COMPLAINT_PHONE_PURPOSE = "投诉工单沿用原工单联系电话"
DISPATCHER_ROLES = frozenset(
    {Role.HOTLINE_SEAT, Role.WINDOW_CLERK, Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY}
)
CHANNELS_BY_ROLE = {
    Role.CITIZEN: {Channel.WEB, Channel.MINI_PROGRAM},
    Role.WINDOW_CLERK: {Channel.WINDOW, Channel.REFERRAL},
    # Hotline seats take calls, and the telephony / 12345 / court systems act through integration
    # accounts that hold the seat role in their district.
    Role.HOTLINE_SEAT: {Channel.HOTLINE, Channel.CITIZEN_HOTLINE_12345, Channel.REFERRAL},
}


# --- helpers ------------------------------------------------------------------------------


VERB_LABELS = {
    "route": "分派",
    "claim": "领取",
    "assign": "指派",
    "transfer": "转办",
    "return": "退回",
    "reply": "答复",
    "close": "办结",
    "supervise": "督办",
    "rate": "评价",
    "follow_up": "回访",
}

ORDER_TRANSITIONS = Transitions(TRANSITIONS, noun="工单", statuses=Status, verb_labels=VERB_LABELS)


def _record(
    order: WorkOrder,
    kind: str,
    *,
    actor: User | None,
    from_status: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "fawang scheduler",
) -> WorkOrderEvent:
    event = WorkOrderEvent.objects.create(
        order=order,
        actor=actor if actor is not None and actor.pk else None,
        kind=kind,
        from_status=from_status,
        to_status=order.status,
        institution=order.institution,
        note=note[:MAX_NOTE],
        data=data or {},
    )
    record_event(
        f"workorder.{kind}",
        actor=actor if actor is not None else actor_label,
        obj=order,
        detail={"number": order.number, "status": order.status, **(data or {})},
    )
    if order.channel == Channel.CITIZEN_HOTLINE_12345:
        _queue_exchange_update(order, event)
    return event


def _queue_exchange_update(order: WorkOrder, event: WorkOrderEvent) -> None:
    ExchangeMessage.objects.create(
        order=order,
        dedupe_key=f"{order.number}:{event.pk}",
        payload={
            "message_id": f"{order.number}:{event.pk}",
            "ticket_id": order.external_ref,
            "order_number": order.number,
            "event": event.kind,
            "status": order.status,
            "status_label": order.get_status_display(),
            "institution": order.institution.name if order.institution else "",
            "reply": order.reply if event.kind == EventKind.REPLIED else "",
            "occurred_at": event.occurred_at.isoformat(),
        },
    )


def _text_requester(order: WorkOrder, text: str) -> None:
    """An SMS to the requester, queued when the transaction commits; the job reads the number."""
    queue_sms_to_record(order, "requester_phone", text)


def _notify(recipients: Iterable[User], text: str, order: WorkOrder | None = None) -> int:
    notes = [Notification(recipient=user, order=order, text=text[:300]) for user in recipients]
    Notification.objects.bulk_create(notes)
    return len(notes)


def _supervisors_over(region: Region, role: str) -> QuerySet[User]:
    """Supervisors of the given role whose region contains ``region``."""
    return User.objects.filter(role=role, is_active=True, region__path__in=region.ancestor_paths())


# --- routing ------------------------------------------------------------------------------


def matching_rule(business_line: str, topic: str, region: Region) -> DispatchRule | None:
    """The most specific active rule for this order (see DispatchRule)."""
    candidates = (
        DispatchRule.objects.filter(
            active=True,
            region__path__in=region.ancestor_paths(),
            business_line__in=["", business_line],
            topic__in=["", topic],
        )
        .select_related("region", "institution")
        .only("business_line", "topic", "priority", "region__path", "institution__name")
    )
    return max(
        candidates,
        key=lambda r: (len(r.region.path), bool(r.topic), bool(r.business_line), -r.priority),
        default=None,
    )


# --- intake -------------------------------------------------------------------------------


@dataclass
class Intake:
    """What every channel supplies to create a work order."""

    channel: str
    business_line: str
    topic: str
    description: str
    requester_name: str
    requester_phone: str
    region_code: str
    title: str = ""
    external_ref: str = ""
    referral_source: str = ""
    recording_ref: str = ""
    special_groups: tuple[str, ...] = ()
    idempotency_key: str = ""
    parent: WorkOrder | None = None


def _account_phone(user: User | None) -> str:
    """A citizen who leaves the phone empty means the number on their account."""
    if user is not None and user.is_citizen and user.phone:
        return read_personal_data(user, "phone", actor=user, purpose=SELF_USE)
    return ""


def _check_channel(actor: User | None, channel: str) -> None:
    clean_choice(channel, Channel.values, "channel", "渠道")
    if actor is None:
        raise PermissionDenied("请先登录。")
    allowed = CHANNELS_BY_ROLE.get(Role(actor.role), set())
    if channel not in allowed:
        raise PermissionDenied("您的角色不能从该渠道受理工单。", code="channel_forbidden")


def _existing_for_key(actor: User | None, key: str) -> WorkOrder | None:
    if not key or actor is None:
        return None
    # The `exclude` matches the partial unique index's condition, so the index serves the query.
    return (
        WorkOrder.objects.filter(created_by=actor, idempotency_key=key)
        .exclude(idempotency_key="")
        .first()
    )


def _existing_for_external_ref(channel: str, external_ref: str) -> WorkOrder | None:
    """A call id or 12345 ticket id arriving twice is the same request."""
    if channel not in {Channel.HOTLINE, Channel.CITIZEN_HOTLINE_12345} or not external_ref:
        return None
    return WorkOrder.objects.filter(channel=channel, external_ref=external_ref).order_by().first()


def create_work_order(intake: Intake, *, acting_user: User | None) -> WorkOrder:
    """Create an order from any channel, suggest a topic, route it by the dispatch rules.

    Idempotent: the same Idempotency-Key from the same account, or the same call id / 12345
    ticket id, returns the order created the first time.
    """
    _check_channel(acting_user, intake.channel)
    key = clean_text(intake.idempotency_key, 100, "idempotency_key", "幂等键", required=False)
    existing = _existing_for_key(acting_user, key) or _existing_for_external_ref(
        intake.channel, intake.external_ref
    )
    if existing is not None:
        return existing
    business_line = clean_choice(
        intake.business_line, BusinessLine.values, "business_line", "业务类别"
    )
    topic = clean_choice(intake.topic, Topic.values, "topic", "咨询分类")
    description = clean_text(intake.description, MAX_DESCRIPTION, "description", "诉求内容")
    title = clean_text(intake.title or description[:30], MAX_TITLE, "title", "事项")
    name = clean_text(intake.requester_name, 50, "requester_name", "申请人姓名")
    phone = clean_phone(intake.requester_phone or _account_phone(acting_user))
    for group in intake.special_groups:
        clean_choice(group, SpecialGroup.values, "special_groups", "特殊群体")
    region = region_by_code(intake.region_code)
    if intake.channel == Channel.REFERRAL:
        clean_choice(
            intake.referral_source, ReferralSource.values, "referral_source", "转介单位类别"
        )
    external_ref = clean_text(intake.external_ref, 64, "external_ref", "外部编号", required=False)
    recording_ref = clean_text(
        intake.recording_ref, 200, "recording_ref", "录音编号", required=False
    )
    suggestion = classification.suggest_topics(f"{title}\n{description}")
    try:
        with transaction.atomic():
            order = _insert_order(
                intake,
                acting_user=acting_user,
                business_line=business_line,
                topic=topic,
                title=title,
                description=description,
                requester_name=name,
                requester_phone=phone,
                region=region,
                external_ref=external_ref,
                recording_ref=recording_ref,
                idempotency_key=key,
                suggestion=suggestion,
            )
    except IntegrityError:
        # Two requests with one Idempotency-Key (or call id, or ticket) raced: the loser returns
        # the winner's order.
        winner = _existing_for_key(acting_user, key) or _existing_for_external_ref(
            intake.channel, external_ref
        )
        if winner is None:
            raise
        return winner
    return order


def _insert_order(
    intake: Intake,
    *,
    acting_user: User | None,
    region: Region,
    suggestion: dict[str, float] | None,
    **values: Any,
) -> WorkOrder:
    now = timezone.now()
    levels = pack_for_region(region).service_levels
    citizen = acting_user if acting_user is not None and acting_user.is_citizen else None
    rule = matching_rule(values["business_line"], values["topic"], region)
    order = WorkOrder.objects.create(
        number=next_number("GF", now),
        channel=intake.channel,
        referral_source=intake.referral_source if intake.channel == Channel.REFERRAL else "",
        special_groups=list(intake.special_groups),
        region=region,
        citizen=citizen,
        created_at=now,
        created_by=acting_user,
        claim_due_at=working_days_after(now, levels.claim_working_days),
        reply_due_at=working_days_after(now, levels.reply_working_days[values["business_line"]]),
        suggested_topics=suggestion or {},
        # Staff chose the topic at the window or on the phone; a citizen's choice awaits review.
        topic_confirmed=acting_user is not None and acting_user.is_staff_member,
        parent=intake.parent,
        # Routed in the same INSERT: the timeline still shows creation and routing as two events.
        status=Status.QUEUED if rule else Status.NEW,
        institution=rule.institution if rule else None,
        **values,
    )
    order.status = Status.NEW
    _record(order, EventKind.CREATED, actor=acting_user, data={"channel": order.channel})
    if rule is not None:
        order.status = Status.QUEUED
        _record(
            order,
            EventKind.ROUTED,
            actor=None,
            from_status=Status.NEW,
            note=f"按分派规则 #{rule.pk} 进入 {rule.institution.name} 队列",
            data={"rule": rule.pk, "institution": rule.institution_id},
        )
    _text_requester(
        order,
        f"【法网】您的诉求已受理，工单编号{order.number}。可凭编号和手机号在"
        f"{settings.PUBLIC_URL}/requests/track 查询进度。",
    )
    return order


# --- dispatch, claim, assignment ----------------------------------------------------------


def _require(user: User, roles: Iterable[str], message: str = "您的角色无权进行此操作。") -> None:
    if user.role not in set(roles):
        raise PermissionDenied(message)


def _reachable(institution: Institution, anchor: Region) -> None:
    if not reachable_institutions(anchor).filter(pk=institution.pk).exists():
        raise NotFound("目标机构不在该工单所属区的范围内，或已停止服务。", field="institution")


def route_order(order: WorkOrder, institution: Institution, *, acting_user: User) -> WorkOrder:
    """A dispatcher sends a new (or returned) order to an institution's queue."""
    _require(acting_user, DISPATCHER_ROLES)
    _reachable(institution, order.region)
    with transaction.atomic():
        order = lock(order)
        before = order.status
        order.status = check_transition(ORDER_TRANSITIONS, order.status, "route") or order.status
        order.institution, order.assignee = institution, None
        order.save(update_fields=["status", "institution", "assignee"])
        _record(
            order,
            EventKind.ROUTED,
            actor=acting_user,
            from_status=before,
            note=f"分派至 {institution.name}",
            data={"institution": institution.pk},
        )
    return order


def _take(order: WorkOrder, user: User, kind: str, *, actor: User, note: str = "") -> WorkOrder:
    before = order.status
    order.status = Status.CLAIMED
    order.assignee = user
    order.claimed_at = order.claimed_at or timezone.now()
    order.save(update_fields=["status", "assignee", "claimed_at"])
    _record(order, kind, actor=actor, from_status=before, note=note, data={"assignee": user.pk})
    return order


def claim_order(order: WorkOrder, *, acting_user: User) -> WorkOrder:
    _require(acting_user, SERVING_ROLES)
    with transaction.atomic():
        order = lock(order)
        check_transition(ORDER_TRANSITIONS, order.status, "claim")
        if order.institution_id != acting_user.institution_id:
            raise PermissionDenied("只能领取本机构队列中的工单。")
        return _take(order, acting_user, EventKind.CLAIMED, actor=acting_user)


def _lock_oldest(queryset: QuerySet[WorkOrder]) -> WorkOrder | None:
    """The oldest row of the queue, locked; rows other transactions hold are skipped.

    PostgreSQL: FOR UPDATE SKIP LOCKED. SQLite: writers are serialised (IMMEDIATE transactions),
    so the plain read inside the write transaction is already exclusive.
    """
    ordered = queryset.order_by("created_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        ordered = ordered.select_for_update(skip_locked=True)
    return ordered.first()


def claim_next(*, acting_user: User) -> WorkOrder | None:
    """ "Next": the oldest queued order of the user's institution, or None when the queue is empty."""
    _require(acting_user, SERVING_ROLES)
    with transaction.atomic():
        order = _lock_oldest(eligible_for_claim(acting_user))
        if order is None:
            return None
        return _take(order, acting_user, EventKind.CLAIMED, actor=acting_user, note="领取下一单")


def open_load(users: Iterable[User]) -> dict[int, int]:
    ids = [user.pk for user in users]
    rows = (
        WorkOrder.objects.filter(assignee_id__in=ids, status=Status.CLAIMED)
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    load = dict.fromkeys(ids, 0)
    load.update({row["assignee_id"]: row["n"] for row in rows})
    return load


def choose_assignee(order: WorkOrder) -> User | None:
    """Balance open load and specialty: a specialist counts as two orders lighter."""
    if order.institution_id is None:
        return None
    staff = list(
        User.objects.filter(
            institution_id=order.institution_id, is_active=True, role__in=SERVING_ROLES
        )
    )
    if not staff:
        return None
    load = open_load(staff)
    specialists = {
        practitioner.user_id
        for practitioner in Practitioner.objects.filter(user__in=staff).only("user", "specialties")
        if order.topic in (practitioner.specialties or [])
    }
    return min(staff, key=lambda u: (load[u.pk] - 2 * (u.pk in specialists), u.pk))


def assign_order(order: WorkOrder, *, acting_user: User, assignee: User | None = None) -> WorkOrder:
    """Assign within the order's institution, to a named colleague or the best-balanced one."""
    _require(acting_user, {*SERVING_ROLES, Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY})
    with transaction.atomic():
        order = lock(order)
        check_transition(ORDER_TRANSITIONS, order.status, "assign")
        if acting_user.role in SERVING_ROLES and order.institution_id != acting_user.institution_id:
            raise PermissionDenied("只能指派本机构队列中的工单。")
        chosen = assignee or choose_assignee(order)
        if chosen is None or chosen.institution_id != order.institution_id:
            raise InvalidInput("该机构没有可指派的工作人员。", code="no_assignee", field="assignee")
        return _take(order, chosen, EventKind.ASSIGNED, actor=acting_user)


def transfer_order(
    order: WorkOrder, institution: Institution, *, reason: str, acting_user: User
) -> WorkOrder:
    """Send the order to another institution's queue, with the reason on the timeline."""
    _require(acting_user, {*SERVING_ROLES, Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY})
    reason = clean_text(reason, 500, "reason", "转办理由")
    with transaction.atomic():
        order = lock(order)
        before = order.status
        order.status = check_transition(ORDER_TRANSITIONS, order.status, "transfer") or order.status
        if institution.pk == order.institution_id:
            raise InvalidInput(
                "目标机构与当前机构相同。", code="same_institution", field="institution"
            )
        if acting_user.role in SERVING_ROLES and order.institution_id != acting_user.institution_id:
            raise PermissionDenied("只能转办本机构队列中的工单。")
        _reachable(institution, order.region)
        source = order.institution
        order.institution, order.assignee = institution, None
        order.save(update_fields=["status", "institution", "assignee"])
        _record(
            order,
            EventKind.TRANSFERRED,
            actor=acting_user,
            from_status=before,
            note=reason,
            data={"from": source.pk if source else None, "to": institution.pk},
        )
    return order


def return_order(order: WorkOrder, *, reason: str, acting_user: User) -> WorkOrder:
    """Give the order back to the dispatchers (wrong routing, not this institution's work)."""
    _require(acting_user, SERVING_ROLES)
    reason = clean_text(reason, 500, "reason", "退回理由")
    with transaction.atomic():
        order = lock(order)
        before = order.status
        order.status = check_transition(ORDER_TRANSITIONS, order.status, "return") or order.status
        if order.institution_id != acting_user.institution_id:
            raise PermissionDenied("只能退回本机构队列中的工单。")
        source = order.institution
        order.institution, order.assignee = None, None
        order.save(update_fields=["status", "institution", "assignee"])
        _record(
            order,
            EventKind.RETURNED,
            actor=acting_user,
            from_status=before,
            note=reason,
            data={"from": source.pk if source else None},
        )
        dispatchers = User.objects.filter(
            role__in=[Role.HOTLINE_SEAT, Role.WINDOW_CLERK, Role.SUPERVISOR_DISTRICT],
            region__path__in=_district_paths(order.region),
            is_active=True,
        )
        _notify(dispatchers, f"工单 {order.number} 被退回，待重新分派：{reason}", order)
    return order


def _district_paths(region: Region) -> list[str]:
    parts = region.path.strip("/").split("/")
    return [f"/{parts[0]}/{parts[1]}/"] if len(parts) > 1 else [region.path]


def supervise_order(
    order: WorkOrder, *, note: str, new_deadline: datetime, acting_user: User
) -> WorkOrder:
    """督办: the bureau flags an order, writes why, and sets a new reply deadline."""
    _require(acting_user, SUPERVISOR_ROLES, "只有司法局（所）管理人员可以督办。")
    if acting_user.region is None or not acting_user.region.contains(order.region):
        raise NotFound("未找到该工单。")
    note = clean_text(note, 500, "note", "督办意见")
    if timezone.is_naive(new_deadline):
        new_deadline = timezone.make_aware(new_deadline)
    if new_deadline <= timezone.now():
        raise InvalidInput("新的办理时限必须晚于当前时间。", code="deadline_past", field="deadline")
    with transaction.atomic():
        order = lock(order)
        check_transition(ORDER_TRANSITIONS, order.status, "supervise")
        previous = order.reply_due_at
        order.supervised, order.reply_due_at, order.reply_overdue = True, new_deadline, False
        order.save(update_fields=["supervised", "reply_due_at", "reply_overdue"])
        _record(
            order,
            EventKind.SUPERVISED,
            actor=acting_user,
            note=note,
            data={"deadline": new_deadline.isoformat(), "previous": previous.isoformat()},
        )
        _notify(_handlers(order), f"工单 {order.number} 被督办：{note}", order)
    return order


def _handlers(order: WorkOrder) -> list[User]:
    if order.assignee is not None:
        return [order.assignee]
    if order.institution_id is None:
        return []
    return list(User.objects.filter(institution_id=order.institution_id, is_active=True))


def confirm_topic(
    order: WorkOrder, *, topic: str, business_line: str, acting_user: User
) -> WorkOrder:
    _require(acting_user, {*SERVING_ROLES, *DISPATCHER_ROLES})
    topic = clean_choice(topic, Topic.values, "topic", "咨询分类")
    business_line = clean_choice(business_line, BusinessLine.values, "business_line", "业务类别")
    with transaction.atomic():
        order = lock(order)
        if not order.is_open:
            raise Conflict("工单已答复，不能再修改分类。", code="bad_state")
        before = {"topic": order.topic, "business_line": order.business_line}
        order.topic, order.business_line, order.topic_confirmed = topic, business_line, True
        order.save(update_fields=["topic", "business_line", "topic_confirmed"])
        _record(
            order,
            EventKind.CLASSIFIED,
            actor=acting_user,
            data={"before": before, "after": {"topic": topic, "business_line": business_line}},
        )
    return order


# --- reply, rating, follow-up, complaint --------------------------------------------------


def reply_to_order(order: WorkOrder, *, reply: str, acting_user: User) -> WorkOrder:
    reply = clean_text(reply, MAX_REPLY, "reply", "答复内容")
    with transaction.atomic():
        order = lock(order)
        before = order.status
        order.status = check_transition(ORDER_TRANSITIONS, order.status, "reply") or order.status
        if order.assignee_id != acting_user.pk:
            raise PermissionDenied("只有承办人可以答复。")
        order.reply, order.replied_at = reply, timezone.now()
        order.save(update_fields=["status", "reply", "replied_at"])
        _record(order, EventKind.REPLIED, actor=acting_user, from_status=before)
        _text_requester(
            order,
            f"【法网】您的工单{order.number}已答复。查看答复并评价：{settings.PUBLIC_URL}/rate/"
            f"{order.rating_token}",
        )
    return order


def rate_order(
    order: WorkOrder,
    *,
    rating: int,
    comment: str = "",
    acting_user: User | None = None,
    token: str = "",
) -> WorkOrder:
    """The requester rates the reply: logged in as the order's citizen, or through the link."""
    owner = (
        acting_user is not None and acting_user.is_citizen and order.citizen_id == acting_user.pk
    )
    if not owner and not (token and token == order.rating_token):
        raise NotFound("未找到该工单。")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("满意度请选择1到5分。", code="bad_rating", field="rating")
    comment = clean_text(comment, 500, "comment", "评价意见", required=False)
    with transaction.atomic():
        order = lock(order)
        check_transition(ORDER_TRANSITIONS, order.status, "rate")
        if order.rated_at is not None:
            raise Conflict("该工单已评价。", code="already_rated")
        order.rating, order.rating_comment, order.rated_at = rating, comment, timezone.now()
        order.save(update_fields=["rating", "rating_comment", "rated_at"])
        label = "rating link" if acting_user is None else ""
        _record(
            order, EventKind.RATED, actor=acting_user, data={"rating": rating}, actor_label=label
        )
        if order.status == Status.REPLIED:
            _close(order, actor=acting_user, note="群众已评价", actor_label=label)
    return order


def _close(
    order: WorkOrder, *, actor: User | None, note: str, actor_label: str = "fawang scheduler"
) -> None:
    before = order.status
    order.status = check_transition(ORDER_TRANSITIONS, order.status, "close") or order.status
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at"])
    _record(
        order,
        EventKind.CLOSED,
        actor=actor,
        from_status=before,
        note=note,
        actor_label=actor_label or "fawang scheduler",
    )


def record_follow_up(
    order: WorkOrder,
    *,
    reached: bool,
    satisfaction: int | None,
    note: str,
    acting_user: User,
) -> FollowUp:
    _require(acting_user, {Role.HOTLINE_SEAT, Role.WINDOW_CLERK})
    note = clean_text(note, MAX_NOTE, "note", "回访记录", required=False)
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise InvalidInput("满意度请选择1到5分。", code="bad_rating", field="satisfaction")
    with transaction.atomic():
        order = lock(order)
        check_transition(ORDER_TRANSITIONS, order.status, "follow_up")
        follow_up = FollowUp.objects.create(
            order=order, made_by=acting_user, reached=reached, satisfaction=satisfaction, note=note
        )
        _record(
            order,
            EventKind.FOLLOWED_UP,
            actor=acting_user,
            note=note,
            data={"reached": reached, "satisfaction": satisfaction},
        )
    return follow_up


def file_complaint(
    order: WorkOrder, *, text: str, acting_user: User, region_code: str | None = None
) -> WorkOrder:
    """A complaint about how an order was handled becomes its own order, linked to the first."""
    owner = acting_user.is_citizen and order.citizen_id == acting_user.pk
    if not owner and acting_user.role not in {Role.HOTLINE_SEAT, Role.WINDOW_CLERK}:
        raise NotFound("未找到该工单。")
    text = clean_text(text, MAX_DESCRIPTION, "text", "投诉内容")
    channel = (
        Channel.WEB
        if acting_user.is_citizen
        else (Channel.HOTLINE if acting_user.role == Role.HOTLINE_SEAT else Channel.WINDOW)
    )
    with transaction.atomic():
        complaint = create_work_order(
            Intake(
                channel=channel,
                business_line=BusinessLine.COMPLAINT,
                topic=order.topic,
                title=f"对工单 {order.number} 的投诉",
                description=text,
                requester_name=order.requester_name,
                requester_phone=read_personal_data(
                    order, "requester_phone", actor=acting_user, purpose=COMPLAINT_PHONE_PURPOSE
                ),
                region_code=region_code or order.region.code,
                parent=order,
            ),
            acting_user=acting_user,
        )
        _record(
            lock(order),
            EventKind.COMPLAINED,
            actor=acting_user,
            note=text[:200],
            data={"complaint": complaint.number},
        )
    return complaint


def reveal_requester_phone(order: WorkOrder, *, acting_user: User, reason: str) -> str:
    """A seat calls the requester back: the clear number, read and recorded through the door.

    The caller fetched ``order`` through a scoped selector (``workorders.selectors``)."""
    return reveal_personal_data(
        acting_user=acting_user, subject=order, field="requester_phone", reason=reason
    )


# --- the scheduler's sweep ----------------------------------------------------------------


@dataclass
class SweepResult:
    claim_overdue: int = 0
    reply_overdue: int = 0
    escalated_to_city: int = 0
    closed: int = 0
    notifications: int = 0


def sweep_deadlines(now: datetime | None = None) -> SweepResult:
    """Mark overdue orders, escalate them to the supervising bureau and notify; close replied
    orders nobody rated. Safe to re-run: each order is marked once per deadline."""
    now = now or timezone.now()
    result = SweepResult()
    late_claims = WorkOrder.objects.filter(
        status__in=[Status.NEW, Status.QUEUED], claim_due_at__lte=now, claim_overdue=False
    )
    for order_id in late_claims.values_list("id", flat=True):
        result.notifications += _mark_overdue(order_id, "claim", now)
        result.claim_overdue += 1
    late_replies = WorkOrder.objects.filter(
        status__in=OPEN_STATUSES, reply_due_at__lte=now, reply_overdue=False
    )
    for order_id in late_replies.values_list("id", flat=True):
        result.notifications += _mark_overdue(order_id, "reply", now)
        result.reply_overdue += 1
    for order_id in WorkOrder.objects.filter(
        status__in=OPEN_STATUSES, escalation_level=1
    ).values_list("id", flat=True):
        escalated = _escalate_to_city(order_id, now)
        result.escalated_to_city += escalated
        result.notifications += escalated
    for order_id in WorkOrder.objects.filter(status=Status.REPLIED).values_list("id", flat=True):
        result.closed += _auto_close(order_id, now)
    return result


def _mark_overdue(order_id: int, which: str, now: datetime) -> int:
    with transaction.atomic():
        order = lock(WorkOrder.objects.select_related("region"), order_id)
        flag = f"{which}_overdue"
        if getattr(order, flag):
            return 0
        setattr(order, flag, True)
        fields = [flag]
        if order.escalation_level == 0:
            order.escalation_level = 1
            fields.append("escalation_level")
        order.save(update_fields=fields)
        kind = EventKind.CLAIM_OVERDUE if which == "claim" else EventKind.REPLY_OVERDUE
        label = "领取" if which == "claim" else "答复"
        _record(order, kind, actor=None, note=f"超过{label}时限，已提交区司法局督办")
        recipients = [
            *_supervisors_over(order.region, Role.SUPERVISOR_DISTRICT),
            *_handlers(order),
        ]
        return _notify(recipients, f"工单 {order.number} 超过{label}时限", order)


def _escalate_to_city(order_id: int, now: datetime) -> int:
    with transaction.atomic():
        order = lock(WorkOrder.objects.select_related("region"), order_id)
        levels = pack_for_region(order.region).service_levels
        due = order.claim_due_at if order.claim_overdue else order.reply_due_at
        if order.escalation_level != 1 or working_days_between(due, now) < (
            levels.escalate_to_city_after_working_days
        ):
            return 0
        order.escalation_level = 2
        order.save(update_fields=["escalation_level"])
        _record(order, EventKind.ESCALATED, actor=None, note="逾期未办，已升级至市司法局")
        return min(
            1,
            _notify(
                _supervisors_over(order.region, Role.SUPERVISOR_CITY),
                f"工单 {order.number} 逾期升级",
                order,
            ),
        )


def _auto_close(order_id: int, now: datetime) -> int:
    with transaction.atomic():
        order = lock(WorkOrder.objects.select_related("region"), order_id)
        days = pack_for_region(order.region).service_levels.auto_close_days_after_reply
        if order.status != Status.REPLIED or order.replied_at is None:
            return 0
        if order.replied_at + timedelta(days=days) > now:
            return 0
        _close(order, actor=None, note=f"答复后{days}日未评价，自动办结")
        return 1


def institution_by_id(institution_id: int) -> Institution:
    """The target of a route or transfer; reachability is checked by the verb itself."""
    institution = Institution.objects.select_related("region").filter(pk=institution_id).first()
    if institution is None:
        raise NotFound("未找到目标机构。", field="institution")
    return institution


# --- dispatch rules (district bureau) -----------------------------------------------------


def save_dispatch_rule(
    *,
    acting_user: User,
    region: Region,
    institution: Institution,
    business_line: str = "",
    topic: str = "",
    priority: int = 100,
    active: bool = True,
    rule: DispatchRule | None = None,
) -> DispatchRule:
    _require(
        acting_user,
        {Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY},
        "只有区、市司法局可以编辑分派规则。",
    )
    if acting_user.region is None or not acting_user.region.contains(region):
        raise NotFound("该区域不在您的管辖范围内。", field="region")
    _reachable(institution, region)
    if business_line:
        clean_choice(business_line, BusinessLine.values, "business_line", "业务类别")
    if topic:
        clean_choice(topic, Topic.values, "topic", "咨询分类")
    if (
        institution.kind == InstitutionKind.JUSTICE_OFFICE
        and business_line == BusinessLine.NOTARIZATION
    ):
        raise InvalidInput("司法所不能受理公证业务。", code="bad_target", field="institution")
    with transaction.atomic():
        created = rule is None
        rule = rule or DispatchRule(created_by=acting_user)
        rule.region, rule.institution = region, institution
        rule.business_line, rule.topic = business_line, topic
        rule.priority, rule.active = priority, active
        rule.save()
        record_event(
            "dispatch_rule.create" if created else "dispatch_rule.update",
            actor=acting_user,
            obj=rule,
            detail={
                "region": region.code,
                "institution": institution.pk,
                "business_line": business_line,
                "topic": topic,
                "priority": priority,
                "active": active,
            },
        )
    return rule


# --- the 12345 outbox ---------------------------------------------------------------------

MAX_EXCHANGE_ATTEMPTS = 12


def deliver_exchange_messages(now: datetime | None = None, limit: int = 100) -> int:
    """Send due 12345 updates, oldest first, each order's updates in their order.

    A failure is retried with growing back-off and holds back that order's later updates. A
    message is marked sent in the transaction that locked it, so no run sends it twice.
    """
    now = now or timezone.now()
    backend = exchange_backend()
    delivered = 0
    with transaction.atomic():
        pending = ExchangeMessage.objects.filter(status=OutboxStatus.PENDING)
        held_back = set(pending.filter(next_attempt_at__gt=now).values_list("order_id", flat=True))
        due = pending.filter(next_attempt_at__lte=now).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for message in list(due[:limit]):
            if message.order_id in held_back:
                continue
            message.attempts += 1
            try:
                backend.send(message.payload)
            except Exception as error:  # any failure of the far side means "try again later"
                message.last_error = str(error)[:500]
                message.next_attempt_at = now + timedelta(minutes=min(2**message.attempts, 1440))
                if message.attempts >= MAX_EXCHANGE_ATTEMPTS:
                    message.status = OutboxStatus.FAILED
                message.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
                held_back.add(message.order_id)
                continue
            message.status, message.sent_at = OutboxStatus.SENT, now
            message.save(update_fields=["attempts", "status", "sent_at"])
            delivered += 1
    return delivered
