"""People's mediation (人民调解): disputes, sessions, agreements, committees' people, screening."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Practitioner, Region
from fawang.core.personal_data import ID_NUMBER, PHONE, PersonalDataField, PersonalDataHashField
from fawang.workorders.models import WorkOrder


class DisputeSource(models.TextChoices):
    CITIZEN = "citizen", _("群众申请")
    COURT = "court", _("诉调对接")
    POLICE = "police", _("警调对接")
    PETITION_OFFICE = "petition_office", _("访调对接")
    SCREENING = "screening", _("排查发现")


HANDOFF_SOURCES = frozenset(
    {DisputeSource.COURT, DisputeSource.POLICE, DisputeSource.PETITION_OFFICE}
)


class DisputeType(models.TextChoices):
    FAMILY = "family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    PROPERTY_MANAGEMENT = "property_management", _("物业纠纷")
    LABOUR = "labour", _("劳动争议")
    TRAFFIC = "traffic", _("道路交通")
    MEDICAL = "medical", _("医疗纠纷")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    FINANCE = "finance", _("金融消费")
    NEW_BUSINESS_FORMS = "new_business_forms", _("新业态")
    CONTRACT = "contract", _("合同债务")
    LAND = "land", _("土地山林")
    OTHER = "other", _("其他")


class DisputeStatus(models.TextChoices):
    NEW = "new", _("待指派")
    ASSIGNED = "assigned", _("已指派")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("调解成功")
    FAILED = "failed", _("调解不成")


# The transitions each verb may make; services check against this table and nowhere else.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "assign": (frozenset({DisputeStatus.NEW, DisputeStatus.ASSIGNED}), DisputeStatus.ASSIGNED),
    "record_session": (
        frozenset({DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING}),
        DisputeStatus.MEDIATING,
    ),
    "agree": (frozenset({DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING}), DisputeStatus.AGREED),
    "fail": (frozenset({DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING}), DisputeStatus.FAILED),
    "follow_up": (frozenset({DisputeStatus.AGREED}), None),
    "request_confirmation": (frozenset({DisputeStatus.AGREED}), None),
}
CLOSED_STATUSES = frozenset({DisputeStatus.AGREED, DisputeStatus.FAILED})


class Referral(models.TextChoices):
    """Where a dispute goes when mediation fails (People's Mediation Law art. 26)."""

    LITIGATION = "litigation", _("引导诉讼")
    ARBITRATION = "arbitration", _("引导仲裁")
    ADMINISTRATIVE = "administrative", _("移交行政机关处理")
    LEGAL_AID = "legal_aid", _("转法律援助")
    OTHER = "other", _("其他途径")


class Dispute(models.Model):
    number = models.CharField("纠纷编号", max_length=24, unique=True)
    source = models.CharField("来源", max_length=20, choices=DisputeSource.choices)
    external_ref = models.CharField("来文编号", max_length=64, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="移送纠纷的法院、公安或信访部门的接入账户",
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
    )
    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="dispute"
    )
    dispute_type = models.CharField("纠纷类型", max_length=30, choices=DisputeType.choices)
    facts = models.TextField("纠纷事实")
    claims = models.TextField("争议事项与请求", blank=True)
    amount = models.DecimalField(
        "涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    place = models.CharField("纠纷发生地", max_length=200, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        limit_choices_to={"kind": "mediation_committee"},
    )
    mediators = models.ManyToManyField(Practitioner, blank=True, related_name="disputes")
    status = models.CharField(
        "状态", max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.NEW
    )
    received_at = models.DateTimeField("受理时间", default=timezone.now, db_index=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True, db_index=True)
    failure_reason = models.CharField("调解不成原因", max_length=1000, blank=True)
    referral = models.CharField("后续去向", max_length=20, choices=Referral.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = verbose_name_plural = "矛盾纠纷"
        constraints = [
            # One dispute per sender reference: a hand-off sent twice is the same dispute.
            models.UniqueConstraint(
                fields=["sender", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="dispute_sender_ref_unique",
            )
        ]
        indexes = [
            models.Index(fields=["committee", "status"]),
            models.Index(fields=["dispute_type", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class Party(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("当事人地位", max_length=12, choices=PartyRole.choices)
    name = models.CharField("姓名或名称", max_length=100)
    gender = models.CharField("性别", max_length=1, blank=True, choices=[("M", "男"), ("F", "女")])
    id_number = PersonalDataField("身份证号码", kind=ID_NUMBER)
    id_number_hash = PersonalDataHashField(source="id_number", kind=ID_NUMBER)
    phone = PersonalDataField("联系电话", kind=PHONE)
    phone_hash = PersonalDataHashField(source="phone", kind=PHONE)
    address = models.CharField("住址", max_length=200, blank=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = verbose_name_plural = "当事人"

    def __str__(self) -> str:
        return self.name


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField("调解时间")
    place = models.CharField("地点", max_length=200, blank=True)
    video_link = models.URLField("视频调解链接", blank=True)
    attendance = models.CharField("到场人员", max_length=500)
    notes = models.TextField("调解记录")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_at", "id"]
        verbose_name = verbose_name_plural = "调解记录"

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("书面协议")
    ORAL = "oral", _("口头协议")


class Performance(models.TextChoices):
    PENDING = "pending", _("待履行")
    PERFORMED = "performed", _("已履行")
    PARTLY = "partly", _("部分履行")
    NOT_PERFORMED = "not_performed", _("未履行")


class Agreement(models.Model):
    """The mediation agreement (人民调解法 第二十八条至第三十条).

    Art. 28: a written agreement (调解协议书) may be made; when the parties consider one
    unnecessary they may agree orally and the mediator records the content
    (``parties_chose_oral``). Art. 29 lists what a written agreement *may* state (可以载明): (一) the
    parties' particulars; (二) the main facts, the issues and each party's responsibility
    (各方当事人的责任); (三) the content, the manner and time limit of performance. The form offers
    every item; the platform requires all but the responsibilities (not every dispute assigns
    one) — ``REQUIRED_ITEMS`` says which. A written agreement takes effect when the parties and
    the mediator sign and the committee seals (art. 29 para. 2); an oral one when agreed (art. 30).
    """

    REQUIRED_ITEMS = ("facts", "issues", "terms", "performance_manner", "performance_deadline")

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement")
    form = models.CharField("协议形式", max_length=10, choices=AgreementForm.choices)
    facts = models.TextField("纠纷主要事实")
    issues = models.TextField("争议事项")
    responsibilities = models.TextField("各方当事人的责任", blank=True)
    parties_chose_oral = models.BooleanField("当事人认为无需制作调解协议书", default=False)
    terms = models.TextField("协议内容")
    performance_manner = models.CharField("履行方式", max_length=500)
    performance_deadline = models.DateField("履行期限")
    signed_on = models.DateField("签订日期", db_index=True)
    performance = models.CharField(
        "履行情况", max_length=15, choices=Performance.choices, default=Performance.PENDING
    )
    followed_up_at = models.DateTimeField("回访时间", null=True, blank=True)
    follow_up_note = models.CharField("回访记录", max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "调解协议"

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.get_form_display()}"


class ConfirmationStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    GRANTED = "granted", _("裁定有效")
    REFUSED = "refused", _("驳回申请")


class JudicialConfirmation(models.Model):
    """A joint application to the court to confirm the agreement (People's Mediation Law art. 33)."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.CASCADE, related_name="judicial_confirmation"
    )
    court = models.CharField("人民法院", max_length=100)
    requested_on = models.DateField("申请日期", db_index=True)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.REQUESTED,
    )
    court_ref = models.CharField("法院案号", max_length=64, blank=True)
    answered_on = models.DateField("裁定日期", null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "司法确认"

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.get_status_display()}"


class AppraisalResult(models.Model):
    """鉴调一体: a judicial-appraisal document issued on an entrustment that named this dispute,
    as the appraisal line announced it (``appraisal.opinion_issued``, a registry hook). Only what
    the public verification page shows anyway: codes, institution, date — nothing personal."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="appraisals")
    case_code = models.CharField("案件赋码", max_length=48, unique=True)
    kind = models.CharField("文书类别", max_length=20)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    institution_name = models.CharField("鉴定机构", max_length=200)
    issued_on = models.DateField("出具日期")
    verify_path = models.CharField("核验页面", max_length=200)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = verbose_name_plural = "鉴定意见（鉴调一体）"

    def __str__(self) -> str:
        return self.case_code


# --- committees' people ---------------------------------------------------------------------


class MediatorGrade(models.TextChoices):
    CHIEF = "chief", _("首席人民调解员")
    FIRST = "first", _("一级人民调解员")
    SECOND = "second", _("二级人民调解员")
    THIRD = "third", _("三级人民调解员")
    NONE = "none", _("未评定")


class CommitteeMembership(models.Model):
    committee = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="memberships")
    full_time = models.BooleanField("专职", default=False)
    is_head = models.BooleanField("调委会主任", default=False)
    grade = models.CharField(
        "等级", max_length=10, choices=MediatorGrade.choices, default=MediatorGrade.NONE
    )
    grade_date = models.DateField("评定日期", null=True, blank=True)
    active = models.BooleanField("在任", default=True)
    # 人民调解法 第八条、第九条: a committee member (委员) — as opposed to a mediator the committee
    # engages (第十三条) — serves a three-year term.
    is_member = models.BooleanField("调委会委员", default=False)
    term_start = models.DateField("本届任期起始", null=True, blank=True)
    term_end = models.DateField("本届任期届满", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "调委会成员"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "mediator"], name="membership_committee_mediator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee_id}:{self.mediator_id}"


class TrainingRecord(models.Model):
    mediator = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="trainings")
    held_on = models.DateField("培训日期", db_index=True)
    days = models.DecimalField("天数", max_digits=4, decimal_places=1)
    topic = models.CharField("培训内容", max_length=200)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = verbose_name_plural = "调解员培训"

    def __str__(self) -> str:
        return f"{self.mediator_id} {self.held_on} {self.days}"


class FeaturedRoom(models.Model):
    """A personal (featured) mediation room named after a mediator (个人(特色)调解室)."""

    name = models.CharField("名称", max_length=100, unique=True)
    mediator = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField("设立日期", db_index=True)
    specialty = models.CharField("特色领域", max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "个人（特色）调解室"

    def __str__(self) -> str:
        return self.name


class TalentTier(models.TextChoices):
    LEADING = "leading", _("领军型")
    EXPERT = "expert", _("专家型")
    BACKBONE = "backbone", _("骨干型")


class TalentPoolEntry(models.Model):
    """The mediation talent pool (调解人才库, BJ-measures 14), with foreign-related mediators."""

    mediator = models.OneToOneField(Practitioner, on_delete=models.CASCADE, related_name="+")
    tier = models.CharField("人才类别", max_length=10, choices=TalentTier.choices)
    foreign_related = models.BooleanField("涉外调解", default=False)
    languages = models.JSONField("外语", default=list, blank=True)
    expertise = models.CharField("擅长领域", max_length=200, blank=True)
    selected_on = models.DateField("入库日期")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "调解人才库"

    def __str__(self) -> str:
        return f"{self.mediator_id} {self.tier}"


# --- screening (排查) and early warning -----------------------------------------------------


class Cadence(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class KeyPeriod(models.Model):
    """Important events or sensitive dates a bureau declares: daily screening in its region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = verbose_name_plural = "重点时段"

    def __str__(self) -> str:
        return self.name


class Screening(models.Model):
    unit = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    cadence = models.CharField("频次", max_length=10, choices=Cadence.choices)
    period_start = models.DateField("排查周期开始")
    due_on = models.DateField("应完成日期", db_index=True)
    key_period = models.ForeignKey(
        KeyPeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True, db_index=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField("排查情况", blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["due_on", "unit__name"]
        verbose_name = verbose_name_plural = "矛盾纠纷排查"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "cadence", "period_start"], name="screening_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["unit", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.cadence} {self.period_start}"

    def is_overdue(self, today: date | None = None) -> bool:
        """Not done after its due date (BJ-measures 13 cadence missed)."""
        return self.done_at is None and self.due_on < (today or timezone.localdate())


class ScreeningRisk(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField("风险隐患", max_length=1000)
    dispute_type = models.CharField("纠纷类型", max_length=30, choices=DisputeType.choices)
    parties = models.CharField("涉及人员", max_length=200, blank=True)
    dispute = models.OneToOneField(
        Dispute, on_delete=models.SET_NULL, null=True, blank=True, related_name="screening_risk"
    )

    class Meta:
        verbose_name = verbose_name_plural = "排查发现的风险"

    def __str__(self) -> str:
        return self.description[:30]


class DisputeWarning(models.Model):
    """A spike of one dispute type in one township (rule in docs/mediation.md)."""

    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    dispute_type = models.CharField("纠纷类型", max_length=30, choices=DisputeType.choices)
    week_start = models.DateField("周开始")
    count = models.PositiveIntegerField("本周数量")
    threshold = models.FloatField("预警阈值")
    baseline_mean = models.FloatField("前几周平均")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_start", "township__code"]
        verbose_name = verbose_name_plural = "纠纷预警"
        constraints = [
            models.UniqueConstraint(
                fields=["township", "dispute_type", "week_start"], name="warning_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.township_id} {self.dispute_type} {self.week_start}"
