"""The request's first query (the generation tokens) stands in for Django's connection health
check: no extra ``SELECT 1`` per request, and a connection the server dropped is still replaced."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import connection, connections

from fawang.core.generations import REGIONS, current_token, tokens_read_once


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every health probe Django sends (``is_usable``: a ``SELECT 1``), with its answer."""
    seen: list[bool] = []
    wrapper = type(connections["default"])
    original = wrapper.is_usable

    def counted(self: Any) -> bool:
        usable = bool(original(self))
        seen.append(usable)
        return usable

    monkeypatch.setattr(wrapper, "is_usable", counted)
    return seen


def _new_request() -> None:
    """What Django does at the start of every request for a kept connection."""
    connection.close_if_unusable_or_obsolete()
    connection.health_check_done = False


@pytest.mark.django_db(transaction=True)
def test_a_healthy_connection_is_not_probed_before_the_token_read(probes: list[bool]) -> None:
    connection.ensure_connection()
    _new_request()
    with tokens_read_once():
        assert current_token(REGIONS)
    assert probes == []
    assert connection.health_check_done


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_and_the_request_goes_on(
    probes: list[bool],
) -> None:
    connection.ensure_connection()
    before = current_token(REGIONS)
    dropped = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [dropped])
    _new_request()

    with tokens_read_once():
        assert current_token(REGIONS) == before
    assert connection.connection.info.backend_pid != dropped
    assert probes == [False]  # asked only once the read had failed
