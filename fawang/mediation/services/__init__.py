"""Mediation use cases: disputes in (citizen, hand-off, screening), assignment, sessions,
outcomes, follow-up, judicial confirmation, committee people, screening and early warning.

Every verb validates first, then changes state inside one transaction, checks the transition
against ``models.TRANSITIONS`` and writes one audit event.
"""

from __future__ import annotations

import calendar
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    Practitioner,
    PractitionerKind,
    Region,
    RegionLevel,
    Role,
    User,
)
from fawang.core.numbering import next_number
from fawang.core.rows import lock
from fawang.core.services import region_by_code
from fawang.core.taxonomy import Topic
from fawang.core.transitions import Transitions, check_transition
from fawang.core.validation import clean_choice, clean_id_number, clean_phone, clean_text
from fawang.mediation.models import (
    HANDOFF_SOURCES,
    TRANSITIONS,
    Agreement,
    AgreementForm,
    Cadence,
    CommitteeMembership,
    ConfirmationStatus,
    Dispute,
    DisputeSource,
    DisputeStatus,
    DisputeType,
    DisputeWarning,
    FeaturedRoom,
    JudicialConfirmation,
    KeyPeriod,
    MediationSession,
    MediatorGrade,
    Party,
    PartyRole,
    Performance,
    Referral,
    Screening,
    ScreeningRisk,
    TalentPoolEntry,
    TalentTier,
    TrainingRecord,
)
from fawang.mediation.policy import mediation_policy, parse_mediation
from fawang.policy.packs import shipped_packs
from fawang.workorders.models import BusinessLine, Channel, Notification, ReferralSource
from fawang.workorders.models import Status as WorkOrderStatus
from fawang.workorders.services import Intake, claim_order, create_work_order, reply_to_order

