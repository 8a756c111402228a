"""Legal aid (法律援助): applications and notices, eligibility, assignment, supervision, quality.

The rules these records carry come from the Legal Aid Law of the PRC (2021); the numbers a city
may set (means-test standard, sampling share, targets) live in the policy pack
(``legal_aid:`` section, parsed by :mod:`fawang.legalaid.policy`).

One module per topic — ``applications``, ``pool``, ``cases``, ``quality``, ``duty`` — and this
package re-exports every name, so ``fawang.legalaid.models.X`` keeps resolving (the migrations
name ``document_path`` so).
"""

from fawang.legalaid.models.applications import (
    APPLICATION_TRANSITIONS,
    CRIMINAL_MATTERS,
    AidApplication,
    ApplicationStatus,
    ExemptGround,
    FullFollowGroup,
    MatterType,
)
from fawang.legalaid.models.cases import (
    CASE_TRANSITIONS,
    AidCase,
    AidDocument,
    Assignment,
    CaseOrigin,
    CaseStatus,
    DefenceNotice,
    DocumentKind,
    HearingAttendance,
    Milestone,
    MilestoneKind,
    NoticeSource,
    RecipientVisit,
    document_path,
)
from fawang.legalaid.models.duty import DutyHelp, DutyHelpKind, DutyPlaceKind, DutyShift
from fawang.legalaid.models.pool import PoolStatus, ProviderPoolMember, QualificationLevel
from fawang.legalaid.models.quality import (
    COMPLAINT_TRANSITIONS,
    ComplaintKind,
    ComplaintStatus,
    ExpertPoolMember,
    ProviderComplaint,
    QualityGrade,
    QualityReview,
    QualitySample,
    ReviewMethod,
)

__all__ = [
    "APPLICATION_TRANSITIONS",
    "CASE_TRANSITIONS",
    "COMPLAINT_TRANSITIONS",
    "CRIMINAL_MATTERS",
    "AidApplication",
    "AidCase",
    "AidDocument",
    "ApplicationStatus",
    "Assignment",
    "CaseOrigin",
    "CaseStatus",
    "ComplaintKind",
    "ComplaintStatus",
    "DefenceNotice",
    "DocumentKind",
    "DutyHelp",
    "DutyHelpKind",
    "DutyPlaceKind",
    "DutyShift",
    "ExemptGround",
    "ExpertPoolMember",
    "FullFollowGroup",
    "HearingAttendance",
    "MatterType",
    "Milestone",
    "MilestoneKind",
    "NoticeSource",
    "PoolStatus",
    "ProviderComplaint",
    "ProviderPoolMember",
    "QualificationLevel",
    "QualityGrade",
    "QualityReview",
    "QualitySample",
    "RecipientVisit",
    "ReviewMethod",
    "document_path",
]
