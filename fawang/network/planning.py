"""Coverage planning for one city from the records: villages with their positions (imported or
估算), open points with their services, travel time per basic service, shares, the uncovered list
and the siting recommendation. The arithmetic is in ``network.coverage``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max

from fawang.core.models import Region, RegionLevel
from fawang.network import coverage, geo
from fawang.network.models import PointStatus, ServicePoint, VillagePosition
from fawang.network.policy import NetworkPolicy, network_policy


@dataclass(frozen=True)
class Village:
    pk: int
    code: str
    name: str
    township_id: int
    district_id: int
    lat: float
    lon: float
    estimated: bool
    urban: bool
    mountain: bool


@dataclass(frozen=True)
class PlacedPoint:
    pk: int
    name: str
    level: str
    lat: float
    lon: float
    estimated: bool
    services: tuple[str, ...]


@dataclass
class CityCoverage:
    city: Region
    policy: NetworkPolicy
    villages: list[Village]
    points: list[PlacedPoint]
    positions: geo.Positions
    region: coverage.Region
    by_service: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    weight_basis: str = "villages"  # or "population"

    @property
    def estimated(self) -> bool:
        """True when any village or point position behind the figures is an estimate."""
        return any(v.estimated for v in self.villages) or any(p.estimated for p in self.points)

    def service_points(self, service: str) -> list[PlacedPoint]:
        return [p for p in self.points if service in p.services]

    def times(self, service: str) -> tuple[np.ndarray, np.ndarray]:
        """(index into service_points(service), minutes) for every village; computed once."""
        if service not in self.by_service:
            offering = self.service_points(service)
            lat = np.array([p.lat for p in offering])
            lon = np.array([p.lon for p in offering])
            self.by_service[service] = coverage.nearest(self.region, lat, lon)
        return self.by_service[service]

    def shares(self, service: str, level: str) -> dict[int, coverage.Share]:
        _, minutes = self.times(service)
        if level == RegionLevel.CITY:
            groups = np.zeros(len(self.villages), dtype=np.int64) + self.city.pk
        else:
            attr = "township_id" if level == RegionLevel.TOWNSHIP else "district_id"
            groups = np.array([getattr(v, attr) for v in self.villages], dtype=np.int64)
        return coverage.shares(self.region, minutes, groups)

    def uncovered(self, service: str) -> list[tuple[Village, float, PlacedPoint | None]]:
        index, minutes = self.times(service)
        offering = self.service_points(service)
        missing = np.flatnonzero(~coverage.covered(self.region, minutes))
        return [
            (
                self.villages[i],
                float(minutes[i]),
                offering[index[i]] if index[i] >= 0 else None,
            )
            for i in missing[np.argsort(-minutes[missing], kind="stable")]
        ]

    def recommend(
        self, service: str, k: int, within: set[int] | None = None
    ) -> list[tuple[Village, float]]:
        """k new stations among the villages (candidate sites; ``within``: only these village
        pks, a district's own), each with the weight it newly covers."""
        _, minutes = self.times(service)
        already = coverage.covered(self.region, minutes)
        candidates = np.array(
            [i for i, v in enumerate(self.villages) if within is None or v.pk in within],
            dtype=np.int64,
        )
        chosen = coverage.greedy_siting(
            self.region, already, self.region.lat[candidates], self.region.lon[candidates], k
        )
        return [(self.villages[candidates[i]], gain) for i, gain in chosen]


def _imported_positions(city: Region) -> dict[int, tuple[float, float]]:
    rows = VillagePosition.objects.filter(region__path__startswith=city.path).values_list(
        "region_id", "latitude", "longitude"
    )
    return {pk: (float(lat), float(lon)) for pk, lat, lon in rows}


def point_services(point: ServicePoint, policy: NetworkPolicy) -> tuple[str, ...]:
    return tuple(point.services) or policy.functions[point.level].services


def place_points(
    points: list[ServicePoint], positions: geo.Positions, policy: NetworkPolicy
) -> list[PlacedPoint]:
    placed = []
    for p in points:
        if p.latitude is not None and p.longitude is not None:
            lat, lon, estimated = float(p.latitude), float(p.longitude), False
        else:
            known = positions.of(p.region_id)
            if known is None:
                continue
            lat, lon, estimated = known[0], known[1], True
        placed.append(
            PlacedPoint(p.pk, p.name, p.level, lat, lon, estimated, point_services(p, policy))
        )
    return placed


_CACHE: dict[int, tuple[Any, CityCoverage]] = {}


def _stamp(city: Region) -> Any:
    points = ServicePoint.objects.filter(region__path__startswith=city.path).aggregate(
        n=Count("pk"), t=Max("updated_at")
    )
    villages = VillagePosition.objects.filter(region__path__startswith=city.path).aggregate(
        n=Count("pk"), t=Max("imported_at")
    )
    return (points["n"], points["t"], villages["n"], villages["t"])


def city_positions(city: Region) -> geo.Positions:
    return geo.city_positions(city, _imported_positions(city))


def city_coverage(city: Region) -> CityCoverage:
    """The city's coverage from the records (cached until a point or a position changes)."""
    stamp = _stamp(city)
    cached = _CACHE.get(city.pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    result = build_city_coverage(city)
    _CACHE[city.pk] = (stamp, result)
    return result


def build_city_coverage(city: Region) -> CityCoverage:
    policy = network_policy(city)
    positions = city_positions(city)
    rows = Region.objects.filter(
        path__startswith=city.path, level=RegionLevel.VILLAGE
    ).values_list("pk", "code", "name", "parent_id", "parent__parent_id", "parent__parent__code",
                  "resident_population")  # fmt: skip
    villages, populations = [], []
    for pk, code, name, township, district, district_code, population in rows:
        place = positions.of(pk)
        if place is None:
            continue
        villages.append(
            Village(pk, code, name, township, district or 0, place[0], place[1], place[2],
                    geo.is_urban_community(code), district_code in policy.mountain_districts)
        )  # fmt: skip
        populations.append(population)
    by_population = bool(populations) and all(p for p in populations)
    points = ServicePoint.objects.filter(
        region__path__startswith=city.path, status=PointStatus.OPEN
    )
    region = coverage.Region(
        lat=np.array([v.lat for v in villages]),
        lon=np.array([v.lon for v in villages]),
        speed_kmh=np.array(
            [
                policy.speeds_kmh[
                    ("walking" if v.urban else "driving", "mountain" if v.mountain else "plain")
                ]
                for v in villages
            ]
        ),
        limit_min=np.array(
            [policy.urban_minutes if v.urban else policy.rural_minutes for v in villages],
            dtype=float,
        ),
        weight=np.array(populations if by_population else [1.0] * len(villages), dtype=float),
        detour=policy.detour_factor,
    )
    return CityCoverage(
        city=city,
        policy=policy,
        villages=villages,
        points=place_points(list(points), positions, policy),
        positions=positions,
        region=region,
        weight_basis="population" if by_population else "villages",
    )
