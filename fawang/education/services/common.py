"""Who may act in legal education, and the input cleaners the use cases share."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fawang.core.errors import InvalidInput, NotFound, PermissionDenied
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel, Role, User
from fawang.core.selectors import NOT_FOUND_MESSAGE
from fawang.core.taxonomy import Topic
from fawang.education.models import TargetGroup

# 普法 is run by the justice bureaus' staff (司法局/司法所); publishing and assessing need a bureau
# (区、市司法局), not a township office.
REVIEWER_ROLES = frozenset({Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY})


def is_education_staff(user: User) -> bool:
    return user.is_authenticated and user.role in SUPERVISOR_ROLES and user.region is not None


def require_staff_over(user: User, region: Region, message: str) -> None:
    """The acting staff member's region contains ``region`` (else: denied)."""
    if not is_education_staff(user) or user.region is None or not user.region.contains(region):
        raise PermissionDenied(message)


def require_bureau_over(user: User, region: Region, message: str) -> None:
    require_staff_over(user, region, message)
    if user.role not in REVIEWER_ROLES:
        raise PermissionDenied(message)


def region_in_scope(user: User, code: Any, field: str = "region") -> Region:
    """A region the user may record in, by code; outside their subtree it does not exist."""
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput("请选择地区。", code="required", field=field)
    region = Region.objects.filter(code=code.strip()).select_related("parent").first()
    if region is None or user.region is None or not user.region.contains(region):
        raise NotFound(NOT_FOUND_MESSAGE)
    return region


def village_in_scope(user: User, code: Any, field: str = "region") -> Region:
    region = region_in_scope(user, code, field)
    if region.level != RegionLevel.VILLAGE:
        raise InvalidInput("请选择村（社区）。", code="not_village", field=field)
    return region


def clean_codes(
    values: Any, choices: list[str], field: str, label: str, *, required: bool = True
) -> list[str]:
    """A list of codes, each known, in the declared order; at least one when required."""
    if isinstance(values, str):
        values = [v for v in re.split(r"[,，\s]+", values) if v]
    if not isinstance(values, list | tuple):
        raise InvalidInput(f"{label}格式不正确。", code="bad_choice", field=field)
    unknown = [v for v in values if v not in choices]
    if unknown:
        raise InvalidInput(f"未知的{label}：{unknown[0]}", code="bad_choice", field=field)
    if required and not values:
        raise InvalidInput(f"请至少选择一项{label}。", code="required", field=field)
    return [c for c in choices if c in set(values)]


def clean_groups(values: Any, field: str = "groups") -> list[str]:
    return clean_codes(values, list(TargetGroup.values), field, "面向群体")


def clean_topics(values: Any, field: str = "topics", *, required: bool = True) -> list[str]:
    return clean_codes(values, list(Topic.values), field, "法律主题", required=required)


def clean_int(value: Any, field: str, label: str, *, least: int = 0, most: int = 10**7) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(f"{label}应为整数。", code="bad_number", field=field) from None
    if not least <= number <= most:
        raise InvalidInput(f"{label}应在 {least} 到 {most} 之间。", code="bad_number", field=field)
    return number


def clean_date(value: Any, field: str, label: str, *, today: date | None = None) -> date:
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise InvalidInput(
                f"请按 年-月-日 填写{label}。", code="bad_date", field=field
            ) from None
    if today is not None and day > today:
        raise InvalidInput(f"{label}不能晚于今天。", code="future_date", field=field)
    return day


# --- statute citations ------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CITATION = re.compile(
    r"^《?\s*(?P<law>[^《》第\s]{2,60}?)\s*》?\s*第\s*(?P<n>[0-9零〇一二两三四五六七八九十百千]+)\s*条$"
)


def chinese_number(text: str) -> int:
    """一千零七十九 → 1079; arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (digit or 1) * _UNITS[char]
            digit = 0
        else:
            raise ValueError(char)
    return total + digit


def clean_statutes(values: Any, field: str = "statutes") -> list[dict[str, Any]]:
    """Cited articles, one a line: 《民法典》第1079条 or 民法典第一千零七十九条."""
    if isinstance(values, str):
        values = [v for v in values.splitlines() if v.strip()]
    refs: list[dict[str, Any]] = []
    for raw in values or []:
        if isinstance(raw, dict):
            raw = f"{raw.get('law', '')}第{raw.get('article', '')}条"
        match = _CITATION.match(str(raw).strip().replace("中华人民共和国", ""))
        try:
            number = chinese_number(match.group("n")) if match else 0
        except ValueError:
            number = 0
        if match is None or number < 1:
            raise InvalidInput(
                f"法条“{str(raw).strip()[:40]}”应写成如“民法典第1079条”。",
                code="bad_citation",
                field=field,
            )
        ref = {"law": match.group("law"), "article": number}
        if ref not in refs:
            refs.append(ref)
    if len(refs) > 20:
        raise InvalidInput("相关法条最多20条。", code="too_long", field=field)
    return refs
