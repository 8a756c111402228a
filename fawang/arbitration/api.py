"""Arbitration supervision API for the bureau: register cases, outcomes, court outcomes, flags
and their review, backlog plans, figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from fawang.arbitration import selectors, services
from fawang.core.web import acting_user

router = Router(tags=["仲裁监督"])
TEXT = 200_000


class CaseIn(Schema):
    commission_id: int
    case_number: str = Field(..., max_length=TEXT)
    claimant: str = Field(..., max_length=TEXT)
    respondent: str = Field(..., max_length=TEXT)
    claims: str = Field(..., max_length=TEXT)
    amount: Decimal
    filed_on: date
    claimant_phone: str = Field("", max_length=40)
    respondent_phone: str = Field("", max_length=40)
    claimant_agent: str = Field("", max_length=TEXT)
    respondent_agent: str = Field("", max_length=TEXT)
    arbitrators: list[str] = []
    contested: bool = False


class FlagOut(Schema):
    id: int
    rule: str
    reason: str
    status: str


class CaseOut(Schema):
    id: int
    case_number: str
    commission_id: int
    claimant: str
    respondent: str
    amount: Decimal
    filed_on: date
    outcome: str
    closed_on: date | None
    court_outcome: str
    flags: list[FlagOut]

    @staticmethod
    def resolve_flags(obj: Any) -> list[Any]:
        return list(obj.flags.all())


class OutcomeIn(Schema):
    outcome: str = Field(..., max_length=20)
    closed_on: date
    contested: bool | None = None


class CourtIn(Schema):
    court_outcome: str = Field(..., max_length=20)
    third_party_objection: bool = False


class ReviewIn(Schema):
    decision: str = Field(..., max_length=20)
    note: str = Field(..., max_length=TEXT)


class PlanIn(Schema):
    plan: str = Field(..., max_length=TEXT)


class FiguresOut(Schema):
    cases: int
    closed: int
    awards: int
    set_aside_or_not_enforced: int
    set_aside_rate: float
    backlog: int
    flags: int
    confirmed: int
    hit_rate: dict[str, float]


@router.post("/arbitration/cases", response={201: CaseOut})
def register(request: HttpRequest, payload: CaseIn) -> Any:
    case = services.register_case(
        services.CaseIn(**payload.dict()), acting_user=acting_user(request)
    )
    return HttpStatus(201, case)


@router.get("/arbitration/cases", response=list[CaseOut])
def list_cases(request: HttpRequest) -> Any:
    return list(selectors.cases_for_user(acting_user(request)).prefetch_related("flags")[:200])


@router.get("/arbitration/cases/{pk}", response=CaseOut)
def get_case(request: HttpRequest, pk: int) -> Any:
    return selectors.get_case_for_user(acting_user(request), pk)


@router.post("/arbitration/cases/{pk}/outcome", response=CaseOut)
def outcome(request: HttpRequest, pk: int, payload: OutcomeIn) -> Any:
    user = acting_user(request)
    case = selectors.get_case_for_user(user, pk)
    return services.record_outcome(
        case, payload.outcome, payload.closed_on, contested=payload.contested, acting_user=user
    )


@router.post("/arbitration/cases/{pk}/court-outcome", response=CaseOut)
def court_outcome(request: HttpRequest, pk: int, payload: CourtIn) -> Any:
    user = acting_user(request)
    case = selectors.get_case_for_user(user, pk)
    return services.record_court_outcome(
        case,
        payload.court_outcome,
        third_party_objection=payload.third_party_objection,
        acting_user=user,
    )


@router.post("/arbitration/cases/{pk}/clearance-plan", response=CaseOut)
def clearance_plan(request: HttpRequest, pk: int, payload: PlanIn) -> Any:
    user = acting_user(request)
    return services.plan_clearance(
        selectors.get_case_for_user(user, pk), payload.plan, acting_user=user
    )


@router.post("/arbitration/flags/{pk}/review", response=FlagOut)
def review(request: HttpRequest, pk: int, payload: ReviewIn) -> Any:
    user = acting_user(request)
    flag = selectors.get_flag_for_user(user, pk)
    return services.review_flag(flag, payload.decision, payload.note, acting_user=user)


@router.get("/arbitration/figures", response=FiguresOut)
def figures(request: HttpRequest) -> Any:
    """Cases, awards set aside or not enforced (SJZ 专栏1 #26), backlog, flags, hit rates."""
    return services.figures(selectors.cases_for_user(acting_user(request))).__dict__
