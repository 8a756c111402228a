"""Shared by the work-order verbs: transitions, the event record, SMS, notifications, checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import pgettext_lazy

from fawang.audit.services import audit_event, record_events
from fawang.core.errors import NotFound, PermissionDenied
from fawang.core.models import Institution, Region, User
from fawang.core.tasks import queue_sms_to_record
from fawang.core.transitions import Transitions
from fawang.db.appends import append_rows
from fawang.workorders.models import (
    TRANSITIONS,
    Channel,
    EventKind,
    ExchangeMessage,
    Notification,
    Status,
    WorkOrder,
    WorkOrderEvent,
)
from fawang.workorders.selectors import reachable_institutions

MAX_NOTE = 1000


# --- helpers ------------------------------------------------------------------------------


VERB_LABELS = {
    "route": pgettext_lazy("transition", "分派"),
    "claim": pgettext_lazy("transition", "领取"),
    "assign": pgettext_lazy("transition", "指派"),
    "transfer": pgettext_lazy("transition", "转办"),
    "return": pgettext_lazy("transition", "退回"),
    "reply": pgettext_lazy("transition", "答复"),
    "answer": pgettext_lazy("transition", "答复"),
    "close": pgettext_lazy("transition", "办结"),
    "seat_close": pgettext_lazy("transition", "办结"),
    "case_close": pgettext_lazy("transition", "随案办结"),
    "supervise": pgettext_lazy("transition", "督办"),
    "rate": pgettext_lazy("transition", "评价"),
    "follow_up": pgettext_lazy("transition", "回访"),
}

ORDER_TRANSITIONS = Transitions(
    TRANSITIONS, noun=pgettext_lazy("transition", "工单"), statuses=Status, verb_labels=VERB_LABELS
)


@dataclass(frozen=True)
class Happened:
    """One entry of an order's history, as :func:`_record_all` writes it."""

    kind: str
    actor: User | None
    to_status: str
    from_status: str = ""
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    actor_label: str = "fawang scheduler"


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
    happened = Happened(kind, actor, order.status, from_status, note, data or {}, actor_label)
    return _record_all(order, [happened])[0]


def _record_all(order: WorkOrder, happenings: list[Happened]) -> list[WorkOrderEvent]:
    """The order's events and their audit entries, one INSERT each for the lot."""
    events = append_rows(
        [
            WorkOrderEvent(
                order=order,
                actor=h.actor if h.actor is not None and h.actor.pk else None,
                kind=h.kind,
                from_status=h.from_status,
                to_status=h.to_status,
                institution=order.institution,
                note=h.note[:MAX_NOTE],
                data=h.data,
            )
            for h in happenings
        ]
    )
    record_events(
        [
            audit_event(
                f"workorder.{h.kind}",
                actor=h.actor if h.actor is not None else h.actor_label,
                obj=order,
                detail={"number": order.number, "status": h.to_status, **h.data},
            )
            for h in happenings
        ]
    )
    if order.channel == Channel.CITIZEN_HOTLINE_12345:
        for event in events:
            _queue_exchange_update(order, event)
    return events


def _queue_exchange_update(order: WorkOrder, event: WorkOrderEvent) -> None:
    ExchangeMessage.objects.create(
        order=order,
        dedupe_key=f"{order.number}:{event.pk}",
        payload={
            "message_id": f"{order.number}:{event.pk}",
            "ticket_id": order.external_ref,
            "order_number": order.number,
            "event": event.kind,
            "status": event.to_status,
            "status_label": str(Status(event.to_status).label),
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


# --- checks the verbs share ---------------------------------------------------------------


def _require(user: User, roles: Iterable[str], message: str = "您的角色无权进行此操作。") -> None:
    if user.role not in set(roles):
        raise PermissionDenied(message)


def _reachable(institution: Institution, anchor: Region) -> None:
    if not reachable_institutions(anchor).filter(pk=institution.pk).exists():
        raise NotFound("目标机构不在该工单所属区的范围内，或已停止服务。", field="institution")
