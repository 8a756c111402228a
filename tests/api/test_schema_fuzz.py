"""Property pass over the whole API (issue 12): schemathesis generates requests from the
reviewed schema (docs/openapi.json) — valid and malformed — and sends them through the WSGI
application with an integration token — as a hotline seat (who serves from a queue) and as a
district supervisor (who reads the figures, boards and reports a seat is refused). No input may
make a server error, and every refusal is JSON.

Bounded: a fixed seed (derandomized, so CI is repeatable) and a few examples per operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from fawang.core import services
from fawang.core.models import Role
from fawang.wsgi import application
from tests.conftest import BEIJING, CHAOYANG
from tests.factories import make_staff
from tests.workorders.helpers import build_world, new_order

SCHEMA = schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "docs/openapi.json")
EXAMPLES_PER_OPERATION = 8


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the requests run inside the test's transaction, so the
    request signals must not close the connection (schemathesis calls the WSGI app directly)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["seat", "district_supervisor"])
def caller_headers(request: pytest.FixtureRequest, db: None) -> dict[str, str]:
    world = build_world()
    new_order(world.seat)  # something to find, claim, reply to
    account = (
        world.seat
        if request.param == "seat"
        else make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    )
    security = make_staff(Role.SECURITY_ADMIN, region_code=BEIJING)
    token = services.issue_api_token(acting_user=security, account=account, name="fuzz")
    return {"Authorization": f"Bearer {token}"}


@SCHEMA.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_a_server_error(case: Any, caller_headers: dict[str, str]) -> None:
    response = case.call(app=application, headers=caller_headers)
    body = response.content[:300].decode("utf-8", errors="replace")
    where = f"{case.method} {case.formatted_path} → {response.status_code}: {body}"
    assert response.status_code < 500, where
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), where
        assert "message" in response.json(), where
