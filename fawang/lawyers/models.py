"""Lawyers and basic legal service workers as the bureau manages them (R9).

Firms and people stay core reference data (``Institution`` of kind law_firm / basic_legal_service,
``Practitioner`` of kind lawyer / basic_legal_worker); this app adds what the bureau keeps about
them: the firm's and the lawyer's profile, annual inspection and assessment (年度检查考核), the
credit archive (诚信电子档案) with its appeals, public-interest hours against activities, service
groups and young-lawyer placements, and practice-rights reports (执业权利保障)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Practitioner, Region

USER = settings.AUTH_USER_MODEL


class FirmType(models.TextChoices):
    PARTNERSHIP = "partnership", _("合伙律师事务所")
    SOLE = "sole", _("个人律师事务所")
    STATE = "state", _("国资律师事务所")
    BRANCH = "branch", _("律师事务所分所")
    FOREIGN_OFFICE = "foreign_office", _("外国（境外）律师事务所驻京代表处")
    BASIC_OFFICE = "basic_office", _("基层法律服务所")


class FirmProfile(models.Model):
    """What the bureau records about a firm beyond core's reference row."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="firm_profile"
    )
    firm_type = models.CharField(_("机构类型"), max_length=20, choices=FirmType.choices)
    party_members = models.PositiveIntegerField(_("党员律师人数"), default=0)
    party_instructor = models.CharField(_("党建工作指导员"), max_length=50, blank=True)
    foreign_branches = models.PositiveIntegerField(_("境外分支机构数"), default=0)
    international_leading = models.BooleanField(_("国际一流律师事务所"), default=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("律师事务所档案")

    def __str__(self) -> str:
        return f"{self.institution}（{self.get_firm_type_display()}）"


class LawyerKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职律师")
    PART_TIME = "part_time", _("兼职律师")
    PUBLIC_SECTOR = "public_sector", _("公职律师")
    COMPANY = "company", _("公司律师")
    LEGAL_AID = "legal_aid", _("法律援助律师")
    BASIC_WORKER = "basic_worker", _("基层法律服务工作者")


class ForeignTalent(models.TextChoices):
    NONE = "", _("无")
    LEADING = "leading", _("涉外律师领军人才")
    EXCELLENT = "excellent", _("涉外律师优秀人才")
    RESERVE = "reserve", _("涉外律师后备人才")


class LawyerProfile(models.Model):
    practitioner = models.OneToOneField(
        Practitioner, on_delete=models.CASCADE, related_name="lawyer_profile"
    )
    lawyer_kind = models.CharField(_("律师类别"), max_length=20, choices=LawyerKind.choices)
    foreign_related = models.BooleanField(_("具备涉外法律服务能力"), default=False)
    jurisdictions = models.JSONField(_("熟悉的法域"), default=list, blank=True)
    foreign_talent = models.CharField(
        _("涉外人才层次"), max_length=20, choices=ForeignTalent.choices, blank=True, default=""
    )
    # The firm admin is a lawyer of the firm with this flag (not a supervisor): they see the
    # firm's lawyers and its inspection, still scoped to their institution.
    is_firm_admin = models.BooleanField(_("律所管理人"), default=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("律师档案")

    def __str__(self) -> str:
        return f"{self.practitioner}（{self.get_lawyer_kind_display()}）"


class ReviewResult(models.TextChoices):
    PASS = "pass", _("合格（称职）")
    BASIC_PASS = "basic_pass", _("基本合格（基本称职）")
    FAIL = "fail", _("不合格（不称职）")


class AnnualReview(models.Model):
    """年度检查考核: a firm's annual inspection (institution set) or a lawyer's annual assessment
    (practitioner set), with the spot check that BJ-39 counts."""

    year = models.PositiveIntegerField(_("年度"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("结果"), max_length=20, choices=ReviewResult.choices)
    spot_checked = models.BooleanField(_("抽查"), default=False)
    party_building_standard = models.BooleanField(_("党建工作规范化达标"), default=False)
    public_interest_hours = models.DecimalField(
        _("公益法律服务时长"), max_digits=7, decimal_places=1, default=0
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-year", "-decided_at"]
        verbose_name = verbose_name_plural = _("年度检查考核")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "institution"],
                condition=models.Q(institution__isnull=False),
                name="lawyers_review_firm_year",
            ),
            models.UniqueConstraint(
                fields=["year", "practitioner"],
                condition=models.Q(practitioner__isnull=False),
                name="lawyers_review_person_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.subject} {self.get_result_display()}"

    @property
    def subject(self) -> str:
        return str(self.practitioner.name if self.practitioner else self.institution)


class CreditKind(models.TextChoices):
    COMMENDATION = "commendation", _("表彰奖励")
    INDUSTRY_SANCTION = "industry_sanction", _("行业惩戒")
    ADMINISTRATIVE_PENALTY = "administrative_penalty", _("行政处罚")


class CreditStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    CORRECTED = "corrected", _("已更正")
    REVOKED = "revoked", _("已撤销")


class CreditRecord(models.Model):
    """One entry of the credit archive. It is public only from ``decided_on`` to
    ``disclose_until`` (the pack's period for its kind) and only while active."""

    kind = models.CharField(_("类别"), max_length=30, choices=CreditKind.choices)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("事项"), max_length=200)
    basis = models.CharField(_("依据"), max_length=300)
    decided_on = models.DateField(_("决定日期"))
    disclose_until = models.DateField(_("公示截止日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CreditStatus.choices, default=CreditStatus.ACTIVE
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = verbose_name_plural = _("诚信档案记录")

    def __str__(self) -> str:
        return f"{self.subject} {self.get_kind_display()}：{self.title}"

    @property
    def subject(self) -> str:
        return str(self.practitioner.name if self.practitioner else self.institution)


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("异议成立")
    REJECTED = "rejected", _("异议不成立")


class CreditAppeal(models.Model):
    """更正申请/异议 on a credit record by the lawyer or the firm it names."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="appeals")
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("理由"), max_length=2000)
    status = models.CharField(
        _("状态"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    answer = models.TextField(_("复核意见"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = verbose_name_plural = _("诚信档案异议")

    def __str__(self) -> str:
        return f"{self.record} 异议（{self.get_status_display()}）"


class GroupKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("律师行业法律服务志愿团")
    CIRCUIT = "circuit", _("公共法律巡回服务团")
    EXPERT = "expert", _("公益法律服务专家团")
    RED_LAWYER = "red_lawyer", _("“红律助”公益法律服务团")


class ServiceGroup(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=GroupKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Practitioner, related_name="+", blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = _("律师公益服务团")

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    LEGAL_AID_CASE = "legal_aid_case", _("法律援助案件")
    DUTY_SHIFT = "duty_shift", _("值班律师值班")
    HOTLINE_SEAT = "hotline_seat", _("热线坐席值守")
    VILLAGE_ADVISER = "village_adviser", _("村（居）法律顾问服务")
    SERVICE_GROUP = "service_group", _("公益服务团活动")
    PRO_BONO = "pro_bono", _("公益代理案件")
    HEALTH_CHECK = "health_check", _("企业“法治体检”")


class ServiceActivity(models.Model):
    """An activity lawyers log public-interest hours against; its organiser confirms them."""

    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("日期"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("地点"), max_length=200)
    served = models.PositiveIntegerField(_("服务人次"), default=0)
    enterprises = models.JSONField(_("服务企业"), default=list, blank=True)
    group = models.ForeignKey(
        ServiceGroup,
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
    )
    organiser = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = verbose_name_plural = _("公益法律服务活动")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未确认")


class ServiceHours(models.Model):
    """Hours one lawyer gave to one activity: one row per lawyer and activity (a second log of
    the same activity is refused)."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(ServiceActivity, on_delete=models.PROTECT, related_name="hours")
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=HoursStatus.choices, default=HoursStatus.PENDING
    )
    logged_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-logged_at"]
        verbose_name = verbose_name_plural = _("公益法律服务时长")
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "activity"], name="lawyers_hours_once_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} {self.activity} {self.hours}小时"


class Placement(models.Model):
    """郊区青年律师到城区规模大所跟班学习 (BJ-list 一(四), BJ-measures 17-18)."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    home_firm = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    host_firm = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = verbose_name_plural = _("青年律师跟班学习")

    def __str__(self) -> str:
        return f"{self.practitioner} → {self.host_firm}"


class FirmPairing(models.Model):
    """城郊区律所结对互助 (BJ-list 一(四))."""

    city_firm = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    suburb_firm = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(_("结对日期"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = _("城郊区律所结对")
        constraints = [
            models.UniqueConstraint(fields=["city_firm", "suburb_firm"], name="lawyers_pair_once")
        ]

    def __str__(self) -> str:
        return f"{self.city_firm} — {self.suburb_firm}"


class Obstruction(models.TextChoices):
    MEETING = "meeting", _("会见")
    READING_FILES = "reading_files", _("阅卷")
    COLLECTING_EVIDENCE = "collecting_evidence", _("调查取证")
    OPINION_HEARD = "opinion_heard", _("提出辩护代理意见")
    PERSONAL_SAFETY = "personal_safety", _("人身安全与执业尊严")
    OTHER = "other", _("其他")


class OrganKind(models.TextChoices):
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    PUBLIC_SECURITY = "public_security", _("公安机关")
    DETENTION = "detention", _("看守所")
    OTHER = "other", _("其他机关")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ESCALATED = "escalated", _("逾期已提级")
    ANSWERED = "answered", _("已答复")


class RightsReport(models.Model):
    """律师执业权利保障: a lawyer reports an obstruction by an organ; the district bureau of the
    organ's place answers within the pack's period, the city bureau takes it when late."""

    number = models.CharField(_("编号"), max_length=32, unique=True)
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    obstruction = models.CharField(_("受阻事项"), max_length=30, choices=Obstruction.choices)
    organ_kind = models.CharField(_("机关类别"), max_length=20, choices=OrganKind.choices)
    organ_name = models.CharField(_("办案机关"), max_length=100)
    account = models.TextField(_("情况说明"), max_length=2000)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    answer_due_at = models.DateTimeField(_("答复期限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("处理答复"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = verbose_name_plural = _("律师执业权利保障申请")
        indexes = [models.Index(fields=["status", "answer_due_at"])]

    def __str__(self) -> str:
        return self.number
