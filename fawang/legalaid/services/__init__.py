"""Legal-aid use cases: apply or be notified, decide, assign, supervise, review quality.

Every verb checks the acting user's role, validates before writing, changes state inside one
transaction against the transition tables in ``models``, and writes one audit event.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    Role,
    User,
)
from fawang.core.numbering import next_number
from fawang.core.personal_access import SELF_USE, read_personal_data
from fawang.core.rows import lock
from fawang.core.services import region_by_code
from fawang.core.tasks import queue_sms_to_record
from fawang.core.taxonomy import SpecialGroup, Topic
from fawang.core.transitions import Transitions, check_transition
from fawang.core.validation import clean_choice, clean_id_number, clean_phone, clean_text
from fawang.legalaid.models import (
    APPLICATION_TRANSITIONS,
    CASE_TRANSITIONS,
    COMPLAINT_TRANSITIONS,
    CRIMINAL_MATTERS,
    AidApplication,
    AidCase,
    AidDocument,
    ApplicationStatus,
    Assignment,
    CaseOrigin,
    CaseStatus,
    ComplaintKind,
    ComplaintStatus,
    DefenceNotice,
    DocumentKind,
    DutyHelp,
    DutyHelpKind,
    DutyPlaceKind,
    DutyShift,
    ExemptGround,
    ExpertPoolMember,
    FullFollowGroup,
    HearingAttendance,
    MatterType,
    Milestone,
    MilestoneKind,
    NoticeSource,
    PoolStatus,
    ProviderComplaint,
    ProviderPoolMember,
    QualificationLevel,
    QualityGrade,
    QualityReview,
    QualitySample,
    RecipientVisit,
    ReviewMethod,
)
from fawang.legalaid.policy import LegalAidPolicy, policy_for_region
from fawang.workorders.models import BusinessLine, Channel
from fawang.workorders.services import Intake, create_work_order

MAX_TEXT = 5000
MAX_NOTE = 1000
MAX_HOUSEHOLD = 30
# Legal Aid Law art. 26: a case where life imprisonment or death may be imposed needs a lawyer
# with at least three years of relevant practice.
SERIOUS_CRIMINAL_MIN_PRACTICE_YEARS = 3
EXPERT_PRACTICE_YEARS = 10
ALLOWED_UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
PROVIDER_KINDS = frozenset({PractitionerKind.LAWYER, PractitionerKind.BASIC_LEGAL_WORKER})
APPLICATION_CHANNELS = {
    Role.CITIZEN: Channel.WEB,
    Role.WINDOW_CLERK: Channel.WINDOW,
    Role.HOTLINE_SEAT: Channel.HOTLINE,
}
# Notices arrive from court/police systems through integration accounts (seat role, as the
# work-order referral API) or are typed in by the centre's officer from the paper notice.
NOTICE_ROLES = frozenset({Role.HOTLINE_SEAT, Role.WINDOW_CLERK, Role.LEGAL_AID_OFFICER})
TOPIC_OF_MATTER = {
    MatterType.STATE_COMPENSATION: Topic.ADMINISTRATIVE,
    MatterType.SOCIAL_INSURANCE: Topic.ADMINISTRATIVE,
    MatterType.PENSION: Topic.ADMINISTRATIVE,
    MatterType.MAINTENANCE: Topic.MARRIAGE_FAMILY,
    MatterType.LABOUR_REMUNERATION: Topic.LABOUR,
    MatterType.CAPACITY: Topic.GENERAL,
    MatterType.PERSONAL_INJURY: Topic.PERSONAL_INJURY,
    MatterType.ENVIRONMENT: Topic.TORT,
    MatterType.CRIMINAL_DEFENCE: Topic.CRIMINAL_DEFENCE,
    MatterType.CRIMINAL_VICTIM: Topic.CRIMINAL_DEFENCE,
}
SPECIAL_GROUP_OF = {
    FullFollowGroup.MINOR: SpecialGroup.MINOR,
    FullFollowGroup.MILITARY: SpecialGroup.MILITARY,
    FullFollowGroup.SEVERELY_DISABLED: SpecialGroup.DISABLED,
}


# --- validation helpers --------------------------------------------------------------------


def _choice(value: str | None, choices: Iterable[str], field: str, label: str) -> str:
    # Legal aid's error codes name the field (unknown_matter_type), as its API documents.
    return clean_choice(value, choices, field, label, code=f"unknown_{field}")


def _amount(value: Any, field: str, label: str) -> Decimal:
    if value is None or value == "":
        raise InvalidInput(f"请填写{label}。", code="required", field=field)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{label}应为数字。", code="not_a_number", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"{label}不能为负数。", code="negative_amount", field=field)
    if amount >= Decimal("1e11"):
        raise InvalidInput(f"{label}数额过大。", code="too_large", field=field)
    return amount.quantize(Decimal("0.01"))


def _past_or_today(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise InvalidInput(f"请填写{label}。", code="required", field=field)
    if day > timezone.localdate():
        raise InvalidInput(f"{label}不能晚于今天。", code="future_date", field=field)
    return day


def _groups(values: Iterable[str]) -> list[str]:
    return [_choice(g, FullFollowGroup.values, "full_follow_groups", "跟案群体") for g in values]


# --- permissions ---------------------------------------------------------------------------


def is_officer_of(user: User, centre_id: int) -> bool:
    return user.role == Role.LEGAL_AID_OFFICER and user.institution_id == centre_id


def supervises(user: User, region: Region) -> bool:
    return (
        user.role in SUPERVISOR_ROLES and user.region is not None and user.region.contains(region)
    )


def is_provider_of(user: User, case: AidCase) -> bool:
    if case.provider is None or not user.is_authenticated:
        return False
    return Practitioner.objects.filter(pk=case.provider.practitioner_id, user=user).exists()


def _require_officer(user: User, centre_id: int) -> None:
    if not is_officer_of(user, centre_id):
        raise PermissionDenied("只有本法律援助中心的工作人员可以进行此操作。")


def _require_officer_or_supervisor(user: User, case: AidCase) -> None:
    if not (is_officer_of(user, case.centre_id) or supervises(user, case.region)):
        raise PermissionDenied("只有法律援助中心工作人员或司法行政管理人员可以进行此操作。")


def _require_provider(user: User, case: AidCase) -> None:
    if not is_provider_of(user, case):
        raise PermissionDenied("只有承办本案的法律援助人员可以进行此操作。")


# --- transitions and centres ---------------------------------------------------------------

# Legal aid's refusals name the status only: “当前状态为“已批准”，不能进行此操作。”
APPLICATION_FLOW = Transitions(APPLICATION_TRANSITIONS, statuses=ApplicationStatus)
CASE_FLOW = Transitions(CASE_TRANSITIONS, statuses=CaseStatus)
COMPLAINT_FLOW = Transitions(COMPLAINT_TRANSITIONS, statuses=ComplaintStatus)


def centre_for_region(region: Region) -> Institution:
    """The legal-aid centre of the nearest region above (district centre before the city's)."""
    ancestors = region.ancestor_paths()
    centre = (
        Institution.objects.filter(
            kind=InstitutionKind.LEGAL_AID_CENTRE,
            status=InstitutionStatus.ACTIVE,
            region__path__in=ancestors,
        )
        .select_related("region")
        .order_by("-region__path", "pk")
        .first()
    )
    if centre is None:
        raise InvalidInput("该地区尚无法律援助中心。", code="no_centre", field="region_code")
    return centre


# --- eligibility ---------------------------------------------------------------------------


@dataclass
class Eligibility:
    in_scope: bool
    exempt: bool
    means_ok: bool
    income_per_member: Decimal | None
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.in_scope and (self.exempt or self.means_ok)


def assess_eligibility(application: AidApplication) -> Eligibility:
    """What the rules say about an application; the officer decides with this in view."""
    policy = policy_for_region(application.region)
    in_scope = application.matter_type in MatterType.values
    reasons: list[str] = []
    if not in_scope:
        reasons.append("申请事项不属于《法律援助法》第二十四条、第二十九条、第三十一条规定的范围。")
    if application.is_exempt:
        # Legal Aid Law art. 42: these applicants are not subject to the means test.
        return Eligibility(in_scope, True, True, None, reasons)
    size = application.household_size or 1
    income = application.household_monthly_income or Decimal(0)
    per_member = (income / size).quantize(Decimal("0.01"))
    means_ok = True
    if per_member > policy.income_per_member_monthly:
        means_ok = False
        reasons.append(
            f"家庭人均月收入 {per_member} 元，高于本市法律援助经济困难标准 "
            f"{policy.income_per_member_monthly} 元。"
        )
    assets = application.household_assets or Decimal(0)
    if assets > policy.asset_ceiling:
        means_ok = False
        reasons.append(f"家庭资产 {assets} 元，超过本市标准 {policy.asset_ceiling} 元。")
    if (
        not application.honesty_pledge
        and not application.documents.filter(kind=DocumentKind.INCOME_PROOF).exists()
    ):
        means_ok = False
        reasons.append("未作出经济困难诚信承诺，也未提交经济状况证明材料。")
    return Eligibility(in_scope, False, means_ok, per_member, reasons)


# --- applications --------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    matter_type: str
    facts: str
    applicant_name: str
    applicant_id_number: str
    region_code: str
    applicant_phone: str = ""
    opposing_party: str = ""
    full_follow_groups: tuple[str, ...] = ()
    exempt_ground: str = ""
    exempt_basis: str = ""
    household_size: int | None = None
    household_monthly_income: Any = None
    household_assets: Any = None
    honesty_pledge: bool = False
    idempotency_key: str = ""


@dataclass
class _CleanApplication:
    values: dict[str, Any]
    region: Region
    centre: Institution
    policy: LegalAidPolicy


def _clean_application(data: ApplicationInput, acting_user: User) -> _CleanApplication:
    matter = _choice(data.matter_type, MatterType.values, "matter_type", "申请事项类别")
    facts = clean_text(data.facts, MAX_TEXT, "facts", "案情及申请理由")
    name = clean_text(data.applicant_name, 50, "applicant_name", "申请人姓名")
    id_number = clean_id_number(
        data.applicant_id_number or "", "applicant_id_number", code="id_number"
    )
    own_phone = (
        read_personal_data(acting_user, "phone", actor=acting_user, purpose=SELF_USE)
        if acting_user.is_citizen and not data.applicant_phone
        else ""
    )
    phone = clean_phone(data.applicant_phone or own_phone, "applicant_phone")
    region = region_by_code(data.region_code)
    centre = centre_for_region(region)
    policy = policy_for_region(region)
    values: dict[str, Any] = {
        "matter_type": matter,
        "facts": facts,
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "opposing_party": clean_text(
            data.opposing_party, 100, "opposing_party", "对方当事人", required=False
        ),
        "full_follow_groups": _groups(data.full_follow_groups),
        "exempt_ground": "",
        "exempt_basis": "",
        "household_size": None,
        "household_monthly_income": None,
        "household_assets": None,
        "honesty_pledge": bool(data.honesty_pledge),
    }
    if data.exempt_ground:
        # Legal Aid Law art. 42: exempt from the means test; the basis is recorded instead.
        values["exempt_ground"] = _choice(
            data.exempt_ground, ExemptGround.values, "exempt_ground", "免予核查情形"
        )
        values["exempt_basis"] = clean_text(
            data.exempt_basis, 500, "exempt_basis", "免予核查的依据"
        )
        return _CleanApplication(values, region, centre, policy)
    size = data.household_size
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_HOUSEHOLD:
        raise InvalidInput(
            f"家庭人口应为 1 至 {MAX_HOUSEHOLD} 之间的整数。",
            code="household_size",
            field="household_size",
        )
    values["household_size"] = size
    values["household_monthly_income"] = _amount(
        data.household_monthly_income, "household_monthly_income", "家庭月收入"
    )
    values["household_assets"] = _amount(data.household_assets or 0, "household_assets", "家庭资产")
    if policy.honesty_pledge_allowed and not data.honesty_pledge:
        # SJZ 14 / art. 41: the pledge replaces paper proof, so without proof it is required.
        raise InvalidInput(
            "请勾选经济困难诚信承诺：本人承诺所填经济状况真实，如有虚假愿承担相应责任。",
            code="pledge_required",
            field="honesty_pledge",
        )
    return _CleanApplication(values, region, centre, policy)


def submit_application(data: ApplicationInput, *, acting_user: User) -> AidApplication:
    """A citizen applies (portal), or window/hotline staff record an application for them."""
    channel = (
        APPLICATION_CHANNELS.get(Role(acting_user.role)) if acting_user.is_authenticated else None
    )
    if channel is None:
        raise PermissionDenied("您的角色不能受理法律援助申请。")
    clean = _clean_application(data, acting_user)
    values = clean.values
    groups = [SPECIAL_GROUP_OF[FullFollowGroup(g)] for g in values["full_follow_groups"]]
    with transaction.atomic():
        order = create_work_order(
            Intake(
                channel=channel,
                business_line=BusinessLine.LEGAL_AID,
                topic=TOPIC_OF_MATTER[MatterType(values["matter_type"])],
                description=values["facts"],
                title=f"法律援助申请：{MatterType(values['matter_type']).label}"[:100],
                requester_name=values["applicant_name"],
                requester_phone=values["applicant_phone"],
                region_code=clean.region.code,
                special_groups=tuple(dict.fromkeys(groups)),
                idempotency_key=data.idempotency_key,
            ),
            acting_user=acting_user,
        )
        existing = AidApplication.objects.filter(work_order=order).first()
        if existing is not None:
            return existing
        now = timezone.now()
        application = AidApplication.objects.create(
            number=next_number("FY", now),
            work_order=order,
            applicant=acting_user if acting_user.is_citizen else None,
            region=clean.region,
            centre=clean.centre,
            submitted_at=now,
            # Legal Aid Law art. 43: decide within 7 days of receiving the application.
            decision_due_at=now + timedelta(days=clean.policy.decision_days),
            **values,
        )
        record_event(
            "legalaid.application_submitted",
            actor=acting_user,
            obj=application,
            detail={"number": application.number, "order": order.number},
        )
    return application


def decide_application(
    application: AidApplication, *, approve: bool, reasons: str, acting_user: User
) -> AidApplication:
    """Approve (opening a case) or refuse with reasons (art. 43; the letter says how to object)."""
    _require_officer(acting_user, application.centre_id)
    reasons = clean_text(reasons, MAX_TEXT, "reasons", "决定理由", required=False)
    with transaction.atomic():
        application = lock(application)
        to_status = check_transition(
            APPLICATION_FLOW, application.status, "approve" if approve else "refuse"
        )
        assessment = assess_eligibility(application)
        if approve and not assessment.eligible:
            raise Conflict(
                "申请不符合法律援助条件，不能批准：" + "".join(assessment.reasons),
                code="not_eligible",
                field="reasons",
            )
        if not approve:
            reasons = reasons or "".join(assessment.reasons)
            if not reasons:
                raise InvalidInput("不予法律援助的，请写明理由。", code="required", field="reasons")
        now = timezone.now()
        application.status = to_status
        application.decided_at = now
        application.decided_by = acting_user
        application.decision_reasons = reasons or "符合法律援助条件，决定给予法律援助。"
        application.save()
        if approve:
            _open_case_from(application, now)
            days = policy_for_region(application.region).assignment_days_after_decision
            text = (
                f"【法网】您的法律援助申请{application.number}已获批准，"
                f"我们将在{days}日内为您指派法律援助人员。"
            )
        else:
            text = (
                f"【法网】您的法律援助申请{application.number}未获批准。"
                "对决定有异议的，可向设立法律援助机构的司法行政部门提出。"
            )
        queue_sms_to_record(application, "applicant_phone", text)
        record_event(
            "legalaid.application_decided",
            actor=acting_user,
            obj=application,
            detail={"number": application.number, "status": application.status},
        )
    return application


def _open_case_from(application: AidApplication, now: datetime) -> AidCase:
    policy = policy_for_region(application.region)
    groups = list(application.full_follow_groups)
    case = AidCase.objects.create(
        number=next_number("FA", now),
        origin=CaseOrigin.APPLICATION,
        application=application,
        centre=application.centre,
        region=application.region,
        matter_type=application.matter_type,
        recipient_name=application.applicant_name,
        opposing_party=application.opposing_party,
        summary=application.facts[:MAX_TEXT],
        full_follow_groups=groups,
        full_follow=bool(groups),
        opened_at=now,
        # Legal Aid Law art. 44: assign within 3 days of the decision.
        assignment_due_at=now + timedelta(days=policy.assignment_days_after_decision),
    )
    return case


# --- notices -------------------------------------------------------------------------------


@dataclass
class NoticeInput:
    source: str
    organ_name: str
    document_number: str
    recipient_name: str
    region_code: str
    charge: str = ""
    matter_type: str = MatterType.CRIMINAL_DEFENCE
    serious_criminal: bool = False
    full_follow_groups: tuple[str, ...] = ()
    summary: str = ""
    received_at: datetime | None = None


def receive_notice(data: NoticeInput, *, acting_user: User) -> AidCase:
    """A court, procuratorate or police notice opens a case due for assignment (art. 36).

    Idempotent: the same organ's document number returns the case opened the first time."""
    if acting_user.role not in NOTICE_ROLES:
        raise PermissionDenied("您的角色不能登记通知辩护（代理）。")
    source = _choice(data.source, NoticeSource.values, "source", "通知机关类别")
    organ = clean_text(data.organ_name, 200, "organ_name", "通知机关")
    document_number = clean_text(data.document_number, 100, "document_number", "通知书文号")
    matter = _choice(data.matter_type, CRIMINAL_MATTERS, "matter_type", "通知事项类别")
    recipient = clean_text(data.recipient_name, 50, "recipient_name", "受援人姓名")
    charge = clean_text(data.charge, 200, "charge", "涉嫌罪名", required=False)
    summary = clean_text(data.summary, MAX_TEXT, "summary", "案情摘要", required=False)
    groups = _groups(data.full_follow_groups)
    region = region_by_code(data.region_code)
    centre = centre_for_region(region)
    if acting_user.role == Role.LEGAL_AID_OFFICER:
        _require_officer(acting_user, centre.pk)
    now = timezone.now()
    received_at = data.received_at or now
    if received_at > now + timedelta(minutes=5):
        raise InvalidInput("收到通知时间不能晚于现在。", code="future_date", field="received_at")
    existing = DefenceNotice.objects.filter(
        source=source, organ_name=organ, document_number=document_number
    ).first()
    if existing is not None:
        return existing.case
    policy = policy_for_region(region)
    try:
        with transaction.atomic():
            case = AidCase.objects.create(
                number=next_number("TZ", now),
                origin=CaseOrigin.NOTICE,
                centre=centre,
                region=region,
                matter_type=matter,
                recipient_name=recipient,
                summary=summary,
                serious_criminal=bool(data.serious_criminal),
                full_follow_groups=groups,
                full_follow=bool(groups),
                opened_at=received_at,
                # Legal Aid Law art. 36: assign within 3 days of receiving the notice.
                assignment_due_at=received_at + timedelta(days=policy.notice_assignment_days),
            )
            DefenceNotice.objects.create(
                case=case,
                source=source,
                organ_name=organ,
                document_number=document_number,
                charge=charge,
                received_at=received_at,
                created_by=acting_user,
            )
            record_event(
                "legalaid.notice_received",
                actor=acting_user,
                obj=case,
                detail={"number": case.number, "organ": organ, "document": document_number},
            )
    except IntegrityError:
        winner = DefenceNotice.objects.filter(
            source=source, organ_name=organ, document_number=document_number
        ).first()
        if winner is None:
            raise
        return winner.case
    return case


# --- provider pool -------------------------------------------------------------------------


def practice_years(practitioner: Practitioner, on: date | None = None) -> int:
    if practitioner.practising_since is None:
        return 0
    on = on or timezone.localdate()
    since = practitioner.practising_since
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def qualification_for(practitioner: Practitioner) -> str:
    years = practice_years(practitioner)
    if years >= EXPERT_PRACTICE_YEARS:
        return QualificationLevel.EXPERT
    if years >= SERIOUS_CRIMINAL_MIN_PRACTICE_YEARS:
        return QualificationLevel.SENIOR
    return QualificationLevel.JUNIOR


def add_pool_member(
    centre: Institution,
    practitioner: Practitioner,
    *,
    acting_user: User,
    specialties: Iterable[str] = (),
    is_public_sector_lawyer: bool | None = None,
) -> ProviderPoolMember:
    if centre.kind != InstitutionKind.LEGAL_AID_CENTRE:
        raise InvalidInput("只能加入法律援助中心的人员库。", code="not_a_centre", field="centre")
    if not (is_officer_of(acting_user, centre.pk) or supervises(acting_user, centre.region)):
        raise PermissionDenied("只有本中心工作人员或司法行政管理人员可以管理人员库。")
    if practitioner.kind not in PROVIDER_KINDS:
        raise InvalidInput(
            "法律援助人员应为律师或基层法律服务工作者。", code="bad_kind", field="practitioner"
        )
    if practitioner.status != PractitionerStatus.PRACTISING:
        raise InvalidInput("该人员当前不在执业状态。", code="not_practising", field="practitioner")
    chosen = [_choice(s, Topic.values, "specialties", "擅长领域") for s in specialties]
    with transaction.atomic():
        member, created = ProviderPoolMember.objects.get_or_create(
            centre=centre,
            practitioner=practitioner,
            defaults={
                "qualification_level": qualification_for(practitioner),
                "specialties": chosen or list(practitioner.specialties),
                "is_public_sector_lawyer": practitioner.is_public_sector
                if is_public_sector_lawyer is None
                else is_public_sector_lawyer,
            },
        )
        if not created:
            raise Conflict("该人员已在本中心人员库中。", code="duplicate", field="practitioner")
        record_event("legalaid.pool_member_added", actor=acting_user, obj=member)
    return member


def exclude_provider(
    member: ProviderPoolMember, *, reason: str, acting_user: User
) -> ProviderPoolMember:
    """清退: an excluded provider is never assigned again (BJ-list 一(八))."""
    if not (
        is_officer_of(acting_user, member.centre_id)
        or supervises(acting_user, member.centre.region)
    ):
        raise PermissionDenied("只有本中心工作人员或司法行政管理人员可以清退人员。")
    reason = clean_text(reason, 500, "reason", "清退原因")
    with transaction.atomic():
        member = lock(member)
        if member.status == PoolStatus.EXCLUDED:
            return member
        member.status = PoolStatus.EXCLUDED
        member.excluded_on = timezone.localdate()
        member.excluded_reason = reason
        member.save()
        record_event(
            "legalaid.provider_excluded", actor=acting_user, obj=member, detail={"reason": reason}
        )
    return member


def _conflicted_member_ids(case: AidCase) -> set[int]:
    """Providers who act, or acted, for the other side of this case (a conflict of interest)."""
    clauses = Q(pk__in=[])
    if case.opposing_party:
        clauses |= Q(recipient_name=case.opposing_party)
    clauses |= Q(opposing_party=case.recipient_name) & ~Q(opposing_party="")
    ids = (
        AidCase.objects.filter(clauses, provider__isnull=False)
        .exclude(pk=case.pk)
        .values_list("provider_id", flat=True)
    )
    return set(ids)


def eligible_providers(case: AidCase) -> list[ProviderPoolMember]:
    """Who may take the case, best first: same district, then the lightest open load."""
    members = ProviderPoolMember.objects.filter(
        centre_id=case.centre_id,
        status=PoolStatus.ACTIVE,
        practitioner__status=PractitionerStatus.PRACTISING,
    ).select_related("practitioner__institution__region")
    if case.is_criminal:
        # Criminal defence and representation are for lawyers (Legal Aid Law arts. 24–26).
        members = members.filter(practitioner__kind=PractitionerKind.LAWYER)
    if case.serious_criminal:
        cutoff = _years_before(timezone.localdate(), SERIOUS_CRIMINAL_MIN_PRACTICE_YEARS)
        members = members.filter(practitioner__practising_since__lte=cutoff)
    members = members.exclude(pk__in=_conflicted_member_ids(case))
    members = members.annotate(
        open_load=Count("cases", filter=Q(cases__status=CaseStatus.ASSIGNED))
    )
    district = case.region.district
    district_path = district.path if district else case.region.path

    def rank(member: Any) -> tuple[int, int, int]:
        region = member.practitioner.institution.region
        local = 0 if region.path.startswith(district_path) else 1
        return (local, member.open_load, member.pk)

    return sorted(members, key=rank)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _set_provider(
    case: AidCase, member: ProviderPoolMember, *, reason: str, acting_user: User, now: datetime
) -> None:
    Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    Assignment.objects.create(
        case=case, provider=member, assigned_at=now, assigned_by=acting_user, reason=reason
    )
    case.provider = member
    case.status = CaseStatus.ASSIGNED
    if case.assigned_at is None:
        case.assigned_at = now
    case.save()
    if case.application is not None:
        queue_sms_to_record(
            case.application,
            "applicant_phone",
            f"【法网】您的法律援助案件{case.number}已指派{member.practitioner.name}"
            f"（{member.practitioner.institution.name}）承办，承办人员将与您联系。",
        )
    queue_sms_to_record(
        member.practitioner,
        "phone",
        f"【法网】法律援助案件{case.number}已指派您承办，请登录工作台查看。",
    )


def _pick(case: AidCase, provider: ProviderPoolMember | None) -> ProviderPoolMember:
    candidates = eligible_providers(case)
    if provider is None:
        if not candidates:
            raise Conflict("人员库中没有符合资质、无利益冲突的在库人员可指派。", code="no_provider")
        return candidates[0]
    if provider.pk not in {member.pk for member in candidates}:
        raise InvalidInput(
            "该人员不能承办本案（已清退、资质不符、存在利益冲突或不在本中心人员库）。",
            code="provider_not_eligible",
            field="provider",
        )
    return provider


def assign_case(
    case: AidCase,
    *,
    acting_user: User,
    provider: ProviderPoolMember | None = None,
    reason: str = "",
) -> AidCase:
    """Assign a provider (chosen by the rules when none is given); the recipient is told."""
    _require_officer(acting_user, case.centre_id)
    reason = clean_text(reason, 500, "reason", "指派理由", required=False)
    with transaction.atomic():
        case = lock(case)
        check_transition(CASE_FLOW, case.status, "assign")
        member = _pick(case, provider)
        _set_provider(case, member, reason=reason, acting_user=acting_user, now=timezone.now())
        record_event(
            "legalaid.case_assigned",
            actor=acting_user,
            obj=case,
            detail={
                "number": case.number,
                "provider": member.pk,
                "in_time": not case.assignment_overdue,
            },
        )
    return case


def reassign_case(
    case: AidCase,
    *,
    reason: str,
    acting_user: User,
    provider: ProviderPoolMember | None = None,
) -> AidCase:
    _require_officer(acting_user, case.centre_id)
    reason = clean_text(reason, 500, "reason", "更换理由")
    with transaction.atomic():
        case = lock(case)
        check_transition(CASE_FLOW, case.status, "reassign")
        previous = case.provider_id
        if provider is not None and provider.pk == previous:
            raise InvalidInput("请选择另一名人员。", code="same_provider", field="provider")
        if provider is None:
            others = [m for m in eligible_providers(case) if m.pk != previous]
            if not others:
                raise Conflict("没有其他符合条件的人员可更换。", code="no_provider")
            member = others[0]
        else:
            member = _pick(case, provider)
        _set_provider(case, member, reason=reason, acting_user=acting_user, now=timezone.now())
        record_event(
            "legalaid.case_reassigned",
            actor=acting_user,
            obj=case,
            detail={"number": case.number, "from": previous, "to": member.pk, "reason": reason},
        )
    return case


# --- the provider's work -------------------------------------------------------------------


def record_milestone(
    case: AidCase, *, kind: str, occurred_on: date | None, note: str = "", acting_user: User
) -> Milestone:
    _require_provider(acting_user, case)
    kind = _choice(kind, MilestoneKind.values, "kind", "办案节点")
    occurred_on = _past_or_today(occurred_on, "occurred_on", "节点日期")
    note = clean_text(note, MAX_NOTE, "note", "说明", required=False)
    with transaction.atomic():
        case = lock(case)
        check_transition(CASE_FLOW, case.status, "record_milestone")
        milestone = Milestone.objects.create(
            case=case, kind=kind, occurred_on=occurred_on, note=note, recorded_by=acting_user
        )
        case.save(update_fields=["updated_at"])
        record_event(
            "legalaid.milestone_recorded",
            actor=acting_user,
            obj=case,
            detail={"number": case.number, "kind": kind},
        )
    return milestone


def upload_document(
    uploaded: UploadedFile,
    *,
    kind: str,
    acting_user: User,
    application: AidApplication | None = None,
    case: AidCase | None = None,
) -> AidDocument:
    """A supporting file (citizen on their application; provider or officer on a case)."""
    kind = _choice(kind, DocumentKind.values, "kind", "材料类别")
    if application is not None:
        allowed = application.applicant_id == acting_user.pk or is_officer_of(
            acting_user, application.centre_id
        )
        region = application.region
    elif case is not None:
        allowed = is_provider_of(acting_user, case) or is_officer_of(acting_user, case.centre_id)
        region = case.region
    else:
        raise InvalidInput("请指明材料所属的申请或案件。", code="required", field="kind")
    if not allowed:
        raise PermissionDenied("您不能为此申请或案件上传材料。")
    name = PurePath(uploaded.name or "").name[:200]
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_UPLOAD_TYPES:
        raise InvalidInput("只能上传 PDF、JPG 或 PNG 文件。", code="file_type", field="file")
    limit = policy_for_region(region).max_upload_bytes
    if not uploaded.size or uploaded.size > limit:
        raise InvalidInput(
            f"文件不能为空，且不能超过 {limit // (1024 * 1024)} MB。",
            code="file_size",
            field="file",
        )
    if not _content_matches(uploaded, suffix):
        raise InvalidInput("文件内容与扩展名不符。", code="file_type", field="file")
    with transaction.atomic():
        document = AidDocument(
            application=application,
            case=case,
            kind=kind,
            original_name=name,
            size=uploaded.size,
            uploaded_by=acting_user,
        )
        document.file.save(f"{kind}{suffix}", uploaded, save=False)
        document.save()
        record_event(
            "legalaid.document_uploaded",
            actor=acting_user,
            obj=document,
            detail={"kind": kind, "size": uploaded.size},
        )
    return document


_MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8",),
    ".jpeg": (b"\xff\xd8",),
}


