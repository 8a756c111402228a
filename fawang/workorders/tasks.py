from __future__ import annotations

from django_tasks import task

from fawang.workorders.classification import suggest_pending_topics
from fawang.workorders.services import deliver_exchange_messages, sweep_deadlines


@task()
def sweep_work_order_deadlines() -> dict[str, int]:
    return vars(sweep_deadlines())


@task()
def deliver_12345_updates() -> int:
    return deliver_exchange_messages()


@task()
def suggest_topics_for_new_orders() -> int:
    return suggest_pending_topics()
