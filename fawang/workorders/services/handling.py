"""Handling: route, claim, assign, transfer, return, supervise, classify, reply, close."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.generations import SERVING_LANGUAGES, GenerationalMap
from fawang.core.models import SUPERVISOR_ROLES, Institution, Practitioner, Region, Role, User
from fawang.core.rows import lock
from fawang.core.taxonomy import Topic
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_choice, clean_text
from fawang.workorders.models import (
    CLOSE_REASON_FROM,
    MAX_REPLY,
    BusinessLine,
    CloseReason,
    EventKind,
    Status,
    WorkOrder,
)
from fawang.workorders.selectors import SERVING_ROLES, eligible_for_claim, in_hand_out_order
from fawang.workorders.services._common import (
    MAX_NOTE,
    ORDER_TRANSITIONS,
    _notify,
    _reachable,
    _record,
    _require,
    _text_requester,
)

DISPATCHER_ROLES = frozenset(
    {Role.HOTLINE_SEAT, Role.WINDOW_CLERK, Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY}
)


# --- dispatch, claim, assignment ----------------------------------------------------------


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
    """The first row of the queue (绿色通道 first, then the oldest), locked; rows other transactions hold are skipped.

    PostgreSQL: FOR UPDATE SKIP LOCKED. SQLite: writers are serialised (IMMEDIATE transactions),
    so the plain read inside the write transaction is already exclusive.
    """
    ordered = in_hand_out_order(queryset)
    if connection.features.has_select_for_update_skip_locked:
        ordered = ordered.select_for_update(skip_locked=True)
    return ordered.first()


def claim_next(*, acting_user: User) -> WorkOrder | None:
    """ "Next": the oldest queued order of the user's institution, or None when the queue is empty."""
    _require(acting_user, SERVING_ROLES)
    with transaction.atomic():
        order = _lock_oldest(
            _leave_languages_to_colleagues(eligible_for_claim(acting_user), acting_user)
        )
        if order is None:
            return None
        return _take(order, acting_user, EventKind.CLAIMED, actor=acting_user, note="领取下一单")


