"""The ``legal_aid:`` section of a city's policy pack, parsed with clear errors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fawang.core.models import Region
from fawang.policy.deadlines import Period
from fawang.policy.packs import PackError, pack_for_region, pack_period

PERIOD_KEYS = ("decision", "assignment_after_decision", "notice_assignment", "objection_review")

TARGET_KEYS = (
    "hearing_attendance_rate",
    "hearing_attendance_count",
    "spot_check_rate",
    "excellent_or_good_rate",
    "public_sector_lawyer_share",
    "cases_per_100k",
    "notice_assignment_rate",
)


@dataclass(frozen=True)
class LegalAidPolicy:
    pack_code: str
    income_per_member_monthly: Decimal
    honesty_pledge_allowed: bool
    # 法律援助法 第四十三条第一款 (decide; assign after deciding), 第三十六条 (assign after a notice),
    # 第四十九条 (the justice bureau reviews an objection): each a Period with its unit.
    decision: Period
    assignment_after_decision: Period
    notice_assignment: Period
    objection_review: Period
    quality_sample_share: Decimal
    grade_thresholds: dict[str, int]
    closing_materials: tuple[str, ...]
    max_upload_bytes: int
    targets: dict[str, float]


def _number(section: dict[str, Any], key: str, where: str) -> Decimal:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise PackError(f"{where}: legal_aid.{key} 应为非负数，实际为 {value!r}")
    return Decimal(str(value))


def _days(section: dict[str, Any], key: str, where: str) -> int:
    value = section.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PackError(f"{where}: legal_aid.{key} 应为正整数，实际为 {value!r}")
    return value


def parse_policy(raw: dict[str, Any], where: str) -> LegalAidPolicy:
    section = raw.get("legal_aid")
    if not isinstance(section, dict):
        raise PackError(f"{where}: 缺少 legal_aid 部分")
    share = _number(section, "quality_sample_share", where)
    if not Decimal(0) < share <= Decimal(1):
        raise PackError(f"{where}: legal_aid.quality_sample_share 应在 0 与 1 之间")
    thresholds = section.get("grade_thresholds") or {}
    if set(thresholds) != {"excellent", "good", "pass"}:
        raise PackError(f"{where}: legal_aid.grade_thresholds 应有 excellent、good、pass")
    periods = section.get("periods")
    if not isinstance(periods, dict):
        raise PackError(f"{where}: legal_aid.periods 应列出 {', '.join(PERIOD_KEYS)}")
    missing_periods = [key for key in PERIOD_KEYS if key not in periods]
    if missing_periods:
        raise PackError(f"{where}: legal_aid.periods 缺少 {', '.join(missing_periods)}")
    period = {
        key: pack_period(periods[key], f"{where}: legal_aid.periods.{key}") for key in PERIOD_KEYS
    }
    targets = section.get("targets") or {}
    missing = [key for key in TARGET_KEYS if key not in targets]
    if missing:
        raise PackError(f"{where}: legal_aid.targets 缺少 {', '.join(missing)}")
    return LegalAidPolicy(
        pack_code=str(raw.get("code", where)),
        income_per_member_monthly=_number(section, "income_per_member_monthly", where),
        honesty_pledge_allowed=bool(section.get("honesty_pledge_allowed", False)),
        decision=period["decision"],
        assignment_after_decision=period["assignment_after_decision"],
        notice_assignment=period["notice_assignment"],
        objection_review=period["objection_review"],
        quality_sample_share=share,
        grade_thresholds={key: int(value) for key, value in thresholds.items()},
        closing_materials=tuple(str(kind) for kind in section.get("closing_materials", [])),
        max_upload_bytes=_days(section, "max_upload_mb", where) * 1024 * 1024,
        targets={key: float(targets[key]) for key in TARGET_KEYS},
    )


def policy_for_region(region: Region | None) -> LegalAidPolicy:
    pack = pack_for_region(region)
    return parse_policy(pack.raw, pack.code)