def _content_matches(uploaded: UploadedFile, suffix: str) -> bool:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    return any(head.startswith(magic) for magic in _MAGIC[suffix])


def close_case(case: AidCase, *, summary: str, acting_user: User) -> AidCase:
    """结案: only with the closing materials the pack requires."""
    _require_provider(acting_user, case)
    summary = clean_text(summary, MAX_TEXT, "summary", "结案报告")
    required = policy_for_region(case.region).closing_materials
    with transaction.atomic():
        case = lock(case)
        to_status = check_transition(CASE_FLOW, case.status, "close")
        present = set(case.documents.values_list("kind", flat=True))
        missing = [DocumentKind(kind).label for kind in required if kind not in present]
        if missing:
            raise InvalidInput(
                "结案前请上传：" + "、".join(str(label) for label in missing) + "。",
                code="missing_materials",
                field="documents",
            )
        case.status = to_status
        case.closed_at = timezone.now()
        case.closing_summary = summary
        case.save()
        Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=case.closed_at)
        record_event(
            "legalaid.case_closed", actor=acting_user, obj=case, detail={"number": case.number}
        )
    return case


# --- supervision ---------------------------------------------------------------------------


def plan_hearing(
    case: AidCase, *, planned_for: date | None, court: str = "", acting_user: User
) -> HearingAttendance:
    _require_officer_or_supervisor(acting_user, case)
    if planned_for is None:
        raise InvalidInput("请填写计划旁听日期。", code="required", field="planned_for")
    court = clean_text(court, 200, "court", "法院/法庭", required=False)
    with transaction.atomic():
        hearing = HearingAttendance.objects.create(
            case=case,
            planned_for=planned_for,
            court=court,
            planned_by=acting_user,
            region=case.region,
        )
        record_event("legalaid.hearing_planned", actor=acting_user, obj=hearing)
    return hearing


