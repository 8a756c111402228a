"""The demo Beijing: institutions, practitioners and one account per role.

DEMO ONLY. Public bodies (司法局, 法律援助中心, 北京仲裁委员会…) keep their real names; firms,
people, addresses, phone, ID and credit-code numbers are invented (any resemblance to a real firm
or person is a coincidence). Every demo account shares one published password and a TOTP key
anyone can derive from its username. ``fawang demo`` refuses to run outside demo mode,
and so does :func:`build_demo_world`.

The world is planned in memory from ``random.Random(seed)`` and the committed regions alone, then
only the missing rows are written, so a second run (or a run after a partial edit) creates nothing
that already exists and the same seed always plans the same world. The plan also places the
walk-in service points; the network line writes them (``planned_service_points``).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    PartyOrganisation,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    RegionLevel,
    Role,
    User,
)
from fawang.core.personal_data import id_check_character
from fawang.core.taxonomy import Topic

DEMO_PASSWORD = "Fawang-demo-2026"
DEMO_CITIZEN_PHONE = "13800138000"
TOTP_DEVICE_NAME = "演示令牌"
BEIJING_CODE = "110000000000"
CHAOYANG_CODE = "110105000000"
HAIDIAN_CODE = "110108000000"
DONGHUAMEN_CODE = "110101001000"
DEVELOPMENT_AREA_CODE = "110190000000"

OPENING_HOURS = "周一至周五 9:00-17:00"
BATCH_SIZE = 500

InstitutionKey = tuple[str, str]  # (kind, name): the natural key of an institution
T = TypeVar("T")

# --- reference lists ----------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
    "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹"
)
MALE_GIVEN = (
    "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林峰建国志文海东亮晨博昊哲睿轩天成锐"
)
FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲婷雪慧琳倩颖佳欣瑶怡婧璐晶丹萍红梅莉媛楠悦彤思雨诗蕾琪晓月"
NEUTRAL_GIVEN = "子一文嘉安清明思诗雅新志永春秋宏立振"

BRAND_FIRST = "明正信恒诚嘉泽瑞安和昭睿衡远博致弘景立卓尚知文东京华中汇元"
BRAND_SECOND = "衡达信成远泰诺和律正川言理义谦石行鉴桥朗睿嘉策鼎瀚智"

ROADS = (
    "建设路", "光明路", "民主街", "文化路", "幸福路", "兴华大街", "振兴路", "和平街", "育才路",
    "科技路", "新华大街", "团结路", "永安路", "府前街", "胜利路", "朝阳路", "通惠路", "西大街",
)  # fmt: skip

# Approximate centres of the district seats, for the centres' map pins (demo only).
DISTRICT_COORDINATES = {
    "110101": ("39.928", "116.416"), "110102": ("39.912", "116.366"),
    "110105": ("39.921", "116.443"), "110106": ("39.858", "116.287"),
    "110107": ("39.906", "116.223"), "110108": ("39.959", "116.298"),
    "110109": ("39.940", "116.102"), "110111": ("39.736", "116.143"),
    "110112": ("39.910", "116.657"), "110113": ("40.130", "116.654"),
    "110114": ("40.221", "116.231"), "110115": ("39.727", "116.341"),
    "110116": ("40.316", "116.632"), "110117": ("40.141", "117.121"),
    "110118": ("40.377", "116.843"), "110119": ("40.457", "115.975"),
    "110190": ("39.795", "116.506"), "110000": ("39.904", "116.407"),
}  # fmt: skip

# Birthplaces for ID numbers: mostly Beijing, some from other provinces.
BIRTHPLACES = (
    "110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112",
    "110113", "110114", "110115", "110116", "110117", "110118", "110119",
    "130102", "140105", "210102", "230102", "370102", "410102", "420102", "510104",
)  # fmt: skip

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "176", "177", "180", "181", "185", "186", "187", "188",
    "189", "191", "198", "199",
)  # fmt: skip

INDUSTRY_COMMITTEES = (
    ("道路交通事故", "北京市道路交通事故纠纷人民调解委员会", Topic.TRAFFIC_ACCIDENT),
    ("医疗纠纷", "北京市医疗纠纷人民调解委员会", Topic.MEDICAL),
    ("物业纠纷", "北京市物业纠纷人民调解委员会", Topic.PROPERTY),
    ("知识产权", "北京市知识产权纠纷人民调解委员会", Topic.INTELLECTUAL_PROPERTY),
    ("金融消费纠纷", "北京市金融消费纠纷人民调解委员会", Topic.CONSUMER),
    ("新业态劳动争议", "北京市新业态劳动争议人民调解委员会", Topic.LABOUR),
)

APPRAISAL_FIELDS = ("法医类", "物证类", "声像资料", "环境损害")

SPECIALTIES: dict[str, tuple[str, ...]] = {
    PractitionerKind.LAWYER: tuple(t for t in Topic.values if t != Topic.GENERAL),
    PractitionerKind.COMMUNITY_ADVISER: (
        Topic.GENERAL, Topic.MARRIAGE_FAMILY, Topic.PROPERTY, Topic.DEMOLITION, Topic.LABOUR,
        Topic.DEBT, Topic.CONTRACT,
    ),
    PractitionerKind.NOTARY: (
        Topic.PROPERTY, Topic.MARRIAGE_FAMILY, Topic.FOREIGN_RELATED, Topic.GENERAL,
        Topic.SECURITY_INTEREST,
    ),
    PractitionerKind.APPRAISER: (
        Topic.MEDICAL, Topic.TRAFFIC_ACCIDENT, Topic.PERSONAL_INJURY,
        Topic.INTELLECTUAL_PROPERTY, Topic.CONSTRUCTION,
    ),
    PractitionerKind.MEDIATOR: (
        Topic.MARRIAGE_FAMILY, Topic.PROPERTY, Topic.DEBT, Topic.LABOUR, Topic.GENERAL,
        Topic.TORT, Topic.CONSUMER,
    ),
    PractitionerKind.LEGAL_AID_STAFF: (
        Topic.GENERAL, Topic.LABOUR, Topic.MARRIAGE_FAMILY, Topic.CRIMINAL_DEFENCE,
        Topic.PERSONAL_INJURY,
    ),
    PractitionerKind.ARBITRATOR: (
        Topic.CONTRACT, Topic.COMPANY, Topic.CONSTRUCTION, Topic.INTELLECTUAL_PROPERTY,
        Topic.FOREIGN_RELATED, Topic.MARITIME, Topic.SECURITY_INTEREST,
    ),
}  # fmt: skip

# (title, weight); "" means no title recorded.
TITLES: dict[str, tuple[tuple[str, int], ...]] = {
    PractitionerKind.LAWYER: (
        ("一级律师", 1), ("二级律师", 4), ("三级律师", 10), ("四级律师", 10), ("", 75),
    ),
    PractitionerKind.COMMUNITY_ADVISER: (("三级律师", 10), ("四级律师", 20), ("", 70)),
    PractitionerKind.NOTARY: (
        ("一级公证员", 5), ("二级公证员", 20), ("三级公证员", 40), ("四级公证员", 35),
    ),
    PractitionerKind.APPRAISER: (
        ("主任法医师", 10), ("副主任法医师", 25), ("主检法医师", 25), ("高级工程师", 20),
        ("工程师", 20),
    ),
    PractitionerKind.MEDIATOR: (
        ("首席人民调解员", 3), ("一级人民调解员", 12), ("二级人民调解员", 25),
        ("三级人民调解员", 30), ("", 30),
    ),
    PractitionerKind.LEGAL_AID_STAFF: (("主任", 10), ("副主任", 15), ("", 75)),
    PractitionerKind.ARBITRATOR: (
        ("教授", 30), ("研究员", 10), ("律师", 30), ("高级经济师", 10), ("高级工程师", 10),
        ("退休法官", 10),
    ),
}  # fmt: skip

# Foreign working languages: who gets one and which.
FOREIGN_LANGUAGE_SHARE: dict[str, float] = {
    PractitionerKind.LAWYER: 0.12,
    PractitionerKind.ARBITRATOR: 0.5,
}
FOREIGN_LANGUAGES = (("en", 60), ("ja", 10), ("ko", 8), ("fr", 6), ("de", 6), ("ru", 5), ("es", 5))
DOMESTIC_EXTRA_LANGUAGES = (("yue", 4), ("csl", 3), ("mn", 1), ("ug", 1), ("bo", 1))

PARTY_ORGANISATIONS = (
    (PartyOrganisation.INDEPENDENT, 40),
    (PartyOrganisation.JOINT, 20),
    (PartyOrganisation.NONE, 30),
    (PartyOrganisation.UNKNOWN, 10),
)
PRACTITIONER_STATUSES = (
    (PractitionerStatus.PRACTISING, 92),
    (PractitionerStatus.SUSPENDED, 4),
    (PractitionerStatus.RETIRED, 4),
)

# Unified social credit code (GB 32100): registering authority + kind of body.
CREDIT_PREFIX: dict[str, str] = {
    InstitutionKind.JUSTICE_BUREAU: "11",
    InstitutionKind.SERVICE_CENTRE: "12",
    InstitutionKind.LEGAL_AID_CENTRE: "12",
    InstitutionKind.LAW_FIRM: "31",
    InstitutionKind.NOTARY_OFFICE: "32",
    InstitutionKind.APPRAISAL_INSTITUTION: "34",
    InstitutionKind.ARBITRATION_COMMISSION: "35",
}
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Shares that make the world uneven, as the real one is.
VILLAGE_COMMITTEE_SHARE = 0.1
STATION_SHARE = 1 / 3
NOTARY_OFFICE_SHARE = 0.8
APPRAISAL_SHARE = 0.5
SUSPENDED_FIRM_SHARE = 0.03
FULL_TIME_MEDIATOR_QUOTA = 2  # per township committee
TOWNSHIP_SHORT_OF_FULL_TIME_SHARE = 0.12  # committees that deliberately fall short of it

FULL_TIME_KINDS = frozenset(
    {
        PractitionerKind.LAWYER,
        PractitionerKind.NOTARY,
        PractitionerKind.APPRAISER,
        PractitionerKind.LEGAL_AID_STAFF,
    }
)
LICENCE_PREFIX: dict[str, str] = {
    PractitionerKind.NOTARY: "GZ",
    PractitionerKind.APPRAISER: "JD",
    PractitionerKind.MEDIATOR: "TJ",
    PractitionerKind.LEGAL_AID_STAFF: "FY",
    PractitionerKind.ARBITRATOR: "ZC",
}


# --- public interface ---------------------------------------------------------------------


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str
    scope: str
    totp_key: str | None


@dataclass
class DemoSummary:
    institutions_created: int
    practitioners_created: int
    accounts: list[DemoAccount]
    accounts_created: int


def demo_totp_key(username: str) -> str:
    """A TOTP key anyone can derive from the username: DEMO ONLY, never for a real account."""
    return hashlib.sha1(f"fawang-demo:{username}".encode()).hexdigest()


def build_demo_world(*, seed: int = 2026) -> DemoSummary:
    """Create whatever part of the demo Beijing is missing; returns what was created."""
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    with transaction.atomic():
        atlas = _load_atlas()
        plan = _WorldPlanner(random.Random(seed), atlas).plan()
        institutions_created = _create_missing_institutions(plan.institutions)
        ids = _institution_ids()
        practitioners_created = _create_missing_practitioners(plan.practitioners, ids)
        accounts, accounts_created = _ensure_accounts(atlas, plan, ids)
        counts = {
            "institutions_created": institutions_created,
            "practitioners_created": practitioners_created,
            "accounts_created": accounts_created,
        }
        record_event("demo.build", actor="fawang demo", detail={"seed": seed, **counts})
    return DemoSummary(accounts=accounts, **counts)


# --- regions ------------------------------------------------------------------------------


@dataclass
class _Atlas:
    """Beijing's regions ordered by code, navigable without further queries."""

    city: Region
    districts: list[Region]
    children: dict[int, list[Region]]
    by_pk: dict[int, Region]

    def townships(self, district: Region) -> list[Region]:
        return self.children.get(district.pk, [])

    def villages(self, township: Region) -> list[Region]:
        return self.children.get(township.pk, [])

    def district_of(self, region: Region) -> Region:
        """The district a region lies in; the city stands for itself."""
        node = region
        while node.level not in {RegionLevel.DISTRICT, RegionLevel.CITY} and node.parent_id:
            node = self.by_pk[node.parent_id]
        return node

    def district_by_code(self, code: str) -> Region:
        return next(d for d in self.districts if d.code == code)

    def region_by_code(self, code: str) -> Region:
        return next(r for r in self.by_pk.values() if r.code == code)


