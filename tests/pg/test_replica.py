"""Reads off the primary, against a real streaming replica (scripts/pg_replica.sh makes one on
port 5433; .ci/run starts it and sets FAWANG_REPLICA_URL)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import dj_database_url
import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fawang.core.models import Region, RegionLevel, User
from fawang.core.replica import (
    RECENT_WRITE_COOKIE,
    REPLICA,
    forget_replica_health,
    replica_lag_seconds,
    replica_reads,
    replica_usable,
)
from tests.conftest import BEIJING, CHAOYANG

# Without a replica configured there is no alias to name (and every test here skips).
pytestmark = pytest.mark.django_db(
    transaction=True,
    databases=["default", REPLICA] if REPLICA in django_settings.DATABASES else ["default"],
)


def _replica_url() -> str:
    url = os.environ.get("FAWANG_REPLICA_URL", "")
    if REPLICA not in django_settings.DATABASES or not url:
        if os.environ.get("FAWANG_REQUIRE_REPLICA") == "1":
            pytest.fail("FAWANG_REQUIRE_REPLICA=1 but no replica is configured")
        pytest.skip("no replica configured (FAWANG_REPLICA_URL; scripts/pg_replica.sh makes one)")
    return url


def _point_replica_at(**where: Any) -> None:
    connection = connections[REPLICA]
    connection.close()
    connection.settings_dict = {**connection.settings_dict, **where}
    forget_replica_health()


@pytest.fixture
def real_replica(settings: Any) -> Iterator[dict[str, Any]]:
    """The replica alias, which the test run mirrors onto the primary, pointed at the real
    standby's copy of this test database."""
    real = dj_database_url.parse(_replica_url())
    mirrored = connections[REPLICA].settings_dict
    settings.REPLICA_READS = True
    settings.REPLICA_CHECK_SECONDS = 0
    where = {
        "HOST": real["HOST"],
        "PORT": real["PORT"],
        "USER": real["USER"],
        "NAME": connections["default"].settings_dict["NAME"],
    }
    _point_replica_at(**where)
    # A transactional test's rows are flushed after it: two regions are all these tests need.
    beijing, _ = Region.objects.get_or_create(
        code=BEIJING, defaults={"name": "北京市", "level": RegionLevel.CITY}
    )
    Region.objects.get_or_create(
        code=CHAOYANG,
        defaults={"name": "朝阳区", "level": RegionLevel.DISTRICT, "parent": beijing},
    )
    yield where
    connections[REPLICA].close()
    connections[REPLICA].settings_dict = mirrored
    forget_replica_health()


def _until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the replica did not catch up in time"
        time.sleep(0.05)


def _tables(captured: CaptureQueriesContext) -> set[str]:
    """The tables a set of captured queries read (the replica's own lag check reads none)."""
    return {
        word.strip('"')
        for query in captured.captured_queries
        for word in query["sql"].split()
        if word.startswith('"') and "_" in word and "." not in word
    }


def _replica_has(code: str, name: str) -> bool:
    return Region.objects.using(REPLICA).filter(code=code, name=name).exists()


def test_marked_reads_go_to_the_replica_and_accounts_stay_on_the_primary(
    real_replica: dict[str, Any],
) -> None:
    chaoyang = Region.objects.get(code=CHAOYANG)
    _until(lambda: _replica_has(CHAOYANG, chaoyang.name))
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        with replica_reads():
            assert Region.objects.get(code=CHAOYANG).name == chaoyang.name
            User.objects.filter(username="nobody").exists()
        Region.objects.get(code=CHAOYANG)  # outside the block: the primary
    replica_sql = " ".join(query["sql"] for query in on_replica.captured_queries)
    primary_sql = " ".join(query["sql"] for query in on_primary.captured_queries)
    assert "core_region" in replica_sql
    assert "core_user" not in replica_sql
    assert "core_user" in primary_sql and "core_region" in primary_sql


def test_the_public_finder_reads_the_replica_unless_the_browser_just_wrote(
    real_replica: dict[str, Any], client: Client
) -> None:
    _until(lambda: _replica_has(CHAOYANG, "朝阳区"))
    page = f"/service-points/?district={CHAOYANG}"
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(page)
    assert response.status_code == 200
    assert "朝阳区" in response.content.decode()
    assert _tables(on_replica) >= {"core_region", "network_servicepoint"}

    client.cookies[RECENT_WRITE_COOKIE] = "1"  # what a POST in the last seconds leaves behind
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(page).status_code == 200
    assert _tables(on_replica) == set()


def test_a_post_marks_the_browser_to_read_the_primary_for_a_while(
    real_replica: dict[str, Any], client: Client, settings: Any
) -> None:
    response = client.post("/login/", {"phone": "13800000000", "password": "wrong-password"})
    assert response.cookies[RECENT_WRITE_COOKIE]["max-age"] == settings.REPLICA_STICKY_SECONDS


def test_a_replica_far_behind_is_passed_over_until_it_catches_up(
    real_replica: dict[str, Any], settings: Any
) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = 0.5
    chaoyang = Region.objects.get(code=CHAOYANG)
    _until(lambda: _replica_has(CHAOYANG, chaoyang.name))
    admin = (
        f"host={real_replica['HOST']} port={real_replica['PORT']} "
        f"user={real_replica['USER']} dbname={real_replica['NAME']}"
    )
    with psycopg.connect(admin, autocommit=True) as standby:
        standby.execute("SELECT pg_wal_replay_pause()")
        try:
            Region.objects.filter(pk=chaoyang.pk).update(name="朝阳区（改名）")
            _until(lambda: (replica_lag_seconds() or 0) > 0.5)
            forget_replica_health()
            assert not replica_usable()
            with replica_reads(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
                # The page shows what the primary holds, not the replica's stale copy.
                assert Region.objects.get(pk=chaoyang.pk).name == "朝阳区（改名）"
            assert _tables(on_replica) == set()
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")
    _until(lambda: _replica_has(CHAOYANG, "朝阳区（改名）"))

    def usable_again() -> bool:
        forget_replica_health()
        return replica_usable()

    _until(usable_again)  # replay has caught up with the rest of the suite's writes too


def test_a_replica_that_does_not_answer_is_passed_over(
    real_replica: dict[str, Any], client: Client
) -> None:
    _point_replica_at(PORT=1)  # nothing listens there
    assert not replica_usable()
    response = client.get("/service-points/")
    assert response.status_code == 200
    with replica_reads():
        assert Region.objects.filter(code=CHAOYANG).exists()
