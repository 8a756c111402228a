"""The `education:` section of a policy pack: the districts with mountain-feature legal-culture
sites (BJ-36), the 民主法治示范村 window (SJZ-06), the responsibility assessment's grades and the
rise that makes a consultation topic an education theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region
from fawang.policy.packs import PackError, pack_for_region


@dataclass(frozen=True)
class EducationPolicy:
    pack_code: str
    mountain_site_districts: tuple[str, ...]
    model_village_window_years: int
    assessment_grades: tuple[tuple[str, int], ...]  # highest first
    theme_min_rise_points: float

    def grade_for(self, score: int) -> str:
        for grade, lowest in self.assessment_grades:
            if score >= lowest:
                return grade
        return "不合格"


def parse_education(raw: dict[str, Any], pack_code: str = "pack") -> EducationPolicy:
    where = f"{pack_code}: education"
    section = raw.get("education")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 education 部分")
    districts = section.get("mountain_site_districts")
    if not isinstance(districts, list) or not all(
        isinstance(code, str) and code.isdigit() and len(code) == 12 for code in districts
    ):
        raise PackError(f"{where}.mountain_site_districts 应为12位区划代码的列表")
    years = section.get("model_village_window_years")
    if not isinstance(years, int) or isinstance(years, bool) or years < 1:
        raise PackError(f"{where}.model_village_window_years 应为正整数，实际为 {years!r}")
    grades = section.get("assessment_grades")
    if not isinstance(grades, dict) or not grades:
        raise PackError(f"{where}.assessment_grades 应列出等次及其最低分")
    ordered = sorted(grades.items(), key=lambda item: -item[1] if isinstance(item[1], int) else 0)
    for name, lowest in ordered:
        if not isinstance(lowest, int) or isinstance(lowest, bool) or not 0 <= lowest <= 100:
            raise PackError(f"{where}.assessment_grades.{name} 应为 0 到 100 之间的整数")
    rise = section.get("theme_min_rise_points")
    if not isinstance(rise, int | float) or isinstance(rise, bool) or rise < 0:
        raise PackError(f"{where}.theme_min_rise_points 应为不小于 0 的数")
    return EducationPolicy(
        pack_code=pack_code,
        mountain_site_districts=tuple(districts),
        model_village_window_years=years,
        assessment_grades=tuple((str(n), int(v)) for n, v in ordered),
        theme_min_rise_points=float(rise),
    )


def education_policy(region: Region | None) -> EducationPolicy:
    pack = pack_for_region(region)
    return parse_education(pack.raw, pack.code)
