"""Demo mediation data around 建外街道人民调解委员会 (the demo mediator's committee). Idempotent.

Disputes are made from the demo's existing mediation work orders in Jianwai rather than new
orders, so the demo queues other browser tests rely on stay as they are.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.core.errors import InvalidInput
from fawang.core.jobs import withheld
from fawang.core.models import (
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    Role,
    User,
)
from fawang.core.tasks import SMS_TASKS
from fawang.mediation.models import (
    CommitteeMembership,
    Dispute,
    DisputeSource,
    FeaturedRoom,
    KeyPeriod,
    MediatorGrade,
    Party,
    PartyRole,
    Screening,
    TalentPoolEntry,
    TalentTier,
    TrainingRecord,
)
from fawang.mediation.services import (
    AgreementIn,
    RiskIn,
    assign_dispute,
    complete_screening,
    generate_screenings,
    record_agreement,
    record_failure,
    record_session,
)
from fawang.mediation.services._common import tell_order
from fawang.workorders.models import BusinessLine, DispatchRule, ReferralSource, WorkOrder

COMMITTEE = "建外街道人民调解委员会"
SOURCE_OF_REFERRAL: dict[ReferralSource | None, DisputeSource] = {
    ReferralSource.COURT: DisputeSource.COURT,
    ReferralSource.POLICE: DisputeSource.POLICE,
    ReferralSource.PETITION_OFFICE: DisputeSource.PETITION_OFFICE,
}
GRADES = [MediatorGrade.FIRST, MediatorGrade.SECOND, MediatorGrade.THIRD]
DISPUTE_TYPES = ["neighbour", "family", "property_management", "labour", "contract", "neighbour"]


def build_demo_mediation() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    committee = Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE, name=COMMITTEE
    ).first()
    mediator = User.objects.filter(username="demo-mediator").first()
    if committee is None or mediator is None:
        return {}
    # Nothing about invented disputes may leave the platform: no SMS is queued.
    with transaction.atomic(), withheld(*SMS_TASKS):
        counts = {"memberships": _memberships(committee, mediator)}
        counts["dispatch_rules"] = _dispatch_rule(committee)
        counts["screenings"] = _screenings(committee)
        if Dispute.objects.filter(committee=committee).exists():
            counts["disputes"] = 0
        else:
            counts["disputes"] = _disputes(committee, mediator)
        counts["featured_rooms"] = _featured_room(committee, mediator)
    return counts


def _dispatch_rule(committee: Institution) -> int:
    """New mediation requests about Jianwai wait in its committee's queue (the demo's other
    Chaoyang requests keep going to the district centre)."""
    _, created = DispatchRule.objects.get_or_create(
        region=committee.region,
        business_line=BusinessLine.MEDIATION,
        topic="",
        defaults={"institution": committee},
    )
    return int(created)


def _memberships(committee: Institution, head: User) -> int:
    people = list(
        Practitioner.objects.filter(
            institution=committee,
            kind=PractitionerKind.MEDIATOR,
            status=PractitionerStatus.PRACTISING,
        ).order_by("licence_number")
    )
    today = timezone.localdate()
    created = 0
    for index, person in enumerate(people):
        _, made = CommitteeMembership.objects.get_or_create(
            committee=committee,
            mediator=person,
            defaults={
                "full_time": person.is_full_time,
                "is_head": person.user_id == head.pk,
                "grade": GRADES[index % len(GRADES)],
                "grade_date": today.replace(month=1, day=1) - timedelta(days=200),
            },
        )
        created += made
        if made:
            # One mediator short of the yearly minimum shows on the training figure.
            TrainingRecord.objects.create(
                mediator=person,
                held_on=today.replace(month=3, day=15),
                days=Decimal(5 if index % 3 else 3),
                topic="民法典婚姻家庭编与调解技巧",
            )
    if created:
        TalentPoolEntry.objects.get_or_create(
            mediator=people[0],
            defaults={
                "tier": TalentTier.BACKBONE,
                "foreign_related": True,
                "languages": ["英语"],
                "expertise": "涉外婚姻家庭纠纷",
                "selected_on": today,
            },
        )
    return created


def _screenings(committee: Institution) -> int:
    """This week's and last week's tasks everywhere; Jianwai's last week partly done."""
    today = timezone.localdate()
    created = generate_screenings(today) + generate_screenings(today - timedelta(days=7))
    supervisor = User.objects.filter(username="demo-supervisor-district").first()
    if (
        supervisor is not None
        and supervisor.region is not None
        and not KeyPeriod.objects.filter(declared_by=supervisor).exists()
    ):
        KeyPeriod.objects.create(
            region=supervisor.region,
            name="元旦春节重点时段",
            starts_on=today + timedelta(days=20),
            ends_on=today + timedelta(days=26),
            declared_by=supervisor,
        )
    office = Institution.objects.filter(
        kind=InstitutionKind.JUSTICE_OFFICE, region=committee.region
    ).first()
    township_supervisor = User.objects.filter(
        role=Role.SUPERVISOR_TOWNSHIP, region=committee.region
    ).first()
    if office is not None and township_supervisor is not None:
        pending = Screening.objects.filter(unit=office, done_at__isnull=True).order_by("due_on")
        first = pending.first()
        if first is not None and not Screening.objects.filter(unit=office, done_at__isnull=False):
            complete_screening(
                first,
                acting_user=township_supervisor,
                notes="走访辖区社区和物业企业，排查矛盾纠纷。",
                risks=[
                    RiskIn(
                        description="某小区业主与物业公司因停车收费产生集体争议",
                        dispute_type="property_management",
                        parties="业主代表、物业公司",
                    )
                ],
            )
    return created


