"""Applications (申请): the statutory matters, the means-test exemptions, the groups followed
throughout, and the citizen's application the officer decides on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region
from fawang.core.personal_data import ID_NUMBER, PHONE, PersonalDataField, PersonalDataHashField
from fawang.workorders.models import WorkOrder


class MatterType(models.TextChoices):
    """Matters within the statutory scope: civil/administrative art. 31, criminal arts. 24, 29."""

    STATE_COMPENSATION = "state_compensation", _("依法请求国家赔偿")
    SOCIAL_INSURANCE = "social_insurance", _("请求给予社会保险待遇或者社会救助")
    PENSION = "pension", _("请求发给抚恤金")
    MAINTENANCE = "maintenance", _("请求给付赡养费、抚养费、扶养费")
    LABOUR_REMUNERATION = "labour_remuneration", _("请求确认劳动关系或者支付劳动报酬")
    CAPACITY = "capacity", _("请求认定公民无民事行为能力或者限制民事行为能力")
    PERSONAL_INJURY = "personal_injury", _("请求工伤、交通、食品药品安全、医疗事故人身损害赔偿")
    ENVIRONMENT = "environment", _("请求环境污染、生态破坏损害赔偿")
    CRIMINAL_DEFENCE = "criminal_defence", _("刑事案件犯罪嫌疑人、被告人申请辩护")
    CRIMINAL_VICTIM = "criminal_victim", _("刑事被害人、自诉人等申请代理")


CRIMINAL_MATTERS = frozenset({MatterType.CRIMINAL_DEFENCE, MatterType.CRIMINAL_VICTIM})


class ExemptGround(models.TextChoices):
    """Who is not subject to the means test (Legal Aid Law art. 42)."""

    VULNERABLE_WITHOUT_INCOME = (
        "vulnerable_without_income",
        _("无固定生活来源的未成年人、老年人、残疾人等特定群体"),
    )
    SOCIAL_ASSISTANCE = "social_assistance", _("社会救助、司法救助或者优抚对象")
    MIGRANT_WORKER_WAGES = (
        "migrant_worker_wages",
        _("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员"),
    )
    HERO_RELATIVE = "hero_relative", _("英雄烈士近亲属为维护英雄烈士的人格权益")
    GOOD_SAMARITAN = "good_samaritan", _("因见义勇为行为主张相关民事权益")
    RETRIAL_ACQUITTAL = "retrial_acquittal", _("再审改判无罪请求国家赔偿")
    ABUSE_VICTIM = "abuse_victim", _("遭受虐待、遗弃或者家庭暴力的受害人主张相关权益")


class FullFollowGroup(models.TextChoices):
    """Groups whose cases the centre follows throughout (BJ-measures 11)."""

    MINOR = "minor", _("未成年人")
    MILITARY = "military", _("军人军属")
    SEVERELY_DISABLED = "severely_disabled", _("重度残疾人")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审查")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予援助")


APPLICATION_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({ApplicationStatus.SUBMITTED}), ApplicationStatus.APPROVED),
    "refuse": (frozenset({ApplicationStatus.SUBMITTED}), ApplicationStatus.REFUSED),
}


class AidApplication(models.Model):
    """A citizen's application (portal, window or hotline), linked to the work order it made."""

    number = models.CharField("申请编号", max_length=24, unique=True)
    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.PROTECT, related_name="aid_application"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_applications",
    )
    applicant_name = models.CharField("申请人", max_length=50)
    applicant_id_number = PersonalDataField("身份证号码", kind=ID_NUMBER)
    applicant_id_number_hash = PersonalDataHashField(source="applicant_id_number", kind=ID_NUMBER)
    applicant_phone = PersonalDataField("联系电话", kind=PHONE)
    applicant_phone_hash = PersonalDataHashField(source="applicant_phone", kind=PHONE)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="aid_applications"
    )
    matter_type = models.CharField("事项类别", max_length=30, choices=MatterType.choices)
    facts = models.TextField("案情及申请理由")
    opposing_party = models.CharField("对方当事人", max_length=100, blank=True)
    full_follow_groups = models.JSONField("全程跟案群体", default=list, blank=True)
    exempt_ground = models.CharField(
        "免予核查经济困难的情形", max_length=30, choices=ExemptGround.choices, blank=True
    )
    exempt_basis = models.CharField("免予核查的依据说明", max_length=500, blank=True)
    household_size = models.PositiveSmallIntegerField("家庭人口", null=True, blank=True)
    household_monthly_income = models.DecimalField(
        "家庭月收入（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    household_assets = models.DecimalField(
        "家庭资产（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    honesty_pledge = models.BooleanField("诚信承诺", default=False)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField("申请时间", default=timezone.now, db_index=True)
    decision_due_at = models.DateTimeField("审查时限")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField("决定理由", blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = verbose_name_plural = "法律援助申请"
        indexes = [models.Index(fields=["centre", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    @property
    def is_exempt(self) -> bool:
        return bool(self.exempt_ground)

    @property
    def is_overdue(self) -> bool:
        moment = self.decided_at or timezone.now()
        return moment > self.decision_due_at
