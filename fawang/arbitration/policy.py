"""The `arbitration:` section of a policy pack: the backlog age and the false-arbitration rule set
(which rules run, with what parameters) — data, so the bureau tunes it without code."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fawang.core.models import Region
from fawang.policy.deadlines import Period, PeriodError, parse_period
from fawang.policy.packs import PackError, pack_for_region

RULES = (
    "same_claimant_many",
    "quick_settlement",
    "shared_contact",
    "just_under_threshold",
    "third_party_objection",
)


@dataclass(frozen=True)
class FlagRules:
    enabled: frozenset[str]
    min_respondents: int
    window_days: int
    quick_days: int
    thresholds: tuple[Decimal, ...]
    margin_percent: int


@dataclass(frozen=True)
class ArbitrationPolicy:
    pack_code: str
    backlog_period: Period
    rules: FlagRules


def _int(section: dict[str, Any], key: str, where: str, least: int = 0) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise PackError(f"{where}.{key} 应为不小于 {least} 的整数，实际为 {value!r}")
    return value


def parse_arbitration(raw: dict[str, Any], pack_code: str = "pack") -> ArbitrationPolicy:
    where = f"{pack_code}: arbitration"
    section = raw.get("arbitration")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 arbitration 部分")
    try:
        backlog = parse_period(section.get("backlog_period"), f"{where}.backlog_period")
    except PeriodError as error:
        raise PackError(str(error)) from None
    flags = section.get("flags")
    if not isinstance(flags, dict) or set(flags) != set(RULES):
        raise PackError(f"{where}.flags 应列出且只列出 {'、'.join(RULES)}")
    for name, spec in flags.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("enabled"), bool):
            raise PackError(f"{where}.flags.{name}.enabled 应为 true 或 false")
    f = f"{where}.flags"
    thresholds = flags["just_under_threshold"].get("thresholds")
    if not isinstance(thresholds, list) or not all(
        isinstance(t, int) and not isinstance(t, bool) and t > 0 for t in thresholds
    ):
        raise PackError(f"{f}.just_under_threshold.thresholds 应为正整数列表")
    return ArbitrationPolicy(
        pack_code=pack_code,
        backlog_period=backlog,
        rules=FlagRules(
            enabled=frozenset(name for name, spec in flags.items() if spec["enabled"]),
            min_respondents=_int(flags["same_claimant_many"], "min_respondents", f, 2),
            window_days=_int(flags["same_claimant_many"], "window_days", f, 1),
            quick_days=_int(flags["quick_settlement"], "max_days", f),
            thresholds=tuple(Decimal(t) for t in thresholds),
            margin_percent=_int(flags["just_under_threshold"], "margin_percent", f),
        ),
    )


def arbitration_policy(region: Region | None) -> ArbitrationPolicy:
    pack = pack_for_region(region)
    return parse_arbitration(pack.raw, pack.code)
