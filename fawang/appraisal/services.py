"""Judicial appraisal use cases: entrustment, acceptance or refusal with the field and conflict
checks, the opinion time limit and its extension, coded opinions, complaints, sanctions, the
integrity grade. Each verb checks who acts, validates, writes in one transaction and audits."""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from fawang.appraisal import signing
from fawang.appraisal.fields import FIELD_LETTERS, FIELDS, field_label
from fawang.appraisal.models import (
    Complaint,
    ComplaintDecision,
    EntrustingKind,
    Entrustment,
    EntrustmentStatus,
    InstitutionHead,
    Opinion,
    OpinionKind,
    OpinionReview,
    OpinionStatus,
    Sanction,
)
from fawang.appraisal.policy import appraisal_policy
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Role,
    User,
)
from fawang.core.numbering import next_number
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.validation import clean_choice, clean_phone, clean_text
from fawang.policy.deadlines import deadline
from fawang.policy.packs import pack_for_region

MAX_TEXT = 2000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
KIND_LETTER: dict[str, str] = {
    OpinionKind.OPINION: "Y",
    OpinionKind.SUPPLEMENT: "B",
    OpinionKind.CORRECTION: "G",
}


# --- who may act ------------------------------------------------------------------------------


def is_appraiser_of(user: User, institution_id: int) -> bool:
    return user.role == Role.APPRAISER and user.institution_id == institution_id


def is_head_of(user: User, institution_id: int) -> bool:
    return (
        is_appraiser_of(user, institution_id)
        and InstitutionHead.objects.filter(institution_id=institution_id, user=user).exists()
    )


def supervises(user: User, institution: Institution) -> bool:
    return (
        user.role in SUPERVISOR_ROLES
        and user.region is not None
        and user.region.contains(institution.region)
    )


def _require_appraiser(user: User, entrustment: Entrustment) -> None:
    if not is_appraiser_of(user, entrustment.institution_id):
        raise PermissionDenied("只有本鉴定机构的司法鉴定人可以进行此操作。")


def _require_supervisor(user: User, institution: Institution) -> None:
    if not supervises(user, institution):
        raise PermissionDenied("只有主管该鉴定机构的司法行政机关可以进行此操作。")


def active_institution(institution_id: Any) -> Institution:
    if not isinstance(institution_id, int) or isinstance(institution_id, bool):
        raise InvalidInput("请选择司法鉴定机构。", code="required", field="institution_id")
    found = (
        Institution.objects.filter(
            pk=institution_id,
            kind=InstitutionKind.APPRAISAL_INSTITUTION,
            status=InstitutionStatus.ACTIVE,
        )
        .select_related("region")
        .first()
    )
    if found is None:
        raise InvalidInput(
            "所选司法鉴定机构不存在或已停止执业。", code="no_institution", field="institution_id"
        )
    return found


# --- entrustment ------------------------------------------------------------------------------


@dataclass
class EntrustmentIn:
    institution_id: int
    entrusting_kind: str
    entrusting_name: str
    entrusting_phone: str
    matter: str
    field: str
    fee_estimate: Any
    parties: list[str] = dc_field(default_factory=list)
    materials: str = ""
    mediation_ref: str = ""


