"""The coverage arithmetic on geometries small enough to work out by hand."""

from __future__ import annotations

import random

import numpy as np
import pytest

from fawang.network import coverage

KM = coverage.KM_PER_DEGREE  # one degree of longitude at the equator


def equator(lons: list[float], weights: list[float], limit: float = 30.0) -> coverage.Region:
    """Villages on the equator, 60 km/h and no detour: minutes equal kilometres."""
    n = len(lons)
    return coverage.Region(
        lat=np.zeros(n), lon=np.array(lons), speed_kmh=np.full(n, 60.0),
        limit_min=np.full(n, limit), weight=np.array(weights, dtype=float),
    )  # fmt: skip


def test_nearest_point_on_a_line() -> None:
    region = equator([0.0, 0.1, 0.2, 0.5], [1, 1, 1, 1])
    index, minutes = coverage.nearest(region, np.zeros(2), np.array([0.0, 0.45]))
    assert index.tolist() == [0, 0, 0, 1]
    assert minutes == pytest.approx([0.0, 0.1 * KM, 0.2 * KM, 0.05 * KM])


def test_nearest_without_points_is_infinitely_far() -> None:
    index, minutes = coverage.nearest(equator([0.0], [1]), np.array([]), np.array([]))
    assert index.tolist() == [-1] and np.isinf(minutes[0])


def test_travel_time_uses_detour_and_speed() -> None:
    region = coverage.Region(
        lat=np.zeros(1), lon=np.array([0.1]), speed_kmh=np.array([4.5]),
        limit_min=np.array([15.0]), weight=np.ones(1), detour=1.3,
    )  # fmt: skip
    _, minutes = coverage.nearest(region, np.zeros(1), np.zeros(1))
    assert minutes[0] == pytest.approx(0.1 * KM * 1.3 / 4.5 * 60)


def test_nearest_matches_a_plain_loop() -> None:
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(39.5, 40.5, 3000), rng.uniform(115.8, 117.2, 3000)
    region = coverage.Region(lat=lat, lon=lon, speed_kmh=np.full(3000, 30.0),
                             limit_min=np.full(3000, 30.0), weight=np.ones(3000))  # fmt: skip
    p_lat, p_lon = rng.uniform(39.5, 40.5, 40), rng.uniform(115.8, 117.2, 40)
    index, _ = coverage.nearest(region, p_lat, p_lon)
    px, py = region.project(p_lat, p_lon)
    for i in range(0, 3000, 97):
        d = [(region.x[i] - px[j]) ** 2 + (region.y[i] - py[j]) ** 2 for j in range(40)]
        assert index[i] == int(np.argmin(d))


def test_shares_on_a_toy_region() -> None:
    # Distances 0, 11.1, 22.3, 55.7 km → minutes the same. Weights 1, 2, 3, 4 (total 10).
    region = equator([0.0, 0.1, 0.2, 0.5], [1, 2, 3, 4])
    _, minutes = coverage.nearest(region, np.zeros(1), np.zeros(1))
    share = coverage.shares(region, minutes, np.array([9, 9, 9, 9]))[9]
    assert share.pct(share.within_15) == 30.0  # weights 1 + 2
    assert share.pct(share.within_30) == 60.0  # 1 + 2 + 3
    assert share.pct(share.meeting) == 60.0
    # Per group: the first two villages in one township, the rest in another.
    by_group = coverage.shares(region, minutes, np.array([1, 1, 2, 2]))
    assert by_group[1].pct(by_group[1].meeting) == 100.0
    assert by_group[2].pct(by_group[2].meeting) == pytest.approx(100 * 3 / 7, abs=0.05)


def test_urban_limit_is_fifteen_minutes() -> None:
    region = equator([0.0, 0.2], [1, 1])
    region.limit_min = np.array([15.0, 30.0])
    _, minutes = coverage.nearest(region, np.zeros(1), np.array([0.1]))
    # Both are 11.1 minutes away; both meet their limits. Moving the point away breaks the urban one.
    assert coverage.covered(region, minutes).tolist() == [True, True]
    _, minutes = coverage.nearest(region, np.zeros(1), np.array([0.2]))
    assert coverage.covered(region, minutes).tolist() == [False, True]


def test_greedy_takes_the_biggest_gain_first_and_reports_each_gain() -> None:
    # Clusters at 0, 1 and 2 degrees (111 km apart), weights 5, 9 and 2; candidates at each.
    lons = [0.0, 0.01, 1.0, 1.01, 1.02, 2.0]
    region = equator(lons, [2, 3, 3, 3, 3, 2])
    already = np.zeros(6, dtype=bool)
    chosen = coverage.greedy_siting(region, already, np.zeros(3), np.array([0.0, 1.0, 2.0]), 3)
    assert chosen == [(1, 9.0), (0, 5.0), (2, 2.0)]
    # A village already covered adds nothing.
    already[5] = True
    chosen = coverage.greedy_siting(region, already, np.zeros(3), np.array([0.0, 1.0, 2.0]), 3)
    assert chosen == [(1, 9.0), (0, 5.0)]


def _random_case(seed: int) -> tuple[coverage.Region, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    region = coverage.Region(
        lat=rng.uniform(0, 0.6, 40), lon=rng.uniform(0, 0.6, 40), speed_kmh=np.full(40, 30.0),
        limit_min=np.full(40, 30.0), weight=rng.integers(1, 50, 40).astype(float),
    )  # fmt: skip
    return region, rng.uniform(0, 0.6, 10), rng.uniform(0, 0.6, 10)


def test_greedy_equals_exhaustive_on_a_small_case() -> None:
    region, c_lat, c_lon = _random_case(3)
    already = np.zeros(40, dtype=bool)
    greedy = coverage.greedy_siting(region, already, c_lat, c_lon, 2)
    best_sites, best_gain = coverage.exhaustive_siting(region, already, c_lat, c_lon, 2)
    assert sum(g for _, g in greedy) == best_gain
    assert (
        coverage.covered_weight(region, already, c_lat, c_lon, [i for i, _ in greedy]) == best_gain
    )
    assert best_sites


@pytest.mark.parametrize("seed", [1, 2, 4, 5])
def test_greedy_is_near_optimal_and_beats_random_siting(seed: int) -> None:
    region, c_lat, c_lon = _random_case(seed)
    already = np.zeros(40, dtype=bool)
    greedy = sum(g for _, g in coverage.greedy_siting(region, already, c_lat, c_lon, 3))
    _, best = coverage.exhaustive_siting(region, already, c_lat, c_lon, 3)
    assert greedy >= (1 - 1 / np.e) * best
    draws = random.Random(seed)
    randoms = [
        coverage.covered_weight(region, already, c_lat, c_lon, draws.sample(range(10), 3))
        for _ in range(50)
    ]
    assert greedy > sum(randoms) / len(randoms)
