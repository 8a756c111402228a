"""The reminder job: `fawang scheduler` runs it every 15 minutes (registry)."""

from __future__ import annotations

from django_tasks import task

from fawang.advisers import services


@task()
def send_booking_reminders() -> int:
    return services.send_reminders()
