"""The `hotline:` section of a policy pack: the answer-rate and satisfaction targets (SJZ 专栏5),
the satisfied rating, the review sample per seat and the review checklist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region
from fawang.policy.packs import PackError, pack_for_region


@dataclass(frozen=True)
class CheckItem:
    code: str
    label: str
    points: int


@dataclass(frozen=True)
class HotlinePolicy:
    pack_code: str
    answer_rate_target: float  # percent
    satisfaction_target: float  # percent
    satisfied_rating: int  # a rating (1–5) at or above this counts as satisfied
    review_sample_per_seat: int
    checklist: tuple[CheckItem, ...]

    @property
    def full_marks(self) -> int:
        return sum(item.points for item in self.checklist)


def _number(section: dict[str, Any], key: str, where: str, low: float, high: float) -> float:
    value = section.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise PackError(f"{where}.{key} 应为 {low} 到 {high} 之间的数，实际为 {value!r}")
    return float(value)


def parse_hotline(raw: dict[str, Any], pack_code: str = "pack") -> HotlinePolicy:
    where = f"{pack_code}: hotline"
    section = raw.get("hotline")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 hotline 部分")
    items = section.get("checklist")
    if not isinstance(items, list) or not items:
        raise PackError(f"{where}.checklist 应列出考评项目")
    checklist = []
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            raise PackError(f"{where}.checklist[{n}] 应有 code、label 和 points")
        points = item.get("points")
        if not isinstance(points, int) or isinstance(points, bool) or points < 1:
            raise PackError(f"{where}.checklist[{n}].points 应为正整数")
        checklist.append(CheckItem(str(item["code"]), str(item["label"]), points))
    return HotlinePolicy(
        pack_code=pack_code,
        answer_rate_target=_number(section, "answer_rate_target", where, 0, 100),
        satisfaction_target=_number(section, "satisfaction_target", where, 0, 100),
        satisfied_rating=int(_number(section, "satisfied_rating", where, 1, 5)),
        review_sample_per_seat=int(_number(section, "review_sample_per_seat", where, 1, 100)),
        checklist=tuple(checklist),
    )


def hotline_policy(region: Region | None) -> HotlinePolicy:
    pack = pack_for_region(region)
    return parse_hotline(pack.raw, pack.code)
