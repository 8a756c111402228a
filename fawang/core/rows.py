"""Re-reading a row under a lock: the first step of every verb that changes a record's state."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def lock(
    target: M | models.QuerySet[M] | type[M], pk: Any = None, *, of: tuple[str, ...] = ()
) -> M:
    """The row, re-read with ``SELECT … FOR UPDATE`` (the caller's copy may be stale).

    ``lock(instance)`` re-reads that instance's row; ``lock(queryset_or_model, pk)`` the row with
    that primary key (a queryset may add ``select_related``; pass ``of=("self",)`` when it joins a
    nullable relation, which PostgreSQL will not lock). Call it inside ``transaction.atomic()``.
    Raises the model's ``DoesNotExist`` when the row is gone.
    """
    if isinstance(target, models.Model):
        queryset: models.QuerySet[M] = type(target)._default_manager.all()
        pk = target.pk if pk is None else pk
    elif isinstance(target, models.QuerySet):
        queryset = target
    else:
        queryset = target._default_manager.all()
    if pk is None:
        raise ValueError("lock() needs a saved instance or a primary key")
    return queryset.select_for_update(of=of).get(pk=pk)
