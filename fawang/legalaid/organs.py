"""Letters back to the court, procuratorate or police that sent a notice (法律援助法 第三十六条:
"指派律师并通知人民法院、人民检察院、公安机关"; 第四十八条: a termination is made known to them).

Their notices come in through an integration token on ``POST /api/v1/legal-aid/notices``; the
answers go back out through ``settings.LEGALAID_ORGAN_BACKEND``, a class with
``send(letter: dict) -> None`` that raises on failure:

- ``LocalFileOrganChannel`` (default): appends each letter as one JSON line to
  ``<var>/legalaid-organs.jsonl`` — the record of what was sent where no link exists yet;
- ``MemoryOrganChannel``: keeps letters in a list; ``fail_next`` makes sends fail (tests).

Letters are rows of ``OrganLetter`` written in the deciding transaction and delivered after the
commit (and retried by the ``legalaid.deliver_organ_letters`` job), so none is lost or sent for
a change that was rolled back.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from fawang.legalaid.models import LetterStatus, OrganLetter

MAX_LETTER_ATTEMPTS = 12


class OrganChannel(Protocol):
    def send(self, letter: dict[str, Any]) -> None: ...


class LocalFileOrganChannel:
    def send(self, letter: dict[str, Any]) -> None:
        path = settings.VAR_DIR / "legalaid-organs.jsonl"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(letter, ensure_ascii=False) + "\n")


class MemoryOrganChannel:
    sent: ClassVar[list[dict[str, Any]]] = []
    fail_next: ClassVar[int] = 0

    def send(self, letter: dict[str, Any]) -> None:
        if MemoryOrganChannel.fail_next > 0:
            MemoryOrganChannel.fail_next -= 1
            raise OSError("organ system unreachable (simulated)")
        MemoryOrganChannel.sent.append(letter)


def organ_channel() -> OrganChannel:
    channel: OrganChannel = import_string(settings.LEGALAID_ORGAN_BACKEND)()
    return channel


def deliver_organ_letters(now: datetime | None = None, limit: int = 100) -> int:
    """Send pending letters, oldest first; a failure stays pending (failed after 12 tries)."""
    now = now or timezone.now()
    channel = organ_channel()
    delivered = 0
    with transaction.atomic():
        due = OrganLetter.objects.filter(status=LetterStatus.PENDING).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for letter in list(due[:limit]):
            letter.attempts += 1
            try:
                channel.send(letter.payload)
            except Exception as error:  # the far side failed: try again on the next run
                letter.last_error = str(error)[:500]
                if letter.attempts >= MAX_LETTER_ATTEMPTS:
                    letter.status = LetterStatus.FAILED
                letter.save(update_fields=["attempts", "last_error", "status"])
                continue
            letter.status, letter.sent_at = LetterStatus.SENT, now
            letter.save(update_fields=["attempts", "status", "sent_at"])
            delivered += 1
    return delivered


@task()
def deliver_letters_job() -> int:
    """Queued after the commit that wrote letters; also run by the scheduler for retries."""
    return deliver_organ_letters()