MAX_TEXT = 5000
MAX_NOTE = 1000
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
VERB_LABELS = {
    "assign": "指派",
    "record_session": "记录调解",
    "agree": "登记调解协议",
    "fail": "登记调解不成",
    "follow_up": "回访履行情况",
    "request_confirmation": "申请司法确认",
}
DISPUTE_TRANSITIONS = Transitions(
    TRANSITIONS, noun="纠纷", statuses=DisputeStatus, verb_labels=VERB_LABELS
)
BUREAU_ROLES = SUPERVISOR_ROLES
# What the citizen is told when mediation fails (People's Mediation Law art. 26).
REFERRAL_ADVICE = {
    Referral.LITIGATION: "向人民法院提起诉讼",
    Referral.ARBITRATION: "申请仲裁",
    Referral.ADMINISTRATIVE: "请求有关行政机关处理",
    Referral.LEGAL_AID: "申请法律援助",
    Referral.OTHER: "通过其他合法途径解决",
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


def _audit(action: str, dispute: Dispute, actor: Any, **detail: Any) -> None:
    record_event(
        f"mediation.{action}",
        actor=actor,
        obj=dispute,
        detail={"number": dispute.number, "status": dispute.status, **detail},
    )


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


def practitioner_of(user: User) -> Practitioner | None:
    return Practitioner.objects.filter(user=user, kind=PractitionerKind.MEDIATOR).first()


def is_committee_head(user: User, committee_id: int | None) -> bool:
    if user.role != Role.MEDIATOR or committee_id is None or user.institution_id != committee_id:
        return False
    return CommitteeMembership.objects.filter(
        committee_id=committee_id, mediator__user=user, is_head=True, active=True
    ).exists()


def _in_region(user: User, region: Region) -> bool:
    return user.region is not None and user.region.contains(region)


def _require_bureau_over(user: User, region: Region) -> None:
    if user.role not in BUREAU_ROLES or not _in_region(user, region):
        raise PermissionDenied("只有该地区的司法行政管理人员可以进行此操作。")


def _require_committee_mediator(user: User, dispute: Dispute) -> None:
    if user.role != Role.MEDIATOR or user.institution_id != dispute.committee_id:
        raise PermissionDenied("只有承办该纠纷的调委会调解员可以进行此操作。")


def _require_handler(user: User, dispute: Dispute) -> None:
    """The mediators assigned to the dispute, or the committee head."""
    _require_committee_mediator(user, dispute)
    if is_committee_head(user, dispute.committee_id):
        return
    if not dispute.mediators.filter(user=user).exists():
        raise PermissionDenied("您不是该纠纷的承办调解员。")


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


# --- assignment and mediation ----------------------------------------------------------------


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


def _reply_work_order(dispute: Dispute, user: User, text: str) -> None:
    """The outcome is the reply to the work order the mediator holds (the citizen is told)."""
    order = dispute.work_order
    if order is not None:
        order.refresh_from_db()
        if order.status == WorkOrderStatus.CLAIMED and order.assignee_id == user.pk:
            reply_to_order(order, reply=text, acting_user=user)


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


def record_session(
    dispute: Dispute,
    *,
    acting_user: User,
    held_at: datetime,
    attendance: str,
    notes: str,
    place: str = "",
    video_link: str = "",
) -> MediationSession:
    attendance = clean_text(attendance, 500, "attendance", "到场人员")
    notes = clean_text(notes, MAX_TEXT, "notes", "调解记录")
    place = clean_text(place, 200, "place", "调解地点", required=False)
    video_link = clean_text(video_link, 200, "video_link", "视频链接", required=False)
    if not place and not video_link:
        raise InvalidInput("请填写调解地点或视频调解链接。", code="required", field="place")
    if video_link:
        try:
            URLValidator(schemes=["https", "http"])(video_link)
        except ValidationError:
            raise InvalidInput("视频链接格式不正确。", code="bad_url", field="video_link") from None
    if held_at is None:
        raise InvalidInput("请填写调解时间。", code="required", field="held_at")
    if timezone.is_naive(held_at):
        # A time without an offset is local time (Asia/Shanghai), as on the forms.
        held_at = timezone.make_aware(held_at)
    if held_at > timezone.now() + timedelta(minutes=5):
        raise InvalidInput("调解时间不能晚于现在。", code="future", field="held_at")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_handler(acting_user, dispute)
        before = dispute.status
        dispute.status = (
            check_transition(DISPUTE_TRANSITIONS, dispute.status, "record_session")
            or dispute.status
        )
        dispute.save(update_fields=["status", "updated_at"])
        session = MediationSession.objects.create(
            dispute=dispute,
            held_at=held_at,
            place=place,
            video_link=video_link,
            attendance=attendance,
            notes=notes,
            recorded_by=acting_user,
        )
        _audit("session_recorded", dispute, acting_user, from_status=before, session=session.pk)
    return session


@dataclass
class AgreementIn:
    form: str
    facts: str
    issues: str
    terms: str
    performance_manner: str
    performance_deadline: date | None
    signed_on: date | None


def record_agreement(dispute: Dispute, data: AgreementIn, *, acting_user: User) -> Agreement:
    """Art. 28–30: a written agreement (or an oral one the mediator records) closes the dispute;
    art. 29 fixes what the written agreement states."""
    form = clean_choice(data.form, AgreementForm.values, "form", "协议形式")
    facts = clean_text(data.facts, MAX_TEXT, "facts", "纠纷主要事实")
    issues = clean_text(data.issues, MAX_TEXT, "issues", "争议事项")
    terms = clean_text(data.terms, MAX_TEXT, "terms", "协议内容")
    manner = clean_text(data.performance_manner, 500, "performance_manner", "履行方式")
    if data.signed_on is None:
        raise InvalidInput("请填写签订日期。", code="required", field="signed_on")
    if data.signed_on > timezone.localdate():
        raise InvalidInput("签订日期不能晚于今天。", code="future", field="signed_on")
    if data.performance_deadline is None:
        raise InvalidInput("请填写履行期限。", code="required", field="performance_deadline")
    if data.performance_deadline < data.signed_on:
        raise InvalidInput(
            "履行期限不能早于签订日期。", code="bad_deadline", field="performance_deadline"
        )
    with transaction.atomic():
        dispute = lock(dispute)
        _require_handler(acting_user, dispute)
        before = dispute.status
        dispute.status = (
            check_transition(DISPUTE_TRANSITIONS, dispute.status, "agree") or dispute.status
        )
        dispute.closed_at = timezone.now()
        dispute.save(update_fields=["status", "closed_at", "updated_at"])
        agreement = Agreement.objects.create(
            dispute=dispute,
            form=form,
            facts=facts,
            issues=issues,
            terms=terms,
            performance_manner=manner,
            performance_deadline=data.performance_deadline,
            signed_on=data.signed_on,
            created_by=acting_user,
        )
        _audit("agreed", dispute, acting_user, from_status=before, form=form)
        _reply_work_order(
            dispute,
            acting_user,
            f"调解成功，已达成{agreement.get_form_display()}（纠纷编号{dispute.number}）：{terms}",
        )
    return agreement


def record_failure(dispute: Dispute, *, acting_user: User, reason: str, referral: str) -> Dispute:
    """Art. 26: when mediation fails, end it and tell the parties which way is open to them."""
    reason = clean_text(reason, MAX_NOTE, "reason", "调解不成原因")
    referral = clean_choice(referral, Referral.values, "referral", "后续去向")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_handler(acting_user, dispute)
        before = dispute.status
        dispute.status = (
            check_transition(DISPUTE_TRANSITIONS, dispute.status, "fail") or dispute.status
        )
        dispute.closed_at = timezone.now()
        dispute.failure_reason, dispute.referral = reason, referral
        dispute.save(
            update_fields=["status", "closed_at", "failure_reason", "referral", "updated_at"]
        )
        _audit("failed", dispute, acting_user, from_status=before, referral=referral)
        _reply_work_order(
            dispute,
            acting_user,
            f"调解未能达成协议（纠纷编号{dispute.number}）：{reason}。"
            f"您可以依法{REFERRAL_ADVICE[Referral(referral)]}，如需帮助可拨打12348。",
        )
    return dispute


def follow_up_performance(
    dispute: Dispute, *, acting_user: User, performance: str, note: str = ""
) -> Agreement:
    """Art. 31: the committee follows up how the agreement is performed."""
    performance = clean_choice(performance, Performance.values, "performance", "履行情况")
    note = clean_text(note, MAX_NOTE, "note", "回访记录", required=False)
    with transaction.atomic():
        dispute = lock(dispute)
        _require_committee_mediator(acting_user, dispute)
        check_transition(DISPUTE_TRANSITIONS, dispute.status, "follow_up")
        agreement = Agreement.objects.select_for_update().get(dispute=dispute)
        agreement.performance = performance
        agreement.follow_up_note = note
        agreement.followed_up_at = timezone.now()
        agreement.save(
            update_fields=["performance", "follow_up_note", "followed_up_at", "updated_at"]
        )
        Dispute.objects.filter(pk=dispute.pk).update(updated_at=timezone.now())
        _audit("followed_up", dispute, acting_user, performance=performance)
    return agreement


def request_judicial_confirmation(
    dispute: Dispute, *, acting_user: User, court: str, requested_on: date | None
) -> JudicialConfirmation:
    """Art. 33: the parties may jointly apply to the court within 30 days of the agreement taking
    effect (the window is the pack's ``judicial_confirmation_days``)."""
    court = clean_text(court, 100, "court", "人民法院")
    if requested_on is None:
        raise InvalidInput("请填写申请日期。", code="required", field="requested_on")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_committee_mediator(acting_user, dispute)
        check_transition(DISPUTE_TRANSITIONS, dispute.status, "request_confirmation")
        agreement = Agreement.objects.get(dispute=dispute)
        if agreement.form != AgreementForm.WRITTEN:
            raise InvalidInput("只有书面调解协议可以申请司法确认。", code="oral", field="form")
        window = mediation_policy(dispute.region).judicial_confirmation_days
        if not agreement.signed_on <= requested_on <= agreement.signed_on + timedelta(days=window):
            raise InvalidInput(
                f"司法确认应在调解协议生效之日起{window}日内申请。",
                code="out_of_window",
                field="requested_on",
            )
        if JudicialConfirmation.objects.filter(agreement=agreement).exists():
            raise Conflict("该协议已申请司法确认。", code="already_requested")
        confirmation = JudicialConfirmation.objects.create(
            agreement=agreement, court=court, requested_on=requested_on
        )
        Dispute.objects.filter(pk=dispute.pk).update(updated_at=timezone.now())
        _audit("confirmation_requested", dispute, acting_user, court=court)
    return confirmation


def record_confirmation_answer(
    dispute: Dispute,
    *,
    acting_user: User,
    granted: bool,
    answered_on: date | None,
    court_ref: str = "",
) -> JudicialConfirmation:
    court_ref = clean_text(court_ref, 64, "court_ref", "法院案号", required=False)
    if answered_on is None:
        raise InvalidInput("请填写裁定日期。", code="required", field="answered_on")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_committee_mediator(acting_user, dispute)
        confirmation = (
            JudicialConfirmation.objects.select_for_update()
            .filter(agreement__dispute=dispute)
            .first()
        )
        if confirmation is None:
            raise Conflict("该协议尚未申请司法确认。", code="not_requested")
        if confirmation.status != ConfirmationStatus.REQUESTED:
            raise Conflict("法院已作出裁定。", code="already_answered")
        if answered_on < confirmation.requested_on or answered_on > timezone.localdate():
            raise InvalidInput(
                "裁定日期应在申请日期与今天之间。", code="bad_date", field="answered_on"
            )
        confirmation.status = ConfirmationStatus.GRANTED if granted else ConfirmationStatus.REFUSED
        confirmation.answered_on, confirmation.court_ref = answered_on, court_ref
        confirmation.save(update_fields=["status", "answered_on", "court_ref", "updated_at"])
        Dispute.objects.filter(pk=dispute.pk).update(updated_at=timezone.now())
        _audit("confirmation_answered", dispute, acting_user, status=confirmation.status)
    return confirmation


# --- committees' people -----------------------------------------------------------------------


def set_membership(
    committee: Institution,
    mediator: Practitioner,
    *,
    acting_user: User,
    full_time: bool,
    is_head: bool = False,
    grade: str = MediatorGrade.NONE,
    grade_date: date | None = None,
) -> CommitteeMembership:
    if committee.kind != InstitutionKind.MEDIATION_COMMITTEE:
        raise InvalidInput("只能为人民调解委员会设置成员。", code="bad_kind", field="committee")
    if mediator.kind != PractitionerKind.MEDIATOR:
        raise InvalidInput("只能添加人民调解员。", code="bad_kind", field="mediator")
    grade = clean_choice(grade, MediatorGrade.values, "grade", "调解员等级")
    _require_bureau_over(acting_user, committee.region)
    with transaction.atomic():
        membership, _ = CommitteeMembership.objects.update_or_create(
            committee=committee,
            mediator=mediator,
            defaults={
                "full_time": full_time,
                "is_head": is_head,
                "grade": grade,
                "grade_date": grade_date,
                "active": True,
            },
        )
        record_event(
            "mediation.membership_set",
            actor=acting_user,
            obj=membership,
            detail={"full_time": full_time, "is_head": is_head, "grade": grade},
        )
    return membership


def _mediator_region(mediator: Practitioner) -> Region:
    return mediator.institution.region


def record_training(
    mediator: Practitioner, *, acting_user: User, held_on: date, days: Any, topic: str
) -> TrainingRecord:
    topic = clean_text(topic, 200, "topic", "培训内容")
    try:
        amount = Decimal(str(days))
    except InvalidOperation:
        raise InvalidInput("培训天数应为数字。", code="bad_days", field="days") from None
    if not Decimal("0.5") <= amount <= Decimal("60"):
        raise InvalidInput("培训天数应在0.5到60天之间。", code="bad_days", field="days")
    _require_bureau_over(acting_user, _mediator_region(mediator))
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            mediator=mediator, held_on=held_on, days=amount, topic=topic
        )
        record_event(
            "mediation.training_recorded",
            actor=acting_user,
            obj=record,
            detail={"mediator": mediator.pk, "days": str(amount)},
        )
    return record


