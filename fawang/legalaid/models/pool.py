"""The provider pool (人员库): the lawyers and basic legal-service workers a centre assigns."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Practitioner


class QualificationLevel(models.TextChoices):
    JUNIOR = "junior", _("初级（执业不满3年）")
    SENIOR = "senior", _("中级（执业3年以上）")
    EXPERT = "expert", _("高级（执业10年以上）")


class PoolStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    EXCLUDED = "excluded", _("已清退")


class ProviderPoolMember(models.Model):
    """A lawyer or basic legal-service worker who takes legal-aid cases for one centre."""

    centre = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="legal_aid_pool",
        verbose_name="法援中心",
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="legal_aid_pools"
    )
    qualification_level = models.CharField(
        "资质等级", max_length=10, choices=QualificationLevel.choices
    )
    specialties = models.JSONField("擅长领域", default=list, blank=True)
    is_public_sector_lawyer = models.BooleanField("公职律师", default=False)
    # 法律援助法 第二十六条: 具有三年以上相关执业经历的律师 — relevant (criminal defence) practice,
    # recorded by the centre; empty means none on record, whatever the total years in practice.
    criminal_practice_since = models.DateField("刑事辩护执业经历起始日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PoolStatus.choices, default=PoolStatus.ACTIVE
    )
    joined_on = models.DateField("入库日期", default=timezone.localdate, db_index=True)
    excluded_on = models.DateField("清退日期", null=True, blank=True, db_index=True)
    excluded_reason = models.CharField("清退原因", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["centre", "practitioner__name"]
        verbose_name = verbose_name_plural = "法律援助人员库"
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "practitioner"], name="legalaid_pool_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner.name}（{self.centre.name}）"
