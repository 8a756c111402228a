"""DEMO ONLY: the roster in licensed-field codes (the demo world names field groups), the demo
appraiser as head of the institution, entrustments made through the services (one received, one
with a coded opinion), and 资质认定 recorded by the city bureau: most licensed pairs in the five
fields in force, some missing, one expired, one withdrawn, one about to expire, one 认可 (CNAS),
and the 母体 of most institutions — so BJ-21 has a realistic value below 100% (idempotent: a
second run creates nothing new)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.appraisal import services
from fawang.appraisal.fields import ACCREDITATION_FIELDS, FIELDS, GROUPS
from fawang.appraisal.models import (
    Accreditation,
    AccreditationKind,
    Entrustment,
    InstitutionHead,
    InstitutionProfile,
    ParentBody,
)
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


# 母体 of the first institutions (the rest: 其他; the last one left unrecorded).
DEMO_PARENTS = (
    (ParentBody.KEY_UNIVERSITY, "中国政法大学"),
    (ParentBody.RESEARCH_INSTITUTE, "北京市科学技术研究院"),
)


def _years_back(today: date, years: int, days: int = 0) -> date:
    return today.replace(year=today.year - years, day=min(today.day, 28)) - timedelta(days=days)


def _accreditations(bureau: User) -> int:
    """资质认定 of the licensed pairs in the five fields, through the services: every sixth pair
    has none, one has expired, one is withdrawn, one ends within 90 days; one CNAS 认可."""
    if Accreditation.objects.exists():
        return 0
    today = timezone.localdate()
    institutions = list(
        Institution.objects.filter(kind=InstitutionKind.APPRAISAL_INSTITUTION).order_by("pk")
    )
    made, n = 0, 0
    for institution in institutions:
        for field in institution.service_fields or []:
            if field not in ACCREDITATION_FIELDS:
                continue
            n += 1
            if n % 6 == 0:
                continue  # not accredited
            issued = _years_back(today, 2, days=n)
            until = issued + timedelta(days=6 * 365)  # a CMA certificate runs six years
            if n == 4:  # lapsed: issued six years ago and not renewed
                issued, until = _years_back(today, 7), _years_back(today, 1)
            elif n == 3:  # ends soon: the page shows 即将到期
                issued, until = _years_back(today, 6, days=-45), today + timedelta(days=45)
            accreditation = services.record_accreditation(
                institution,
                services.AccreditationIn(
                    field=field,
                    kind=AccreditationKind.CMA,
                    certificate_number=f"{issued.year}11{n:06d}",
                    issuing_body="北京市市场监督管理局",
                    issued_on=issued,
                    valid_until=until,
                ),
                acting_user=bureau,
            )
            made += 1
            if n == 5:
                services.withdraw_accreditation(
                    accreditation, "演示：复查评审不合格，发证机关撤销", acting_user=bureau
                )
            if n == 1:
                services.record_accreditation(
                    institution,
                    services.AccreditationIn(
                        field=field,
                        kind=AccreditationKind.CNAS,
                        certificate_number="CNAS L0001",
                        issuing_body="中国合格评定国家认可委员会",
                        issued_on=issued,
                        valid_until=until,
                    ),
                    acting_user=bureau,
                )
                made += 1
    for i, institution in enumerate(institutions[:-1]):
        if InstitutionProfile.objects.filter(institution=institution).exists():
            continue
        kind, name = DEMO_PARENTS[i] if i < len(DEMO_PARENTS) else (ParentBody.OTHER, "")
        services.record_parent_body(institution, kind, name, acting_user=bureau)
    return made


def build_demo_appraisal() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    with transaction.atomic(), withheld(*SMS_TASKS):
        roster = _roster()
        appraiser = (
            User.objects.filter(username="demo-appraiser").select_related("institution").first()
        )
        bureau = User.objects.filter(username="demo-supervisor-city").first()
        accredited = _accreditations(bureau) if bureau is not None else 0
        if appraiser is None or appraiser.institution is None:
            return {"institutions": roster, "entrustments": 0, "accreditations": accredited}
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
        if roster or made or accredited:
            record_event(
                "demo.appraisal",
                actor="fawang demo",
                detail={"institutions": roster, "entrustments": made, "accreditations": accredited},
            )
    return {"institutions": roster, "entrustments": made, "accreditations": accredited}
