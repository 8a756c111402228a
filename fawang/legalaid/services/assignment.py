"""The provider pool (add, exclude), eligible providers, assignment and reassignment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import (
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    User,
)
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.taxonomy import Topic
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_text
from fawang.legalaid.models import (
    AidCase,
    Assignment,
    CaseOrigin,
    CaseStatus,
    LetterKind,
    PoolStatus,
    ProviderPoolMember,
    QualificationLevel,
)
from fawang.legalaid.services._common import (
    CASE_FLOW,
    _choice,
    _require_officer,
    is_officer_of,
    supervises,
    tell_order,
)
from fawang.legalaid.services.notice import assignment_letter_text, queue_letter_to_organ

# 法律援助法 第二十六条: a case where life imprisonment or death may be imposed (and a death-penalty
# review) needs a lawyer with at least three years of *relevant* practice — counted from the
# member's criminal-defence practice on record (``criminal_practice_since``), not total years.
SERIOUS_CRIMINAL_MIN_PRACTICE_YEARS = 3
EXPERT_PRACTICE_YEARS = 10
PROVIDER_KINDS = frozenset({PractitionerKind.LAWYER, PractitionerKind.BASIC_LEGAL_WORKER})


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
    criminal_practice_since: date | None = None,
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
    if criminal_practice_since is not None and (
        criminal_practice_since > timezone.localdate()
        or (
            practitioner.practising_since is not None
            and criminal_practice_since < practitioner.practising_since
        )
    ):
        raise InvalidInput(
            "刑事辩护执业经历起始日期应在执业之后、今天之前。",
            code="criminal_practice_since",
            field="criminal_practice_since",
        )
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
                "criminal_practice_since": criminal_practice_since,
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
        members = members.filter(criminal_practice_since__lte=cutoff)
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
    tell_order(case.application, acting_user=acting_user)
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
    notice = getattr(case, "notice", None)
    if notice is not None:
        # 法律援助法 第三十六条: 指派律师并通知人民法院、人民检察院、公安机关 — through the
        # integration the notice came by.
        queue_letter_to_organ(notice, LetterKind.ASSIGNED, assignment_letter_text(case), case=case)


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


# --- sweeps --------------------------------------------------------------------------------


def overdue_assignments(now: datetime | None = None) -> list[AidCase]:
    """Cases past their assignment deadline and still unassigned (the notices first)."""
    now = now or timezone.now()
    cases = AidCase.objects.filter(
        status=CaseStatus.AWAITING_ASSIGNMENT, assignment_due_at__lt=now
    ).select_related("centre")
    return sorted(cases, key=lambda c: (c.origin != CaseOrigin.NOTICE, c.assignment_due_at))
