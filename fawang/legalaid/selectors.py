"""Scoped reads of legal-aid records. Out of scope is 404.

Who sees what: a citizen their own applications; the officer their centre's; a provider (role
``lawyer``) only cases assigned to their practitioner record; supervisors their region subtree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from fawang.core.errors import NotFound
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Practitioner,
    PractitionerKind,
    Region,
    Role,
    User,
)
from fawang.core.selectors import one_in_scope
from fawang.legalaid.models import (
    AidApplication,
    AidCase,
    CaseOrigin,
    ComplaintStatus,
    DutyShift,
    ExpertPoolMember,
    HearingAttendance,
    Objection,
    PoolStatus,
    ProviderComplaint,
    ProviderPoolMember,
    QualityGrade,
    QualityReview,
    QualitySample,
)
from fawang.legalaid.policy import policy_for_region


def _region_q(user: User, path: str) -> Q:
    if user.role in SUPERVISOR_ROLES and user.region is not None:
        return Q(**{f"{path}__path__startswith": user.region.path})
    return Q(pk__in=[])


def applications_for_user(user: User) -> QuerySet[AidApplication]:
    qs = AidApplication.objects.select_related("centre", "region", "work_order")
    if not user.is_authenticated:
        return qs.none()
    if user.is_citizen:
        return qs.filter(applicant=user)
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(centre_id=user.institution_id)
    return qs.filter(_region_q(user, "region"))


def get_application_for_user(user: User, number: str) -> AidApplication:
    return one_in_scope(applications_for_user(user), number=number)


def cases_for_user(user: User) -> QuerySet[AidCase]:
    qs = AidCase.objects.select_related(
        "centre", "region", "provider__practitioner__institution", "application", "notice"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_citizen:
        return qs.filter(application__applicant=user)
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(centre_id=user.institution_id)
    if user.role == Role.LAWYER:
        # A provider sees the cases assigned to them, nothing else of the centre.
        return qs.filter(provider__practitioner__user=user)
    return qs.filter(_region_q(user, "region"))


def get_case_for_user(user: User, number: str) -> AidCase:
    return one_in_scope(cases_for_user(user), number=number)


def pool_for_user(user: User) -> QuerySet[ProviderPoolMember]:
    qs = ProviderPoolMember.objects.select_related("practitioner__institution", "centre")
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(centre_id=user.institution_id)
    return qs.filter(_region_q(user, "centre__region"))


def get_pool_member_for_user(user: User, member_id: int) -> ProviderPoolMember:
    return one_in_scope(pool_for_user(user), pk=member_id)


def provider_candidate_by_licence(licence_number: str) -> Practitioner:
    """A lawyer or basic legal-service worker by licence number (public register data)."""
    practitioner = (
        Practitioner.objects.filter(
            licence_number=(licence_number or "").strip(),
            kind__in=[PractitionerKind.LAWYER, PractitionerKind.BASIC_LEGAL_WORKER],
        )
        .select_related("institution")
        .first()
    )
    if practitioner is None:
        raise NotFound("未找到该执业证号的律师或基层法律服务工作者。")
    return practitioner


def hearings_for_user(user: User) -> QuerySet[HearingAttendance]:
    qs = HearingAttendance.objects.select_related("case")
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(case__centre_id=user.institution_id)
    return qs.filter(_region_q(user, "region"))


def get_hearing_for_user(user: User, hearing_id: int) -> HearingAttendance:
    return one_in_scope(hearings_for_user(user), pk=hearing_id)


def complaints_for_user(user: User) -> QuerySet[ProviderComplaint]:
    qs = ProviderComplaint.objects.select_related("case", "provider__practitioner")
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(case__centre_id=user.institution_id)
    return qs.filter(_region_q(user, "region"))


def get_complaint_for_user(user: User, complaint_id: int) -> ProviderComplaint:
    return one_in_scope(complaints_for_user(user), pk=complaint_id)


def objections_for_user(user: User) -> QuerySet[Objection]:
    """The bureau's supervisors see objections in their region; the centre its own; the citizen
    the objections to their own applications and cases."""
    qs = Objection.objects.select_related("application", "case", "centre", "region")
    if not user.is_authenticated:
        return qs.none()
    if user.is_citizen:
        return qs.filter(Q(application__applicant=user) | Q(case__application__applicant=user))
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(centre_id=user.institution_id)
    return qs.filter(_region_q(user, "region"))


def get_objection_for_user(user: User, objection_id: int) -> Objection:
    return one_in_scope(objections_for_user(user), pk=objection_id)


def experts_for_user(user: User) -> QuerySet[ExpertPoolMember]:
    if user.role in SUPERVISOR_ROLES and user.region is not None:
        # Experts of the city serve its districts: a supervisor sees those above and below.
        ancestors = user.region.ancestor_paths()
        return ExpertPoolMember.objects.filter(
            Q(region__path__startswith=user.region.path) | Q(region__path__in=ancestors),
            is_active=True,
        )
    return ExpertPoolMember.objects.none()


def get_expert_for_user(user: User, expert_id: int) -> ExpertPoolMember:
    return one_in_scope(experts_for_user(user), pk=expert_id)


def samples_for_user(user: User) -> QuerySet[QualitySample]:
    qs = QualitySample.objects.select_related("centre").prefetch_related("cases")
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(centre_id=user.institution_id)
    return qs.filter(_region_q(user, "centre__region"))


def duty_shifts_for_user(user: User) -> QuerySet[DutyShift]:
    """The centre's roster for its officer and supervisors; a lawyer sees their own shifts."""
    qs = DutyShift.objects.select_related("provider__practitioner").prefetch_related("helps")
    if user.role == Role.LEGAL_AID_OFFICER:
        return qs.filter(centre_id=user.institution_id)
    if user.role == Role.LAWYER:
        return qs.filter(provider__practitioner__user=user)
    return qs.filter(_region_q(user, "centre__region"))


