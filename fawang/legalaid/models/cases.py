"""Cases (案件): opened from an application or a notice, assigned to a provider, and their
course — milestones, hearing attendance, recipient visits, documents."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region
from fawang.legalaid.models.applications import CRIMINAL_MATTERS, AidApplication, MatterType
from fawang.legalaid.models.pool import ProviderPoolMember
from fawang.policy.deadlines import due_day


class CaseOrigin(models.TextChoices):
    APPLICATION = "application", _("依申请")
    NOTICE = "notice", _("通知辩护/代理")


class CaseStatus(models.TextChoices):
    AWAITING_ASSIGNMENT = "awaiting_assignment", _("待指派")
    ASSIGNED = "assigned", _("承办中")
    CLOSED = "closed", _("已结案")
    TERMINATED = "terminated", _("已终止")


class TerminationGround(models.TextChoices):
    """法律援助法 第四十八条第一款: the centre shall decide to end legal aid when…"""

    DECEPTION = "deception", _("受援人以欺骗或者其他不正当手段获得法律援助（第一项）")
    CONCEALMENT = (
        "concealment",
        _("受援人故意隐瞒与案件有关的重要事实或者提供虚假证据（第二项）"),
    )
    UNLAWFUL_USE = "unlawful_use", _("受援人利用法律援助从事违法活动（第三项）")
    NO_LONGER_ELIGIBLE = (
        "no_longer_eligible",
        _("受援人的经济状况发生变化，不再符合法律援助条件（第四项）"),
    )
    CASE_ENDED = "case_ended", _("案件终止审理或者已经被撤销（第五项）")
    OWN_LAWYER = "own_lawyer", _("受援人自行委托律师或者其他代理人（第六项）")
    RECIPIENT_REQUEST = "recipient_request", _("受援人有正当理由要求终止法律援助（第七项）")
    OTHER_BY_LAW = "other_by_law", _("法律法规规定的其他情形（第八项）")


CASE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset({CaseStatus.AWAITING_ASSIGNMENT}), CaseStatus.ASSIGNED),
    "reassign": (
        frozenset({CaseStatus.ASSIGNED, CaseStatus.AWAITING_ASSIGNMENT}),
        CaseStatus.ASSIGNED,
    ),
    "record_milestone": (frozenset({CaseStatus.ASSIGNED}), CaseStatus.ASSIGNED),
    "close": (frozenset({CaseStatus.ASSIGNED}), CaseStatus.CLOSED),
    "review": (frozenset({CaseStatus.CLOSED}), CaseStatus.CLOSED),
    # 法律援助法 第四十八条: the centre's written decision to end legal aid.
    "terminate": (
        frozenset({CaseStatus.AWAITING_ASSIGNMENT, CaseStatus.ASSIGNED}),
        CaseStatus.TERMINATED,
    ),
    # 法律援助法 第四十八条第二款: the provider reports a ground; the case goes on until decided.
    "report_ground": (frozenset({CaseStatus.ASSIGNED}), CaseStatus.ASSIGNED),
    # 法律援助法 第四十九条: the justice bureau orders the centre to correct a termination.
    "resume": (frozenset({CaseStatus.TERMINATED}), CaseStatus.AWAITING_ASSIGNMENT),
}


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
    # 法律援助法 第四十八条: the written decision to end legal aid, and a provider's report of a
    # ground (para. 2).
    terminated_at = models.DateTimeField("终止时间", null=True, blank=True, db_index=True)
    termination_ground = models.CharField(
        "终止情形", max_length=20, choices=TerminationGround.choices, blank=True
    )
    termination_decision = models.TextField("终止法律援助决定", blank=True)
    reported_ground = models.CharField(
        "法律援助人员报告的终止情形", max_length=20, choices=TerminationGround.choices, blank=True
    )
    reported_note = models.CharField("报告说明", max_length=1000, blank=True)
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

    @property
    def assignment_due_day(self) -> date:
        """The last day to assign (法律援助法 第四十三条第一款 / 第三十六条); it ends at 24:00."""
        return due_day(self.assignment_due_at)


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


class LetterKind(models.TextChoices):
    ASSIGNED = "assigned", _("指派律师通知（第三十六条）")
    TERMINATED = "terminated", _("终止法律援助函告（第四十八条）")


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OrganLetter(models.Model):
    """What the centre sends back to the court, procuratorate or police that notified it, through
    the same integration the notice came by (``legalaid.organs``): 法律援助法 第三十六条 "指派律师
    并通知人民法院、人民检察院、公安机关". An outbox row, written in the deciding transaction."""

    notice = models.ForeignKey(DefenceNotice, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("通知事项", max_length=12, choices=LetterKind.choices)
    payload = models.JSONField("发送内容")
    status = models.CharField(
        "状态", max_length=10, choices=LetterStatus.choices, default=LetterStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = verbose_name_plural = "致办案机关通知"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.notice} {self.get_kind_display()}"


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