def record_hearing_attendance(
    hearing: HearingAttendance, *, attended_on: date | None, observations: str, acting_user: User
) -> HearingAttendance:
    _require_officer_or_supervisor(acting_user, hearing.case)
    attended_on = _past_or_today(attended_on, "attended_on", "旁听日期")
    observations = clean_text(observations, MAX_TEXT, "observations", "旁听意见")
    with transaction.atomic():
        hearing = lock(hearing)
        if hearing.attended_on is not None:
            raise Conflict("该次旁听已记录。", code="bad_state")
        hearing.attended_on = attended_on
        hearing.attended_by = acting_user
        hearing.observations = observations
        hearing.save()
        record_event("legalaid.hearing_attended", actor=acting_user, obj=hearing)
    return hearing


def record_visit(
    case: AidCase, *, visited_on: date | None, satisfaction: int, note: str = "", acting_user: User
) -> RecipientVisit:
    _require_officer_or_supervisor(acting_user, case)
    visited_on = _past_or_today(visited_on, "visited_on", "回访日期")
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise InvalidInput("满意度应为 1 至 5。", code="satisfaction", field="satisfaction")
    note = clean_text(note, MAX_NOTE, "note", "回访记录", required=False)
    with transaction.atomic():
        visit = RecipientVisit.objects.create(
            case=case,
            visited_on=visited_on,
            satisfaction=satisfaction,
            note=note,
            visited_by=acting_user,
        )
        record_event("legalaid.recipient_visited", actor=acting_user, obj=case)
    return visit


