"""Working days from the official Chinese holiday calendar (the `chinese-calendar` package).

For a year the package does not know yet (it raises for it), the schedule a system administrator
entered from the State Council's notice (``holidays``); without one, fall back to weekends plus
the statutory holiday dates of the 全国年节及纪念日放假办法 (2024), without the adjusted weekend
workdays nobody can know yet, and log a warning once per year.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from lunar_python import Lunar, Solar

logger = logging.getLogger("fawang.workdays")


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[date]:
    """The statutory holiday dates of a year (no bridging days, no adjusted workdays)."""

    def lunar(month: int, day: int) -> date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    spring = lunar(1, 1)
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    days = {
        date(year, 1, 1),
        spring - timedelta(days=1),
        spring,
        spring + timedelta(days=1),
        spring + timedelta(days=2),
        date(qingming.getYear(), qingming.getMonth(), qingming.getDay()),
        date(year, 5, 1),
        date(year, 5, 2),
        lunar(5, 5),
        lunar(8, 15),
        date(year, 10, 1),
        date(year, 10, 2),
        date(year, 10, 3),
    }
    return frozenset(d for d in days if d.year == year)


@lru_cache(maxsize=16)
def _warn_unpublished(year: int) -> None:
    logger.warning(
        "no official holiday schedule for %s yet: counting weekends and statutory holidays only"
        " (a system administrator enters the published one at /console/holidays/)",
        year,
    )


def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        pass
    # Imported here, not at the top: business lines' models import this module while Django is
    # still loading models, and only a year the package lacks needs the entered schedules.
    from fawang.policy.schedules import entered

    schedule = entered(day.year)
    if schedule.known:
        return day in schedule.work or (day.weekday() < 5 and day not in schedule.rest)
    _warn_unpublished(day.year)
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def working_days_after(start: datetime, days: int) -> datetime:
    """The moment a deadline of ``days`` working days, counted from the day after ``start``,
    runs out: midnight at the end of the last working day, local time."""
    current = start.astimezone(local_zone()).date()
    counted = 0
    with _schedules_read_once():
        while counted < days:
            current += timedelta(days=1)
            if is_workday(current):
                counted += 1
    return datetime.combine(current + timedelta(days=1), time.min, tzinfo=local_zone())


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days after ``start``'s date up to and including ``end``'s date."""
    first = start.astimezone(local_zone()).date()
    last = end.astimezone(local_zone()).date()
    count, current = 0, first
    with _schedules_read_once():
        while current < last:
            current += timedelta(days=1)
            count += is_workday(current)
    return count


def _schedules_read_once() -> AbstractContextManager[None]:
    """For a year the package lacks, each day asks whether the entered schedules changed (one
    query); a loop over a month of days outside a request (a job, a command) asks once."""
    from fawang.core.generations import tokens_read_once  # see is_workday: models still loading

    return tokens_read_once()
