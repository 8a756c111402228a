"""Legal-aid use cases: apply or be notified, decide, assign, supervise, review quality.

Every verb checks the acting user's role, validates before writing, changes state inside one
transaction against the transition tables in ``models``, and writes one audit event.

One module per use case — ``application``, ``notice``, ``assignment``, ``case``, ``quality``,
``duty`` — with shared helpers in ``_common``; this package re-exports their public names.
"""

from __future__ import annotations

from fawang.legalaid.services._common import (
    APPLICATION_FLOW,
    CASE_FLOW,
    COMPLAINT_FLOW,
    MAX_NOTE,
    MAX_TEXT,
    centre_for_region,
    is_officer_of,
    is_provider_of,
    supervises,
)
from fawang.legalaid.services.application import (
    APPLICATION_CHANNELS,
    MAX_HOUSEHOLD,
    SPECIAL_GROUP_OF,
    TOPIC_OF_MATTER,
    ApplicationInput,
    Eligibility,
    assess_eligibility,
    decide_application,
    deem_withdrawn,
    provide_aid_first,
    request_materials,
    submit_application,
    supply_materials,
)
from fawang.legalaid.services.assignment import (
    EXPERT_PRACTICE_YEARS,
    PROVIDER_KINDS,
    SERIOUS_CRIMINAL_MIN_PRACTICE_YEARS,
    add_pool_member,
    assign_case,
    eligible_providers,
    exclude_provider,
    overdue_assignments,
    practice_years,
    qualification_for,
    reassign_case,
)
from fawang.legalaid.services.case import (
    ALLOWED_UPLOAD_TYPES,
    close_case,
    plan_hearing,
    record_hearing_attendance,
    record_milestone,
    record_visit,
    upload_document,
)
from fawang.legalaid.services.duty import (
    add_duty_shift,
    record_duty_help,
)
from fawang.legalaid.services.notice import (
    NOTICE_ROLES,
    NoticeInput,
    receive_notice,
)
from fawang.legalaid.services.quality import (
    add_expert,
    decide_complaint,
    draw_quality_sample,
    file_complaint,
    grade_for,
    review_case,
    sample_size,
)
from fawang.legalaid.services.termination import (
    decide_objection,
    file_objection,
    report_termination_ground,
    terminate_case,
)

__all__ = [
    "ALLOWED_UPLOAD_TYPES",
    "APPLICATION_CHANNELS",
    "APPLICATION_FLOW",
    "CASE_FLOW",
    "COMPLAINT_FLOW",
    "EXPERT_PRACTICE_YEARS",
    "MAX_HOUSEHOLD",
    "MAX_NOTE",
    "MAX_TEXT",
    "NOTICE_ROLES",
    "PROVIDER_KINDS",
    "SERIOUS_CRIMINAL_MIN_PRACTICE_YEARS",
    "SPECIAL_GROUP_OF",
    "TOPIC_OF_MATTER",
    "ApplicationInput",
    "Eligibility",
    "NoticeInput",
    "add_duty_shift",
    "add_expert",
    "add_pool_member",
    "assess_eligibility",
    "assign_case",
    "centre_for_region",
    "close_case",
    "decide_application",
    "decide_complaint",
    "decide_objection",
    "deem_withdrawn",
    "draw_quality_sample",
    "eligible_providers",
    "exclude_provider",
    "file_complaint",
    "file_objection",
    "grade_for",
    "is_officer_of",
    "is_provider_of",
    "overdue_assignments",
    "plan_hearing",
    "practice_years",
    "provide_aid_first",
    "qualification_for",
    "reassign_case",
    "receive_notice",
    "record_duty_help",
    "record_hearing_attendance",
    "record_milestone",
    "record_visit",
    "report_termination_ground",
    "request_materials",
    "review_case",
    "sample_size",
    "submit_application",
    "supervises",
    "supply_materials",
    "terminate_case",
    "upload_document",
]
