"""Monthly partitions of the history tables on PostgreSQL (issue 20, docs/operations.md
"Partitioned history"): audit events and work-order events."""

from __future__ import annotations

import threading
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.audit.partitions import (
    add_months,
    create_month,
    ensure_months,
    list_partitions,
    month_of,
    partition_name,
)
from fawang.audit.services import event_mac, record_event, seal_pending, verify_chain
from fawang.core.partitioning import create_partitions
from fawang.workorders.metrics import day_bounds, events_between, touched_days
from fawang.workorders.models import WorkOrderEvent
from tests.workorders.helpers import build_world, new_order

BEIJING = ZoneInfo("Asia/Shanghai")
AUDIT, EVENTS = "audit_auditevent", "workorders_workorderevent"
FAR_MONTH = date(2031, 5, 1)  # never created ahead by the job (this month + 3)


def _partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def _audit_event_at(moment: datetime) -> AuditEvent:
    """An event dated ``moment`` (as an import would write it; record_event stamps "now")."""
    event = AuditEvent(occurred_at=moment, actor_label="system", action="test.event")
    event.mac = event_mac(event)
    event.save(force_insert=True)
    return event


@pytest.mark.django_db
def test_new_audit_and_work_order_events_land_in_this_months_partition() -> None:
    world = build_world()
    order = new_order(world.seat)
    this_month = month_of(timezone.now())
    event = order.events.order_by("id").first()
    assert event is not None
    assert _partition_of(EVENTS, event.pk) == partition_name(EVENTS, this_month)
    audit = record_event("test.event", actor="system")
    assert _partition_of(AUDIT, audit.pk) == partition_name(AUDIT, this_month)


@pytest.mark.django_db
def test_a_month_is_a_beijing_month() -> None:
    """00:30 on 1 June in Beijing is still 31 May in UTC: the row belongs to June."""
    create_month(AUDIT, "occurred_at", FAR_MONTH.replace(month=6))
    create_month(AUDIT, "occurred_at", FAR_MONTH)
    early = _audit_event_at(datetime(2031, 6, 1, 0, 30, tzinfo=BEIJING))
    late = _audit_event_at(datetime(2031, 5, 31, 23, 30, tzinfo=BEIJING))
    assert _partition_of(AUDIT, early.pk) == "audit_auditevent_p203106"
    assert _partition_of(AUDIT, late.pk) == "audit_auditevent_p203105"


@pytest.mark.django_db
def test_a_far_future_row_waits_in_default_and_moves_when_its_month_is_created() -> None:
    event = _audit_event_at(datetime(2031, 5, 10, 9, 0, tzinfo=BEIJING))
    assert _partition_of(AUDIT, event.pk) == "audit_auditevent_default"
    seal_pending()

    created = ensure_months(AUDIT, "occurred_at")  # the job finds the month waiting in DEFAULT
    assert "audit_auditevent_p203105" in created
    assert _partition_of(AUDIT, event.pk) == "audit_auditevent_p203105"
    default = next(p for p in list_partitions(AUDIT) if p.month is None)
    assert default.rows == 0
    # Moved whole, id and content: the chain still verifies, and the seal still finds its event.
    assert AuditEvent.objects.get(pk=event.pk).seal.event_id == event.pk
    report = verify_chain()
    assert report.ok, report.problems


@pytest.mark.django_db
def test_moving_rows_out_of_default_leaves_its_append_only_trigger_on() -> None:
    _audit_event_at(datetime(2031, 5, 10, 9, 0, tzinfo=BEIJING))
    waiting = _audit_event_at(datetime(2032, 1, 10, 9, 0, tzinfo=BEIJING))
    create_month(AUDIT, "occurred_at", FAR_MONTH)
    assert _partition_of(AUDIT, waiting.pk) == "audit_auditevent_default"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=waiting.pk).delete()


@pytest.mark.django_db
def test_audit_update_and_delete_are_refused_on_a_month_partition_itself() -> None:
    event = record_event("test.event", actor="system")
    partition = partition_name(AUDIT, month_of(event.occurred_at))
    for statement in (
        f"UPDATE {partition} SET action = 'forged' WHERE id = %s",
        f"DELETE FROM {partition} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.django_db
def test_audit_verify_passes_over_partitioned_events() -> None:
    for n in range(5):
        record_event("test.event", actor="system", detail={"n": n})
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计链完整" in out.getvalue()


@pytest.mark.django_db
def test_the_job_is_idempotent() -> None:
    create_partitions.call()
    before = [p.name for p in list_partitions(EVENTS)]
    assert create_partitions.call() == []
    assert [p.name for p in list_partitions(EVENTS)] == before
    this_month = month_of(timezone.now())
    for table in (AUDIT, EVENTS):
        names = {p.name for p in list_partitions(table)}
        assert {partition_name(table, add_months(this_month, n)) for n in range(4)} <= names


@pytest.mark.django_db
def test_fawang_partitions_creates_older_months_and_lists_them() -> None:
    out = StringIO()
    call_command("partitions", "--from", "2025-01", "--ahead", "1", stdout=out)
    assert "audit_auditevent_p202501" in out.getvalue()
    assert "workorders_workorderevent_p202502" in out.getvalue()
    assert "DEFAULT" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_racing_runs_both_succeed_and_create_each_partition_once() -> None:
    first = date(2040, 1, 1)
    barrier = threading.Barrier(2)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(ensure_months(EVENTS, "occurred_at", today=first))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        created = sorted(results[0] + results[1])
        assert created == [f"{EVENTS}_p2040{m:02d}" for m in range(1, 5)]
    finally:
        with connection.cursor() as cursor:
            for m in range(1, 5):
                cursor.execute(f"DROP TABLE IF EXISTS {EVENTS}_p2040{m:02d}")


@pytest.mark.django_db
def test_the_fills_event_query_for_one_day_reads_one_partition() -> None:
    world = build_world()
    new_order(world.seat)
    start, end = day_bounds(timezone.localdate())
    plan = events_between(start, end).explain()
    this_month = partition_name(EVENTS, month_of(timezone.now()))
    touched = {p.name for p in list_partitions(EVENTS) if p.name in plan}
    assert touched == {this_month}, plan
    # And the fill's own question finds the order's day through it.
    assert timezone.localdate() in touched_days(start)


@pytest.mark.django_db
def test_work_order_event_ids_keep_growing_from_the_sequence() -> None:
    world = build_world()
    first = new_order(world.seat)
    second = new_order(world.seat)
    ids = list(
        WorkOrderEvent.objects.filter(order__in=[first, second])
        .order_by("id")
        .values_list("id", flat=True)
    )
    assert len(ids) == len(set(ids)) >= 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attname",
            [EVENTS],
        )
        assert [row[0] for row in cursor.fetchall()] == ["id", "occurred_at"]
