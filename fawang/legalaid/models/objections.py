"""Objections (异议) to a refusal or a termination, reviewed by the justice bureau that set up the
centre within 5 days (法律援助法 第四十九条)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region
from fawang.legalaid.models.applications import AidApplication
from fawang.legalaid.models.cases import AidCase
from fawang.policy.deadlines import due_day


class ObjectionKind(models.TextChoices):
    REFUSAL = "refusal", _("对不予法律援助决定的异议")
    TERMINATION = "termination", _("对终止法律援助决定的异议")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("审查中")
    UPHELD = "upheld", _("维持法律援助机构决定")
    CORRECTED = "corrected", _("责令法律援助机构改正")


OBJECTION_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "uphold": (frozenset({ObjectionStatus.PENDING}), ObjectionStatus.UPHELD),
    "correct": (frozenset({ObjectionStatus.PENDING}), ObjectionStatus.CORRECTED),
}


class Objection(models.Model):
    """An applicant's or recipient's objection (第四十九条), with the bureau's review."""

    kind = models.CharField("异议事项", max_length=12, choices=ObjectionKind.choices)
    application = models.ForeignKey(
        AidApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
    )
    case = models.ForeignKey(
        AidCase, on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    centre = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField("异议理由")
    received_at = models.DateTimeField("收到异议时间", default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    review_due_at = models.DateTimeField("审查时限")
    status = models.CharField(
        "状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    decision = models.TextField("审查决定", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = verbose_name_plural = "法律援助异议"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def review_due_day(self) -> date:
        return due_day(self.review_due_at)

    @property
    def is_overdue(self) -> bool:
        return (self.decided_at or timezone.now()) > self.review_due_at
