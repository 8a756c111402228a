"""Legal education (普法): content with its review before publishing, activities, the
legal-culture sites (法治文化阵地), 民主法治示范村 records, the "谁执法谁普法" responsibility
lists with their yearly assessment, and the themes adopted from the hotline's rising topics.

Topics are the hotline taxonomy's codes (``core.taxonomy.Topic``); statutes are cited by law name
and article number and linked to the statute library by its public search (no import of consult).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Region
from fawang.core.taxonomy import Topic

USER = settings.AUTH_USER_MODEL


class TargetGroup(models.TextChoices):
    """普法重点对象 (SJZ 三 10: 国家工作人员和青少年、农民为重点对象; issue 17's list)."""

    YOUTH = "youth", _("青少年")
    FARMER = "farmer", _("农民")
    ELDERLY = "elderly", _("老年人")
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    ENTERPRISE = "enterprise", _("企业经营管理人员")
    OFFICIAL = "official", _("国家工作人员")


class ContentKind(models.TextChoices):
    ARTICLE = "article", _("普法文章")
    VIDEO = "video", _("普法视频")
    QA = "qa", _("法律问答")
    CASE = "case", _("典型案例")


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")


# The allowed moves, declared once; services.py enforces them.
CONTENT_TRANSITIONS: dict[str, frozenset[str]] = {
    ContentStatus.DRAFT: frozenset({ContentStatus.SUBMITTED}),
    ContentStatus.RETURNED: frozenset({ContentStatus.SUBMITTED}),
    ContentStatus.SUBMITTED: frozenset({ContentStatus.PUBLISHED, ContentStatus.RETURNED}),
    ContentStatus.PUBLISHED: frozenset({ContentStatus.WITHDRAWN}),
    ContentStatus.WITHDRAWN: frozenset(),
}


def group_labels(codes: list[str]) -> list[str]:
    labels = dict(TargetGroup.choices)
    return [str(labels[c]) for c in codes if c in labels]


def topic_labels(codes: list[str]) -> list[str]:
    labels = dict(Topic.choices)
    return [str(labels[c]) for c in codes if c in labels]


class EducationContent(models.Model):
    """An article, a video (a reference to where it is hosted, with its metadata), a Q&A or a
    typical case (典型案例, National (九)). Written by an author, published by a reviewer."""

    kind = models.CharField("类别", max_length=10, choices=ContentKind.choices)
    title = models.CharField("标题", max_length=120)
    summary = models.CharField("摘要", max_length=300, blank=True)
    question = models.TextField("问题", blank=True)  # Q&A: the question; the body answers
    body = models.TextField("正文")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    groups = models.JSONField("面向群体", default=list)
    topics = models.JSONField("法律主题", default=list)
    statutes = models.JSONField("相关法条", default=list)  # [{"law": "民法典", "article": 1079}]
    video_url = models.URLField("视频地址", blank=True)
    video_minutes = models.PositiveSmallIntegerField("视频时长（分钟）", null=True, blank=True)
    video_source = models.CharField("视频来源", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    reviewer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = verbose_name_plural = "普法内容"
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.title

    @property
    def group_labels(self) -> list[str]:
        return group_labels(self.groups)

    @property
    def topic_labels(self) -> list[str]:
        return topic_labels(self.topics)


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("法治讲座")
    CAMPAIGN = "campaign", _("集中宣传活动")
    CONSULTATION = "consultation", _("现场法律咨询")
    HEARING_VISIT = "hearing_visit", _("旁听庭审")
    OTHER = "other", _("其他普法活动")


class Campaign(models.TextChoices):
    NONE = "", _("（不属于集中宣传）")
    CONSTITUTION_WEEK = "constitution_week", _("宪法宣传周")
    CIVIL_CODE_MONTH = "civil_code_month", _("民法典宣传月")
    OTHER = "other", _("其他主题宣传")


class LegalCultureSiteKind(models.TextChoices):
    PARK = "park", _("法治文化公园（广场）")
    CORRIDOR = "corridor", _("法治文化长廊（墙）")
    BASE = "base", _("法治宣传教育基地")
    READING = "reading", _("法治图书角（书屋）")
    BOARD = "board", _("法治宣传栏")


class LegalCultureSite(models.Model):
    """法治文化阵地: where it is (a village for the SJZ-05 coverage), its kind and whether it is a
    mountain-feature site (山区特色, BJ-list 二(十二), only in the districts the pack names)."""

    name = models.CharField("阵地名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=LegalCultureSiteKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    address = models.CharField("地址", max_length=200, blank=True)
    mountain_feature = models.BooleanField("山区特色阵地", default=False)
    opened_on = models.DateField("建成日期")
    closed_on = models.DateField("撤销日期", null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = verbose_name_plural = "法治文化阵地"

    def __str__(self) -> str:
        return self.name


class EducationActivity(models.Model):
    """A lecture or campaign event: organiser, place (region and maybe a legal-culture site),
    audience, groups and topics; reported by a responsible department when it has one."""

    kind = models.CharField("活动类型", max_length=15, choices=ActivityKind.choices)
    campaign = models.CharField(
        "集中宣传", max_length=20, choices=Campaign.choices, blank=True, default=""
    )
    title = models.CharField("活动名称", max_length=120)
    organiser = models.CharField("主办单位", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        LegalCultureSite, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    department = models.ForeignKey(
        "ResponsibilityList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    held_on = models.DateField("活动日期", db_index=True)
    audience = models.PositiveIntegerField("受众人数")
    groups = models.JSONField("面向群体", default=list)
    topics = models.JSONField("法律主题", default=list)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = verbose_name_plural = "普法活动"

    def __str__(self) -> str:
        return self.title

    @property
    def group_labels(self) -> list[str]:
        return group_labels(self.groups)


class ModelVillageLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("县级")


class DemocracyModelVillage(models.Model):
    """民主法治示范村（社区）: a village or community named by a level in a year (SJZ-06)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    level = models.CharField("命名级别", max_length=10, choices=ModelVillageLevel.choices)
    designated_on = models.DateField("命名日期")
    batch = models.CharField("批次", max_length=60, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-designated_on", "region__code"]
        verbose_name = verbose_name_plural = "民主法治示范村（社区）"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level"], name="education_model_village_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.level}"


class ResponsibilityList(models.Model):
    """One responsible department's "谁执法谁普法" list for a year: its duties (普法责任清单)."""

    department = models.CharField("责任单位", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    duties = models.JSONField("普法责任", default=list)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "region__code", "department"]
        verbose_name = verbose_name_plural = "谁执法谁普法责任清单"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "region", "year"], name="education_one_list_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}"


class ResponsibilityAssessment(models.Model):
    """The yearly assessment of one list (SJZ 专栏7 考核评估): a score and its grade by the pack."""

    responsibility = models.OneToOneField(
        ResponsibilityList, on_delete=models.PROTECT, related_name="assessment"
    )
    score = models.PositiveSmallIntegerField("考核得分")
    grade = models.CharField("考核等次", max_length=10)
    method = models.CharField("评估方式", max_length=200, blank=True)
    note = models.TextField("评估意见", blank=True)
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField("评估时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "谁执法谁普法考核"

    def __str__(self) -> str:
        return f"{self.responsibility_id}: {self.score}"


class EducationTheme(models.Model):
    """A quarter's education theme for a region, adopted from a rising consultation topic."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("法律主题", max_length=30, choices=Topic.choices)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    reason = models.CharField("依据", max_length=200, blank=True)
    adopted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField("确定时间", default=timezone.now)

    class Meta:
        ordering = ["-year", "-quarter", "region__code"]
        verbose_name = verbose_name_plural = "季度普法主题"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "topic", "year", "quarter"], name="education_theme_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.topic} {self.year}Q{self.quarter}"
