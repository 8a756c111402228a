"""Shared set-up for adviser tests on the real regions: two Chaoyang townships with villages, a
Haidian village, a law firm's community adviser and a lawyer, the offices and bureaus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from fawang.advisers import services
from fawang.advisers.models import CommunityAdviser
from fawang.core.models import (
    Institution,
    Practitioner,
    PractitionerKind,
    Region,
    RegionLevel,
    Role,
    User,
)
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_citizen, make_institution, make_practitioner, make_staff


@dataclass
class World:
    township: Region
    other_township: Region
    villages: list[Region]
    other_village: Region  # in the other Chaoyang township
    haidian_village: Region
    firm: Institution
    person: Practitioner  # the community adviser
    adviser: User
    lawyer_person: Practitioner
    lawyer: User
    office: User  # the township's justice office
    other_office: User
    district_bureau: User
    haidian_bureau: User
    city_bureau: User
    citizen: User
    other_citizen: User


def _townships_with_villages(district_code: str, n: int) -> list[Region]:
    found = []
    for township in Region.objects.filter(
        level=RegionLevel.TOWNSHIP, parent__code=district_code
    ).order_by("code"):
        if Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).count() >= 3:
            found.append(township)
        if len(found) == n:
            break
    return found


def practitioner_account(
    firm: Institution, kind: str, role: str, name: str
) -> tuple[Practitioner, User]:
    person = make_practitioner(firm, kind, name=name)
    user = make_staff(role, institution=firm)
    person.user = user
    person.save(update_fields=["user"])
    return person, user


def build_world() -> World:
    township, other_township = _townships_with_villages(CHAOYANG, 2)
    villages = list(Region.objects.filter(parent=township).order_by("code")[:3])
    other_village = Region.objects.filter(parent=other_township).order_by("code").first()
    haidian_village = Region.objects.filter(
        level=RegionLevel.VILLAGE, path__startswith=Region.objects.get(code=HAIDIAN).path
    ).first()
    assert other_village is not None and haidian_village is not None
    firm = make_institution(CHAOYANG, name="北京朝阳测试律师事务所")
    person, adviser = practitioner_account(
        firm, PractitionerKind.COMMUNITY_ADVISER, Role.COMMUNITY_ADVISER, "顾问甲"
    )
    lawyer_person, lawyer = practitioner_account(
        firm, PractitionerKind.LAWYER, Role.LAWYER, "律师乙"
    )
    return World(
        township=township,
        other_township=other_township,
        villages=villages,
        other_village=other_village,
        haidian_village=haidian_village,
        firm=firm,
        person=person,
        adviser=adviser,
        lawyer_person=lawyer_person,
        lawyer=lawyer,
        office=make_staff(Role.SUPERVISOR_TOWNSHIP, region_code=township.code),
        other_office=make_staff(Role.SUPERVISOR_TOWNSHIP, region_code=other_township.code),
        district_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        haidian_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
        city_bureau=make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
        citizen=make_citizen(region_code=villages[0].code),
        other_citizen=make_citizen(),
    )


START = date(timezone.localdate().year - 1, 1, 1)  # an appointment running since last January


def appointed(w: World, village: Region | None = None, person: Any = None) -> CommunityAdviser:
    return services.appoint(
        (village or w.villages[0]).pk, (person or w.person).pk, START, acting_user=w.office
    )
