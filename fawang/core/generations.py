"""Process-local caches of reference data, kept right across processes and rolled-back writes.

Creating a work order looked up its region by code and matched the dispatch rules with ORM
queries that cost more server CPU than the order's own INSERT (docs/operations.md, "Cost of one
order"). The data behind them changes a few times a year, so each process keeps it in memory.

Every change to such data writes a fresh random token for its *generation* (``bump``), in the same
transaction as the change. A reader asks the database for the current token (one primary-key
look-up on a tiny table, no ORM) and reuses its memory only while the token is the same:

- another process's change is seen at once (the token it committed differs);
- a change that rolls back restores the old token, and the token of the rolled-back state is never
  written again (random, not a counter), so nothing cached from it is ever reused;
- a missing row (a fresh, upgraded or flushed database) starts a generation.

Within one request (``tokens_read_once``, entered by ``GenerationTokensMiddleware``) every token is
read in one query, the first time one is needed: a create used to ask three times (regions, rules,
bearer tokens). A change made later in the same request (``bump``) drops that snapshot, so the
request itself never reuses what it has just replaced.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from django.apps import apps
from django.db import InterfaceError, OperationalError, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_delete, post_save

from fawang.core.models import CacheGeneration

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
REGIONS = "regions"
API_ACCOUNTS = "api_accounts"  # bearer tokens with their accounts (fawang.api.auth)
# Who serves in which institution, speaking what (work orders' claim-next).
SERVING_LANGUAGES = "serving_languages"


class _Snapshot:
    """The tokens one unit of work has read; ``tokens`` is None until it reads them."""

    __slots__ = ("tokens",)

    def __init__(self) -> None:
        self.tokens: dict[str, str] | None = None


_snapshot: ContextVar[_Snapshot | None] = ContextVar("fawang_generation_tokens", default=None)


@contextmanager
def tokens_read_once() -> Iterator[None]:
    """Within it, the generation tokens are read from the database at most once (all in one
    query) unless something in it bumps one. Inside another (a loop within a request), the
    outer one's reading stands."""
    if _snapshot.get() is not None:
        yield
        return
    reset = _snapshot.set(_Snapshot())
    try:
        yield
    finally:
        _snapshot.reset(reset)


def bump(name: str) -> None:
    """Mark the data ``name`` changed; call it in the transaction that changes it."""
    CacheGeneration.objects.update_or_create(name=name, defaults={"token": uuid.uuid4().hex})
    snapshot = _snapshot.get()
    if snapshot is not None:
        snapshot.tokens = None


def _read_tokens(name: str | None) -> dict[str, str]:
    """The token of ``name``, or of every name when ``name`` is None.

    Usually the request's first query, so it also serves as the connection's health check
    (``CONN_HEALTH_CHECKS``): Django would otherwise send a ``SELECT 1`` first, one more round trip
    on every request. A connection the server dropped fails this read instead, and is replaced
    and the read sent again, as the health check would have done."""
    connection = connections["default"]
    if not _stands_in_for_the_health_check(connection):
        return _select_tokens(connection, name)
    connection.health_check_done = True  # type: ignore[attr-defined]  # (not in the stubs)
    try:
        return _select_tokens(connection, name)
    except (OperationalError, InterfaceError):
        if connection.is_usable():
            raise  # the connection is fine: the error is the query's own
        connection.close()
        return _select_tokens(connection, name)


def _stands_in_for_the_health_check(connection: BaseDatabaseWrapper) -> bool:
    return bool(
        getattr(connection, "health_check_enabled", False)
        and not getattr(connection, "health_check_done", True)
        and connection.connection is not None
        and not connection.in_atomic_block
    )


def _select_tokens(connection: BaseDatabaseWrapper, name: str | None) -> dict[str, str]:
    table = CacheGeneration._meta.db_table
    with connection.cursor() as cursor:
        if name is None:
            cursor.execute(f"SELECT name, token FROM {table}")
        else:
            cursor.execute(f"SELECT name, token FROM {table} WHERE name = %s", [name])
        return {str(row[0]): str(row[1]) for row in cursor.fetchall()}


def current_token(name: str) -> str:
    snapshot = _snapshot.get()
    if snapshot is None:
        tokens = _read_tokens(name)
    else:
        if snapshot.tokens is None:
            snapshot.tokens = _read_tokens(None)
        tokens = snapshot.tokens
    if name in tokens:
        return tokens[name]
    # A database that never bumped this name (new, upgraded, or flushed by a test) starts a
    # generation, so what is loaded from now on can be kept.
    generation, _ = CacheGeneration.objects.get_or_create(
        name=name, defaults={"token": uuid.uuid4().hex}
    )
    if snapshot is not None and snapshot.tokens is not None:
        snapshot.tokens[name] = generation.token
    return generation.token


class Generational(Generic[T]):
    """A value built by ``load`` and kept while the generation ``name`` stays the same."""

    def __init__(self, name: str, load: Callable[[], T]):
        self.name = name
        self._load = load
        self._entry: tuple[str, T] | None = None

    def get(self) -> T:
        token = current_token(self.name)
        entry = self._entry
        if entry is not None and entry[0] == token:
            return entry[1]
        value = self._load()
        # One tuple assignment, so no thread sees one token beside another token's value.
        self._entry = (token, value)
        return value


class GenerationalMap(Generic[K, V]):
    """Values looked up one key at a time by ``load_one`` (None: not found, not kept), kept
    while the generation ``name`` stays the same."""

    def __init__(self, name: str, load_one: Callable[[K], V | None]):
        self.name = name
        self._load_one = load_one
        self._entry: tuple[str, dict[K, V]] | None = None

    def get(self, key: K) -> V | None:
        token = current_token(self.name)
        entry = self._entry
        if entry is None or entry[0] != token:
            entry = (token, {})
            self._entry = entry
        values = entry[1]
        if key in values:
            return values[key]
        value = self._load_one(key)
        if value is not None:
            values[key] = value
        return value


def bump_on_change(model: type[models.Model], name: str) -> None:
    """Bump ``name`` whenever a ``model`` row (or a row of one of its proxies) is saved or deleted
    one by one. Bulk writes and ``QuerySet.update`` send no signal: their callers bump."""

    def changed(**kwargs: object) -> None:
        bump(name)

    senders = [model, *(m for m in apps.get_models() if m._meta.proxy and issubclass(m, model))]
    for sender in senders:
        uid = f"bump-{name}-{sender._meta.label}"
        post_save.connect(changed, sender=sender, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=sender, weak=False, dispatch_uid=f"{uid}-delete")
