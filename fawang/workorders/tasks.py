from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from fawang.core.scheduling import PeriodicJob
from fawang.workorders.services import deliver_exchange_messages, sweep_deadlines


@task()
def sweep_work_order_deadlines() -> dict[str, int]:
    return vars(sweep_deadlines())


@task()
def deliver_12345_updates() -> int:
    return deliver_exchange_messages()


PERIODIC_JOBS = [
    PeriodicJob("workorders.sweep_deadlines", sweep_work_order_deadlines, timedelta(minutes=5)),
    PeriodicJob("workorders.deliver_12345", deliver_12345_updates, timedelta(minutes=1)),
]