def entrust(data: EntrustmentIn, *, acting_user: User) -> Entrustment:
    """委托: recorded by the institution that receives it (决定 art. 8: 鉴定人由所在的鉴定机构
    统一接受委托), only in a field the institution is licensed for (决定 art. 9 para. 2 — the
    roster's business scope); the acceptance limit starts (pack, 通则 art. 13)."""
    institution = active_institution(data.institution_id)
    if not is_appraiser_of(acting_user, institution.pk):
        raise PermissionDenied("只有本鉴定机构的司法鉴定人可以登记委托。")
    kind = clean_choice(
        data.entrusting_kind, EntrustingKind.values, "entrusting_kind", "委托人类别"
    )
    name = clean_text(data.entrusting_name, 100, "entrusting_name", "委托人")
    phone = clean_phone(data.entrusting_phone, "entrusting_phone")
    matter = clean_text(data.matter, MAX_TEXT, "matter", "委托鉴定事项")
    field_code = clean_choice(data.field, FIELDS, "field", "鉴定类别", code="unknown_field")
    if field_code not in (institution.service_fields or []):
        raise InvalidInput(
            f"该鉴定机构未获准从事{field_label(field_code)}，不能接受此项委托。",
            code="field_not_licensed",
            field="field",
        )
    try:
        fee = Decimal(str(data.fee_estimate)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            "预估鉴定费应为金额。", code="bad_amount", field="fee_estimate"
        ) from None
    if fee < 0 or fee > Decimal("99999999"):
        raise InvalidInput("预估鉴定费超出范围。", code="bad_amount", field="fee_estimate")
    parties = [clean_text(p, 100, "parties", "当事人") for p in data.parties if str(p).strip()]
    materials = clean_text(data.materials, MAX_TEXT, "materials", "鉴定材料", required=False)
    ref = clean_text(data.mediation_ref, 32, "mediation_ref", "调解纠纷编号", required=False)
    if kind == EntrustingKind.MEDIATION and not ref:
        raise InvalidInput(
            "鉴调一体的委托须填写调解纠纷编号。", code="required", field="mediation_ref"
        )
    policy = appraisal_policy(institution.region)
    now = timezone.now()
    with transaction.atomic():
        entrustment = Entrustment.objects.create(
            number=next_number("JD", now),
            institution=institution,
            region=institution.region,
            entrusting_kind=kind,
            entrusting_name=name,
            entrusting_phone=phone,
            parties=parties,
            matter=matter,
            field=field_code,
            materials=materials,
            fee_estimate=fee,
            mediation_ref=ref,
            received_at=now,
            decide_by=deadline(now, policy.accept_period),
            created_by=acting_user,
        )
        record_event(
            "appraisal.entrustment_received",
            actor=acting_user,
            obj=entrustment,
            detail={"number": entrustment.number, "field": field_code},
        )
    return entrustment


def _qualified(person: Practitioner, entrustment: Entrustment) -> bool:
    return (
        person.kind == PractitionerKind.APPRAISER
        and person.institution_id == entrustment.institution_id
        and person.status == PractitionerStatus.PRACTISING
        and entrustment.field in (person.specialties or [])
    )


def accept(entrustment: Entrustment, appraiser_ids: list[int], *, acting_user: User) -> Entrustment:
    """受理 with the appraisers named: each licensed in the field at this institution (决定 art.
    9), as many as the pack asks (通则 art. 19: two), none a party (回避, 通则 art. 20 — here: an
    appraiser named among the parties); the opinion limit starts (通则 art. 28)."""
    _require_appraiser(acting_user, entrustment)
    policy = appraisal_policy(entrustment.region)
    ids = sorted({i for i in appraiser_ids if isinstance(i, int) and not isinstance(i, bool)})
    if len(ids) < policy.appraisers_per_case:
        raise InvalidInput(
            f"同一鉴定事项应当指定{policy.appraisers_per_case}名以上司法鉴定人。",
            code="too_few_appraisers",
            field="appraiser_ids",
        )
    people = list(Practitioner.objects.filter(pk__in=ids))
    if len(people) != len(ids) or not all(_qualified(p, entrustment) for p in people):
        raise InvalidInput(
            f"所选鉴定人须为本机构在册执业、且具有{entrustment.field_label}执业类别的司法鉴定人。",
            code="not_qualified",
            field="appraiser_ids",
        )
    parties = {p.strip() for p in entrustment.parties}
    conflicted = [p.name for p in people if p.name in parties]
    if conflicted:
        raise Conflict(
            f"鉴定人{'、'.join(conflicted)}是本案当事人，应当回避。",
            code="conflict_of_interest",
        )
    with transaction.atomic():
        entrustment = lock(entrustment)
        if entrustment.status != EntrustmentStatus.RECEIVED:
            raise Conflict("该委托已作出受理决定。", code="bad_state")
        now = timezone.now()
        entrustment.status = EntrustmentStatus.ACCEPTED
        entrustment.decided_at = now
        entrustment.opinion_due_at = deadline(now, policy.opinion_period)
        entrustment.save()
        entrustment.appraisers.set(people)
        record_event(
            "appraisal.entrustment_accepted",
            actor=acting_user,
            obj=entrustment,
            detail={
                "number": entrustment.number,
                "appraisers": [p.licence_number for p in people],
                "late": now > entrustment.decide_by,
            },
        )
        queue_sms_to_record(
            entrustment,
            "entrusting_phone",
            f"【法网】您的司法鉴定委托{entrustment.number}已受理。",
        )
    return entrustment


