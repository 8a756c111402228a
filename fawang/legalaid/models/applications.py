"""Applications (申请): the statutory matters, the means-test exemptions, the groups followed
throughout, and the citizen's application the officer decides on."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.models import Institution, Region
from fawang.core.personal_data import ID_NUMBER, PHONE, PersonalDataField, PersonalDataHashField
from fawang.policy.deadlines import due_day
from fawang.workorders.models import WorkOrder


class MatterType(models.TextChoices):
    """Matters within the statutory scope (法律援助法): civil and administrative matters of art. 31,
    the rights of art. 32 (no means test), petitions and retrials of art. 33, criminal defence
    (art. 24) and representation (art. 29), and compulsory medical treatment (art. 28, on a
    court's notice only)."""

    STATE_COMPENSATION = "state_compensation", _("依法请求国家赔偿")
    SOCIAL_INSURANCE = "social_insurance", _("请求给予社会保险待遇或者社会救助")
    PENSION = "pension", _("请求发给抚恤金")
    MAINTENANCE = "maintenance", _("请求给付赡养费、抚养费、扶养费")
    LABOUR_REMUNERATION = "labour_remuneration", _("请求确认劳动关系或者支付劳动报酬")
    CAPACITY = "capacity", _("请求认定公民无民事行为能力或者限制民事行为能力")
    PERSONAL_INJURY = "personal_injury", _("请求工伤、交通、食品药品安全、医疗事故人身损害赔偿")
    ENVIRONMENT = "environment", _("请求环境污染、生态破坏损害赔偿")
    OTHER_STATUTORY = (
        "other_statutory",
        _("法律、法规、规章规定的其他情形（第三十一条第九项）"),
    )
    RIGHTS_WITHOUT_MEANS_TEST = (
        "rights_without_means_test",
        _("英雄烈士人格权益、见义勇为、再审改判无罪国家赔偿、受虐待遗弃家暴等（第三十二条）"),
    )
    PETITION_RETRIAL = (
        "petition_retrial",
        _("不服生效裁判或者决定提出申诉、申请再审，已决定再审或者抗诉（第三十三条）"),
    )
    CRIMINAL_DEFENCE = "criminal_defence", _("刑事案件犯罪嫌疑人、被告人申请辩护")
    CRIMINAL_VICTIM = "criminal_victim", _("刑事被害人、自诉人等申请代理")
    COMPULSORY_TREATMENT = (
        "compulsory_treatment",
        _("强制医疗案件的被申请人或者被告人（第二十八条，人民法院通知）"),
    )


# Matters a lawyer must take (arts. 24–26, 28: 指派律师).
CRIMINAL_MATTERS = frozenset(
    {MatterType.CRIMINAL_DEFENCE, MatterType.CRIMINAL_VICTIM, MatterType.COMPULSORY_TREATMENT}
)
# Matters that come only on a court's, procuratorate's or police notice (arts. 25, 28, 36).
NOTICE_ONLY_MATTERS = frozenset({MatterType.COMPULSORY_TREATMENT})
NOTICE_MATTERS = frozenset({MatterType.CRIMINAL_DEFENCE, MatterType.COMPULSORY_TREATMENT})
# The article of each matter, as the application and the decision letter cite it.
ARTICLE_OF_MATTER = {
    **{
        matter: "法律援助法第三十一条"
        for matter in (
            MatterType.STATE_COMPENSATION,
            MatterType.SOCIAL_INSURANCE,
            MatterType.PENSION,
            MatterType.MAINTENANCE,
            MatterType.LABOUR_REMUNERATION,
            MatterType.CAPACITY,
            MatterType.PERSONAL_INJURY,
            MatterType.ENVIRONMENT,
            MatterType.OTHER_STATUTORY,
        )
    },
    MatterType.RIGHTS_WITHOUT_MEANS_TEST: "法律援助法第三十二条",
    MatterType.PETITION_RETRIAL: "法律援助法第三十三条",
    MatterType.CRIMINAL_DEFENCE: "法律援助法第二十四条",
    MatterType.CRIMINAL_VICTIM: "法律援助法第二十九条",
    MatterType.COMPULSORY_TREATMENT: "法律援助法第二十八条",
}


class ExemptGround(models.TextChoices):
    """No means test: art. 42 (免予核查经济困难状况: who they are) and art. 32 (不受经济困难条件的
    限制: what they claim), each with its "other situations set by law" item."""

    VULNERABLE_WITHOUT_INCOME = (
        "vulnerable_without_income",
        _("无固定生活来源的未成年人、老年人、残疾人等特定群体（第四十二条第一项）"),
    )
    SOCIAL_ASSISTANCE = (
        "social_assistance",
        _("社会救助、司法救助或者优抚对象（第四十二条第二项）"),
    )
    MIGRANT_WORKER_WAGES = (
        "migrant_worker_wages",
        _("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员（第四十二条第三项）"),
    )
    OTHER_PERSONS = "other_persons", _("法律、法规、规章规定的其他人员（第四十二条第四项）")
    HERO_RELATIVE = (
        "hero_relative",
        _("英雄烈士近亲属为维护英雄烈士的人格权益（第三十二条第一项）"),
    )
    GOOD_SAMARITAN = "good_samaritan", _("因见义勇为行为主张相关民事权益（第三十二条第二项）")
    RETRIAL_ACQUITTAL = "retrial_acquittal", _("再审改判无罪请求国家赔偿（第三十二条第三项）")
    ABUSE_VICTIM = (
        "abuse_victim",
        _("遭受虐待、遗弃或者家庭暴力的受害人主张相关权益（第三十二条第四项）"),
    )
    OTHER_SITUATIONS = "other_situations", _("法律、法规、规章规定的其他情形（第三十二条第五项）")


ART32_GROUNDS = frozenset(
    {
        ExemptGround.HERO_RELATIVE,
        ExemptGround.GOOD_SAMARITAN,
        ExemptGround.RETRIAL_ACQUITTAL,
        ExemptGround.ABUSE_VICTIM,
        ExemptGround.OTHER_SITUATIONS,
    }
)


class ApprovalBasis(models.TextChoices):
    """Why aid was given: the means test (or no means test), or art. 24's "other reasons"."""

    MEANS_OR_EXEMPT = "means_or_exempt", _("经济困难或者免予核查、不受经济困难条件限制")
    CRIMINAL_OTHER_REASON = (
        "criminal_other_reason",
        _("刑事案件犯罪嫌疑人、被告人因其他原因没有委托辩护人（第二十四条）"),
    )


class ProvisionalGround(models.TextChoices):
    """先行提供法律援助 before the review ends (法律援助法 第四十四条)."""

    TIME_LIMIT = (
        "time_limit",
        _("距法定时效或者期限届满不足七日，需要及时提起诉讼或者申请仲裁、行政复议"),
    )
    PRESERVATION = "preservation", _("需要立即申请财产保全、证据保全或者先予执行")
    OTHER = "other", _("法律、法规、规章规定的其他情形")


class FullFollowGroup(models.TextChoices):
    """Groups whose cases the centre follows throughout (BJ-measures 11)."""

    MINOR = "minor", _("未成年人")
    MILITARY = "military", _("军人军属")
    SEVERELY_DISABLED = "severely_disabled", _("重度残疾人")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审查")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予援助")
    WITHDRAWN = "withdrawn", _("视为撤回")