def _languages_of(users: Iterable[User] | QuerySet[User]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for practitioner in Practitioner.objects.filter(user__in=users).only("user", "languages"):
        if practitioner.user_id is not None:
            found.setdefault(practitioner.user_id, set()).update(practitioner.languages or [])
    return found


def _languages_in_institution(institution_id: int) -> dict[int, set[str]]:
    colleagues = User.objects.filter(
        institution_id=institution_id, is_active=True, role__in=SERVING_ROLES
    )
    return _languages_of(colleagues)


# Every "next" asks who in the institution speaks what; staff and their languages change rarely.
_languages_by_institution: GenerationalMap[int, dict[int, set[str]]] = GenerationalMap(
    SERVING_LANGUAGES, _languages_in_institution
)


def _leave_languages_to_colleagues(
    queryset: QuerySet[WorkOrder], user: User
) -> QuerySet[WorkOrder]:
    """A request in a language (or sign language) this user lacks is left to a colleague who has
    it; when nobody in the institution has it, anyone may take it (and find an interpreter)."""
    if user.institution_id is None:
        return queryset
    spoken = _languages_by_institution.get(user.institution_id) or {}
    own = spoken.get(user.pk, set())
    others = set().union(*(langs for pk, langs in spoken.items() if pk != user.pk)) - own
    return queryset.exclude(language__in=sorted(others)) if others else queryset


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
    # A request in another language or sign language goes to someone who has it, first of all.
    spoken = _languages_of(staff) if order.language else {}
    return min(
        staff,
        key=lambda u: (
            bool(order.language) and order.language not in spoken.get(u.pk, set()),
            load[u.pk] - 2 * (u.pk in specialists),
            u.pk,
        ),
    )


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


# --- reply and close ----------------------------------------------------------------------


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


def answer_for_line(order: WorkOrder, *, reply: str, acting_user: User) -> WorkOrder:
    """The business line's decision answers the order it came in on, in the line's transaction
    (e.g. 法律援助法 第四十三条: the legal-aid decision is the reply to the application's order).

    The line has told the requester itself, so no second SMS; an order already answered stays
    as it is."""
    reply = clean_text(reply, MAX_REPLY, "reply", "答复内容")
    order = lock(order)
    if not order.is_open:
        return order
    before = order.status
    order.status = check_transition(ORDER_TRANSITIONS, order.status, "answer") or order.status
    if order.assignee_id is None:
        order.assignee = acting_user
    order.reply, order.replied_at = reply, timezone.now()
    order.save(update_fields=["status", "assignee", "reply", "replied_at"])
    _record(order, EventKind.REPLIED, actor=acting_user, from_status=before)
    return order


def close_by_seat(
    order: WorkOrder, *, reason: str, note: str = "", duplicate_of: str = "", acting_user: User
) -> WorkOrder:
    """The handler closes the order they hold, for a declared reason, without waiting for the
    citizen's rating or the auto-close.

    Rules: only the order's handler; "resolved" only after a reply; "duplicate" names another
    order of the same requester's; an order that follows a legal-aid or mediation case closes
    with its case, never here. The requester is told by SMS; the event and the audit say why."""
    reason = clean_choice(reason, CloseReason.values, "reason", "办结理由")
    note = clean_text(note, MAX_NOTE, "note", "办结说明", required=reason == CloseReason.WITHDRAWN)
    duplicate_of = (duplicate_of or "").strip().upper()
    with transaction.atomic():
        order = lock(order)
        before = order.status
        to_status = check_transition(ORDER_TRANSITIONS, order.status, "seat_close")
        if order.assignee_id != acting_user.pk:
            raise PermissionDenied("只有承办人可以办结工单。")
        if order.case_ref:
            raise Conflict(
                f"该工单随{order.case_ref}办理，案件办结后工单自动办结。", code="close_not_allowed"
            )
        if before not in CLOSE_REASON_FROM[reason]:
            raise Conflict(
                f"工单当前状态为“{order.get_status_display()}”，"
                f"不能以“{CloseReason(reason).label}”办结。",
                code="close_not_allowed",
                field="reason",
            )
        data: dict[str, str] = {"reason": reason, "by": "handler"}
        if reason == CloseReason.DUPLICATE:
            other = WorkOrder.objects.filter(number=duplicate_of).exclude(pk=order.pk).first()
            if other is None or not _same_requester(order, other):
                raise InvalidInput(
                    "请填写同一申请人的另一张工单编号。", code="bad_duplicate", field="duplicate_of"
                )
            data["duplicate_of"] = other.number
        order.status = to_status or order.status
        order.closed_at = timezone.now()
        order.save(update_fields=["status", "closed_at"])
        label: str = str(CloseReason(reason).label)
        text = (
            label + (f"：{note}" if note else "") + (f"（{duplicate_of}）" if duplicate_of else "")
        )
        _record(
            order, EventKind.CLOSED, actor=acting_user, from_status=before, note=text, data=data
        )
        _text_requester(order, f"【法网】您的工单{order.number}已办结（{label}）。")
    return order


def _same_requester(order: WorkOrder, other: WorkOrder) -> bool:
    if order.citizen_id is not None and order.citizen_id == other.citizen_id:
        return True
    return (
        bool(order.requester_phone_hash)
        and order.requester_phone_hash == other.requester_phone_hash
    )


def follow_case(
    order: WorkOrder,
    *,
    case_ref: str,
    case_status: str,
    acting_user: User | None,
    note: str = "",
    ended: bool = False,
) -> WorkOrder:
    """A business line tells the order a request came in on where its case stands, in the
    line's own transaction, so the citizen sees one request with one status and one history.

    ``case_ref`` names the case ("法律援助申请 FY…"), ``case_status`` its state as the line says
    it ("已批准 · 承办中"). A change adds a "案件进展" row to the order's timeline; ``ended`` (the
    case closed, was withdrawn, terminated) closes the order too. The same status told twice
    changes nothing. Lines call this; workorders never reads a line."""
    case_ref = clean_text(case_ref, 60, "case_ref", "所随案件")
    case_status = clean_text(case_status, 60, "case_status", "案件状态")
    order = lock(order)
    before = order.status
    unchanged = order.case_ref == case_ref and order.case_status == case_status
    if unchanged and (not ended or before == Status.CLOSED):
        return order
    order.case_ref, order.case_status = case_ref, case_status
    fields = ["case_ref", "case_status"]
    if ended and before != Status.CLOSED:
        order.status = check_transition(ORDER_TRANSITIONS, before, "case_close") or before
        order.closed_at = timezone.now()
        fields += ["status", "closed_at"]
    order.save(update_fields=fields)
    text = f"{case_ref}：{case_status}" + (f"。{note}" if note else "")
    data = {"case_ref": case_ref, "case_status": case_status}
    _record(
        order,
        EventKind.CASE_UPDATED,
        actor=acting_user,
        from_status=before,
        note=text,
        data=data,
        actor_label="fawang case",
    )
    if ended and before != Status.CLOSED:
        _record(order, EventKind.CLOSED, actor=acting_user, from_status=before, note=text,
                data=data, actor_label="fawang case")  # fmt: skip
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