def open_featured_room(
    mediator: Practitioner,
    *,
    acting_user: User,
    name: str,
    opened_on: date,
    specialty: str = "",
) -> FeaturedRoom:
    name = clean_text(name, 100, "name", "调解室名称")
    specialty = clean_text(specialty, 100, "specialty", "特色领域", required=False)
    committee = mediator.institution
    _require_bureau_over(acting_user, committee.region)
    if FeaturedRoom.objects.filter(name=name).exists():
        raise Conflict("已有同名调解室。", code="duplicate", field="name")
    with transaction.atomic():
        room = FeaturedRoom.objects.create(
            name=name,
            mediator=mediator,
            committee=committee,
            region=committee.region,
            opened_on=opened_on,
            specialty=specialty,
        )
        record_event("mediation.room_opened", actor=acting_user, obj=room, detail={"name": name})
    return room


def add_to_talent_pool(
    mediator: Practitioner,
    *,
    acting_user: User,
    tier: str,
    foreign_related: bool = False,
    languages: Sequence[str] = (),
    expertise: str = "",
) -> TalentPoolEntry:
    tier = clean_choice(tier, TalentTier.values, "tier", "人才类别")
    expertise = clean_text(expertise, 200, "expertise", "擅长领域", required=False)
    languages = [clean_text(lang, 30, "languages", "外语") for lang in languages]
    if foreign_related and not languages:
        raise InvalidInput("涉外调解人才请填写外语。", code="required", field="languages")
    _require_bureau_over(acting_user, _mediator_region(mediator))
    with transaction.atomic():
        entry, _ = TalentPoolEntry.objects.update_or_create(
            mediator=mediator,
            defaults={
                "tier": tier,
                "foreign_related": foreign_related,
                "languages": languages,
                "expertise": expertise,
                "selected_on": timezone.localdate(),
            },
        )
        record_event("mediation.talent_added", actor=acting_user, obj=entry, detail={"tier": tier})
    return entry


