"""Scoped reads: a bureau sees the points and inspections in its region subtree; the public
finder sees open points only, with nothing personal (a point's phone is a service line)."""

from __future__ import annotations

from django.db.models import QuerySet

from fawang.core.models import Region, User
from fawang.core.scope import scope_filter
from fawang.core.selectors import one_in_scope
from fawang.network.models import Inspection, PointStatus, ServicePoint, VideoSession


def points_for_user(user: User) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(
        scope_filter(user, region="region", institution=None)
    ).select_related("region")


def get_point_for_user(user: User, point_id: int) -> ServicePoint:
    return one_in_scope(points_for_user(user), pk=point_id)


def inspections_for_user(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        scope_filter(user, region="point__region", institution=None)
    ).select_related("point", "point__region", "inspector")


def public_points(region: Region | None = None) -> QuerySet[ServicePoint]:
    qs = ServicePoint.objects.filter(status=PointStatus.OPEN).select_related("region")
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def video_sessions_for_citizen(user: User) -> QuerySet[VideoSession]:
    return VideoSession.objects.filter(citizen=user).select_related("point")
