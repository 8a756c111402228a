"""Where the consultation engine keeps what it builds (``<VAR_DIR>/consult/``: the retrieval
index, the classifier), how it writes those files, and the checksums that decide when they are
rebuilt."""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

SUFFIX = ".pickle"


def artifact_dir() -> Path:
    path = Path(settings.VAR_DIR) / "consult"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(value: Any, path: Path) -> None:
    """Write ``value`` to ``path`` whole or not at all (a reader never sees half a file)."""
    # plain pickle, uncompressed: read back by the C unpickler it loads in a fifth of the time
    # joblib's compressed file took (joblib unpickles in Python) — start-up of every process
    # and of each `consult ask` run
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    path.with_suffix(".joblib").unlink(missing_ok=True)  # what versions before 2026-12 wrote


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Held by one process at a time (a lock file beside ``path``): what one process builds, the
    others waiting here then read instead of building it again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def load(path: Path) -> Any:
    """What ``save`` wrote. Only files this process's own var directory holds are read."""
    with open(path, "rb") as file:
        return pickle.load(file)


def _sha(*parts: object) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()