def file_complaint(
    case: AidCase, *, kind: str, description: str, acting_user: User
) -> ProviderComplaint:
    """A recipient (or staff on their behalf) complains about the provider."""
    is_recipient = case.application is not None and case.application.applicant_id == acting_user.pk
    if not (
        is_recipient
        or is_officer_of(acting_user, case.centre_id)
        or supervises(acting_user, case.region)
    ):
        raise PermissionDenied("您不能就此案件投诉。")
    kind = _choice(kind, ComplaintKind.values, "kind", "投诉事项")
    description = clean_text(description, MAX_TEXT, "description", "投诉内容")
    if case.provider_id is None:
        raise Conflict("案件尚未指派承办人员。", code="bad_state")
    with transaction.atomic():
        complaint = ProviderComplaint.objects.create(
            case=case,
            provider_id=case.provider_id,
            kind=kind,
            description=description,
            received_by=acting_user,
            region=case.region,
        )
        record_event("legalaid.complaint_received", actor=acting_user, obj=complaint)
    return complaint


def decide_complaint(
    complaint: ProviderComplaint, *, upheld: bool, outcome: str, acting_user: User
) -> ProviderComplaint:
    """An upheld complaint takes the provider out of the pool (BJ-list 一(八) exit mechanism)."""
    _require_officer_or_supervisor(acting_user, complaint.case)
    outcome = clean_text(outcome, MAX_TEXT, "outcome", "处理结果")
    with transaction.atomic():
        complaint = lock(complaint)
        complaint.status = check_transition(
            COMPLAINT_FLOW, complaint.status, "uphold" if upheld else "dismiss"
        )
        complaint.outcome = outcome
        complaint.decided_at = timezone.now()
        complaint.save()
        if upheld:
            exclude_provider(
                complaint.provider,
                reason=f"投诉属实（{complaint.get_kind_display()}）：{outcome}"[:500],
                acting_user=acting_user,
            )
        record_event(
            "legalaid.complaint_decided",
            actor=acting_user,
            obj=complaint,
            detail={"status": complaint.status},
        )
    return complaint


