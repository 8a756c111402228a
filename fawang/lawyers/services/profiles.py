"""Lawyer-line use cases: firm and lawyer profiles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.models import User
from fawang.core.validation import clean_choice, clean_text
from fawang.lawyers.models import FirmProfile, FirmType, ForeignTalent, LawyerKind, LawyerProfile
from fawang.lawyers.services._common import _firm, _person, _require_supervisor


def _count(value: Any, field: str, label: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("%(label)s应为整数。") % {"label": label}, code="bad_number", field=field
        ) from None
    if number < 0:
        raise InvalidInput(
            _("%(label)s不能为负数。") % {"label": label}, code="bad_number", field=field
        )
    return number


def save_firm_profile(
    institution_id: Any,
    *,
    firm_type: str,
    party_members: Any,
    party_instructor: str,
    foreign_branches: Any,
    international_leading: bool,
    acting_user: User,
) -> FirmProfile:
    """The bureau keeps the firm's type, party members and instructor (BJ-list 一(一)), overseas
    branches (规划 一(四)) and the 国际一流 flag (SJZ 专栏1 第10项)."""
    firm = _firm(institution_id)
    _require_supervisor(acting_user, firm.region)
    values = {
        "firm_type": clean_choice(firm_type, FirmType.values, "firm_type", "机构类型"),
        "party_members": _count(party_members, "party_members", _("党员律师人数")),
        "party_instructor": clean_text(
            party_instructor, 50, "party_instructor", "党建工作指导员", required=False
        ),
        "foreign_branches": _count(foreign_branches, "foreign_branches", _("境外分支机构数")),
        "international_leading": bool(international_leading),
    }
    with transaction.atomic():
        profile, _created = FirmProfile.objects.update_or_create(institution=firm, defaults=values)
        record_event(
            "lawyers.profile_saved", actor=acting_user, obj=profile, detail={"firm": firm.pk}
        )
    return profile


def save_lawyer_profile(
    practitioner_id: Any,
    *,
    lawyer_kind: str,
    foreign_related: bool,
    jurisdictions: list[str],
    foreign_talent: str,
    is_firm_admin: bool,
    acting_user: User,
) -> LawyerProfile:
    person = _person(practitioner_id)
    _require_supervisor(acting_user, person.institution.region)
    places = [clean_text(j, 30, "jurisdictions", "法域") for j in jurisdictions if j.strip()]
    values = {
        "lawyer_kind": clean_choice(lawyer_kind, LawyerKind.values, "lawyer_kind", "律师类别"),
        "foreign_related": bool(foreign_related),
        "jurisdictions": places,
        "foreign_talent": clean_choice(
            foreign_talent, ForeignTalent.values, "foreign_talent", "涉外人才层次"
        ),
        "is_firm_admin": bool(is_firm_admin),
    }
    with transaction.atomic():
        profile, _created = LawyerProfile.objects.update_or_create(
            practitioner=person, defaults=values
        )
        record_event(
            "lawyers.profile_saved", actor=acting_user, obj=profile, detail={"person": person.pk}
        )
    return profile
