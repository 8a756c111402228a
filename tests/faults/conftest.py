"""Fault tests: real processes (`fawang run`, `fawang worker`) on a database of their own, which
the test then hurts — kill -9, a held lock, dropped connections — and checks what was kept.

SQLite by default, PostgreSQL when FAWANG_DATABASE_URL points there (a `fawang_fault_<pid>`
database, created and dropped). Everything is on 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
SETUP_MARK = "FAULT-SETUP "

# A seat with an integration token, in a district centre: enough to create hotline orders.
SETUP_SCRIPT = """
import json
from fawang.core.models import Institution, InstitutionKind, Region, Role, User
from fawang.core.services import issue_api_token
district = Region.objects.get(code="110105000000")
centre = Institution.objects.create(
    name="朝阳区公共法律服务中心", kind=InstitutionKind.SERVICE_CENTRE, region=district
)
seat = User(username="fault-seat", role=Role.HOTLINE_SEAT, full_name="坐席", region=district,
            institution=centre)
seat.set_unusable_password()
seat.save()
admin = User(username="fault-admin", role=Role.SECURITY_ADMIN, full_name="安全管理员",
             region=district.parent)
admin.set_unusable_password()
admin.save()
token = issue_api_token(acting_user=admin, account=seat, name="fault test")
townships = list(Region.objects.filter(parent=district).values_list("code", flat=True)[:5])
print("FAULT-SETUP " + json.dumps({"token": token, "regions": townships}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Platform:
    """A migrated database with regions, a seat and a token; helpers to run `fawang` on it."""

    var_dir: Path
    database_url: str
    token: str = ""
    regions: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_file(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "FAWANG_MODE": "demo",
            "FAWANG_VAR_DIR": str(self.var_dir),
            "FAWANG_DATABASE_URL": self.database_url,
            "FAWANG_REPLICA_URL": "",  # its own database; the replica tests are tests/pg
            "DJANGO_SETTINGS_MODULE": "fawang.settings",
            "PYTHONPATH": str(ROOT),
            **extra,
        }

    def fawang(self, *args: str, timeout: float = 300, **extra: str) -> str:
        step = subprocess.run(
            [str(BIN / "fawang"), *args],
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )
        if step.returncode != 0:
            raise RuntimeError(
                f"fawang {args[0]} failed:\n{step.stdout[-2000:]}{step.stderr[-3000:]}"
            )
        return step.stdout

    def start(self, *args: str, log: str, **extra: str) -> subprocess.Popen[bytes]:
        handle = (self.var_dir / log).open("wb")
        process = subprocess.Popen(
            [str(BIN / "fawang"), *args],
            env=self.env(**extra),
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.var_dir / name).read_text(encoding="utf-8", errors="replace")

    def shell(self, code: str, **extra: str) -> str:
        return self.fawang("shell", "-c", code, **extra)

    def query(self, code: str) -> Any:
        """Run Python in `fawang shell` on this database; it prints one JSON value last."""
        out = self.shell(code).strip().splitlines()
        return json.loads(out[-1])


def _database_url(var_dir: Path) -> tuple[str, str | None]:
    url = os.environ.get("FAWANG_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{var_dir}/fault.sqlite3", None
    import psycopg

    name = f"fawang_fault_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}", url


@pytest.fixture(scope="session")
def platform_template() -> Iterator[Platform]:
    """Migrated once per run (the fault tests share one worker); each test gets a copy (SQLite)
    or a fresh clone (PostgreSQL)."""
    var_dir = Path(tempfile.mkdtemp(prefix="fawang-fault-"))
    url, admin_url = _database_url(var_dir)
    platform = Platform(var_dir, url)
    platform.fawang("migrate", "--no-input", "-v0")
    platform.fawang("load-regions", "--city", "beijing")
    out = platform.shell(SETUP_SCRIPT)
    setup = json.loads(out.split(SETUP_MARK, 1)[1].splitlines()[0])
    platform.token, platform.regions = setup["token"], setup["regions"]
    yield platform
    if admin_url:
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


@pytest.fixture
def platform(platform_template: Platform) -> Iterator[Platform]:
    var_dir = Path(tempfile.mkdtemp(prefix="fawang-fault-run-"))
    for secret in ("secret_key", "data_key"):
        (var_dir / secret).write_text((platform_template.var_dir / secret).read_text())
    if platform_template.is_sqlite:
        copy = var_dir / "fault.sqlite3"
        copy.write_bytes(platform_template.sqlite_file.read_bytes())
        url = f"sqlite:///{copy}"
    else:
        import psycopg

        template = platform_template.database_url.rsplit("/", 1)[1]
        name = f"{template}_run"
        admin = platform_template.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        url = platform_template.database_url.rsplit("/", 1)[0] + f"/{name}"
    running = Platform(var_dir, url, platform_template.token, platform_template.regions)
    yield running
    for process in running.processes:
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait(timeout=10)
    if not platform_template.is_sqlite:  # the clone is this test's alone: leave no database behind
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wait_for(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def http_up(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def drop_connections_for(platform: Platform, seconds: float, every: float = 0.2) -> None:
    """PostgreSQL restarting, as its clients see it: every connection cut, again and again."""
    import psycopg

    name = platform.database_url.rsplit("/", 1)[1]
    admin = platform.database_url.rsplit("/", 1)[0] + "/postgres"
    deadline = time.monotonic() + seconds
    with psycopg.connect(admin, autocommit=True) as connection:
        while time.monotonic() < deadline:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            time.sleep(every)
