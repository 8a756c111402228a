"""Sending SMS through a pluggable backend (settings.SMS_BACKEND), once per job.

A backend is a class with ``send(phone, text, *, key)``; ``key`` is the job's id, the same on
every run of that job, so a gateway that accepts a client message id can refuse a duplicate.
:func:`send_sms_once` records each delivery under its key before acknowledging the job: a job run
again after its worker died (``core.worker``) finds the delivery recorded and sends nothing.

Local backends: ``LogSmsBackend`` (the default: writes the message to the log in demo mode; in
production it logs that a message went, never the text, which holds login codes and rating-link
tokens), ``FileSmsBackend`` (appends to ``var/sms-outbox.jsonl``), ``MemorySmsBackend`` (tests).
A real gateway: docs/operations.md, "Plugging in a real SMS gateway".
"""

from __future__ import annotations

import json
import logging
from collections import deque
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from fawang.core.models import SmsDelivery

logger = logging.getLogger("fawang.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str, *, key: str = "") -> None: ...


class LogSmsBackend:
    """Writes each message to the ``fawang.sms`` logger (the number masked by the log filter)."""

    def send(self, phone: str, text: str, *, key: str = "") -> None:
        if settings.MODE == "production":
            logger.info("SMS %s to %s: %d characters (text not logged)", key, phone, len(text))
        else:
            logger.info("SMS to %s: %s", phone, text)


class FileSmsBackend(LogSmsBackend):
    """Appends each message as a JSON line to ``<var>/sms-outbox.jsonl`` and logs it: the demo's
    default, read by the demo inbox page (``/demo/sms/``), and by the fault tests."""

    def send(self, phone: str, text: str, *, key: str = "") -> None:
        # Like a gateway given a client message id, a key already delivered is not sent again:
        # this closes the window between sending and recording the delivery (core.sms).
        if key and key in _delivered_keys():
            return
        line = json.dumps(
            {"key": key, "phone": phone, "text": text, "at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        with outbox_path().open("a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")
        super().send(phone, text, key=key)


def _delivered_keys() -> set[str]:
    path = outbox_path()
    if not path.exists():
        return set()
    keys = set()
    with path.open(encoding="utf-8") as lines:
        for raw in lines:
            try:
                keys.add(json.loads(raw).get("key", ""))
            except ValueError:
                continue
    return keys


def outbox_path() -> Path:
    return Path(settings.VAR_DIR) / "sms-outbox.jsonl"


def recent_outbox(limit: int = 30) -> list[dict[str, str]]:
    """The newest messages of the file outbox, newest first (the demo inbox page)."""
    path = outbox_path()
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        tail = deque(lines, maxlen=limit)
    messages = []
    for raw in reversed(tail):
        try:
            messages.append(json.loads(raw))
        except ValueError:
            continue
    return messages


class MemorySmsBackend:
    """Keeps messages in ``outbox`` (tests and the browser test read codes from it)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str, *, key: str = "") -> None:
        self.outbox.append((phone, text))


def send_sms(phone: str, text: str, *, key: str = "") -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text, key=key)


def send_sms_once(key: str, phone: str, text: str) -> bool:
    """Send unless the delivery under ``key`` is already recorded; True when sent now."""
    delivery, _ = SmsDelivery.objects.get_or_create(key=key)
    if delivery.sent_at is not None:
        logger.info("SMS %s already sent at %s; not sent again", key, delivery.sent_at)
        return False
    send_sms(phone, text, key=key)
    SmsDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
    return True
