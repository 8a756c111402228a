"""村(居)法律顾问 use cases: appointment, adjustment and exit; the ledger against the service
list; villagers' bookings with SMS confirmation and reminder; notices; ratings and the quarter's
committee and township scores; training; 法律明白人 and the matters they raise. Each verb checks
who acts, validates, writes in one transaction, audits and queues its SMS after the commit.

One module per use case; this package re-exports their public names."""

from __future__ import annotations

from fawang.advisers.services._common import (
    ADVISER_KINDS,
    BOOKING_HORIZON_DAYS,
    MAX_TEXT,
    REMINDER_AHEAD,
    active_adviser,
    serves,
)
from fawang.advisers.services.appointments import adjust, appoint, end_appointment
from fawang.advisers.services.bookings import book, cancel_booking, rate, send_reminders
from fawang.advisers.services.ledger import ServiceIn, record_service
from fawang.advisers.services.liaisons import (
    add_liaison,
    liaison_leaves,
    raise_matter,
    record_households,
)
from fawang.advisers.services.notices import mark_read, opt_in, push_notice
from fawang.advisers.services.scores import score_quarter
from fawang.advisers.services.training import record_training

__all__ = [
    "ADVISER_KINDS",
    "BOOKING_HORIZON_DAYS",
    "MAX_TEXT",
    "REMINDER_AHEAD",
    "ServiceIn",
    "active_adviser",
    "add_liaison",
    "adjust",
    "appoint",
    "book",
    "cancel_booking",
    "end_appointment",
    "liaison_leaves",
    "mark_read",
    "opt_in",
    "push_notice",
    "raise_matter",
    "rate",
    "record_households",
    "record_service",
    "record_training",
    "score_quarter",
    "send_reminders",
    "serves",
]
