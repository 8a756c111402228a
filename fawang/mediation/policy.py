"""The `mediation:` section of a policy pack, parsed into typed values with clear errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region
from fawang.policy.deadlines import Period
from fawang.policy.packs import PackError, pack_for_region, pack_period

CADENCES = ("daily", "weekly", "monthly")


@dataclass(frozen=True)
class EarlyWarning:
    baseline_weeks: int
    k: float
    min_count: int


@dataclass(frozen=True)
class MediationPolicy:
    pack_code: str
    full_time_quota: dict[str, int]
    quota_where_possible: frozenset[str]
    training_days_per_year: int
    grading_every_years: int
    featured_rooms_target: int
    featured_rooms_target_year: int
    village_cadence: str
    office_cadence: str
    key_period_cadence: str
    grace_days: int
    # 人民调解法 第三十三条 / 民事诉讼法 第二百零五条: 30 (calendar) days from the agreement's effect.
    judicial_confirmation: Period
    early_warning: EarlyWarning
    success_rate_target: float
    success_rate_target_source: str


def _int(section: dict[str, Any], key: str, where: str) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PackError(f"{where}.{key} 应为非负整数，实际为 {value!r}")
    return value


def _number(section: dict[str, Any], key: str, where: str) -> float:
    value = section.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise PackError(f"{where}.{key} 应为非负数，实际为 {value!r}")
    return float(value)


def _cadence(section: dict[str, Any], key: str, where: str) -> str:
    value = section.get(key)
    if value not in CADENCES:
        raise PackError(f"{where}.{key} 应为 {'/'.join(CADENCES)} 之一，实际为 {value!r}")
    return str(value)


def parse_mediation(raw: dict[str, Any], pack_code: str = "pack") -> MediationPolicy:
    where = f"{pack_code}: mediation"
    section = raw.get("mediation")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 mediation 部分")
    quota = section.get("full_time_quota")
    if not isinstance(quota, dict) or not {"village", "township", "industry"} <= set(quota):
        raise PackError(f"{where}.full_time_quota 应列出 village、township、industry")
    screening = section.get("screening") or {}
    warning = section.get("early_warning") or {}
    return MediationPolicy(
        pack_code=pack_code,
        full_time_quota={level: _int(quota, level, f"{where}.full_time_quota") for level in quota},
        quota_where_possible=frozenset(section.get("quota_where_possible") or ()),
        training_days_per_year=_int(section, "training_days_per_year", where),
        grading_every_years=_int(section, "grading_every_years", where),
        featured_rooms_target=_int(section, "featured_rooms_target", where),
        featured_rooms_target_year=_int(section, "featured_rooms_target_year", where),
        village_cadence=_cadence(screening, "village_committee", f"{where}.screening"),
        office_cadence=_cadence(screening, "justice_office", f"{where}.screening"),
        key_period_cadence=_cadence(screening, "key_period", f"{where}.screening"),
        grace_days=_int(screening, "grace_days", f"{where}.screening"),
        judicial_confirmation=pack_period(
            section.get("judicial_confirmation"), f"{where}.judicial_confirmation"
        ),
        early_warning=EarlyWarning(
            baseline_weeks=max(1, _int(warning, "baseline_weeks", f"{where}.early_warning")),
            k=_number(warning, "k", f"{where}.early_warning"),
            min_count=_int(warning, "min_count", f"{where}.early_warning"),
        ),
        success_rate_target=_number(section, "success_rate_target", where),
        success_rate_target_source=str(section.get("success_rate_target_source", "")),
    )


def mediation_policy(region: Region | None) -> MediationPolicy:
    pack = pack_for_region(region)
    return parse_mediation(pack.raw, pack.code)
