"""Demo work orders: dispatch rules for every Beijing district and ~300 orders of the last 60 days.

DEMO ONLY. Requesters, phones and stories are invented. The rules are written directly (one audit
event for the whole build); the orders go through the real services — intake, transfer, claim,
reply, rating, follow-up, complaint, the deadline sweep, supervision — and their timestamps are
then moved into the past (the services take ``timezone.now()``): ``created_at`` and both
deadlines recomputed with the working-day calendar and the city's policy pack, then the claim,
reply, rating and closing times, and the timeline events with them. The hash-chained audit events
keep the moment the demo was really built: rewriting them would break the chain.

Queues after a build:
- 朝阳区公共法律服务中心 holds NO queued order. The browser test creates an order there and presses
  "领取下一单", which hands out the OLDEST queued order of the queue: any demo order left waiting
  there would be handed out instead of the test's own. Every order routed to that centre is
  therefore claimed (and most of them replied).
- 海淀区公共法律服务中心 holds a few fresh orders dated today, so "领取下一单" has work for the
  demo seat of Haidian (demo-hotline-seat-haidian).
- Institutions without a demo account (other districts' centres, legal-aid centres, 司法局,
  北京仲裁委员会) keep their orders queued; the sweep marks the old ones overdue.

Idempotent: every order carries the idempotency key ``demo-<n>`` of its creating account, and a
build that finds any of them creates no order; rules are keyed on (region, business line, topic).
Deterministic: one ``random.Random(seed)`` plans everything, relative to the moment of the build.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.jobs import withheld
from fawang.core.models import User
from fawang.core.tasks import SMS_TASKS
from fawang.workorders.demo.data import CHAOYANG_CENTRE, DEMO_KEY_PREFIX, HAIDIAN_CENTRE
from fawang.workorders.demo.orders import _Cast, _OrderBuilder
from fawang.workorders.demo.rules import _ensure_dispatch_rules
from fawang.workorders.models import ExchangeMessage, WorkOrder

__all__ = ["CHAOYANG_CENTRE", "HAIDIAN_CENTRE", "build_demo_work_orders"]


def build_demo_work_orders(*, seed: int = 2026) -> dict[str, int]:
    """Create the demo dispatch rules and work orders that are missing; returns what was created."""
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    # Nothing about invented orders may leave the platform: the SMS the services would send to
    # the requesters (whose invented numbers may belong to real people) are never queued.
    with transaction.atomic(), withheld(*SMS_TASKS):
        cast = _load_cast()
        counts = {"dispatch_rules": _ensure_dispatch_rules(cast.supervisor_city)}
        if WorkOrder.objects.filter(idempotency_key__startswith=DEMO_KEY_PREFIX).exists():
            counts.update(dict.fromkeys(_OrderBuilder.COUNTERS, 0))
        else:
            builder = _OrderBuilder(random.Random(seed), cast, timezone.now())
            counts.update(builder.build())
            _withdraw_outbound(builder.order_ids)
        if any(counts.values()):
            record_event("demo.workorders", actor="fawang demo", detail={"seed": seed, **counts})
    return counts


def _withdraw_outbound(order_ids: list[int]) -> None:
    """The status updates the services wrote to the 12345 outbox for the demo tickets (which the
    hotline never sent) are dropped unsent."""
    ExchangeMessage.objects.filter(order_id__in=order_ids).delete()


def _load_cast() -> _Cast:
    names = {
        "citizen": "demo-citizen",
        "seat": "demo-hotline-seat",
        "seat_haidian": "demo-hotline-seat-haidian",
        "clerk": "demo-window-clerk",
        "supervisor_district": "demo-supervisor-district",
        "supervisor_city": "demo-supervisor-city",
    }
    users = {u.username: u for u in User.objects.filter(username__in=names.values())}
    missing = [name for name in names.values() if name not in users]
    if missing:
        raise InvalidInput(f"请先生成演示机构和账户（缺少 {', '.join(missing)}）。")
    return _Cast(**{field: users[name] for field, name in names.items()})
