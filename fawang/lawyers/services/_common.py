"""Lawyer-line use cases: who may act, and the checks of input every use case shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

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
        raise PermissionDenied(_("只有主管该地区的司法行政机关可以进行此操作。"))


def own_practitioner(user: User) -> Practitioner:
    """The lawyer (or basic legal service worker) the account belongs to."""
    person = (
        Practitioner.objects.filter(user=user, kind__in=PERSON_KINDS)
        .select_related("institution__region")
        .first()
    )
    if user.role != Role.LAWYER or person is None:
        raise PermissionDenied(_("只有执业律师（基层法律服务工作者）本人可以进行此操作。"))
    return person


def is_firm_admin(user: User) -> bool:
    if user.role != Role.LAWYER:
        return False
    return LawyerProfile.objects.filter(practitioner__user=user, is_firm_admin=True).exists()


def _firm(institution_id: Any, field: str = "institution_id") -> Institution:
    firms = Institution.objects.filter(kind__in=FIRM_KINDS).select_related("region")
    pk = _id(institution_id, field, _("请选择机构。"))
    return _chosen(firms, pk, field, _("所选律师事务所（基层法律服务所）不存在。"))


def _person(practitioner_id: Any, field: str = "practitioner_id") -> Practitioner:
    people = Practitioner.objects.filter(kind__in=PERSON_KINDS).select_related(
        "institution__region"
    )
    pk = _id(practitioner_id, field, _("请选择人员。"))
    return _chosen(people, pk, field, _("所选律师（基层法律服务工作者）不存在。"))


def _chosen(queryset: QuerySet[M], pk: int, field: str, message: str) -> M:
    """The row of ``queryset`` with ``pk``; ``message`` (translated) when there is none."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(message, code="unknown", field=field)
    return found


def _id(value: Any, field: str, message: str) -> int:
    """``value`` as an id; ``message`` (translated, "please choose …") when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(message, code="required", field=field) from None


def _day(value: Any, field: str, message: str) -> date:
    """``value`` as a date; ``message`` (translated, naming the field) when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(message, code="bad_date", field=field) from None


def _region(code: Any, field: str = "region_code") -> Region:
    found = Region.objects.filter(code=str(code or "").strip()).first()
    if found is None:
        raise InvalidInput(_("请选择所在地区。"), code="required", field=field)
    return found
