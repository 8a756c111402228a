"""Factories for test fixtures: accounts of each role with a scope, institutions, practitioners."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.core.models import (
    INSTITUTION_SCOPED_ROLES,
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    Region,
    Role,
    User,
)
from fawang.core.personal_data import id_check_character

PASSWORD = "Correct-horse-42"
_sequence = itertools.count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def valid_id_number(district_code: str = "110105", birth: str = "19800101", seq: int = 123) -> str:
    first17 = f"{district_code}{birth}{seq:03d}"
    return first17 + id_check_character(first17)


def make_institution(
    region_code: str, kind: str = InstitutionKind.LAW_FIRM, **extra: Any
) -> Institution:
    n = next(_sequence)
    return Institution.objects.create(
        name=extra.pop("name", f"测试机构{n}"), kind=kind, region=region(region_code), **extra
    )


def make_practitioner(
    institution: Institution, kind: str = PractitionerKind.LAWYER, **extra: Any
) -> Practitioner:
    n = next(_sequence)
    practitioner = Practitioner(
        kind=kind,
        name=extra.pop("name", f"测试人员{n}"),
        gender=extra.pop("gender", "F"),
        institution=institution,
        licence_number=extra.pop("licence_number", f"L{n:08d}"),
        **extra,
    )
    practitioner.phone = extra.get("phone", f"139{n:08d}")
    practitioner.id_number = valid_id_number(seq=n % 1000)
    practitioner.save()
    return practitioner


def make_staff(
    role: str,
    *,
    region_code: str | None = None,
    institution: Institution | None = None,
    totp: bool = True,
) -> User:
    n = next(_sequence)
    region_obj = (
        region(region_code) if region_code else (institution.region if institution else None)
    )
    user = User.objects.create_user(
        username=f"{role}-{n}",
        password=PASSWORD,
        role=role,
        full_name=f"员工{n}",
        region=region_obj,
        institution=institution if role in INSTITUTION_SCOPED_ROLES or institution else None,
        is_staff=role == Role.SYSTEM_ADMIN,
    )
    if totp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def make_citizen(phone: str | None = None, region_code: str | None = None) -> User:
    n = next(_sequence)
    user = User(
        username=f"c{n}",
        role=Role.CITIZEN,
        full_name=f"群众{n}",
        region=region(region_code) if region_code else None,
    )
    user.phone = phone or f"137{n:08d}"
    user.id_number = valid_id_number(seq=(n + 500) % 1000)
    user.set_password(PASSWORD)
    user.save()
    return user


def daily_counts(counter: str, code: str) -> dict[date, float]:
    """The indicator fill's daily values of ``counter`` for the region ``code``, by day."""
    from fawang.indicators.models import DailyCount

    rows = DailyCount.objects.filter(counter=counter, region=region(code))
    return dict(rows.values_list("day", "value"))


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
