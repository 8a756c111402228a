"""Counting failed guesses (tracking codes, rating links) per client, shared by every server
process: the counts are rows (``AttemptCount``), so two workers do not each allow the limit."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, QuerySet
from django.utils import timezone

from fawang.core.errors import DomainError
from fawang.core.models import AttemptCount


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"


REFUSAL = "尝试次数过多，请一小时后再试，或拨打12348咨询。"


def _used_up(key: str, limit: int) -> QuerySet[AttemptCount]:
    return AttemptCount.objects.filter(key=key, window_ends__gt=timezone.now(), count__gte=limit)


def exhausted(key: str, limit: int) -> Exists:
    """True in a query while ``key`` has used up its attempts: to ask in the same query as the
    look-up it guards, which saves a round trip on every good attempt."""
    return Exists(_used_up(key, limit))


def refuse(refused: bool) -> None:
    if refused:
        raise TooManyAttempts(REFUSAL)


def refuse_if_exhausted(key: str, limit: int) -> None:
    refuse(_used_up(key, limit).exists())


def count_failure(key: str, window_seconds: int = 3600) -> None:
    """One more failure under ``key``; a window that has ended starts again at one."""
    now = timezone.now()
    with transaction.atomic():
        if AttemptCount.objects.filter(key=key, window_ends__gt=now).update(count=F("count") + 1):
            return
        fresh = {"count": 1, "window_ends": now + timedelta(seconds=window_seconds)}
        if AttemptCount.objects.filter(key=key).update(**fresh):
            return
        try:
            with transaction.atomic():
                AttemptCount.objects.create(key=key, **fresh)
        except IntegrityError:  # another process created it just now: count on its row
            AttemptCount.objects.filter(key=key).update(count=F("count") + 1)


def purge_ended_windows() -> int:
    deleted, _ = AttemptCount.objects.filter(window_ends__lt=timezone.now()).delete()
    return deleted
