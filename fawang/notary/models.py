"""Notarial matters (公证事项) and everything the flow records about them: materials, the one
notice of what is missing, pauses, verification steps, the certificate, appointments in the office
calendar, visits, video sessions; and supervision: document reviews, complaints, fault records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Practitioner, Region
from fawang.core.personal_data import ID_NUMBER, PHONE, PersonalDataField, PersonalDataHashField
from fawang.notary.catalogue import BY_CODE, ROUTE_LABELS, Matter
from fawang.workorders.models import WorkOrder

USER = settings.AUTH_USER_MODEL


class MatterStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("审查中")
    AWAITING_APPROVAL = "awaiting_approval", _("待审批")
    APPROVED = "approved", _("待出证")
    ISSUED = "issued", _("已出证")
    DELIVERED = "delivered", _("已送达")
    ARCHIVED = "archived", _("已归档")
    REFUSED = "refused", _("不予办理")


class FeeGroup(models.TextChoices):
    NONE = "", _("无")
    LEGAL_AID = "legal_aid", _("法律援助对象")
    SPECIAL = "special", _("特殊群体（老年人、残疾人、军人军属、见义勇为人员等）")


class Delivery(models.TextChoices):
    PICK_UP = "pick_up", _("到公证处领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


S = MatterStatus
MATTER_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accept": (frozenset({S.SUBMITTED}), S.ACCEPTED),
    "refuse": (frozenset({S.SUBMITTED, S.ACCEPTED}), S.REFUSED),
    "notify": (frozenset({S.SUBMITTED, S.ACCEPTED}), None),
    "verify": (frozenset({S.ACCEPTED}), None),
    "pause": (frozenset({S.ACCEPTED}), None),
    "submit_for_approval": (frozenset({S.ACCEPTED}), S.AWAITING_APPROVAL),
    "approve": (frozenset({S.AWAITING_APPROVAL}), S.APPROVED),
    "ready": (frozenset({S.ACCEPTED}), S.APPROVED),
    "pay": (frozenset({S.ACCEPTED, S.AWAITING_APPROVAL, S.APPROVED}), None),
    "issue": (frozenset({S.APPROVED}), S.ISSUED),
    "deliver": (frozenset({S.ISSUED}), S.DELIVERED),
    "archive": (frozenset({S.DELIVERED}), S.ARCHIVED),
    "book": (frozenset({S.SUBMITTED, S.ACCEPTED, S.AWAITING_APPROVAL, S.APPROVED}), None),
    "upload": (frozenset({S.SUBMITTED, S.ACCEPTED}), None),
}


class NotarialMatter(models.Model):
    """One application for one notarial matter, from any channel, with its work order."""

    code = models.CharField(_("统一登记编码"), max_length=32, unique=True)
    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.PROTECT, related_name="notarial_matter"
    )
    applicant = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="notarial_matters"
    )
    applicant_name = models.CharField(_("申请人"), max_length=50)
    applicant_id_number = PersonalDataField(_("身份证号码"), kind=ID_NUMBER)
    applicant_id_number_hash = PersonalDataHashField(source="applicant_id_number", kind=ID_NUMBER)
    applicant_phone = PersonalDataField(_("联系电话"), kind=PHONE)
    applicant_phone_hash = PersonalDataHashField(source="applicant_phone", kind=PHONE)
    office = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("渠道"), max_length=20)
    matter_type = models.CharField(_("公证事项"), max_length=30)
    purpose = models.CharField(_("用途"), max_length=200)
    destination = models.CharField(_("使用国家（地区）"), max_length=30, blank=True)
    route = models.CharField(_("使用途径"), max_length=12, default="domestic")
    with_authentication = models.BooleanField(_("涉外公证+领事认证一体联办"), default=False)
    fee_group = models.CharField(
        _("费用减免"), max_length=12, choices=FeeGroup.choices, blank=True, default=""
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=MatterStatus.choices, default=MatterStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("申请时间"), default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("出证期限"), null=True, blank=True)
    refused_reason = models.TextField(_("不予办理理由"), blank=True)
    notary = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    needs_approval = models.BooleanField(_("须另一名公证员审批"), default=False)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    fee_amount = models.DecimalField(
        _("公证费（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_note = models.CharField(_("收费说明"), max_length=200, blank=True)
    paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)
    delivery = models.CharField(_("送达方式"), max_length=12, choices=Delivery.choices, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    overdue_marked_at = models.DateTimeField(_("超期标记时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = verbose_name_plural = _("公证事项")
        indexes = [models.Index(fields=["office", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.matter_label}"

    @property
    def matter(self) -> Matter:
        return BY_CODE[self.matter_type]

    @property
    def matter_label(self) -> str:
        """The matter's name in the reader's language."""
        spec = BY_CODE.get(self.matter_type)
        label = spec.display_name if spec else self.matter_type
        return gettext("%(matter)s（涉外）") % {"matter": label} if self.destination else label

    @property
    def route_label(self) -> str:
        route = ROUTE_LABELS.get(self.route)
        return gettext(route) if route else self.route

    @property
    def is_overdue(self) -> bool:
        if self.due_at is None or self.status == MatterStatus.REFUSED:
            return False
        return (self.closed_at or timezone.now()) > self.due_at and not self.open_pauses()

    def open_pauses(self) -> list[Pause]:
        return [p for p in self.pauses.all() if p.ended_at is None]


class MaterialItem(models.Model):
    """One item of the matter's materials list, provided (with its file) or not yet."""

    matter = models.ForeignKey(NotarialMatter, on_delete=models.CASCADE, related_name="materials")
    item = models.CharField(_("材料代码"), max_length=40)
    label = models.CharField(_("材料"), max_length=100)
    file = models.FileField(_("文件"), upload_to="notary/%Y/%m/", max_length=300, blank=True)
    provided_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "item"], name="notary_material_once")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}:{self.label}"

    @property
    def provided(self) -> bool:
        return self.provided_at is not None


