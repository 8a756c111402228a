"""Reference data kept in memory per process (core.generations) never outlives a change: made
through the services, made by another process, or rolled back."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fawang.core.generations import API_ACCOUNTS, REGIONS, current_token, tokens_read_once
from fawang.core.models import ApiToken, CacheGeneration, Region, Role, User
from fawang.core.services import issue_api_token, region_by_code, revoke_api_token
from fawang.workorders.models import DispatchRule
from fawang.workorders.services import save_dispatch_rule
from fawang.workorders.services.routing import DISPATCH_RULES, matching_rule
from tests.conftest import CHAOYANG
from tests.factories import make_institution, make_staff, region
from tests.workorders.helpers import JIANWAI, build_world, new_order

pytestmark = pytest.mark.django_db


def _as_if_another_process_committed(name: str) -> None:
    """What another server process's change leaves behind: a new token in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CacheGeneration._meta.db_table} SET token = %s WHERE name = %s",
            ["another-process", name],
        )


def test_a_region_changed_by_another_process_is_seen_at_the_next_lookup() -> None:
    assert region_by_code(JIANWAI).name == "建外街道"
    # A bulk write sends no signal, so this process's memory is not told...
    Region.objects.filter(code=JIANWAI).update(name="建国门外街道")
    assert region_by_code(JIANWAI).name == "建外街道"
    # ...until the writer's token arrives, as every writer of regions leaves one.
    _as_if_another_process_committed(REGIONS)
    assert region_by_code(JIANWAI).name == "建国门外街道"


def test_a_lookup_hands_out_a_copy_not_the_kept_region() -> None:
    first = region_by_code(JIANWAI)
    first.name = "改过的名字"
    assert region_by_code(JIANWAI).name == "建外街道"


def test_a_rule_saved_by_the_district_routes_the_next_order() -> None:
    world = build_world()
    assert new_order(world.seat).institution == world.centre
    night_desk = make_institution(CHAOYANG, "service_centre", name="朝阳区夜间值班中心")
    save_dispatch_rule(
        acting_user=world.supervisor,
        region=region(JIANWAI),
        institution=night_desk,
        topic="debt",
    )
    assert new_order(world.seat).institution == night_desk


def test_a_rolled_back_rule_never_routes_an_order() -> None:
    world = build_world()
    elsewhere = make_institution(CHAOYANG, "service_centre", name="朝阳区临时中心")
    with transaction.atomic():
        DispatchRule.objects.create(region=region(JIANWAI), institution=elsewhere)
        routed = matching_rule("consultation", "debt", region(JIANWAI))
        assert routed is not None and routed.institution == elsewhere
        transaction.set_rollback(True)
    routed = matching_rule("consultation", "debt", region(JIANWAI))
    assert routed is not None and routed.institution == world.centre
    assert new_order(world.seat).institution == world.centre


def test_a_rule_deactivated_by_another_process_stops_routing() -> None:
    world = build_world()
    assert new_order(world.seat).status == "queued"
    DispatchRule.objects.filter(institution=world.centre).update(active=False)
    _as_if_another_process_committed(DISPATCH_RULES)
    unrouted = new_order(world.seat)
    assert (unrouted.status, unrouted.institution) == ("new", None)


def _telephony_of(seat: User) -> tuple[Client, ApiToken, User]:
    """An integration calling as ``seat``, once answered (so its token is kept in memory)."""
    admin = make_staff(Role.SECURITY_ADMIN, region_code=CHAOYANG)
    token = issue_api_token(acting_user=admin, account=seat, name="话务系统")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/workorders").status_code == 200
    return client, seat.api_tokens.get(), admin


def test_a_revoked_token_is_refused_at_once() -> None:
    client, api_token, admin = _telephony_of(build_world().seat)
    revoke_api_token(acting_user=admin, api_token=api_token)
    assert client.get("/api/v1/workorders").status_code == 401


def test_a_deactivated_account_loses_its_token_at_once() -> None:
    seat = build_world().seat
    client, _, _ = _telephony_of(seat)
    seat.is_active = False
    seat.save()
    assert client.get("/api/v1/workorders").status_code == 401


def test_a_database_without_tokens_starts_a_generation() -> None:
    CacheGeneration.objects.all().delete()
    token = current_token(API_ACCOUNTS)
    assert CacheGeneration.objects.get(name=API_ACCOUNTS).token == token
    assert current_token(API_ACCOUNTS) == token


def test_a_request_reads_its_tokens_once_and_rereads_after_its_own_change() -> None:
    """Within one request (tokens_read_once) the tokens are one query; a change made in it is
    seen by what the same request reads afterwards."""
    assert region_by_code(JIANWAI).name == "建外街道"
    names = (REGIONS, API_ACCOUNTS, DISPATCH_RULES)
    before = {name: current_token(name) for name in names}  # each started once
    with tokens_read_once(), CaptureQueriesContext(connection) as queries:
        assert {name: current_token(name) for name in names} == before
        read = [q for q in queries.captured_queries if "core_cachegeneration" in q["sql"]]
        assert len(read) == 1
        region = Region.objects.get(code=JIANWAI)
        region.name = "建国门外街道"
        region.save()  # bumps REGIONS by signal
        assert region_by_code(JIANWAI).name == "建国门外街道"


def test_creating_a_hotline_order_reads_the_tokens_once() -> None:
    client, _, _ = _telephony_of(build_world().seat)
    call = {
        "call_id": "GEN-ONCE-1",
        "caller_number": "13900001111",
        "business_line": "consultation",
        "topic": "debt",
        "description": "朋友借钱不还怎么办？",
        "requester_name": "来电人",
        "region_code": JIANWAI,
    }
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(
            "/api/v1/workorders/hotline-calls", call, content_type="application/json"
        )
    assert answer.status_code == 201, answer.content
    reads = [q for q in queries.captured_queries if "core_cachegeneration" in q["sql"]]
    assert len(reads) == 1
