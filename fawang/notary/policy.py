"""The `notary:` section of a policy pack: the issue time limit, fees, reductions, the grade rule
and the review sample, parsed into typed values with clear errors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fawang.core.models import Region
from fawang.policy.packs import PackError, pack_for_region

FEE_BASES = [
    "certificate",
    "declaration",
    "will",
    "succession",
    "gift",
    "contract",
    "evidence",
    "escrow",
    "supervision",
    "enforcement",
    "authentication",
]
GRADES = ("A", "B", "C")


@dataclass(frozen=True)
class GradeRule:
    base_without_reviews: int
    complaint_upheld_penalty: int
    revocation_penalty: int
    fault_penalty: int
    window_days: int
    thresholds: dict[str, int]  # A, B, C: the lowest score of the grade; below C is D


@dataclass(frozen=True)
class NotaryPolicy:
    pack_code: str
    issue_working_days: int
    fees: dict[str, Decimal]
    legal_aid_reduction_percent: int
    special_group_reduction_percent: int
    grade: GradeRule
    review_sample_percent: int
    review_sample_minimum: int


def _int(section: dict[str, Any], key: str, where: str, *, most: int | None = None) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PackError(f"{where}.{key} 应为非负整数，实际为 {value!r}")
    if most is not None and value > most:
        raise PackError(f"{where}.{key} 不应超过 {most}，实际为 {value!r}")
    return value


def parse_notary(raw: dict[str, Any], pack_code: str = "pack") -> NotaryPolicy:
    where = f"{pack_code}: notary"
    section = raw.get("notary")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 notary 部分")
    fees = section.get("fees")
    if not isinstance(fees, dict) or set(fees) != set(FEE_BASES):
        raise PackError(f"{where}.fees 应列出且只列出 {'、'.join(FEE_BASES)}")
    grade = section.get("grade")
    if not isinstance(grade, dict):
        raise PackError(f"{where}: 缺少 grade 部分")
    thresholds = grade.get("thresholds")
    if not isinstance(thresholds, dict) or set(thresholds) != set(GRADES):
        raise PackError(f"{where}.grade.thresholds 应列出 A、B、C")
    limits = [_int(thresholds, g, f"{where}.grade.thresholds", most=100) for g in GRADES]
    if not limits[0] > limits[1] > limits[2]:
        raise PackError(f"{where}.grade.thresholds 应满足 A > B > C")
    return NotaryPolicy(
        pack_code=pack_code,
        issue_working_days=_int(section, "issue_working_days", where),
        fees={basis: Decimal(_int(fees, basis, f"{where}.fees")) for basis in FEE_BASES},
        legal_aid_reduction_percent=_int(section, "legal_aid_reduction_percent", where, most=100),
        special_group_reduction_percent=_int(
            section, "special_group_reduction_percent", where, most=100
        ),
        grade=GradeRule(
            base_without_reviews=_int(grade, "base_without_reviews", f"{where}.grade", most=100),
            complaint_upheld_penalty=_int(grade, "complaint_upheld_penalty", f"{where}.grade"),
            revocation_penalty=_int(grade, "revocation_penalty", f"{where}.grade"),
            fault_penalty=_int(grade, "fault_penalty", f"{where}.grade"),
            window_days=max(1, _int(grade, "window_days", f"{where}.grade")),
            thresholds=dict(zip(GRADES, limits, strict=True)),
        ),
        review_sample_percent=_int(section, "review_sample_percent", where, most=100),
        review_sample_minimum=_int(section, "review_sample_minimum", where),
    )


def notary_policy(region: Region | None) -> NotaryPolicy:
    pack = pack_for_region(region)
    return parse_notary(pack.raw, pack.code)
