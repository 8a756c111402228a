"""Shared set-up for mediation tests: committees in Jianwai (Chaoyang), their mediators, the bureau."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import (
    Institution,
    InstitutionKind,
    MediationLevel,
    Practitioner,
    PractitionerKind,
    Role,
    User,
)
from fawang.mediation.models import CommitteeMembership, Dispute
from fawang.mediation.services import DisputeIn, PartyIn, apply_for_mediation, hand_off_dispute
from tests.conftest import CHAOYANG
from tests.factories import make_citizen, make_institution, make_practitioner, make_staff

JIANWAI = "110105001000"
NANLANG = "110105001024"  # a community of Jianwai
CHAOWAI = "110105002000"


@dataclass
class World:
    committee: Institution
    village_committee: Institution
    other_committee: Institution
    office: Institution
    head: User
    mediator: User
    mediator_person: Practitioner
    outsider: User
    township_bureau: User
    district_bureau: User
    citizen: User
    court: User


def mediator_account(committee: Institution, *, head: bool = False) -> tuple[User, Practitioner]:
    person = make_practitioner(committee, PractitionerKind.MEDIATOR, is_full_time=True)
    user = make_staff(Role.MEDIATOR, institution=committee)
    person.user = user
    person.save(update_fields=["user"])
    CommitteeMembership.objects.create(
        committee=committee, mediator=person, full_time=True, is_head=head
    )
    return user, person


def build_world() -> World:
    committee = make_institution(
        JIANWAI,
        InstitutionKind.MEDIATION_COMMITTEE,
        name="建外街道人民调解委员会",
        mediation_level=MediationLevel.TOWNSHIP,
    )
    village = make_institution(
        NANLANG, InstitutionKind.MEDIATION_COMMITTEE, mediation_level=MediationLevel.VILLAGE
    )
    other = make_institution(
        CHAOWAI, InstitutionKind.MEDIATION_COMMITTEE, mediation_level=MediationLevel.TOWNSHIP
    )
    office = make_institution(JIANWAI, InstitutionKind.JUSTICE_OFFICE, name="建外街道司法所")
    head, _ = mediator_account(committee, head=True)
    mediator, person = mediator_account(committee)
    outsider, _ = mediator_account(other)
    return World(
        committee=committee,
        village_committee=village,
        other_committee=other,
        office=office,
        head=head,
        mediator=mediator,
        mediator_person=person,
        outsider=outsider,
        township_bureau=make_staff(Role.SUPERVISOR_TOWNSHIP, region_code=JIANWAI),
        district_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        citizen=make_citizen(region_code=JIANWAI),
        court=make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG),
    )


def dispute_in(**overrides: Any) -> DisputeIn:
    values: dict[str, Any] = {
        "dispute_type": "neighbour",
        "facts": "楼上住户装修漏水，泡坏了我家天花板，协商未果。",
        "claims": "赔偿修缮费用八千元。",
        "amount": "8000",
        "place": "建外街道某小区3号楼",
        "region_code": JIANWAI,
        "applicant": PartyIn(name="李明", phone="13911112222", id_number=""),
        "respondents": [PartyIn(name="王强", phone="13922223333")],
    }
    values.update(overrides)
    return DisputeIn(**values)


def citizen_dispute(world: World, **overrides: Any) -> Dispute:
    return apply_for_mediation(dispute_in(**overrides), acting_user=world.citizen)


def court_dispute(
    world: World, reference: str = "(2026)京0105民诉前调1号", **overrides: Any
) -> Dispute:
    values: dict[str, Any] = {"source": "court", "external_ref": reference, **overrides}
    data = dispute_in(**values)
    return hand_off_dispute(data, acting_user=world.court)