def _load_atlas() -> _Atlas:
    city = Region.objects.filter(code=BEIJING_CODE).first()
    if city is None:
        raise InvalidInput("请先运行 fawang load-regions")
    regions = list(Region.objects.filter(path__startswith=city.path).order_by("code"))
    children: dict[int, list[Region]] = defaultdict(list)
    for region in regions:
        if region.parent_id is not None:
            children[region.parent_id].append(region)
    return _Atlas(
        city=city,
        districts=children[city.pk],
        children=dict(children),
        by_pk={r.pk: r for r in regions},
    )


# --- the plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedServicePoint:
    """A walk-in service point of the demo world (level: centre or station)."""

    name: str
    level: str
    region: Region
    address: str
    phone: str
    opening_hours: str
    windows: int
    barrier_free: bool
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass
class _Plan:
    institutions: list[Institution] = field(default_factory=list)
    practitioners: list[tuple[InstitutionKey, Practitioner]] = field(default_factory=list)
    service_points: list[tuple[InstitutionKey, PlannedServicePoint]] = field(default_factory=list)
    # Where the demo accounts of institution-scoped roles work, by purpose ("chaoyang_firm", …).
    anchors: dict[str, InstitutionKey] = field(default_factory=dict)


def _key(institution: Institution) -> InstitutionKey:
    return (institution.kind, institution.name)


