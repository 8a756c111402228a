"""Video notarisation behind an interface, like SMS: the configured backend opens and closes a
session; the platform records start, end, participants and the recording reference.

``FAWANG_NOTARY_VIDEO_BACKEND`` (setting ``NOTARY_VIDEO_BACKEND``) names the class; the default
``LocalVideoBackend`` records sessions without a media server (development, tests, demo). A real
backend (the city's 远程视频公证 platform) implements the same two methods: ``open`` returns the
room identifier and the join link for the participants, ``close`` returns the reference of the
stored recording, which the office keeps with the file (see docs/notary.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Room:
    room: str
    join_url: str


class VideoBackend(Protocol):
    name: str

    def open(self, reference: str, participants: list[str]) -> Room: ...

    def close(self, room: str) -> str: ...


class LocalVideoBackend:
    """Records the session in the database only; the "recording" is a local reference."""

    name = "local"

    def open(self, reference: str, participants: list[str]) -> Room:
        room = f"local-{reference}-{uuid.uuid4().hex[:8]}"
        return Room(room=room, join_url=f"/notary/video/{room}")

    def close(self, room: str) -> str:
        return f"local-recording:{room}"


def video_backend() -> VideoBackend:
    path = getattr(settings, "NOTARY_VIDEO_BACKEND", "fawang.notary.video.LocalVideoBackend")
    backend: VideoBackend = import_string(path)()
    return backend
