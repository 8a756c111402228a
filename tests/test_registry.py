"""The business-line registry: a line is its folder plus one INSTALLED_APPS line.

A minimal line lives in tests/sample_line; a separate process starts the platform with it
installed (tests/sample_line/settings.py) and reports what the URLs, the API, the navigation, the
demo, the scheduler and the indicator counters found of it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from fawang.core import registry

ROOT = Path(__file__).resolve().parent.parent


def test_an_installed_line_reaches_every_part_of_the_platform(tmp_path: Path) -> None:
    env = {**os.environ, "FAWANG_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.sample_line.probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["url"] == "/sample/work"
    assert found["api"] == ["/api/v1/sample-line/ping"]
    assert "sample_line:work" in found["notary_nav"]  # the role it names sees it
    assert "sample_line:work" not in found["lawyer_nav"]  # another role does not
    assert "sample_line:work" in found["portal_nav"]
    assert found["demo"] == {"sample_line": {"widgets": 3}}
    assert found["counters"] == ["sample_line.widgets"]
    assert found["jobs"] == ["sample_line.tick"]
    assert found["events"] and found["codes"]
    assert found["hooks"] == {"queued": 1, "heard": [{"widget": 7, "colour": "蓝"}]}


def test_without_it_the_platform_does_not_know_it() -> None:
    assert "sample_line" not in {d.name for d in registry.declarations()}


def test_the_installed_lines_declare_themselves() -> None:
    lines = {d.name for d in registry.business_lines()}
    assert {"workorders", "consult", "legalaid", "mediation", "indicators", "network"} <= lines
    assert {"core", "console", "portal"}.isdisjoint(lines)


def test_the_assembly_points_name_no_business_line() -> None:
    """urls, API, demo, scheduler and indicator fill iterate the registry: no list of lines."""
    assembly = [
        "fawang/urls.py",
        "fawang/api/api.py",
        "fawang/core/management/commands/demo.py",
        "fawang/core/scheduling.py",
        "fawang/indicators/fill.py",
        "fawang/indicators/counters.py",
        "fawang/console/templates/console/base.html",
        "fawang/portal/templates/portal/base.html",
    ]
    for name in assembly:
        text = (ROOT / name).read_text(encoding="utf-8")
        for line in ("workorders", "consult", "legalaid", "mediation", "network"):
            assert line not in text, f"{name} names the business line {line!r}"


HEARD: list[tuple[str, dict[str, Any]]] = []


def first_handler(**payload: Any) -> None:
    HEARD.append(("first", payload))


def failing_handler(**payload: Any) -> None:
    HEARD.append(("failing", payload))
    raise RuntimeError("handler broke")


def last_handler(**payload: Any) -> None:
    HEARD.append(("last", payload))


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two declarations hearing "x.happened", one of whose handlers fails."""
    here = "tests.test_registry"
    lines = (
        registry.Declaration(
            name="one",
            label="一",
            hooks={"x.happened": (f"{here}:first_handler", f"{here}:failing_handler")},
        ),
        registry.Declaration(
            name="two", label="二", hooks={"x.happened": (f"{here}:last_handler",)}
        ),
        registry.Declaration(name="three", label="三"),
    )
    monkeypatch.setattr(registry, "declarations", lambda: lines)
    HEARD.clear()
    yield
    HEARD.clear()


@pytest.mark.django_db
def test_notify_reaches_every_declared_handler_only_after_the_commit(
    hooked: None, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="fawang.hooks"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        assert registry.notify("x.happened", n=1) == 3
        assert HEARD == []  # nothing before the commit
    # in INSTALLED_APPS order; the failing one does not stop the one after it
    assert [name for name, _ in HEARD] == ["first", "failing", "last"]
    assert all(payload == {"n": 1} for _, payload in HEARD)
    assert any("failing_handler" in r.getMessage() for r in caplog.records)
    assert registry.notify("nobody.listens") == 0


@pytest.mark.django_db
def test_a_rolled_back_change_notifies_nobody(
    hooked: None, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValueError),
        transaction.atomic(),
    ):
        registry.notify("x.happened", n=2)
        raise ValueError("rolled back")
    assert HEARD == []
