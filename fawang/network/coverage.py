"""Coverage arithmetic ("城区一刻钟，农村半小时"), vectorised with numpy and free of Django.

Villages and points are projected once to kilometres (equirectangular around the mean
latitude: across one city the error is well under 1 %). Travel time = straight-line distance ×
detour factor ÷ the village's speed (its mode and terrain, from the pack). A village is covered
for a service when its nearest open point offering that service is within its limit (15 minutes
for an urban community that walks, 30 for a village that drives).

Siting (选址建议): greedy maximum coverage with lazy re-evaluation (CELF): the gain of a site
only shrinks as others are chosen, so a stale gain is an upper bound and most candidates are
never recomputed. Greedy is within 1 − 1/e of the optimum; ``exhaustive_siting`` is the exact
answer for small cases (tests compare both).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import combinations

import numpy as np

KM_PER_DEGREE = 111.32
CHUNK = 1024


@dataclass
class Region:
    """The villages of a region: position, speed (km/h), limit (minutes), weight."""

    lat: np.ndarray
    lon: np.ndarray
    speed_kmh: np.ndarray
    limit_min: np.ndarray
    weight: np.ndarray
    detour: float = 1.0

    def __post_init__(self) -> None:
        self.lat0 = float(np.mean(self.lat)) if self.lat.size else 0.0
        self.x, self.y = project(self.lat, self.lon, self.lat0)
        # Reach in km within the limit, squared: a site covers a village iff d² ≤ reach².
        self.reach2 = (self.limit_min / 60.0 * self.speed_kmh / self.detour) ** 2

    def project(self, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return project(lat, lon, self.lat0)


def project(lat: np.ndarray, lon: np.ndarray, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    scale = KM_PER_DEGREE * np.cos(np.radians(lat0))
    return np.asarray(lon, dtype=float) * scale, np.asarray(lat, dtype=float) * KM_PER_DEGREE


def nearest(region: Region, p_lat: np.ndarray, p_lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each village: the index of the nearest point and the travel time in minutes
    (index −1 and +inf when there is no point)."""
    n = region.x.size
    index = np.full(n, -1, dtype=np.int64)
    minutes = np.full(n, np.inf)
    if p_lat.size == 0 or n == 0:
        return index, minutes
    px, py = region.project(p_lat, p_lon)
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        d2 = (region.x[start:stop, None] - px[None, :]) ** 2
        d2 += (region.y[start:stop, None] - py[None, :]) ** 2
        best = np.argmin(d2, axis=1)
        index[start:stop] = best
        km = np.sqrt(d2[np.arange(stop - start), best]) * region.detour
        minutes[start:stop] = km / region.speed_kmh[start:stop] * 60.0
    return index, minutes


def covered(region: Region, minutes: np.ndarray) -> np.ndarray:
    return minutes <= region.limit_min + 1e-9


@dataclass(frozen=True)
class Share:
    weight: float
    within_15: float
    within_30: float
    meeting: float  # within the village's own limit

    def pct(self, part: float) -> float | None:
        return None if self.weight == 0 else round(100 * part / self.weight, 1)


def shares(region: Region, minutes: np.ndarray, groups: np.ndarray) -> dict[int, Share]:
    """Weighted shares within 15 / 30 minutes and within the own limit, per group id."""
    result: dict[int, Share] = {}
    ok = covered(region, minutes)
    keys, inverse = np.unique(groups, return_inverse=True)
    sums = [
        np.bincount(inverse, weights=region.weight * mask, minlength=keys.size)
        for mask in (np.ones_like(ok), minutes <= 15 + 1e-9, minutes <= 30 + 1e-9, ok)
    ]
    for i, key in enumerate(keys):
        result[int(key)] = Share(*(float(s[i]) for s in sums))
    return result


