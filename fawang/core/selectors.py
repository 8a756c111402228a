"""Scoped reads of reference data and accounts. Every function takes the acting user."""

from __future__ import annotations

from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Model, Q, QuerySet

from fawang.audit.models import AuditEvent, PersonalDataAccess
from fawang.core.errors import NotFound
from fawang.core.models import Institution, Practitioner, Region, RegionLevel, Role, User
from fawang.core.scope import scope_filter

NOT_FOUND_MESSAGE = "未找到该记录，或您无权查看。"

ModelT = TypeVar("ModelT", bound=Model)


def one_in_scope(scoped: QuerySet[ModelT], **lookup: Any) -> ModelT:
    """The one record of a user's scoped queryset matching ``lookup``; outside the scope it does
    not exist for them (404, whether or not the record exists)."""
    found = scoped.filter(**lookup).first()
    if found is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return found


def regions(*, parent_code: str | None = None, level: str | None = None) -> QuerySet[Region]:
    """Regions are public reference data: anyone may read them."""
    qs = Region.objects.all()
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if level:
        qs = qs.filter(level=level)
    return qs


def get_region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(f"未知的行政区划代码：{code}")
    return region


def region_counts(root: Region) -> dict[str, int]:
    rows = (
        Region.objects.filter(path__startswith=root.path)
        .values("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {level: 0 for level in RegionLevel.values}
    counts.update({row["level"]: row["n"] for row in rows})
    return counts


def institutions_for_user(
    user: User, *, kind: str | None = None, search: str | None = None
) -> QuerySet[Institution]:
    qs = Institution.objects.filter(
        scope_filter(user, region="region", institution="pk")
    ).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(address__icontains=search))
    return qs


def get_institution_for_user(user: User, institution_id: int) -> Institution:
    return one_in_scope(institutions_for_user(user), pk=institution_id)


def practitioners_for_user(
    user: User, *, kind: str | None = None, search: str | None = None
) -> QuerySet[Practitioner]:
    qs = Practitioner.objects.filter(
        scope_filter(user, region="institution__region", institution="institution")
    ).select_related("institution", "institution__region")
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(licence_number__icontains=search))
    return qs


def get_practitioner_for_user(user: User, practitioner_id: int) -> Practitioner:
    return one_in_scope(practitioners_for_user(user), pk=practitioner_id)


def citizens_for_user(user: User) -> QuerySet[User]:
    """A citizen sees their own account; staff see citizens registered in their region."""
    qs = User.objects.filter(role=Role.CITIZEN)
    if user.is_citizen:
        return qs.filter(pk=user.pk)
    return qs.filter(scope_filter(user, region="region", institution=None))


def get_citizen_for_user(user: User, citizen_id: int) -> User:
    return one_in_scope(citizens_for_user(user), pk=citizen_id)


def staff_accounts_for_user(user: User) -> QuerySet[User]:
    """Accounts the security administrator manages: staff in their region subtree."""
    if user.role != Role.SECURITY_ADMIN:
        return User.objects.none()
    return (
        User.objects.exclude(role=Role.CITIZEN)
        .filter(
            scope_filter(user, region="region", institution=None)
            | Q(institution__region__path__startswith=user.region.path if user.region else "-")
        )
        .select_related("region", "institution")
        .order_by("role", "username")
    )


def get_staff_account_for_user(user: User, account_id: int) -> User:
    return one_in_scope(staff_accounts_for_user(user), pk=account_id)


# --- the audit trail: for the auditor only (三权分立) -----------------------------------------


def audit_events_for_auditor(
    user: User, *, action: str | None = None, actor: str | None = None
) -> QuerySet[AuditEvent]:
    if user.role != Role.AUDITOR:
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("seal").order_by("-id")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label=actor)
    return qs


def personal_data_accesses_for_auditor(user: User) -> QuerySet[PersonalDataAccess]:
    if user.role != Role.AUDITOR:
        return PersonalDataAccess.objects.none()
    return PersonalDataAccess.objects.select_related("actor").order_by("-accessed_at")


def personal_data_labels(subject_type: str, field: str) -> tuple[str, str]:
    """What the auditor reads for a logged access: the record's and the field's Chinese names
    (the stored identifiers when the model is gone)."""
    try:
        meta = apps.get_model(subject_type)._meta
        return str(meta.verbose_name), str(meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return subject_type, field


# --- the public look-up (R2, SJZ 5 "法律服务机构人员数据信息查询") ------------------------------


def _in_region(qs: QuerySet[Any], region_code: str | None, field: str) -> QuerySet[Any]:
    if not region_code:
        return qs
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        return qs.none()
    return qs.filter(**{f"{field}__path__startswith": region.path})


def public_institutions(
    *, region_code: str | None = None, kind: str | None = None, search: str | None = None
) -> QuerySet[Institution]:
    """Institutions anyone may look up: name, kind, place, licence number, status, public phone."""
    qs = Institution.objects.select_related("region").order_by("region__code", "kind", "name")
    qs = _in_region(qs, region_code, "region")
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(name__icontains=search[:50])
    return qs


def public_practitioners(
    *,
    region_code: str | None = None,
    kind: str | None = None,
    specialty: str | None = None,
    language: str | None = None,
    search: str | None = None,
) -> QuerySet[Practitioner]:
    """Practitioners anyone may look up by their practice (licence number and status); the
    page and the API show no personal data (no phone, ID number, gender or birth date).

    Specialty and language are JSON lists, matched with ``icontains`` on the quoted code (the
    JSON text), which SQLite and PostgreSQL both run."""
    qs = Practitioner.objects.select_related("institution__region").order_by("institution", "name")
    qs = _in_region(qs, region_code, "institution__region")
    if kind:
        qs = qs.filter(kind=kind)
    if specialty:
        qs = qs.filter(specialties__icontains=f'"{specialty[:40]}"')
    if language:
        qs = qs.filter(languages__icontains=f'"{language[:10]}"')
    if search:
        qs = qs.filter(Q(name__icontains=search[:50]) | Q(licence_number__icontains=search[:50]))
    return qs