# --- quality -------------------------------------------------------------------------------


def grade_for(score: int, thresholds: dict[str, int]) -> str:
    if score >= thresholds["excellent"]:
        return QualityGrade.EXCELLENT
    if score >= thresholds["good"]:
        return QualityGrade.GOOD
    if score >= thresholds["pass"]:
        return QualityGrade.PASS
    return QualityGrade.FAIL


def review_case(
    case: AidCase,
    *,
    method: str,
    score: int,
    comments: str = "",
    court_opinion: str = "",
    procuratorate_opinion: str = "",
    expert: ExpertPoolMember | None = None,
    acting_user: User,
) -> QualityReview:
    """Quality review of a closed case: peer or expert, optionally with court and
    procuratorate opinions (BJ-measures 11)."""
    if not supervises(acting_user, case.region):
        raise PermissionDenied("只有司法行政管理人员可以评估案件质量。")
    method = _choice(method, ReviewMethod.values, "method", "评估方式")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise InvalidInput("评分应为 0 至 100 的整数。", code="score", field="score")
    if method == ReviewMethod.EXPERT and expert is None:
        raise InvalidInput("专家评查请选择专家库中的专家。", code="required", field="expert")
    texts = {
        "comments": clean_text(comments, MAX_TEXT, "comments", "评估意见", required=False),
        "court_opinion": clean_text(
            court_opinion, MAX_TEXT, "court_opinion", "法院意见", required=False
        ),
        "procuratorate_opinion": clean_text(
            procuratorate_opinion, MAX_TEXT, "procuratorate_opinion", "检察院意见", required=False
        ),
    }
    thresholds = policy_for_region(case.region).grade_thresholds
    with transaction.atomic():
        case = lock(case)
        check_transition(CASE_FLOW, case.status, "review")
        review = QualityReview.objects.create(
            case=case,
            method=method,
            expert=expert,
            score=score,
            grade=grade_for(score, thresholds),
            reviewed_by=acting_user,
            region=case.region,
            **texts,
        )
        record_event(
            "legalaid.case_reviewed",
            actor=acting_user,
            obj=case,
            detail={"number": case.number, "grade": review.grade},
        )
    return review


