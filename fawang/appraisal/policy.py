"""The `appraisal:` section of a policy pack: the acceptance and opinion time limits and the
extension, appraisers per case, the valid-complaint limit and the integrity-grade rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region
from fawang.policy.deadlines import Period, PeriodError, parse_period
from fawang.policy.packs import PackError, pack_for_region

GRADES = ("A", "B", "C")


@dataclass(frozen=True)
class GradeRule:
    base: int
    valid_complaint_penalty: int
    withdrawn_opinion_penalty: int
    sanction_penalty: int
    failed_review_penalty: int
    review_pass_mark: int
    window_days: int
    thresholds: dict[str, int]  # A, B, C: the lowest score of the grade; below C is D


@dataclass(frozen=True)
class AppraisalPolicy:
    pack_code: str
    accept_period: Period
    opinion_period: Period
    extension_period: Period
    max_extensions: int
    appraisers_per_case: int
    valid_complaint_rate_limit: float  # percent
    grade: GradeRule
    review_sample_percent: int
    review_sample_minimum: int


def _int(section: dict[str, Any], key: str, where: str, *, least: int = 0) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise PackError(f"{where}.{key} 应为不小于 {least} 的整数，实际为 {value!r}")
    return value


def _period(section: dict[str, Any], key: str, where: str) -> Period:
    try:
        return parse_period(section.get(key), f"{where}.{key}")
    except PeriodError as error:
        raise PackError(str(error)) from None


def parse_appraisal(raw: dict[str, Any], pack_code: str = "pack") -> AppraisalPolicy:
    where = f"{pack_code}: appraisal"
    section = raw.get("appraisal")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 appraisal 部分")
    grade = section.get("grade")
    if not isinstance(grade, dict):
        raise PackError(f"{where}: 缺少 grade 部分")
    thresholds = grade.get("thresholds")
    if not isinstance(thresholds, dict) or set(thresholds) != set(GRADES):
        raise PackError(f"{where}.grade.thresholds 应列出 A、B、C")
    limits = [_int(thresholds, g, f"{where}.grade.thresholds") for g in GRADES]
    if not limits[0] > limits[1] > limits[2]:
        raise PackError(f"{where}.grade.thresholds 应满足 A > B > C")
    rate = section.get("valid_complaint_rate_limit")
    if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 100:
        raise PackError(f"{where}.valid_complaint_rate_limit 应为 0 到 100 之间的百分数")
    g = f"{where}.grade"
    return AppraisalPolicy(
        pack_code=pack_code,
        accept_period=_period(section, "accept_period", where),
        opinion_period=_period(section, "opinion_period", where),
        extension_period=_period(section, "extension_period", where),
        max_extensions=_int(section, "max_extensions", where),
        appraisers_per_case=_int(section, "appraisers_per_case", where, least=1),
        valid_complaint_rate_limit=float(rate),
        grade=GradeRule(
            base=_int(grade, "base", g),
            valid_complaint_penalty=_int(grade, "valid_complaint_penalty", g),
            withdrawn_opinion_penalty=_int(grade, "withdrawn_opinion_penalty", g),
            sanction_penalty=_int(grade, "sanction_penalty", g),
            failed_review_penalty=_int(grade, "failed_review_penalty", g),
            review_pass_mark=_int(grade, "review_pass_mark", g),
            window_days=_int(grade, "window_days", g, least=1),
            thresholds=dict(zip(GRADES, limits, strict=True)),
        ),
        review_sample_percent=_int(section, "review_sample_percent", where),
        review_sample_minimum=_int(section, "review_sample_minimum", where),
    )


def appraisal_policy(region: Region | None) -> AppraisalPolicy:
    pack = pack_for_region(region)
    return parse_appraisal(pack.raw, pack.code)
