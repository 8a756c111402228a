"""The walk-in network (实体平台): centres, stations and rooms where citizens are served, the
positions of villages, station inspections and remote video sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region


class ServicePointLevel(models.TextChoices):
    CENTRE = "centre", _("公共法律服务中心")
    STATION = "station", _("公共法律服务工作站")
    ROOM = "room", _("公共法律服务工作室")
    SPECIAL = "special", _("特色工作站")


class SpecialKind(models.TextChoices):
    """Where a special station sits (BJ-list 一(三): 科技园区、产业基地; 新就业形态 hubs …)."""

    TECH_PARK = "tech_park", _("科技创业园区")
    CAMPUS = "campus", _("高校")
    BARRACKS = "barracks", _("军营")
    BUSINESS_DISTRICT = "business_district", _("商务楼宇")
    NEW_EMPLOYMENT = "new_employment", _("新就业形态群体驿站")


class PointStatus(models.TextChoices):
    PLANNED = "planned", _("规划中")
    BUILT = "built", _("已建成")
    OPEN = "open", _("运行中")
    SUSPENDED = "suspended", _("暂停服务")
    CLOSED = "closed", _("已撤销")


class Service(models.TextChoices):
    """What a citizen can come for (the finder's choice; the pack names each level's set)."""

    CONSULTATION = "consultation", _("法律咨询")
    LEGAL_AID = "legal_aid", _("法律援助")
    MEDIATION = "mediation", _("人民调解")
    NOTARIZATION = "notarization", _("公证")
    APPRAISAL = "appraisal", _("司法鉴定")
    ADVISER = "adviser", _("村（居）法律顾问")
    VIDEO = "video", _("远程视频法律服务")


# The key, in the audit event of every change of a point, of the earliest day whose network figures
# the change may alter: the indicator fill refills from there (metrics.touched_days), not from the
# first of the point's lifecycle dates on every edit of its address.
FIGURES_FROM = "figures_from"


class ServicePoint(models.Model):
    name = models.CharField(_("名称"), max_length=200, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=ServicePointLevel.choices)
    special_kind = models.CharField(
        _("特色站点类别"), max_length=20, choices=SpecialKind.choices, blank=True
    )
    host = models.CharField(_("依托单位"), max_length=200, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="service_points")
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_points",
        help_text=_("运营机构"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    directions = models.CharField(_("到达方式"), max_length=300, blank=True)
    phone = models.CharField(_("服务电话"), max_length=40, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    weekend_service = models.BooleanField(_("周末服务"), default=False)
    windows = models.PositiveSmallIntegerField(_("服务窗口数"), default=0)
    rooms = models.PositiveSmallIntegerField(_("功能室数"), default=0)
    staff_on_duty = models.PositiveSmallIntegerField(_("在岗人员数"), default=0)
    # Empty = the standard functions of the level from the pack (network.functions).
    services = models.JSONField(_("提供的服务"), default=list, blank=True)
    barrier_free = models.BooleanField(_("无障碍设施"), default=False)
    barrier_free_features = models.JSONField(_("无障碍设施明细"), default=list, blank=True)
    languages = models.JSONField(_("服务语言"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=PointStatus.choices, default=PointStatus.OPEN
    )
    planned_on = models.DateField(_("规划日期"), null=True, blank=True)
    built_on = models.DateField(_("建成日期"), null=True, blank=True)
    opened_on = models.DateField(_("投入运行日期"), null=True, blank=True)
    suspended_on = models.DateField(_("暂停日期"), null=True, blank=True)
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)
    is_demonstration = models.BooleanField(_("品牌示范点"), default=False)
    # Empty: the position is estimated (network.geo) and shown as 估算位置.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__code", "level", "name"]
        verbose_name = verbose_name_plural = _("服务场所")
        indexes = [models.Index(fields=["status", "level"])]

    def __str__(self) -> str:
        return self.name


class VillagePosition(models.Model):
    """A village's (or community's) position imported from the bureau's GIS; without one the
    position is estimated (network.geo) and marked 估算位置."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="position")
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("村居坐标")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.latitude}, {self.longitude}"


class InspectionStatus(models.TextChoices):
    PASSED = "passed", _("合格")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改")


class Inspection(models.Model):
    """A district bureau's supervision visit to a station or room (BJ-31: ≥ 2 a year)."""

    point = models.ForeignKey(ServicePoint, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField(_("巡查日期"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checklist = models.JSONField(_("检查表"), default=dict)  # item → True (达标) / False
    findings = models.TextField(_("发现的问题"), blank=True)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    status = models.CharField(_("结果"), max_length=12, choices=InspectionStatus.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = verbose_name_plural = _("站点巡查")

    def __str__(self) -> str:
        return f"{self.point_id} {self.inspected_on}"


class VideoStatus(models.TextChoices):
    WAITING = "waiting", _("等待接入")
    ACTIVE = "active", _("通话中")
    ENDED = "ended", _("已结束")


class VideoSession(models.Model):
    """A remote video consultation (BJ-34 远程视频云服务) through a VideoBackend."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="videos"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("咨询事项"), max_length=200)
    backend = models.CharField(_("视频服务"), max_length=40)
    room = models.CharField(_("会议号"), max_length=80)
    join_url = models.CharField(_("入会地址"), max_length=300)
    status = models.CharField(
        max_length=10, choices=VideoStatus.choices, default=VideoStatus.WAITING
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = _("远程视频服务")

    def __str__(self) -> str:
        return self.room
