"""Advisers API: a village's adviser and service list (public); coverage for a bureau; the
ledger for the adviser and the bureau; a villager's bookings and ratings; the quarter's
evaluation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from fawang.advisers import reports, selectors, services
from fawang.advisers.policy import advisers_policy
from fawang.core.errors import NotFound
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel
from fawang.core.selectors import one_in_scope
from fawang.core.web import acting_user

router = Router(tags=["村（居）法律顾问"])


class ItemOut(Schema):
    code: str
    label: str
    monthly: int
    special: bool


class VillageAdviserOut(Schema):
    village_code: str
    village: str
    adviser: str | None
    institution: str | None
    term_end: date | None
    items: list[ItemOut]


class CoverageRowOut(Schema):
    code: str
    name: str
    villages: int
    covered: int
    percent: float | None
    liaison_villages: int
    liaisons: int


class CoverageOut(Schema):
    total: CoverageRowOut
    children: list[CoverageRowOut]
    uncovered: list[str]  # codes of up to 500 uncovered villages


class ServiceIn(Schema):
    adviser_id: int
    item: str = Field(..., max_length=40)
    served_on: date
    people_served: int
    minutes: int
    mode: str = Field(..., max_length=10)
    note: str = Field("", max_length=2000)
    appointment_id: int | None = None
    matter_id: int | None = None


class LedgerOut(Schema):
    id: int
    village_code: str
    adviser: str
    item: str
    served_on: date
    people_served: int
    minutes: int
    mode: str


class BookingIn(Schema):
    village_code: str = Field(..., max_length=12)
    slot: datetime
    topic: str = Field(..., max_length=2000)
    mode: str = Field(..., max_length=10)


class BookingOut(Schema):
    id: int
    village_code: str
    adviser: str
    slot: datetime
    mode: str
    status: str


class RatingIn(Schema):
    score: int
    comment: str = Field("", max_length=500)


class EvaluationOut(Schema):
    adviser_id: int
    village_code: str
    adviser: str
    residents: float | None
    committee: int | None
    township: int | None
    score: float | None
    low: bool
    months_complete: int
    subsidy: int


def _row(row: reports.CoverageRow) -> dict[str, Any]:
    return {
        "code": row.region.code,
        "name": row.region.name,
        "villages": row.villages,
        "covered": row.covered,
        "percent": row.percent,
        "liaison_villages": row.liaison_villages,
        "liaisons": row.liaisons,
    }


@router.get("/advisers/villages/{code}", response=VillageAdviserOut, auth=None)
def village_adviser(request: HttpRequest, code: str) -> Any:
    village = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).first()
    if village is None:
        raise NotFound(_("未找到该村（居）。"))
    adviser = services.active_adviser(village)
    district = village.district
    items = advisers_policy(village).items_for(district.code if district else None)
    return {
        "village_code": village.code,
        "village": village.name,
        "adviser": adviser.practitioner.name if adviser else None,
        "institution": adviser.practitioner.institution.name
        if adviser and adviser.practitioner.institution
        else None,
        "term_end": adviser.term_end if adviser else None,
        "items": [vars(i) for i in items],
    }


@router.get("/advisers/coverage", response=CoverageOut)
def coverage(request: HttpRequest, region: str = "") -> Any:
    user = acting_user(request)
    if user.role not in SUPERVISOR_ROLES or user.region is None:
        raise NotFound(_("未找到该区域。"))
    root = user.region
    if region:
        root = one_in_scope(Region.objects.filter(path__startswith=root.path), code=region)
    today = timezone.localdate()
    total, rows = reports.coverage(root, today)
    uncovered = reports.uncovered_villages(root, today).values_list("code", flat=True)[:500]
    return {"total": _row(total), "children": [_row(r) for r in rows], "uncovered": list(uncovered)}


def _ledger_out(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "village_code": entry.adviser.village.code,
        "adviser": entry.adviser.practitioner.name,
        "item": entry.item,
        "served_on": entry.served_on,
        "people_served": entry.people_served,
        "minutes": entry.minutes,
        "mode": entry.mode,
    }


@router.get("/advisers/ledger", response=list[LedgerOut])
def ledger(request: HttpRequest) -> Any:
    return [_ledger_out(e) for e in selectors.ledger_for_user(acting_user(request))[:500]]


@router.post("/advisers/ledger", response={201: LedgerOut})
def record_service(request: HttpRequest, payload: ServiceIn) -> Any:
    user = acting_user(request)
    adviser = selectors.get_adviser_for_user(user, payload.adviser_id)
    data = payload.dict()
    data.pop("adviser_id")
    entry = services.record_service(adviser, services.ServiceIn(**data), acting_user=user)
    return 201, _ledger_out(entry)


def _booking_out(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "village_code": a.adviser.village.code,
        "adviser": a.adviser.practitioner.name,
        "slot": a.slot,
        "mode": a.mode,
        "status": a.status,
    }


@router.post("/advisers/bookings", response={201: BookingOut})
def book(request: HttpRequest, payload: BookingIn) -> Any:
    village = Region.objects.filter(code=payload.village_code, level=RegionLevel.VILLAGE).first()
    appointment = services.book(
        acting_user(request), village.pk if village else 0, payload.slot, payload.topic,
        payload.mode,
    )  # fmt: skip
    return 201, _booking_out(appointment)


@router.get("/advisers/bookings", response=list[BookingOut])
def my_bookings(request: HttpRequest) -> Any:
    return [_booking_out(a) for a in selectors.appointments_of_citizen(acting_user(request))[:200]]


@router.post("/advisers/bookings/{pk}/rating", response={201: BookingOut})
def rate(request: HttpRequest, pk: int, payload: RatingIn) -> Any:
    user = acting_user(request)
    appointment = selectors.get_appointment_of_citizen(user, pk)
    services.rate(appointment, payload.score, payload.comment, citizen=user)
    return 201, _booking_out(appointment)


@router.get("/advisers/evaluation", response=list[EvaluationOut])
def evaluation(request: HttpRequest, year: int, quarter: int) -> Any:
    user = acting_user(request)
    months = reports.quarter_months(year, quarter)
    end = reports.month_bounds(months[-1])[1]
    qs = (
        selectors.advisers_for_user(user)
        .filter(term_start__lt=end)
        .exclude(ended_on__lt=months[0])
        .order_by("village__code")[:200]
    )
    out = []
    for adviser in qs:
        e = reports.evaluate(adviser, year, quarter)
        out.append(
            {
                "adviser_id": adviser.pk,
                "village_code": adviser.village.code,
                "adviser": adviser.practitioner.name,
                "residents": e.residents,
                "committee": e.committee,
                "township": e.township,
                "score": e.score,
                "low": e.low,
                "months_complete": e.months_complete,
                "subsidy": e.subsidy,
            }
        )
    return out
