"""What part of the data a user may see: a region subtree and/or an institution.

Every selector filters with :func:`scope_filter`; a staff account without a region or
institution sees nothing (a query without a scope is a bug, not an "all").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from fawang.core.models import INSTITUTION_SCOPED_ROLES, SUPERVISOR_ROLES, Region, User


@dataclass(frozen=True)
class Scope:
    region_path: str | None = None
    institution_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return self.region_path is None and self.institution_id is None


def scope_of(user: User) -> Scope:
    if not user.is_authenticated or user.is_citizen:
        return Scope()
    if user.role in INSTITUTION_SCOPED_ROLES:
        return Scope(institution_id=user.institution_id)
    if user.region is not None:
        return Scope(region_path=user.region.path)
    return Scope()


def scope_filter(user: User, *, region: str | None, institution: str | None) -> Q:
    """A Q that keeps rows in the user's scope.

    ``region`` is the path to the row's Region (e.g. ``"institution__region"``), ``institution``
    the path to its Institution (``"pk"`` when the row is an Institution); either may be None
    when the row has no such link.
    """
    scope = scope_of(user)
    if scope.institution_id is not None and institution is not None:
        key = "pk" if institution == "pk" else f"{institution}_id"
        return Q(**{key: scope.institution_id})
    if scope.region_path is not None and region is not None:
        return Q(**{f"{region}__path__startswith": scope.region_path})
    return Q(pk__in=[])


def supervises(user: User, region: Region | None) -> bool:
    """A 司法局 or 司法所 account whose region holds ``region`` (the lines' oversight rights)."""
    return (
        user.role in SUPERVISOR_ROLES and user.region is not None and user.region.contains(region)
    )
