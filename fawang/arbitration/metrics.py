"""Counters for the indicators module: SJZ-26 (awards set aside or not enforced), counted by the
award's date and grouped by the commission's region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count

from fawang.arbitration.models import ArbitrationCase, CourtOutcome, Outcome

Counter = Callable[[date], dict[int, float]]


def _awards(day: date, *, bad_only: bool) -> dict[int, float]:
    qs = ArbitrationCase.objects.filter(outcome=Outcome.AWARD, closed_on=day)
    if bad_only:
        qs = qs.filter(court_outcome__in=[CourtOutcome.SET_ASIDE, CourtOutcome.NOT_ENFORCED])
    rows = qs.values("region_id").annotate(n=Count("id")).order_by()
    return {row["region_id"]: float(row["n"]) for row in rows}


def awards(day: date) -> dict[int, float]:
    return _awards(day, bad_only=False)


def awards_set_aside_or_not_enforced(day: date) -> dict[int, float]:
    """Awards of the day later set aside (仲裁法 art. 71) or not enforced (art. 76); a court
    outcome reported later changes the count of the award's day when the fill is re-run."""
    return _awards(day, bad_only=True)


FLOW_COUNTERS: dict[str, Counter] = {
    "arbitration.awards": awards,
    "arbitration.awards_set_aside_or_not_enforced": awards_set_aside_or_not_enforced,
}
STOCK_COUNTERS: dict[str, Counter] = {}
