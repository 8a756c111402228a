"""Lawyer-line use cases. Each verb checks who acts, validates, writes in one transaction and
audits. Rules and their sources are in docs/lawyers.md.

One module per use case; this package re-exports their public names."""

from __future__ import annotations

from fawang.lawyers.services._common import (
    FIRM_KINDS,
    MAX_HOURS_PER_ACTIVITY,
    PERSON_KINDS,
    is_firm_admin,
    own_practitioner,
    supervises,
)
from fawang.lawyers.services.credit import (
    appeal_credit,
    correct_credit,
    decide_appeal,
    record_credit,
)
from fawang.lawyers.services.groups import (
    confirm_hours,
    create_activity,
    create_group,
    log_hours,
    pair_firms,
    record_placement,
)
from fawang.lawyers.services.profiles import save_firm_profile, save_lawyer_profile
from fawang.lawyers.services.review import confirmed_hours, record_review
from fawang.lawyers.services.rights import answer_report, escalate_overdue, report_obstruction

__all__ = [
    "FIRM_KINDS",
    "MAX_HOURS_PER_ACTIVITY",
    "PERSON_KINDS",
    "answer_report",
    "appeal_credit",
    "confirm_hours",
    "confirmed_hours",
    "correct_credit",
    "create_activity",
    "create_group",
    "decide_appeal",
    "escalate_overdue",
    "is_firm_admin",
    "log_hours",
    "own_practitioner",
    "pair_firms",
    "record_credit",
    "record_placement",
    "record_review",
    "report_obstruction",
    "save_firm_profile",
    "save_lawyer_profile",
    "supervises",
]
