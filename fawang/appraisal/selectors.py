"""Scoped reads: an appraiser sees their institution, a bureau its region subtree; the public
roster shows institutions and appraisers with their licensed fields, nothing personal."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fawang.appraisal.fields import field_label
from fawang.appraisal.models import Complaint, Entrustment, Opinion, OpinionReview, Sanction
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
    for institution in qs:
        fields = list(institution.service_fields or [])
        if field and field not in fields:
            continue
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
