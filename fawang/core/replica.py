"""Reads off the primary: dashboards, reports and the public look-up pages may read from a
PostgreSQL streaming replica (docs/operations.md, "Reads off the primary").

Only views marked with :func:`reads_replica` read there, and only while the replica is close
behind: a replica that cannot be asked, or whose replay is more than
``REPLICA_MAX_LAG_SECONDS`` behind what it has received, is passed over for the primary. Writes
always go to the primary, and a browser that wrote in the last ``REPLICA_STICKY_SECONDS`` reads
the primary too, so nobody misses what they have just done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
RECENT_WRITE_COOKIE = "fawang_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Who a request is (session, account, second factor, lockout) is always read on the primary: a
# person who has just logged in must not look logged out because the replica is a moment behind.
_PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "otp_totp", "otp_static", "axes"})

# Replay lag as the standby itself sees it: nothing received is waiting to be replayed → 0,
# else the age of the last transaction it replayed. (A standby cut off from its primary has
# nothing waiting either; operations.md says how that is watched.)
_LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() IS NULL "
    "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)

_wanted: ContextVar[bool] = ContextVar("fawang_replica_wanted", default=False)


@dataclass
class _Health:
    checked_at: float = float("-inf")
    usable: bool = False


_health = _Health()
_health_lock = threading.Lock()


def configured() -> bool:
    return REPLICA in settings.DATABASES and settings.REPLICA_READS


def replica_lag_seconds() -> float | None:
    """Seconds the replica's replay is behind; None when the replica cannot be asked."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("replica not usable, reading the primary: %s", error)
        connections[REPLICA].close()
        return None
    return float(row[0] or 0) if row else None


def replica_usable() -> bool:
    """Whether reads may go to the replica now (asked at most every REPLICA_CHECK_SECONDS)."""
    global _health
    now = time.monotonic()
    with _health_lock:
        if now - _health.checked_at < settings.REPLICA_CHECK_SECONDS:
            return _health.usable
    lag = replica_lag_seconds()
    usable = lag is not None and lag <= settings.REPLICA_MAX_LAG_SECONDS
    if lag is not None and not usable:
        logger.warning("replica %.1f s behind: reading the primary", lag)
    with _health_lock:
        _health = _Health(checked_at=now, usable=usable)
    return usable


def forget_replica_health() -> None:
    """Ask the replica again at the next read (after a failover, and in tests)."""
    global _health
    with _health_lock:
        _health = _Health()


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads may come from the replica (when it is configured and close)."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def reads_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator for pages that only show figures or public records."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            not configured()
            or request.method not in SAFE_METHODS
            or request.COOKIES.get(RECENT_WRITE_COOKIE)
        ):
            return view(request, *args, **kwargs)
        with replica_reads():
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()  # a template's lazy querysets are evaluated here, on the replica
            return response

    return wrapper


class ReplicaRouter:
    """Django database router: writes and migrations on the primary; reads on the replica only
    inside :func:`replica_reads`."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not _wanted.get() or not configured():
            return None
        meta = model._meta
        if meta.app_label in _PRIMARY_ONLY_APPS or meta.label == settings.AUTH_USER_MODEL:
            return None
        return REPLICA if replica_usable() else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class RecentWriteMiddleware:
    """Marks a browser that has just written, so its next pages read the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if configured() and request.method not in SAFE_METHODS:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
