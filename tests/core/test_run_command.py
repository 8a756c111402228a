"""``fawang run``: the production server is started only on a free port."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def started(monkeypatch: Any) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, args: calls.append(list(args)))
    return calls


def test_a_second_server_on_a_taken_port_is_refused(started: list[list[str]]) -> None:
    with socket.socket() as running:
        running.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # as granian listens
        running.bind(("127.0.0.1", 0))
        running.listen()
        port = running.getsockname()[1]
        with pytest.raises(CommandError, match=f"端口 {port} 已被占用"):
            call_command("run", port=port)
    assert started == []


def test_the_server_starts_on_a_free_port(started: list[list[str]]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    call_command("run", port=port, workers=3)
    assert len(started) == 1
    command = started[0]
    assert command[command.index("--port") + 1] == str(port)
    assert command[command.index("--workers") + 1] == "3"
