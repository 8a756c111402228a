"""The real Redis the broker tests use (FAWANG_TASKS_BACKEND=rq): one database number of their own,
emptied before and after, never another.

Redis runs on 127.0.0.1:6379 on the developers' machines and in CI. Without it the broker tests
are skipped with the reason, unless FAWANG_REQUIRE_BROKER=1 (set by .ci/run): then they fail.
FAWANG_TEST_REDIS changes the server (``redis://host:port``, no database number).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis

SERVER = os.environ.get("FAWANG_TEST_REDIS", "redis://127.0.0.1:6379").rstrip("/")
RQ_BACKEND = "fawang.core.broker.RQBackend"
# The in-process job tests take 10 (+ the pytest-xdist worker's number); the many-processes
# test takes 8 for its queue and 9 for its cache.
JOB_TESTS_DATABASE = 10
PROCESS_TEST_DATABASE = 8


def url(database: int) -> str:
    return f"{SERVER}/{database}"


def job_tests_url() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return url(JOB_TESTS_DATABASE + int(worker.removeprefix("gw") or 0))


def require(address: str) -> None:
    """Skip (or, with FAWANG_REQUIRE_BROKER=1, fail) when Redis does not answer."""
    try:
        with redis.Redis.from_url(address, socket_connect_timeout=2, socket_timeout=5) as client:
            client.ping()
    except redis.RedisError as error:
        reason = f"Redis not reachable at {address} ({type(error).__name__}): broker tests skipped"
        if os.environ.get("FAWANG_REQUIRE_BROKER") == "1":
            pytest.fail(f"FAWANG_REQUIRE_BROKER=1 but {reason.split(':')[0]}")
        pytest.skip(reason)


def flush(address: str) -> None:
    """Empty this one database (FLUSHDB, never FLUSHALL)."""
    with redis.Redis.from_url(address) as client:
        client.flushdb()


def rq_settings(address: str) -> dict[str, Any]:
    """The settings FAWANG_TASKS_BACKEND=rq gives, on this database (for override_settings)."""
    return {
        "TASKS": {"default": {"BACKEND": RQ_BACKEND, "QUEUES": ["default"]}},
        "REDIS_URL": address,
        "RQ_QUEUES": {"default": {"URL": address, "DEFAULT_TIMEOUT": 600}},
    }


@contextmanager
def empty_redis(address: str) -> Iterator[str]:
    require(address)
    flush(address)
    try:
        yield address
    finally:
        flush(address)
