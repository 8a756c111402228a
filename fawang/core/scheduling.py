"""Periodic jobs: each app's ``tasks.py`` lists ``PERIODIC_JOBS``; `fawang scheduler` enqueues them.

A job runs once per time slot (``every``): the slot is claimed by inserting a ScheduledRun row under
a unique constraint, in the same transaction as the enqueue, so two schedulers never double-run
a job and a crash between claim and enqueue loses neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.core.models import ScheduledRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task
    every: timedelta


def periodic_jobs() -> list[PeriodicJob]:
    jobs: list[PeriodicJob] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("fawang."):
            continue
        try:
            module = import_module(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        jobs.extend(getattr(module, "PERIODIC_JOBS", []))
    return jobs


def slot_of(moment: datetime, every: timedelta) -> int:
    return int(moment.timestamp() // every.total_seconds())


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, slot=slot_of(now, job.every))
                job.task.enqueue()
        except IntegrityError:
            continue
        enqueued.append(job.name)
    return enqueued