# --- screening (排查) --------------------------------------------------------------------------


def declare_key_period(
    *, acting_user: User, region: Region, name: str, starts_on: date, ends_on: date
) -> KeyPeriod:
    """A bureau declares important events or sensitive dates: daily screening (BJ-measures 13)."""
    name = clean_text(name, 100, "name", "重点时段名称")
    if ends_on < starts_on:
        raise InvalidInput("结束日期不能早于开始日期。", code="bad_range", field="ends_on")
    if (ends_on - starts_on).days > 92:
        raise InvalidInput("重点时段不能超过92天。", code="too_long", field="ends_on")
    _require_bureau_over(acting_user, region)
    with transaction.atomic():
        period = KeyPeriod.objects.create(
            region=region, name=name, starts_on=starts_on, ends_on=ends_on, declared_by=acting_user
        )
        record_event(
            "mediation.key_period_declared",
            actor=acting_user,
            obj=period,
            detail={"region": region.code, "from": str(starts_on), "to": str(ends_on)},
        )
    return period


def _period(cadence: str, day: date) -> tuple[date, date]:
    """The first and last day of the cadence's period containing ``day``."""
    if cadence == Cadence.DAILY:
        return day, day
    if cadence == Cadence.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _screening_units() -> dict[str, list[Institution]]:
    active = Institution.objects.filter(status=InstitutionStatus.ACTIVE).select_related("region")
    return {
        "village": list(
            active.filter(
                kind=InstitutionKind.MEDIATION_COMMITTEE, mediation_level=MediationLevel.VILLAGE
            )
        ),
        "office": list(active.filter(kind=InstitutionKind.JUSTICE_OFFICE)),
    }


