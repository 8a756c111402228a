"""Shared set-up for legal-aid tests: Chaoyang's centre with a pool, its officer, a provider
account, a district supervisor and a citizen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from fawang.core.models import Institution, InstitutionKind, Practitioner, Role, User
from fawang.legalaid import services
from fawang.legalaid.models import AidApplication, AidCase, ProviderPoolMember
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import (
    make_citizen,
    make_institution,
    make_practitioner,
    make_staff,
    valid_id_number,
)

JIANWAI = "110105001000"


@dataclass
class AidWorld:
    centre: Institution
    other_centre: Institution
    officer: User
    other_officer: User
    supervisor: User
    city_supervisor: User
    citizen: User
    senior: ProviderPoolMember
    junior: ProviderPoolMember
    far: ProviderPoolMember
    provider_user: User
    junior_user: User


def _lawyer(firm: Institution, since: date, **extra: Any) -> Practitioner:
    return make_practitioner(firm, practising_since=since, **extra)


def build_aid_world() -> AidWorld:
    centre = make_institution(CHAOYANG, InstitutionKind.LEGAL_AID_CENTRE, name="朝阳区法律援助中心")
    other = make_institution(HAIDIAN, InstitutionKind.LEGAL_AID_CENTRE, name="海淀区法律援助中心")
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    far_firm = make_institution(HAIDIAN, InstitutionKind.LAW_FIRM)
    officer = make_staff(Role.LEGAL_AID_OFFICER, institution=centre)
    senior_lawyer = _lawyer(firm, date(2015, 3, 1), name="资深律师")
    today = timezone.localdate()
    junior_lawyer = _lawyer(firm, today.replace(year=today.year - 1), name="新律师")
    far_lawyer = _lawyer(far_firm, date(2010, 1, 1), name="远处律师")
    provider_user = make_staff(Role.LAWYER, institution=firm)
    junior_user = make_staff(Role.LAWYER, institution=firm)
    Practitioner.objects.filter(pk=senior_lawyer.pk).update(user=provider_user)
    Practitioner.objects.filter(pk=junior_lawyer.pk).update(user=junior_user)
    senior_lawyer.refresh_from_db()
    junior_lawyer.refresh_from_db()
    senior = services.add_pool_member(
        centre, senior_lawyer, acting_user=officer, criminal_practice_since=date(2016, 1, 1)
    )
    junior = services.add_pool_member(centre, junior_lawyer, acting_user=officer)
    far = services.add_pool_member(centre, far_lawyer, acting_user=officer)
    return AidWorld(
        centre=centre,
        other_centre=other,
        officer=officer,
        other_officer=make_staff(Role.LEGAL_AID_OFFICER, institution=other),
        supervisor=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        city_supervisor=make_staff(Role.SUPERVISOR_CITY, region_code="110000000000"),
        citizen=make_citizen(region_code=JIANWAI),
        senior=senior,
        junior=junior,
        far=far,
        provider_user=provider_user,
        junior_user=junior_user,
    )


def application_input(**overrides: Any) -> services.ApplicationInput:
    values: dict[str, Any] = {
        "matter_type": "labour_remuneration",
        "facts": "在朝阳区一家餐馆打工，老板拖欠三个月工资共一万二千元，多次讨要未果。",
        "applicant_name": "王大力",
        "applicant_id_number": valid_id_number(seq=321),
        "region_code": JIANWAI,
        "opposing_party": "某某餐饮有限公司",
        "household_size": 3,
        "household_monthly_income": "4500",
        "household_assets": "20000",
        "honesty_pledge": True,
    }
    values.update(overrides)
    return services.ApplicationInput(**values)


def apply(world: AidWorld, **overrides: Any) -> AidApplication:
    return services.submit_application(application_input(**overrides), acting_user=world.citizen)


def approved_case(world: AidWorld, **overrides: Any) -> AidCase:
    application = apply(world, **overrides)
    services.decide_application(application, approve=True, reasons="", acting_user=world.officer)
    return AidCase.objects.get(application=application)


def notice_input(**overrides: Any) -> services.NoticeInput:
    values: dict[str, Any] = {
        "source": "court",
        "organ_name": "北京市朝阳区人民法院",
        "document_number": "(2026)京0105刑初1号",
        "recipient_name": "赵某",
        "region_code": JIANWAI,
        "charge": "盗窃罪",
    }
    values.update(overrides)
    return services.NoticeInput(**values)