class _WorldPlanner:
    """Plans every row from the rng and the regions alone: the same seed, the same world."""

    def __init__(self, rng: random.Random, atlas: _Atlas):
        self.rng = rng
        self.atlas = atlas
        self.result = _Plan()
        self.brands: set[str] = set()
        self.credit_codes: set[str] = set()
        self.licence_sequence: Counter[str] = Counter()
        names = Counter(t.name for d in atlas.districts for t in atlas.townships(d))
        self.ambiguous_township_names = {name for name, count in names.items() if count > 1}

    def plan(self) -> _Plan:
        self._plan_city()
        for district in self.atlas.districts:
            self._plan_district(district)
        return self.result

    # institutions -----------------------------------------------------------------------

    def _plan_city(self) -> None:
        city = self.atlas.city
        self._institution(InstitutionKind.JUSTICE_BUREAU, "北京市司法局", city)
        aid = self._institution(InstitutionKind.LEGAL_AID_CENTRE, "北京市法律援助中心", city)
        self._staff(aid, PractitionerKind.LEGAL_AID_STAFF, self.rng.randint(3, 6), city)
        centre = self._institution(InstitutionKind.SERVICE_CENTRE, "北京市公共法律服务中心", city)
        self._centre(centre)
        arbitration = self._institution(
            InstitutionKind.ARBITRATION_COMMISSION, "北京仲裁委员会", city
        )
        self._staff(arbitration, PractitionerKind.ARBITRATOR, 10, city)
        for industry, name, topic in INDUSTRY_COMMITTEES:
            self._industry_committee(industry, name, topic)

    def _industry_committee(self, industry: str, name: str, topic: str) -> None:
        committee = self._institution(
            InstitutionKind.MEDIATION_COMMITTEE,
            name,
            self.atlas.city,
            mediation_level=MediationLevel.INDUSTRY,
            industry=industry,
        )
        count = self.rng.randint(3, 6)
        self._staff(
            committee, PractitionerKind.MEDIATOR, count, self.atlas.city, topics=(topic,),
            full_time=True,
        )  # fmt: skip

    def _plan_district(self, district: Region) -> None:
        name = district.name
        bureau = self._institution(InstitutionKind.JUSTICE_BUREAU, f"{name}司法局", district)
        centre = self._institution(
            InstitutionKind.SERVICE_CENTRE, f"{name}公共法律服务中心", district
        )
        aid = self._institution(InstitutionKind.LEGAL_AID_CENTRE, f"{name}法律援助中心", district)
        self._centre(centre)
        self._staff(aid, PractitionerKind.LEGAL_AID_STAFF, self.rng.randint(2, 5), district)
        for office in (aid, bureau):
            count = self.rng.randint(1, 2)
            self._staff(office, PractitionerKind.LAWYER, count, district, public=True)
        firms = [self._law_firm(district) for _ in range(self.rng.randint(2, 5))]
        self._community_advisers(firms, district)
        # The development area has no notary office of its own; the official districts do.
        if district.code != DEVELOPMENT_AREA_CODE and self.rng.random() < NOTARY_OFFICE_SHARE:
            self._notary_office(district)
        if self.rng.random() < APPRAISAL_SHARE:
            self._appraisal_institution(district)
        for township in self.atlas.townships(district):
            self._plan_township(district, township)
        if district.code == CHAOYANG_CODE:
            active = [f for f in firms if f.status == InstitutionStatus.ACTIVE] or firms
            self.result.anchors["chaoyang_firm"] = _key(active[0])

    def _plan_township(self, district: Region, township: Region) -> None:
        label = self._township_label(district, township)
        office = self._institution(InstitutionKind.JUSTICE_OFFICE, f"{label}司法所", township)
        committee = self._institution(
            InstitutionKind.MEDIATION_COMMITTEE,
            f"{label}人民调解委员会",
            township,
            mediation_level=MediationLevel.TOWNSHIP,
        )
        self._township_mediators(committee)
        if self.rng.random() < STATION_SHARE:
            self._station(office, f"{label}公共法律服务工作站")
        for village in self.atlas.villages(township):
            if self.rng.random() < VILLAGE_COMMITTEE_SHARE:
                self._village_committee(label, village)
        if district.code == CHAOYANG_CODE:
            self.result.anchors.setdefault("chaoyang_committee", _key(committee))

    def _township_label(self, district: Region, township: Region) -> str:
        # 八里庄街道 is in both 朝阳区 and 海淀区, and an institution's name is unique per kind.
        if township.name in self.ambiguous_township_names:
            return f"{district.name}{township.name}"
        return township.name

    def _village_committee(self, township_label: str, village: Region) -> None:
        committee = self._institution(
            InstitutionKind.MEDIATION_COMMITTEE,
            f"{township_label}{village_stem(village.name)}人民调解委员会",
            village,
            mediation_level=MediationLevel.VILLAGE,
        )
        self._staff(committee, PractitionerKind.MEDIATOR, self.rng.randint(1, 3), village)

    def _law_firm(self, district: Region) -> Institution:
        firm = self._institution(
            InstitutionKind.LAW_FIRM,
            f"北京{self._brand()}律师事务所",
            district,
            party_organisation=self._weighted(PARTY_ORGANISATIONS),
        )
        # Since 2017 a law firm's practising licence number is its credit code.
        firm.licence_number = firm.credit_code or ""
        if self.rng.random() < SUSPENDED_FIRM_SHARE:
            firm.status = InstitutionStatus.SUSPENDED
        self._staff(firm, PractitionerKind.LAWYER, self.rng.randint(3, 12), district)
        return firm

    def _community_advisers(self, firms: Sequence[Institution], district: Region) -> None:
        for _ in range(self.rng.randint(1, 3)):
            firm = self.rng.choice(firms)
            self._staff(firm, PractitionerKind.COMMUNITY_ADVISER, 1, district)
            if district.code == CHAOYANG_CODE:
                self.result.anchors.setdefault("chaoyang_adviser_firm", _key(firm))

    def _notary_office(self, district: Region) -> None:
        office = self._institution(
            InstitutionKind.NOTARY_OFFICE,
            f"北京市{district.name.removesuffix('区')}公证处",
            district,
        )
        self._staff(office, PractitionerKind.NOTARY, self.rng.randint(3, 8), district)
        if district.code == CHAOYANG_CODE or "notary_office" not in self.result.anchors:
            self.result.anchors["notary_office"] = _key(office)

    def _appraisal_institution(self, district: Region) -> None:
        suffix = self.rng.choice(("司法鉴定所", "司法鉴定中心"))
        fields = self.rng.sample(APPRAISAL_FIELDS, self.rng.randint(1, 3))
        appraisal = self._institution(
            InstitutionKind.APPRAISAL_INSTITUTION,
            f"北京{self._brand()}{suffix}",
            district,
            service_fields=sorted(fields, key=APPRAISAL_FIELDS.index),
        )
        self._staff(appraisal, PractitionerKind.APPRAISER, self.rng.randint(3, 8), district)
        if district.code == CHAOYANG_CODE or "appraisal" not in self.result.anchors:
            self.result.anchors["appraisal"] = _key(appraisal)

    def _institution(self, kind: str, name: str, region: Region, **extra: Any) -> Institution:
        institution = Institution(
            kind=kind,
            name=name,
            region=region,
            credit_code=self._credit_code(kind, region),
            address=self._address(region),
            phone=f"010-{self.rng.choice('68')}{self.rng.randrange(10**7):07d}",
            established_on=self._date_between(1980, 2022),
            **extra,
        )
        self.result.institutions.append(institution)
        return institution

    def _brand(self) -> str:
        while True:
            brand = self.rng.choice(BRAND_FIRST) + self.rng.choice(BRAND_SECOND)
            if brand[0] != brand[1] and brand not in self.brands:
                self.brands.add(brand)
                return brand

    def _credit_code(self, kind: str, region: Region) -> str | None:
        prefix = CREDIT_PREFIX.get(kind)
        if prefix is None:  # 司法所 and 调委会 are not registered as bodies of their own
            return None
        while True:
            code = credit_code(prefix, region.code[:6], f"{self.rng.randrange(10**8):08d}")
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def _address(self, region: Region) -> str:
        road, number = self.rng.choice(ROADS), self.rng.randint(1, 220)
        if region.level == RegionLevel.CITY:
            # The municipal bodies sit in the official districts, not the development area.
            district = self.rng.choice(self.atlas.districts[:16])
        else:
            district = self.atlas.district_of(region)
        if region.level == RegionLevel.VILLAGE:
            township = self.atlas.by_pk[region.parent_id or 0]
            return (
                f"北京市{district.name}{township.name}{village_stem(region.name)}{road}{number}号"
            )
        if region.level == RegionLevel.TOWNSHIP:
            area = region.name
        else:
            townships = self.atlas.townships(district)
            area = self.rng.choice(townships).name if townships else ""
        return f"北京市{district.name}{area}{road}{number}号"

    # service points ---------------------------------------------------------------------

    def _centre(self, operator: Institution) -> None:
        region = operator.region
        latitude, longitude = DISTRICT_COORDINATES[region.code[:6]]
        point = PlannedServicePoint(
            name=operator.name,
            level="centre",
            region=region,
            address=operator.address,
            phone=operator.phone,
            opening_hours=OPENING_HOURS,
            windows=self.rng.randint(4, 8),
            barrier_free=True,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
        self.result.service_points.append((_key(operator), point))

    def _station(self, operator: Institution, name: str) -> None:
        point = PlannedServicePoint(
            name=name,
            level="station",
            region=operator.region,
            address=operator.address,
            phone=operator.phone,
            opening_hours=OPENING_HOURS,
            windows=self.rng.randint(1, 2),
            barrier_free=self.rng.random() < 0.7,
        )
        self.result.service_points.append((_key(operator), point))

    # practitioners ----------------------------------------------------------------------

    def _township_mediators(self, committee: Institution) -> None:
        if self.rng.random() < TOWNSHIP_SHORT_OF_FULL_TIME_SHARE:
            full_time = self.rng.randint(0, FULL_TIME_MEDIATOR_QUOTA - 1)
        else:
            full_time = self.rng.randint(FULL_TIME_MEDIATOR_QUOTA, 4)
        part_time = self.rng.randint(1, 4)
        region = committee.region
        self._staff(committee, PractitionerKind.MEDIATOR, full_time, region, full_time=True)
        self._staff(committee, PractitionerKind.MEDIATOR, part_time, region, full_time=False)

    def _staff(
        self,
        institution: Institution,
        kind: str,
        count: int,
        region: Region,
        *,
        topics: Sequence[str] = (),
        full_time: bool | None = None,
        public: bool = False,
    ) -> None:
        if full_time is None:
            full_time = kind in FULL_TIME_KINDS
        for _ in range(count):
            person = self._person(kind, region, topics=topics, full_time=full_time, public=public)
            self.result.practitioners.append((_key(institution), person))

    def _person(
        self, kind: str, region: Region, *, topics: Sequence[str], full_time: bool, public: bool
    ) -> Practitioner:
        gender = "M" if self.rng.random() < 0.55 else "F"
        since = self._date_between(1992, 2024)
        birth = self._date_between(since.year - 38, since.year - 23)
        status = self._weighted(PRACTITIONER_STATUSES)
        if kind == PractitionerKind.MEDIATOR and full_time:
            # Full-time mediators count towards the quota; an inactive one would blur it.
            status = PractitionerStatus.PRACTISING
        person = Practitioner(
            kind=kind,
            name=self._chinese_name(gender),
            gender=gender,
            licence_number=self._licence_number(kind, region, since.year, gender, public),
            specialties=list(topics) or self._specialties(kind),
            languages=self._languages(kind),
            title=self._weighted(TITLES[kind]),
            status=status,
            practising_since=since,
            is_public_sector=public,
            is_full_time=full_time,
        )
        person.phone = self._mobile()
        person.id_number = self._id_number(birth, gender)
        return person

    def _licence_number(
        self, kind: str, region: Region, year: int, gender: str, public: bool
    ) -> str:
        self.licence_sequence[kind] += 1
        sequence = self.licence_sequence[kind]
        district = self.atlas.district_of(region).code[:6]
        if kind in {PractitionerKind.LAWYER, PractitionerKind.COMMUNITY_ADVISER}:
            category = "6" if public else "1"  # 6 公职律师, 1 专职律师
            sex = "1" if gender == "M" else "0"
            return f"1{district}{year}{category}{sex}{sequence:04d}"
        return f"{LICENCE_PREFIX[kind]}{district}{year}{sequence:05d}"

    def _chinese_name(self, gender: str) -> str:
        pool = MALE_GIVEN if gender == "M" else FEMALE_GIVEN
        given = self.rng.choice(pool)
        if self.rng.random() < 0.65:
            given = self.rng.choice(pool + NEUTRAL_GIVEN) + given
        return self.rng.choice(SURNAMES) + given

    def _specialties(self, kind: str) -> list[str]:
        pool = SPECIALTIES[kind]
        return [str(topic) for topic in self.rng.sample(pool, self.rng.randint(1, 4))]

    def _languages(self, kind: str) -> list[str]:
        languages = ["zh"]
        if self.rng.random() < FOREIGN_LANGUAGE_SHARE.get(kind, 0.02):
            languages.append(self._weighted(FOREIGN_LANGUAGES))
        if self.rng.random() < 0.02:
            languages.append(self._weighted(DOMESTIC_EXTRA_LANGUAGES))
        return languages

    def _mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _id_number(self, birth: date, gender: str) -> str:
        # GB 11643: the 17th digit is odd for men and even for women.
        order = self.rng.randrange(50) * 10 + self.rng.randrange(5) * 2 + (gender == "M")
        first17 = f"{self.rng.choice(BIRTHPLACES)}{birth:%Y%m%d}{order:03d}"
        return first17 + id_check_character(first17)

    # helpers ----------------------------------------------------------------------------

    def _weighted(self, choices: Sequence[tuple[T, int]]) -> T:
        values = [value for value, _ in choices]
        weights = [weight for _, weight in choices]
        return self.rng.choices(values, weights=weights)[0]

    def _date_between(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1)
        days = (date(last_year, 12, 31) - start).days
        return start + timedelta(days=self.rng.randrange(days + 1))


_VILLAGE_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("居民委员会", "社区"),
    ("村委会", "村"),
    ("居委会", "社区"),
)


