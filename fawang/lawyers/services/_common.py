"""Lawyer-line use cases: who may act, and the checks of input every use case shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    Region,
    Role,
    User,
)
from fawang.lawyers.models import LawyerProfile

M = TypeVar("M", bound=Model)

FIRM_KINDS = (InstitutionKind.LAW_FIRM, InstitutionKind.BASIC_LEGAL_SERVICE)
PERSON_KINDS = (PractitionerKind.LAWYER, PractitionerKind.BASIC_LEGAL_WORKER)
MAX_HOURS_PER_ACTIVITY = Decimal(24)


def supervises(user: User, region: Region | None) -> bool:
    return (
        user.role in SUPERVISOR_ROLES
        and user.region is not None
        and region is not None
        and user.region.contains(region)
    )


def _require_supervisor(user: User, region: Region) -> None:
    if not supervises(user, region):
        raise PermissionDenied("只有主管该地区的司法行政机关可以进行此操作。")


def own_practitioner(user: User) -> Practitioner:
    """The lawyer (or basic legal service worker) the account belongs to."""
    person = (
        Practitioner.objects.filter(user=user, kind__in=PERSON_KINDS)
        .select_related("institution__region")
        .first()
    )
    if user.role != Role.LAWYER or person is None:
        raise PermissionDenied("只有执业律师（基层法律服务工作者）本人可以进行此操作。")
    return person


def is_firm_admin(user: User) -> bool:
    if user.role != Role.LAWYER:
        return False
    return LawyerProfile.objects.filter(practitioner__user=user, is_firm_admin=True).exists()


def _firm(institution_id: Any, field: str = "institution_id") -> Institution:
    firms = Institution.objects.filter(kind__in=FIRM_KINDS).select_related("region")
    return _chosen(firms, _id(institution_id, field, "机构"), field, "律师事务所（基层法律服务所）")


def _person(practitioner_id: Any, field: str = "practitioner_id") -> Practitioner:
    people = Practitioner.objects.filter(kind__in=PERSON_KINDS).select_related(
        "institution__region"
    )
    return _chosen(people, _id(practitioner_id, field, "人员"), field, "律师（基层法律服务工作者）")


def _chosen(queryset: QuerySet[M], pk: int, field: str, label: str) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(f"所选{label}不存在。", code="unknown", field=field)
    return found


def _id(value: Any, field: str, label: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"请选择{label}。", code="required", field=field) from None


def _day(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(f"请按“年-月-日”填写{label}。", code="bad_date", field=field) from None


def _region(code: Any, field: str = "region_code") -> Region:
    found = Region.objects.filter(code=str(code or "").strip()).first()
    if found is None:
        raise InvalidInput("请选择所在地区。", code="required", field=field)
    return found
