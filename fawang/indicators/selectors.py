"""Scoped reads: a supervisor sees the indicators of their own region and below, nothing else."""

from __future__ import annotations

from django.db.models import QuerySet

from fawang.core.errors import NotFound
from fawang.core.models import SUPERVISOR_ROLES, Region, Role, User
from fawang.core.selectors import NOT_FOUND_MESSAGE, one_in_scope
from fawang.indicators.models import (
    ActionItem,
    ActionPlan,
    Indicator,
    IndicatorPack,
    IndicatorReport,
    ReportedValue,
)

READER_ROLES = frozenset(SUPERVISOR_ROLES | {Role.SYSTEM_ADMIN})


def _visible_root(user: User) -> Region | None:
    if not user.is_authenticated or user.role not in READER_ROLES:
        return None
    return user.region


def get_region_for_user(user: User, code: str) -> Region:
    """The region if it lies in the user's scope; 404 otherwise (its existence is private)."""
    root = _visible_root(user)
    region = Region.objects.filter(code=code).first()
    if root is None or region is None or not root.contains(region):
        raise NotFound(NOT_FOUND_MESSAGE)
    return region


def home_region(user: User) -> Region:
    root = _visible_root(user)
    if root is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return root


def city_of(region: Region) -> Region:
    node = region
    while node.parent is not None:
        node = node.parent
    return node


def pack_for(region: Region) -> IndicatorPack | None:
    return IndicatorPack.objects.filter(city=city_of(region)).first()


def pack_for_user(user: User) -> IndicatorPack | None:
    """The pack of the user's city; the platform's administrator (no region) gets the first."""
    if user.role == Role.SYSTEM_ADMIN and user.region is None:
        return IndicatorPack.objects.order_by("code").first()
    return pack_for(home_region(user))


def indicators_for(region: Region) -> list[Indicator]:
    pack = pack_for(region)
    return list(pack.indicators.all()) if pack else []


def get_indicator_for_user(user: User, indicator_id: int) -> Indicator:
    indicator = Indicator.objects.select_related("pack__city").filter(pk=indicator_id).first()
    if indicator is None or not user.is_authenticated:
        raise NotFound(NOT_FOUND_MESSAGE)
    if user.role == Role.SYSTEM_ADMIN and user.region is None:
        return indicator  # the platform's administrator maintains every city's pack
    root = _visible_root(user)
    if root is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    if not (root.contains(indicator.pack.city) or indicator.pack.city.contains(root)):
        raise NotFound(NOT_FOUND_MESSAGE)
    return indicator


def reported_values_for_user(user: User) -> QuerySet[ReportedValue]:
    root = _visible_root(user)
    if root is None:
        return ReportedValue.objects.none()
    return ReportedValue.objects.filter(region__path__startswith=root.path).select_related(
        "indicator", "region", "reported_by", "reviewed_by"
    )


def get_reported_value_for_user(user: User, report_id: int) -> ReportedValue:
    return one_in_scope(reported_values_for_user(user), pk=report_id)


def plans_for_user(user: User) -> QuerySet[ActionPlan]:
    root = _visible_root(user)
    if root is None:
        return ActionPlan.objects.none()
    return ActionPlan.objects.filter(city=city_of(root))


def items_for_user(user: User) -> QuerySet[ActionItem]:
    root = _visible_root(user)
    if root is None:
        return ActionItem.objects.none()
    # A district sees its own items and the city's items it takes part in (read-only).
    return ActionItem.objects.filter(plan__city=city_of(root)).select_related("region", "plan")


def get_item_for_user(user: User, item_id: int) -> ActionItem:
    return one_in_scope(items_for_user(user), pk=item_id)


def reports_for_user(user: User, region: Region) -> QuerySet[IndicatorReport]:
    get_region_for_user(user, region.code)
    return IndicatorReport.objects.filter(region=region)
