"""An SMS backend slow enough to kill a worker in the middle of a send (the fault tests)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings

from fawang.core.sms import FileSmsBackend


class SlowFileSmsBackend(FileSmsBackend):
    """Marks the send as started, waits, then delivers to the outbox file."""

    def send(self, phone: str, text: str, *, key: str = "") -> None:
        started = Path(settings.VAR_DIR) / "sms-sending"
        started.write_text(f"{key} {os.getpid()}\n", encoding="utf-8")
        time.sleep(float(os.environ.get("FAULT_SMS_SECONDS", "1.5")))
        super().send(phone, text, key=key)
