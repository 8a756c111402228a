"""The sample line's hook: it hears "sample_line.poked" (the probe announces it)."""

from typing import Any

HEARD: list[dict[str, Any]] = []


def on_poked(**payload: Any) -> None:
    HEARD.append(payload)