def village_stem(name: str) -> str:
    """The village's own name without its committee suffix: 多福巷社区居委会 → 多福巷社区."""
    for suffix, replacement in _VILLAGE_SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix) + replacement
    return name


def credit_code(prefix: str, district: str, body: str) -> str:
    """A unified social credit code whose check characters are right (GB 32100 and GB 11714).

    ``prefix`` is the registering authority and kind of body, ``district`` six digits, ``body``
    the eight digits of the organisation code before its check character.
    """
    total = sum(int(c) * w for c, w in zip(body, _ORGANISATION_WEIGHTS, strict=True))
    check = 11 - total % 11
    first17 = prefix + district + body + {10: "X", 11: "0"}.get(check, str(check))
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return first17 + _CREDIT_CHARS[(31 - total % 31) % 31]


# --- writing ------------------------------------------------------------------------------


def _create_missing_institutions(planned: list[Institution]) -> int:
    existing = set(Institution.objects.values_list("kind", "name"))
    missing = [institution for institution in planned if _key(institution) not in existing]
    Institution.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    return len(missing)


def _institution_ids() -> dict[InstitutionKey, int]:
    rows = Institution.objects.values_list("kind", "name", "id")
    return {(kind, name): pk for kind, name, pk in rows}


def _create_missing_practitioners(
    planned: list[tuple[InstitutionKey, Practitioner]], ids: dict[InstitutionKey, int]
) -> int:
    existing = set(Practitioner.objects.values_list("kind", "licence_number"))
    missing = []
    for institution, person in planned:
        if (person.kind, person.licence_number) not in existing:
            person.institution_id = ids[institution]
            missing.append(person)
    Practitioner.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    return len(missing)


