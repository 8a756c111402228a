"""The scheduler's sweep: overdue claims and replies, escalation, auto-close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from fawang.core.models import Role
from fawang.core.rows import lock
from fawang.policy.deadlines import deadline, escalation_moment
from fawang.policy.packs import pack_for_region
from fawang.workorders.models import OPEN_STATUSES, EventKind, Status, WorkOrder
from fawang.workorders.services._common import _notify, _record, _supervisors_over
from fawang.workorders.services.handling import _close, _handlers

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
        if order.escalation_level != 1 or now < escalation_moment(
            due, levels.escalate_to_city_after
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
        period = pack_for_region(order.region).service_levels.auto_close_after_reply
        if order.status != Status.REPLIED or order.replied_at is None:
            return 0
        if deadline(order.replied_at, period) > now:
            return 0
        _close(order, actor=None, note=f"答复后{period}未评价，自动办结")
        return 1
