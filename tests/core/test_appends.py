"""The prepared INSERT of the hot paths (fawang.db.appends) and the database queue built on it
(core.jobs.DatabaseQueue) store what Django's own writes store."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.functions import Now
from django.test import override_settings
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fawang.audit.models import AuditEvent
from fawang.audit.services import audit_event, event_mac, record_events
from fawang.core.personal_data import PHONE, lookup_hash
from fawang.db.appends import append_rows
from fawang.workorders.models import WorkOrder, WorkOrderEvent
from tests.jobs import batch_worker
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db
COLUMNS = [
    f.attname for f in DBTaskResult._meta.concrete_fields if f.name not in {"id", "enqueued_at"}
]


def test_rows_get_their_keys_and_read_back_as_written() -> None:
    events = [
        audit_event(
            "workorder.created",
            actor="12348 热线",
            detail={"number": "GF1", "说明": "第一条", "n": [1, 2]},
            ip_address="::ffff:10.0.0.1",
        ),
        audit_event("workorder.routed", actor=None, detail={}),
    ]
    record_events(events)

    assert all(e.pk is not None and not e._state.adding for e in events)
    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id"))
    assert [s.action for s in stored] == ["workorder.created", "workorder.routed"]
    assert stored[0].detail == {"number": "GF1", "说明": "第一条", "n": [1, 2]}
    assert stored[1].actor_label == "system"
    # The MAC computed before the write verifies on the row the database gives back.
    assert [event_mac(s) for s in stored] == [s.mac for s in stored]


def test_an_order_keeps_its_phone_encrypted_and_findable_by_its_hash() -> None:
    world = build_world()
    order = new_order(world.seat, requester_phone="13911112222")

    with connection.cursor() as cursor:
        cursor.execute("SELECT requester_phone FROM workorders_workorder WHERE id = %s", [order.pk])
        (stored,) = cursor.fetchone()
    assert stored and "13911112222" not in stored
    found = WorkOrder.objects.get(requester_phone_hash=lookup_hash(PHONE, "13911112222"))
    assert found.pk == order.pk and found.number == order.number
    assert list(found.events.values_list("kind", flat=True)) == ["created", "routed"]


def test_a_value_given_as_sql_goes_through_djangos_own_insert() -> None:
    order = new_order(build_world().seat)
    event = WorkOrderEvent(order=order, kind="created", to_status="new", occurred_at=Now())

    append_rows([event])

    assert WorkOrderEvent.objects.filter(pk=event.pk, order=order, kind="created").exists()


def test_rows_of_two_models_are_refused() -> None:
    order = new_order(build_world().seat)
    with pytest.raises(TypeError):
        append_rows([WorkOrderEvent(order=order, kind="x"), audit_event("x", actor=None)])


@task()
def note_it(text: str) -> str:
    return text.upper()


# transaction=True: the worker checks its connection is in autocommit mode, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_queue_writes_the_row_django_tasks_db_writes_and_the_worker_runs_it() -> None:
    rows = {}
    for backend in ("django_tasks_db.DatabaseBackend", "fawang.core.jobs.DatabaseQueue"):
        with override_settings(TASKS={"default": {"BACKEND": backend}}):
            result = note_it.using(backend="default").enqueue("法网")
        rows[backend] = DBTaskResult.objects.values(*COLUMNS).get(pk=result.id)
    ours = rows["fawang.core.jobs.DatabaseQueue"]
    assert ours == rows["django_tasks_db.DatabaseBackend"]
    assert ours["status"] == TaskResultStatus.READY

    with override_settings(TASKS={"default": {"BACKEND": "fawang.core.jobs.DatabaseQueue"}}):
        batch_worker("appends-test").run()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert (
        sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == ["法网".upper()] * 2
    )
