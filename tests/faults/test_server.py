"""The web server under faults: a worker killed under load, the database locked or dropped.

The promise checked: every order the client saw acknowledged (201) is stored; the server goes on
serving without a person; a database that cannot take a request answers 503 JSON in Chinese and
keeps nothing of it.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.faults.conftest import Platform, drop_connections_for, free_port, http_up, wait_for

pytestmark = pytest.mark.faults

CALL_IDS = itertools.count(1)
STORED = """
import json
from fawang.workorders.models import WorkOrder
print(json.dumps(sorted(WorkOrder.objects.filter(external_ref__startswith="FAULT-")
                        .values_list("number", flat=True))))
"""


@dataclass
class Load:
    acknowledged: list[str] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    bodies: list[dict[str, object]] = field(default_factory=list)


def _create(port: int, platform: Platform, load: Load, timeout: float = 30) -> int | None:
    body = {
        "call_id": f"FAULT-{next(CALL_IDS):06d}",
        "caller_number": "13911112222",
        "business_line": "consultation",
        "topic": "labour",
        "description": "公司拖欠工资三个月，怎么办？",
        "requester_name": "来电人",
        "region_code": platform.regions[0],
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            "/api/v1/workorders/hotline-calls",
            body=json.dumps(body),
            headers={
                "Authorization": f"Bearer {platform.token}",
                "Content-Type": "application/json",
            },
        )
        response = connection.getresponse()
        data = response.read()
    except OSError as error:  # reset by a dying worker: not acknowledged
        load.statuses[type(error).__name__] += 1
        return None
    finally:
        connection.close()
    load.statuses[str(response.status)] += 1
    if response.status == 201:
        load.acknowledged.append(json.loads(data)["number"])
    elif response.status >= 400:
        load.bodies.append({"status": response.status, **json.loads(data)})
    return response.status


@pytest.fixture
def server(platform: Platform) -> Iterator[tuple[Platform, subprocess.Popen[bytes], int]]:
    port = free_port()
    process = platform.start(
        "run",
        "--port",
        str(port),
        "--workers",
        "2",
        "--threads",
        "2",
        log="server.log",
        FAWANG_SQLITE_TIMEOUT_SECONDS="1",
    )
    wait_for(lambda: http_up(f"http://127.0.0.1:{port}"), 90, "the server to answer /healthz")
    yield platform, process, port


def _server_workers(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def test_a_server_worker_killed_under_load_loses_no_acknowledged_order(server) -> None:  # type: ignore[no-untyped-def]
    platform, process, port = server
    load, stop = Load(), threading.Event()

    def client() -> None:
        for _ in range(400):  # bounded
            if stop.is_set():
                return
            _create(port, platform, load)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(load.acknowledged) >= 20, 60, "orders before the kill")
    workers = _server_workers(process.pid)
    assert len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)
    acknowledged_at_kill = len(load.acknowledged)
    wait_for(
        lambda: len(load.acknowledged) >= acknowledged_at_kill + 40, 90, "orders after the kill"
    )
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    assert process.poll() is None, platform.log("server.log")[-2000:]
    wait_for(lambda: len(_server_workers(process.pid)) == 2, 30, "the worker to be replaced")
    stored = set(platform.query(STORED))
    print(
        f"\nkill -9 of a server worker: {len(load.acknowledged)} acknowledged, {len(stored)} stored, "
        f"responses {dict(load.statuses)}"
    )
    assert set(load.acknowledged) <= stored  # nothing acknowledged was lost
    unacknowledged = sum(n for status, n in load.statuses.items() if not status.isdigit())
    assert len(stored) - len(load.acknowledged) <= unacknowledged
    assert _create(port, platform, load) == 201


def test_a_locked_database_gives_503_json_and_keeps_nothing(server) -> None:  # type: ignore[no-untyped-def]
    platform, _process, port = server
    load = Load()
    assert _create(port, platform, load) == 201
    if platform.is_sqlite:
        holder = sqlite3.connect(platform.sqlite_file, isolation_level=None, timeout=10)
        holder.execute("BEGIN IMMEDIATE")
        try:
            status = _create(port, platform, load)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert status == 503
        refusal = load.bodies[-1]
        assert refusal["code"] == "unavailable" and "没有保存" in str(refusal["message"])
    else:
        stopper = threading.Thread(target=drop_connections_for, args=(platform, 3.0, 0.1))
        stopper.start()
        for _ in range(60):  # bounded
            if not stopper.is_alive():
                break
            _create(port, platform, load)
        stopper.join()
        assert set(load.statuses) <= {"201", "503"}, load.statuses
        assert all(body["code"] == "unavailable" for body in load.bodies)
    print(f"\ndatabase refusing: responses {dict(load.statuses)}")
    assert sorted(platform.query(STORED)) == sorted(load.acknowledged)
    assert _create(port, platform, load) == 201  # recovered, nobody restarted anything
