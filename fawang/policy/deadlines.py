"""Deadlines: the one function every line uses for a period counted in days.

A period in a pack always says its unit (``{days: 7, unit: calendar_days}``); a bare number is a
``PackError``, because "7 days" and "7 working days" end up to a week apart.

Calendar days follow the Civil Code (民法典), which governs every statute's "日" unless a law
says otherwise (art. 204):

* art. 200 — periods are counted by the Gregorian calendar;
* art. 201 — the day the period starts (the day of receipt, of signing…) is not counted; counting
  starts the next day;
* art. 203 para. 1 — when the last day is a statutory day off (法定休假日), the day after the
  days off becomes the last day; a day off *inside* the period does not lengthen it;
* art. 203 para. 2 — the last day ends at 24:00.

The Civil Procedure Law (民事诉讼法 art. 85) counts the same way for court periods. A day off is
any day the official calendar does not work (weekends and statutory holidays, but not the
adjusted weekend workdays), as :func:`fawang.policy.workdays.is_workday` says.

Working days count only working days, from the day after the start; the last one ends at 24:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from fawang.policy.workdays import is_workday, local_zone


class PeriodError(ValueError):
    """A period that cannot be used (no unit, unknown unit, not a positive whole number)."""


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


UNIT_WORDS = {Unit.CALENDAR_DAYS: "日", Unit.WORKING_DAYS: "个工作日"}


@dataclass(frozen=True)
class Period:
    days: int
    unit: Unit

    def __str__(self) -> str:
        return f"{self.days}{UNIT_WORDS[self.unit]}"

    @property
    def in_working_days(self) -> bool:
        return self.unit == Unit.WORKING_DAYS


def parse_period(value: Any, where: str, *, allow_zero: bool = False) -> Period:
    """``{days: N, unit: calendar_days|working_days}`` from a pack; ``PeriodError`` otherwise."""
    if not isinstance(value, dict):
        raise PeriodError(
            f"{where} 应写成 {{days: 天数, unit: calendar_days 或 working_days}}，"
            f"缺少期间单位：{value!r}"
        )
    if "unit" not in value:
        raise PeriodError(f"{where} 缺少期间单位 unit（calendar_days 或 working_days）")
    try:
        unit = Unit(value["unit"])
    except ValueError:
        raise PeriodError(
            f"{where}.unit 应为 calendar_days 或 working_days，实际为 {value['unit']!r}"
        ) from None
    days = value.get("days")
    smallest = 0 if allow_zero else 1
    if not isinstance(days, int) or isinstance(days, bool) or days < smallest:
        raise PeriodError(f"{where}.days 应为不小于 {smallest} 的整数，实际为 {days!r}")
    return Period(days, unit)


def last_day(start: date, period: Period) -> date:
    """The last day of ``period`` started on ``start`` (that day itself not counted)."""
    current = start
    if period.unit == Unit.WORKING_DAYS:
        counted = 0
        while counted < period.days:
            current += timedelta(days=1)
            if is_workday(current):
                counted += 1
        return current
    current = start + timedelta(days=period.days)  # 民法典 art. 201
    while not is_workday(current):  # 民法典 art. 203 para. 1; 民事诉讼法 art. 85
        current += timedelta(days=1)
    return current


def deadline(start: datetime, period: Period) -> datetime:
    """The moment ``period`` from ``start`` runs out: 24:00 (local) of its last day."""
    first = start.astimezone(local_zone()).date()
    end = last_day(first, period)
    return datetime.combine(end + timedelta(days=1), time.min, tzinfo=local_zone())


def deadline_from_day(start: date, period: Period) -> datetime:
    """As :func:`deadline`, for a period that starts on a date (an agreement's signing day)."""
    end = last_day(start, period)
    return datetime.combine(end + timedelta(days=1), time.min, tzinfo=local_zone())


def due_day(moment: datetime) -> date:
    """The last day of a deadline made by :func:`deadline` (its 24:00 is ``moment``)."""
    return (moment - timedelta(microseconds=1)).astimezone(local_zone()).date()


def escalation_moment(due: datetime, period: Period) -> datetime:
    """When a further ``period`` after a missed deadline ``due`` runs out (counted from the
    missed deadline's last day, as any period is counted from the day it starts)."""
    return deadline_from_day(due_day(due), period)
