"""Scoped reads: a bureau sees the commissions in its region subtree, a commission's clerk only
its own commission (another commission's case or flag is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from fawang.arbitration.models import ArbitrationCase, Flag
from fawang.core.models import SUPERVISOR_ROLES, Role, User
from fawang.core.scope import scope_filter
from fawang.core.selectors import one_in_scope

READER_ROLES = frozenset({*SUPERVISOR_ROLES, Role.ARBITRATION_CLERK})


def cases_for_user(user: User) -> QuerySet[ArbitrationCase]:
    if user.role not in READER_ROLES:
        return ArbitrationCase.objects.none()
    return ArbitrationCase.objects.filter(
        scope_filter(user, region="region", institution="commission")
    ).select_related("commission", "region")


def get_case_for_user(user: User, pk: int) -> ArbitrationCase:
    return one_in_scope(cases_for_user(user), pk=pk)


def flags_for_user(user: User) -> QuerySet[Flag]:
    if user.role not in READER_ROLES:
        return Flag.objects.none()
    return Flag.objects.filter(
        scope_filter(user, region="case__region", institution="case__commission")
    ).select_related("case__commission")


def get_flag_for_user(user: User, pk: int) -> Flag:
    return one_in_scope(flags_for_user(user), pk=pk)
