"""Monthly range partitions of the history tables on PostgreSQL (docs/operations.md,
"Partitioned history").

A history table (audit events, work-order events) is partitioned BY RANGE on its timestamp: one
partition per calendar month named ``<table>_pYYYYMM``, plus ``<table>_default`` so that no insert
ever fails for want of a partition. Months are Beijing months (``settings.TIME_ZONE``): a bound is
local midnight of the 1st, stored as an instant (``2026-12-01 00:00+08`` = ``2026-11-30 16:00
UTC``), so a local day — what the indicators count by — never straddles two partitions.

The primary key becomes ``(id, <timestamp>)`` (a unique key on a partitioned table must contain
the partition key); Django keeps ``id`` as the model's key and ids stay unique, drawn from the one
identity sequence of the parent table.

This module lives in ``audit``, the bottom layer, because the audit migration needs it and audit
imports nothing of ours; it names no table itself. ``core`` runs it for every table the apps
declare (``Declaration.partitioned_by_month``): the ``core.create_partitions`` job and
``fawang partitions``. On SQLite (the embedded default) every function here does nothing: the
tables stay plain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

# Months created ahead by the job: the current one and the next three.
MONTHS_AHEAD = 3
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # None: the DEFAULT partition
    lower: str  # the bounds as PostgreSQL prints them ("" for DEFAULT)
    upper: str
    rows: int  # exact for DEFAULT, the planner's estimate (-1: never analysed) for a month


def is_partitioned_database(conn: Any = connection) -> bool:
    return bool(conn.vendor == "postgresql")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_of(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        moment = moment.astimezone(_zone()).date()
    return moment.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """Local midnight of the 1st of ``month`` and of the next month, as aware datetimes."""
    zone = _zone()
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=zone)
    return start, datetime.combine(add_months(month, 1), time.min, tzinfo=zone)


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y%m}"


def default_name(table: str) -> str:
    return f"{table}_default"


def _checked(*names: str) -> None:
    for name in names:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not a plain SQL identifier: {name!r}")


def _literal(moment: datetime) -> str:
    # Our own ISO timestamps: digits, '-', ':', 'T', '+'; a partition bound cannot be a parameter.
    return "'" + moment.isoformat() + "'"


def _exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


def _lock(cursor: Any, table: str) -> None:
    """Serialise partition work on ``table`` (racing schedulers, the command) until commit."""
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"fawang.partitions.{table}"])


def create_month(table: str, column: str, month: date) -> bool:
    """Create the partition of ``month`` unless it exists; True when it was created.

    Rows of that month already sitting in DEFAULT (written before the partition existed, or
    imported) would make ``CREATE TABLE … PARTITION OF`` fail: they are moved into the new
    partition in the same transaction, the DEFAULT locked meanwhile (inserts of other months wait
    for a moment; reads go on), the append-only triggers switched off on DEFAULT for the move only.
    """
    if not is_partitioned_database():
        return False
    month = month.replace(day=1)
    name, default = partition_name(table, month), default_name(table)
    _checked(table, column, name, default)
    start, end = month_bounds(month)
    bounds = f"FROM ({_literal(start)}) TO ({_literal(end)})"
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, table)
        if _exists(cursor, name):
            return False
        cursor.execute(f"LOCK TABLE {default} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {column} >= %s AND {column} < %s)",
            [start, end],
        )
        if not cursor.fetchone()[0]:
            cursor.execute(f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES {bounds}")
            return True
        cursor.execute(
            f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            "INCLUDING STORAGE)"
        )
        # Deferred checks queued earlier in this transaction would forbid the ALTER: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {default} DISABLE TRIGGER USER")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {default} WHERE {column} >= %s AND {column} < %s "
            f"RETURNING *) INSERT INTO {name} SELECT * FROM moved",
            [start, end],
        )
        cursor.execute(f"ALTER TABLE {default} ENABLE TRIGGER USER")
        # Attaching builds the parent's indexes on the partition and clones its triggers.
        cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES {bounds}")
    return True


def months_in_default(table: str, column: str) -> list[date]:
    """The (local) months of the rows waiting in DEFAULT."""
    if not is_partitioned_database():
        return []
    default = default_name(table)
    _checked(column, default)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', {column} AT TIME ZONE %s)::date FROM {default}",
            [settings.TIME_ZONE],
        )
        return sorted(row[0] for row in cursor.fetchall())


def ensure_months(
    table: str, column: str, *, ahead: int = MONTHS_AHEAD, today: date | None = None
) -> list[str]:
    """This month and ``ahead`` more, plus the month of every row waiting in DEFAULT (which moves
    there). Idempotent; safe when two schedulers run it at once. Returns the partitions created."""
    if not is_partitioned_database():
        return []
    first = month_of(today or timezone.now())
    wanted = {add_months(first, n) for n in range(ahead + 1)} | set(
        months_in_default(table, column)
    )
    return [partition_name(table, m) for m in sorted(wanted) if create_month(table, column, m)]


def list_partitions(table: str) -> list[Partition]:
    if not is_partitioned_database():
        return []
    _checked(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint "
            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [table],
        )
        rows = cursor.fetchall()
        found = []
        for name, bound, estimate in rows:
            if name == default_name(table):
                cursor.execute(f"SELECT count(*) FROM {name}")
                found.append(Partition(name, None, "", "", int(cursor.fetchone()[0])))
                continue
            match = re.search(r"FROM \('([^']*)'\) TO \('([^']*)'\)", bound or "")
            lower, upper = match.groups() if match else ("", "")
            suffix = name.rsplit("_p", 1)[-1]
            month = date(int(suffix[:4]), int(suffix[4:6]), 1) if suffix.isdigit() else None
            found.append(Partition(name, month, lower, upper, int(estimate)))
    return found


def convert_to_partitioned(schema_editor: Any, table: str, column: str) -> None:
    """Migration step: turn the plain ``table`` into one partitioned by month on ``column``.

    A new partitioned table takes the name; the rows move into it (each into its month); the
    identity sequence continues where it was; indexes, foreign keys and triggers are recreated
    under their names; the old table is dropped (refused while anything still references it).
    The primary key becomes ``(id, column)``. Nothing happens on SQLite.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    old, default = f"{table}_unpartitioned", default_name(table)
    _checked(table, column, old, default)
    run = schema_editor.execute
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = to_regclass(%s) AND NOT indisprimary",
            [table],
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal",
            [table],
        )
        triggers = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        last_value, is_called = cursor.fetchone()
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', {column} AT TIME ZONE %s)::date FROM {table}",
            [settings.TIME_ZONE],
        )
        months = {row[0] for row in cursor.fetchall()}

    run(f"ALTER TABLE {table} RENAME TO {old}")
    run(f"ALTER SEQUENCE {sequence} RENAME TO {old}_id_seq")
    run(
        f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY "
        f"INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({column})"
    )
    run(f"CREATE TABLE {default} PARTITION OF {table} DEFAULT")
    first = month_of(timezone.now())
    for month in sorted(months | {add_months(first, n) for n in range(MONTHS_AHEAD + 1)}):
        start, end = month_bounds(month)
        run(
            f"CREATE TABLE {partition_name(table, month)} PARTITION OF {table} "
            f"FOR VALUES FROM ({_literal(start)}) TO ({_literal(end)})"
        )
    run(f"INSERT INTO {table} SELECT * FROM {old}")
    run(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)",
        [table, last_value, is_called],
    )
    run(f"DROP TABLE {old}")
    # The names are free now; the definitions were read under the table's own name.
    run(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id, {column})")
    for definition in [*indexes, *triggers]:
        run(definition)
    for name, definition in foreign_keys:
        run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
