"""The public finder: from a place (district, township, village) or the browser's position, the
nearest open points offering a service, with distance and an estimated travel time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from fawang.core.models import Region, RegionLevel
from fawang.network import coverage, geo, planning
from fawang.network.models import ServicePoint
from fawang.network.selectors import public_points

CITY_CODES = tuple(geo.BOUNDARY_FILES)


@dataclass(frozen=True)
class Origin:
    city: Region
    lat: float
    lon: float
    estimated: bool
    walking: bool  # an urban community walks; villages, townships, districts drive
    mountain: bool
    label: str


@dataclass(frozen=True)
class Found:
    point: ServicePoint
    lat: float
    lon: float
    estimated: bool
    km: float
    minutes: int
    walking: bool


def city_of(region: Region) -> Region | None:
    code = region.path.strip("/").split("/")[0]
    return Region.objects.filter(code=code).first()


def origin_from_region(region: Region) -> Origin | None:
    city = city_of(region)
    if city is None:
        return None
    cover = planning.city_coverage(city)
    place = cover.positions.of(region.pk)
    if place is None:
        return None
    district = region.district
    mountain = district is not None and district.code in cover.policy.mountain_districts
    walking = region.level == RegionLevel.VILLAGE and geo.is_urban_community(region.code)
    return Origin(city, place[0], place[1], place[2], walking, mountain, region.name)


def origin_from_position(lat: float, lon: float) -> Origin | None:
    """The city whose packaged boundaries hold the position (None outside both)."""
    for code in CITY_CODES:
        shapes = geo.boundaries(code)
        if any(s.contains(np.array([lon]), np.array([lat]))[0] for s in shapes.values()):
            city = Region.objects.filter(code=code).first()
            if city is not None:
                return Origin(city, lat, lon, False, False, False, _("您的位置"))
    return None


def nearest_points(origin: Origin, service: str, limit: int = 10) -> list[Found]:
    cover = planning.city_coverage(origin.city)
    offering = cover.service_points(service)
    if not offering:
        return []
    lat = np.array([p.lat for p in offering])
    lon = np.array([p.lon for p in offering])
    ox, oy = coverage.project(np.array([origin.lat]), np.array([origin.lon]), origin.lat)
    px, py = coverage.project(lat, lon, origin.lat)
    km = np.hypot(px - ox, py - oy)
    order = np.argsort(km, kind="stable")[:limit]
    policy = cover.policy
    speed = policy.speeds_kmh[
        ("walking" if origin.walking else "driving", "mountain" if origin.mountain else "plain")
    ]
    objects = public_points().in_bulk([offering[i].pk for i in order])
    found = []
    for i in order:
        placed = offering[i]
        point = objects.get(placed.pk)
        if point is None:
            continue
        minutes = int(np.ceil(km[i] * policy.detour_factor / speed * 60))
        found.append(
            Found(point, placed.lat, placed.lon, placed.estimated, round(float(km[i]), 1),
                  max(minutes, 1), origin.walking)
        )  # fmt: skip
    return found
