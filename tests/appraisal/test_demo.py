"""The appraisal demo: 资质认定 recorded through the services give BJ-21 a value below 100%, every
status shows up, and a second run creates nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from fawang.appraisal import metrics
from fawang.appraisal.demo import build_demo_appraisal
from fawang.appraisal.models import Accreditation, InstitutionProfile
from fawang.core.demo import build_demo_world
from fawang.core.services import load_regions

pytestmark = pytest.mark.django_db


def _share(day: Any, fields: tuple[str, ...]) -> float:
    counters = metrics.FIELD_COUNTERS
    accredited = sum(sum(counters[f"appraisal.accredited_{f}"](day).values()) for f in fields)
    licensed = sum(sum(counters[f"appraisal.licensed_{f}"](day).values()) for f in fields)
    assert licensed > 0
    return 100 * accredited / licensed


def test_the_demo_gives_a_realistic_coverage(settings: Any) -> None:
    settings.MODE = "demo"
    load_regions(cities=["beijing"])
    build_demo_world()
    first = build_demo_appraisal()
    assert first["accreditations"] > 3
    today = timezone.localdate()
    five = ("forensic_dna", "forensic_toxicology", "trace_evidence", "environmental",
            "electronic_data")  # fmt: skip
    assert 50 <= _share(today, five) < 100
    statuses = {row.status_label(today) for row in Accreditation.objects.all()}
    assert {"有效", "即将到期", "已过期", "已撤销"} <= statuses
    assert InstitutionProfile.objects.filter(parent_body="key_university").exists()
    again = build_demo_appraisal()
    assert again["accreditations"] == 0 and again["entrustments"] == 0
