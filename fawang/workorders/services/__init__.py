"""Work-order use cases: intake from every channel, routing, claim, transfer, reply, follow-up.

Each verb locks the order row (``core.rows.lock``), checks the transition against
``models.TRANSITIONS`` (``core.transitions``), changes it, writes one WorkOrderEvent and one audit
event, and writes the 12345 update to the outbox when the order came from 12345 — all in one
transaction. An SMS to the requester is queued when that transaction commits.

One module per use case — ``intake``, ``routing``, ``handling``, ``feedback``, ``deadlines``,
``outbox`` — with shared helpers in ``_common``; this package re-exports their public names.
"""

from __future__ import annotations

# Defined in core.services and selectors; the pages and the API use them through this package.
from fawang.core.services import region_by_code
from fawang.workorders.selectors import SERVING_ROLES
from fawang.workorders.services._common import (
    MAX_NOTE,
    ORDER_TRANSITIONS,
    VERB_LABELS,
)
from fawang.workorders.services.deadlines import (
    SweepResult,
    sweep_deadlines,
)
from fawang.workorders.services.feedback import (
    COMPLAINT_PHONE_PURPOSE,
    file_complaint,
    rate_order,
    record_follow_up,
    reveal_requester_phone,
)
from fawang.workorders.services.handling import (
    DISPATCHER_ROLES,
    answer_for_line,
    assign_order,
    choose_assignee,
    claim_next,
    claim_order,
    close_by_seat,
    confirm_topic,
    follow_case,
    open_load,
    reply_to_order,
    return_order,
    route_order,
    supervise_order,
    transfer_order,
)
from fawang.workorders.services.intake import (
    CHANNELS_BY_ROLE,
    MAX_TITLE,
    Intake,
    create_work_order,
)
from fawang.workorders.services.outbox import (
    MAX_EXCHANGE_ATTEMPTS,
    deliver_exchange_messages,
)
from fawang.workorders.services.routing import (
    institution_by_id,
    matching_rule,
    save_dispatch_rule,
)

__all__ = [
    "CHANNELS_BY_ROLE",
    "COMPLAINT_PHONE_PURPOSE",
    "DISPATCHER_ROLES",
    "MAX_EXCHANGE_ATTEMPTS",
    "MAX_NOTE",
    "MAX_TITLE",
    "ORDER_TRANSITIONS",
    "SERVING_ROLES",
    "VERB_LABELS",
    "Intake",
    "SweepResult",
    "answer_for_line",
    "assign_order",
    "choose_assignee",
    "claim_next",
    "claim_order",
    "close_by_seat",
    "confirm_topic",
    "create_work_order",
    "deliver_exchange_messages",
    "file_complaint",
    "follow_case",
    "institution_by_id",
    "matching_rule",
    "open_load",
    "rate_order",
    "record_follow_up",
    "region_by_code",
    "reply_to_order",
    "return_order",
    "reveal_requester_phone",
    "route_order",
    "save_dispatch_rule",
    "supervise_order",
    "sweep_deadlines",
    "transfer_order",
]
