"""Quality: complaints about providers, case reviews, quality samples, the expert pool."""

from __future__ import annotations

import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Institution, Region, User
from fawang.core.periods import MONTH, YEAR, parse_period
from fawang.core.rows import lock
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_text
from fawang.legalaid.models import (
    AidCase,
    CaseStatus,
    ComplaintKind,
    ExpertPoolMember,
    ProviderComplaint,
    QualityGrade,
    QualityReview,
    QualitySample,
    ReviewMethod,
)
from fawang.legalaid.policy import policy_for_region
from fawang.legalaid.services._common import (
    CASE_FLOW,
    COMPLAINT_FLOW,
    MAX_TEXT,
    _choice,
    _require_officer_or_supervisor,
    is_officer_of,
    supervises,
)
from fawang.legalaid.services.assignment import exclude_provider

# --- complaints ----------------------------------------------------------------------------


def file_complaint(
    case: AidCase, *, kind: str, description: str, acting_user: User
) -> ProviderComplaint:
    """A recipient (or staff on their behalf) complains about the provider."""
    is_recipient = case.application is not None and case.application.applicant_id == acting_user.pk
    if not (
        is_recipient
        or is_officer_of(acting_user, case.centre_id)
        or supervises(acting_user, case.region)
    ):
        raise PermissionDenied("您不能就此案件投诉。")
    kind = _choice(kind, ComplaintKind.values, "kind", "投诉事项")
    description = clean_text(description, MAX_TEXT, "description", "投诉内容")
    if case.provider_id is None:
        raise Conflict("案件尚未指派承办人员。", code="bad_state")
    with transaction.atomic():
        complaint = ProviderComplaint.objects.create(
            case=case,
            provider_id=case.provider_id,
            kind=kind,
            description=description,
            received_by=acting_user,
            region=case.region,
        )
        record_event("legalaid.complaint_received", actor=acting_user, obj=complaint)
    return complaint


def decide_complaint(
    complaint: ProviderComplaint, *, upheld: bool, outcome: str, acting_user: User
) -> ProviderComplaint:
    """An upheld complaint takes the provider out of the pool (BJ-list 一(八) exit mechanism)."""
    _require_officer_or_supervisor(acting_user, complaint.case)
    outcome = clean_text(outcome, MAX_TEXT, "outcome", "处理结果")
    with transaction.atomic():
        complaint = lock(complaint)
        complaint.status = check_transition(
            COMPLAINT_FLOW, complaint.status, "uphold" if upheld else "dismiss"
        )
        complaint.outcome = outcome
        complaint.decided_at = timezone.now()
        complaint.save()
        if upheld:
            exclude_provider(
                complaint.provider,
                reason=f"投诉属实（{complaint.get_kind_display()}）：{outcome}"[:500],
                acting_user=acting_user,
            )
        record_event(
            "legalaid.complaint_decided",
            actor=acting_user,
            obj=complaint,
            detail={"status": complaint.status},
        )
    return complaint


# --- quality -------------------------------------------------------------------------------


def grade_for(score: int, thresholds: dict[str, int]) -> str:
    if score >= thresholds["excellent"]:
        return QualityGrade.EXCELLENT
    if score >= thresholds["good"]:
        return QualityGrade.GOOD
    if score >= thresholds["pass"]:
        return QualityGrade.PASS
    return QualityGrade.FAIL


def review_case(
    case: AidCase,
    *,
    method: str,
    score: int,
    comments: str = "",
    court_opinion: str = "",
    procuratorate_opinion: str = "",
    expert: ExpertPoolMember | None = None,
    acting_user: User,
) -> QualityReview:
    """Quality review of a closed case: peer or expert, optionally with court and
    procuratorate opinions (BJ-measures 11)."""
    if not supervises(acting_user, case.region):
        raise PermissionDenied("只有司法行政管理人员可以评估案件质量。")
    method = _choice(method, ReviewMethod.values, "method", "评估方式")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise InvalidInput("评分应为 0 至 100 的整数。", code="score", field="score")
    if method == ReviewMethod.EXPERT and expert is None:
        raise InvalidInput("专家评查请选择专家库中的专家。", code="required", field="expert")
    texts = {
        "comments": clean_text(comments, MAX_TEXT, "comments", "评估意见", required=False),
        "court_opinion": clean_text(
            court_opinion, MAX_TEXT, "court_opinion", "法院意见", required=False
        ),
        "procuratorate_opinion": clean_text(
            procuratorate_opinion, MAX_TEXT, "procuratorate_opinion", "检察院意见", required=False
        ),
    }
    thresholds = policy_for_region(case.region).grade_thresholds
    with transaction.atomic():
        case = lock(case)
        check_transition(CASE_FLOW, case.status, "review")
        review = QualityReview.objects.create(
            case=case,
            method=method,
            expert=expert,
            score=score,
            grade=grade_for(score, thresholds),
            reviewed_by=acting_user,
            region=case.region,
            **texts,
        )
        record_event(
            "legalaid.case_reviewed",
            actor=acting_user,
            obj=case,
            detail={"number": case.number, "grade": review.grade},
        )
    return review


def draw_quality_sample(centre: Institution, *, period: str, acting_user: User) -> QualitySample:
    """Draw ceil(share × closed cases) closed cases of the period, at least one when any closed.

    Reproducible: seeded by centre and period, so the same draw can be checked by anyone; drawing
    twice returns the first draw."""
    if not (is_officer_of(acting_user, centre.pk) or supervises(acting_user, centre.region)):
        raise PermissionDenied("只有本中心工作人员或司法行政管理人员可以抽取评估案件。")
    start, end = parse_period(
        period, kinds=(YEAR, MONTH), message="期间应为 YYYY 或 YYYY-MM。"
    ).moments()
    existing = QualitySample.objects.filter(centre=centre, period=period).first()
    if existing is not None:
        return existing
    share = policy_for_region(centre.region).quality_sample_share
    closed = sorted(
        AidCase.objects.filter(
            centre=centre, status=CaseStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
        ).values_list("pk", flat=True)
    )
    size = sample_size(len(closed), share)
    drawn = random.Random(f"{centre.pk}:{period}").sample(closed, size)
    with transaction.atomic():
        sample = QualitySample.objects.create(
            centre=centre,
            period=period,
            share=share,
            closed_count=len(closed),
            drawn_by=acting_user,
        )
        sample.cases.set(drawn)
        record_event(
            "legalaid.quality_sample_drawn",
            actor=acting_user,
            obj=sample,
            detail={"period": period, "closed": len(closed), "drawn": sorted(drawn)},
        )
    return sample


def sample_size(closed: int, share: Decimal) -> int:
    if closed == 0:
        return 0
    return min(closed, max(1, math.ceil(Decimal(closed) * share)))


def add_expert(
    region: Region, *, name: str, affiliation: str, organisation: str = "", acting_user: User
) -> ExpertPoolMember:
    if not supervises(acting_user, region):
        raise PermissionDenied("只有司法行政管理人员可以管理专家库。")
    name = clean_text(name, 50, "name", "专家姓名")
    affiliation = _choice(
        affiliation, ExpertPoolMember.Affiliation.values, "affiliation", "专家来源"
    )
    organisation = clean_text(organisation, 200, "organisation", "单位", required=False)
    with transaction.atomic():
        expert = ExpertPoolMember.objects.create(
            region=region, name=name, affiliation=affiliation, organisation=organisation
        )
        record_event("legalaid.expert_added", actor=acting_user, obj=expert)
    return expert