def _disputes(committee: Institution, mediator: User) -> int:
    orders = list(
        WorkOrder.objects.filter(
            business_line=BusinessLine.MEDIATION,
            region__path__startswith=committee.region.path,
            dispute__isnull=True,
        ).order_by("created_at")[:6]
    )
    if not orders:
        return 0
    person = Practitioner.objects.get(user=mediator)
    region = Region.objects.get(pk=committee.region_id)
    now = timezone.now()
    for index, order in enumerate(orders):
        dispute = Dispute.objects.create(
            number=f"TJ{timezone.localdate(order.created_at):%Y%m%d}D{index:05d}",
            source=SOURCE_OF_REFERRAL.get(
                ReferralSource(order.referral_source) if order.referral_source else None,
                DisputeSource.CITIZEN,
            ),
            external_ref=order.external_ref if order.referral_source else "",
            citizen=order.citizen,
            work_order=order,
            dispute_type=DISPUTE_TYPES[index],
            facts=order.description,
            claims="请求调委会组织调解。",
            place=region.name,
            region=order.region,
            committee=committee,
            received_at=order.created_at,
        )
        Party.objects.create(
            dispute=dispute,
            role=PartyRole.APPLICANT,
            name=order.requester_name,
            phone=order.requester_phone,
        )
        Party.objects.create(dispute=dispute, role=PartyRole.RESPONDENT, name="对方当事人")
        tell_order(dispute, acting_user=None)  # the order follows its dispute from the start
        _advance(dispute, index, mediator, person, now)
    return len(orders)


def _advance(
    dispute: Dispute, index: int, mediator: User, person: Practitioner, now: object
) -> None:
    """Leave the disputes in several states: new, assigned, mediating, agreed, failed."""
    if index == 0:
        return
    assign_dispute(dispute, acting_user=mediator, mediator_ids=[person.pk])
    if index == 1:
        return
    record_session(
        dispute,
        acting_user=mediator,
        held_at=timezone.now() - timedelta(days=1),
        place="建外街道人民调解室",
        attendance="双方当事人、调解员",
        notes="听取双方陈述，释法说理，双方同意继续协商。",
    )
    if index in {3, 4}:
        today = timezone.localdate()
        record_agreement(
            dispute,
            AgreementIn(
                form="written" if index == 3 else "oral",
                facts=dispute.facts[:500],
                issues="赔偿数额与支付方式。",
                terms="被申请人向申请人支付补偿款三千元，双方就此纠纷再无争议。",
                performance_manner="银行转账一次性支付",
                performance_deadline=today + timedelta(days=15),
                signed_on=today,
                parties_chose_oral=index == 4,
            ),
            acting_user=mediator,
        )
    elif index == 5:
        record_failure(
            dispute,
            acting_user=mediator,
            reason="被申请人不同意调解方案。",
            referral="litigation",
        )


def _featured_room(committee: Institution, mediator: User) -> int:
    person = Practitioner.objects.filter(user=mediator).first()
    if person is None or FeaturedRoom.objects.filter(mediator=person).exists():
        return 0
    FeaturedRoom.objects.create(
        name=f"{person.name}调解工作室",
        mediator=person,
        committee=committee,
        region=committee.region,
        opened_on=timezone.localdate() - timedelta(days=90),
        specialty="婚姻家庭、邻里纠纷",
    )
    return 1
