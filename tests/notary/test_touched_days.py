"""The incremental fill refills the days a notary change touches (``metrics.touched_days``). No
notary date can be entered for a past day (each is the moment the service records it), but a
visit recorded weeks after the certificate changes 最多跑一次 on the day the certificate was
issued — beyond the fill's 7-day fallback window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.indicators import fill
from fawang.indicators.models import FillState
from fawang.notary import metrics, services
from fawang.notary.models import Certificate, NotarialMatter
from tests.conftest import CHAOYANG
from tests.factories import daily_counts
from tests.notary.helpers import World, apply, build_world, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def test_a_visit_weeks_after_the_certificate_recounts_the_day_it_was_issued(w: World) -> None:
    matter = issue(w, apply(w))
    # The same matter as if issued 30 days ago (no service back-dates an issue).
    issued = timezone.now() - timedelta(days=30)
    NotarialMatter.objects.update(submitted_at=issued - timedelta(hours=2), updated_at=issued)
    Certificate.objects.update(issued_at=issued, updated_at=issued)
    back, today = timezone.localdate(issued), timezone.localdate()
    fill.fill_days([back])
    assert daily_counts("notary.certificates_one_visit", CHAOYANG).get(back) == 1.0
    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    services.record_visit(matter, "领取公证书", acting_user=w.notary)
    services.record_visit(matter, "补签", acting_user=w.notary)
    assert metrics.touched_days(timezone.now() - timedelta(minutes=1)) == {back, today}
    fill.fill_incremental()
    assert back not in daily_counts("notary.certificates_one_visit", CHAOYANG)
    assert daily_counts("notary.certificates_issued", CHAOYANG).get(back) == 1.0
    assert daily_counts("notary.visits", CHAOYANG) == {today: 2.0}


def test_the_overdue_sweep_bumps_the_matters_it_marks(w: World) -> None:
    """The sweep marks matters with ``QuerySet.update()``, which skips ``auto_now``."""
    matter = apply(w)
    services.accept(matter, acting_user=w.notary)
    submitted = timezone.localdate(matter.submitted_at)
    NotarialMatter.objects.update(
        due_at=timezone.now() - timedelta(hours=1), updated_at=timezone.now() - timedelta(days=2)
    )
    since = timezone.now() - timedelta(minutes=1)
    assert metrics.touched_days(since) == set()
    assert services.mark_overdue() == [matter.code]
    assert metrics.touched_days(since) == {submitted, timezone.localdate()}


def test_nothing_is_touched_after_the_change(w: World) -> None:
    matter = issue(w, apply(w))
    services.record_visit(matter, "领取公证书", acting_user=w.notary)
    services.file_complaint(
        w.office.pk, "窗口态度差", matter_code=matter.code, acting_user=w.citizen
    )
    assert metrics.touched_days(timezone.now() + timedelta(seconds=1)) == set()
    assert metrics.touched_days(timezone.now() + timedelta(days=2)) == set()
