"""Quality (质量管理): the expert pool, complaints about providers, quality samples and
case reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region
from fawang.legalaid.models.cases import AidCase
from fawang.legalaid.models.pool import ProviderPoolMember


class ExpertPoolMember(models.Model):
    """专家库: reviewers for case quality (judges, prosecutors, senior lawyers, scholars)."""

    class Affiliation(models.TextChoices):
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        LAWYER = "lawyer", _("律师")
        ACADEMIC = "academic", _("高校及研究机构")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    affiliation = models.CharField("来源", max_length=20, choices=Affiliation.choices)
    organisation = models.CharField("单位", max_length=200, blank=True)
    specialties = models.JSONField("专业领域", default=list, blank=True)
    is_active = models.BooleanField("在库", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "法律援助专家库"

    def __str__(self) -> str:
        return self.name


class ComplaintKind(models.TextChoices):
    """The misconduct BJ-list 一(八) names."""

    MONEY_TAKEN = "money_taken", _("收取受援人财物")
    NO_MEETING = "no_meeting", _("不会见")
    NO_FILE_READING = "no_file_reading", _("不阅卷")
    NO_DEFENCE = "no_defence", _("不履行辩护（代理）义务")
    NEGLIGENCE = "negligence", _("怠于履行义务")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("属实")
    DISMISSED = "dismissed", _("不属实")


COMPLAINT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "uphold": (frozenset({ComplaintStatus.OPEN}), ComplaintStatus.UPHELD),
    "dismiss": (frozenset({ComplaintStatus.OPEN}), ComplaintStatus.DISMISSED),
}


class ProviderComplaint(models.Model):
    case = models.ForeignKey(AidCase, on_delete=models.PROTECT, related_name="complaints")
    provider = models.ForeignKey(
        ProviderPoolMember, on_delete=models.PROTECT, related_name="complaints"
    )
    kind = models.CharField("投诉事项", max_length=20, choices=ComplaintKind.choices)
    description = models.TextField("投诉内容")
    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    outcome = models.TextField("处理结果", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"


class QualityGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class ReviewMethod(models.TextChoices):
    PEER = "peer", _("同行评估")
    EXPERT = "expert", _("专家评查")


class QualitySample(models.Model):
    """The reproducible draw of closed cases for quality review, one per centre and period."""

    centre = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    period = models.CharField("期间", max_length=7, help_text="YYYY 或 YYYY-MM")
    share = models.DecimalField("抽查比例", max_digits=5, decimal_places=4)
    closed_count = models.PositiveIntegerField("期间结案数")
    cases = models.ManyToManyField(AidCase, related_name="quality_samples")
    drawn_at = models.DateTimeField(default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "period"], name="legalaid_sample_unique")
        ]

    def __str__(self) -> str:
        return f"{self.centre} {self.period}"


class QualityReview(models.Model):
    case = models.ForeignKey(AidCase, on_delete=models.PROTECT, related_name="reviews")
    method = models.CharField("评估方式", max_length=10, choices=ReviewMethod.choices)
    expert = models.ForeignKey(
        ExpertPoolMember, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    score = models.PositiveSmallIntegerField("评分（0—100）")
    grade = models.CharField("等次", max_length=10, choices=QualityGrade.choices)
    comments = models.TextField("评估意见", blank=True)
    court_opinion = models.TextField("法院意见", blank=True)
    procuratorate_opinion = models.TextField("检察院意见", blank=True)
    reviewed_at = models.DateTimeField(default=timezone.now, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_grade_display()}"
