"""Scoped reads: notaries see their office; supervisors their region's offices; citizens their
own matters. The public certificate check returns nothing personal. Office grades and figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fawang.core.errors import NotFound
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Practitioner,
    PractitionerKind,
    Role,
    User,
)
from fawang.core.scope import scope_filter
from fawang.core.selectors import one_in_scope
from fawang.notary.models import (
    Certificate,
    CertificateStatus,
    Complaint,
    ComplaintStatus,
    DocumentReview,
    FaultRecord,
    MatterStatus,
    NotarialMatter,
    OfficeHead,
    Pause,
    Slot,
)
from fawang.notary.policy import notary_policy

DONE = (MatterStatus.ISSUED, MatterStatus.DELIVERED, MatterStatus.ARCHIVED)


def matters_for_user(user: User) -> QuerySet[NotarialMatter]:
    qs = NotarialMatter.objects.select_related("office", "region", "work_order", "notary")
    if not user.is_authenticated:
        return qs.none()
    if user.is_citizen:
        return qs.filter(applicant=user)
    if user.role == Role.NOTARY:
        return qs.filter(scope_filter(user, region=None, institution="office"))
    if user.role in SUPERVISOR_ROLES:
        return qs.filter(scope_filter(user, region="region", institution=None))
    return qs.none()


def get_matter_for_user(user: User, code: str) -> NotarialMatter:
    return one_in_scope(matters_for_user(user), code=code)


def offices_for_user(user: User) -> QuerySet[Institution]:
    qs = Institution.objects.filter(kind=InstitutionKind.NOTARY_OFFICE).select_related("region")
    if user.role == Role.NOTARY:
        return qs.filter(pk=user.institution_id or 0)
    if user.role in SUPERVISOR_ROLES and user.region is not None:
        return qs.filter(region__path__startswith=user.region.path)
    return qs.none()


def supervised_offices(user: User) -> QuerySet[Institution]:
    """Whose supervision records a user reads: the bureau its region's offices, an office head
    their office, anyone else none."""
    offices = offices_for_user(user)
    if user.role == Role.NOTARY:
        return offices.filter(pk__in=OfficeHead.objects.filter(user=user).values("office"))
    return offices


def is_office_head(user: User) -> bool:
    return OfficeHead.objects.filter(user=user).exists()


def notaries_for_user(user: User, limit: int = 300) -> list[Practitioner]:
    """The notaries of the offices a user sees (complaint forms name one)."""
    return list(
        Practitioner.objects.filter(
            kind=PractitionerKind.NOTARY, institution__in=offices_for_user(user)
        )
        .select_related("institution")
        .order_by("institution__name", "name")[:limit]
    )


def active_offices() -> QuerySet[Institution]:
    return Institution.objects.filter(
        kind=InstitutionKind.NOTARY_OFFICE, status=InstitutionStatus.ACTIVE
    ).order_by("region__code", "name")


def open_slots(office: Institution) -> list[Slot]:
    slots = Slot.objects.filter(office=office, starts_at__gt=timezone.now()).annotate(
        booked=Count("appointments", filter=Q(appointments__cancelled_at__isnull=True))
    )
    return [s for s in slots.order_by("starts_at")[:60] if s.booked < s.capacity]


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone may see for a verification code: nothing about the person."""

    number: str
    matter_type: str
    office: str
    issued_on: str
    status: str
    status_label: str
    revoked_on: str | None


def verify_certificate(code: str) -> PublicCertificate:
    certificate = (
        Certificate.objects.select_related("matter__office").filter(verification_code=code).first()
    )
    if certificate is None:
        raise NotFound(_("没有找到该核验码对应的公证书，请核对核验码。"))
    matter = certificate.matter
    return PublicCertificate(
        number=certificate.number,
        matter_type=matter.matter_label,
        office=matter.office.name,
        issued_on=f"{timezone.localdate(certificate.issued_at):%Y-%m-%d}",
        status=certificate.status,
        status_label=str(CertificateStatus(certificate.status).label),
        revoked_on=(
            f"{timezone.localdate(certificate.revoked_at):%Y-%m-%d}"
            if certificate.revoked_at
            else None
        ),
    )


# --- figures and grades --------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeGrade:
    score: float
    grade: str
    label: str
    review_average: float | None
    reviews: int
    complaints_upheld: int
    revocations: int
    faults: int


