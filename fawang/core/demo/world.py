"""The demo world's planner: every institution, practitioner and service point, planned in memory
from ``random.Random(seed)`` and the regions alone; and the writing of the missing rows."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fawang.core.demo.data import (
    _CREDIT_CHARS,
    _CREDIT_WEIGHTS,
    _ORGANISATION_WEIGHTS,
    APPRAISAL_FIELDS,
    APPRAISAL_SHARE,
    BATCH_SIZE,
    BIRTHPLACES,
    BRAND_FIRST,
    BRAND_SECOND,
    CHAOYANG_CODE,
    CREDIT_PREFIX,
    DEVELOPMENT_AREA_CODE,
    DISTRICT_COORDINATES,
    DOMESTIC_EXTRA_LANGUAGES,
    FEMALE_GIVEN,
    FOREIGN_LANGUAGE_SHARE,
    FOREIGN_LANGUAGES,
    FULL_TIME_KINDS,
    FULL_TIME_MEDIATOR_QUOTA,
    INDUSTRY_COMMITTEES,
    LICENCE_PREFIX,
    MALE_GIVEN,
    MOBILE_PREFIXES,
    NEUTRAL_GIVEN,
    NOTARY_OFFICE_SHARE,
    OPENING_HOURS,
    PARTY_ORGANISATIONS,
    PRACTITIONER_STATUSES,
    ROADS,
    SPECIALTIES,
    STATION_SHARE,
    SURNAMES,
    SUSPENDED_FIRM_SHARE,
    TITLES,
    TOWNSHIP_SHORT_OF_FULL_TIME_SHARE,
    VILLAGE_COMMITTEE_SHARE,
    InstitutionKey,
    T,
)
from fawang.core.generations import SERVING_LANGUAGES, bump
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    MediationLevel,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    RegionLevel,
)
from fawang.core.personal_data import id_check_character

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
        self.result.anchors["arbitration_commission"] = _key(arbitration)
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
    bump(SERVING_LANGUAGES)  # a bulk write sends no signal
    return len(missing)
