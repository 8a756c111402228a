"""Supervision: document review on a reproducible sample, complaints, fault-liability records."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    User,
)
from fawang.core.rows import lock
from fawang.core.validation import clean_text
from fawang.notary.models import (
    Complaint,
    ComplaintStatus,
    DocumentReview,
    FaultRecord,
    MatterStatus,
    NotarialMatter,
)
from fawang.notary.policy import notary_policy
from fawang.notary.services._common import MAX_TEXT, require_supervisor

ISSUED = (MatterStatus.ISSUED, MatterStatus.DELIVERED, MatterStatus.ARCHIVED)


def draw_review_sample(
    start: date, end: date, seed: str, *, acting_user: User
) -> list[DocumentReview]:
    """公证文书评查: the same period and seed always draw the same certificates (sorted by code,
    shuffled by a seeded generator), the pack's share of them, at least its minimum."""
    if acting_user.role not in SUPERVISOR_ROLES or acting_user.region is None:
        raise PermissionDenied(_("只有司法行政机关可以抽取评查样本。"))
    if end < start:
        raise InvalidInput(_("结束日期不能早于开始日期。"), code="bad_range", field="end")
    seed = clean_text(seed, 20, "seed", "抽样种子")
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(start, time.min), tz)
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
    candidates = list(
        NotarialMatter.objects.filter(
            region__path__startswith=acting_user.region.path,
            status__in=ISSUED,
            certificate__issued_at__gte=lo,
            certificate__issued_at__lt=hi,
        ).order_by("code")
    )
    policy = notary_policy(acting_user.region)
    size = min(
        len(candidates),
        max(
            policy.review_sample_minimum,
            math.ceil(len(candidates) * policy.review_sample_percent / 100),
        ),
    )
    chosen = random.Random(f"{start}:{end}:{seed}").sample(candidates, size)
    sample = f"{start:%Y%m%d}-{end:%Y%m%d}-{seed}"
    with transaction.atomic():
        if DocumentReview.objects.filter(sample=sample).exists():
            raise Conflict(_("该批次已抽取。"), code="already_drawn")
        reviews = [DocumentReview.objects.create(sample=sample, matter=m) for m in chosen]
        record_event(
            "notary.review_sample_drawn",
            actor=acting_user,
            obj=None,
            detail={"sample": sample, "size": size, "of": len(candidates)},
        )
    return reviews


def score_review(
    review: DocumentReview, score: int, findings: str, *, acting_user: User
) -> DocumentReview:
    require_supervisor(acting_user, review.matter.office)
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        raise InvalidInput(_("评查得分应为 0 至 100 之间的整数。"), code="bad_score", field="score")
    findings = clean_text(findings, MAX_TEXT, "findings", "评查意见")
    with transaction.atomic():
        review = lock(review)
        if review.reviewed_at is not None:
            raise Conflict(_("该案卷已评查。"), code="already_reviewed")
        review.score, review.findings = score, findings
        review.reviewer, review.reviewed_at = acting_user, timezone.now()
        review.save()
        record_event(
            "notary.document_reviewed",
            actor=acting_user,
            obj=review.matter,
            detail={"sample": review.sample, "score": score},
        )
    return review


def _office(office_id: int) -> Institution:
    office = Institution.objects.filter(pk=office_id, kind=InstitutionKind.NOTARY_OFFICE).first()
    if office is None:
        raise InvalidInput(_("所投诉的公证处不存在。"), code="no_office", field="office_id")
    return office


def file_complaint(
    office_id: int,
    content: str,
    *,
    matter_code: str = "",
    notary_id: int | None = None,
    complainant_name: str = "",
    acting_user: User,
) -> Complaint:
    """A citizen (about their own matter or an office) or the bureau records a complaint."""
    matter = None
    if matter_code:
        matter = NotarialMatter.objects.filter(code=matter_code).first()
        if matter is None or (acting_user.is_citizen and matter.applicant_id != acting_user.pk):
            raise NotFound(_("没有找到该公证事项。"))
        office_id = matter.office_id
    office = _office(office_id)
    if not acting_user.is_citizen:
        require_supervisor(acting_user, office)
    notary = None
    if notary_id is not None:
        notary = Practitioner.objects.filter(
            pk=notary_id, institution=office, kind=PractitionerKind.NOTARY
        ).first()
        if notary is None:
            raise InvalidInput(
                _("该公证员不在所投诉的公证处执业。"), code="no_notary", field="notary_id"
            )
    name = complainant_name or acting_user.full_name
    with transaction.atomic():
        complaint = Complaint.objects.create(
            office=office,
            notary=notary,
            matter=matter,
            complainant=acting_user if acting_user.is_citizen else None,
            complainant_name=clean_text(name, 50, "complainant_name", "投诉人"),
            content=clean_text(content, MAX_TEXT, "content", "投诉内容"),
        )
        record_event(
            "notary.complaint_received",
            actor=acting_user,
            obj=complaint,
            detail={"office": office.pk},
        )
    return complaint


def decide_complaint(
    complaint: Complaint, upheld: bool, outcome: str, *, acting_user: User
) -> Complaint:
    require_supervisor(acting_user, complaint.office)
    outcome = clean_text(outcome, MAX_TEXT, "outcome", "处理结果")
    with transaction.atomic():
        complaint = lock(complaint)
        if complaint.status != ComplaintStatus.RECEIVED:
            raise Conflict(_("该投诉已处理。"), code="already_decided")
        complaint.status = ComplaintStatus.UPHELD if upheld else ComplaintStatus.DISMISSED
        complaint.outcome = outcome
        complaint.decided_at, complaint.decided_by = timezone.now(), acting_user
        complaint.save()
        record_event(
            "notary.complaint_decided",
            actor=acting_user,
            obj=complaint,
            detail={"status": complaint.status},
        )
    return complaint


def record_fault(
    notary_id: int,
    description: str,
    liability: str,
    *,
    matter_code: str = "",
    acting_user: User,
) -> FaultRecord:
    """公证执业过错责任追偿 (BJ-list 一(五)): the bureau records a notary's fault and liability."""
    notary = (
        Practitioner.objects.filter(pk=notary_id, kind=PractitionerKind.NOTARY)
        .select_related("institution__region")
        .first()
    )
    if notary is None or notary.institution is None:
        raise InvalidInput(_("没有找到该公证员。"), code="no_notary", field="notary_id")
    require_supervisor(acting_user, notary.institution)
    matter = None
    if matter_code:
        matter = NotarialMatter.objects.filter(code=matter_code, office=notary.institution).first()
        if matter is None:
            raise InvalidInput(
                _("该公证处没有这个统一登记编码。"), code="unknown_matter", field="matter_code"
            )
    with transaction.atomic():
        fault = FaultRecord.objects.create(
            notary=notary,
            office=notary.institution,
            matter=matter,
            description=clean_text(description, MAX_TEXT, "description", "过错情形"),
            liability=clean_text(liability, 500, "liability", "责任追究"),
            recorded_by=acting_user,
        )
        record_event(
            "notary.fault_recorded", actor=acting_user, obj=fault, detail={"notary": notary.pk}
        )
    return fault
