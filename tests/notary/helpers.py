"""Shared set-up for notary tests: two Chaoyang offices and a Haidian one, their notaries, the
office head, the bureau, citizens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fawang.core.models import Institution, InstitutionKind, PractitionerKind, Role, User
from fawang.notary import services
from fawang.notary.catalogue import BY_CODE
from fawang.notary.models import NotarialMatter, OfficeHead, Slot, SlotKind
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import (
    make_citizen,
    make_institution,
    make_practitioner,
    make_staff,
    valid_id_number,
)


@dataclass
class World:
    office: Institution
    other_office: Institution
    haidian_office: Institution
    notary: User
    second_notary: User
    head: User
    outsider: User
    district_bureau: User
    haidian_bureau: User
    city_bureau: User
    citizen: User
    other_citizen: User
    window: User


def notary_account(office: Institution) -> User:
    person = make_practitioner(office, PractitionerKind.NOTARY)
    user = make_staff(Role.NOTARY, institution=office)
    user.full_name = person.name
    user.save(update_fields=["full_name"])
    person.user = user
    person.save(update_fields=["user"])
    return user


def build_world() -> World:
    office = make_institution(CHAOYANG, InstitutionKind.NOTARY_OFFICE, name="北京市朝阳公证处")
    other = make_institution(CHAOYANG, InstitutionKind.NOTARY_OFFICE, name="北京市东方公证处")
    haidian = make_institution(HAIDIAN, InstitutionKind.NOTARY_OFFICE, name="北京市海淀公证处")
    head = notary_account(office)
    OfficeHead.objects.create(office=office, user=head)
    return World(
        office=office,
        other_office=other,
        haidian_office=haidian,
        notary=notary_account(office),
        second_notary=notary_account(office),
        head=head,
        outsider=notary_account(other),
        district_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        haidian_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
        city_bureau=make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
        citizen=make_citizen(),
        other_citizen=make_citizen(),
        window=make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG),
    )


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def all_files(matter_type: str, *, abroad: bool = False, skip: tuple[str, ...] = ()) -> dict:
    from fawang.notary.catalogue import materials_for

    return {
        item: pdf(f"{item}.pdf")
        for item, _ in materials_for(BY_CODE[matter_type], abroad=abroad)
        if item not in skip
    }


def application(w: World, matter_type: str = "birth", **overrides: Any) -> services.ApplicationIn:
    values: dict[str, Any] = {
        "matter_type": matter_type,
        "office_id": w.office.pk,
        "purpose": "办理子女入学",
        "applicant_name": "张秀兰",
        "applicant_id_number": valid_id_number(),
        "applicant_phone": "13911112222",
        "files": all_files(matter_type) if matter_type in BY_CODE else {},
    }
    values.update(overrides)
    return services.ApplicationIn(**values)


def apply(
    w: World, matter_type: str = "birth", *, user: User | None = None, **overrides: Any
) -> NotarialMatter:
    return services.submit_application(
        application(w, matter_type, **overrides), acting_user=user or w.citizen
    )


def slot(office: Institution, *, days: int = 3, capacity: int = 2) -> Slot:
    start = timezone.now() + timedelta(days=days)
    return Slot.objects.create(
        office=office,
        kind=SlotKind.WEEKEND,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="朝阳公证处",
        capacity=capacity,
    )


def issue(w: World, matter: NotarialMatter) -> NotarialMatter:
    """Take a complete birth-certificate matter from submission to an issued certificate."""
    services.accept(matter, acting_user=w.notary)
    services.conclude_review(matter, acting_user=w.notary)
    services.record_payment(matter, acting_user=w.notary)
    services.issue_certificate(matter, acting_user=w.notary)
    return NotarialMatter.objects.get(pk=matter.pk)


def birth_form(w: World, **fields: Any) -> dict[str, Any]:
    """The citizen's birth-notarisation form as the page posts it (ID card only: one item
    missing), with ``fields`` replaced."""
    return {
        "office": str(w.office.pk),
        "purpose": "入学",
        "applicant_name": "张秀兰",
        "applicant_id_number": valid_id_number(),
        "applicant_phone": "13911112222",
        "material_id_card": pdf("id.pdf"),
        **fields,
    }
