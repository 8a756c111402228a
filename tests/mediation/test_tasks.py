from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.core.scheduling import periodic_jobs
from fawang.mediation.models import Screening
from fawang.mediation.tasks import check_dispute_spikes, generate_screening_tasks
from tests.mediation.helpers import build_world

pytestmark = pytest.mark.django_db


def test_scheduler_knows_the_mediation_jobs() -> None:
    names = {job.name: job.every for job in periodic_jobs()}
    assert names["mediation.generate_screenings"] == timedelta(hours=1)
    assert "mediation.check_dispute_spikes" in names


def test_screening_job_creates_todays_tasks_once() -> None:
    world = build_world()
    generate_screening_tasks.call()
    generate_screening_tasks.call()
    today = timezone.localdate()
    weekly = Screening.objects.get(unit=world.village_committee)
    assert weekly.period_start <= today <= weekly.due_on
    assert Screening.objects.filter(unit=world.office).count() == 1


def test_spike_job_runs_on_a_quiet_week() -> None:
    build_world()
    assert check_dispute_spikes.call() == 0