GRADE_LABELS = {
    "A": gettext_noop("A级（低风险·诚信优良）"),
    "B": gettext_noop("B级（一般风险·诚信良好）"),
    "C": gettext_noop("C级（较高风险·加强监督）"),
    "D": gettext_noop("D级（高风险·重点监督）"),
}


def office_grade(office: Institution) -> OfficeGrade:
    """“风险+诚信” grade (BJ-list 一(五)); the rule and its numbers are in the pack and in
    docs/notary.md: score = average review score in the window (or the base without reviews)
    − penalty × upheld complaints − penalty × revoked certificates − penalty × fault records."""
    rule = notary_policy(office.region).grade
    since = timezone.now() - timedelta(days=rule.window_days)
    reviewed = DocumentReview.objects.filter(
        matter__office=office, reviewed_at__gte=since, score__isnull=False
    ).aggregate(avg=Avg("score"), n=Count("id"))
    upheld = Complaint.objects.filter(
        office=office, status=ComplaintStatus.UPHELD, decided_at__gte=since
    ).count()
    revoked = Certificate.objects.filter(
        matter__office=office, status=CertificateStatus.REVOKED, revoked_at__gte=since
    ).count()
    faults = FaultRecord.objects.filter(office=office, recorded_at__gte=since).count()
    average = float(reviewed["avg"]) if reviewed["avg"] is not None else None
    base = average if average is not None else float(rule.base_without_reviews)
    score = max(
        0.0,
        base
        - rule.complaint_upheld_penalty * upheld
        - rule.revocation_penalty * revoked
        - rule.fault_penalty * faults,
    )
    grade = next((g for g, low in rule.thresholds.items() if score >= low), "D")
    return OfficeGrade(
        round(score, 1),
        grade,
        _(GRADE_LABELS[grade]),
        average,
        reviewed["n"],
        upheld,
        revoked,
        faults,
    )


@dataclass(frozen=True)
class OfficeFigures:
    office: Institution
    matters: int
    open: int
    done: int
    overdue: int
    average_days: float | None
    one_visit_share: float | None
    complaints: int
    grade: OfficeGrade


def office_figures(office: Institution) -> OfficeFigures:
    matters = NotarialMatter.objects.filter(office=office)
    done = list(
        matters.filter(status__in=DONE)
        .annotate(n_visits=Count("visits"))
        .select_related("certificate")
    )
    days = [
        (m.certificate.issued_at - m.submitted_at).total_seconds() / 86400
        for m in done
        if hasattr(m, "certificate")
    ]
    one_visit = sum(1 for m in done if m.n_visits <= 1)
    now = timezone.now()
    overdue = (
        matters.filter(
            status__in=(
                MatterStatus.ACCEPTED,
                MatterStatus.AWAITING_APPROVAL,
                MatterStatus.APPROVED,
            ),
            due_at__lt=now,
        )
        .exclude(pk__in=Pause.objects.filter(ended_at__isnull=True).values("matter_id"))
        .count()
    )
    return OfficeFigures(
        office=office,
        matters=matters.count(),
        open=matters.exclude(status__in=(*DONE, MatterStatus.REFUSED)).count(),
        done=len(done),
        overdue=overdue,
        average_days=round(sum(days) / len(days), 1) if days else None,
        one_visit_share=round(100 * one_visit / len(done), 1) if done else None,
        complaints=Complaint.objects.filter(office=office).count(),
        grade=office_grade(office),
    )


def figures_for_user(user: User) -> list[OfficeFigures]:
    offices = supervised_offices(user)
    return [office_figures(o) for o in offices.order_by("region__code", "name")]


def reviews_for_user(user: User) -> QuerySet[DocumentReview]:
    offices = supervised_offices(user)
    return DocumentReview.objects.filter(matter__office__in=offices).select_related(
        "matter__office", "reviewer"
    )


def complaints_for_user(user: User) -> QuerySet[Complaint]:
    if user.is_citizen:
        return Complaint.objects.filter(complainant=user).select_related("office")
    return Complaint.objects.filter(office__in=supervised_offices(user)).select_related(
        "office", "notary", "matter"
    )


def faults_for_user(user: User) -> QuerySet[FaultRecord]:
    return FaultRecord.objects.filter(office__in=supervised_offices(user)).select_related(
        "notary", "office"
    )


def one_visit_share(matters: QuerySet[NotarialMatter]) -> Decimal | None:
    done = matters.filter(status__in=DONE).annotate(n=Count("visits"))
    total = done.count()
    if not total:
        return None
    return Decimal(100 * done.filter(n__lte=1).count() / total).quantize(Decimal("0.1"))