def planned_service_points(*, seed: int = 2026) -> list[tuple[int, PlannedServicePoint]]:
    """The service points of the demo world with the id of the institution operating each."""
    plan = _WorldPlanner(random.Random(seed), _load_atlas()).plan()
    ids = _institution_ids()
    return [(ids[operator], point) for operator, point in plan.service_points if operator in ids]


# --- accounts -----------------------------------------------------------------------------


@dataclass
class _AccountSpec:
    username: str
    role: str
    full_name: str  # replaced by the linked practitioner's name when there is one
    region: Region | None = None
    institution: InstitutionKey | None = None
    practitioner_kind: str | None = None  # link the account to one practitioner of this kind

    @property
    def has_totp(self) -> bool:
        return self.role != Role.CITIZEN


def demo_username(role: str) -> str:
    """demo-<role> with dashes: demo-hotline-seat, demo-supervisor-district."""
    return f"demo-{role.replace('_', '-')}"


def _staff_spec(
    role: Role,
    full_name: str,
    *,
    region: Region | None = None,
    institution: InstitutionKey | None = None,
    practitioner_kind: str | None = None,
) -> _AccountSpec:
    return _AccountSpec(
        demo_username(role), role, full_name, region, institution, practitioner_kind
    )


def _account_specs(atlas: _Atlas, anchors: dict[str, InstitutionKey]) -> list[_AccountSpec]:
    city = atlas.city
    chaoyang = atlas.district_by_code(CHAOYANG_CODE)
    haidian = atlas.district_by_code(HAIDIAN_CODE)
    chaoyang_centre = (InstitutionKind.SERVICE_CENTRE, "朝阳区公共法律服务中心")
    haidian_centre = (InstitutionKind.SERVICE_CENTRE, "海淀区公共法律服务中心")
    chaoyang_aid = (InstitutionKind.LEGAL_AID_CENTRE, "朝阳区法律援助中心")
    committee = anchors["chaoyang_committee"]
    return [
        _AccountSpec("demo-citizen", Role.CITIZEN, "张秀兰", atlas.region_by_code(DONGHUAMEN_CODE)),
        _staff_spec(Role.HOTLINE_SEAT, "王晓燕", region=chaoyang, institution=chaoyang_centre),
        _AccountSpec(
            "demo-hotline-seat-haidian", Role.HOTLINE_SEAT, "刘思远", haidian, haidian_centre
        ),
        _staff_spec(Role.WINDOW_CLERK, "陈静", region=chaoyang, institution=chaoyang_centre),
        _staff_spec(
            Role.LAWYER, "马文博", institution=anchors["chaoyang_firm"],
            practitioner_kind=PractitionerKind.LAWYER,
        ),
        _staff_spec(
            Role.LEGAL_AID_OFFICER, "高雅琳", institution=chaoyang_aid,
            practitioner_kind=PractitionerKind.LEGAL_AID_STAFF,
        ),
        _staff_spec(
            Role.MEDIATOR, "田春梅", institution=committee,
            practitioner_kind=PractitionerKind.MEDIATOR,
        ),
        _staff_spec(
            Role.NOTARY, "何立新", institution=anchors["notary_office"],
            practitioner_kind=PractitionerKind.NOTARY,
        ),
        _staff_spec(
            Role.APPRAISER, "许振宇", institution=anchors["appraisal"],
            practitioner_kind=PractitionerKind.APPRAISER,
        ),
        _staff_spec(
            Role.COMMUNITY_ADVISER, "彭嘉怡", institution=anchors["chaoyang_adviser_firm"],
            practitioner_kind=PractitionerKind.COMMUNITY_ADVISER,
        ),
        _staff_spec(Role.SUPERVISOR_CITY, "李建国", region=city),
        _staff_spec(Role.SUPERVISOR_DISTRICT, "赵宏伟", region=chaoyang),
        _staff_spec(Role.SUPERVISOR_TOWNSHIP, "孙丽", region=atlas.townships(chaoyang)[0]),
        _staff_spec(Role.AUDITOR, "周敏", region=city),
        _staff_spec(Role.SYSTEM_ADMIN, "吴磊", region=city),
        _staff_spec(Role.SECURITY_ADMIN, "郑海涛", region=city),
    ]  # fmt: skip


