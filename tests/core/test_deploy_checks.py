"""`fawang check` refuses what would fail later or expose the platform; production sends HSTS and
redirects to HTTPS behind the proxy (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
GOOD_KEY = "ab" * 32


def _check(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    var_dir = tempfile.mkdtemp(prefix="fawang-check-")
    settings_env = {
        key: value
        for key, value in os.environ.items()
        # the browser tests' worker sets DJANGO_ALLOW_ASYNC_UNSAFE (tests/e2e/conftest.py)
        if not key.startswith("FAWANG_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [str(BIN / "fawang"), "check", *args],
        env={
            **settings_env,
            "DJANGO_SETTINGS_MODULE": "fawang.settings",
            "FAWANG_VAR_DIR": var_dir,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_data_key_that_cannot_encrypt_fails_the_check() -> None:
    result = _check(FAWANG_DATA_KEY="abc")
    assert result.returncode != 0 and "core.E001" in result.stderr


def test_production_refuses_debug_and_weak_keys() -> None:
    result = _check(
        FAWANG_MODE="production",
        FAWANG_DEBUG="1",
        FAWANG_SECRET_KEY="short",
        FAWANG_DATA_KEY="this is not hex but long enough",
    )
    assert result.returncode != 0
    for code in ("core.E002", "core.E003", "core.E004"):
        assert code in result.stderr, result.stderr


def test_a_sound_production_configuration_passes_the_deploy_check() -> None:
    result = _check(
        "--deploy",
        FAWANG_MODE="production",
        FAWANG_SECRET_KEY="k" * 20 + "Z9-x" * 10,
        FAWANG_DATA_KEY=GOOD_KEY,
        FAWANG_ALLOWED_HOSTS="fw.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    # HSTS sent and HTTPS enforced; W005/W021 (subdomains, preload) are the bureau's choice.
    output = result.stdout + result.stderr
    assert "W004" not in output and "W008" not in output, output
