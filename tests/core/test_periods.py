"""Reporting periods: one parser and one set of bounds for every line."""

from __future__ import annotations

from datetime import date

import pytest

from fawang.core.errors import InvalidInput
from fawang.core.periods import MONTH, QUARTER, YEAR, Period, parse_period


@pytest.mark.parametrize(
    ("text", "kind", "start", "last_day"),
    [
        ("2026", YEAR, date(2026, 1, 1), date(2026, 12, 31)),
        ("2026Q1", QUARTER, date(2026, 1, 1), date(2026, 3, 31)),
        ("2026q4", QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
        ("2024-02", MONTH, date(2024, 2, 1), date(2024, 2, 29)),  # a leap February
        ("2026-12", MONTH, date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_a_period_and_its_days(text: str, kind: str, start: date, last_day: date) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.last_day) == (kind, start, last_day)
    assert period.end.toordinal() == last_day.toordinal() + 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026Q5",
        "2026Q0",
        "2026-13",
        "2026-00",
        "二〇二六",
        "9999",
        "99999",
        "-1",
        "0Q1",
        "0000",
    ],
)
def test_a_malformed_period_is_refused_beside_its_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(text)
    assert refused.value.field == "period" and "2026Q3" in refused.value.message


def test_a_caller_may_accept_fewer_kinds() -> None:
    with pytest.raises(InvalidInput):
        parse_period("2026-03", kinds=(YEAR, QUARTER))
    assert parse_period("2026", kinds=(YEAR, MONTH)) == Period(YEAR, 2026)
