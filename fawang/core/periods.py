"""Reporting periods — a year (``2026``), a quarter (``2026Q3``) or a month (``2026-03``) — and
their bounds, for every line that reports or samples by period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.core.errors import InvalidInput

YEAR, QUARTER, MONTH = "year", "quarter", "month"
# Records begin well after the first year and no report looks past the last.
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 0  # the quarter (1–4) or the month (1–12); 0 for a year

    @property
    def start(self) -> date:
        if self.kind == QUARTER:
            return date(self.year, 3 * (self.number - 1) + 1, 1)
        if self.kind == MONTH:
            return date(self.year, self.number, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        months = {YEAR: 12, QUARTER: 3, MONTH: 1}[self.kind]
        index = self.start.month - 1 + months
        return date(self.start.year + index // 12, index % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)

    def moments(self) -> tuple[datetime, datetime]:
        """[start, end) at local midnight."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end, time.min, tzinfo=zone),
        )


def parse_period(
    text: str,
    *,
    kinds: tuple[str, ...] = (YEAR, QUARTER, MONTH),
    message: str = "期间应为年份（如 2026）、季度（如 2026Q3）或月份（如 2026-03）。",
    code: str = "period",
    field: str = "period",
) -> Period:
    """``2026``, ``2026Q3`` or ``2026-03`` (whichever of ``kinds`` the caller accepts)."""
    value = (text or "").strip().upper()
    if not FIRST_YEAR <= _leading_year(value) <= LAST_YEAR:
        raise InvalidInput(message, code=code, field=field)
    try:
        if QUARTER in kinds and "Q" in value:
            year, number = value.split("Q")
            if len(year) == 4 and 1 <= int(number) <= 4:
                return Period(QUARTER, int(year), int(number))
        elif MONTH in kinds and len(value) == 7 and value[4] == "-":
            month = int(value[5:])
            if 1 <= month <= 12:
                return Period(MONTH, int(value[:4]), month)
        elif YEAR in kinds and len(value) == 4:
            return Period(YEAR, int(value))
    except ValueError:
        pass
    raise InvalidInput(message, code=code, field=field)


def report_year(year: int | None, *, field: str = "year") -> int:
    """The year an API caller asks a report for: this year when none is given, else a year from
    ``FIRST_YEAR`` to ``LAST_YEAR`` or a refusal (a year past 9999 would end in a server error
    in the date arithmetic)."""
    if not year:
        return timezone.localdate().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            _("年份应在%(first)d至%(last)d之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="bad_year",
            field=field,
        )
    return year


def page_year(raw: object) -> int:
    """The year a report page shows: the ``?year=`` given when it is a year from ``FIRST_YEAR`` to
    ``LAST_YEAR``, else this year (a page answers an odd address with this year's figures)."""
    text = str(raw or "").strip()
    if text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return timezone.localdate().year


def _leading_year(value: str) -> int:
    return int(value[:4]) if value[:4].isdigit() else 0


def local_days(rows: Iterable[Iterable[date | datetime | None]]) -> set[date]:
    """The local calendar days of every date and datetime in ``rows`` (None skipped): what the
    indicators' ``touched_days`` hooks return for the rows changed since their last run."""
    days: set[date] = set()
    for row in rows:
        for value in row:
            if value is not None:
                days.add(timezone.localdate(value) if isinstance(value, datetime) else value)
    return days


def days_begun_with(rows: Any, field: str, since: datetime) -> set[date]:
    """The local days begun after ``since``'s day, up to today, on which some row of ``rows`` (a
    queryset) has its date or datetime ``field``: a row dated ahead of our clock (a notice a few
    minutes ahead, a screening due next week) lies on a day the fill had not reached yet, and the
    hooks must name that day once it begins. One query, whatever the number of days."""
    first, today = timezone.localdate(since) + timedelta(days=1), timezone.localdate()
    if first > today:
        return set()
    if rows.model._meta.get_field(field).get_internal_type() == "DateField":
        dated = rows.filter(**{f"{field}__range": (first, today)})
        return set(dated.order_by().values_list(field, flat=True).distinct())
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    dated = rows.filter(**{f"{field}__gte": start, f"{field}__lt": end})
    return {timezone.localdate(day) for day in dated.datetimes(field, "day")}
