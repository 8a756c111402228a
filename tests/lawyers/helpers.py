"""Shared set-up: a Chaoyang firm with a lawyer (firm admin) and a colleague, a Haidian firm and
lawyer, the Chaoyang, Haidian and city bureaus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from fawang.core.models import Institution, Practitioner, PractitionerKind, Role, User
from fawang.lawyers import services
from fawang.lawyers.models import LawyerKind, LawyerProfile, ServiceActivity
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_institution, make_practitioner, make_staff


@dataclass
class World:
    firm: Institution
    haidian_firm: Institution
    lawyer: User
    person: Practitioner
    colleague: User
    colleague_person: Practitioner
    haidian_lawyer: User
    haidian_person: Practitioner
    bureau: User
    haidian_bureau: User
    city: User


def lawyer_account(
    firm: Institution, name: str, *, admin: bool = False
) -> tuple[User, Practitioner]:
    person = make_practitioner(firm, PractitionerKind.LAWYER, name=name)
    user = make_staff(Role.LAWYER, institution=firm)
    person.user = user
    person.save(update_fields=["user"])
    LawyerProfile.objects.create(
        practitioner=person, lawyer_kind=LawyerKind.FULL_TIME, is_firm_admin=admin
    )
    return user, person


def build_world() -> World:
    firm = make_institution(CHAOYANG, name="北京朝阳测试律师事务所")
    haidian_firm = make_institution(HAIDIAN, name="北京海淀测试律师事务所")
    lawyer, person = lawyer_account(firm, "马律师", admin=True)
    colleague, colleague_person = lawyer_account(firm, "牛律师")
    haidian_lawyer, haidian_person = lawyer_account(haidian_firm, "海律师")
    return World(
        firm=firm,
        haidian_firm=haidian_firm,
        lawyer=lawyer,
        person=person,
        colleague=colleague,
        colleague_person=colleague_person,
        haidian_lawyer=haidian_lawyer,
        haidian_person=haidian_person,
        bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        haidian_bureau=make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
        city=make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING),
    )


def activity(
    w: World, kind: str = "duty_shift", days_ago: int = 1, **extra: object
) -> ServiceActivity:
    held: date = timezone.localdate() - timedelta(days=days_ago)
    return services.create_activity(
        kind=kind, title="值班律师值班", held_on=held, region_code=CHAOYANG,
        place="区公共法律服务中心", acting_user=w.bureau, **extra,  # type: ignore[arg-type]
    )  # fmt: skip
