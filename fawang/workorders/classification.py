"""The classifier hook: intake asks for topic suggestions and works without them.

``settings.WORKORDER_CLASSIFIER`` names a callable ``(text) -> {topic: probability}``; the
consultation module provides one. When it is unset, missing or fails, intake simply has no
suggestion — staff choose the topic as they always can.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from fawang.core.taxonomy import Topic

logger = logging.getLogger("fawang.workorders")


def _classifier() -> Callable[[str], dict[str, float]] | None:
    path = getattr(settings, "WORKORDER_CLASSIFIER", "")
    if not path:
        return None
    try:
        return import_string(path)
    except ImportError:
        logger.warning("topic classifier %s is not importable; intake continues without it", path)
        return None


def suggest_topics(text: str, top: int = 3) -> dict[str, float] | None:
    classifier = _classifier()
    if classifier is None:
        return None
    try:
        scores = classifier(text)
    except Exception:  # a broken classifier must never stop intake
        logger.exception("topic classifier failed")
        return None
    valid = {topic: float(p) for topic, p in scores.items() if topic in Topic.values}
    best = sorted(valid.items(), key=lambda item: -item[1])[:top]
    return {topic: round(p, 4) for topic, p in best}
