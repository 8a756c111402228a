"""Parse the ``indicators:`` section of a policy pack and an action-plan file, with clear errors.

Parsing checks everything (fields, formulas, regions, indicator references) before anything is
written, so a bad file is rejected whole with a message naming the entry and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from fawang.core.errors import InvalidInput
from fawang.core.models import Region
from fawang.indicators import formula as formulas
from fawang.indicators.counters import registry
from fawang.indicators.models import (
    Comparator,
    IndicatorLevel,
    IndicatorNature,
    IndicatorSource,
)
from fawang.policy.packs import PACK_DIR

PLAN_DIR = PACK_DIR.parent / "plans"  # a city's action lists live beside its packs
INDICATOR_REQUIRED = (
    "code",
    "name",
    "source",
    "target",
    "comparator",
    "level",
    "nature",
    "deadline_year",
    "passage",
)


class PackInvalid(InvalidInput):
    code = "bad_pack"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    source: str
    formula: str
    target: float
    comparator: str
    milestones: dict[str, float]
    level: str
    nature: str
    deadline_year: int
    passage: str
    position: int


@dataclass(frozen=True)
class PackSpec:
    code: str
    name: str
    city: Region
    start_year: int
    end_year: int
    indicators: tuple[IndicatorSpec, ...]


@dataclass(frozen=True)
class ItemSpec:
    code: str
    region: Region
    title: str
    lead_unit: str
    deadline: date | None
    target: str
    indicator_codes: tuple[str, ...]
    passage: str
    position: int


@dataclass(frozen=True)
class PlanSpec:
    code: str
    name: str
    city: Region
    source: str
    items: tuple[ItemSpec, ...]


def read_yaml(path: str | Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        raise PackInvalid(f"无法读取文件 {path}：{error.strerror}") from None
    except yaml.YAMLError as error:
        raise PackInvalid(f"{Path(path).name} 不是有效的 YAML：{error}") from None
    if not isinstance(data, dict):
        raise PackInvalid(f"{Path(path).name} 的内容应为键值映射")
    return data


def _region(code: Any, where: str) -> Region:
    region = Region.objects.filter(code=str(code)).first()
    if region is None:
        raise PackInvalid(f"{where}：未知的行政区划代码 {code}", field="region")
    return region


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PackInvalid(f"{where} 应为数值，实际为 {value!r}")
    return float(value)


def _choice(value: Any, choices: Any, where: str) -> str:
    if value not in choices.values:
        allowed = "、".join(choices.values)
        raise PackInvalid(f"{where} 取值 {value!r} 无效，应为：{allowed}")
    return str(value)


def parse_indicator(entry: Any, position: int, known: dict[str, str]) -> IndicatorSpec:
    if not isinstance(entry, dict):
        raise PackInvalid(f"第 {position} 个指标应为键值映射")
    where = f"指标 {entry.get('code', f'#{position}')}"
    missing = [key for key in INDICATOR_REQUIRED if key not in entry]
    if missing:
        raise PackInvalid(f"{where} 缺少必填项 {', '.join(missing)}")
    source = _choice(entry["source"], IndicatorSource, f"{where} 的 source")
    text = str(entry.get("formula", "") or "")
    if source == IndicatorSource.COMPUTED:
        if not text:
            raise PackInvalid(f"{where} 为平台计算指标，必须填写 formula", field="formula")
        try:
            formulas.parse(text, known)
        except formulas.FormulaError as error:
            raise PackInvalid(f"{where}：{error.message}", field="formula") from None
    milestones = entry.get("milestones") or {}
    if not isinstance(milestones, dict):
        raise PackInvalid(f"{where} 的 milestones 应为“年份: 目标值”映射")
    return IndicatorSpec(
        code=str(entry["code"]),
        name=str(entry["name"]),
        unit=str(entry.get("unit", "")),
        source=source,
        formula=text,
        target=_number(entry["target"], f"{where} 的 target"),
        comparator=_choice(entry["comparator"], Comparator, f"{where} 的 comparator"),
        milestones={str(y): _number(v, f"{where} 的阶段目标 {y}") for y, v in milestones.items()},
        level=_choice(entry["level"], IndicatorLevel, f"{where} 的 level"),
        nature=_choice(entry["nature"], IndicatorNature, f"{where} 的 nature"),
        deadline_year=int(_number(entry["deadline_year"], f"{where} 的 deadline_year")),
        passage=str(entry["passage"]).strip(),
        position=position,
    )


def parse_indicator_pack(data: dict[str, Any], source: str = "pack") -> PackSpec:
    for key in ("code", "name", "city_region_code", "period", "indicators"):
        if key not in data:
            raise PackInvalid(f"{source}：缺少必填项 {key}")
    entries = data["indicators"]
    if not isinstance(entries, list) or not entries:
        raise PackInvalid(f"{source}：indicators 应为非空列表")
    known = {code: counter.kind for code, counter in registry().items()}
    specs = tuple(parse_indicator(e, n, known) for n, e in enumerate(entries, start=1))
    codes = [spec.code for spec in specs]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise PackInvalid(f"{source}：指标编码重复 {', '.join(duplicates)}")
    return PackSpec(
        code=str(data["code"]),
        name=str(data["name"]),
        city=_region(data["city_region_code"], source),
        start_year=int(data["period"]["start"]),
        end_year=int(data["period"]["end"]),
        indicators=specs,
    )


def _deadline(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PackInvalid(f"{where} 的 deadline 应为 YYYY-MM-DD") from None


def parse_plan(data: dict[str, Any], known_indicators: set[str], source: str = "plan") -> PlanSpec:
    for key in ("code", "name", "city_region_code", "items"):
        if key not in data:
            raise PackInvalid(f"{source}：缺少必填项 {key}")
    city = _region(data["city_region_code"], source)
    items = []
    for position, entry in enumerate(data["items"], start=1):
        where = f"任务 {entry.get('code', f'#{position}')}"
        missing = [k for k in ("code", "region", "title", "lead_unit") if k not in entry]
        if missing:
            raise PackInvalid(f"{where} 缺少必填项 {', '.join(missing)}")
        region = _region(entry["region"], where)
        if not city.contains(region):
            raise PackInvalid(
                f"{where}：行政区划 {region.name} 不在 {city.name} 内", field="region"
            )
        unknown = [c for c in entry.get("indicators", []) if c not in known_indicators]
        if unknown:
            raise PackInvalid(f"{where} 关联了未定义的指标 {', '.join(unknown)}")
        items.append(
            ItemSpec(
                code=str(entry["code"]),
                region=region,
                title=str(entry["title"]),
                lead_unit=str(entry["lead_unit"]),
                deadline=_deadline(entry.get("deadline"), where),
                target=str(entry.get("target", "")),
                indicator_codes=tuple(entry.get("indicators", [])),
                passage=str(entry.get("passage", "")).strip(),
                position=position,
            )
        )
    return PlanSpec(
        code=str(data["code"]),
        name=str(data["name"]),
        city=city,
        source=str(data.get("source", "")),
        items=tuple(items),
    )
