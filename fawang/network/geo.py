"""Positions: district boundaries from the packaged GeoJSON, imported village and point positions,
and the documented estimate (估算位置) for those not imported yet.

The estimate (docs/network.md): a township's anchor is a point drawn inside its district's polygon
with a generator seeded by the township's code; its villages are spread around the anchor (normal,
sigma = half the radius of a township-sized share of the district), kept inside the polygon. A
station without coordinates stands at its township's anchor, a room at its village, a centre at
the district's label point. The same code always gives the same point. Estimated positions are
flagged everywhere they are used, and coverage built on them is "估算".
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from fawang.core.models import Region, RegionLevel

BOUNDARY_DIR = Path(__file__).parent / "data" / "boundaries"
BOUNDARY_FILES = {"110000000000": "beijing.geojson", "130100000000": "shijiazhuang.geojson"}
# Districts the packaged data set does not draw: the estimate uses the named neighbour's shape
# (北京经济技术开发区 lies in 大兴区).
SHAPE_OF = {"北京经济技术开发区": "大兴区"}
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class District:
    name: str
    label: tuple[float, float]  # longitude, latitude
    rings: tuple[np.ndarray, ...]  # outer rings, each (n, 2) lon/lat

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        inside = np.zeros(lon.shape, dtype=bool)
        for ring in self.rings:
            inside |= _in_ring(ring, lon, lat)
        return inside

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        stacked = np.vstack(self.rings)
        return (*stacked.min(axis=0), *stacked.max(axis=0))


def _in_ring(ring: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd ray casting, vectorised over the points."""
    xi, yi = ring[:, 0], ring[:, 1]
    xj, yj = np.roll(xi, 1), np.roll(yi, 1)
    px, py = x[:, None], y[:, None]
    crosses = (yi > py) != (yj > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = (xj - xi) * (py - yi) / (yj - yi) + xi
    return np.logical_and(crosses, px < x_at).sum(axis=1) % 2 == 1


@lru_cache(maxsize=4)
def boundaries(city_code: str) -> dict[str, District]:
    """The city's districts by Chinese name; empty for a city without packaged boundaries."""
    name = BOUNDARY_FILES.get(city_code)
    if name is None:
        return {}
    data = json.loads((BOUNDARY_DIR / name).read_text(encoding="utf-8"))
    result: dict[str, District] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = tuple(np.asarray(polygon[0], dtype=float) for polygon in polygons)
        props = feature["properties"]
        result[props["name"]] = District(props["name"], tuple(props["cp"]), rings)
    return result


def boundary_geojson(city_code: str) -> str:
    name = BOUNDARY_FILES.get(city_code)
    return (BOUNDARY_DIR / name).read_text(encoding="utf-8") if name else ""


def distance_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance (haversine), broadcasting: (n,1) against (m,) gives (n, m)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


@dataclass
class Positions:
    """Longitude/latitude of every region of one city by pk, with the estimated ones flagged."""

    lon: dict[int, float]
    lat: dict[int, float]
    estimated: set[int]

    def of(self, region_id: int) -> tuple[float, float, bool] | None:
        if region_id not in self.lat:
            return None
        return self.lat[region_id], self.lon[region_id], region_id in self.estimated


def _seeded(code: str) -> np.random.Generator:
    return np.random.default_rng(int(code))


def _draw_inside(district: District, rng: np.random.Generator) -> tuple[float, float]:
    x0, y0, x1, y1 = district.bbox
    for _ in range(50):
        lon, lat = rng.uniform(x0, x1, 64), rng.uniform(y0, y1, 64)
        hits = np.flatnonzero(district.contains(lon, lat))
        if hits.size:
            return float(lon[hits[0]]), float(lat[hits[0]])
    return district.label


def _spread(
    district: District, anchor: tuple[float, float], sigma: float, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    lon = rng.normal(anchor[0], sigma, n * 4)
    lat = rng.normal(anchor[1], sigma, n * 4)
    inside = np.flatnonzero(district.contains(lon, lat))[:n]
    out_lon, out_lat = np.full(n, anchor[0]), np.full(n, anchor[1])
    out_lon[: inside.size], out_lat[: inside.size] = lon[inside], lat[inside]
    return out_lon, out_lat


def _area_deg2(district: District) -> float:
    total = 0.0
    for ring in district.rings:
        x, y = ring[:, 0], ring[:, 1]
        total += abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))) / 2
    return total


def city_positions(city: Region, imported: dict[int, tuple[float, float]]) -> Positions:
    """Positions of the city's districts, townships and villages. ``imported``: region pk →
    (lat, lon) from the bureau's GIS; every other village and township is estimated."""
    shapes = boundaries(city.code)
    regions = list(
        Region.objects.filter(path__startswith=city.path)
        .order_by("code")
        .values_list("pk", "code", "name", "level", "parent_id")
    )
    children: dict[int | None, list[tuple[int, str, str, str, int | None]]] = defaultdict(list)
    for row in regions:
        children[row[4]].append(row)
    pos = Positions({}, {}, set())
    district_rows = children.get(city.pk, [])
    for pk, _code, name, _level, _parent in district_rows:
        shape = shapes.get(SHAPE_OF.get(name, name))
        if shape is None:
            continue
        if pk in imported:
            pos.lat[pk], pos.lon[pk] = imported[pk]
        else:
            pos.lon[pk], pos.lat[pk] = shape.label
            pos.estimated.add(pk)
        townships = children.get(pk, [])
        radius = math.sqrt(_area_deg2(shape) / max(len(townships), 1) / math.pi)
        for t_pk, t_code, _n, _l, _p in townships:
            rng = _seeded(t_code)
            anchor = _draw_inside(shape, rng)
            if t_pk in imported:
                lat, lon = imported[t_pk]
                pos.lat[t_pk], pos.lon[t_pk] = lat, lon
                anchor = (lon, lat)
            else:
                pos.lon[t_pk], pos.lat[t_pk] = anchor
                pos.estimated.add(t_pk)
            villages = children.get(t_pk, [])
            lon_arr, lat_arr = _spread(shape, anchor, radius / 2, len(villages), rng)
            for i, (v_pk, *_rest) in enumerate(villages):
                if v_pk in imported:
                    pos.lat[v_pk], pos.lon[v_pk] = imported[v_pk]
                else:
                    pos.lon[v_pk], pos.lat[v_pk] = float(lon_arr[i]), float(lat_arr[i])
                    pos.estimated.add(v_pk)
    if district_rows:
        lats = [pos.lat[r[0]] for r in district_rows if r[0] in pos.lat]
        lons = [pos.lon[r[0]] for r in district_rows if r[0] in pos.lon]
        if lats:
            pos.lat[city.pk], pos.lon[city.pk] = sum(lats) / len(lats), sum(lons) / len(lons)
            pos.estimated.add(city.pk)
    return pos


def is_urban_community(code: str) -> bool:
    """GB/T 10114 village-level codes: 001–199 居民委员会 (urban community), 200–399 村民委员会."""
    return code[9:12] < "200"


def region_level_order(level: str) -> int:
    return [
        RegionLevel.CITY,
        RegionLevel.DISTRICT,
        RegionLevel.TOWNSHIP,
        RegionLevel.VILLAGE,
    ].index(RegionLevel(level))
