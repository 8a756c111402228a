"""The telephony system behind an interface. We cannot reach the city's CTI (呼叫中心) from
here, so the platform only *receives* call events: a backend turns what the outside system sends
into ``CallEvent``s, and ``services.record_call`` stores them (idempotent by ``call_id``).

``LocalBackend`` is the working one: the JSON body of ``POST /api/v1/hotline/calls`` (the shape a
CTI webhook posts; docs/hotline.md) and a CSV call-detail record (话单) file with the same
columns. A vendor backend parses its own payload into the same ``CallEvent``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.core.errors import InvalidInput

CSV_COLUMNS = (
    "call_id",
    "centre_id",
    "seat",
    "offered_at",
    "answered",
    "wait_seconds",
    "talk_seconds",
    "recording_ref",
)
TRUE_WORDS = {"1", "true", "yes", "y", "answered", "是"}
FALSE_WORDS = {"0", "false", "no", "n", "abandoned", "否"}


@dataclass(frozen=True)
class CallEvent:
    call_id: str
    centre_id: int
    seat: str  # the seat number at the centre; "" when the caller hung up before a seat
    offered_at: datetime
    answered: bool
    wait_seconds: int
    talk_seconds: int
    recording_ref: str = ""


class TelephonyBackend(Protocol):
    name: str

    def parse_event(self, payload: dict[str, Any]) -> CallEvent: ...

    def parse_cdr(self, text: str) -> list[CallEvent]: ...


def _bad(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, code="bad_call_event", field=field)


def _text(payload: dict[str, Any], key: str, limit: int, *, required: bool = True) -> str:
    value = str(payload.get(key) or "").strip()
    if required and not value:
        raise _bad(_("话务记录缺少 %(key)s。") % {"key": key}, key)
    if len(value) > limit:
        raise _bad(_("%(key)s 过长（最多 %(limit)s 个字符）。") % {"key": key, "limit": limit}, key)
    return value


def _int(payload: dict[str, Any], key: str, *, default: int | None = None) -> int:
    value = payload.get(key, default)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise _bad(_("%(key)s 应为非负整数。") % {"key": key}, key) from None
    if number < 0 or number > 86_400 * 366:
        raise _bad(_("%(key)s 应为非负整数。") % {"key": key}, key)
    return number


def _bool(payload: dict[str, Any], key: str) -> bool:
    value = payload.get(key)
    if isinstance(value, bool):
        return value
    word = str(value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _bad(_("%(key)s 应为是否接通（true/false）。") % {"key": key}, key)


def _time(payload: dict[str, Any], key: str) -> datetime:
    value = payload.get(key)
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            raise _bad(
                _("%(key)s 应为 ISO 8601 时间，如 2026-12-01T09:30:00+08:00。") % {"key": key}, key
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class LocalBackend:
    """Our own event shape, posted by a CTI webhook adapter or imported from a CSV file."""

    name = "local"

    def parse_event(self, payload: dict[str, Any]) -> CallEvent:
        answered = _bool(payload, "answered")
        talk = _int(payload, "talk_seconds", default=0)
        if not answered and talk:
            raise _bad(_("未接通的来电不应有通话时长。"), "talk_seconds")
        return CallEvent(
            call_id=_text(payload, "call_id", 64),
            centre_id=_int(payload, "centre_id"),
            seat=_text(payload, "seat", 20, required=answered),
            offered_at=_time(payload, "offered_at"),
            answered=answered,
            wait_seconds=_int(payload, "wait_seconds", default=0),
            talk_seconds=talk,
            recording_ref=_text(payload, "recording_ref", 200, required=False),
        )

    def parse_cdr(self, text: str) -> list[CallEvent]:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise _bad(_("话单文件缺少列：%(columns)s。") % {"columns": "、".join(missing)}, "file")
        events = []
        for line, row in enumerate(reader, start=2):
            try:
                events.append(self.parse_event(row))
            except InvalidInput as error:
                raise _bad(
                    _("第 %(line)s 行：%(message)s") % {"line": line, "message": error.message},
                    "file",
                ) from None
        return events


BACKEND: TelephonyBackend = LocalBackend()
