"""Complaints, sanctions, the quality-review sample and scores, the integrity grade."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.appraisal.models import (
    Complaint,
    ComplaintDecision,
    Entrustment,
    Opinion,
    OpinionKind,
    OpinionReview,
    OpinionStatus,
    Sanction,
)
from fawang.appraisal.policy import appraisal_policy
from fawang.appraisal.services._common import (
    MAX_TEXT,
    _require_supervisor,
    active_institution,
)
from fawang.appraisal.services.codes import opinion_by_code
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import (
    Institution,
    Practitioner,
    PractitionerKind,
    User,
)
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text

# --- complaints, sanctions, grade -------------------------------------------------------------


def receive_complaint(
    institution_id: int,
    complainant: str,
    text: str,
    *,
    entrustment_number: str = "",
    acting_user: User,
) -> Complaint:
    institution = active_institution(institution_id)
    _require_supervisor(acting_user, institution)
    complainant = clean_text(complainant, 100, "complainant", "投诉人")
    text = clean_text(text, MAX_TEXT, "text", "投诉内容")
    entrustment = None
    if entrustment_number.strip():
        entrustment = Entrustment.objects.filter(
            number=entrustment_number.strip(), institution=institution
        ).first()
        if entrustment is None:
            raise InvalidInput(
                _("该鉴定机构没有这个委托编号。"), code="unknown_entrustment", field="entrustment"
            )
    with transaction.atomic():
        complaint = Complaint.objects.create(
            institution=institution, entrustment=entrustment, complainant=complainant, text=text
        )
        record_event("appraisal.complaint_received", actor=acting_user, obj=complaint)
    return complaint


def _opinion_by_code(code: str, institution: Institution) -> Opinion:
    """The optional opinion a citizen names by its verification code or case code."""
    opinion = opinion_by_code(code)
    if opinion is not None and opinion.entrustment.institution_id != institution.pk:
        opinion = None
    if opinion is None:
        raise InvalidInput(
            _("该鉴定机构没有出具过这份文书，请核对查询验证码或案件赋码。"),
            code="bad_code",
            field="opinion_code",
        )
    return opinion


def file_complaint(
    institution_id: int,
    facts: str,
    *,
    appraiser_id: int | None = None,
    opinion_code: str = "",
    acting_user: User,
) -> Complaint:
    """A citizen complains online about an institution and optionally one of its appraisers and
    one of its opinions; the bureau decides it as any other complaint."""
    if not acting_user.is_citizen:
        raise PermissionDenied(_("只有群众可以在线投诉。"))
    institution = active_institution(institution_id)
    text = clean_text(facts, MAX_TEXT, "text", "投诉事实")
    appraiser = None
    if appraiser_id:
        appraiser = Practitioner.objects.filter(
            pk=appraiser_id, institution=institution, kind=PractitionerKind.APPRAISER
        ).first()
        if appraiser is None:
            raise InvalidInput(
                _("该鉴定机构没有这名鉴定人。"), code="unknown_appraiser", field="appraiser"
            )
    opinion = _opinion_by_code(opinion_code, institution) if opinion_code.strip() else None
    with transaction.atomic():
        complaint = Complaint.objects.create(
            institution=institution,
            entrustment=opinion.entrustment if opinion else None,
            opinion=opinion,
            appraiser=appraiser,
            citizen=acting_user,
            complainant=(acting_user.full_name or "群众")[:100],
            text=text,
        )
        record_event(
            "appraisal.complaint_received",
            actor=acting_user,
            obj=complaint,
            detail={"online": True},
        )
    return complaint


def decide_complaint(
    complaint: Complaint, decision: str, note: str, *, acting_user: User
) -> Complaint:
    """The bureau decides whether the complaint is valid (有效投诉: SJZ 专栏1 #33 counts them)."""
    _require_supervisor(acting_user, complaint.institution)
    decision = clean_choice(
        decision, [ComplaintDecision.VALID, ComplaintDecision.INVALID], "decision", "处理结论"
    )
    note = clean_text(note, MAX_TEXT, "note", "处理意见")
    with transaction.atomic():
        complaint = lock(complaint)
        if complaint.decision:
            raise Conflict(_("该投诉已处理。"), code="already_decided")
        complaint.decision = decision
        complaint.decision_note = note
        complaint.decided_at = timezone.now()
        complaint.decided_by = acting_user
        complaint.save()
        record_event(
            "appraisal.complaint_decided",
            actor=acting_user,
            obj=complaint,
            detail={"decision": decision},
        )
    return complaint


def record_sanction(institution_id: int, description: str, *, acting_user: User) -> Sanction:
    institution = active_institution(institution_id)
    _require_supervisor(acting_user, institution)
    description = clean_text(description, 500, "description", "处罚或处分")
    with transaction.atomic():
        sanction = Sanction.objects.create(
            institution=institution,
            description=description,
            decided_on=timezone.localdate(),
            recorded_by=acting_user,
        )
        record_event("appraisal.sanction_recorded", actor=acting_user, obj=sanction)
    return sanction


def draw_review_sample(institution_id: int, year: int, *, acting_user: User) -> list[OpinionReview]:
    """文书质量评议: draw the institution's sample of the year's opinions — the pack's share, at
    least its minimum (all when fewer) — reproducibly: the same institution and year always draw
    the same documents (a generator seeded with both, over the opinions in case-code order)."""
    institution = active_institution(institution_id)
    _require_supervisor(acting_user, institution)
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        raise InvalidInput(_("评议年度不正确。"), code="bad_year", field="year")
    policy = appraisal_policy(institution.region)
    with transaction.atomic():
        if OpinionReview.objects.filter(institution=institution, year=year).exists():
            raise Conflict(_("该机构本年度的评议样本已抽取。"), code="already_drawn")
        codes = list(
            Opinion.objects.filter(
                entrustment__institution=institution,
                kind=OpinionKind.OPINION,
                issued_at__year=year,
            )
            .order_by("case_code")
            .values_list("pk", flat=True)
        )
        size = max(
            policy.review_sample_minimum,
            math.ceil(len(codes) * policy.review_sample_percent / 100),
        )
        drawn = random.Random(f"{institution.pk}:{year}").sample(codes, min(size, len(codes)))
        reviews = [
            OpinionReview.objects.create(
                opinion_id=pk, institution=institution, year=year, drawn_by=acting_user
            )
            for pk in sorted(drawn)
        ]
        record_event(
            "appraisal.review_sample_drawn",
            actor=acting_user,
            obj=institution,
            detail={"year": year, "drawn": len(reviews), "of": len(codes)},
        )
    return reviews


def score_review(
    review: OpinionReview, score: Any, findings: str, panel: str, *, acting_user: User
) -> OpinionReview:
    """The review panel's score (0–100) and findings, recorded by the bureau, once."""
    _require_supervisor(acting_user, review.institution)
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        raise InvalidInput(_("评分应为 0 到 100 之间的整数。"), code="bad_score", field="score")
    findings = clean_text(findings, MAX_TEXT, "findings", "评议意见")
    panel = clean_text(panel, 200, "panel", "评议组成员")
    with transaction.atomic():
        review = lock(review)
        if review.score is not None:
            raise Conflict(_("该文书已评议。"), code="already_reviewed")
        review.score, review.findings, review.panel = score, findings, panel
        review.scored_at, review.scored_by = timezone.now(), acting_user
        review.save()
        record_event(
            "appraisal.document_reviewed",
            actor=acting_user,
            obj=review,
            detail={"score": score},
        )
    return review


@dataclass(frozen=True)
class Integrity:
    score: int
    grade: str
    opinions: int
    valid_complaints: int
    valid_complaint_rate: float  # percent of the window's opinions
    withdrawn: int
    sanctions: int
    failed_reviews: int


def integrity(institution: Institution) -> Integrity:
    """诚信等级 (docs/appraisal.md): base − penalties for valid complaints, withdrawn documents,
    sanctions and reviews scored below the pass mark within the window; the grade is the highest whose threshold the score reaches."""
    rule = appraisal_policy(institution.region).grade
    since = timezone.now() - timedelta(days=rule.window_days)
    opinions = Opinion.objects.filter(entrustment__institution=institution, issued_at__gte=since)
    issued = opinions.count()
    withdrawn = opinions.filter(status=OpinionStatus.WITHDRAWN).count()
    valid = Complaint.objects.filter(
        institution=institution, decision=ComplaintDecision.VALID, decided_at__gte=since
    ).count()
    sanctions = Sanction.objects.filter(
        institution=institution, decided_on__gte=timezone.localdate(since)
    ).count()
    failed = OpinionReview.objects.filter(
        institution=institution, scored_at__gte=since, score__lt=rule.review_pass_mark
    ).count()
    score = max(
        0,
        rule.base
        - valid * rule.valid_complaint_penalty
        - withdrawn * rule.withdrawn_opinion_penalty
        - sanctions * rule.sanction_penalty
        - failed * rule.failed_review_penalty,
    )
    grade = next((g for g, low in rule.thresholds.items() if score >= low), "D")
    rate = round(100 * valid / issued, 2) if issued else 0.0
    return Integrity(score, grade, issued, valid, rate, withdrawn, sanctions, failed)
