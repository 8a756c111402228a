"""Entering the State Council's holiday schedule for a year the packaged calendar lacks.

A system administrator copies the notice's days — ISO dates or the notice's own wording
(``2月6日至12日``), ranges with 至 / 到 / ~ — and cites the notice. The schedule replaces any
schedule entered for that year before, is checked against the statutory holidays of the
全国年节及纪念日放假办法 (every one must be a rest day) and against the calendar (a weekend day
worked is a Saturday or Sunday), and is audited.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import chinese_calendar
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.generations import bump
from fawang.core.models import Role, User
from fawang.core.periods import report_year
from fawang.core.validation import clean_text
from fawang.policy.models import HolidaySchedule, OfficialDay
from fawang.policy.schedules import HOLIDAY_SCHEDULES, entered
from fawang.policy.workdays import statutory_holidays

MAX_RANGE_DAYS = 31  # a longer range is a typing mistake, not a holiday

_DATE = r"(?:(\d{4})\s*[-./年]\s*)?(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"
_ONE = re.compile(
    rf"{_DATE}(?:\s*(?:至|到|~|～|—|–|－)\s*(?:{_DATE}|(\d{{1,2}})\s*日))?"
    r"|[\s,，、;；。]+|（[^）]*）|\([^)]*\)"
)


def package_covers(year: int) -> bool:
    """The packaged calendar carries the year's official schedule."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _day(year: int, y: str | None, m: str, d: str, field: str) -> date:
    try:
        return date(int(y) if y else year, int(m), int(d))
    except ValueError:
        raise InvalidInput(
            _("日期“%(text)s”不存在。") % {"text": f"{y + '-' if y else ''}{m}-{d}"},
            code="bad_date_list",
            field=field,
        ) from None


def parse_days(text: str, year: int, field: str) -> list[date]:
    """Every day the text names, in order, each once."""
    days: list[date] = []
    position = 0
    text = text or ""
    while position < len(text):
        match = _ONE.match(text, position)
        if match is None or match.end() == position:
            raise InvalidInput(
                _("无法识别“%(text)s”：请写成 2027-02-06 或 2月6日至12日，用逗号或换行分隔。")
                % {"text": text[position : position + 12]},
                code="bad_date_list",
                field=field,
            )
        position = match.end()
        if match.group(2) is None:
            continue  # separators and remarks such as （星期六）
        first = _day(year, match.group(1), match.group(2), match.group(3), field)
        last = first
        if match.group(5):
            last = _day(year, match.group(4), match.group(5), match.group(6), field)
        elif match.group(7):
            last = _day(year, str(first.year), str(first.month), match.group(7), field)
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            raise InvalidInput(
                _("日期范围 %(first)s 至 %(last)s 不正确。") % {"first": first, "last": last},
                code="bad_date_list",
                field=field,
            )
        while first <= last:
            if first not in days:
                days.append(first)
            first += timedelta(days=1)
    return days


def _check(year: int, rest: list[date], work: list[date]) -> None:
    outside = [d for d in [*rest, *work] if d.year != year]
    if outside:
        raise InvalidInput(
            _("%(day)s 不在 %(year)s 年内。") % {"day": outside[0], "year": year},
            code="day_outside_year",
            field="rest_days" if outside[0] in rest else "work_days",
        )
    both = sorted(set(rest) & set(work))
    if both:
        raise InvalidInput(
            _("%(day)s 不能既放假又上班。") % {"day": both[0]}, code="day_both", field="work_days"
        )
    weekdays = [d for d in work if d.weekday() < 5]
    if weekdays:
        raise InvalidInput(
            _("调休上班日应为星期六或星期日：%(day)s 是工作日。") % {"day": weekdays[0]},
            code="workday_not_weekend",
            field="work_days",
        )
    missing = sorted(statutory_holidays(year) - set(rest))
    if missing:
        raise InvalidInput(
            _("放假日期缺少法定节假日（全国年节及纪念日放假办法）：%(days)s。")
            % {"days": "、".join(str(d) for d in missing)},
            code="holiday_missing",
            field="rest_days",
        )


@transaction.atomic
def enter_holiday_schedule(
    *, acting_user: User, year: int, rest_days: str, work_days: str, source: str
) -> HolidaySchedule:
    """Record (or replace) the year's published schedule; returns it with its days."""
    if acting_user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied(_("只有系统管理员可以录入节假日安排。"))
    year = report_year(year)
    if package_covers(year):
        raise Conflict(
            _("%(year)s 年的放假安排已随日历数据提供，无需录入。") % {"year": year},
            code="holidays_published",
            field="year",
        )
    source = clean_text(source, 200, "source", "依据（通知文号与标题）")
    rest = parse_days(rest_days, year, "rest_days")
    work = parse_days(work_days, year, "work_days")
    _check(year, rest, work)
    schedule, _created = HolidaySchedule.objects.update_or_create(
        year=year, defaults={"source": source, "entered_by": acting_user}
    )
    schedule.days.all().delete()
    OfficialDay.objects.bulk_create(
        [OfficialDay(schedule=schedule, day=d, working=False) for d in sorted(rest)]
        + [OfficialDay(schedule=schedule, day=d, working=True) for d in sorted(work)]
    )
    bump(HOLIDAY_SCHEDULES)
    record_event(
        "holidays.enter",
        actor=acting_user,
        obj=schedule,
        detail={"year": year, "rest_days": len(rest), "work_days": len(work), "source": source},
    )
    return schedule


def missing_years(years: list[int]) -> list[int]:
    """Those of ``years`` whose schedule is neither in the packaged calendar nor entered."""
    return [y for y in years if not package_covers(y) and not entered(y).known]


def missing_schedule_note(today: date | None = None) -> str | None:
    """For ``/readyz``: this year's schedule, or next year's from November (when the State
    Council publishes it), is neither in the packaged calendar nor entered."""
    today = today or timezone.localdate()
    missing = missing_years([today.year] + ([today.year + 1] if today.month >= 11 else []))
    if not missing:
        return None
    return (
        f"{'、'.join(map(str, missing))}年的国务院放假安排尚未录入：以工作日计算的期限暂按周末和"
        "法定节假日估算，不含调休（工作台 → 节假日安排）。"
    )


def schedules() -> list[HolidaySchedule]:
    return list(HolidaySchedule.objects.select_related("entered_by").prefetch_related("days"))
