"""Browser tests: the real server (`fawang run`, granian) on a fresh demo database, driven by
Playwright in Debian's Chromium. The database is SQLite, or PostgreSQL when FAWANG_DATABASE_URL
points there (a separate `fawang_e2e_<pid>` database is created and dropped)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _e2e_database_url(var_dir: str) -> tuple[str, str | None]:
    """A database URL for the server, and the admin URL to drop it with (PostgreSQL only)."""
    url = os.environ.get("FAWANG_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{var_dir}/e2e.sqlite3", None
    import psycopg

    # One database per run, so parallel runs on one server do not drop each other's.
    name = f"fawang_e2e_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}", url


def _wait_until_up(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer /healthz within 60 s")


@pytest.fixture(scope="session")
def live_platform() -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: `make browser` installs it")
    var_dir = tempfile.mkdtemp(prefix="fawang-e2e-")
    database_url, admin_url = _e2e_database_url(var_dir)
    env = {
        **os.environ,
        "FAWANG_MODE": "demo",
        "FAWANG_VAR_DIR": var_dir,
        "FAWANG_DATABASE_URL": database_url,
        "FAWANG_REPLICA_URL": "",  # its own database; the replica tests are tests/pg
        # `fawang demo` trains a topic model on the demo database: its own, not the suite's
        "FAWANG_CONSULT_MODEL_DIR": "",
        "DJANGO_SETTINGS_MODULE": "fawang.settings",
    }
    subprocess.run([str(BIN / "fawang"), "demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "fawang"), "run", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    # Playwright's sync API keeps an event loop running in this thread until the session ends,
    # and Django refuses database calls from such a thread; this worker goes on to the database
    # tests afterwards (they run first: tests/conftest.py). Subprocesses started later inherit
    # it: harmless for our synchronous code, but `check --deploy` refuses it, so
    # tests/core/test_deploy_checks.py leaves it out.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        _wait_until_up(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)
        if admin_url:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(
                    f"DROP DATABASE IF EXISTS {database_url.rsplit('/', 1)[1]} WITH (FORCE)"
                )


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