def _period_bounds(period: str) -> tuple[datetime, datetime]:
    try:
        if len(period) == 4:
            start = date(int(period), 1, 1)
            end = date(start.year + 1, 1, 1)
        elif len(period) == 7 and period[4] == "-":
            start = date(int(period[:4]), int(period[5:]), 1)
            end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        else:
            raise ValueError(period)
    except ValueError:
        raise InvalidInput("期间应为 YYYY 或 YYYY-MM。", code="period", field="period") from None
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, datetime.min.time(), tzinfo=tz),
        datetime.combine(end, datetime.min.time(), tzinfo=tz),
    )


def draw_quality_sample(centre: Institution, *, period: str, acting_user: User) -> QualitySample:
    """Draw ceil(share × closed cases) closed cases of the period, at least one when any closed.

    Reproducible: seeded by centre and period, so the same draw can be checked by anyone; drawing
    twice returns the first draw."""
    if not (is_officer_of(acting_user, centre.pk) or supervises(acting_user, centre.region)):
        raise PermissionDenied("只有本中心工作人员或司法行政管理人员可以抽取评估案件。")
    start, end = _period_bounds((period or "").strip())
    existing = QualitySample.objects.filter(centre=centre, period=period).first()
    if existing is not None:
        return existing
    share = policy_for_region(centre.region).quality_sample_share
    closed = sorted(
        AidCase.objects.filter(
            centre=centre, status=CaseStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
        ).values_list("pk", flat=True)
    )
    size = sample_size(len(closed), share)
    drawn = random.Random(f"{centre.pk}:{period}").sample(closed, size)
    with transaction.atomic():
        sample = QualitySample.objects.create(
            centre=centre,
            period=period,
            share=share,
            closed_count=len(closed),
            drawn_by=acting_user,
        )
        sample.cases.set(drawn)
        record_event(
            "legalaid.quality_sample_drawn",
            actor=acting_user,
            obj=sample,
            detail={"period": period, "closed": len(closed), "drawn": sorted(drawn)},
        )
    return sample