def refuse(entrustment: Entrustment, reason: str, *, acting_user: User) -> Entrustment:
    """不予受理 with the reason (通则 art. 15 lists the grounds; the reason is free text)."""
    _require_appraiser(acting_user, entrustment)
    reason = clean_text(reason, MAX_TEXT, "reason", "不予受理的理由")
    with transaction.atomic():
        entrustment = lock(entrustment)
        if entrustment.status != EntrustmentStatus.RECEIVED:
            raise Conflict("该委托已作出受理决定。", code="bad_state")
        entrustment.status = EntrustmentStatus.REFUSED
        entrustment.decided_at = timezone.now()
        entrustment.refused_reason = reason
        entrustment.save()
        record_event(
            "appraisal.entrustment_refused",
            actor=acting_user,
            obj=entrustment,
            detail={"number": entrustment.number},
        )
        queue_sms_to_record(
            entrustment,
            "entrusting_phone",
            f"【法网】您的司法鉴定委托{entrustment.number}不予受理，理由已书面告知。",
        )
    return entrustment


def extend(entrustment: Entrustment, reason: str, *, acting_user: User) -> Entrustment:
    """延长鉴定时限: approved by the institution head, as many times and as long as the pack
    allows (通则 art. 28)."""
    if not is_head_of(acting_user, entrustment.institution_id):
        raise PermissionDenied("延长鉴定时限须经本鉴定机构负责人批准。")
    reason = clean_text(reason, MAX_TEXT, "reason", "延长理由")
    policy = appraisal_policy(entrustment.region)
    with transaction.atomic():
        entrustment = lock(entrustment)
        if entrustment.status != EntrustmentStatus.ACCEPTED or entrustment.opinion_due_at is None:
            raise Conflict("只有鉴定中的委托可以延长时限。", code="bad_state")
        if entrustment.extensions >= policy.max_extensions:
            raise Conflict("鉴定时限已延长过，不能再次延长。", code="no_more_extensions")
        due = entrustment.opinion_due_at - timedelta(seconds=1)
        entrustment.opinion_due_at = deadline(due, policy.extension_period)
        entrustment.extensions += 1
        entrustment.extension_reason = reason
        entrustment.save()
        record_event(
            "appraisal.time_extended",
            actor=acting_user,
            obj=entrustment,
            detail={"number": entrustment.number, "due": entrustment.opinion_due_at.isoformat()},
        )
    return entrustment


# --- coded opinions ---------------------------------------------------------------------------


def verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def case_code(entrustment: Entrustment, kind: str, serial: str) -> str:
    """City-wide unique case code (docs/appraisal.md): JD + the city's 6-digit division code +
    field letters + the JD serial (date and counter) + the document kind letter."""
    city_code = pack_for_region(entrustment.region).city_region_code
    return f"JD{city_code[:6]}{FIELD_LETTERS[entrustment.field]}{serial[2:]}{KIND_LETTER[kind]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != 12:
        raise InvalidInput("查询验证码应为 12 位字母或数字。", code="bad_code", field="code")
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def issue_opinion(
    entrustment: Entrustment, kind: str, summary: str, *, acting_user: User
) -> Opinion:
    """出具 a document: an opinion once the case is accepted, a supplement or correction after it.
    Each gets its own case code and verification code, printed on the cover; the PDF's SM3
    digest is signed by the institution; the entrusting party gets the codes by SMS."""
    _require_appraiser(acting_user, entrustment)
    kind = clean_choice(kind, OpinionKind.values, "kind", "文书类别")
    summary = clean_text(summary, MAX_TEXT, "summary", "鉴定意见")
    person = Practitioner.objects.filter(user=acting_user).first()
    if person is None or not entrustment.appraisers.filter(pk=person.pk).exists():
        raise PermissionDenied("只有承办本案的司法鉴定人可以出具文书。")
    with transaction.atomic():
        entrustment = lock(entrustment)
        wanted = (
            EntrustmentStatus.ACCEPTED
            if kind == OpinionKind.OPINION
            else EntrustmentStatus.COMPLETED
        )
        if entrustment.status != wanted:
            message = (
                "只有鉴定中的委托可以出具鉴定意见书。"
                if kind == OpinionKind.OPINION
                else "出具鉴定意见书后才能出具补充鉴定意见书或补正文书。"
            )
            raise Conflict(message, code="bad_state")
        now = timezone.now()
        code = case_code(entrustment, kind, next_number("JD", now))
        check = verification_code()
        while Opinion.objects.filter(verification_code=check).exists():
            check = verification_code()
        institution = entrustment.institution
        appraisers = list(entrustment.appraisers.order_by("licence_number"))
        licences = [p.licence_number for p in appraisers]
        title = str(OpinionKind(kind).label)
        document = signing.render_pdf(
            title,
            [
                f"案件赋码：{code}",
                f"查询验证码：{check}",
                f"鉴定机构：{institution.name}（许可证号 {institution.licence_number}）",
                f"委托编号：{entrustment.number}　委托人：{entrustment.entrusting_name}",
                f"鉴定类别：{entrustment.field_label}",
                f"委托鉴定事项：{entrustment.matter}",
                f"鉴定意见：{summary}",
                "司法鉴定人：" + "、".join(f"{p.name}（{p.licence_number}）" for p in appraisers),
                f"出具日期：{timezone.localdate(now):%Y年%m月%d日}",
                "凭查询验证码可在法网“司法鉴定文书核验”页查验本文书。",
            ],
        )
        digest = signing.sm3_hex(document)
        opinion = Opinion.objects.create(
            entrustment=entrustment,
            kind=kind,
            case_code=code,
            verification_code=check,
            summary=summary,
            issued_at=now,
            issued_by=acting_user,
            appraiser_licences=licences,
            document=document,
            digest=digest,
            signature=signing.sign(institution.pk, digest),
            public_key=signing.public_key_hex(institution.pk),
        )
        if kind == OpinionKind.OPINION:
            entrustment.status = EntrustmentStatus.COMPLETED
            entrustment.completed_at = now
            entrustment.save()
        record_event(
            "appraisal.opinion_issued",
            actor=acting_user,
            obj=opinion,
            detail={"case_code": code, "number": entrustment.number, "kind": kind},
        )
        queue_sms_to_record(
            entrustment,
            "entrusting_phone",
            f"【法网】{title}已出具，案件赋码{code}，查询验证码{check}，可在法网核验。",
        )
    return opinion


def withdraw_opinion(opinion: Opinion, reason: str, *, acting_user: User) -> Opinion:
    """The bureau withdraws (撤回) a document; verification then shows it as withdrawn."""
    _require_supervisor(acting_user, opinion.entrustment.institution)
    reason = clean_text(reason, 500, "reason", "撤回理由")
    with transaction.atomic():
        opinion = lock(opinion)
        if opinion.status == OpinionStatus.WITHDRAWN:
            raise Conflict("该文书已撤回。", code="already_withdrawn")
        opinion.status = OpinionStatus.WITHDRAWN
        opinion.withdrawn_at = timezone.now()
        opinion.withdraw_reason = reason
        opinion.save()
        record_event(
            "appraisal.opinion_withdrawn",
            actor=acting_user,
            obj=opinion,
            detail={"case_code": opinion.case_code},
        )
    return opinion


