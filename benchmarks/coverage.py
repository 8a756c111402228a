"""Coverage planning benchmark (issue 18): "城区一刻钟、农村半小时" coverage for every Beijing village
(7,535) against every point, for each basic service, and a k = 20 siting recommendation — time
and memory, beside baselines measured in the same run.

The network: a centre in each district and a station in each township (about 370 points, like
the demo world), positions estimated as the platform does until a bureau imports them. Figures:

  build      — reading regions and points, estimating positions, the travel-speed arrays;
  coverage   — nearest point and minutes for each basic service (vectorised, chunked);
  siting     — greedy max coverage with lazy re-evaluation (CELF), k = 20, all villages candidates;
  baseline_loop   — the plain per-village Python loop (haversine to every point) on a sample of
                    villages, scaled to all villages and services;
  baseline_greedy — plain greedy recomputing every candidate's gain each round (numpy, no lazy
                    bound): one round measured, scaled by k;
  memory     — peak traced allocation of the same computation run again under tracemalloc (numpy
               included; not timed) and the process's peak resident set.

A SQLite database under ``--var-dir`` (default ``var/bench-coverage``) gets the migrations and the
regions (reused on later runs). The last line of output is one JSON object.

    .venv/bin/python benchmarks/coverage.py [--k 20] [--sample 300] [--var-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MB = 5.0, 500.0


def _setup(var_dir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["FAWANG_VAR_DIR"] = str(var_dir)
    os.environ.pop("FAWANG_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from fawang.core.models import Region

    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)


def _network() -> int:
    """A centre per district and a station per township (idempotent)."""
    from fawang.core.models import Region, RegionLevel
    from fawang.network.models import ServicePoint

    if ServicePoint.objects.exists():
        return ServicePoint.objects.count()
    rows = Region.objects.filter(
        path__startswith="/110000000000/", level__in=[RegionLevel.DISTRICT, RegionLevel.TOWNSHIP]
    )
    ServicePoint.objects.bulk_create(
        ServicePoint(
            name=f"基准{r.code}",
            level="centre" if r.level == RegionLevel.DISTRICT else "station",
            region=r,
        )
        for r in rows
    )
    return ServicePoint.objects.count()


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _baseline_loop(cover, sample: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds for the plain loop over all villages and basic services, scaled from a sample."""
    villages = cover.villages[:: max(1, len(cover.villages) // sample)]
    started = time.perf_counter()
    for service in cover.policy.basic_services:
        points = cover.service_points(service)
        for v in villages:
            best = min(_haversine(v.lat, v.lon, p.lat, p.lon) for p in points)
            _ = best * cover.policy.detour_factor / 30 * 60
    elapsed = time.perf_counter() - started
    return elapsed * len(cover.villages) / len(villages)


def _baseline_greedy(cover, service: str, k: int) -> float:  # type: ignore[no-untyped-def]
    """Seconds for plain greedy: every candidate's gain recomputed every round (one round × k)."""
    from fawang.network import coverage

    region = cover.region
    _, minutes = cover.times(service)
    open_weight = region.weight * ~coverage.covered(region, minutes)
    cx, cy = region.project(region.lat, region.lon)
    started = time.perf_counter()
    for start in range(0, cx.size, coverage.CHUNK):
        stop = min(start + coverage.CHUNK, cx.size)
        _ = coverage._covers(region, cx[start:stop], cy[start:stop]) @ open_weight
    return (time.perf_counter() - started) * k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-coverage")
    args = parser.parse_args()
    _setup(args.var_dir)
    points = _network()

    from fawang.core.models import Region
    from fawang.network import planning

    city = Region.objects.get(code="110000000000")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    cover = planning.build_city_coverage(city)
    t1 = time.perf_counter()
    shares = {}
    for service in cover.policy.basic_services:
        share = cover.shares(service, "city")[city.pk]
        shares[service] = share.pct(share.meeting)
    t2 = time.perf_counter()
    sites = cover.recommend("legal_aid", args.k)
    t3 = time.perf_counter()
    # Memory in a second pass: tracing allocations slows Python down, so it is not timed.
    tracemalloc.start()
    again = planning.build_city_coverage(city)
    for service in again.policy.basic_services:
        again.shares(service, "city")
    again.recommend("legal_aid", args.k)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del again
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    baseline_loop = _baseline_loop(cover, args.sample)
    baseline_greedy = _baseline_greedy(cover, "legal_aid", args.k)
    total = t3 - t0
    result = {
        "villages": len(cover.villages),
        "points": points,
        "services": list(cover.policy.basic_services),
        "estimated_positions": cover.estimated,
        "build_s": round(t1 - t0, 3),
        "coverage_s": round(t2 - t1, 3),
        "siting_s": round(t3 - t2, 3),
        "total_s": round(total, 3),
        "k": args.k,
        "sites": len(sites),
        "first_gain": sites[0][1] if sites else 0,
        "share_meeting_pct": shares,
        "traced_peak_mb": round(traced_peak / 2**20, 1),
        "rss_peak_mb": round(rss_peak, 1),
        "rss_before_mb": round(rss_before, 1),
        "baseline_loop_coverage_s": round(baseline_loop, 2),
        "baseline_plain_greedy_s": round(baseline_greedy, 2),
        "target_s": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "meets_target": total < TARGET_SECONDS and rss_peak < TARGET_MB,
    }
    print(
        f"villages × points: {len(cover.villages)} × {points} (positions estimated: {cover.estimated})"
    )
    print(
        f"build {t1 - t0:.2f} s · coverage ({len(shares)} services) {t2 - t1:.2f} s · "
        f"siting k={args.k} {t3 - t2:.2f} s · total {total:.2f} s (target < {TARGET_SECONDS} s)"
    )
    print(
        f"memory: traced peak {traced_peak / 2**20:.1f} MB, process peak {rss_peak:.1f} MB "
        f"(target < {TARGET_MB} MB)"
    )
    print(
        f"baseline, plain loop (scaled from {args.sample} villages): {baseline_loop:.2f} s "
        f"vs {t2 - t1:.3f} s vectorised"
    )
    print(
        f"baseline, plain greedy (one round × k): {baseline_greedy:.2f} s vs {t3 - t2:.2f} s lazy"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
