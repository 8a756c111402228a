"""The walk-in network (实体平台): centres, stations and rooms where citizens are served."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region


class ServicePointLevel(models.TextChoices):
    CENTRE = "centre", _("公共法律服务中心")
    STATION = "station", _("公共法律服务工作站")
    ROOM = "room", _("公共法律服务工作室")


class ServicePoint(models.Model):
    name = models.CharField("名称", max_length=200, unique=True)
    level = models.CharField("层级", max_length=10, choices=ServicePointLevel.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="service_points")
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_points",
        help_text="运营机构",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("服务电话", max_length=40, blank=True)
    opening_hours = models.CharField("开放时间", max_length=100, blank=True)
    windows = models.PositiveSmallIntegerField("服务窗口数", default=0)
    barrier_free = models.BooleanField("无障碍设施", default=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["region__code", "level", "name"]
        verbose_name = verbose_name_plural = "服务场所"

    def __str__(self) -> str:
        return self.name
