"""Judicial appraisal (司法鉴定): entrustments, the appraisers assigned, coded opinions anyone can
verify, complaints and the review panel's scores. The roster is core reference data:
``Institution`` (kind appraisal_institution, ``service_fields`` = licensed fields) and
``Practitioner`` (kind appraiser, ``specialties`` = licensed fields, ``title`` = 职称)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.appraisal.fields import field_label
from fawang.core.models import Institution, Practitioner, Region
from fawang.core.personal_data import PHONE, PersonalDataField, PersonalDataHashField

USER = settings.AUTH_USER_MODEL


class EntrustingKind(models.TextChoices):
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    POLICE = "police", _("公安机关")
    PARTY = "party", _("当事人")
    MEDIATION = "mediation", _("人民调解组织（鉴调一体）")


class EntrustmentStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ACCEPTED = "accepted", _("鉴定中")
    REFUSED = "refused", _("不予受理")
    COMPLETED = "completed", _("已出具意见书")


class Entrustment(models.Model):
    """One entrustment (委托) of one matter in one licensed field to one institution."""

    number = models.CharField(_("委托编号"), max_length=32, unique=True)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    entrusting_kind = models.CharField(
        _("委托人类别"), max_length=20, choices=EntrustingKind.choices
    )
    entrusting_name = models.CharField(_("委托人"), max_length=100)
    entrusting_phone = PersonalDataField(_("委托人联系电话"), kind=PHONE)
    entrusting_phone_hash = PersonalDataHashField(source="entrusting_phone", kind=PHONE)
    parties = models.JSONField(_("案件当事人"), default=list)
    matter = models.TextField(_("委托鉴定事项"))
    field = models.CharField(_("鉴定类别"), max_length=30)
    materials = models.TextField(_("鉴定材料"), blank=True)
    fee_estimate = models.DecimalField(_("预估鉴定费（元）"), max_digits=10, decimal_places=2)
    mediation_ref = models.CharField(_("调解纠纷编号（鉴调一体）"), max_length=32, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=EntrustmentStatus.choices,
        default=EntrustmentStatus.RECEIVED,
    )
    received_at = models.DateTimeField(_("收到委托时间"), default=timezone.now, db_index=True)
    decide_by = models.DateTimeField(_("受理决定期限"))
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    refused_reason = models.TextField(_("不予受理理由"), blank=True)
    opinion_due_at = models.DateTimeField(_("鉴定完成期限"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("延长次数"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    appraisers = models.ManyToManyField(Practitioner, related_name="+", blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = verbose_name_plural = _("司法鉴定委托")
        indexes = [models.Index(fields=["institution", "status", "received_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def field_label(self) -> str:
        return field_label(self.field)


class OpinionKind(models.TextChoices):
    OPINION = "opinion", _("司法鉴定意见书")
    SUPPLEMENT = "supplement", _("补充鉴定意见书")
    CORRECTION = "correction", _("补正文书")


class OpinionStatus(models.TextChoices):
    VALID = "valid", _("有效")
    WITHDRAWN = "withdrawn", _("已撤回")


class SignatureAlgorithm(models.TextChoices):
    SM2_SM3 = "sm2-sm3", "SM2/SM3"
    ED25519 = "ed25519", "Ed25519"  # documents issued before the switch to SM2 (verify only)


class Opinion(models.Model):
    """An issued document with its city-wide case code (赋码) and verification code; the PDF, its
    SM3 digest and the institution's signature (SM2/SM3 since the switch, Ed25519 before it;
    ``algorithm`` says which — docs/appraisal.md); the hashed 提取码 that lets the entrusting
    party download the PDF."""

    entrustment = models.ForeignKey(Entrustment, on_delete=models.PROTECT, related_name="opinions")
    kind = models.CharField(_("文书类别"), max_length=12, choices=OpinionKind.choices)
    case_code = models.CharField(_("案件赋码"), max_length=48, unique=True)
    verification_code = models.CharField(_("查询验证码"), max_length=14, unique=True)
    summary = models.TextField(_("鉴定意见"))
    issued_at = models.DateTimeField(_("出具日期"), default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    appraiser_licences = models.JSONField(_("鉴定人执业证号"), default=list)
    document = models.BinaryField(_("文书 PDF"))
    digest = models.CharField(_("SM3 摘要"), max_length=64)
    signature = models.CharField(_("机构签名（十六进制）"), max_length=160)
    public_key = models.CharField(_("机构公钥（十六进制）"), max_length=140)
    algorithm = models.CharField(
        _("签名算法"),
        max_length=10,
        choices=SignatureAlgorithm.choices,
        default=SignatureAlgorithm.SM2_SM3,
    )
    # HMAC-SM3 of the 提取码 (never the code); empty for documents issued before it existed.
    download_code_hash = models.CharField(_("提取码摘要"), max_length=64, blank=True)
    download_code_issued_at = models.DateTimeField(_("提取码发放时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.VALID
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = verbose_name_plural = _("司法鉴定文书")

    def __str__(self) -> str:
        return self.case_code


class ComplaintDecision(models.TextChoices):
    PENDING = "", _("待处理")
    VALID = "valid", _("有效投诉")
    INVALID = "invalid", _("不成立")


class Complaint(models.Model):
    """A complaint against an institution (and maybe one entrustment), decided by the bureau."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    entrustment = models.ForeignKey(
        Entrustment, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    complainant = models.CharField(_("投诉人"), max_length=100)
    # Filed online by a citizen (else recorded by the bureau); the citizen sees its decision.
    citizen = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appraiser = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = models.ForeignKey(
        "Opinion", on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    text = models.TextField(_("投诉内容"))
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    decision = models.CharField(
        _("处理结论"), max_length=10, choices=ComplaintDecision.choices, blank=True, default=""
    )
    decision_note = models.TextField(_("处理意见"), blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = verbose_name_plural = _("司法鉴定投诉")

    def __str__(self) -> str:
        return f"投诉 {self.pk}"


class Sanction(models.Model):
    """An administrative sanction or disciplinary measure recorded against an institution."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("处罚或处分"), max_length=500)
    decided_on = models.DateField(_("决定日期"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.description


class InstitutionHead(models.Model):
    """Who heads an institution (approves extensions; 司法鉴定程序通则 art. 28)."""

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.institution_id}:{self.user_id}"


class OpinionReview(models.Model):
    """文书质量评议: an opinion drawn into an institution's yearly sample, scored by the panel."""

    opinion = models.OneToOneField(Opinion, on_delete=models.PROTECT, related_name="review")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("评议年度"))
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    findings = models.TextField(_("评议意见"), blank=True)
    panel = models.CharField(_("评议组成员"), max_length=200, blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    scored_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["institution", "year", "opinion__case_code"]
        verbose_name = verbose_name_plural = _("司法鉴定文书质量评议")

    def __str__(self) -> str:
        return f"评议 {self.opinion_id}"


class AccreditationKind(models.TextChoices):
    """资质认定 (CMA: 检验检测机构资质认定, what the plans count) or 认可 (CNAS: 实验室认可, voluntary;
    recorded and shown, not counted — docs/appraisal.md, "Accreditation")."""

    CMA = "cma", _("资质认定（CMA）")
    CNAS = "cnas", _("实验室认可（CNAS）")


# A certificate ending within this many days shows 即将到期 (the bureau's reminder to renew).
EXPIRING_DAYS = 90


class AccreditationStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRING = "expiring", _("即将到期")
    EXPIRED = "expired", _("已过期")
    WITHDRAWN = "withdrawn", _("已撤销")
    RENEWED = "renewed", _("已换证")
    NOT_YET = "not_yet", _("未生效")


class Accreditation(models.Model):
    """One certificate of an institution's laboratory covering one licensed field: 资质认定 (CMA)
    or 认可 (CNAS), recorded by the bureau. A renewal (换证) is a new row naming the one it
    replaces, so the dates of every certificate stay as they were and a past day counts as it
    was; a withdrawal (撤销) keeps the row with the day it took effect."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("鉴定类别"), max_length=30)
    kind = models.CharField(_("类别"), max_length=10, choices=AccreditationKind.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=60)
    issuing_body = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewal"
    )
    withdrawn = models.BooleanField(_("已撤销"), default=False)
    withdrawn_on = models.DateField(_("撤销日期"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤销理由"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["institution", "field", "kind", "-valid_until", "-pk"]
        verbose_name = verbose_name_plural = _("司法鉴定资质认定")
        indexes = [models.Index(fields=["institution", "field", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="accreditation_valid_after_issued",
            )
        ]

    def __str__(self) -> str:
        return self.certificate_number

    @property
    def field_label(self) -> str:
        return field_label(self.field)

    def counts_on(self, day: date) -> bool:
        """In force on the day: issued, not past its validity, not withdrawn by then. (A renewed
        certificate still counts until its own end: the renewal is another row.)"""
        withdrawn = self.withdrawn and (self.withdrawn_on is None or self.withdrawn_on <= day)
        return self.issued_on <= day <= self.valid_until and not withdrawn

    def status_on(self, day: date) -> str:
        """有效 / 即将到期 (within ``EXPIRING_DAYS``) / 已过期 / 已撤销 / 已换证 / 未生效."""
        if self.withdrawn and (self.withdrawn_on is None or self.withdrawn_on <= day):
            return AccreditationStatus.WITHDRAWN
        if hasattr(self, "renewal"):
            return AccreditationStatus.RENEWED
        if day < self.issued_on:
            return AccreditationStatus.NOT_YET
        if day > self.valid_until:
            return AccreditationStatus.EXPIRED
        if (self.valid_until - day).days <= EXPIRING_DAYS:
            return AccreditationStatus.EXPIRING
        return AccreditationStatus.VALID

    def status_label(self, day: date) -> str:
        return str(AccreditationStatus(self.status_on(day)).label)


class ParentBody(models.TextChoices):
    """母体 (SJZ 专栏1 #24): the body an institution was set up by, as the bureau records it."""

    KEY_UNIVERSITY = "key_university", _("重点高校")
    RESEARCH_INSTITUTE = "research_institute", _("科研院所")
    HIGH_TECH_ENTERPRISE = "high_tech_enterprise", _("高科技企业")
    OTHER = "other", _("其他（无上述母体）")


# The parents SJZ-24 counts.
KEY_PARENT_BODIES = (
    ParentBody.KEY_UNIVERSITY,
    ParentBody.RESEARCH_INSTITUTE,
    ParentBody.HIGH_TECH_ENTERPRISE,
)


class InstitutionProfile(models.Model):
    """What the bureau records about an appraisal institution beyond the roster: its 母体."""

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="+")
    parent_body = models.CharField(_("母体类型"), max_length=30, choices=ParentBody.choices)
    parent_name = models.CharField(_("母体名称"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("司法鉴定机构母体")

    def __str__(self) -> str:
        return f"{self.institution_id}:{self.parent_body}"
