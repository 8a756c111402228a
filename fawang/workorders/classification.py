"""The classifier hook: intake asks for topic suggestions and works without them.

``settings.WORKORDER_CLASSIFIER`` names a callable ``(text) -> {topic: probability}``; the
consultation module provides one. When it is unset, missing or fails, intake simply has no
suggestion — staff choose the topic as they always can.

The suggestion is advice shown beside the order, so it is worked out after the order is committed
(:func:`suggest_pending_topics`, a periodic job), not while the caller waits: the classifier was a
third of the CPU of creating an order (docs/operations.md, "Cost of one order").
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from fawang.core.taxonomy import Topic
from fawang.workorders.models import WorkOrder

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


def enabled() -> bool:
    return bool(getattr(settings, "WORKORDER_CLASSIFIER", ""))


# A batch per run keeps one run short; a backlog drains over the next runs, oldest first.
SWEEP_BATCH = 500


def suggest_pending_topics(limit: int = SWEEP_BATCH) -> int:
    """Store the classifier's advice on orders that await it, oldest first; returns how many
    were looked at. Orders are created with ``suggested_topics`` NULL when a classifier is set
    (intake), and a periodic job runs this: one batch for many orders instead of one queued job
    per order, which was a tenth of the CPU of creating one (docs/operations.md).

    Only the advisory ``suggested_topics`` column is written: the order's topic, status and
    history are the services' and stay untouched, so no event or audit entry is due. An order
    the classifier cannot judge gets ``{}``, so it is not looked at again."""
    pending = list(
        WorkOrder.objects.filter(suggested_topics__isnull=True)
        .order_by("id")
        .values_list("pk", "title", "description")[:limit]
    )
    for pk, title, description in pending:
        suggestion = suggest_topics(f"{title}\n{description}") or {}
        WorkOrder.objects.filter(pk=pk, suggested_topics__isnull=True).update(
            suggested_topics=suggestion
        )
    return len(pending)
