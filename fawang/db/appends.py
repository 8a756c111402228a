"""One plain INSERT for the rows a busy request appends: an order, its history, its audit entries.

``Model.save()`` and ``bulk_create()`` rebuild the statement for every call (field by field, with
compiler objects), and on PostgreSQL ``bulk_create`` of a few rows sends them as arrays through
``UNNEST``, which psycopg assembles in Python. On the hotline's create path that preparation was
about half of the server's CPU per order. Here the statement is built once per model and row count
and cached; each value still passes through its field (``pre_save``, ``get_db_prep_save``), so
encrypted and hashed personal fields, JSON and dates are stored exactly as Django stores them.

What ``bulk_create`` does not do, this does not do either: no ``save()`` override, no signals.
A field that needs its own SQL placeholder, or a value that is an SQL expression, sends the rows
through ``bulk_create`` instead.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models

M = TypeVar("M", bound=models.Model)


def append_rows(rows: list[M], *, using: str = DEFAULT_DB_ALIAS) -> list[M]:
    """INSERT ``rows`` (new instances of one model) in one statement; set their primary keys.

    Returns ``rows``; after it each instance is saved, as after ``save()``.
    """
    if not rows:
        return rows
    model = type(rows[0])
    if any(type(row) is not model for row in rows):
        raise TypeError("append_rows() takes instances of one model")
    connection = connections[using]
    numbered = _numbered_by_database(model)
    if numbered and any(row.pk is not None for row in rows):
        return model._default_manager.using(using).bulk_create(rows)
    fields = _columns(model, auto_pk=numbered)
    if fields is None:
        return model._default_manager.using(using).bulk_create(rows)
    values = [
        field.get_db_prep_save(field.pre_save(row, True), connection)
        for row in rows
        for field in fields
    ]
    if any(hasattr(value, "as_sql") for value in values):
        return model._default_manager.using(using).bulk_create(rows)
    statement = _statement(model, fields, len(rows), connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        keys = cursor.fetchall()
    for row, (key,) in zip(rows, keys, strict=True):
        row.pk = key
        row._state.adding = False
        row._state.db = using
    return rows


def _numbered_by_database(model: type[models.Model]) -> bool:
    """The primary key is an auto-incrementing number the database gives."""
    return model._meta.pk.get_internal_type() in _AUTO_FIELDS


_AUTO_FIELDS = {"AutoField", "BigAutoField", "SmallAutoField"}


@cache
def _columns(model: type[models.Model], *, auto_pk: bool) -> tuple[models.Field, ...] | None:
    """The columns to write, or None when the model needs Django's own SQL (a parent table, a
    field with its own placeholder or a database default)."""
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if not (auto_pk and field.primary_key) and not field.generated
    )
    if model._meta.parents or any(_needs_own_sql(field) for field in fields):
        return None
    return fields


def _needs_own_sql(field: models.Field) -> bool:
    return hasattr(field, "get_placeholder") or field.db_default is not models.NOT_PROVIDED


_STATEMENTS: dict[tuple[type[models.Model], tuple[models.Field, ...], int, str], str] = {}


def _statement(
    model: type[models.Model], fields: tuple[models.Field, ...], count: int, connection: Any
) -> str:
    key = (model, fields, count, connection.vendor)
    statement = _STATEMENTS.get(key)
    if statement is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        statement = _STATEMENTS[key] = (
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
            + ", ".join([row] * count)
            + f" RETURNING {quote(model._meta.pk.column)}"
        )
    return statement
