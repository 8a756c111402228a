"""Mediation use cases: disputes in (citizen, hand-off, screening), assignment, sessions,
outcomes, follow-up, judicial confirmation, committee people, screening and early warning.

Every verb validates first, then changes state inside one transaction, checks the transition
against ``models.TRANSITIONS`` and writes one audit event.

One module per use case — ``disputes``, ``sessions``, ``people``, ``screening``, ``warning`` —
with shared helpers in ``_common``; this package re-exports their public names.
"""

from __future__ import annotations

from fawang.mediation.services._common import (
    BUREAU_ROLES,
    DISPUTE_TRANSITIONS,
    MAX_NOTE,
    MAX_TEXT,
    VERB_LABELS,
    is_committee_head,
    practitioner_of,
)
from fawang.mediation.services.disputes import (
    HANDOFF_ROLES,
    REFERRAL_SOURCE,
    TOPIC_FOR_TYPE,
    DisputeIn,
    PartyIn,
    apply_for_mediation,
    assign_dispute,
    committee_for_region,
    hand_off_dispute,
)
from fawang.mediation.services.people import (
    MemberIn,
    add_to_talent_pool,
    elect_committee,
    open_featured_room,
    record_training,
    set_membership,
)
from fawang.mediation.services.screening import (
    RiskIn,
    complete_screening,
    declare_key_period,
    dispute_from_risk,
    generate_screenings,
    may_screen,
)
from fawang.mediation.services.sessions import (
    REFERRAL_ADVICE,
    AgreementIn,
    follow_up_performance,
    record_agreement,
    record_confirmation_answer,
    record_failure,
    record_session,
    request_judicial_confirmation,
)
from fawang.mediation.services.warning import (
    detect_spikes,
    is_spike,
    township_of,
    weekly_counts,
)

__all__ = [
    "BUREAU_ROLES",
    "DISPUTE_TRANSITIONS",
    "HANDOFF_ROLES",
    "MAX_NOTE",
    "MAX_TEXT",
    "REFERRAL_ADVICE",
    "REFERRAL_SOURCE",
    "TOPIC_FOR_TYPE",
    "VERB_LABELS",
    "AgreementIn",
    "DisputeIn",
    "MemberIn",
    "PartyIn",
    "RiskIn",
    "add_to_talent_pool",
    "apply_for_mediation",
    "assign_dispute",
    "committee_for_region",
    "complete_screening",
    "declare_key_period",
    "detect_spikes",
    "dispute_from_risk",
    "elect_committee",
    "follow_up_performance",
    "generate_screenings",
    "hand_off_dispute",
    "is_committee_head",
    "is_spike",
    "may_screen",
    "open_featured_room",
    "practitioner_of",
    "record_agreement",
    "record_confirmation_answer",
    "record_failure",
    "record_session",
    "record_training",
    "request_judicial_confirmation",
    "set_membership",
    "township_of",
    "weekly_counts",
]
