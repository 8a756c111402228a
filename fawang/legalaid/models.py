"""Legal aid (法律援助): applications and notices, eligibility, assignment, supervision, quality.

The rules these records carry come from the Legal Aid Law of the PRC (2021); the numbers a city
may set (means-test standard, sampling share, targets) live in the policy pack
(``legal_aid:`` section, parsed by :mod:`fawang.legalaid.policy`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Practitioner, Region
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


class CaseOrigin(models.TextChoices):
    APPLICATION = "application", _("依申请")
    NOTICE = "notice", _("通知辩护/代理")


class CaseStatus(models.TextChoices):
    AWAITING_ASSIGNMENT = "awaiting_assignment", _("待指派")
    ASSIGNED = "assigned", _("承办中")
    CLOSED = "closed", _("已结案")


CASE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({CaseStatus.AWAITING_ASSIGNMENT}), CaseStatus.ASSIGNED),
    "reassign": (
        frozenset({CaseStatus.ASSIGNED, CaseStatus.AWAITING_ASSIGNMENT}),
        CaseStatus.ASSIGNED,
    ),
    "record_milestone": (frozenset({CaseStatus.ASSIGNED}), CaseStatus.ASSIGNED),
    "close": (frozenset({CaseStatus.ASSIGNED}), CaseStatus.CLOSED),
    "review": (frozenset({CaseStatus.CLOSED}), CaseStatus.CLOSED),
}


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


class AidCase(models.Model):
    """A legal-aid matter handled by an assigned provider, from an application or a notice."""

    number = models.CharField("案件编号", max_length=24, unique=True)
    origin = models.CharField("来源", max_length=12, choices=CaseOrigin.choices)
    application = models.OneToOneField(
        AidApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )
    centre = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="aid_cases")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    matter_type = models.CharField("事项类别", max_length=30, choices=MatterType.choices)
    recipient_name = models.CharField("受援人", max_length=50)
    opposing_party = models.CharField("对方当事人", max_length=100, blank=True)
    summary = models.TextField("案情摘要", blank=True)
    serious_criminal = models.BooleanField(
        "可能判处无期徒刑、死刑", default=False, help_text="Legal Aid Law art. 26"
    )
    full_follow_groups = models.JSONField("全程跟案群体", default=list, blank=True)
    full_follow = models.BooleanField("全程跟案", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.AWAITING_ASSIGNMENT
    )
    provider = models.ForeignKey(
        ProviderPoolMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="承办人员",
    )
    opened_at = models.DateTimeField("立案时间", default=timezone.now, db_index=True)
    assignment_due_at = models.DateTimeField("指派时限")
    assigned_at = models.DateTimeField("指派时间", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True, db_index=True)
    closing_summary = models.TextField("结案报告", blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = verbose_name_plural = "法律援助案件"
        indexes = [
            models.Index(fields=["centre", "status", "opened_at"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["status", "assignment_due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.recipient_name}"

    @property
    def is_criminal(self) -> bool:
        return self.matter_type in CRIMINAL_MATTERS

    @property
    def assignment_overdue(self) -> bool:
        moment = self.assigned_at or timezone.now()
        return moment > self.assignment_due_at


class NoticeSource(models.TextChoices):
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    POLICE = "police", _("公安机关")


class DefenceNotice(models.Model):
    """A notice from a court, procuratorate or police to assign a defender (arts. 25, 28, 36)."""

    case = models.OneToOneField(AidCase, on_delete=models.PROTECT, related_name="notice")
    source = models.CharField("通知机关类别", max_length=20, choices=NoticeSource.choices)
    organ_name = models.CharField("通知机关", max_length=200)
    document_number = models.CharField("通知书文号", max_length=100)
    charge = models.CharField("涉嫌罪名", max_length=200, blank=True)
    received_at = models.DateTimeField("收到通知时间", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知辩护（代理）"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "organ_name", "document_number"], name="legalaid_notice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ_name} {self.document_number}"


class Assignment(models.Model):
    """One assignment of a case to a provider; a re-assignment ends the previous one."""

    case = models.ForeignKey(AidCase, on_delete=models.CASCADE, related_name="assignments")
    provider = models.ForeignKey(
        ProviderPoolMember, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField("指派/更换理由", max_length=500, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.provider}"


class MilestoneKind(models.TextChoices):
    MET_CLIENT = "met_client", _("会见受援人")
    READ_FILE = "read_file", _("阅卷")
    HEARING = "hearing", _("出庭/开庭")
    OTHER = "other", _("其他办案进展")


class Milestone(models.Model):
    case = models.ForeignKey(AidCase, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("节点", max_length=20, choices=MilestoneKind.choices)
    occurred_on = models.DateField("日期")
    note = models.CharField("说明", max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"


class HearingAttendance(models.Model):
    """旁听: bureau or centre staff attend a hearing of a legal-aid case (BJ-measures 11)."""

    case = models.ForeignKey(AidCase, on_delete=models.CASCADE, related_name="hearings")
    planned_for = models.DateField("计划旁听日期")
    court = models.CharField("法院/法庭", max_length=200, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attended_on = models.DateField("实际旁听日期", null=True, blank=True, db_index=True)
    attended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    observations = models.TextField("旁听意见", blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["planned_for", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} 旁听 {self.planned_for}"


class RecipientVisit(models.Model):
    """回访: the centre asks the recipient how the provider served them."""

    case = models.ForeignKey(AidCase, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("回访日期")
    satisfaction = models.PositiveSmallIntegerField("满意度（1—5）")
    note = models.CharField("回访记录", max_length=1000, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} 回访"


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


class DocumentKind(models.TextChoices):
    INCOME_PROOF = "income_proof", _("经济状况证明")
    IDENTITY = "identity", _("身份证明")
    EVIDENCE = "evidence", _("案件材料")
    CLOSING_REPORT = "closing_report", _("结案报告")
    JUDGMENT = "judgment", _("裁判文书/调解书等法律文书")
    RECIPIENT_OPINION = "recipient_opinion", _("受援人意见")
    OTHER = "other", _("其他")


def document_path(instance: AidDocument, filename: str) -> str:
    owner = f"case-{instance.case_id}" if instance.case_id else f"app-{instance.application_id}"
    return f"legalaid/{owner}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class AidDocument(models.Model):
    application = models.ForeignKey(
        AidApplication, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    case = models.ForeignKey(
        AidCase, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField("材料类别", max_length=20, choices=DocumentKind.choices)
    file = models.FileField("文件", upload_to=document_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DutyPlaceKind(models.TextChoices):
    DETENTION_CENTRE = "detention_centre", _("看守所")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")


class DutyShift(models.Model):
    """值班律师 roster: a provider on duty at a detention centre or court on a day."""

    centre = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    place_kind = models.CharField("值班场所类别", max_length=20, choices=DutyPlaceKind.choices)
    place_name = models.CharField("值班场所", max_length=200)
    on_date = models.DateField("值班日期", db_index=True)
    provider = models.ForeignKey(
        ProviderPoolMember, on_delete=models.PROTECT, related_name="duty_shifts"
    )

    class Meta:
        ordering = ["on_date", "place_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place_name", "on_date", "provider"], name="legalaid_duty_shift_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.place_name} {self.on_date}"


class DutyHelpKind(models.TextChoices):
    """The help a duty lawyer gives (Legal Aid Law art. 30)."""

    LEGAL_ADVICE = "legal_advice", _("法律咨询")
    PROCEDURE_ADVICE = "procedure_advice", _("程序选择建议")
    BAIL_APPLICATION = "bail_application", _("申请变更强制措施")
    OPINION_ON_CHARGE = "opinion_on_charge", _("对案件处理提出意见")
    PLEA_PRESENCE = "plea_presence", _("认罪认罚具结在场")


class DutyHelp(models.Model):
    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="helps")
    person_name = models.CharField("犯罪嫌疑人、被告人", max_length=50)
    kind = models.CharField("帮助类别", max_length=30, choices=DutyHelpKind.choices)
    note = models.CharField("说明", max_length=1000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.shift} {self.person_name}"
