"""鉴调一体: the appraisal line's word that a document was issued on an entrustment naming one of
our disputes. Declared in ``registry.py`` as the hook for ``appraisal.opinion_issued``; it runs
after the appraisal is committed, in a job of its own (``core.registry.notify``), so nothing here
can undo the opinion. Idempotent: a job run twice records the document once."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction

from fawang.core.models import Institution
from fawang.core.rows import lock
from fawang.mediation.models import AppraisalResult, Dispute
from fawang.mediation.services._common import _audit
from fawang.workorders.services import follow_case

logger = logging.getLogger("fawang.mediation")
HOOK_ACTOR = "鉴调一体"


def record_appraisal_result(
    *,
    dispute_number: str,
    case_code: str,
    kind: str,
    institution_id: int,
    institution: str,
    issued_on: str,
    verify_path: str,
) -> AppraisalResult | None:
    """Record the issued document on the dispute with that number (the mediator sees it on the
    dispute page); when the dispute came in on a work order, its timeline gets a 案件进展 row
    too. No dispute number (another kind of entrusting party), or no such dispute: nothing."""
    if not dispute_number:
        return None
    dispute = Dispute.objects.filter(number=dispute_number.strip().upper()).first()
    if dispute is None:
        logger.warning(
            "appraisal %s names dispute %s, which is not on record", case_code, dispute_number
        )
        return None
    with transaction.atomic():
        dispute = lock(dispute)
        existing = AppraisalResult.objects.filter(case_code=case_code).first()
        if existing is not None:
            return existing
        result = AppraisalResult.objects.create(
            dispute=dispute,
            case_code=case_code[:48],
            kind=kind[:20],
            institution=Institution.objects.filter(pk=institution_id).first(),
            institution_name=institution[:200],
            issued_on=date.fromisoformat(issued_on),
            # A path on this site (the public verification page), never another address.
            verify_path=verify_path[:200] if verify_path.startswith("/appraisal/") else "",
        )
        _audit("appraisal_recorded", dispute, HOOK_ACTOR, case_code=result.case_code)
        if dispute.work_order is not None:
            follow_case(
                dispute.work_order,
                case_ref=f"人民调解 {dispute.number}",
                case_status=f"{dispute.get_status_display()} · 鉴定意见已出具",
                acting_user=None,
                note=f"{kind}已出具（案件赋码 {result.case_code}，{result.institution_name}）",
            )
    return result
