"""The `lawyers:` section of a policy pack: the yearly public-interest hours target, how long each
kind of credit record stays public, the practice-rights answer period and the lawyer plan's
targets shown on the bureau's figures page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region
from fawang.policy.deadlines import Period, PeriodError, parse_period
from fawang.policy.packs import PackError, pack_for_region

CREDIT_KINDS = ("commendation", "industry_sanction", "administrative_penalty")
PLAN_TARGETS = (
    "lawyers_per_10k",
    "firms_100_lawyers",
    "foreign_branches",
    "foreign_leading_talents",
    "public_sector_and_company_lawyers",
    "spot_check_pass_rate",
)


@dataclass(frozen=True)
class LawyersPolicy:
    pack_code: str
    hours_target: int
    disclosure_days: dict[str, int]  # credit kind -> days public after the decision
    report_answer_period: Period
    placements_target: int
    group_activities_target: int
    plan_targets: dict[str, float]  # PLAN_TARGETS present in the pack


def _int(section: dict[str, Any], key: str, where: str, *, least: int = 0) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise PackError(f"{where}.{key} 应为不小于 {least} 的整数，实际为 {value!r}")
    return value


def parse_lawyers(raw: dict[str, Any], pack_code: str = "pack") -> LawyersPolicy:
    where = f"{pack_code}: lawyers"
    section = raw.get("lawyers")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 lawyers 部分")
    disclosure = section.get("credit_disclosure_days")
    if not isinstance(disclosure, dict) or set(disclosure) != set(CREDIT_KINDS):
        raise PackError(f"{where}.credit_disclosure_days 应列出 {'、'.join(CREDIT_KINDS)}")
    days = {
        k: _int(disclosure, k, f"{where}.credit_disclosure_days", least=1) for k in CREDIT_KINDS
    }
    try:
        period = parse_period(section.get("report_answer_period"), f"{where}.report_answer_period")
    except PeriodError as error:
        raise PackError(str(error)) from None
    targets = section.get("plan_targets") or {}
    if not isinstance(targets, dict) or not set(targets) <= set(PLAN_TARGETS):
        raise PackError(f"{where}.plan_targets 只能包含 {'、'.join(PLAN_TARGETS)}")
    for key, value in targets.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise PackError(f"{where}.plan_targets.{key} 应为非负数")
    return LawyersPolicy(
        pack_code=pack_code,
        hours_target=_int(section, "public_interest_hours_target", where, least=1),
        disclosure_days=days,
        report_answer_period=period,
        placements_target=_int(section, "placements_target", where),
        group_activities_target=_int(section, "group_activities_target", where),
        plan_targets={k: float(v) for k, v in targets.items()},
    )


def lawyers_policy(region: Region | None) -> LawyersPolicy:
    pack = pack_for_region(region)
    return parse_lawyers(pack.raw, pack.code)
