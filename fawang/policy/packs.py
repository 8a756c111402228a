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
from fawang.policy.deadlines import Period, PeriodError, parse_period

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
class GreenChannel:
    """绿色通道 (R12, SJZ 3): requests of these groups are claimed first and within ``claim``; the
    reply is due within ``reply[line]`` where the pack names the line (the shorter period wins)."""

    groups: tuple[str, ...]
    claim: Period
    reply: dict[str, Period]


@dataclass(frozen=True)
class ServiceLevels:
    """Work-order periods, each with its unit (calendar or working days, ``policy.deadlines``)."""

    claim: Period
    reply: dict[str, Period]
    escalate_to_city_after: Period
    auto_close_after_reply: Period
    green_channel: GreenChannel | None = None


@dataclass(frozen=True)
class PolicyPack:
    code: str
    name: str
    city_region_code: str
    start_year: int
    end_year: int
    service_levels: ServiceLevels
    raw: dict[str, Any]


def pack_period(value: Any, where: str, *, allow_zero: bool = False) -> Period:
    """A period from a pack, with its unit; ``PackError`` when the unit (or number) is wrong."""
    try:
        return parse_period(value, where, allow_zero=allow_zero)
    except PeriodError as error:
        raise PackError(str(error)) from None


def parse_pack(data: dict[str, Any], source: str = "pack") -> PolicyPack:
    try:
        levels = data["service_levels"]
        replies = levels["reply"]
        missing = [line for line in BUSINESS_LINES_REQUIRED if line not in replies]
        if missing:
            raise PackError(f"{source}: service_levels.reply 缺少业务类别 {', '.join(missing)}")
        where = f"{source}: service_levels"
        service_levels = ServiceLevels(
            claim=pack_period(levels["claim"], f"{where}.claim"),
            reply={
                line: pack_period(period, f"{where}.reply.{line}")
                for line, period in replies.items()
            },
            escalate_to_city_after=pack_period(
                levels["escalate_to_city_after"], f"{where}.escalate_to_city_after", allow_zero=True
            ),
            auto_close_after_reply=pack_period(
                levels["auto_close_after_reply"], f"{where}.auto_close_after_reply"
            ),
            green_channel=_green_channel(levels.get("green_channel"), f"{where}.green_channel"),
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


def _green_channel(data: Any, where: str) -> GreenChannel | None:
    if data is None:
        return None
    groups = tuple(str(g) for g in data["groups"])
    if not groups:
        raise PackError(f"{where}.groups 不能为空")
    return GreenChannel(
        groups=groups,
        claim=pack_period(data["claim"], f"{where}.claim"),
        reply={
            line: pack_period(period, f"{where}.reply.{line}")
            for line, period in (data.get("reply") or {}).items()
        },
    )


@lru_cache(maxsize=1)
def shipped_packs() -> tuple[PolicyPack, ...]:
    packs = []
    for path in sorted(PACK_DIR.glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            packs.append(parse_pack(yaml.safe_load(handle), source=path.name))
    return tuple(packs)


def pack_name(code: str) -> str:
    """The name of a shipped pack for pages (a person reads 北京市…, not ``beijing-2025-2027``)."""
    return next((pack.name for pack in shipped_packs() if pack.code == code), "")


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
