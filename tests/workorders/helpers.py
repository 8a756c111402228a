"""Shared set-up for work-order tests: a Chaoyang centre with a routing rule and staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fawang.core.models import Institution, InstitutionKind, Role, User
from fawang.workorders.models import DispatchRule, WorkOrder
from fawang.workorders.services import Intake, create_work_order
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_citizen, make_institution, make_staff, region

JIANWAI = "110105001000"


@dataclass
class World:
    centre: Institution
    other_centre: Institution
    aid_centre: Institution
    seat: User
    second_seat: User
    clerk: User
    supervisor: User
    citizen: User


def build_world() -> World:
    centre = make_institution(
        CHAOYANG, InstitutionKind.SERVICE_CENTRE, name="朝阳区公共法律服务中心"
    )
    other = make_institution(HAIDIAN, InstitutionKind.SERVICE_CENTRE, name="海淀区公共法律服务中心")
    aid = make_institution(CHAOYANG, InstitutionKind.LEGAL_AID_CENTRE, name="朝阳区法律援助中心")
    DispatchRule.objects.create(region=region(CHAOYANG), institution=centre)
    DispatchRule.objects.create(region=region(HAIDIAN), institution=other)
    DispatchRule.objects.create(region=region(CHAOYANG), institution=aid, business_line="legal_aid")
    return World(
        centre=centre,
        other_centre=other,
        aid_centre=aid,
        seat=make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG, institution=centre),
        second_seat=make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG, institution=centre),
        clerk=make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG, institution=centre),
        supervisor=make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG),
        citizen=make_citizen(region_code=JIANWAI),
    )


def intake(**overrides: Any) -> Intake:
    values: dict[str, Any] = {
        "channel": "hotline",
        "business_line": "consultation",
        "topic": "debt",
        "description": "同事借我两万元，说好三个月还，现在半年了不还，怎么办？",
        "requester_name": "李先生",
        "requester_phone": "13911112222",
        "region_code": JIANWAI,
    }
    values.update(overrides)
    return Intake(**values)


def new_order(actor: User, **overrides: Any) -> WorkOrder:
    return create_work_order(intake(**overrides), acting_user=actor)
