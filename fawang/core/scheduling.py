"""Periodic jobs: each app declares its ``periodic_jobs`` in its registry entry; `fawang scheduler`
enqueues them.

A job runs once per time slot (``every``): the slot is claimed by inserting a ScheduledRun row under
a unique constraint, in the same transaction as the enqueue, so two schedulers never double-run
a job and a crash between claim and enqueue loses neither.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.core.models import ScheduledRun
from fawang.core.registry import PeriodicJob, periodic_jobs

__all__ = ["PeriodicJob", "enqueue_due_jobs", "periodic_jobs", "slot_of"]


def slot_of(moment: datetime, every: timedelta) -> int:
    return int(moment.timestamp() // every.total_seconds())


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, slot=slot_of(now, job.every))
                job.load().enqueue()
        except IntegrityError:
            continue
        enqueued.append(job.name)
    return enqueued
