"""DEMO ONLY: profiles for the demo world's law firms and lawyers, the demo lawyer as the firm
admin, activities organised by the Chaoyang bureau with hours logged and confirmed through the
services, a credit record, a service group, a placement and a practice-rights report
(idempotent: a second run creates nothing new)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.models import Institution, Practitioner, User
from fawang.lawyers import services
from fawang.lawyers.models import (
    FirmProfile,
    FirmType,
    ForeignTalent,
    LawyerKind,
    LawyerProfile,
    ServiceActivity,
)

LANGUAGES = (["英语"], ["英语", "日语"], ["俄语"], ["英语", "法语"])
JURISDICTIONS = (["香港特别行政区"], ["美国纽约州"], ["俄罗斯联邦"], ["英国"])


def _profiles() -> int:
    made = 0
    firms = Institution.objects.filter(kind__in=services.FIRM_KINDS).exclude(
        firm_profile__isnull=False
    )
    profiles = []
    for n, firm in enumerate(firms.order_by("pk")):
        kind = (
            FirmType.BASIC_OFFICE
            if firm.kind == "basic_legal_service"
            else (FirmType.PARTNERSHIP if n % 5 else FirmType.SOLE)
        )
        profiles.append(FirmProfile(
            institution=firm, firm_type=kind, party_members=n % 4,
            party_instructor="" if n % 3 else "李建国", foreign_branches=1 if n % 7 == 0 else 0,
        ))  # fmt: skip
    FirmProfile.objects.bulk_create(profiles)
    made += len(profiles)
    people = Practitioner.objects.filter(kind__in=services.PERSON_KINDS).exclude(
        lawyer_profile__isnull=False
    )
    rows = []
    for n, person in enumerate(people.order_by("pk")):
        foreign = n % 9 == 0
        lawyer_kind: LawyerKind
        if person.kind == "basic_legal_worker":
            lawyer_kind = LawyerKind.BASIC_WORKER
        elif person.is_public_sector:
            lawyer_kind = LawyerKind.PUBLIC_SECTOR
        else:
            lawyer_kind = (
                LawyerKind.FULL_TIME if person.is_full_time or n % 6 else LawyerKind.PART_TIME
            )
        rows.append(LawyerProfile(
            practitioner=person, lawyer_kind=lawyer_kind, foreign_related=foreign,
            jurisdictions=JURISDICTIONS[n % 4] if foreign else [],
            foreign_talent=ForeignTalent.LEADING if foreign and n % 2 == 0 else "",
        ))  # fmt: skip
        if foreign and not person.languages:
            person.languages = LANGUAGES[n % 4]
            person.save(update_fields=["languages"])
    LawyerProfile.objects.bulk_create(rows)
    return made + len(rows)


def _flows(lawyer: User, bureau: User) -> int:
    if ServiceActivity.objects.filter(organiser=bureau).exists():
        return 0
    person = services.own_practitioner(lawyer)
    LawyerProfile.objects.filter(practitioner=person).update(is_firm_admin=True)
    district = bureau.region
    assert district is not None
    today = timezone.localdate()
    colleagues = list(
        Practitioner.objects.filter(institution=person.institution, kind="lawyer")
        .exclude(pk=person.pk)
        .order_by("pk")[:3]
    )
    group = services.create_group(
        name="朝阳区律师行业法律服务志愿团", kind="volunteer", region_code=district.code,
        member_ids=[person.pk] + [c.pk for c in colleagues], acting_user=bureau,
    )  # fmt: skip
    duty = services.create_activity(
        kind="duty_shift", title="演示：朝阳区看守所值班律师值班", held_on=today - timedelta(days=3),
        region_code=district.code, place="区公共法律服务中心值班室", served=12, acting_user=bureau,
    )  # fmt: skip
    services.create_activity(
        kind="service_group", title="演示：社区法律咨询与普法宣讲", held_on=today - timedelta(days=1),
        region_code=district.code, place="社区服务中心", served=40, group_id=group.pk,
        acting_user=bureau,
    )  # fmt: skip
    services.create_activity(
        kind="health_check", title="演示：民营企业“法治体检”", held_on=today - timedelta(days=2),
        region_code=district.code, place="区工商联", served=3,
        enterprises=["北京某科技有限公司", "北京某餐饮管理有限公司"], acting_user=bureau,
    )  # fmt: skip
    row = services.log_hours(duty.pk, "8", "值班一天", acting_user=lawyer)
    services.confirm_hours(row, True, acting_user=bureau)
    services.record_credit(
        kind="commendation", title="演示：优秀公益法律服务律师", basis="区律师协会表彰决定",
        decided_on=today - timedelta(days=30), practitioner_id=person.pk, acting_user=bureau,
    )  # fmt: skip
    services.record_review(
        year=today.year - 1, result="pass", institution_id=person.institution_id,
        spot_checked=True, party_building_standard=True, acting_user=bureau,
    )  # fmt: skip
    services.report_obstruction(
        obstruction="meeting", organ_kind="detention", organ_name="演示：某看守所",
        region_code=district.code, account="演示：持律师证、委托书和律师事务所证明要求会见，被拒绝安排。",
        acting_user=lawyer,
    )  # fmt: skip
    return 1


def build_demo_lawyers() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    with transaction.atomic():
        profiles = _profiles()
        lawyer = User.objects.filter(username="demo-lawyer").first()
        bureau = User.objects.filter(username="demo-supervisor-district").first()
        flows = _flows(lawyer, bureau) if lawyer and bureau else 0
        if profiles or flows:
            record_event(
                "demo.lawyers", actor="fawang demo", detail={"profiles": profiles, "flows": flows}
            )
    return {"profiles": profiles, "flows": flows}
