"""Coded opinions (赋码): issue (signed, with its 提取码), withdraw, the public verification."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fawang.appraisal import signing
from fawang.appraisal.fields import FIELD_LETTERS, field_label
from fawang.appraisal.models import (
    EntrustingKind,
    Entrustment,
    EntrustmentStatus,
    Opinion,
    OpinionKind,
    OpinionStatus,
    SignatureAlgorithm,
)
from fawang.appraisal.services._common import (
    MAX_TEXT,
    _require_appraiser,
    _require_supervisor,
)
from fawang.appraisal.services.codes import (
    download_code_hash,
    new_download_code,
    opinion_by_code,
    verification_code,
)
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, NotFound, PermissionDenied
from fawang.core.models import Practitioner, User
from fawang.core.numbering import next_number
from fawang.core.registry import notify
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.validation import clean_choice, clean_text
from fawang.policy.packs import pack_for_region

KIND_LETTER: dict[str, str] = {
    OpinionKind.OPINION: "Y",
    OpinionKind.SUPPLEMENT: "B",
    OpinionKind.CORRECTION: "G",
}
# What other lines hear when a document is issued (core.registry hooks; docs/appraisal.md).
OPINION_ISSUED = "appraisal.opinion_issued"


# --- coded opinions ---------------------------------------------------------------------------


def case_code(entrustment: Entrustment, kind: str, serial: str) -> str:
    """City-wide unique case code (docs/appraisal.md): JD + the city's 6-digit division code +
    field letters + the JD serial (date and counter) + the document kind letter."""
    city_code = pack_for_region(entrustment.region).city_region_code
    return f"JD{city_code[:6]}{FIELD_LETTERS[entrustment.field]}{serial[2:]}{KIND_LETTER[kind]}"


def issue_opinion(
    entrustment: Entrustment, kind: str, summary: str, *, acting_user: User
) -> Opinion:
    """出具 a document: an opinion once the case is accepted, a supplement or correction after it.
    Each gets its own case code and verification code, printed on the cover; the PDF is signed
    by the institution (SM2/SM3, ``signing``); the entrusting party gets the codes and the
    document's 提取码 (download code, stored only as a keyed hash) by SMS. Once committed, the
    lines that declared a hook for ``appraisal.opinion_issued`` are told (鉴调一体: mediation
    records it on the dispute) — the dispute number, codes, institution and date, nothing
    personal."""
    _require_appraiser(acting_user, entrustment)
    kind = clean_choice(kind, OpinionKind.values, "kind", "文书类别")
    summary = clean_text(summary, MAX_TEXT, "summary", "鉴定意见")
    person = Practitioner.objects.filter(user=acting_user).first()
    if person is None or not entrustment.appraisers.filter(pk=person.pk).exists():
        raise PermissionDenied(_("只有承办本案的司法鉴定人可以出具文书。"))
    with transaction.atomic():
        entrustment = lock(entrustment)
        wanted = (
            EntrustmentStatus.ACCEPTED
            if kind == OpinionKind.OPINION
            else EntrustmentStatus.COMPLETED
        )
        if entrustment.status != wanted:
            message = (
                _("只有鉴定中的委托可以出具鉴定意见书。")
                if kind == OpinionKind.OPINION
                else _("出具鉴定意见书后才能出具补充鉴定意见书或补正文书。")
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
        # The document, the SMS and the mediation record are Chinese whatever the reader's language.
        with translation.override(settings.LANGUAGE_CODE):
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
        download = new_download_code()
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
            signature=signing.sign(institution.pk, document),
            public_key=signing.public_key_hex(institution.pk),
            algorithm=SignatureAlgorithm.SM2_SM3,
            download_code_hash=download_code_hash(code, download),
            download_code_issued_at=now,
        )
        if kind == OpinionKind.OPINION:
            entrustment.status = EntrustmentStatus.COMPLETED
            entrustment.completed_at = now
            entrustment.save()
        record_event(
            OPINION_ISSUED,
            actor=acting_user,
            obj=opinion,
            detail={"case_code": code, "number": entrustment.number, "kind": kind},
        )
        queue_sms_to_record(
            entrustment,
            "entrusting_phone",
            f"【法网】{title}已出具，案件赋码{code}，查询验证码{check}，提取码{download}"
            "（凭提取码可在法网“鉴定文书核验”页下载文书，请勿告知无关人员）。",
        )
        notify(
            OPINION_ISSUED,
            dispute_number=(
                entrustment.mediation_ref
                if entrustment.entrusting_kind == EntrustingKind.MEDIATION
                else ""
            ),
            case_code=code,
            kind=title,
            institution_id=institution.pk,
            institution=institution.name,
            issued_on=timezone.localdate(now).isoformat(),
            verify_path=f"{reverse('appraisal:verify')}?code={code}",
        )
    return opinion


def withdraw_opinion(opinion: Opinion, reason: str, *, acting_user: User) -> Opinion:
    """The bureau withdraws (撤回) a document; verification then shows it as withdrawn."""
    _require_supervisor(acting_user, opinion.entrustment.institution)
    reason = clean_text(reason, 500, "reason", "撤回理由")
    with transaction.atomic():
        opinion = lock(opinion)
        if opinion.status == OpinionStatus.WITHDRAWN:
            raise Conflict(_("该文书已撤回。"), code="already_withdrawn")
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
    opinion = opinion_by_code(code)
    if opinion is None:
        raise NotFound(_("没有找到该文书，请核对查询验证码。"), code="bad_code")
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
        "signature_algorithm": signing.ALGORITHM_LABELS.get(opinion.algorithm, opinion.algorithm),
        "signature_valid": signing.verifies(
            bytes(opinion.document), opinion.signature, opinion.public_key, opinion.algorithm
        ),
    }
