"""Where the consultation engine keeps what it builds (``<VAR_DIR>/consult/``: the retrieval
index, the classifier), how it writes those files, and the checksums that decide when they are
rebuilt."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings


def artifact_dir() -> Path:
    path = Path(settings.VAR_DIR) / "consult"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _atomic_dump(value: Any, path: Path) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    joblib.dump(value, tmp, compress=3)
    os.replace(tmp, path)


def _sha(*parts: object) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()