def generate_screenings(day: date) -> int:
    """Create the screening tasks whose period contains ``day`` (idempotent): village committees
    weekly, township justice offices monthly, and every unit inside a declared key period daily
    (cadences from the pack; BJ-measures 13)."""
    units = _screening_units()
    periods = list(
        KeyPeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).select_related("region")
    )
    rows: list[Screening] = []
    for kind, cadence_attr in (("village", "village_cadence"), ("office", "office_cadence")):
        for unit in units[kind]:
            policy = mediation_policy(unit.region)
            cadence = getattr(policy, cadence_attr)
            rows.append(_screening_row(unit, cadence, day, policy.grace_days))
            for period in periods:
                if period.region.contains(unit.region):
                    rows.append(
                        _screening_row(
                            unit, policy.key_period_cadence, day, policy.grace_days, period
                        )
                    )
                    break
    before = Screening.objects.count()
    Screening.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Screening.objects.count() - before


def _screening_row(
    unit: Institution, cadence: str, day: date, grace: int, period: KeyPeriod | None = None
) -> Screening:
    start, end = _period(cadence, day)
    return Screening(
        unit=unit,
        region=unit.region,
        cadence=cadence,
        period_start=start,
        due_on=end + timedelta(days=grace),
        key_period=period,
    )


@dataclass
class RiskIn:
    description: str
    dispute_type: str
    parties: str = ""


