"""Scoped reads: an appraiser sees their institution, a bureau its region subtree; the public
roster shows institutions and appraisers with their licensed fields, nothing personal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.appraisal.fields import ACCREDITATION_FIELDS, field_label
from fawang.appraisal.models import (
    EXPIRING_DAYS,
    Accreditation,
    AccreditationKind,
    AccreditationStatus,
    Complaint,
    Entrustment,
    InstitutionProfile,
    Opinion,
    OpinionReview,
    Sanction,
)
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    User,
)
from fawang.core.scope import scope_filter
from fawang.core.selectors import one_in_scope


def entrustments_for_user(user: User) -> QuerySet[Entrustment]:
    return (
        Entrustment.objects.filter(scope_filter(user, region="region", institution="institution"))
        .select_related("institution", "region")
        .prefetch_related("appraisers", "opinions")
    )


def get_entrustment_for_user(user: User, number: str) -> Entrustment:
    return one_in_scope(entrustments_for_user(user), number=number)


def opinions_for_user(user: User) -> QuerySet[Opinion]:
    return Opinion.objects.filter(
        scope_filter(user, region="entrustment__region", institution="entrustment__institution")
    ).select_related("entrustment__institution")


def get_opinion_for_user(user: User, case_code: str) -> Opinion:
    return one_in_scope(opinions_for_user(user), case_code=case_code)


def complaints_for_user(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        scope_filter(user, region="institution__region", institution="institution")
    ).select_related("institution", "entrustment", "appraiser", "opinion")


def get_complaint_for_user(user: User, pk: int) -> Complaint:
    return one_in_scope(complaints_for_user(user), pk=pk)


def complaints_of_citizen(user: User) -> QuerySet[Complaint]:
    """A citizen's own online complaints, nobody else's."""
    if not (user.is_authenticated and user.is_citizen):
        return Complaint.objects.none()
    return Complaint.objects.filter(citizen=user).select_related(
        "institution", "appraiser", "opinion"
    )


def complaint_targets() -> QuerySet[Institution]:
    """The institutions a citizen may complain about: the active ones of the public roster."""
    return Institution.objects.filter(
        kind=InstitutionKind.APPRAISAL_INSTITUTION, status=InstitutionStatus.ACTIVE
    ).order_by("region__path", "name")


def appraisers_of(institution_id: int) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(
        institution_id=institution_id, kind=PractitionerKind.APPRAISER
    ).order_by("name")


def reviews_for_user(user: User) -> QuerySet[OpinionReview]:
    return OpinionReview.objects.filter(
        scope_filter(user, region="institution__region", institution="institution")
    ).select_related("opinion", "institution")


def get_review_for_user(user: User, pk: int) -> OpinionReview:
    return one_in_scope(reviews_for_user(user), pk=pk)


def sanctions_for_user(user: User) -> QuerySet[Sanction]:
    return Sanction.objects.filter(
        scope_filter(user, region="institution__region", institution="institution")
    ).select_related("institution")


def get_opinion_by_code_for_user(user: User, code: str) -> Opinion:
    """A document in scope by its case code or verification code (out of scope: 404)."""
    text = (code or "").strip().upper()
    key = "case_code" if text.startswith("JD") and len(text) > 14 else "verification_code"
    return one_in_scope(opinions_for_user(user), **{key: text})


def institutions_for_user(user: User) -> QuerySet[Institution]:
    return Institution.objects.filter(
        scope_filter(user, region="region", institution="pk"),
        kind=InstitutionKind.APPRAISAL_INSTITUTION,
    ).select_related("region")


def get_institution_for_user(user: User, pk: int) -> Institution:
    return one_in_scope(institutions_for_user(user), pk=pk)


def accreditations_for_user(user: User) -> QuerySet[Accreditation]:
    return Accreditation.objects.filter(
        scope_filter(user, region="institution__region", institution="institution")
    ).select_related("institution", "renewal")


def get_accreditation_for_user(user: User, pk: int) -> Accreditation:
    return one_in_scope(accreditations_for_user(user), pk=pk)


def profile_of(institution: Institution) -> InstitutionProfile | None:
    return InstitutionProfile.objects.filter(institution=institution).first()


@dataclass(frozen=True)
class FieldAccreditation:
    """One licensed field of an institution and where its 资质认定 stands on a day."""

    field: str
    label: str
    counted: bool  # in the coverage indicators' fields (BJ-21 five, SJZ-34 four)
    status: str  # an AccreditationStatus, or "" when there is no 资质认定 at all
    status_label: str
    valid_until: date | None
    certificate_number: str


def field_accreditations(
    institutions: list[Institution], day: date
) -> dict[int, list[FieldAccreditation]]:
    """Per institution, each licensed field with its 资质认定 (CMA) on the day: the certificate in
    force that runs longest (有效, or 即将到期 within ``EXPIRING_DAYS``), else the latest one's
    status (已过期, 已撤销), else 未资质认定."""
    rows: dict[tuple[int, str], list[Accreditation]] = {}
    for row in Accreditation.objects.filter(
        institution__in=institutions, kind=AccreditationKind.CMA
    ).select_related("renewal"):
        rows.setdefault((row.institution_id, row.field), []).append(row)
    result: dict[int, list[FieldAccreditation]] = {}
    for institution in institutions:
        fields = []
        for code in institution.service_fields or []:
            found = rows.get((institution.pk, code), [])
            live = [r for r in found if r.counts_on(day)]
            latest = max(live or found, key=lambda r: (r.valid_until, r.pk), default=None)
            status = ""
            if latest is not None and live:
                soon = (latest.valid_until - day).days <= EXPIRING_DAYS
                status = AccreditationStatus.EXPIRING if soon else AccreditationStatus.VALID
            elif latest is not None:
                status = latest.status_on(day)
            fields.append(
                FieldAccreditation(
                    field=code,
                    label=field_label(code),
                    counted=code in ACCREDITATION_FIELDS,
                    status=status,
                    status_label=(
                        str(AccreditationStatus(status).label) if status else _("未资质认定")
                    ),
                    valid_until=latest.valid_until if latest else None,
                    certificate_number=latest.certificate_number if latest else "",
                )
            )
        result[institution.pk] = fields
    return result


# The statuses the roster prints the end of validity with (not 已撤销: that date says nothing).
DATED = (AccreditationStatus.VALID, AccreditationStatus.EXPIRING, AccreditationStatus.EXPIRED)


def roster(search: str = "", field: str = "") -> list[dict[str, Any]]:
    """The public roster (名册): institutions with licence, status, address, licensed fields,
    integrity grade, and their appraisers with licence number, fields and status."""
    from fawang.appraisal.services import integrity

    qs = Institution.objects.filter(kind=InstitutionKind.APPRAISAL_INSTITUTION).select_related(
        "region"
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(address__icontains=search))
    people = Practitioner.objects.filter(
        kind=PractitionerKind.APPRAISER, institution__in=qs
    ).order_by("name")
    by_institution: dict[int, list[dict[str, Any]]] = {}
    for person in people:
        by_institution.setdefault(person.institution_id, []).append(
            {
                "name": person.name,
                "licence_number": person.licence_number,
                "fields": [field_label(f) for f in person.specialties or []],
                "title": person.title,
                "status": person.get_status_display(),
            }
        )
    rows = []
    institutions = [i for i in qs if not field or field in (i.service_fields or [])]
    accreditation = field_accreditations(institutions, timezone.localdate())
    for institution in institutions:
        fields = list(institution.service_fields or [])
        grade = integrity(institution)
        rows.append(
            {
                "id": institution.pk,
                "name": institution.name,
                "licence_number": institution.licence_number,
                "status": institution.get_status_display(),
                "address": institution.address,
                "fields": [field_label(f) for f in fields],
                "grade": grade.grade,
                "accreditations": [
                    {
                        "field": f.label,
                        "status": f.status_label,
                        "valid_until": f.valid_until if f.status in DATED else None,
                    }
                    for f in accreditation[institution.pk]
                ],
                "appraisers": by_institution.get(institution.pk, []),
            }
        )
    return rows


def qualified_appraisers(entrustment: Entrustment) -> list[Practitioner]:
    """Practising appraisers of the entrusted institution licensed in the entrustment's field."""
    return [
        person
        for person in Practitioner.objects.filter(
            kind=PractitionerKind.APPRAISER,
            institution_id=entrustment.institution_id,
            status=PractitionerStatus.PRACTISING,
        ).order_by("name")
        if entrustment.field in (person.specialties or [])
    ]
