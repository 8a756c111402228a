"""Counting failed guesses (tracking codes, rating links) in the cache, per client.

The default cache is per process (LocMem); with several server processes set
``FAWANG_CACHE_URL=redis://…`` so the count is shared (docs/operations.md).
"""

from __future__ import annotations

from django.core.cache import cache

from fawang.core.errors import DomainError


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"


def refuse_if_exhausted(key: str, limit: int) -> None:
    if cache.get(key, 0) >= limit:
        raise TooManyAttempts("尝试次数过多，请一小时后再试，或拨打12348咨询。")


def count_failure(key: str, window_seconds: int = 3600) -> None:
    if cache.add(key, 1, window_seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds)
