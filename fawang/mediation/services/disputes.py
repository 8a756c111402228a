"""Disputes in (citizen application, court/police/petition hand-off) and their assignment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.core.errors import InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    Practitioner,
    PractitionerKind,
    Region,
    Role,
    User,
)
from fawang.core.numbering import next_number
from fawang.core.rows import lock
from fawang.core.services import region_by_code
from fawang.core.taxonomy import Topic
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_choice, clean_id_number, clean_phone, clean_text
from fawang.mediation.models import (
    HANDOFF_SOURCES,
    CommitteeMembership,
    Dispute,
    DisputeSource,
    DisputeType,
    Party,
    PartyRole,
)
from fawang.mediation.services._common import (
    BUREAU_ROLES,
    DISPUTE_TRANSITIONS,
    MAX_TEXT,
    _audit,
    _require_bureau_over,
    _require_committee_mediator,
    is_committee_head,
    practitioner_of,
    tell_order,
)
from fawang.workorders.models import BusinessLine, Channel, ReferralSource
from fawang.workorders.models import Status as WorkOrderStatus
from fawang.workorders.services import Intake, claim_order, create_work_order

# Integration accounts of courts, police and petition offices hold the seat role in their
# district (see workorders.services.CHANNELS_BY_ROLE); window clerks register paper referrals.
HANDOFF_ROLES = frozenset({Role.HOTLINE_SEAT, Role.WINDOW_CLERK})
REFERRAL_SOURCE = {
    DisputeSource.COURT: ReferralSource.COURT,
    DisputeSource.POLICE: ReferralSource.POLICE,
    DisputeSource.PETITION_OFFICE: ReferralSource.PETITION_OFFICE,
}
# The hotline topic a dispute type files its work order under.
TOPIC_FOR_TYPE = {
    DisputeType.FAMILY: Topic.MARRIAGE_FAMILY,
    DisputeType.NEIGHBOUR: Topic.TORT,
    DisputeType.PROPERTY_MANAGEMENT: Topic.PROPERTY,
    DisputeType.LABOUR: Topic.LABOUR,
    DisputeType.TRAFFIC: Topic.TRAFFIC_ACCIDENT,
    DisputeType.MEDICAL: Topic.MEDICAL,
    DisputeType.INTELLECTUAL_PROPERTY: Topic.INTELLECTUAL_PROPERTY,
    DisputeType.FINANCE: Topic.CONSUMER,
    DisputeType.NEW_BUSINESS_FORMS: Topic.LABOUR,
    DisputeType.CONTRACT: Topic.CONTRACT,
    DisputeType.LAND: Topic.PROPERTY,
    DisputeType.OTHER: Topic.GENERAL,
}


# --- helpers --------------------------------------------------------------------------------


def _phone(value: str | None, field: str, *, required: bool) -> str:
    if not value:
        if required:
            raise InvalidInput("请填写联系电话。", code="required", field=field)
        return ""
    return clean_phone(value, field)


def _id_number(value: str | None, field: str) -> str:
    return clean_id_number(value, field) if value else ""


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput("涉及金额应为数字。", code="bad_amount", field="amount") from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise InvalidInput("涉及金额应在 0 到一万亿元之间。", code="bad_amount", field="amount")
    return amount.quantize(Decimal("0.01"))


def committee_for_region(region: Region) -> Institution | None:
    """The nearest active village or township committee over the place of the dispute."""
    candidates = Institution.objects.filter(
        kind=InstitutionKind.MEDIATION_COMMITTEE,
        status=InstitutionStatus.ACTIVE,
        region__path__in=region.ancestor_paths(),
        mediation_level__in=[MediationLevel.VILLAGE, MediationLevel.TOWNSHIP],
    ).select_related("region")
    return max(candidates, key=lambda c: (len(c.region.path), -c.pk), default=None)


def _committee(committee_id: int | None) -> Institution | None:
    if committee_id is None:
        return None
    committee = Institution.objects.filter(
        pk=committee_id, kind=InstitutionKind.MEDIATION_COMMITTEE, status=InstitutionStatus.ACTIVE
    ).first()
    if committee is None:
        raise NotFound("未找到该人民调解委员会，或已停止服务。", field="committee")
    return committee


# --- disputes in ----------------------------------------------------------------------------


@dataclass
class PartyIn:
    name: str
    phone: str = ""
    id_number: str = ""
    address: str = ""
    gender: str = ""


@dataclass
class DisputeIn:
    """What every way in supplies to open a dispute."""

    dispute_type: str
    facts: str
    region_code: str
    applicant: PartyIn
    respondents: Sequence[PartyIn] = ()
    claims: str = ""
    amount: Any = None
    place: str = ""
    title: str = ""
    source: str = DisputeSource.CITIZEN
    external_ref: str = ""
    committee_id: int | None = None
    idempotency_key: str = ""


@dataclass
class _Clean:
    dispute_type: str
    facts: str
    claims: str
    amount: Decimal | None
    place: str
    region: Region
    parties: Sequence[tuple[str, PartyIn]] = field(default_factory=list)


def _clean_party(party: PartyIn, role: str, index: int, *, phone_required: bool) -> PartyIn:
    prefix = f"{role}" if role == PartyRole.APPLICANT else f"respondents.{index}"
    return PartyIn(
        name=clean_text(party.name, 100, f"{prefix}.name", "当事人姓名或名称"),
        phone=_phone(party.phone, f"{prefix}.phone", required=phone_required),
        id_number=_id_number(party.id_number, f"{prefix}.id_number"),
        address=clean_text(party.address, 200, f"{prefix}.address", "住址", required=False),
        gender=clean_choice(party.gender, ["", "M", "F"], f"{prefix}.gender", "性别"),
    )


def _clean(data: DisputeIn, *, applicant_phone_required: bool) -> _Clean:
    dispute_type = clean_choice(data.dispute_type, DisputeType.values, "dispute_type", "纠纷类型")
    facts = clean_text(data.facts, MAX_TEXT, "facts", "纠纷事实")
    claims = clean_text(data.claims, MAX_TEXT, "claims", "争议事项与请求", required=False)
    place = clean_text(data.place, 200, "place", "纠纷发生地", required=False)
    amount = _amount(data.amount)
    region = region_by_code(data.region_code)
    parties: list[tuple[str, PartyIn]] = [
        (
            PartyRole.APPLICANT,
            _clean_party(
                data.applicant, PartyRole.APPLICANT, 0, phone_required=applicant_phone_required
            ),
        )
    ]
    if not data.respondents:
        raise InvalidInput("请至少填写一名被申请人。", code="required", field="respondents")
    if len(data.respondents) > 20:
        raise InvalidInput("被申请人不能超过20名。", code="too_many", field="respondents")
    for index, respondent in enumerate(data.respondents):
        parties.append(
            (
                PartyRole.RESPONDENT,
                _clean_party(respondent, PartyRole.RESPONDENT, index, phone_required=False),
            )
        )
    return _Clean(dispute_type, facts, claims, amount, place, region, parties)


def _insert_dispute(
    clean: _Clean,
    *,
    source: str,
    acting_user: User | None,
    committee: Institution | None,
    **extra: Any,
) -> Dispute:
    now = timezone.now()
    dispute = Dispute.objects.create(
        number=next_number("TJ", now),
        source=source,
        dispute_type=clean.dispute_type,
        facts=clean.facts,
        claims=clean.claims,
        amount=clean.amount,
        place=clean.place,
        region=clean.region,
        committee=committee or committee_for_region(clean.region),
        received_at=now,
        created_by=acting_user if acting_user is not None and acting_user.pk else None,
        **extra,
    )
    for role, party in clean.parties:
        Party.objects.create(
            dispute=dispute,
            role=role,
            name=party.name,
            phone=party.phone,
            id_number=party.id_number,
            address=party.address,
            gender=party.gender,
        )
    _audit("received", dispute, acting_user or "fawang", source=source)
    tell_order(dispute, acting_user=acting_user)
    return dispute


def apply_for_mediation(data: DisputeIn, *, acting_user: User) -> Dispute:
    """A citizen applies online: the request becomes a work order (business line mediation) and
    the dispute linked to it. Mediation is free and voluntary (People's Mediation Law art. 4, 17)."""
    if not acting_user.is_citizen:
        raise PermissionDenied("只有群众本人可以在线申请调解。")
    clean = _clean(data, applicant_phone_required=False)
    committee = _committee(data.committee_id)
    with transaction.atomic():
        order = create_work_order(
            Intake(
                channel=Channel.WEB,
                business_line=BusinessLine.MEDIATION,
                topic=TOPIC_FOR_TYPE[DisputeType(clean.dispute_type)],
                description=clean.facts,
                title=data.title or f"调解申请：{clean.facts[:24]}",
                requester_name=clean.parties[0][1].name,
                requester_phone=clean.parties[0][1].phone,
                region_code=clean.region.code,
                idempotency_key=data.idempotency_key,
            ),
            acting_user=acting_user,
        )
        existing = Dispute.objects.filter(work_order=order).first()
        if existing is not None:
            return existing
        return _insert_dispute(
            clean,
            source=DisputeSource.CITIZEN,
            acting_user=acting_user,
            committee=committee,
            citizen=acting_user,
            work_order=order,
        )


def hand_off_dispute(data: DisputeIn, *, acting_user: User) -> Dispute:
    """A court, police station or petition office hands a dispute over (诉调/警调/访调对接) with
    its own reference; the same reference twice gives the first dispute back."""
    if acting_user.role not in HANDOFF_ROLES:
        raise PermissionDenied("只有法院、公安、信访部门的接入账户可以移送纠纷。")
    source = clean_choice(data.source, HANDOFF_SOURCES, "source", "移送单位类别")
    reference = clean_text(data.external_ref, 64, "external_ref", "来文编号")
    existing = Dispute.objects.filter(sender=acting_user, external_ref=reference).first()
    if existing is not None:
        return existing
    clean = _clean(data, applicant_phone_required=True)
    committee = _committee(data.committee_id)
    try:
        with transaction.atomic():
            order = create_work_order(
                Intake(
                    channel=Channel.REFERRAL,
                    referral_source=REFERRAL_SOURCE[DisputeSource(source)],
                    external_ref=reference,
                    business_line=BusinessLine.MEDIATION,
                    topic=TOPIC_FOR_TYPE[DisputeType(clean.dispute_type)],
                    description=clean.facts,
                    title=data.title or f"{DisputeSource(source).label}：{clean.facts[:24]}",
                    requester_name=clean.parties[0][1].name,
                    requester_phone=clean.parties[0][1].phone,
                    region_code=clean.region.code,
                ),
                acting_user=acting_user,
            )
            return _insert_dispute(
                clean,
                source=source,
                acting_user=acting_user,
                committee=committee,
                sender=acting_user,
                external_ref=reference,
                work_order=order,
            )
    except IntegrityError:
        winner = Dispute.objects.filter(sender=acting_user, external_ref=reference).first()
        if winner is None:
            raise
        return winner


# --- assignment -----------------------------------------------------------------------------


def assign_dispute(
    dispute: Dispute,
    *,
    acting_user: User,
    mediator_ids: Sequence[int],
    committee_id: int | None = None,
) -> Dispute:
    """The bureau may move a dispute to another committee; the committee head assigns its
    mediators; a mediator of the committee may take an unassigned dispute for themselves."""
    committee = _committee(committee_id) if committee_id else None
    with transaction.atomic():
        dispute = lock(dispute)
        before = dispute.status
        dispute.status = (
            check_transition(DISPUTE_TRANSITIONS, dispute.status, "assign") or dispute.status
        )
        if committee is not None and committee.pk != dispute.committee_id:
            _require_bureau_over(acting_user, dispute.region)
            dispute.committee = committee
        elif acting_user.role in BUREAU_ROLES:
            _require_bureau_over(acting_user, dispute.region)
        else:
            _require_committee_mediator(acting_user, dispute)
        if dispute.committee_id is None:
            raise InvalidInput("请先选择承办的人民调解委员会。", code="required", field="committee")
        mediators = _committee_mediators(dispute.committee_id, mediator_ids)
        if acting_user.role == Role.MEDIATOR and not is_committee_head(
            acting_user, dispute.committee_id
        ):
            own = practitioner_of(acting_user)
            if own is None or [m.pk for m in mediators] != [own.pk]:
                raise PermissionDenied("调解员只能领办给自己；指派他人请联系调委会主任。")
        dispute.save(update_fields=["status", "committee", "updated_at"])
        dispute.mediators.set(mediators)
        _audit(
            "assigned",
            dispute,
            acting_user,
            from_status=before,
            committee=dispute.committee_id,
            mediators=[m.pk for m in mediators],
        )
        _claim_work_order(dispute, acting_user)
        tell_order(dispute, acting_user=acting_user)
    return dispute


def _claim_work_order(dispute: Dispute, user: User) -> None:
    """A mediator who takes a dispute also claims its work order when it waits in the committee's
    own queue, so the order's deadlines follow the mediation (workorders verbs, not a bypass)."""
    order = dispute.work_order
    if (
        order is not None
        and user.role == Role.MEDIATOR
        and order.status == WorkOrderStatus.QUEUED
        and order.institution_id == dispute.committee_id == user.institution_id
    ):
        claim_order(order, acting_user=user)


def _committee_mediators(committee_id: int, mediator_ids: Sequence[int]) -> list[Practitioner]:
    ids = list(dict.fromkeys(mediator_ids))
    if not ids:
        raise InvalidInput("请至少选择一名调解员。", code="required", field="mediators")
    found = list(
        Practitioner.objects.filter(pk__in=ids, kind=PractitionerKind.MEDIATOR).filter(
            institution_id=committee_id
        )
    )
    members = set(
        CommitteeMembership.objects.filter(
            committee_id=committee_id, mediator_id__in=ids, active=True
        ).values_list("mediator_id", flat=True)
    )
    found_ids = {m.pk for m in found} | members
    if set(ids) - found_ids:
        raise InvalidInput("所选调解员不属于该调委会。", code="not_member", field="mediators")
    extra = list(Practitioner.objects.filter(pk__in=members - {m.pk for m in found}))
    by_id = {m.pk: m for m in [*found, *extra]}
    return [by_id[i] for i in ids]
