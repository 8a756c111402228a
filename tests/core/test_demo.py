from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.audit.models import AuditEvent
from fawang.core import demo
from fawang.core.demo import DEMO_PASSWORD, DemoSummary, build_demo_world, demo_totp_key
from fawang.core.errors import InvalidInput
from fawang.core.models import (
    Institution,
    InstitutionKind,
    MediationLevel,
    Practitioner,
    PractitionerKind,
    Region,
    RegionLevel,
    Role,
    User,
)
from fawang.core.personal_data import PHONE, lookup_hash, validate_id_number
from fawang.core.services import load_regions
from fawang.network.demo import build_demo_service_points
from fawang.network.models import ServicePoint, ServicePointLevel

pytestmark = pytest.mark.django_db

BEIJING = "110000000000"


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """Build once for the module, inside a transaction rolled back at its end.

    Each test runs in a savepoint within it, so tests stay independent, nothing leaks into other
    modules, and the build (a couple of seconds) runs once instead of once per test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_regions(cities=["beijing"])
        world = build_demo_world()
        build_demo_service_points()  # the network line writes the world's service points
        yield world
        transaction.set_rollback(True)


def _beijing_districts() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.DISTRICT, parent__code=BEIJING))


def test_every_district_has_its_bureau_centre_legal_aid_and_walk_in_centre(
    demo_world: DemoSummary,
) -> None:
    districts = _beijing_districts()
    assert len(districts) == 17
    for district in districts:
        kinds = set(Institution.objects.filter(region=district).values_list("kind", flat=True))
        assert {
            InstitutionKind.JUSTICE_BUREAU,
            InstitutionKind.SERVICE_CENTRE,
            InstitutionKind.LEGAL_AID_CENTRE,
            InstitutionKind.LAW_FIRM,
        } <= kinds, district.name
        assert ServicePoint.objects.filter(
            region=district,
            level=ServicePointLevel.CENTRE,
            institution__kind=InstitutionKind.SERVICE_CENTRE,
        ).exists(), district.name


def test_every_township_has_a_justice_office_and_a_mediation_committee(
    demo_world: DemoSummary,
) -> None:
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP, path__startswith=f"/{BEIJING}/")
    without_office = townships.exclude(institutions__kind=InstitutionKind.JUSTICE_OFFICE)
    without_committee = townships.exclude(institutions__mediation_level=MediationLevel.TOWNSHIP)
    assert not without_office.exists()
    assert not without_committee.exists()


def test_every_role_has_a_demo_account_with_its_scope_and_totp(demo_world: DemoSummary) -> None:
    assert {account.role for account in demo_world.accounts} == set(Role.values)
    for account in demo_world.accounts:
        user = User.objects.get(username=account.username)
        assert user.role == account.role
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_superuser
        assert user.is_staff == (user.role == Role.SYSTEM_ADMIN)
        if user.role == Role.CITIZEN:
            assert account.totp_key is None
            assert not TOTPDevice.objects.filter(user=user).exists()
            continue
        assert user.region is not None or user.institution is not None
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert device.key == account.totp_key == demo_totp_key(user.username)
    assert re.fullmatch(r"[0-9a-f]{40}", demo_totp_key("demo-auditor"))


def test_demo_citizen_is_found_by_phone(demo_world: DemoSummary) -> None:
    citizen = User.objects.get(role=Role.CITIZEN, phone_hash=lookup_hash(PHONE, "13800138000"))
    assert citizen.username == "demo-citizen"
    assert citizen.region is not None and citizen.region.level == RegionLevel.TOWNSHIP


def test_practitioner_accounts_are_linked_to_a_practitioner_of_their_institution(
    demo_world: DemoSummary,
) -> None:
    for username in ("demo-lawyer", "demo-mediator", "demo-community-adviser"):
        user = User.objects.get(username=username)
        assert user.practitioner.institution_id == user.institution_id
        assert user.full_name == user.practitioner.name


def test_second_run_creates_nothing(demo_world: DemoSummary) -> None:
    assert demo_world.institutions_created > 0
    before = (Institution.objects.count(), Practitioner.objects.count(), User.objects.count())
    events = AuditEvent.objects.filter(action="demo.build").count()

    again = build_demo_world()

    assert again.institutions_created == again.practitioners_created == 0
    assert again.accounts_created == 0
    assert build_demo_service_points() == {"service_points": 0}
    assert len(again.accounts) == len(demo_world.accounts)
    after = (Institution.objects.count(), Practitioner.objects.count(), User.objects.count())
    assert after == before
    assert AuditEvent.objects.filter(action="demo.build").count() == events + 1


def test_personal_data_is_encrypted_in_the_database(demo_world: DemoSummary) -> None:
    practitioners = list(Practitioner.objects.order_by("pk")[:20])
    table = Practitioner._meta.db_table
    with connection.cursor() as cursor:
        for practitioner in practitioners:
            cursor.execute(f"SELECT phone, id_number FROM {table} WHERE id = %s", [practitioner.pk])
            raw_phone, raw_id = cursor.fetchone()
            assert raw_phone.startswith("v1:") and raw_id.startswith("v1:")
            assert practitioner.phone.reveal() not in raw_phone
            assert practitioner.id_number.reveal() not in raw_id
            assert practitioner.phone_hash and practitioner.id_number_hash


def test_every_demo_id_number_is_valid(demo_world: DemoSummary) -> None:
    for practitioner in Practitioner.objects.all():
        validate_id_number(practitioner.id_number.reveal())
        assert re.fullmatch(r"1[3-9]\d{9}", practitioner.phone.reveal())


def test_some_township_committees_fall_short_of_two_full_time_mediators(
    demo_world: DemoSummary,
) -> None:
    committees = Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE, mediation_level=MediationLevel.TOWNSHIP
    ).annotate(
        full_time=Count(
            "practitioners",
            filter=Q(
                practitioners__kind=PractitionerKind.MEDIATOR, practitioners__is_full_time=True
            ),
        )
    )
    short = committees.filter(full_time__lt=2).count()
    assert 0 < short < committees.count() / 2


def test_refuses_without_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "BEIJING_CODE", "999999999999")
    with pytest.raises(InvalidInput, match="load-regions"):
        build_demo_world()