APPLICATION_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "approve": (frozenset({ApplicationStatus.SUBMITTED}), ApplicationStatus.APPROVED),
    "refuse": (frozenset({ApplicationStatus.SUBMITTED}), ApplicationStatus.REFUSED),
    # 法律援助法 第四十四条: aid given first, the review goes on.
    "provide_first": (frozenset({ApplicationStatus.SUBMITTED}), None),
    # 法律援助法 第四十三条第二款: ask once for what is missing; not supplied → withdrawn.
    "request_materials": (frozenset({ApplicationStatus.SUBMITTED}), None),
    "supply_materials": (frozenset({ApplicationStatus.SUBMITTED}), None),
    "deem_withdrawn": (frozenset({ApplicationStatus.SUBMITTED}), ApplicationStatus.WITHDRAWN),
    # 法律援助法 第四十九条: the justice bureau orders the centre to correct a refusal.
    "reopen": (frozenset({ApplicationStatus.REFUSED}), ApplicationStatus.SUBMITTED),
}


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
    # 法律援助法 第二十四条: 因经济困难或者其他原因没有委托辩护人 — the other reason, if any.
    other_reason = models.CharField("没有委托辩护人的其他原因", max_length=500, blank=True)
    # 法律援助法 第四十四条: aid given before the review ends.
    provisional_ground = models.CharField(
        "先行提供法律援助的情形", max_length=20, choices=ProvisionalGround.choices, blank=True
    )
    provisional_at = models.DateTimeField("先行提供时间", null=True, blank=True)
    # 法律援助法 第四十三条第二款: the one request for missing materials, and the answer.
    materials_requested = models.TextField("需要补充的材料或者说明", blank=True)
    materials_requested_at = models.DateTimeField("告知补充材料时间", null=True, blank=True)
    materials_supplied_at = models.DateTimeField("补充材料时间", null=True, blank=True)
    materials_supplied_note = models.TextField("补充说明", blank=True)
    approval_basis = models.CharField(
        "给予法律援助的依据", max_length=30, choices=ApprovalBasis.choices, blank=True
    )
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

    @property
    def decision_due_day(self) -> date:
        """The last day for the decision (法律援助法 第四十三条); it ends at 24:00."""
        return due_day(self.decision_due_at)
