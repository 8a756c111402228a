"""Duty lawyers (值班律师): shifts at detention centres, courts and procuratorates, and the
help given on them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution
from fawang.legalaid.models.pool import ProviderPoolMember


class DutyPlaceKind(models.TextChoices):
    DETENTION_CENTRE = "detention_centre", _("看守所")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")


class DutyShift(models.Model):
    """值班律师 roster: a provider on duty at a detention centre or court on a day."""

    centre = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    place_kind = models.CharField("值班场所类别", max_length=20, choices=DutyPlaceKind.choices)
    place_name = models.CharField("值班场所", max_length=200)
    on_date = models.DateField("值班日期", db_index=True)
    provider = models.ForeignKey(
        ProviderPoolMember, on_delete=models.PROTECT, related_name="duty_shifts"
    )

    class Meta:
        ordering = ["on_date", "place_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place_name", "on_date", "provider"], name="legalaid_duty_shift_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.place_name} {self.on_date}"


class DutyHelpKind(models.TextChoices):
    """The help a duty lawyer gives (Legal Aid Law art. 30)."""

    LEGAL_ADVICE = "legal_advice", _("法律咨询")
    PROCEDURE_ADVICE = "procedure_advice", _("程序选择建议")
    BAIL_APPLICATION = "bail_application", _("申请变更强制措施")
    OPINION_ON_CHARGE = "opinion_on_charge", _("对案件处理提出意见")
    PLEA_PRESENCE = "plea_presence", _("认罪认罚具结在场")


class DutyHelp(models.Model):
    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="helps")
    person_name = models.CharField("犯罪嫌疑人、被告人", max_length=50)
    kind = models.CharField("帮助类别", max_length=30, choices=DutyHelpKind.choices)
    note = models.CharField("说明", max_length=1000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.shift} {self.person_name}"
