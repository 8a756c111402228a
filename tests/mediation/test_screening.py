from __future__ import annotations

from datetime import date, timedelta

import pytest

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.mediation import selectors
from fawang.mediation.models import Cadence, KeyPeriod, Screening
from fawang.mediation.services import complete_screening, declare_key_period, generate_screenings
from tests.conftest import CHAOYANG
from tests.factories import region
from tests.mediation.helpers import build_world, mediator_account

pytestmark = pytest.mark.django_db


def generate_month(year: int, month: int) -> int:
    day, created = date(year, month, 1), 0
    while day.month == month:
        created += generate_screenings(day)
        day += timedelta(days=1)
    return created


def test_month_with_a_key_period_gives_weekly_monthly_and_daily_tasks() -> None:
    world = build_world()
    declare_key_period(
        acting_user=world.district_bureau,
        region=region(CHAOYANG),
        name="元旦前重点时段",
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 12),
    )
    created = generate_month(2026, 12)
    # Village committee: the weeks starting 30 Nov, 7, 14, 21, 28 Dec = 5; justice office: 1
    # monthly; both units daily on 10–12 Dec = 6.
    assert created == 12
    village = Screening.objects.filter(unit=world.village_committee)
    assert village.filter(cadence=Cadence.WEEKLY).count() == 5
    assert village.filter(cadence=Cadence.DAILY).count() == 3
    office = Screening.objects.filter(unit=world.office)
    assert office.filter(cadence=Cadence.MONTHLY).get().due_on == date(2026, 12, 31)
    assert office.filter(cadence=Cadence.DAILY).count() == 3


def test_generating_twice_creates_nothing_new() -> None:
    build_world()
    generate_screenings(date(2026, 12, 3))
    assert generate_screenings(date(2026, 12, 3)) == 0


def test_township_committees_are_not_screened_by_the_village_cadence() -> None:
    world = build_world()
    generate_screenings(date(2026, 12, 3))
    assert not Screening.objects.filter(unit=world.committee).exists()


def test_key_period_outside_the_region_adds_no_daily_tasks() -> None:
    world = build_world()
    KeyPeriod.objects.create(
        region=region("110108000000"),
        name="海淀",
        starts_on=date(2026, 12, 3),
        ends_on=date(2026, 12, 3),
        declared_by=world.district_bureau,
    )
    generate_screenings(date(2026, 12, 3))
    assert not Screening.objects.filter(cadence=Cadence.DAILY).exists()


def test_missed_screening_becomes_overdue() -> None:
    world = build_world()
    generate_screenings(date(2026, 12, 1))
    weekly = Screening.objects.get(unit=world.village_committee)
    assert weekly.due_on == date(2026, 12, 6)
    scoped = selectors.screenings_for_user(world.township_bureau)
    assert not selectors.overdue(scoped, today=date(2026, 12, 6)).exists()
    assert list(selectors.overdue(scoped, today=date(2026, 12, 7))) == [
        *Screening.objects.filter(pk=weekly.pk)
    ]
    assert weekly.is_overdue(date(2026, 12, 7))


def test_done_screening_is_not_overdue() -> None:
    world = build_world()
    generate_screenings(date(2026, 12, 1))
    weekly = Screening.objects.get(unit=world.village_committee)
    village_mediator, _ = mediator_account(world.village_committee)
    complete_screening(weekly, acting_user=village_mediator, notes="无异常")
    assert (
        not selectors.overdue(Screening.objects.all(), today=date(2027, 1, 1))
        .filter(unit=world.village_committee)
        .exists()
    )


def test_screening_done_twice_is_refused() -> None:
    world = build_world()
    generate_screenings(date(2026, 12, 1))
    weekly = Screening.objects.get(unit=world.village_committee)
    village_mediator, _ = mediator_account(world.village_committee)
    complete_screening(weekly, acting_user=village_mediator, notes="无异常")
    with pytest.raises(Conflict):
        complete_screening(weekly, acting_user=village_mediator, notes="再次")


def test_other_unit_cannot_complete_a_screening() -> None:
    world = build_world()
    generate_screenings(date(2026, 12, 1))
    weekly = Screening.objects.get(unit=world.village_committee)
    with pytest.raises(PermissionDenied):
        complete_screening(weekly, acting_user=world.outsider, notes="x")
    weekly.refresh_from_db()
    assert weekly.done_at is None


def test_township_bureau_completes_its_justice_office_screening() -> None:
    world = build_world()
    generate_screenings(date(2026, 12, 1))
    monthly = Screening.objects.get(unit=world.office)
    complete_screening(monthly, acting_user=world.township_bureau, notes="排查3个社区")
    monthly.refresh_from_db()
    assert monthly.done_by == world.township_bureau


def test_key_period_ending_before_it_starts_is_refused() -> None:
    world = build_world()
    with pytest.raises(InvalidInput):
        declare_key_period(
            acting_user=world.district_bureau,
            region=region(CHAOYANG),
            name="x",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 9),
        )
    assert not KeyPeriod.objects.exists()


def test_mediator_cannot_declare_a_key_period() -> None:
    world = build_world()
    with pytest.raises(PermissionDenied):
        declare_key_period(
            acting_user=world.head,
            region=region(CHAOYANG),
            name="x",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
        )
