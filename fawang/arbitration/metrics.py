"""Counters for the indicators module: SJZ-26 (awards set aside or not enforced), counted by the
award's date and grouped by the commission's region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Count

from fawang.arbitration.models import ArbitrationCase, CourtOutcome, Outcome
from fawang.core.periods import local_days

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
    outcome reported later changes the count of the award's day (``touched_days`` names it)."""
    return _awards(day, bad_only=True)


def touched_days(since: datetime) -> set[date]:
    """Days whose figures a change since ``since`` may alter. The fill refills the flow counters on
    exactly these days (the module has no stocks).

    For every award changed since ``since`` (a case's ``updated_at``, which every service bumps):
    its ``closed_on``, the one date both counters count it on, and the local day of the change.
    The clerk enters ``closed_on`` for any day from the filing to today, so an award made weeks
    ago and recorded today counts on its own day; and a court's ruling (set aside, not enforced)
    reported months after the award changes the count of the award's day, which the ruling's
    save touches again. No date is ahead of the clock (the services refuse a filing or closing day
    after today). Cases closed otherwise, and open ones, are in no counter.

    Nothing else is read: the region is the case's own (its commission's when it was registered),
    and the services set ``closed_on`` and the outcome once (a closed case is not closed again).
    A date changed outside them (the day it had before is not kept) needs ``fawang indicators
    fill --since``.
    """
    changed = ArbitrationCase.objects.filter(updated_at__gte=since, outcome=Outcome.AWARD)
    return local_days(changed.values_list("closed_on", "updated_at"))


FLOW_COUNTERS: dict[str, Counter] = {
    "arbitration.awards": awards,
    "arbitration.awards_set_aside_or_not_enforced": awards_set_aside_or_not_enforced,
}
STOCK_COUNTERS: dict[str, Counter] = {}
