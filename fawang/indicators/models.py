"""Indicator definitions (from policy packs), daily counts, reported values, action plans, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Region


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("平台计算")
    REPORTED = "reported", _("单位填报")


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("不低于")
    AT_MOST = "<=", _("不高于")
    EQUAL = "==", _("等于")


class IndicatorLevel(models.TextChoices):
    NATIONAL = "national", _("国家指标")
    PROVINCIAL = "provincial", _("省级指标")
    MUNICIPAL = "municipal", _("市级指标")


class IndicatorNature(models.TextChoices):
    BINDING = "binding", _("约束性")
    EXPECTED = "expected", _("预期性")


class IndicatorPack(models.Model):
    """A city's loaded set of indicator definitions (one YAML pack)."""

    code = models.CharField("编码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=200)
    city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "指标包"

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    pack = models.ForeignKey(IndicatorPack, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("编码", max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("名称", max_length=200)
    unit = models.CharField("单位", max_length=20, blank=True)
    source = models.CharField("数据来源", max_length=10, choices=IndicatorSource.choices)
    formula = models.CharField("计算公式", max_length=500, blank=True)
    target = models.FloatField("目标值")
    comparator = models.CharField("比较", max_length=2, choices=Comparator.choices)
    milestones = models.JSONField("阶段目标", default=dict, blank=True)
    level = models.CharField("指标级别", max_length=12, choices=IndicatorLevel.choices)
    nature = models.CharField("指标性质", max_length=10, choices=IndicatorNature.choices)
    deadline_year = models.PositiveSmallIntegerField("目标年份")
    passage = models.TextField("政策依据", blank=True)
    period = models.CharField("统计口径", max_length=10, default="year")
    # Set when the city administrator edits the target; reloading the pack then keeps the edit.
    target_edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pack", "position", "code"]
        verbose_name = verbose_name_plural = "指标"
        constraints = [
            models.UniqueConstraint(fields=["pack", "code"], name="indicator_pack_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def target_for(self, year: int) -> float:
        """The milestone set for ``year`` if any, else the final target."""
        value = self.milestones.get(str(year))
        return float(value) if value is not None else self.target


class DailyCount(models.Model):
    """One counter's value for one day and region; rows exist for every ancestor (rolled up)."""

    day = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    counter = models.CharField(max_length=80)
    value = models.FloatField()

    class Meta:
        verbose_name = verbose_name_plural = "每日计数"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "counter", "day"], name="daily_count_region_counter_day"
            )
        ]
        indexes = [models.Index(fields=["day", "counter"])]

    def __str__(self) -> str:
        return f"{self.day} {self.region_id} {self.counter}={self.value}"


class MonthlyCount(models.Model):
    """A month's totals of the daily rows (flows summed, stocks at the month's last filled day),
    rewritten whenever a day of the month is filled, so a year is at most 12 rows per counter."""

    month = models.DateField()  # the first day of the month
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    counter = models.CharField(max_length=80)
    value = models.FloatField()

    class Meta:
        verbose_name = verbose_name_plural = "每月计数"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "counter", "month"], name="monthly_count_region_counter_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.counter}={self.value}"


class FillState(models.Model):
    """How far the incremental fill has read (its watermark)."""

    name = models.CharField(max_length=40, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}@{self.last_run_at}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已审核")
    REJECTED = "rejected", _("已退回")


REPORTED_VALUE_TRANSITIONS = {
    "approve": (frozenset({ReportStatus.PENDING}), ReportStatus.APPROVED),
    "reject": (frozenset({ReportStatus.PENDING}), ReportStatus.REJECTED),
}


class ReportedValue(models.Model):
    """A figure the platform cannot observe, reported by a unit and reviewed by the level above."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    value = models.FloatField("数值")
    note = models.CharField("说明", max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = verbose_name_plural = "填报数值"
        indexes = [models.Index(fields=["indicator", "region", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region_id} {self.year}={self.value}"


class ActionPlan(models.Model):
    code = models.CharField("编码", max_length=80, unique=True)
    name = models.CharField("名称", max_length=200)
    city = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源文件", max_length=300, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行动清单"

    def __str__(self) -> str:
        return self.name


class ItemStatus(models.TextChoices):
    OPEN = "open", _("推进中")
    DONE = "done", _("已完成")


class ActionItem(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("编号", max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("任务", max_length=300)
    lead_unit = models.CharField("牵头单位", max_length=200)
    deadline = models.DateField("完成时限", null=True, blank=True)
    target = models.CharField("量化目标", max_length=500, blank=True)
    indicator_codes = models.JSONField("关联指标", default=list, blank=True)
    passage = models.TextField("原文", blank=True)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    progress_percent = models.PositiveSmallIntegerField("进度", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = verbose_name_plural = "行动任务"
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="action_item_plan_code_unique")
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgressReport(models.Model):
    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="progress")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    percent = models.PositiveSmallIntegerField("完成进度(%)")
    text = models.TextField("进展情况")
    attachment = models.FileField("附件", upload_to="indicators/progress/%Y/", blank=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = verbose_name_plural = "进展报告"

    def __str__(self) -> str:
        return f"{self.item.code} {self.percent}%"


class WarningKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class DeadlineWarning(models.Model):
    """One warning per item and kind, so the scheduler never warns twice."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(max_length=10, choices=WarningKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "kind"], name="deadline_warning_once")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.kind}"


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class IndicatorReport(models.Model):
    """A generated quarterly or yearly report: a frozen snapshot of the figures."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(default=0)
    generated_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = verbose_name_plural = "指标报告"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year", "quarter"], name="indicator_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}Q{self.quarter}"