def sample_size(closed: int, share: Decimal) -> int:
    if closed == 0:
        return 0
    return min(closed, max(1, math.ceil(Decimal(closed) * share)))


def add_expert(
    region: Region, *, name: str, affiliation: str, organisation: str = "", acting_user: User
) -> ExpertPoolMember:
    if not supervises(acting_user, region):
        raise PermissionDenied("只有司法行政管理人员可以管理专家库。")
    name = clean_text(name, 50, "name", "专家姓名")
    affiliation = _choice(
        affiliation, ExpertPoolMember.Affiliation.values, "affiliation", "专家来源"
    )
    organisation = clean_text(organisation, 200, "organisation", "单位", required=False)
    with transaction.atomic():
        expert = ExpertPoolMember.objects.create(
            region=region, name=name, affiliation=affiliation, organisation=organisation
        )
        record_event("legalaid.expert_added", actor=acting_user, obj=expert)
    return expert


# --- duty lawyers --------------------------------------------------------------------------


def add_duty_shift(
    member: ProviderPoolMember,
    *,
    place_kind: str,
    place_name: str,
    on_date: date | None,
    acting_user: User,
) -> DutyShift:
    _require_officer(acting_user, member.centre_id)
    if member.status != PoolStatus.ACTIVE:
        raise InvalidInput("已清退的人员不能排班。", code="provider_not_eligible", field="provider")
    place_kind = _choice(place_kind, DutyPlaceKind.values, "place_kind", "值班场所类别")
    place_name = clean_text(place_name, 200, "place_name", "值班场所")
    if on_date is None:
        raise InvalidInput("请填写值班日期。", code="required", field="on_date")
    try:
        with transaction.atomic():
            shift = DutyShift.objects.create(
                centre_id=member.centre_id,
                place_kind=place_kind,
                place_name=place_name,
                on_date=on_date,
                provider=member,
            )
            record_event("legalaid.duty_shift_added", actor=acting_user, obj=shift)
    except IntegrityError:
        raise Conflict("该人员当天已在此处值班。", code="duplicate") from None
    return shift


