"""`fawang up` keeps its parts running; the demo shows the texts it would send (issue 13, 1)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from fawang.core.management.commands.up import MAX_RESTARTS_PER_MINUTE, Supervisor
from fawang.core.sms import FileSmsBackend


def test_a_part_that_exits_is_started_again_and_a_crash_loop_stops_everything() -> None:
    said: list[str] = []
    supervisor = Supervisor(
        {"后台任务": [sys.executable, "-c", "raise SystemExit(3)"]}, said.append
    )
    supervisor.start_all()
    for _ in range(MAX_RESTARTS_PER_MINUTE):
        supervisor.running["后台任务"].wait(timeout=30)
        supervisor.check()
    assert said.count("后台任务已退出（代码 3），正在重新启动。") == MAX_RESTARTS_PER_MINUTE
    supervisor.running["后台任务"].wait(timeout=30)
    with pytest.raises(SystemExit) as stopped:
        supervisor.check()
    assert stopped.value.code == 1 and "反复退出" in said[-2]


@pytest.mark.django_db
def test_the_demo_inbox_shows_the_code_with_the_number_masked(client: Client) -> None:
    Path(settings.VAR_DIR, "sms-outbox.jsonl").unlink(missing_ok=True)
    FileSmsBackend().send("13911112222", "【法网】您的验证码是123456", key="k1")
    page = client.get("/demo/sms/").content.decode()
    assert "您的验证码是123456" in page
    assert "139****2222" in page and "13911112222" not in page
    assert "演示短信收件箱" in client.get("/register").content.decode()


@pytest.mark.django_db
@override_settings(MODE="production")
def test_production_has_no_demo_inbox(client: Client) -> None:
    assert client.get("/demo/sms/").status_code == 404
    assert "演示短信收件箱" not in client.get("/register").content.decode()
