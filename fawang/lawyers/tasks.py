"""Periodic job: practice-rights reports past their answer deadline go to the city bureau."""

from __future__ import annotations

from django_tasks import task

from fawang.lawyers.services import escalate_overdue


@task()
def escalate_overdue_reports() -> int:
    return escalate_overdue()