def may_screen(user: User, screening: Screening) -> bool:
    if user.institution_id is not None and user.institution_id == screening.unit_id:
        return True
    return user.role == Role.SUPERVISOR_TOWNSHIP and _in_region(user, screening.region)


def complete_screening(
    screening: Screening, *, acting_user: User, notes: str, risks: Sequence[RiskIn] = ()
) -> Screening:
    notes = clean_text(notes, MAX_TEXT, "notes", "排查情况")
    clean = [
        RiskIn(
            description=clean_text(risk.description, 1000, "risks.description", "风险隐患"),
            dispute_type=clean_choice(
                risk.dispute_type, DisputeType.values, "risks.dispute_type", "纠纷类型"
            ),
            parties=clean_text(risk.parties, 200, "risks.parties", "涉及人员", required=False),
        )
        for risk in risks
    ]
    if not may_screen(acting_user, screening):
        raise PermissionDenied("只有排查单位的工作人员可以登记排查。")
    with transaction.atomic():
        screening = lock(screening)
        if screening.done_at is not None:
            raise Conflict("该排查已登记完成。", code="already_done")
        screening.done_at, screening.done_by, screening.notes = timezone.now(), acting_user, notes
        screening.save(update_fields=["done_at", "done_by", "notes", "updated_at"])
        ScreeningRisk.objects.bulk_create(
            ScreeningRisk(screening=screening, **vars(risk)) for risk in clean
        )
        record_event(
            "mediation.screening_done",
            actor=acting_user,
            obj=screening,
            detail={"risks": len(clean), "overdue": screening.due_on < timezone.localdate()},
        )
    return screening


def dispute_from_risk(risk: ScreeningRisk, *, acting_user: User, facts: str = "") -> Dispute:
    """A risk found by screening becomes a dispute for the nearest committee."""
    if not may_screen(acting_user, risk.screening):
        raise PermissionDenied("只有排查单位的工作人员可以登记纠纷。")
    clean = _Clean(
        dispute_type=risk.dispute_type,
        facts=clean_text(facts or risk.description, MAX_TEXT, "facts", "纠纷事实"),
        claims="",
        amount=None,
        place="",
        region=risk.screening.region,
        parties=[(PartyRole.APPLICANT, PartyIn(name=risk.parties or "（排查发现）"))],
    )
    unit = risk.screening.unit
    committee = unit if unit.kind == InstitutionKind.MEDIATION_COMMITTEE else None
    with transaction.atomic():
        locked = lock(risk)
        if locked.dispute_id is not None:
            raise Conflict("该风险已登记为纠纷。", code="already_converted")
        dispute = _insert_dispute(
            clean, source=DisputeSource.SCREENING, acting_user=acting_user, committee=committee
        )
        locked.dispute = dispute
        locked.save(update_fields=["dispute"])
    return dispute


# --- early warning ----------------------------------------------------------------------------


