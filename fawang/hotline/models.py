"""Hotline seats (坐席), their shifts (排班), the call records the telephony system reports
(呼入记录) and the supervisors' review of sampled calls (坐席考评)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, User
from fawang.workorders.models import WorkOrder


class Seat(models.Model):
    """A hotline position at a public legal service centre (坐席)."""

    centre = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("坐席号"), max_length=20)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("坐席")
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="hotline_seat_unique")
        ]
        ordering = ["centre_id", "number"]

    def __str__(self) -> str:
        return f"{self.number}"


class Shift(models.Model):
    """A person at a seat from ``start`` to ``end`` (排班)."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="shifts")
    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = _("排班")
        ordering = ["start"]
        indexes = [models.Index(fields=["seat", "start"])]

    def __str__(self) -> str:
        return f"{self.seat} {self.start:%Y-%m-%d %H:%M}"


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("已接通")
    ABANDONED = "abandoned", _("未接通（放弃）")


class CallRecord(models.Model):
    """One call offered to a centre, as the telephony system reported it. ``call_id`` is the
    telephony system's own id: a retried webhook or a re-imported file finds the same row."""

    call_id = models.CharField(_("话务编号"), max_length=64, unique=True)
    centre = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    staff = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(_("呼入时间"))
    outcome = models.CharField(_("结果"), max_length=20, choices=CallOutcome.choices)
    wait_seconds = models.PositiveIntegerField(_("等待时长（秒）"), default=0)
    talk_seconds = models.PositiveIntegerField(_("通话时长（秒）"), default=0)
    recording_ref = models.CharField(_("录音编号"), max_length=200, blank=True)
    # The order the seat created from the call; workorders knows nothing of calls.
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=20, default="webhook")
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("呼入记录")
        ordering = ["-offered_at"]
        indexes = [models.Index(fields=["centre", "offered_at"])]

    def __str__(self) -> str:
        return self.call_id


class SeatReview(models.Model):
    """A sampled answered call to be scored by a supervisor (坐席律师监管考评)."""

    call = models.OneToOneField(CallRecord, on_delete=models.CASCADE, related_name="review")
    month = models.CharField(_("月份"), max_length=7)  # YYYY-MM
    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(_("评分"), default=dict)
    total = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    reviewer = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("坐席考评")
        ordering = ["month", "staff_id", "call__offered_at"]

    def __str__(self) -> str:
        return f"{self.month} {self.call_id}"