def _ensure_accounts(
    atlas: _Atlas, plan: _Plan, ids: dict[InstitutionKey, int]
) -> tuple[list[DemoAccount], int]:
    specs = _account_specs(atlas, plan.anchors)
    usernames = [spec.username for spec in specs]
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=usernames).select_related(
            "region", "institution__region"
        )
    }
    missing = [spec for spec in specs if spec.username not in existing]
    if missing:
        # The accounts share one published password: hashing it once, not sixteen times,
        # saves several seconds of PBKDF2.
        password_hash = make_password(DEMO_PASSWORD)
        for spec in missing:
            existing[spec.username] = _create_account(spec, ids, password_hash)
    accounts = [_describe(spec, existing[spec.username]) for spec in specs]
    return accounts, len(missing)


def _create_account(spec: _AccountSpec, ids: dict[InstitutionKey, int], password_hash: str) -> User:
    institution = None
    if spec.institution is not None:
        institution = Institution.objects.select_related("region").get(pk=ids[spec.institution])
    practitioner = _unlinked_practitioner(institution, spec.practitioner_kind)
    user = User(
        username=spec.username,
        password=password_hash,
        role=spec.role,
        full_name=practitioner.name if practitioner else spec.full_name,
        region=spec.region or (institution.region if institution else None),
        institution=institution,
        is_staff=spec.role == Role.SYSTEM_ADMIN,
    )
    if spec.role == Role.CITIZEN:
        user.phone = DEMO_CITIZEN_PHONE
    user.save()
    if practitioner is not None:
        practitioner.user = user
        practitioner.save(update_fields=["user"])
    if spec.has_totp:
        TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=demo_totp_key(user.username), confirmed=True
        )
    return user


def _unlinked_practitioner(
    institution: Institution | None, kind: str | None
) -> Practitioner | None:
    if institution is None or kind is None:
        return None
    candidates = Practitioner.objects.filter(
        institution=institution,
        kind=kind,
        status=PractitionerStatus.PRACTISING,
        user__isnull=True,
    )
    return candidates.order_by("licence_number").first()


def _describe(spec: _AccountSpec, user: User) -> DemoAccount:
    return DemoAccount(
        username=user.username,
        password=DEMO_PASSWORD,
        role=spec.role,
        scope=_scope_text(user),
        totp_key=demo_totp_key(user.username) if spec.has_totp else None,
    )


def _scope_text(user: User) -> str:
    region = user.region.name if user.region else ""
    if user.role == Role.CITIZEN:
        return f"用手机号 {DEMO_CITIZEN_PHONE} 登录（{region}）"
    if user.institution is not None:
        return f"{user.institution.name}（{user.institution.region.name}）"
    return region
