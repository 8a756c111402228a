"""Periodic mediation jobs: the screening schedule and the early-warning check."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from fawang.mediation.services import detect_spikes, generate_screenings


@task()
def generate_screening_tasks() -> int:
    """Idempotent: the tasks of today's week, month and key periods exist once."""
    return generate_screenings(timezone.localdate())


@task()
def check_dispute_spikes() -> int:
    """The current week so far; a spike warns once per township, type and week."""
    return len(detect_spikes(timezone.localdate()))
