"""Reading the holiday schedules entered for years the packaged calendar lacks (entered by
``holidays.enter_holiday_schedule``; read by ``workdays.is_workday``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fawang.core.generations import GenerationalMap
from fawang.policy.models import HolidaySchedule

HOLIDAY_SCHEDULES = "holiday_schedules"


@dataclass(frozen=True)
class Entered:
    """A year's entered schedule (``known`` False when none is)."""

    known: bool
    rest: frozenset[date] = frozenset()
    work: frozenset[date] = frozenset()


def _load(year: int) -> Entered:
    schedule = HolidaySchedule.objects.filter(year=year).first()
    if schedule is None:
        return Entered(known=False)
    days = list(schedule.days.values_list("day", "working"))
    return Entered(
        known=True,
        rest=frozenset(d for d, working in days if not working),
        work=frozenset(d for d, working in days if working),
    )


_entered: GenerationalMap[int, Entered] = GenerationalMap(HOLIDAY_SCHEDULES, _load)


def entered(year: int) -> Entered:
    """The year's entered schedule, kept in memory until a schedule is entered anywhere."""
    return _entered.get(year) or Entered(known=False)
