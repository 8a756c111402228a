"""The State Council's holiday schedule for a year the packaged calendar does not know yet.

The official calendar (``chinese-calendar``) ships each year's 放假 and 调休上班 days once the
State Council publishes them (国务院办公厅关于某年部分节假日安排的通知, usually in November), and
the package reaches a release later. Until then a system administrator enters the published
schedule here, citing the notice; ``workdays.is_workday`` reads it for that year only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HolidaySchedule(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField("依据（通知文号与标题）", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class OfficialDay(models.Model):
    """A day the schedule moves: a rest day (放假) or a weekend day worked (调休上班)."""

    schedule = models.ForeignKey(HolidaySchedule, on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日期", unique=True)
    working = models.BooleanField("调休上班", default=False)

    class Meta:
        verbose_name = "放假或调休日"
        verbose_name_plural = "放假或调休日"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}{'（调休上班）' if self.working else '（放假）'}"
