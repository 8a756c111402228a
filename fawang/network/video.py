"""Remote video service (BJ-34 远程视频云服务) behind a small interface, like SMS (core.sms).

A backend opens a room for a session and closes it. ``LocalVideoBackend`` (the default) makes a
local room and appends each open/close to ``<var>/video-sessions.jsonl``; it sends no media. A
real video cloud is plugged in with ``settings.NETWORK_VIDEO_BACKEND`` (docs/network.md, "Plugging
in a real video service").
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Room:
    room: str
    join_url: str


class VideoBackend(Protocol):
    name: str

    def open_room(self, key: str, topic: str) -> Room: ...

    def close_room(self, room: str) -> None: ...


def log_path() -> Path:
    return Path(settings.VAR_DIR) / "video-sessions.jsonl"


class LocalVideoBackend:
    """Records sessions in a local file; the join address is the platform's own session page."""

    name = "local"

    def _write(self, record: dict[str, str]) -> None:
        record["at"] = timezone.now().isoformat()
        with log_path().open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def open_room(self, key: str, topic: str) -> Room:
        room = f"local-{secrets.token_hex(6)}"
        self._write({"event": "open", "key": key, "room": room})
        return Room(room=room, join_url=f"/service-points/video/{room}")

    def close_room(self, room: str) -> None:
        self._write({"event": "close", "room": room})


def backend() -> VideoBackend:
    path = getattr(settings, "NETWORK_VIDEO_BACKEND", "fawang.network.video.LocalVideoBackend")
    cls = import_string(path)
    return cls()
