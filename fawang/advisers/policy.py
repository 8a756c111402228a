"""The `advisers:` section of a policy pack: the term, the service list (基础清单 + each district's
特色菜单, BJ-list 二(三)), the three-party weights and low mark (BJ-list 二(十三)), the subsidy rule
(BJ-list 二(十五) 补贴标准) and the 法律明白人 ratios (SJZ 四(一)1). The documents name the
mechanisms, not the numbers: every number here is pack data (marked so in the YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Region
from fawang.policy.packs import PackError, pack_for_region

PARTIES = ("residents", "committee", "township")


@dataclass(frozen=True)
class ServiceItem:
    code: str
    label: str
    monthly: int  # times a month each village must get it; 0 = when asked
    special: bool = False


@dataclass(frozen=True)
class SubsidyRule:
    per_village_month: int  # 元 for a month whose basic list is complete
    bands: tuple[tuple[int, float], ...]  # (lowest score, factor), highest first; else 0


@dataclass(frozen=True)
class AdvisersPolicy:
    pack_code: str
    term_years: int
    on_site_hours_monthly: int
    basic: tuple[ServiceItem, ...]
    special: dict[str, tuple[ServiceItem, ...]]  # district code -> its 特色菜单
    weights: dict[str, int]  # party -> percent, summing to 100
    low_score: int
    subsidy: SubsidyRule
    liaisons_per_village: int
    households_per_liaison: int

    def items_for(self, district_code: str | None) -> tuple[ServiceItem, ...]:
        return self.basic + self.special.get(district_code or "", ())

    def factor(self, score: float | None) -> float:
        if score is None:
            return 0.0
        for lowest, factor in self.subsidy.bands:
            if score >= lowest:
                return factor
        return 0.0


def _int(section: dict[str, Any], key: str, where: str, *, least: int = 0) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise PackError(f"{where}.{key} 应为不小于 {least} 的整数，实际为 {value!r}")
    return value


def _items(raw: Any, where: str, *, special: bool) -> tuple[ServiceItem, ...]:
    if not isinstance(raw, list) or not raw:
        raise PackError(f"{where} 应为服务项目列表")
    items = []
    for n, entry in enumerate(raw):
        at = f"{where}[{n}]"
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("label"):
            raise PackError(f"{at} 应有 code 和 label")
        items.append(
            ServiceItem(
                str(entry["code"]), str(entry["label"]), _int(entry, "monthly", at), special
            )
        )
    return tuple(items)


def parse_advisers(raw: dict[str, Any], pack_code: str = "pack") -> AdvisersPolicy:
    where = f"{pack_code}: advisers"
    section = raw.get("advisers")
    if not isinstance(section, dict):
        raise PackError(f"{pack_code}: 缺少 advisers 部分")
    basic = _items(section.get("basic_list"), f"{where}.basic_list", special=False)
    menus = section.get("special_menus") or {}
    if not isinstance(menus, dict):
        raise PackError(f"{where}.special_menus 应为 区划代码: 服务项目列表")
    special = {
        str(code): _items(items, f"{where}.special_menus.{code}", special=True)
        for code, items in menus.items()
    }
    codes = [i.code for i in basic] + [i.code for items in special.values() for i in items]
    if len({*codes}) != len([i.code for i in basic]) + sum(
        len({i.code for i in items}) for items in special.values()
    ) or any(i.code in {b.code for b in basic} for items in special.values() for i in items):
        raise PackError(f"{where}: 服务项目代码重复")
    evaluation = section.get("evaluation")
    if not isinstance(evaluation, dict) or not isinstance(evaluation.get("weights"), dict):
        raise PackError(f"{where}: 缺少 evaluation.weights")
    weights = {p: _int(evaluation["weights"], p, f"{where}.evaluation.weights") for p in PARTIES}
    if sum(weights.values()) != 100 or set(evaluation["weights"]) != set(PARTIES):
        raise PackError(f"{where}.evaluation.weights 应列出三方且合计 100")
    subsidy = section.get("subsidy")
    if not isinstance(subsidy, dict) or not isinstance(subsidy.get("bands"), list):
        raise PackError(f"{where}: 缺少 subsidy.bands")
    bands = []
    for n, band in enumerate(subsidy["bands"]):
        factor = band.get("factor") if isinstance(band, dict) else None
        if not isinstance(factor, int | float) or isinstance(factor, bool) or not 0 <= factor <= 1:
            raise PackError(f"{where}.subsidy.bands[{n}].factor 应为 0 到 1 之间的系数")
        bands.append((_int(band, "from_score", f"{where}.subsidy.bands[{n}]"), float(factor)))
    if [b[0] for b in bands] != sorted((b[0] for b in bands), reverse=True):
        raise PackError(f"{where}.subsidy.bands 应按分数从高到低排列")
    liaisons = section.get("liaisons")
    if not isinstance(liaisons, dict):
        raise PackError(f"{where}: 缺少 liaisons 部分")
    return AdvisersPolicy(
        pack_code=pack_code,
        term_years=_int(section, "term_years", where, least=1),
        on_site_hours_monthly=_int(section, "on_site_hours_monthly", where),
        basic=basic,
        special=special,
        weights=weights,
        low_score=_int(evaluation, "low_score", f"{where}.evaluation"),
        subsidy=SubsidyRule(
            per_village_month=_int(subsidy, "per_village_month", f"{where}.subsidy"),
            bands=tuple(bands),
        ),
        liaisons_per_village=_int(liaisons, "per_village", f"{where}.liaisons", least=1),
        households_per_liaison=_int(liaisons, "households_per", f"{where}.liaisons", least=1),
    )


def advisers_policy(region: Region | None) -> AdvisersPolicy:
    pack = pack_for_region(region)
    return parse_advisers(pack.raw, pack.code)
