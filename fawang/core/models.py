"""Reference data (regions, institutions, practitioners) and accounts with their scope."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.core.personal_data import ID_NUMBER, PHONE, PersonalDataField, PersonalDataHashField


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    TOWNSHIP = "township", _("乡镇街道")
    VILLAGE = "village", _("村居")


def region_path(code: str, parent_path: str | None) -> str:
    return f"{parent_path or '/'}{code}/"


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # "/<city>/<district>/<township>/<village>/": a subtree is one indexed prefix match. Codes
    # alone can't do this: some villages keep codes whose leading digits name another township.
    path = models.CharField(max_length=60, db_index=True, editable=False)
    resident_population = models.PositiveIntegerField("常住人口", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("人口年份", null=True, blank=True)
    source = models.CharField("数据来源", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = region_path(self.code, self.parent.path if self.parent else None)
        super().save(*args, **kwargs)

    def contains(self, other: Region | None) -> bool:
        return other is not None and other.path.startswith(self.path)

    def ancestor_paths(self) -> list[str]:
        """The paths of the city, district … down to this region itself, for `path__in`."""
        codes = self.path.strip("/").split("/")
        return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]

    @property
    def district(self) -> Region | None:
        """The district this region lies in (itself for a district)."""
        node: Region | None = self
        while node is not None and node.level not in {RegionLevel.DISTRICT, RegionLevel.CITY}:
            node = node.parent
        return node if node is not None and node.level == RegionLevel.DISTRICT else None


class InstitutionKind(models.TextChoices):
    JUSTICE_BUREAU = "justice_bureau", _("司法局")
    JUSTICE_OFFICE = "justice_office", _("司法所")
    SERVICE_CENTRE = "service_centre", _("公共法律服务中心")
    LEGAL_AID_CENTRE = "legal_aid_centre", _("法律援助中心")
    LAW_FIRM = "law_firm", _("律师事务所")
    NOTARY_OFFICE = "notary_office", _("公证处")
    APPRAISAL_INSTITUTION = "appraisal_institution", _("司法鉴定机构")
    MEDIATION_COMMITTEE = "mediation_committee", _("人民调解委员会")
    ARBITRATION_COMMISSION = "arbitration_commission", _("仲裁委员会")
    BASIC_LEGAL_SERVICE = "basic_legal_service", _("基层法律服务所")


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    SUSPENDED = "suspended", _("停业整顿")
    CLOSED = "closed", _("已注销")


class PartyOrganisation(models.TextChoices):
    """A law firm's party organisation (BJ-list 一(一) sets a coverage target on it)."""

    INDEPENDENT = "independent", _("单独建立")
    JOINT = "joint", _("联合建立")
    NONE = "none", _("未建立")
    UNKNOWN = "unknown", _("未填报")


class MediationLevel(models.TextChoices):
    VILLAGE = "village", _("村（居）调委会")
    TOWNSHIP = "township", _("乡镇（街道）调委会")
    INDUSTRY = "industry", _("行业性专业性调委会")


