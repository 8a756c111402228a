"""The `network:` section of a policy pack: coverage thresholds, travel speeds, the standard
functions of each level and the inspection rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region
from fawang.network.models import Service, ServicePointLevel
from fawang.policy.deadlines import Period, PeriodError, parse_period
from fawang.policy.packs import PackError, pack_for_region

MODES = ("walking", "driving")
TERRAINS = ("plain", "mountain")


@dataclass(frozen=True)
class Functions:
    services: tuple[str, ...]
    windows: int
    rooms: int


@dataclass(frozen=True)
class NetworkPolicy:
    pack_code: str
    urban_minutes: int
    rural_minutes: int
    basic_services: tuple[str, ...]
    speeds_kmh: dict[tuple[str, str], float]  # (mode, terrain) → km/h
    detour_factor: float
    mountain_districts: frozenset[str]
    functions: dict[str, Functions]
    visits_per_year: int
    rectification_period: Period
    checklist: dict[str, tuple[str, ...]]


def _positive(value: Any, where: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise PackError(f"{where} 应为正数，实际为 {value!r}")
    return float(value)


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PackError(f"{where} 应为非负整数，实际为 {value!r}")
    return value


def _services(value: Any, where: str) -> tuple[str, ...]:
    known = set(Service.values)
    if not isinstance(value, list) or not value or not set(value) <= known:
        raise PackError(f"{where} 应为服务代码列表（{'、'.join(sorted(known))}）")
    return tuple(value)


def _functions(section: dict[str, Any], where: str) -> dict[str, Functions]:
    raw = section.get("functions")
    if not isinstance(raw, dict) or set(raw) != set(ServicePointLevel.values):
        raise PackError(f"{where}.functions 应列出各层级：{'、'.join(ServicePointLevel.values)}")
    return {
        level: Functions(
            services=_services(spec.get("services"), f"{where}.functions.{level}.services"),
            windows=_int(spec.get("windows"), f"{where}.functions.{level}.windows"),
            rooms=_int(spec.get("rooms"), f"{where}.functions.{level}.rooms"),
        )
        for level, spec in raw.items()
    }


def _speeds(section: dict[str, Any], where: str) -> dict[tuple[str, str], float]:
    raw = section.get("speeds_kmh")
    if not isinstance(raw, dict):
        raise PackError(f"{where}: 缺少 speeds_kmh")
    speeds = {}
    for mode in MODES:
        for terrain in TERRAINS:
            value = (raw.get(mode) or {}).get(terrain)
            speeds[(mode, terrain)] = _positive(value, f"{where}.speeds_kmh.{mode}.{terrain}")
    return speeds


def parse_network(raw: dict[str, Any], pack_code: str = "pack") -> NetworkPolicy:
    where = f"{pack_code}: network"
    section = raw.get("network")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 network 部分")
    coverage = section.get("coverage") or {}
    inspections = section.get("inspections") or {}
    checklist = inspections.get("checklist")
    if not isinstance(checklist, dict) or set(checklist) != set(ServicePointLevel.values):
        raise PackError(f"{where}.inspections.checklist 应列出各层级的检查项")
    try:
        period = parse_period(
            inspections.get("rectification_period"), f"{where}.inspections.rectification_period"
        )
    except PeriodError as error:
        raise PackError(str(error)) from None
    mountain = section.get("mountain_districts", [])
    if not isinstance(mountain, list):
        raise PackError(f"{where}.mountain_districts 应为区划代码列表")
    urban = int(_positive(coverage.get("urban_minutes"), f"{where}.coverage.urban_minutes"))
    rural = int(_positive(coverage.get("rural_minutes"), f"{where}.coverage.rural_minutes"))
    return NetworkPolicy(
        pack_code=pack_code,
        urban_minutes=urban,
        rural_minutes=rural,
        basic_services=_services(coverage.get("basic_services"), f"{where}.coverage"),
        speeds_kmh=_speeds(section, where),
        detour_factor=_positive(section.get("detour_factor"), f"{where}.detour_factor"),
        mountain_districts=frozenset(str(code) for code in mountain),
        functions=_functions(section, where),
        visits_per_year=_int(inspections.get("visits_per_year"), f"{where}.visits_per_year"),
        rectification_period=period,
        checklist={level: tuple(str(item) for item in items) for level, items in checklist.items()},
    )


def network_policy(region: Region | None) -> NetworkPolicy:
    pack = pack_for_region(region)
    return parse_network(pack.raw, pack.code)
