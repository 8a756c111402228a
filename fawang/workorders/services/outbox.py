"""The 12345 outbox: delivering status updates to the city hotline, with retries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from fawang.workorders.exchange import exchange_backend
from fawang.workorders.models import ExchangeMessage, OutboxStatus

# --- the 12345 outbox ---------------------------------------------------------------------

MAX_EXCHANGE_ATTEMPTS = 12


def deliver_exchange_messages(now: datetime | None = None, limit: int = 100) -> int:
    """Send due 12345 updates, oldest first, each order's updates in their order.

    A failure is retried with growing back-off and holds back that order's later updates. A
    message is marked sent in the transaction that locked it, so no run sends it twice.
    """
    now = now or timezone.now()
    backend = exchange_backend()
    delivered = 0
    with transaction.atomic():
        pending = ExchangeMessage.objects.filter(status=OutboxStatus.PENDING)
        held_back = set(pending.filter(next_attempt_at__gt=now).values_list("order_id", flat=True))
        due = pending.filter(next_attempt_at__lte=now).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for message in list(due[:limit]):
            if message.order_id in held_back:
                continue
            message.attempts += 1
            try:
                backend.send(message.payload)
            except Exception as error:  # any failure of the far side means "try again later"
                message.last_error = str(error)[:500]
                message.next_attempt_at = now + timedelta(minutes=min(2**message.attempts, 1440))
                if message.attempts >= MAX_EXCHANGE_ATTEMPTS:
                    message.status = OutboxStatus.FAILED
                message.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
                held_back.add(message.order_id)
                continue
            message.status, message.sent_at = OutboxStatus.SENT, now
            message.save(update_fields=["attempts", "status", "sent_at"])
            delivered += 1
    return delivered