def _covers(region: Region, cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
    """(candidates × villages) booleans: the candidate site covers the village."""
    d2 = (cx[:, None] - region.x[None, :]) ** 2 + (cy[:, None] - region.y[None, :]) ** 2
    return d2 <= region.reach2[None, :] + 1e-9


class _Strip:
    """Villages sorted by x: a site only reaches villages within the widest reach of it in x, so
    each gain looks at a narrow strip of columns instead of all villages."""

    def __init__(self, region: Region, open_weight: np.ndarray):
        self.order = np.argsort(region.x, kind="stable")
        self.x, self.y = region.x[self.order], region.y[self.order]
        self.reach2 = region.reach2[self.order]
        self.reach = float(np.sqrt(self.reach2.max())) if self.reach2.size else 0.0
        self.weight = open_weight[self.order]

    def window(self, x_low: float, x_high: float) -> slice:
        low = int(np.searchsorted(self.x, x_low - self.reach, side="left"))
        high = int(np.searchsorted(self.x, x_high + self.reach, side="right"))
        return slice(low, high)

    def covers(self, cx: np.ndarray, cy: np.ndarray) -> tuple[slice, np.ndarray]:
        cols = self.window(float(cx.min()), float(cx.max()))
        d2 = (cx[:, None] - self.x[None, cols]) ** 2 + (cy[:, None] - self.y[None, cols]) ** 2
        return cols, d2 <= self.reach2[None, cols] + 1e-9

    def gains(self, cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
        cols, mask = self.covers(cx, cy)
        return mask @ self.weight[cols]


def greedy_siting(
    region: Region,
    already: np.ndarray,
    c_lat: np.ndarray,
    c_lon: np.ndarray,
    k: int,
) -> list[tuple[int, float]]:
    """Choose up to k candidate sites; returns (candidate index, weight newly covered) in order.
    ``already``: the villages covered today. Stops early when no site adds anything."""
    cx, cy = region.project(c_lat, c_lon)
    if cx.size == 0 or region.x.size == 0:
        return []
    strip = _Strip(region, region.weight * ~already)
    by_x = np.argsort(cx, kind="stable")
    bounds = np.empty(cx.size)
    step = 256  # candidates close in x share a narrow strip of villages
    for start in range(0, cx.size, step):
        chunk = by_x[start : start + step]
        bounds[chunk] = strip.gains(cx[chunk], cy[chunk])
    heap = [(-g, i) for i, g in enumerate(bounds.tolist()) if g > 0]
    heapq.heapify(heap)
    chosen: list[tuple[int, float]] = []
    fresh: set[int] = set(range(cx.size))  # the first bounds are exact gains
    while heap and len(chosen) < k:
        _, i = heapq.heappop(heap)
        if i not in fresh:  # stale bound: recompute and put back
            gain = float(strip.gains(cx[i : i + 1], cy[i : i + 1])[0])
            fresh.add(i)
            if gain > 0:
                heapq.heappush(heap, (-gain, i))
            continue
        cols, mask = strip.covers(cx[i : i + 1], cy[i : i + 1])
        gain = float(mask[0] @ strip.weight[cols])
        chosen.append((i, gain))
        strip.weight[cols] = strip.weight[cols] * ~mask[0]
        fresh = set()
    return chosen


def covered_weight(
    region: Region,
    already: np.ndarray,
    c_lat: np.ndarray,
    c_lon: np.ndarray,
    sites: tuple[int, ...] | list[int],
) -> float:
    """Weight newly covered by the given sites together."""
    cx, cy = region.project(c_lat[list(sites)], c_lon[list(sites)])
    mask = already.copy()
    if len(sites):
        mask |= _covers(region, cx, cy).any(axis=0)
    return float(region.weight[mask].sum() - region.weight[already].sum())


def exhaustive_siting(
    region: Region, already: np.ndarray, c_lat: np.ndarray, c_lon: np.ndarray, k: int
) -> tuple[tuple[int, ...], float]:
    """The exact optimum by trying every k-subset (small cases only)."""
    best: tuple[tuple[int, ...], float] = ((), 0.0)
    for sites in combinations(range(c_lat.size), k):
        gain = covered_weight(region, already, c_lat, c_lon, sites)
        if gain > best[1]:
            best = (sites, gain)
    return best
