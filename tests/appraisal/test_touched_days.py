"""The incremental fill refills the days an appraisal change touches (``metrics.touched_days``):
a 资质认定 certificate recorded today but issued weeks ago counts from the day it was issued, not
only within the fill's 7-day fallback window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fawang.appraisal import metrics, services
from fawang.appraisal.models import Accreditation
from fawang.core.models import Institution
from fawang.indicators import fill
from fawang.indicators.models import FillState
from tests.appraisal.helpers import World, build_world, entrust
from tests.conftest import CHAOYANG
from tests.factories import daily_counts

pytestmark = pytest.mark.django_db

ACCREDITED = "appraisal.accredited_forensic_dna"


@pytest.fixture
def w() -> World:
    world = build_world()
    # On the roster long before the certificates below: a past day counts the institution.
    Institution.objects.update(created_at=timezone.now() - timedelta(days=90))
    return world


def record_cma(w: World, issued: date) -> Accreditation:
    return services.record_accreditation(
        w.institution,
        services.AccreditationIn(
            field="forensic_dna",
            kind="cma",
            certificate_number="CMA 202411000001",
            issuing_body="北京市市场监督管理局",
            issued_on=issued,
            valid_until=issued + timedelta(days=6 * 365),
        ),
        acting_user=w.district_bureau,
    )


def test_a_certificate_recorded_today_from_weeks_ago_counts_from_its_day(w: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    issued = today - timedelta(days=30)
    record_cma(w, issued)
    assert {issued, today} <= metrics.touched_days(timezone.now() - timedelta(minutes=1))
    fill.fill_incremental()
    accredited = daily_counts(ACCREDITED, CHAOYANG)
    for day in (issued, issued + timedelta(days=15), today):
        assert accredited.get(day) == 1.0, day
    assert issued - timedelta(days=1) not in accredited


def test_a_withdrawal_entered_today_from_weeks_ago_counts_from_its_day(w: World) -> None:
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    certificate = record_cma(w, today - timedelta(days=60))
    fill.fill_incremental()
    # Recorded days ago: only the withdrawal (which saves just the fields it sets) touches it now.
    Accreditation.objects.update(updated_at=timezone.now() - timedelta(days=3))
    withdrawn = today - timedelta(days=20)
    services.withdraw_accreditation(
        certificate, "发证机关撤销", withdrawn, acting_user=w.district_bureau
    )
    assert withdrawn in metrics.touched_days(timezone.now() - timedelta(minutes=1))
    fill.fill_incremental()
    accredited = daily_counts(ACCREDITED, CHAOYANG)
    assert accredited.get(withdrawn - timedelta(days=1)) == 1.0
    for day in (withdrawn, withdrawn + timedelta(days=10), today):
        assert day not in accredited, day


def test_a_parent_body_touches_only_the_day_it_is_recorded(w: World) -> None:
    """SJZ-24 reads the current record, which keeps no dates."""
    since = timezone.now() - timedelta(minutes=1)
    services.record_parent_body(
        w.institution, "research_institute", "北京市科学技术研究院", acting_user=w.district_bureau
    )
    assert metrics.touched_days(since) == {timezone.localdate()}


def test_only_entrustments_from_mediation_are_read(w: World) -> None:
    since = timezone.now() - timedelta(minutes=1)
    entrust(w)  # from a court: no counter reads it
    assert metrics.touched_days(since) == set()
    entrust(w, entrusting_kind="mediation", mediation_ref="TJ20261205000001")
    assert metrics.touched_days(since) == {timezone.localdate()}


def test_nothing_is_touched_after_the_change(w: World) -> None:
    record_cma(w, timezone.localdate() - timedelta(days=30))
    entrust(w, entrusting_kind="mediation", mediation_ref="TJ20261205000001")
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()
