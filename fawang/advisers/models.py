"""村(居)法律顾问 and 法律明白人 (docs/advisers.md).

``CommunityAdviser`` is one practitioner (a lawyer or basic legal service worker, core
``Practitioner``) appointed to one village or community (core ``Region`` of level village) for a
term; a practitioner may serve several villages, a village has at most one adviser at a time.
``Appointment`` is a villager's booking (预约, glossary), ``LedgerEntry`` the 台账 row,
``ThreePartyEvaluation`` the quarter's committee and township scores, ``LegalLiaison`` the
法律明白人."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Practitioner, Region
from fawang.core.personal_data import PHONE, PersonalDataField, PersonalDataHashField

USER = settings.AUTH_USER_MODEL


class ExitReason(models.TextChoices):
    TERM_ENDED = "term_ended", _("聘期届满")
    ADJUSTED = "adjusted", _("动态调整")
    LOW_SCORE = "low_score", _("考评不合格退出")
    RESIGNED = "resigned", _("本人申请退出")
    MISCONDUCT = "misconduct", _("违规违纪退出")


class CommunityAdviser(models.Model):
    """One appointment (聘任) of a practitioner to one village or community."""

    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    term_start = models.DateField(_("聘期开始"))
    term_end = models.DateField(_("聘期届满"))
    ended_on = models.DateField(_("解聘日期"), null=True, blank=True)
    exit_reason = models.CharField(
        _("退出原因"), max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_note = models.CharField(_("退出说明"), max_length=500, blank=True)
    appointed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the record last changed: the indicator fill refills the days such a change touches
    # (advisers.metrics.touched_days).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["village__code", "-term_start"]
        verbose_name = verbose_name_plural = _("村（居）法律顾问聘任")
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=models.Q(ended_on__isnull=True),
                name="advisers_one_active_per_village",
            )
        ]
        indexes = [models.Index(fields=["practitioner", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.village_id}:{self.practitioner_id}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class ServiceMode(models.TextChoices):
    ON_SITE = "on_site", _("现场")
    REMOTE = "remote", _("远程")


class LedgerEntry(models.Model):
    """台账: one service against the service list (基础清单 or the district's 特色菜单)."""

    adviser = models.ForeignKey(CommunityAdviser, on_delete=models.PROTECT, related_name="ledger")
    item = models.CharField(_("服务项目"), max_length=40)
    served_on = models.DateField(_("服务日期"), db_index=True)
    people_served = models.PositiveIntegerField(_("服务人数"))
    minutes = models.PositiveIntegerField(_("服务时长（分钟）"))
    mode = models.CharField(_("服务方式"), max_length=10, choices=ServiceMode.choices)
    note = models.TextField(_("服务内容"), blank=True)
    appointment = models.OneToOneField(
        "Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="entry"
    )
    matter = models.OneToOneField(
        "LiaisonMatter", on_delete=models.PROTECT, null=True, blank=True, related_name="entry"
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-served_on", "-pk"]
        verbose_name = verbose_name_plural = _("法律顾问服务台账")

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class AppointmentMode(models.TextChoices):
    ON_SITE = "on_site", _("现场")
    VIDEO = "video", _("视频")
    PHONE = "phone", _("电话")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    DONE = "done", _("已服务")
    CANCELLED = "cancelled", _("已取消")


class Appointment(models.Model):
    """预约: a villager books their village's adviser for a slot and a topic."""

    citizen = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(
        CommunityAdviser, on_delete=models.PROTECT, related_name="appointments"
    )
    slot = models.DateTimeField(_("预约时段"), db_index=True)
    topic = models.CharField(_("咨询事项"), max_length=500)
    mode = models.CharField(_("服务方式"), max_length=10, choices=AppointmentMode.choices)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-slot"]
        verbose_name = verbose_name_plural = _("法律顾问预约")

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class ServiceRating(models.Model):
    """群众评价: the villager rates the service their booking received (1–5)."""

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class ThreePartyEvaluation(models.Model):
    """The quarter's 村(居)委会 score and the township justice office's ledger score (0–100);
    the residents' part is computed from ``ServiceRating`` (docs/advisers.md)."""

    adviser = models.ForeignKey(CommunityAdviser, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    committee_score = models.PositiveSmallIntegerField(_("村（居）委会评分"), null=True, blank=True)
    committee_rater = models.CharField(_("村（居）委会评价人"), max_length=100, blank=True)
    ledger_score = models.PositiveSmallIntegerField(_("司法所台账评分"), null=True, blank=True)
    ledger_note = models.CharField(_("台账评审意见"), max_length=500, blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["adviser", "year", "quarter"], name="advisers_one_evaluation_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Notice(models.Model):
    """推送: an adviser's notice to the villages they serve."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    villages = models.ManyToManyField(Region, related_name="+")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    by_sms = models.BooleanField(_("短信推送"), default=False)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class NoticeRead(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="advisers_one_read_per_user")
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class NoticeSubscription(models.Model):
    """A resident who opted in to SMS notices from their village's adviser."""

    citizen = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["citizen", "village"], name="advisers_one_opt_in")
        ]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class TrainingRecord(models.Model):
    """An adviser's training (BJ-measures 16: 定期培训)."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训内容"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    organiser = models.CharField(_("组织单位"), max_length=100)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class LiaisonRole(models.TextChoices):
    CADRE = "cadre", _("村（居）干部")
    GRID = "grid", _("网格员")
    MEDIATOR = "mediator", _("人民调解员")
    PARTY_MEMBER = "party_member", _("党员")
    VILLAGER = "villager", _("村（居）民代表")
    OTHER = "other", _("其他")


class LegalLiaison(models.Model):
    """法律明白人: a villager trained to spread the law and pass matters to the adviser."""

    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    phone = PersonalDataField(_("联系电话"), kind=PHONE)
    phone_hash = PersonalDataHashField(source="phone", kind=PHONE)
    role = models.CharField(_("身份"), max_length=20, choices=LiaisonRole.choices)
    trained_on = models.DateField(_("最近培训日期"), null=True, blank=True)
    added_on = models.DateField(_("登记日期"), default=timezone.localdate)
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["village__code", "name"]
        indexes = [models.Index(fields=["village", "left_on"])]

    def __str__(self) -> str:
        return self.name


class LiaisonMatter(models.Model):
    """A matter a 法律明白人 raises to the village's adviser; handled by a ledger entry."""

    liaison = models.ForeignKey(LegalLiaison, on_delete=models.PROTECT, related_name="matters")
    adviser = models.ForeignKey(CommunityAdviser, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("事项"))
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class VillageHouseholds(models.Model):
    """户数 of a village where a count is on record (the 每20户1名 check needs it)."""

    village = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="+")
    households = models.PositiveIntegerField(_("户数"))
    year = models.PositiveSmallIntegerField(_("年份"))
    source = models.CharField(_("数据来源"), max_length=200)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"
