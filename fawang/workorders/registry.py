"""Work orders (工单): the shared intake every channel and every business line starts from."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fawang.core.models import (
    INTAKE_ROLES,
    RULE_EDITOR_ROLES,
    SERVING_ROLES,
    STAFF_READER_ROLES,
    SUPERVISOR_ROLES,
)
from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

# Every verb of the order's life writes "workorder.<event kind>" (models.EventKind).
_ORDER_EVENTS = (
    "created routed claimed assigned transferred returned supervised classified replied rated "
    "followed_up complained closed claim_overdue reply_overdue escalated case_updated"
)

REGISTRY = Declaration(
    name="workorders",
    label=_("工单"),
    urls="fawang.workorders.urls",
    api_router="fawang.workorders.api:router",
    nav=(
        NavEntry(PORTAL, _("提交诉求"), "workorders:request_new", order=20),
        NavEntry(PORTAL, _("查询进度"), "workorders:request_track", order=30),
        NavEntry(PORTAL, _("我的诉求"), "workorders:requests", order=60, citizens_only=True),
        NavEntry(CONSOLE, _("工单"), "workorders:orders", STAFF_READER_ROLES, order=10,
                 home_tile=_("工单")),
        NavEntry(CONSOLE, _("受理登记"), "workorders:order_new", INTAKE_ROLES, order=11,
                 home_tile=_("受理登记（窗口、来电、转介）")),
        NavEntry(CONSOLE, _("分派规则"), "workorders:dispatch_rules", RULE_EDITOR_ROLES, order=12,
                 home_tile=_("分派规则")),
        NavEntry(CONSOLE, _("统计"), "workorders:dashboard", SUPERVISOR_ROLES, order=13,
                 home_tile=_("工单统计")),
        NavEntry(CONSOLE, _("通知"), "workorders:notifications", STAFF_READER_ROLES, order=210,
                 home_tile=_("通知")),
        NavEntry(CONSOLE, _("领取下一单"), "workorders:claim_next", SERVING_ROLES, order=220,
                 post=True),
    ),
    metrics="fawang.workorders.metrics",
    periodic_jobs=(
        PeriodicJob("workorders.sweep_deadlines", "fawang.workorders.tasks:sweep_work_order_deadlines",
                    timedelta(minutes=5)),
        PeriodicJob("workorders.deliver_12345", "fawang.workorders.tasks:deliver_12345_updates",
                    timedelta(minutes=1)),
        # A seat sees the topic suggestion within seconds of the order's creation.
        PeriodicJob("workorders.suggest_topics",
                    "fawang.workorders.tasks:suggest_topics_for_new_orders", timedelta(seconds=10)),
    ),
    # The events; the orders stay one table (docs/operations.md, "Partitioned history").
    partitioned_by_month=("workorders.WorkOrderEvent.occurred_at",),
    demo="fawang.workorders.demo:build_demo_work_orders",
    demo_order=20,
    audit_events=words(
        " ".join(f"workorder.{kind}" for kind in _ORDER_EVENTS.split())
        + " dispatch_rule.create dispatch_rule.update demo.workorders"
    ),
    error_codes=words(
        "already_rated bad_rating bad_state bad_target channel_forbidden deadline_past "
        "no_assignee same_institution idempotency_key_reused close_not_allowed bad_duplicate"
    ),
)  # fmt: skip