class Institution(models.Model):
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=30, choices=InstitutionKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="institutions")
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, null=True, blank=True
    )
    licence_number = models.CharField("执业许可证号", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("对外服务电话", max_length=40, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=InstitutionStatus.choices, default=InstitutionStatus.ACTIVE
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    party_organisation = models.CharField(
        "党组织建设",
        max_length=20,
        choices=PartyOrganisation.choices,
        default=PartyOrganisation.UNKNOWN,
    )
    mediation_level = models.CharField(
        "调委会层级", max_length=20, choices=MediationLevel.choices, blank=True
    )
    industry = models.CharField("行业领域", max_length=50, blank=True)
    service_fields = models.JSONField("业务范围", default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = verbose_name_plural = "法律服务机构"
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="institution_kind_name_unique")
        ]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name


class PractitionerKind(models.TextChoices):
    LAWYER = "lawyer", _("律师")
    NOTARY = "notary", _("公证员")
    APPRAISER = "appraiser", _("司法鉴定人")
    MEDIATOR = "mediator", _("人民调解员")
    COMMUNITY_ADVISER = "community_adviser", _("村（居）法律顾问")
    LEGAL_AID_STAFF = "legal_aid_staff", _("法律援助工作人员")
    BASIC_LEGAL_WORKER = "basic_legal_worker", _("基层法律服务工作者")
    ARBITRATOR = "arbitrator", _("仲裁员")


class PractitionerStatus(models.TextChoices):
    PRACTISING = "practising", _("执业")
    SUSPENDED = "suspended", _("暂停执业")
    REVOKED = "revoked", _("吊销/注销")
    RETIRED = "retired", _("退出")


class Practitioner(models.Model):
    kind = models.CharField("类别", max_length=30, choices=PractitionerKind.choices)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="practitioners"
    )
    licence_number = models.CharField("执业证号", max_length=40)
    specialties = models.JSONField("专业领域", default=list, blank=True)
    languages = models.JSONField("工作语言", default=list, blank=True)
    title = models.CharField("职称/等级", max_length=40, blank=True)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=PractitionerStatus.choices,
        default=PractitionerStatus.PRACTISING,
    )
    practising_since = models.DateField("执业起始", null=True, blank=True)
    is_public_sector = models.BooleanField("公职律师", default=False)
    is_full_time = models.BooleanField("专职", default=False)
    phone = PersonalDataField("手机号码", kind=PHONE)
    phone_hash = PersonalDataHashField(source="phone", kind=PHONE)
    id_number = PersonalDataField("身份证号码", kind=ID_NUMBER)
    id_number_hash = PersonalDataHashField(source="id_number", kind=ID_NUMBER)
    user = models.OneToOneField(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="practitioner"
    )

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = verbose_name_plural = "法律服务人员"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "licence_number"], name="practitioner_kind_licence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class _KindManager(models.Manager[Any]):
    """Each proxy (Lawyer, Notary, …) sees only practitioners of its own kind."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(kind=self.model.KIND)


class Lawyer(Practitioner):
    KIND = PractitionerKind.LAWYER
    objects: ClassVar[_KindManager] = _KindManager()

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "律师"


class Notary(Practitioner):
    KIND = PractitionerKind.NOTARY
    objects: ClassVar[_KindManager] = _KindManager()

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "公证员"


class Appraiser(Practitioner):
    KIND = PractitionerKind.APPRAISER
    objects: ClassVar[_KindManager] = _KindManager()

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "司法鉴定人"


class Mediator(Practitioner):
    KIND = PractitionerKind.MEDIATOR
    objects: ClassVar[_KindManager] = _KindManager()

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "人民调解员"


class Role(models.TextChoices):
    CITIZEN = "citizen", _("群众")
    HOTLINE_SEAT = "hotline_seat", _("热线坐席")
    WINDOW_CLERK = "window_clerk", _("窗口工作人员")
    LAWYER = "lawyer", _("律师")
    LEGAL_AID_OFFICER = "legal_aid_officer", _("法律援助工作人员")
    MEDIATOR = "mediator", _("人民调解员")
    NOTARY = "notary", _("公证员")
    APPRAISER = "appraiser", _("司法鉴定人")
    ARBITRATION_CLERK = "arbitration_clerk", _("仲裁委员会工作人员")
    COMMUNITY_ADVISER = "community_adviser", _("村（居）法律顾问")
    SUPERVISOR_CITY = "supervisor_city", _("市司法局管理人员")
    SUPERVISOR_DISTRICT = "supervisor_district", _("区司法局管理人员")
    SUPERVISOR_TOWNSHIP = "supervisor_township", _("司法所管理人员")
    AUDITOR = "auditor", _("安全审计员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")


# Who is scoped by what. Practitioners see their institution; everyone else sees a region subtree.
INSTITUTION_SCOPED_ROLES = frozenset(
    {
        Role.LAWYER,
        Role.LEGAL_AID_OFFICER,
        Role.MEDIATOR,
        Role.NOTARY,
        Role.APPRAISER,
        Role.COMMUNITY_ADVISER,
        Role.ARBITRATION_CLERK,
    }
)
SUPERVISOR_ROLES = frozenset(
    {Role.SUPERVISOR_CITY, Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_TOWNSHIP}
)
ADMIN_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})
# Everyone who serves citizens or supervises them; not the three administrators (三权分立).
STAFF_READER_ROLES = tuple(r for r in Role.values if r not in ADMIN_ROLES and r != Role.CITIZEN)
INTAKE_ROLES = frozenset({Role.HOTLINE_SEAT, Role.WINDOW_CLERK})
# Who serves from a queue: the intake staff and the practitioners. A commission clerk reports
# its commission's cases and serves no work order.
SERVING_ROLES = (INTAKE_ROLES | INSTITUTION_SCOPED_ROLES) - {Role.ARBITRATION_CLERK}
# The bureaus that set rules for the districts below them (dispatch rules, …).
RULE_EDITOR_ROLES = frozenset({Role.SUPERVISOR_CITY, Role.SUPERVISOR_DISTRICT})
SUPERVISOR_REGION_LEVEL = {
    Role.SUPERVISOR_CITY: RegionLevel.CITY,
    Role.SUPERVISOR_DISTRICT: RegionLevel.DISTRICT,
    Role.SUPERVISOR_TOWNSHIP: RegionLevel.TOWNSHIP,
}


class User(AbstractUser):
    role = models.CharField("角色", max_length=30, choices=Role.choices, default=Role.CITIZEN)
    full_name = models.CharField("姓名", max_length=50, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    phone = PersonalDataField("手机号码", kind=PHONE)
    phone_hash = PersonalDataHashField(source="phone", kind=PHONE)
    id_number = PersonalDataField("身份证号码", kind=ID_NUMBER)
    id_number_hash = PersonalDataHashField(source="id_number", kind=ID_NUMBER)
    elder_mode = models.BooleanField("长辈模式", default=False)
    language = models.CharField("界面语言", max_length=10, blank=True)
    address = models.CharField(
        "住址", max_length=200, blank=True, validators=[MaxLengthValidator(200)]
    )

    class Meta:
        verbose_name = verbose_name_plural = "账户"
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"],
                condition=models.Q(role="citizen") & ~models.Q(phone_hash=""),
                name="citizen_phone_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.role == Role.CITIZEN

    @property
    def is_staff_member(self) -> bool:
        return self.role != Role.CITIZEN


class SmsCode(models.Model):
    """A one-time code sent to a phone (registration, password reset). Stored hashed."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} code #{self.pk}"


class AttemptCount(models.Model):
    """Failed guesses per key (client address + purpose) in a time window, in the database so
    every server process counts against the same limit (core.throttle)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class SmsDelivery(models.Model):
    """One SMS job's delivery, keyed by the job: a job run twice (its worker died) texts once."""

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"SMS delivery {self.key}"


class ApiToken(models.Model):
    """A bearer token for an integration (telephony, 12345 exchange, court systems)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScheduledRun(models.Model):
    """A periodic job's claimed time slot (see fawang.core.scheduling)."""

    name = models.CharField(max_length=100)
    slot = models.BigIntegerField()
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.slot}"


class NumberCounter(models.Model):
    """The last number given out per prefix and day, where there is no PostgreSQL sequence
    (SQLite, which serialises writers anyway). See fawang.core.numbering."""

    prefix = models.CharField(max_length=8)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="number_counter_per_prefix_day")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%Y%m%d}: {self.last}"


class CacheGeneration(models.Model):
    """The current token of a kind of reference data that processes keep in memory; a change
    writes a new random token (see fawang.core.generations)."""

    name = models.CharField(max_length=50, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
