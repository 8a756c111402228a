"""Policy packs: the numbers a city's policy documents set (deadlines now, indicators later).

A pack is a YAML file in ``fawang/policy/packs/``; the pack for a region is the one whose city
contains it. Code reads numbers from here, never from literals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from fawang.core.errors import DomainError, InvalidInput
from fawang.core.models import Region
from fawang.core.registry import pack_section_parsers

PACK_DIR = Path(__file__).resolve().parent / "packs"
BUSINESS_LINES_REQUIRED = (
    "consultation",
    "legal_aid",
    "mediation",
    "notarization",
    "appraisal",
    "arbitration",
    "complaint",
    "other",
)


class PackError(ValueError):
    """A pack that cannot be used, with a message saying what is wrong."""


class NoPackForRegion(InvalidInput):
    """Nothing may be decided for a place whose city has no policy pack."""

    code = "no_policy_pack"


@dataclass(frozen=True)
class ServiceLevels:
    claim_working_days: int
    reply_working_days: dict[str, int]
    escalate_to_city_after_working_days: int
    auto_close_days_after_reply: int


@dataclass(frozen=True)
class PolicyPack:
    code: str
    name: str
    city_region_code: str
    start_year: int
    end_year: int
    service_levels: ServiceLevels
    raw: dict[str, Any]


def _positive_int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PackError(f"{where} 应为非负整数，实际为 {value!r}")
    return value


def parse_pack(data: dict[str, Any], source: str = "pack") -> PolicyPack:
    try:
        levels = data["service_levels"]
        replies = levels["reply_working_days"]
        missing = [line for line in BUSINESS_LINES_REQUIRED if line not in replies]
        if missing:
            raise PackError(f"{source}: reply_working_days 缺少业务类别 {', '.join(missing)}")
        service_levels = ServiceLevels(
            claim_working_days=_positive_int(levels["claim_working_days"], "claim_working_days"),
            reply_working_days={
                line: _positive_int(days, f"reply_working_days.{line}")
                for line, days in replies.items()
            },
            escalate_to_city_after_working_days=_positive_int(
                levels["escalate_to_city_after_working_days"], "escalate_to_city_after_working_days"
            ),
            auto_close_days_after_reply=_positive_int(
                levels["auto_close_days_after_reply"], "auto_close_days_after_reply"
            ),
        )
        return PolicyPack(
            code=str(data["code"]),
            name=str(data["name"]),
            city_region_code=str(data["city_region_code"]),
            start_year=int(data["period"]["start"]),
            end_year=int(data["period"]["end"]),
            service_levels=service_levels,
            raw=data,
        )
    except KeyError as error:
        raise PackError(f"{source}: 缺少必填项 {error.args[0]}") from None


@lru_cache(maxsize=1)
def shipped_packs() -> tuple[PolicyPack, ...]:
    packs = []
    for path in sorted(PACK_DIR.glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            packs.append(parse_pack(yaml.safe_load(handle), source=path.name))
    return tuple(packs)


def pack_for_region(region: Region | None) -> PolicyPack:
    """The pack of the city the region lies in; ``NoPackForRegion`` when no pack covers it."""
    if region is not None:
        for pack in shipped_packs():
            if f"/{pack.city_region_code}/" in region.path or region.code == pack.city_region_code:
                return pack
    place = f"{region.name}（{region.code}）" if region is not None else "未指定的地区"
    raise NoPackForRegion(f"{place}所在城市尚未配置政策包，暂不能办理，请联系市司法局。")


def section_problems(pack: PolicyPack) -> list[str]:
    """What is wrong with the pack's business-line sections, each parsed by the line that
    declared it (``pack_section`` in its registry entry); empty when every section is usable."""
    problems = []
    for line, parse in pack_section_parsers():
        try:
            parse(pack.raw, pack.code)
        except (PackError, DomainError) as error:
            problems.append(f"{pack.code}（{line}）：{error}")
    return problems
