"""Hotline API: the telephony webhook (``POST /hotline/calls``, bearer token) and the CSV
call-detail import; the scoped call list, the order link, shifts and the monthly seat report."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import ApiToken
from fawang.core.web import acting_user
from fawang.hotline import report, selectors, services
from fawang.hotline.telephony import BACKEND
from fawang.hotline.timing import this_month

router = Router(tags=["热线坐席"])
MAX_CDR_BYTES = 5 * 1024 * 1024


class CallEventIn(Schema):
    call_id: str = Field(..., max_length=64)
    centre_id: int
    seat: str = Field("", max_length=20)
    offered_at: str = Field(..., max_length=40)
    answered: bool
    wait_seconds: int = 0
    talk_seconds: int = 0
    recording_ref: str = Field("", max_length=200)


class CallOut(Schema):
    call_id: str
    centre_id: int
    seat: str
    staff: str
    offered_at: datetime
    outcome: str
    wait_seconds: int
    talk_seconds: int
    recording_ref: str
    work_order: str
    created: bool = False

    @staticmethod
    def resolve_seat(obj: Any) -> str:
        return obj.seat.number if obj.seat else ""

    @staticmethod
    def resolve_staff(obj: Any) -> str:
        return obj.staff.full_name if obj.staff else ""

    @staticmethod
    def resolve_work_order(obj: Any) -> str:
        return obj.work_order.number if obj.work_order else ""


class ImportOut(Schema):
    created: int
    existing: int


class LinkIn(Schema):
    order_number: str = Field(..., max_length=20)


class ShiftOut(Schema):
    id: int
    centre: str
    seat: str
    staff: str
    start: datetime
    end: datetime

    @staticmethod
    def resolve_centre(obj: Any) -> str:
        return str(obj.seat.centre.name)

    @staticmethod
    def resolve_seat(obj: Any) -> str:
        return str(obj.seat.number)

    @staticmethod
    def resolve_staff(obj: Any) -> str:
        return str(obj.staff.full_name)


class ReportLineOut(Schema):
    name: str
    offered: int
    answered: int
    answer_rate: float | None
    wait: float | None
    talk: float | None
    satisfaction: float | None
    review_score: float | None


class ReportOut(Schema):
    centre: str
    month: str
    answer_rate_target: float
    satisfaction_target: float
    total: ReportLineOut
    lines: list[ReportLineOut]


def _require_token(request: HttpRequest) -> None:
    """Machine clients post with their bearer token (docs/hotline.md), not a browser session:
    the request must carry a live token of the account it acts as."""
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    live = token and ApiToken.objects.filter(
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        user=acting_user(request),
        revoked_at__isnull=True,
    )
    if not live or not live.exists():
        raise PermissionDenied(_("话务记录须由话务系统使用访问令牌报送。"), code="token_required")


@router.post("/hotline/calls", response={200: CallOut, 201: CallOut})
def post_call(request: HttpRequest, payload: CallEventIn) -> Any:
    """The CTI webhook: one call event. Retrying with the same ``call_id`` returns the stored
    record with 200 and counts nothing twice; a new call is 201."""
    _require_token(request)
    event = BACKEND.parse_event(payload.dict())
    call, created = services.record_call(event, acting_user=acting_user(request))
    call.created = created  # type: ignore[attr-defined]
    return HttpStatus(201 if created else 200, call)


@router.post("/hotline/calls/import", response=ImportOut)
def import_calls(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """A CSV call-detail record (话单) file; all rows or none."""
    if (file.size or 0) > MAX_CDR_BYTES:
        raise InvalidInput(_("话单文件不能超过5MB。"), code="too_large", field="file")
    try:
        text = file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("话单文件应为UTF-8编码的CSV。"), code="bad_call_event", field="file"
        ) from None
    return services.import_cdr(BACKEND.parse_cdr(text), acting_user=acting_user(request))


@router.get("/hotline/calls", response=list[CallOut])
def list_calls(request: HttpRequest) -> Any:
    return list(selectors.calls_for_user(acting_user(request))[:200])


@router.post("/hotline/calls/{call_id}/order", response=CallOut)
def link_order(request: HttpRequest, call_id: str, payload: LinkIn) -> Any:
    user = acting_user(request)
    call = selectors.call_for_user(user, call_id)
    return services.link_order(call, payload.order_number, acting_user=user)


@router.get("/hotline/shifts", response=list[ShiftOut])
def list_shifts(request: HttpRequest) -> Any:
    return list(selectors.shifts_for_user(acting_user(request)).order_by("-start")[:200])


@router.get("/hotline/report", response=ReportOut)
def seat_report(request: HttpRequest, centre_id: int, month: str = "") -> Any:
    """The monthly seat report of a centre the caller supervises."""
    user = acting_user(request)
    centre = selectors.managed_centre(user, centre_id)
    found = report.seat_report(centre, month or this_month())
    return {
        "centre": centre.name,
        "month": found.month,
        "answer_rate_target": found.policy.answer_rate_target,
        "satisfaction_target": found.policy.satisfaction_target,
        "total": _line(found.total),
        "lines": [_line(line) for line in found.lines],
    }


def _line(line: report.Line) -> dict[str, Any]:
    return {
        "name": line.name,
        "offered": line.offered,
        "answered": line.answered,
        "answer_rate": line.answer_rate,
        "wait": line.wait,
        "talk": line.talk,
        "satisfaction": line.satisfaction,
        "review_score": line.review_score,
    }