def verify(code: str) -> dict[str, Any]:
    """Anyone: what a verification code (or a case code) shows — document, institution, field,
    date, appraisers' licence numbers and status. Nothing about the parties or the matter."""
    text = (code or "").strip().upper()
    opinion = None
    if text.startswith("JD") and len(text) > 14:  # a case code; verification codes are 12–14
        opinion = Opinion.objects.filter(case_code=text).select_related("entrustment").first()
    else:
        opinion = (
            Opinion.objects.filter(verification_code=normalise_code(text))
            .select_related("entrustment__institution")
            .first()
        )
    if opinion is None:
        raise NotFound("没有找到该文书，请核对查询验证码。", code="bad_code")
    return public_view(opinion)


def public_view(opinion: Opinion) -> dict[str, Any]:
    institution = opinion.entrustment.institution
    return {
        "case_code": opinion.case_code,
        "kind": str(OpinionKind(opinion.kind).label),
        "institution": institution.name,
        "institution_licence": institution.licence_number,
        "field": field_label(opinion.entrustment.field),
        "issued_on": timezone.localdate(opinion.issued_at).isoformat(),
        "appraiser_licences": list(opinion.appraiser_licences),
        "status": opinion.status,
        "status_label": str(OpinionStatus(opinion.status).label),
        "digest": opinion.digest,
        "signature_valid": signing.verifies(
            bytes(opinion.document), opinion.signature, opinion.public_key
        ),
    }


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
                "该鉴定机构没有这个委托编号。", code="unknown_entrustment", field="entrustment"
            )
    with transaction.atomic():
        complaint = Complaint.objects.create(
            institution=institution, entrustment=entrustment, complainant=complainant, text=text
        )
        record_event("appraisal.complaint_received", actor=acting_user, obj=complaint)
    return complaint


def _opinion_by_code(code: str, institution: Institution) -> Opinion:
    """The optional opinion a citizen names by its verification code or case code."""
    text = code.strip().upper()
    if text.startswith("JD") and len(text) > 14:
        found = Opinion.objects.filter(case_code=text)
    else:
        found = Opinion.objects.filter(verification_code=normalise_code(text))
    opinion = found.filter(entrustment__institution=institution).first()
    if opinion is None:
        raise InvalidInput(
            "该鉴定机构没有出具过这份文书，请核对查询验证码或案件赋码。",
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
        raise PermissionDenied("只有群众可以在线投诉。")
    institution = active_institution(institution_id)
    text = clean_text(facts, MAX_TEXT, "text", "投诉事实")
    appraiser = None
    if appraiser_id:
        appraiser = Practitioner.objects.filter(
            pk=appraiser_id, institution=institution, kind=PractitionerKind.APPRAISER
        ).first()
        if appraiser is None:
            raise InvalidInput(
                "该鉴定机构没有这名鉴定人。", code="unknown_appraiser", field="appraiser"
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
            raise Conflict("该投诉已处理。", code="already_decided")
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
        raise InvalidInput("评议年度不正确。", code="bad_year", field="year")
    policy = appraisal_policy(institution.region)
    with transaction.atomic():
        if OpinionReview.objects.filter(institution=institution, year=year).exists():
            raise Conflict("该机构本年度的评议样本已抽取。", code="already_drawn")
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
        raise InvalidInput("评分应为 0 到 100 之间的整数。", code="bad_score", field="score")
    findings = clean_text(findings, MAX_TEXT, "findings", "评议意见")
    panel = clean_text(panel, 200, "panel", "评议组成员")
    with transaction.atomic():
        review = lock(review)
        if review.score is not None:
            raise Conflict("该文书已评议。", code="already_reviewed")
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
