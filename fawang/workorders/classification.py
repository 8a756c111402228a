"""The classifier hook: intake asks for topic suggestions and works without them.

``settings.WORKORDER_CLASSIFIER`` names a callable ``(text) -> {topic: probability}``; the
consultation module provides one. When it is unset, missing or fails, intake simply has no
suggestion — staff choose the topic as they always can.

The suggestion is advice shown beside the order, so it is worked out by a job after the order is
committed (:func:`suggest_topics_for_order`), not while the caller waits: the classifier was a
third of the CPU of creating an order (docs/operations.md, "Cost of one order").
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task

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


@task()
def suggest_topics_for_order(order_id: int) -> bool:
    """Store the classifier's advice on an order (queued by intake after the commit).

    Only the advisory ``suggested_topics`` column is written: the order's topic, status and
    history are the services' and stay untouched, so no event or audit entry is due."""
    order = WorkOrder.objects.filter(pk=order_id).only("title", "description").first()
    if order is None:
        return False
    suggestion = suggest_topics(f"{order.title}\n{order.description}")
    if not suggestion:
        return False
    WorkOrder.objects.filter(pk=order_id).update(suggested_topics=suggestion)
    return True
