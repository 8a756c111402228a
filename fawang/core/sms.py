"""Sending SMS through a pluggable backend (settings.SMS_BACKEND).

The default backend writes the message to the log, like Django's console e-mail backend. To use a
real gateway, write a class with ``send(phone: str, text: str) -> None`` that calls the carrier's
API (see docs/operations.md) and point FAWANG_SMS_BACKEND at it.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("fawang.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsBackend:
    """Writes each message to the ``fawang.sms`` logger (the number masked, the text in clear)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend:
    """Keeps messages in ``outbox`` (tests and the browser test read codes from it)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text)