def get_duty_shift_for_user(user: User, shift_id: int) -> DutyShift:
    return one_in_scope(duty_shifts_for_user(user), pk=shift_id)


# --- figures -------------------------------------------------------------------------------


@dataclass
class Figure:
    code: str
    label: str
    value: float | None
    target: float | None
    unit: str = ""

    def _display(self, number: float | None) -> str:
        if number is None:
            return "—"
        if self.unit:
            return f"{number:g} {self.unit}"
        return f"{number * 100:.1f}%"

    @property
    def value_display(self) -> str:
        return self._display(self.value)

    @property
    def target_display(self) -> str:
        return self._display(self.target)


@dataclass
class RegionFigures:
    region: Region
    year: int
    figures: list[Figure]

    def value(self, code: str) -> float | None:
        return next((f.value for f in self.figures if f.code == code), None)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def figures_for_region(region: Region, year: int) -> RegionFigures:
    """The R3 figures of a region subtree for one year, beside the pack's targets."""
    tz = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=tz)
    end = datetime(year + 1, 1, 1, tzinfo=tz)
    inside = Q(region__path__startswith=region.path)
    cases = AidCase.objects.filter(inside)
    opened = cases.filter(opened_at__gte=start, opened_at__lt=end).count()
    closed = cases.filter(closed_at__gte=start, closed_at__lt=end).count()
    notices = cases.filter(origin=CaseOrigin.NOTICE, opened_at__gte=start, opened_at__lt=end)
    notice_counts = notices.aggregate(
        received=Count("pk"),
        assigned=Count("pk", filter=Q(assigned_at__isnull=False)),
    )
    in_time = notices.filter(assigned_at__lte=F("assignment_due_at")).count()
    attended = HearingAttendance.objects.filter(
        inside, attended_on__gte=date(year, 1, 1), attended_on__lt=date(year + 1, 1, 1)
    ).count()
    reviews = QualityReview.objects.filter(inside, reviewed_at__gte=start, reviewed_at__lt=end)
    review_counts = reviews.aggregate(
        total=Count("pk"),
        good=Count("pk", filter=Q(grade__in=[QualityGrade.EXCELLENT, QualityGrade.GOOD])),
    )
    pool = ProviderPoolMember.objects.filter(
        centre__region__path__startswith=region.path, status=PoolStatus.ACTIVE
    ).aggregate(total=Count("pk"), public=Count("pk", filter=Q(is_public_sector_lawyer=True)))
    complaints = ProviderComplaint.objects.filter(
        inside, received_at__gte=start, received_at__lt=end
    )
    complaint_counts = complaints.aggregate(
        total=Count("pk"), upheld=Count("pk", filter=Q(status=ComplaintStatus.UPHELD))
    )
    population = region.resident_population
    targets = policy_for_region(region).targets
    per_100k = round(opened * 100000 / population, 2) if population else None
    figures = [
        Figure("cases_opened", "受理案件数", opened, None, "件"),
        Figure("cases_per_100k", "每十万人法律援助量", per_100k, targets["cases_per_100k"], "件"),
        Figure(
            "hearing_attendance_count",
            "旁听案件数",
            attended,
            targets["hearing_attendance_count"],
            "件",
        ),
        Figure(
            "hearing_attendance_rate",
            "旁听率",
            _ratio(attended, opened),
            targets["hearing_attendance_rate"],
        ),
        Figure(
            "spot_check_rate",
            "抽查（评估）率",
            _ratio(review_counts["total"], closed),
            targets["spot_check_rate"],
        ),
        Figure(
            "excellent_or_good_rate",
            "优良率",
            _ratio(review_counts["good"], review_counts["total"]),
            targets["excellent_or_good_rate"],
        ),
        Figure("notices_received", "通知辩护（代理）数", notice_counts["received"], None, "件"),
        Figure(
            "notice_assignment_rate",
            "通知辩护指派率",
            _ratio(notice_counts["assigned"], notice_counts["received"]),
            targets["notice_assignment_rate"],
        ),
        Figure(
            "notice_timeliness",
            "通知辩护按时指派率",
            _ratio(in_time, notice_counts["assigned"]),
            None,
        ),
        Figure(
            "public_sector_lawyer_share",
            "公职律师占比",
            _ratio(pool["public"], pool["total"]),
            targets["public_sector_lawyer_share"],
        ),
        Figure("complaints_received", "投诉数", complaint_counts["total"], None, "件"),
        Figure("complaints_upheld", "投诉属实数", complaint_counts["upheld"], None, "件"),
    ]
    return RegionFigures(region=region, year=year, figures=figures)


def figure_regions_for_user(user: User) -> list[Region]:
    """The supervisor's region and its districts (the figures are shown per district)."""
    if user.role not in SUPERVISOR_ROLES or user.region is None:
        return []
    children = list(Region.objects.filter(parent=user.region, level="district").order_by("code"))
    return [user.region, *children]
