"""The outbound exchange with the 12345 citizen hotline.

``settings.EXCHANGE_12345_BACKEND`` names a class with ``send(message: dict) -> None`` that raises
on failure. Backends:

- ``LocalFileExchange`` (default): appends each message as one JSON line to
  ``<var>/exchange-12345.jsonl`` — what a pilot without a 12345 link uses, and what you read to
  see what would have been sent.
- ``HttpExchange``: POSTs the JSON to ``FAWANG_EXCHANGE_12345_URL`` with
  ``Authorization: Bearer FAWANG_EXCHANGE_12345_TOKEN``; any non-2xx answer is a failure and the
  message is retried. The receiver should drop repeats by ``message_id`` (see docs/api.md).
- ``MemoryExchange``: keeps messages in a list; ``fail_next`` makes the next sends fail (tests and
  drills of the retry path).
"""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class ExchangeBackend(Protocol):
    def send(self, message: dict[str, Any]) -> None: ...


class LocalFileExchange:
    def send(self, message: dict[str, Any]) -> None:
        path = settings.VAR_DIR / "exchange-12345.jsonl"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(message, ensure_ascii=False) + "\n")


class HttpExchange:
    def send(self, message: dict[str, Any]) -> None:
        request = urllib.request.Request(
            os.environ["FAWANG_EXCHANGE_12345_URL"],
            data=json.dumps(message, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {os.environ.get('FAWANG_EXCHANGE_12345_TOKEN', '')}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            if not 200 <= response.status < 300:
                raise OSError(f"12345 answered {response.status}")


class MemoryExchange:
    sent: ClassVar[list[dict[str, Any]]] = []
    fail_next: ClassVar[int] = 0

    def send(self, message: dict[str, Any]) -> None:
        if MemoryExchange.fail_next > 0:
            MemoryExchange.fail_next -= 1
            raise OSError("12345 unreachable (simulated)")
        MemoryExchange.sent.append(message)


def exchange_backend() -> ExchangeBackend:
    backend: ExchangeBackend = import_string(settings.EXCHANGE_12345_BACKEND)()
    return backend
