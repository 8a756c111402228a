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
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

from django.apps import apps
from django.db import connections, models
from django.db.models.signals import post_delete, post_save

from fawang.core.models import CacheGeneration

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
REGIONS = "regions"
API_ACCOUNTS = "api_accounts"  # bearer tokens with their accounts (fawang.api.auth)
# Who serves in which institution, speaking what (work orders' claim-next).
SERVING_LANGUAGES = "serving_languages"


def bump(name: str) -> None:
    """Mark the data ``name`` changed; call it in the transaction that changes it."""
    CacheGeneration.objects.update_or_create(name=name, defaults={"token": uuid.uuid4().hex})


def current_token(name: str) -> str:
    table = CacheGeneration._meta.db_table
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE name = %s", [name])
        row = cursor.fetchone()
    if row:
        return str(row[0])
    # A database that never bumped this name (new, upgraded, or flushed by a test) starts a
    # generation, so what is loaded from now on can be kept.
    generation, _ = CacheGeneration.objects.get_or_create(
        name=name, defaults={"token": uuid.uuid4().hex}
    )
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
