"""Periodic jobs of the notary line."""

from __future__ import annotations

from django_tasks import task

from fawang.notary.services import mark_overdue


@task()
def mark_overdue_matters() -> int:
    """Matters past the 15-working-day limit (公证法 art. 30) with no pause running."""
    return len(mark_overdue())