class MaterialsNotice(models.Model):
    """The one notice (一次性告知) listing everything missing. One per matter: a unique row."""

    matter = models.OneToOneField(NotarialMatter, on_delete=models.CASCADE, related_name="notice")
    items = models.JSONField(_("需补充的材料"), default=list)
    note = models.TextField(_("说明"), blank=True)
    issued_at = models.DateTimeField(_("告知时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)

    def __str__(self) -> str:
        return f"一次性告知 {self.matter_id}"


class PauseReason(models.TextChoices):
    MATERIALS = "materials", _("等待补充证明材料")
    VERIFICATION = "verification", _("外出或委托核实有关情况")
    FORCE_MAJEURE = "force_majeure", _("不可抗力")


class Pause(models.Model):
    """Time not counted in the issue limit (公证法 art. 30)."""

    matter = models.ForeignKey(NotarialMatter, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("事由"), max_length=20, choices=PauseReason.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("开始"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.started_at:%Y-%m-%d}"


class VerificationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面核实")
    DATA_EXCHANGE = "data_exchange", _("数据共享核查")
    PHONE = "phone", _("电话核实")
    SITE = "site", _("外出实地核实")
    ENTRUSTED = "entrusted", _("委托异地公证机构核实")


class Verification(models.Model):
    """A verification step (公证法 art. 29): who checked what, how, with what result."""

    matter = models.ForeignKey(
        NotarialMatter, on_delete=models.CASCADE, related_name="verifications"
    )
    subject = models.CharField(_("核实事项"), max_length=200)
    method = models.CharField(_("方式"), max_length=20, choices=VerificationMethod.choices)
    confirmed = models.BooleanField(_("核实属实"), default=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("核实时间"), default=timezone.now)

    class Meta:
        ordering = ["checked_at", "pk"]

    def __str__(self) -> str:
        return self.subject


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


class Certificate(models.Model):
    """The issued notarial certificate (公证书): number and public verification code."""

    matter = models.OneToOneField(
        NotarialMatter, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("公证书编号"), max_length=60, unique=True)
    verification_code = models.CharField(_("核验码"), max_length=14, unique=True)
    issued_at = models.DateTimeField(_("出证日期"), default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销理由"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return self.number


class SlotKind(models.TextChoices):
    REGULAR = "regular", _("工作日办证")
    WEEKEND = "weekend", _("周末不打烊")
    CIRCUIT = "circuit", _("巡回办证")
    PERIODIC = "periodic", _("定期办证")


class Slot(models.Model):
    """An entry of the office's calendar in which one visit can be booked."""

    office = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=10, choices=SlotKind.choices)
    starts_at = models.DateTimeField(_("开始"), db_index=True)
    ends_at = models.DateTimeField(_("结束"))
    place = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("可预约数"), default=4)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class Appointment(models.Model):
    """The booked visit (signing and identity check) of a matter: at most one open at a time."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    matter = models.ForeignKey(
        NotarialMatter, on_delete=models.CASCADE, related_name="appointments"
    )
    booked_at = models.DateTimeField(_("预约时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("到场时间"), null=True, blank=True)

    class Meta:
        ordering = ["-booked_at"]

    def __str__(self) -> str:
        return f"{self.matter_id}@{self.slot_id}"


class Visit(models.Model):
    """Each time the applicant had to come to the office (or a circuit point) for the matter."""

    matter = models.ForeignKey(NotarialMatter, on_delete=models.CASCADE, related_name="visits")
    purpose = models.CharField(_("事由"), max_length=100)
    visited_at = models.DateTimeField(_("时间"), default=timezone.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.matter_id} {self.purpose}"


class VideoSession(models.Model):
    """A remote video notarisation session recorded by the configured video backend."""

    matter = models.ForeignKey(
        NotarialMatter, on_delete=models.CASCADE, related_name="video_sessions"
    )
    backend = models.CharField(_("视频服务"), max_length=40)
    room = models.CharField(_("会话标识"), max_length=100)
    participants = models.JSONField(_("参与人"), default=list)
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)
    recording_ref = models.CharField(_("录像编号"), max_length=200, blank=True)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.room


class DocumentReview(models.Model):
    """公证文书评查: a reviewed certificate with score and findings, drawn by a seeded sample."""

    matter = models.ForeignKey(NotarialMatter, on_delete=models.PROTECT, related_name="reviews")
    sample = models.CharField(_("抽样批次"), max_length=60)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    findings = models.TextField(_("评查意见"), blank=True)
    reviewer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("评查时间"), null=True, blank=True)

    class Meta:
        ordering = ["-drawn_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "matter"], name="notary_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.sample}:{self.matter_id}"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("待处理")
    UPHELD = "upheld", _("投诉成立")
    DISMISSED = "dismissed", _("投诉不成立")


class Complaint(models.Model):
    """A complaint against an office or a notary, with its outcome."""

    office = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    notary = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matter = models.ForeignKey(
        NotarialMatter, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    complainant = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complainant_name = models.CharField(_("投诉人"), max_length=50)
    content = models.TextField(_("投诉内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    outcome = models.TextField(_("处理结果"), blank=True)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"投诉 {self.pk}"


class FaultRecord(models.Model):
    """The notary's fault-liability record (公证执业过错责任追偿, BJ-list 一(五))."""

    notary = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(
        NotarialMatter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("过错情形"))
    liability = models.CharField(_("责任追究"), max_length=500)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"过错 {self.notary_id}"


class OfficeHead(models.Model):
    """Which notary heads an office (公证处负责人): sees the office's figures and supervision."""

    office = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.office_id}:{self.user_id}"
