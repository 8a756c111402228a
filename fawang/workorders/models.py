"""Work orders (工单): every request, from any channel, as one record with its timeline."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region
from fawang.core.personal_data import PHONE, PersonalDataField, PersonalDataHashField
from fawang.core.taxonomy import LANGUAGES, Topic


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    HOTLINE = "hotline", _("12348热线")
    WEB = "web", _("网站")
    MINI_PROGRAM = "mini_program", _("小程序")
    CITIZEN_HOTLINE_12345 = "hotline_12345", _("12345转办")
    REFERRAL = "referral", _("部门转介")


class ReferralSource(models.TextChoices):
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    POLICE = "police", _("公安机关")
    PETITION_OFFICE = "petition_office", _("信访部门")


class BusinessLine(models.TextChoices):
    CONSULTATION = "consultation", _("法律咨询")
    LEGAL_AID = "legal_aid", _("法律援助")
    MEDIATION = "mediation", _("人民调解")
    NOTARIZATION = "notarization", _("公证")
    APPRAISAL = "appraisal", _("司法鉴定")
    ARBITRATION = "arbitration", _("仲裁")
    COMPLAINT = "complaint", _("投诉")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    NEW = "new", _("待分派")
    QUEUED = "queued", _("待领取")
    CLAIMED = "claimed", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


# The transitions each verb may make; services check against this table and nowhere else.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "route": (frozenset({Status.NEW}), Status.QUEUED),
    "claim": (frozenset({Status.QUEUED}), Status.CLAIMED),
    "assign": (frozenset({Status.QUEUED, Status.CLAIMED}), Status.CLAIMED),
    "transfer": (frozenset({Status.QUEUED, Status.CLAIMED}), Status.QUEUED),
    "return": (frozenset({Status.QUEUED, Status.CLAIMED}), Status.NEW),
    "reply": (frozenset({Status.CLAIMED}), Status.REPLIED),
    # A business line's own decision answers the order it came in on (e.g. a legal-aid decision).
    "answer": (frozenset({Status.NEW, Status.QUEUED, Status.CLAIMED}), Status.REPLIED),
    "close": (frozenset({Status.REPLIED}), Status.CLOSED),
    # The case the order came in on has ended: the order ends with it, whatever it was at.
    "case_close": (
        frozenset({Status.NEW, Status.QUEUED, Status.CLAIMED, Status.REPLIED}),
        Status.CLOSED,
    ),
    # The seat closes the order it holds, for a reason ``CloseReason`` allows from that status.
    "seat_close": (frozenset({Status.CLAIMED, Status.REPLIED}), Status.CLOSED),
    "supervise": (frozenset({Status.NEW, Status.QUEUED, Status.CLAIMED}), None),
    "rate": (frozenset({Status.REPLIED, Status.CLOSED}), None),
    "follow_up": (frozenset({Status.REPLIED, Status.CLOSED}), None),
}


class CloseReason(models.TextChoices):
    """Why the seat closes an order without waiting for the rating or the auto-close."""

    RESOLVED = "resolved", _("群众已确认问题解决")
    WITHDRAWN = "withdrawn", _("群众撤回诉求")
    DUPLICATE = "duplicate", _("重复诉求（已在其他工单办理）")


# The statuses each reason may close from: a question is "resolved" only once it was answered.
CLOSE_REASON_FROM: dict[str, frozenset[str]] = {
    CloseReason.RESOLVED: frozenset({Status.REPLIED}),
    CloseReason.WITHDRAWN: frozenset({Status.CLAIMED, Status.REPLIED}),
    CloseReason.DUPLICATE: frozenset({Status.CLAIMED}),
}

OPEN_STATUSES = frozenset({Status.NEW, Status.QUEUED, Status.CLAIMED})

MAX_DESCRIPTION = 5000
MAX_REPLY = 10000


def new_rating_token() -> str:
    return secrets.token_urlsafe(18)


class WorkOrder(models.Model):
    number = models.CharField("工单编号", max_length=20, unique=True)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    referral_source = models.CharField(
        "转介单位类别", max_length=20, choices=ReferralSource.choices, blank=True
    )
    external_ref = models.CharField(
        "外部编号", max_length=64, blank=True, help_text="来电号、12345工单号或转介单位文号"
    )
    recording_ref = models.CharField("录音编号", max_length=200, blank=True)
    business_line = models.CharField("业务类别", max_length=20, choices=BusinessLine.choices)
    topic = models.CharField("咨询分类", max_length=30, choices=Topic.choices)
    topic_confirmed = models.BooleanField("分类已确认", default=False)
    # NULL while the classifier's job has yet to look at the order (workorders.classification).
    suggested_topics = models.JSONField("分类建议", default=dict, blank=True, null=True)
    title = models.CharField("事项", max_length=100)
    description = models.TextField("诉求内容")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
    )
    requester_name = models.CharField("申请人", max_length=50)
    requester_phone = PersonalDataField("联系电话", kind=PHONE)
    requester_phone_hash = PersonalDataHashField(source="requester_phone", kind=PHONE)
    special_groups = models.JSONField("特殊群体", default=list, blank=True)
    # 绿色通道: a special group the pack names (service_levels.green_channel): claimed first, with
    # the pack's shorter periods.
    # No index of its own: "next" reads it from workorder_claim_queue (every index of this table
    # is written on every create).
    green_channel = models.BooleanField("绿色通道", default=False)
    home_visit = models.BooleanField("申请上门服务", default=False)
    language = models.CharField(
        "语言需求",
        max_length=10,
        blank=True,
        help_text="core.taxonomy.LANGUAGES 的代码；空为普通话",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="work_orders")
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        help_text="所在受理队列",
        db_index=False,  # the composite indexes below begin with it
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_work_orders",
        db_index=False,  # the (assignee, status) index below begins with it
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField("受理时间", default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    claim_due_at = models.DateTimeField("领取时限")
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    reply_due_at = models.DateTimeField("答复时限")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    reply = models.TextField("答复内容", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # A legal-aid application or a mediation dispute this order came in on: the order follows it
    # (the line tells the order through ``services.follow_case``), so one request has one status.
    case_ref = models.CharField("所随案件", max_length=60, blank=True)
    case_status = models.CharField("案件状态", max_length=60, blank=True)
    claim_overdue = models.BooleanField("领取超时", default=False)
    reply_overdue = models.BooleanField("答复超时", default=False)
    escalation_level = models.PositiveSmallIntegerField(
        "升级层级", default=0, help_text="0 未升级，1 区司法局，2 市司法局"
    )
    supervised = models.BooleanField("督办", default=False)
    rating = models.PositiveSmallIntegerField(
        "满意度",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rating_token = models.CharField(max_length=32, unique=True, default=new_rating_token)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        help_text="投诉所针对的工单",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "工单"
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="workorder_idempotency_key_unique",
            ),
            # One order per telephony call id and per 12345 ticket, even when they arrive twice
            # at the same moment.
            models.UniqueConstraint(
                fields=["channel", "external_ref"],
                condition=models.Q(channel__in=["hotline", "hotline_12345"])
                & ~models.Q(external_ref=""),
                name="workorder_call_and_ticket_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "created_at"]),
            models.Index(fields=["status", "claim_due_at"]),
            models.Index(fields=["status", "reply_due_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["channel", "external_ref"]),
            models.Index(
                fields=["id"],
                condition=models.Q(suggested_topics__isnull=True),
                name="workorder_topics_pending",
            ),
            # "Next" (claim_next): an institution's queue in hand-out order, so taking the first
            # costs the same with ten orders waiting or twenty thousand (it sorted them all).
            models.Index(
                fields=["institution", "-green_channel", "created_at", "id"],
                condition=models.Q(status="queued", case_ref=""),
                name="workorder_claim_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def language_label(self) -> str:
        return LANGUAGES.get(self.language, self.language)

    @property
    def shown_status(self) -> str:
        """The one status a citizen sees: the case's, when the order follows a case."""
        return self.case_status or str(self.get_status_display())


