"""The app behind pgbouncer in transaction mode (scripts/pgbouncer.sh starts one on port 6432;
.ci/run starts it and sets FAWANG_PGBOUNCER_URL): its real use cases run through the pooler with
the settings FAWANG_DATABASE_POOLER=pgbouncer gives, and pgbouncer's admin console shows that more
clients were served than server connections were opened. Without those settings, a server-side
cursor or a prepared statement breaks as soon as the pooler hands the next transaction to another
server connection."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
import pytest
from django.db import DatabaseError, connection, connections
from django.test import override_settings
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from psycopg.rows import dict_row

from fawang.core.models import Region, Role
from fawang.core.services import load_regions
from fawang.settings import behind_transaction_pooler
from fawang.workorders import services
from fawang.workorders.models import Channel, Status, WorkOrder
from tests.conftest import CHAOYANG
from tests.factories import make_staff
from tests.jobs import batch_worker
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db(transaction=True)
DB_TASKS = {"default": {"BACKEND": "fawang.core.jobs.DatabaseQueue"}}
SEATS = 6  # hotline seats taking calls at once
CLAIMERS = 16  # seats pressing "next" at once: four times the pool's 4 server connections
WORKERS = 6  # job workers claiming from the database queue at once


def _pgbouncer_url() -> str:
    url = os.environ.get("FAWANG_PGBOUNCER_URL", "")
    if not url:
        if os.environ.get("FAWANG_REQUIRE_PGBOUNCER") == "1":
            pytest.fail("FAWANG_REQUIRE_PGBOUNCER=1 but FAWANG_PGBOUNCER_URL is not set")
        pytest.skip(
            "no pgbouncer configured (FAWANG_PGBOUNCER_URL; scripts/pgbouncer.sh starts one)"
        )
    return url


class Pooler:
    """This test database through pgbouncer, and pgbouncer's admin console."""

    def __init__(self, url: str, database: str) -> None:
        self.where = dj_database_url.parse(url)
        self.database = database

    def url(self) -> str:
        where = self.where
        return f"postgres://{where['USER']}@{where['HOST']}:{where['PORT']}/{self.database}"

    def conninfo(self, database: str | None = None) -> str:
        return (
            f"host={self.where['HOST']} port={self.where['PORT']} "
            f"user={self.where['USER']} dbname={database or self.database}"
        )

    def console(self, command: str) -> list[dict[str, Any]]:
        """A command on pgbouncer's admin console (it speaks only the simple query protocol,
        which psycopg uses for a query without parameters)."""
        with psycopg.connect(self.conninfo("pgbouncer"), autocommit=True) as admin:
            cursor = admin.cursor(row_factory=dict_row).execute(command)
            return cursor.fetchall() if cursor.description else []

    def show(self, what: str) -> dict[str, Any]:
        """This database's row of SHOW POOLS / SHOW STATS."""
        rows = self.console(f"SHOW {what}")
        return next((row for row in rows if row["database"] == self.database), {})

    def let_go(self) -> None:
        """Close pgbouncer's server connections to this database (the test run drops it)."""
        self.console(f"KILL {self.database}")
        self.console(f"RESUME {self.database}")

    def clients_and_servers(self) -> tuple[int, int]:
        pool = self.show("POOLS")
        clients = pool["cl_active"] + pool["cl_waiting"]
        servers = sum(
            pool[f"sv_{state}"] for state in ("active", "idle", "used", "tested", "login")
        )
        return clients, servers

    def transactions(self) -> int:
        return int(self.show("STATS").get("total_xact_count", 0))


@pytest.fixture
def pooler() -> Iterator[Pooler]:
    """Every connection of the default alias — this thread's and those of the threads a test
    starts — goes through pgbouncer to this test database, with the pooled settings."""
    url = _pgbouncer_url()
    shared = connections.settings["default"]  # what each thread's connection is built from
    saved = {**shared, "OPTIONS": dict(shared.get("OPTIONS", {}))}
    pooled = Pooler(url, shared["NAME"])
    connection.close()
    shared.update(HOST=pooled.where["HOST"], PORT=pooled.where["PORT"], USER=pooled.where["USER"])
    behind_transaction_pooler(shared)
    connection.settings_dict = shared
    if not Region.objects.filter(code=CHAOYANG).exists():  # a transactional test flushed them
        load_regions(cities=["beijing"])
    yield pooled
    connection.close()
    pooled.let_go()
    shared.clear()
    shared.update(saved)


def _in_threads(count: int, work: Callable[[int], Any], pooler: Pooler) -> tuple[list[Any], int]:
    """Run work(i) in `count` threads at once, each on its own client connection; return the
    results and how many server connections pgbouncer had for them while all were connected."""
    start, done = threading.Barrier(count), threading.Barrier(count + 1)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            try:
                done.wait()  # every client still connected: pgbouncer counts them all
                done.wait()
            finally:
                connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    done.wait(timeout=120)
    clients, servers = pooler.clients_and_servers()
    done.wait(timeout=10)
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert clients >= count, f"{count} threads, but pgbouncer counted {clients} clients"
    return results, servers


