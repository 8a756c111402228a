"""Judicial appraisal use cases: entrustment, acceptance or refusal with the field and conflict
checks, the opinion time limit and its extension, coded signed opinions and their 提取码,
complaints, sanctions, the quality review, the integrity grade. Each verb checks who acts,
validates, writes in one transaction and audits.

One module per use case — ``entrustment``, ``opinions``, ``downloads``, ``oversight``,
``accreditation`` (资质认定 and 母体) — with shared helpers in ``_common``; this package
re-exports their public names."""

from __future__ import annotations

from fawang.appraisal.services._common import (
    CODE_ALPHABET,
    MAX_TEXT,
    active_institution,
    is_appraiser_of,
    is_head_of,
    records_accreditation,
    supervises,
)
from fawang.appraisal.services.accreditation import (
    AccreditationIn,
    record_accreditation,
    record_parent_body,
    renew_accreditation,
    withdraw_accreditation,
)
from fawang.appraisal.services.codes import (
    download_code_hash,
    new_download_code,
    normalise_code,
    opinion_by_code,
    verification_code,
)
from fawang.appraisal.services.downloads import (
    DOWNLOAD_FAILURES_PER_HOUR,
    download_document,
    reissue_download_code,
)
from fawang.appraisal.services.entrustment import EntrustmentIn, accept, entrust, extend, refuse
from fawang.appraisal.services.opinions import (
    KIND_LETTER,
    OPINION_ISSUED,
    case_code,
    issue_opinion,
    public_view,
    verify,
    withdraw_opinion,
)
from fawang.appraisal.services.oversight import (
    Integrity,
    decide_complaint,
    draw_review_sample,
    file_complaint,
    integrity,
    receive_complaint,
    record_sanction,
    score_review,
)

__all__ = [
    "CODE_ALPHABET",
    "DOWNLOAD_FAILURES_PER_HOUR",
    "KIND_LETTER",
    "MAX_TEXT",
    "OPINION_ISSUED",
    "AccreditationIn",
    "EntrustmentIn",
    "Integrity",
    "accept",
    "active_institution",
    "case_code",
    "decide_complaint",
    "download_code_hash",
    "download_document",
    "draw_review_sample",
    "entrust",
    "extend",
    "file_complaint",
    "integrity",
    "is_appraiser_of",
    "is_head_of",
    "issue_opinion",
    "new_download_code",
    "normalise_code",
    "opinion_by_code",
    "public_view",
    "receive_complaint",
    "record_accreditation",
    "record_parent_body",
    "record_sanction",
    "records_accreditation",
    "refuse",
    "reissue_download_code",
    "renew_accreditation",
    "score_review",
    "supervises",
    "verification_code",
    "verify",
    "withdraw_accreditation",
    "withdraw_opinion",
]