def township_of(region: Region) -> str | None:
    """The township path over a region (the third segment of the materialised path)."""
    codes = region.path.strip("/").split("/")
    return "/" + "/".join(codes[:3]) + "/" if len(codes) >= 3 else None


def weekly_counts(since: date, until: date) -> dict[tuple[str, str], dict[date, int]]:
    """(township path, dispute type) -> {week start: disputes received}, local weeks."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()), tz)
    end = timezone.make_aware(datetime.combine(until, datetime.min.time()), tz)
    rows = (
        Dispute.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values("region__path", "dispute_type", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[str, str], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        township = "/" + "/".join(row["region__path"].strip("/").split("/")[:3]) + "/"
        week = row["day"] - timedelta(days=row["day"].weekday())
        counts[(township, row["dispute_type"])][week] += row["n"]
    return counts


def is_spike(
    current: int, baseline: Sequence[int], *, k: float, min_count: int
) -> tuple[bool, float]:
    """The rule (docs/mediation.md): a spike when this week's count exceeds
    max(min_count, mean + k * population stddev) of the baseline weeks."""
    mean = statistics.fmean(baseline) if baseline else 0.0
    spread = statistics.pstdev(baseline) if len(baseline) > 1 else 0.0
    threshold = max(float(min_count), mean + k * spread)
    return current > threshold, threshold


def detect_spikes(week_start: date) -> list[DisputeWarning]:
    """Warn each township (and its district bureau) whose disputes of one type this week rose above
    their usual level; at most one warning per township, type and week."""
    week_start = week_start - timedelta(days=week_start.weekday())
    warnings: list[DisputeWarning] = []
    # The largest baseline any shipped pack asks for bounds the one query.
    max_weeks = max(
        parse_mediation(pack.raw, pack.code).early_warning.baseline_weeks
        for pack in shipped_packs()
    )
    counts = weekly_counts(week_start - timedelta(weeks=max_weeks), week_start + timedelta(days=7))
    townships = {
        region.path: region
        for region in Region.objects.filter(
            level=RegionLevel.TOWNSHIP, path__in={path for path, _type in counts}
        )
    }
    for (path, dispute_type), weeks in counts.items():
        township = townships.get(path)
        current = weeks.get(week_start, 0)
        if township is None or current == 0:
            continue
        rule = mediation_policy(township).early_warning
        baseline = [
            weeks.get(week_start - timedelta(weeks=i), 0) for i in range(1, rule.baseline_weeks + 1)
        ]
        fires, threshold = is_spike(current, baseline, k=rule.k, min_count=rule.min_count)
        if fires:
            warning = _warn(township, dispute_type, week_start, current, threshold, baseline)
            if warning is not None:
                warnings.append(warning)
    return warnings


def _warn(
    township: Region,
    dispute_type: str,
    week_start: date,
    count: int,
    threshold: float,
    baseline: Sequence[int],
) -> DisputeWarning | None:
    try:
        with transaction.atomic():
            warning = DisputeWarning.objects.create(
                township=township,
                dispute_type=dispute_type,
                week_start=week_start,
                count=count,
                threshold=threshold,
                baseline_mean=statistics.fmean(baseline) if baseline else 0.0,
            )
            label = DisputeType(dispute_type).label
            text = (
                f"【纠纷预警】{township.name}本周{label}纠纷{count}件，"
                f"超过预警线{threshold:.1f}件，请关注排查化解。"
            )
            Notification.objects.bulk_create(
                Notification(recipient=user, text=text) for user in _warning_recipients(township)
            )
            record_event(
                "mediation.warning",
                actor="fawang scheduler",
                obj=warning,
                detail={"township": township.code, "type": dispute_type, "count": count},
            )
    except IntegrityError:
        return None
    return warning


def _warning_recipients(township: Region) -> list[User]:
    district = township.district
    paths = [township.path] + ([district.path] if district else [])
    return list(
        User.objects.filter(
            is_active=True,
            role__in=[Role.SUPERVISOR_TOWNSHIP, Role.SUPERVISOR_DISTRICT],
            region__path__in=paths,
        )
    )
