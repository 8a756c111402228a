"""Shared set-up for appraisal tests: two Chaoyang institutions and a Haidian one, appraisers
licensed in fields, the institution head, the bureaus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.appraisal import services
from fawang.appraisal.models import Entrustment, InstitutionHead, Opinion
from fawang.core.models import (
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    Role,
    User,
)
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_institution, make_practitioner, make_staff

FIELDS = ["forensic_clinical", "forensic_dna"]


@dataclass
class World:
    institution: Institution
    other: Institution
    haidian: Institution
    head: User
    appraiser: User
    head_person: Practitioner
    second_person: Practitioner
    dna_only: Practitioner
    outsider: User
    district_bureau: User
    haidian_bureau: User
    city_bureau: User


def account(
    institution: Institution, fields: list[str], name: str = ""
) -> tuple[User, Practitioner]:
    extra: dict[str, Any] = {"specialties": fields}
    if name:
        extra["name"] = name
    person = make_practitioner(institution, PractitionerKind.APPRAISER, **extra)
    user = make_staff(Role.APPRAISER, institution=institution)
    person.user = user
    person.save(update_fields=["user"])
    return user, person


def build_world() -> World:
    kind = InstitutionKind.APPRAISAL_INSTITUTION
    institution = make_institution(
        CHAOYANG, kind, name="北京朝阳司法鉴定所", service_fields=FIELDS, licence_number="京0001"
    )
    other = make_institution(CHAOYANG, kind, name="北京东方司法鉴定中心", service_fields=FIELDS)
    haidian = make_institution(HAIDIAN, kind, name="北京海淀司法鉴定所", service_fields=FIELDS)
    head, head_person = account(institution, FIELDS)
    InstitutionHead.objects.create(institution=institution, user=head)
    appraiser, second_person = account(institution, ["forensic_clinical"])
    _, dna_only = account(institution, ["forensic_dna"])
    outsider, _ = account(other, FIELDS)
    return World(
        institution=institution,
        other=other,
        haidian=haidian,
        head=head,
        appraiser=appraiser,
        head_person=head_person,
        second_person=second_person,
        dna_only=dna_only,
        outsider=outsider,
        district_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        haidian_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
        city_bureau=make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
    )


def entrustment_in(w: World, **overrides: Any) -> services.EntrustmentIn:
    values: dict[str, Any] = {
        "institution_id": w.institution.pk,
        "entrusting_kind": "court",
        "entrusting_name": "北京市朝阳区人民法院",
        "entrusting_phone": "13911112222",
        "matter": "对原告伤残等级进行鉴定",
        "field": "forensic_clinical",
        "fee_estimate": "3000",
        "parties": ["王大明", "李小红"],
        "materials": "病历一册",
    }
    values.update(overrides)
    return services.EntrustmentIn(**values)


def entrust(w: World, **overrides: Any) -> Entrustment:
    return services.entrust(entrustment_in(w, **overrides), acting_user=w.head)


def issued(w: World) -> Opinion:
    entrustment = entrust(w)
    services.accept(entrustment, [w.head_person.pk, w.second_person.pk], acting_user=w.head)
    return services.issue_opinion(entrustment, "opinion", "伤残等级为十级。", acting_user=w.head)
