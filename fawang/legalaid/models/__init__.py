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
    ART32_GROUNDS,
    ARTICLE_OF_MATTER,
    CRIMINAL_MATTERS,
    NOTICE_MATTERS,
    NOTICE_ONLY_MATTERS,
    AidApplication,
    ApplicationStatus,
    ApprovalBasis,
    ExemptGround,
    FullFollowGroup,
    MatterType,
    ProvisionalGround,
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
    LetterKind,
    LetterStatus,
    Milestone,
    MilestoneKind,
    NoticeSource,
    OrganLetter,
    RecipientVisit,
    TerminationGround,
    document_path,
)
from fawang.legalaid.models.duty import DutyHelp, DutyHelpKind, DutyPlaceKind, DutyShift
from fawang.legalaid.models.objections import (
    OBJECTION_TRANSITIONS,
    Objection,
    ObjectionKind,
    ObjectionStatus,
)
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
    "ART32_GROUNDS",
    "ARTICLE_OF_MATTER",
    "CASE_TRANSITIONS",
    "COMPLAINT_TRANSITIONS",
    "CRIMINAL_MATTERS",
    "NOTICE_MATTERS",
    "NOTICE_ONLY_MATTERS",
    "OBJECTION_TRANSITIONS",
    "AidApplication",
    "AidCase",
    "AidDocument",
    "ApplicationStatus",
    "ApprovalBasis",
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
    "LetterKind",
    "LetterStatus",
    "MatterType",
    "Milestone",
    "MilestoneKind",
    "NoticeSource",
    "Objection",
    "ObjectionKind",
    "ObjectionStatus",
    "OrganLetter",
    "PoolStatus",
    "ProviderComplaint",
    "ProviderPoolMember",
    "ProvisionalGround",
    "QualificationLevel",
    "QualityGrade",
    "QualityReview",
    "QualitySample",
    "RecipientVisit",
    "ReviewMethod",
    "TerminationGround",
    "document_path",
]
