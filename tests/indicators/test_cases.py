"""Legal-aid cases feed the indicators through the legal-aid module's counters."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fawang.indicators import fill
from fawang.indicators.values import counter_totals
from tests.conftest import BEIJING
from tests.factories import region
from tests.legalaid.helpers import approved_case, build_aid_world

pytestmark = pytest.mark.django_db


def test_cases_opened_today_are_counted_for_the_city() -> None:
    world = build_aid_world()
    approved_case(world)
    approved_case(world)
    today = timezone.localdate()
    fill.fill_days([today])
    city = region(BEIJING).pk
    totals = counter_totals([city], today, today, ["legal_aid.cases_opened"])
    assert totals[city]["legal_aid.cases_opened"] == 2