def test_hotline_orders_and_concurrent_next_presses_work_through_the_pooler(
    pooler: Pooler,
) -> None:
    world = build_world()
    transactions_before = pooler.transactions()

    # Seats record calls at once: each a hotline order with its own number (a sequence).
    orders, servers = _in_threads(
        SEATS, lambda i: new_order(world.seat, description=f"第{i}位来电：欠款不还怎么办？"), pooler
    )
    assert len({order.number for order in orders}) == SEATS
    assert all(order.channel == Channel.HOTLINE for order in orders)
    assert servers <= 4 < SEATS + 1

    # More seats than orders press "next" at once: each order goes to exactly one of them.
    claimers = [
        make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG, institution=world.centre)
        for _ in range(CLAIMERS)
    ]
    claimed, servers = _in_threads(
        CLAIMERS,
        lambda i: getattr(services.claim_next(acting_user=claimers[i]), "number", None),
        pooler,
    )
    numbers = [number for number in claimed if number]
    assert sorted(numbers) == sorted(order.number for order in orders)
    assert WorkOrder.objects.filter(status=Status.CLAIMED).count() == SEATS
    for order in WorkOrder.objects.all():
        assert order.events.filter(kind="claimed").count() == 1
    # The pooling happened: 16 clients at once on at most the pool's 4 server connections, and
    # every transaction went through pgbouncer.
    assert servers <= 4 < CLAIMERS
    assert pooler.transactions() - transactions_before >= SEATS + CLAIMERS


@task()
def record_delivery(marker: str) -> str:
    return marker


@override_settings(TASKS=DB_TASKS, JOB_LEASE_SECONDS=600, JOB_MAX_ATTEMPTS=5)
def test_job_workers_claim_each_queued_job_once_through_the_pooler(pooler: Pooler) -> None:
    markers = [f"job-{n}" for n in range(30)]
    for marker in markers:
        record_delivery.using(backend="default").enqueue(marker)

    def work(index: int) -> None:
        worker = batch_worker(f"pooled-worker-{index}")
        worker.run()

    _, servers = _in_threads(WORKERS, work, pooler)
    jobs = list(DBTaskResult.objects.all())
    assert sorted(job.return_value for job in jobs) == sorted(markers)
    assert all(job.status == TaskResultStatus.SUCCESSFUL for job in jobs)
    assert all(len(job.worker_ids) == 1 for job in jobs)  # claimed once, by one worker
    assert servers <= 4 < WORKERS


def _take_its_server(pooler: Pooler) -> psycopg.Connection[Any]:
    """Another client opens a transaction: pgbouncer gives it the server connection the test's
    client used last (it hands out the most recently released one), so the test's next
    transaction runs on a different server connection."""
    other = psycopg.connect(pooler.conninfo(), autocommit=True)
    other.execute("BEGIN")
    other.execute("SELECT 1")
    return other


def test_iterating_a_large_query_survives_a_change_of_server_connection(pooler: Pooler) -> None:
    regions = Region.objects.order_by("code").values_list("code", flat=True)
    expected = list(regions[:5])

    read = regions.iterator(chunk_size=1)
    first = next(read)
    other = _take_its_server(pooler)
    try:
        assert [first, *(next(read) for _ in range(4))] == expected
    finally:
        other.close()

    # What the setting prevents: Django's server-side cursor (DECLARE … WITH HOLD) lives on
    # one server connection, and the next FETCH reaches another.
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False
    try:
        read = regions.iterator(chunk_size=1)
        next(read)
        other = _take_its_server(pooler)
        with pytest.raises((DatabaseError, psycopg.Error), match="does not exist"):
            next(read)
        other.close()
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
        connection.close()


def test_prepared_statements_would_break_behind_the_pooler(pooler: Pooler) -> None:
    def lookup() -> bool:
        return Region.objects.filter(code=CHAOYANG).exists()

    for _ in range(10):  # the pooled settings: never prepared, any server connection will do
        assert lookup()
        _take_its_server(pooler).close()

    # A deployment that turned psycopg's prepared statements on: prepared on one server
    # connection, executed by name on another that never saw it (pgbouncer 1.18 does not track
    # them).
    connection.close()
    connection.settings_dict["OPTIONS"] = {
        **connection.settings_dict["OPTIONS"],
        "server_side_binding": True,
        "prepare_threshold": 0,
    }
    try:
        assert lookup()
        other = _take_its_server(pooler)
        with pytest.raises(DatabaseError, match="does not exist"):
            lookup()
        other.close()
    finally:
        connection.close()
        behind_transaction_pooler(connection.settings_dict)


def test_the_audit_commands_run_through_the_pooler_with_the_setting(
    pooler: Pooler, tmp_path: Path
) -> None:
    """`fawang audit seal` and `fawang audit verify` (which iterates the whole trail outside a
    transaction) in processes configured as an operator would: the URL on pgbouncer and
    FAWANG_DATABASE_POOLER=pgbouncer."""
    world = build_world()
    new_order(world.seat)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fawang.settings",
        "FAWANG_DATABASE_URL": pooler.url(),
        "FAWANG_DATABASE_POOLER": "pgbouncer",
        "FAWANG_REPLICA_URL": "",
        "FAWANG_AUDIT_ANCHOR_FILE": str(tmp_path / "audit-anchors.log"),
    }
    transactions_before = pooler.transactions()
    for action, said in (("seal", "已封存"), ("verify", "审计链完整")):
        step = subprocess.run(
            [str(Path(sys.executable).parent / "fawang"), "audit", action],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert step.returncode == 0, step.stdout + step.stderr
        assert said in step.stdout
    assert pooler.transactions() > transactions_before
