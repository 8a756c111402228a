"""Arbitration supervision (仲裁): the registry of the city's arbitration commissions' cases, the
court outcomes reported back, and the false-arbitration flags a reviewer confirms or clears."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region
from fawang.core.personal_data import PHONE, PersonalDataField, PersonalDataHashField

USER = settings.AUTH_USER_MODEL


class Outcome(models.TextChoices):
    PENDING = "", _("审理中")
    AWARD = "award", _("裁决")
    SETTLEMENT = "settlement", _("调解或和解结案")
    WITHDRAWAL = "withdrawal", _("撤回申请")


class CourtOutcome(models.TextChoices):
    NONE = "", _("无")
    SET_ASIDE = "set_aside", _("被裁定撤销")
    NOT_ENFORCED = "not_enforced", _("被裁定不予执行")
    UPHELD = "upheld", _("申请撤销或不予执行被驳回")


class ArbitrationCase(models.Model):
    """One case of one commission, as its clerk reports it."""

    commission = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(_("案号"), max_length=40)
    claimant = models.CharField(_("申请人"), max_length=100)
    claimant_phone = PersonalDataField(_("申请人联系电话"), kind=PHONE)
    claimant_phone_hash = PersonalDataHashField(source="claimant_phone", kind=PHONE)
    claimant_agent = models.CharField(_("申请人代理人"), max_length=100, blank=True)
    respondent = models.CharField(_("被申请人"), max_length=100)
    respondent_phone = PersonalDataField(_("被申请人联系电话"), kind=PHONE)
    respondent_phone_hash = PersonalDataHashField(source="respondent_phone", kind=PHONE)
    respondent_agent = models.CharField(_("被申请人代理人"), max_length=100, blank=True)
    claims = models.TextField(_("仲裁请求"))
    amount = models.DecimalField(_("争议金额（元）"), max_digits=14, decimal_places=2)
    arbitrators = models.JSONField(_("仲裁员"), default=list)
    filed_on = models.DateField(_("立案日期"), db_index=True)
    contested = models.BooleanField(_("被申请人答辩或提出异议"), default=False)
    outcome = models.CharField(
        _("结案方式"), max_length=12, choices=Outcome.choices, blank=True, default=""
    )
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    court_outcome = models.CharField(
        _("法院审查结果"), max_length=14, choices=CourtOutcome.choices, blank=True, default=""
    )
    third_party_objection = models.BooleanField(_("案外人以裁决妨碍执行提出异议"), default=False)
    clearance_plan = models.TextField(_("积案清理计划"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = verbose_name_plural = _("仲裁案件")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "case_number"], name="arbitration_case_number_once"
            )
        ]

    def __str__(self) -> str:
        return self.case_number


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待复核")
    CONFIRMED = "confirmed", _("确认为疑似虚假仲裁")
    CLEARED = "cleared", _("排除")


class Flag(models.Model):
    """A rule's hit on a case, with its reason; a reviewer confirms or clears it."""

    case = models.ForeignKey(ArbitrationCase, on_delete=models.CASCADE, related_name="flags")
    rule = models.CharField(_("规则"), max_length=30)
    reason = models.CharField(_("命中理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    raised_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("复核意见"), blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["case", "rule"], name="flag_once_per_rule")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.rule}"
