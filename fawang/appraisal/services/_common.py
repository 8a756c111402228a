"""What the appraisal use cases share: limits, the code alphabet, who may act."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from fawang.appraisal.models import (
    Entrustment,
    InstitutionHead,
)
from fawang.core import scope
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Role,
    User,
)

MAX_TEXT = 2000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# --- who may act ------------------------------------------------------------------------------


def is_appraiser_of(user: User, institution_id: int) -> bool:
    return user.role == Role.APPRAISER and user.institution_id == institution_id


def is_head_of(user: User, institution_id: int) -> bool:
    return (
        is_appraiser_of(user, institution_id)
        and InstitutionHead.objects.filter(institution_id=institution_id, user=user).exists()
    )


def supervises(user: User, institution: Institution) -> bool:
    return scope.supervises(user, institution.region)


# 资质认定 and 母体 are recorded by a 司法局 (city or district); a 司法所 does not.
BUREAU_ROLES = frozenset({Role.SUPERVISOR_CITY, Role.SUPERVISOR_DISTRICT})


def records_accreditation(user: User, institution: Institution) -> bool:
    return user.role in BUREAU_ROLES and supervises(user, institution)


def _require_appraiser(user: User, entrustment: Entrustment) -> None:
    if not is_appraiser_of(user, entrustment.institution_id):
        raise PermissionDenied(_("只有本鉴定机构的司法鉴定人可以进行此操作。"))


def _require_supervisor(user: User, institution: Institution) -> None:
    if not supervises(user, institution):
        raise PermissionDenied(_("只有主管该鉴定机构的司法行政机关可以进行此操作。"))


def active_institution(institution_id: Any) -> Institution:
    if not isinstance(institution_id, int) or isinstance(institution_id, bool):
        raise InvalidInput(_("请选择司法鉴定机构。"), code="required", field="institution_id")
    found = (
        Institution.objects.filter(
            pk=institution_id,
            kind=InstitutionKind.APPRAISAL_INSTITUTION,
            status=InstitutionStatus.ACTIVE,
        )
        .select_related("region")
        .first()
    )
    if found is None:
        raise InvalidInput(
            _("所选司法鉴定机构不存在或已停止执业。"), code="no_institution", field="institution_id"
        )
    return found
