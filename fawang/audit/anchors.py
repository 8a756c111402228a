"""Anchoring the chain head outside the database: an append-only file of signed checkpoints.

After each sealing run the sealer appends ``{"sequence", "hash", "at", "mac"}`` to
``settings.AUDIT_ANCHOR_FILE``. ``verify`` checks each anchor's MAC and that the database still
holds that seal with that hash: deleting the newest events with their seals and rolling the head
back, which the chain alone cannot see, breaks the anchor. In production the file belongs on
storage the database administrators cannot rewrite (a WORM volume, or shipped to the log
collector as it is written) — docs/operations.md.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fawang.audit.keys import mac, same


@dataclass(frozen=True)
class Anchor:
    line: int
    sequence: int
    chain_hash: str


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def _signed(sequence: int, chain_hash: str, at: str) -> str:
    return mac(b"anchor", str(sequence).encode(), chain_hash.encode(), at.encode())


def append_anchor(sequence: int, chain_hash: str) -> None:
    at = timezone.now().isoformat()
    line = json.dumps(
        {
            "sequence": sequence,
            "hash": chain_hash,
            "at": at,
            "mac": _signed(sequence, chain_hash, at),
        }
    )
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write of one line with O_APPEND: two sealers never interleave inside a line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)


def read_anchors() -> tuple[list[Anchor], list[str]]:
    """The anchors whose MAC holds, newest sequence last, and a problem per line that fails."""
    path = anchor_path()
    if not path.exists():
        return [], []
    anchors: list[Anchor] = []
    problems: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                entry = json.loads(raw)
                sequence, chain_hash = int(entry["sequence"]), str(entry["hash"])
                valid = same(_signed(sequence, chain_hash, str(entry["at"])), str(entry["mac"]))
            except (ValueError, KeyError, TypeError):
                valid = False
            if not valid:
                problems.append(f"锚点文件第 {number} 行无法核验（被修改或损坏）")
                continue
            anchors.append(Anchor(number, sequence, chain_hash))
    anchors.sort(key=lambda anchor: anchor.sequence)
    return anchors, problems