class EventKind(models.TextChoices):
    CREATED = "created", _("受理")
    ROUTED = "routed", _("分派")
    CLAIMED = "claimed", _("领取")
    ASSIGNED = "assigned", _("指派")
    TRANSFERRED = "transferred", _("转办")
    RETURNED = "returned", _("退回")
    SUPERVISED = "supervised", _("督办")
    CLASSIFIED = "classified", _("确认分类")
    REPLIED = "replied", _("答复")
    RATED = "rated", _("评价")
    FOLLOWED_UP = "followed_up", _("回访")
    COMPLAINED = "complained", _("投诉")
    CLOSED = "closed", _("办结")
    CLAIM_OVERDUE = "claim_overdue", _("领取超时")
    REPLY_OVERDUE = "reply_overdue", _("答复超时")
    ESCALATED = "escalated", _("升级")
    CASE_UPDATED = "case_updated", _("案件进展")


class WorkOrderEvent(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=1000, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = verbose_name_plural = "工单事件"
        # On PostgreSQL the table is partitioned by month on occurred_at (migration 0008,
        # docs/operations.md "Partitioned history"): primary key (id, occurred_at) there.
        # The index serves the indicators' "events since" inside the month partitions it prunes to.
        indexes = [models.Index(fields=["occurred_at"], name="workorders_event_occurred")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class DispatchRule(models.Model):
    """Route new orders of (business line, topic, region) to an institution's queue.

    Empty business line or topic means "any". The most specific matching rule wins: the deepest
    region, then a set topic, then a set business line, then the lower priority number.
    """

    business_line = models.CharField(
        "业务类别", max_length=20, choices=BusinessLine.choices, blank=True
    )
    topic = models.CharField("咨询分类", max_length=30, choices=Topic.choices, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="dispatch_rules")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="dispatch_rules"
    )
    priority = models.PositiveSmallIntegerField("优先级", default=100)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__code", "priority"]
        verbose_name = verbose_name_plural = "分派规则"

    def __str__(self) -> str:
        return f"{self.region} {self.business_line or '*'}/{self.topic or '*'} → {self.institution}"


class FollowUp(models.Model):
    """A phone follow-up (回访) a seat made after the reply."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="follow_ups")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    reached = models.BooleanField("联系上", default=True)
    satisfaction = models.PositiveSmallIntegerField(
        "满意度", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.CharField("回访记录", max_length=1000, blank=True)

    class Meta:
        ordering = ["-made_at"]
        verbose_name = verbose_name_plural = "回访"

    def __str__(self) -> str:
        return f"{self.order_id} {self.made_at:%Y-%m-%d}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("放弃")


class ExchangeMessage(models.Model):
    """A status update owed to the 12345 citizen hotline (transactional outbox).

    Written in the same transaction as the change it reports, so no update is lost; ``dedupe_key``
    is unique, so no update is queued twice, and it travels with the message so the receiver can
    drop a repeat after a crash between sending and marking sent.
    """

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="exchange_messages")
    dedupe_key = models.CharField(max_length=100, unique=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.dedupe_key


class Notification(models.Model):
    """An in-platform message to a staff member (overdue orders, escalations, supervision)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text
