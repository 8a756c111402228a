"""DEMO ONLY: the roster in licensed-field codes (the demo world names field groups), the demo
appraiser as head of the institution, and entrustments made through the services: one received,
one with a coded opinion (idempotent: a second run creates nothing new)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from fawang.appraisal import services
from fawang.appraisal.fields import FIELDS, GROUPS
from fawang.appraisal.models import Entrustment, InstitutionHead
from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.jobs import withheld
from fawang.core.models import (
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    User,
)
from fawang.core.tasks import SMS_TASKS


def _codes(fields: list[str]) -> list[str]:
    """Field codes for a list that may name groups (法医类 → its sub-fields)."""
    codes: list[str] = []
    for value in fields:
        if value in FIELDS:
            codes.append(value)
        else:
            codes += [code for code, group in GROUPS.items() if group == value]
    return sorted(set(codes), key=list(FIELDS).index)


def _roster() -> int:
    changed = 0
    institutions = Institution.objects.filter(kind=InstitutionKind.APPRAISAL_INSTITUTION)
    for n, institution in enumerate(institutions.order_by("pk"), start=1):
        codes = _codes(list(institution.service_fields or []))
        if codes != institution.service_fields or not institution.licence_number:
            institution.service_fields = codes
            institution.licence_number = institution.licence_number or f"京司鉴{n:04d}"
            institution.save(update_fields=["service_fields", "licence_number"])
            changed += 1
        people = Practitioner.objects.filter(
            institution=institution, kind=PractitionerKind.APPRAISER
        ).order_by("pk")
        for i, person in enumerate(people):
            wanted = codes if i < 3 else codes[i % max(1, len(codes)) :][:2]
            if person.specialties != wanted:
                person.specialties = wanted
                person.title = person.title or ("主任法医师" if i % 2 == 0 else "副主任法医师")
                person.save(update_fields=["specialties", "title"])
    return changed


def build_demo_appraisal() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    with transaction.atomic(), withheld(*SMS_TASKS):
        roster = _roster()
        appraiser = (
            User.objects.filter(username="demo-appraiser").select_related("institution").first()
        )
        if appraiser is None or appraiser.institution is None:
            return {"institutions": roster, "entrustments": 0}
        institution = appraiser.institution
        InstitutionHead.objects.get_or_create(institution=institution, defaults={"user": appraiser})
        made = 0
        if (
            not Entrustment.objects.filter(institution=institution).exists()
            and institution.service_fields
        ):
            field = institution.service_fields[0]
            people = list(
                Practitioner.objects.filter(
                    institution=institution, kind=PractitionerKind.APPRAISER
                ).order_by("pk")
            )
            me = next((p for p in people if p.user_id == appraiser.pk), None)
            if me is not None and field not in (me.specialties or []):
                me.specialties = [*me.specialties, field]
                me.save(update_fields=["specialties"])
            second = next((p for p in people if p.user_id != appraiser.pk), None)
            for number in range(2):
                entrustment = services.entrust(
                    services.EntrustmentIn(
                        institution_id=institution.pk,
                        entrusting_kind="court",
                        entrusting_name="北京市朝阳区人民法院",
                        entrusting_phone="13800000000",
                        matter=f"演示：对原告伤残等级进行鉴定（{number + 1}）",
                        field=field,
                        fee_estimate="3000",
                        parties=["王某", "李某"],
                        materials="病历资料一册",
                    ),
                    acting_user=appraiser,
                )
                made += 1
                if number == 0 and me is not None and second is not None:
                    services.accept(entrustment, [me.pk, second.pk], acting_user=appraiser)
                    services.issue_opinion(
                        entrustment,
                        "opinion",
                        "演示：被鉴定人伤残等级为十级。",
                        acting_user=appraiser,
                    )
        if roster or made:
            record_event(
                "demo.appraisal",
                actor="fawang demo",
                detail={"institutions": roster, "entrustments": made},
            )
    return {"institutions": roster, "entrustments": made}
