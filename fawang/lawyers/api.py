"""Lawyer-line API: the public credit page; hours (log, confirm, board), credit records, rights
reports and the foreign-related pool. Scope and permissions are the pages' (selectors/services)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from fawang.core.errors import PermissionDenied
from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.periods import report_year
from fawang.core.web import acting_user
from fawang.lawyers import selectors, services
from fawang.lawyers.policy import lawyers_policy

router = Router(tags=["律师与基层法律服务"])


class CreditRecordOut(Schema):
    kind: str
    title: str
    basis: str
    decided_on: date
    disclose_until: date


class CreditPageOut(Schema):
    name: str
    kind: str
    licence_number: str
    institution: str
    status: str
    records: list[CreditRecordOut]


class HoursIn(Schema):
    activity_id: int
    hours: Decimal
    note: str = Field("", max_length=500)


class HoursOut(Schema):
    id: int
    activity_id: int
    hours: Decimal
    status: str
    logged_at: datetime


class ConfirmIn(Schema):
    confirmed: bool


class BoardLineOut(Schema):
    label: str
    people: int
    hours: Decimal
    per_person: Decimal
    target: int
    met: bool


class BoardOut(Schema):
    year: int
    target: int
    lawyers: list[BoardLineOut]
    firms: list[BoardLineOut]
    districts: list[BoardLineOut]


class ReportIn(Schema):
    obstruction: str = Field(..., max_length=30)
    organ_kind: str = Field(..., max_length=20)
    organ_name: str = Field(..., max_length=200)
    region_code: str = Field(..., max_length=12)
    account: str = Field(..., max_length=4000)


class ReportOut(Schema):
    id: int
    number: str
    obstruction: str
    organ_name: str
    status: str
    answer_due_at: datetime
    answer: str


class AnswerIn(Schema):
    answer: str = Field(..., max_length=4000)


class PoolOut(Schema):
    id: int
    name: str
    institution: str
    languages: list[str]
    jurisdictions: list[str]


@router.get("/lawyers/credit/{subject}/{pk}", response=CreditPageOut, auth=None)
def credit_page(request: HttpRequest, subject: str, pk: int) -> Any:
    page = selectors.public_credit_page("person" if subject == "person" else "firm", pk)
    return {**page, "records": [
        {"kind": r.get_kind_display(), "title": r.title, "basis": r.basis,
         "decided_on": r.decided_on, "disclose_until": r.disclose_until}
        for r in page["records"]
    ]}  # fmt: skip


@router.post("/lawyers/hours", response={201: HoursOut})
def log_hours(request: HttpRequest, payload: HoursIn) -> Any:
    row = services.log_hours(
        payload.activity_id, payload.hours, payload.note, acting_user=acting_user(request)
    )
    return HttpStatus(201, row)


@router.get("/lawyers/hours", response=list[HoursOut])
def my_hours(request: HttpRequest) -> Any:
    return list(selectors.my_hours(acting_user(request))[:500])


@router.post("/lawyers/hours/{pk}/confirm", response=HoursOut)
def confirm(request: HttpRequest, pk: int, payload: ConfirmIn) -> Any:
    user = acting_user(request)
    row = selectors.get_hours_to_confirm(user, pk)
    services.confirm_hours(row, payload.confirmed, acting_user=user)
    row.refresh_from_db()
    return row


@router.get("/lawyers/board", response=BoardOut)
def board(request: HttpRequest, year: int = 0) -> Any:
    user = acting_user(request)
    if user.role not in SUPERVISOR_ROLES:
        raise PermissionDenied(_("只有司法行政机关可以查看。"))
    year = report_year(year)
    target = lawyers_policy(user.region).hours_target
    lines = selectors.hours_board(user, year, target)
    return {"year": year, "target": target, **lines}


@router.post("/lawyers/reports", response={201: ReportOut})
def report(request: HttpRequest, payload: ReportIn) -> Any:
    row = services.report_obstruction(**payload.dict(), acting_user=acting_user(request))
    return HttpStatus(201, row)


@router.get("/lawyers/reports", response=list[ReportOut])
def reports(request: HttpRequest) -> Any:
    return list(selectors.reports_for_user(acting_user(request))[:500])


@router.post("/lawyers/reports/{pk}/answer", response=ReportOut)
def answer(request: HttpRequest, pk: int, payload: AnswerIn) -> Any:
    user = acting_user(request)
    row = selectors.get_report_for_user(user, pk)
    services.answer_report(row, payload.answer, acting_user=user)
    row.refresh_from_db()
    return row


@router.get("/lawyers/foreign-pool", response=list[PoolOut])
def foreign_pool(request: HttpRequest, language: str = "", jurisdiction: str = "") -> Any:
    user = acting_user(request)
    if user.role not in SUPERVISOR_ROLES:
        raise PermissionDenied(_("只有司法行政机关可以查询涉外律师人才库。"))
    return [
        {"id": p.pk, "name": p.name, "institution": p.institution.name,
         "languages": p.languages or [], "jurisdictions": p.lawyer_profile.jurisdictions or []}
        for p in selectors.foreign_pool(user, language[:20], jurisdiction[:30])
    ]  # fmt: skip