def record_duty_help(
    shift: DutyShift, *, person_name: str, kind: str, note: str = "", acting_user: User
) -> DutyHelp:
    """The help a duty lawyer gave (art. 30); recorded by the lawyer or the centre."""
    own = Practitioner.objects.filter(pk=shift.provider.practitioner_id, user=acting_user).exists()
    if not (own or is_officer_of(acting_user, shift.centre_id)):
        raise PermissionDenied("只有值班律师本人或中心工作人员可以记录。")
    person_name = clean_text(person_name, 50, "person_name", "受帮助人姓名")
    kind = _choice(kind, DutyHelpKind.values, "kind", "帮助类别")
    note = clean_text(note, MAX_NOTE, "note", "说明", required=False)
    with transaction.atomic():
        help_given = DutyHelp.objects.create(
            shift=shift, person_name=person_name, kind=kind, note=note
        )
        record_event("legalaid.duty_help_recorded", actor=acting_user, obj=help_given)
    return help_given


# --- sweeps --------------------------------------------------------------------------------


def overdue_assignments(now: datetime | None = None) -> list[AidCase]:
    """Cases past their assignment deadline and still unassigned (the notices first)."""
    now = now or timezone.now()
    cases = AidCase.objects.filter(
        status=CaseStatus.AWAITING_ASSIGNMENT, assignment_due_at__lt=now
    ).select_related("centre")
    return sorted(cases, key=lambda c: (c.origin != CaseOrigin.NOTICE, c.assignment_due_at))
