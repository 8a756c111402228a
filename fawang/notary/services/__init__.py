"""Notary use cases, one module per use case; this package re-exports their public names."""

from fawang.notary.services._common import (
    MATTER_FLOW,
    is_head_of,
    is_notary_of,
    supervises_office,
)
from fawang.notary.services.flow import (
    OBJECTION_ROUTE,
    accept,
    approve,
    archive,
    conclude_review,
    deliver,
    fee_for,
    fee_settled,
    identity_done,
    issue_certificate,
    mark_overdue,
    normalise_code,
    pause,
    record_payment,
    record_verification,
    refuse,
    resume,
    revoke_certificate,
)
from fawang.notary.services.matters import (
    ApplicationIn,
    notify_missing,
    paused_working_days,
    refresh_due,
    submit_application,
    unified_code,
    upload_material,
)
from fawang.notary.services.supervision import (
    decide_complaint,
    draw_review_sample,
    file_complaint,
    record_fault,
    score_review,
)
from fawang.notary.services.visits import (
    add_slot,
    book_visit,
    cancel_booking,
    end_video,
    record_visit,
    start_video,
)

__all__ = [
    "MATTER_FLOW", "OBJECTION_ROUTE", "ApplicationIn", "accept", "add_slot", "approve", "archive",
    "book_visit", "cancel_booking", "conclude_review", "decide_complaint", "deliver",
    "draw_review_sample", "end_video", "fee_for", "fee_settled", "file_complaint",
    "identity_done", "is_head_of", "is_notary_of", "issue_certificate", "mark_overdue", "normalise_code",
    "notify_missing", "pause", "paused_working_days", "record_fault", "record_payment",
    "record_verification", "record_visit", "refresh_due", "refuse", "resume",
    "revoke_certificate", "score_review", "start_video", "submit_application",
    "supervises_office", "unified_code", "upload_material",
]  # fmt: skip
