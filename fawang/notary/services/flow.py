"""The notary's flow: accept or refuse, verification, pauses, approval, fee, certificate,
delivery, archive, revocation. Each verb locks the row, checks the table, writes, audits."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_choice, clean_text
from fawang.notary.catalogue import IN_PERSON, ONLINE
from fawang.notary.models import (
    Certificate,
    CertificateStatus,
    Delivery,
    FeeGroup,
    MaterialsNotice,
    MatterStatus,
    NotarialMatter,
    Pause,
    PauseReason,
    Verification,
    VerificationMethod,
)
from fawang.notary.policy import notary_policy
from fawang.notary.services._common import (
    MATTER_FLOW,
    MAX_TEXT,
    is_head_of,
    is_notary_of,
    next_status,
    require_notary,
)
from fawang.notary.services.matters import end_pauses, refresh_due
from fawang.workorders.models import Status as WorkOrderStatus
from fawang.workorders.services import claim_order, reply_to_order

# How to object to a refusal (text of the decision; the route is the platform's, pack data).
OBJECTION_ROUTE = (
    "对不予办理决定有异议的，可以向本公证处提出复查，或者向公证处所在地司法行政机关、公证协会投诉。"
)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def fee_for(matter: NotarialMatter) -> tuple[Decimal, str]:
    """The fee from the city pack, reduced for legal-aid recipients (公证法 art. 34) and special
    groups (National (六)); the percentages are pack data."""
    policy = notary_policy(matter.region)
    base = policy.fees[matter.matter.fee_basis]
    if matter.with_authentication:
        base += policy.fees["authentication"]
    percent = {
        FeeGroup.LEGAL_AID: policy.legal_aid_reduction_percent,
        FeeGroup.SPECIAL: policy.special_group_reduction_percent,
    }.get(FeeGroup(matter.fee_group), 0)
    amount = (base * (100 - percent) / 100).quantize(Decimal("0.01"))
    note = f"收费标准 {base} 元"
    if percent:
        # Stored with the matter: Chinese whatever the language of the notary's page.
        with translation.override(settings.LANGUAGE_CODE):
            group = str(FeeGroup(matter.fee_group).label)
        note += f"，{group}减免 {percent}%"
    return amount, note


def _claim_work_order(matter: NotarialMatter, user: User) -> None:
    """The notary who accepts also claims the work order waiting in the office's own queue, so the
    order's deadlines follow the matter (workorders verbs, not a bypass)."""
    order = matter.work_order
    order.refresh_from_db()
    if (
        order.status == WorkOrderStatus.QUEUED
        and order.institution_id == matter.office_id == user.institution_id
    ):
        claim_order(order, acting_user=user)


def _reply_work_order(matter: NotarialMatter, user: User, text: str) -> None:
    """The outcome (certificate issued, or refusal) is the reply to the order the notary holds."""
    order = matter.work_order
    order.refresh_from_db()
    if order.status == WorkOrderStatus.CLAIMED and order.assignee_id == user.pk:
        reply_to_order(order, reply=text, acting_user=user)


def accept(matter: NotarialMatter, *, acting_user: User) -> NotarialMatter:
    """受理: the notary takes the matter; the 15-working-day limit starts (公证法 art. 30)."""
    require_notary(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        matter.status = next_status(matter.status, "accept")
        matter.accepted_at = timezone.now()
        matter.notary = acting_user
        matter.fee_amount, matter.fee_note = fee_for(matter)
        matter.save()
        refresh_due(matter)
        _claim_work_order(matter, acting_user)
        record_event(
            "notary.matter_accepted", actor=acting_user, obj=matter, detail={"code": matter.code}
        )
        queue_sms_to_record(
            matter,
            "applicant_phone",
            f"【法网】您的公证事项{matter.code}已受理，公证费{matter.fee_amount}元。",
        )
    return matter


def refuse(matter: NotarialMatter, reason: str, *, acting_user: User) -> NotarialMatter:
    """不予办理 (公证法 art. 31) with the reason and the route to object."""
    require_notary(acting_user, matter)
    reason = clean_text(reason, MAX_TEXT, "reason", "不予办理的理由")
    with transaction.atomic():
        matter = lock(matter)
        matter.status = next_status(matter.status, "refuse")
        now = timezone.now()
        matter.refused_reason = f"{reason}\n{OBJECTION_ROUTE}"
        matter.closed_at = now
        matter.notary = matter.notary or acting_user
        matter.save()
        matter.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        _claim_work_order(matter, acting_user)
        _reply_work_order(matter, acting_user, f"不予办理公证。理由：{matter.refused_reason}")
        record_event(
            "notary.matter_refused", actor=acting_user, obj=matter, detail={"code": matter.code}
        )
        queue_sms_to_record(
            matter,
            "applicant_phone",
            f"【法网】您的公证事项{matter.code}不予办理，理由及异议途径请登录查看。",
        )
    return matter


def record_verification(
    matter: NotarialMatter,
    subject: str,
    method: str,
    confirmed: bool,
    note: str,
    *,
    acting_user: User,
) -> Verification:
    """公证法 art. 29: who checked what and how."""
    require_notary(acting_user, matter)
    subject = clean_text(subject, 200, "subject", "核实事项")
    method = clean_choice(
        method, VerificationMethod.values, "method", "核实方式", code="unknown_method"
    )
    note = clean_text(note, 500, "note", "说明", required=False)
    with transaction.atomic():
        matter = lock(matter)
        check_transition(MATTER_FLOW, matter.status, "verify")
        step = Verification.objects.create(
            matter=matter,
            subject=subject,
            method=method,
            confirmed=bool(confirmed),
            note=note,
            checked_by=acting_user,
        )
        record_event(
            "notary.verification_recorded",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "method": method},
        )
    return step


def pause(matter: NotarialMatter, reason: str, note: str, *, acting_user: User) -> Pause:
    """Stop the clock for verification outside the office or force majeure (art. 30)."""
    require_notary(acting_user, matter)
    reason = clean_choice(
        reason,
        [PauseReason.VERIFICATION, PauseReason.FORCE_MAJEURE],
        "reason",
        "暂停事由",
        code="unknown_reason",
    )
    note = clean_text(note, 200, "note", "说明")
    with transaction.atomic():
        matter = lock(matter)
        check_transition(MATTER_FLOW, matter.status, "pause")
        if matter.pauses.filter(reason=reason, ended_at__isnull=True).exists():
            raise Conflict(_("该事由的计时暂停尚未结束。"), code="already_paused")
        row = Pause.objects.create(matter=matter, reason=reason, note=note)
        record_event(
            "notary.clock_paused",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "reason": reason},
        )
    return row


def resume(matter: NotarialMatter, reason: str, *, acting_user: User) -> NotarialMatter:
    require_notary(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        if (
            reason == PauseReason.MATERIALS
            or not matter.pauses.filter(reason=reason, ended_at__isnull=True).exists()
        ):
            raise Conflict(_("没有可以由公证员结束的计时暂停。"), code="not_paused")
        end_pauses(matter, reason, timezone.now())
        record_event(
            "notary.clock_resumed",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "reason": reason},
        )
    return matter


def conclude_review(matter: NotarialMatter, *, acting_user: User) -> NotarialMatter:
    """Materials and verification done: to a second notary where the rules ask, else to issue."""
    require_notary(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        verb = "submit_for_approval" if matter.needs_approval else "ready"
        to_status = next_status(matter.status, verb)
        notice = MaterialsNotice.objects.filter(matter=matter).first()
        if notice is not None and notice.completed_at is None:
            raise Conflict(_("一次性告知的材料尚未补齐。"), code="materials_missing")
        if matter.pauses.filter(ended_at__isnull=True).exists():
            raise Conflict(_("计时暂停尚未结束，请先结束核实。"), code="paused")
        matter.status = to_status
        matter.save()
        record_event(
            "notary.review_concluded",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "status": to_status},
        )
    return matter


def approve(matter: NotarialMatter, *, acting_user: User) -> NotarialMatter:
    """审批 by another notary of the office (the office's approval rule, catalogue data)."""
    require_notary(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        if matter.notary_id == acting_user.pk:
            raise PermissionDenied(_("审批须由承办公证员以外的公证员进行。"), code="same_notary")
        matter.status = next_status(matter.status, "approve")
        matter.approved_by = acting_user
        matter.approved_at = timezone.now()
        matter.save()
        record_event(
            "notary.matter_approved", actor=acting_user, obj=matter, detail={"code": matter.code}
        )
    return matter


def record_payment(matter: NotarialMatter, *, acting_user: User) -> NotarialMatter:
    require_notary(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        check_transition(MATTER_FLOW, matter.status, "pay")
        if matter.paid_at is not None:
            raise Conflict(_("公证费已登记缴纳。"), code="already_paid")
        matter.paid_at = timezone.now()
        matter.save()
        record_event(
            "notary.fee_paid",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "amount": str(matter.fee_amount)},
        )
    return matter


def fee_settled(matter: NotarialMatter) -> bool:
    return matter.paid_at is not None or (matter.fee_amount is not None and matter.fee_amount == 0)


def identity_done(matter: NotarialMatter) -> bool:
    """A matter that cannot be done wholly online needs its one visit or a finished video."""
    modes = matter.matter.modes
    if ONLINE in modes or IN_PERSON not in modes:
        return True
    if matter.visits.exists():
        return True
    return (
        matter.matter.allows_video and matter.video_sessions.filter(ended_at__isnull=False).exists()
    )


def _verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def issue_certificate(matter: NotarialMatter, *, acting_user: User) -> Certificate:
    require_notary(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        matter.status = next_status(matter.status, "issue")
        if not fee_settled(matter):
            # 公证法 art. 31 (9): a fee refused means no certificate.
            raise Conflict(_("公证费尚未缴纳，不能出具公证书。"), code="unpaid")
        if not identity_done(matter):
            raise Conflict(
                _("当事人尚未到场或视频办理签字、身份核验，不能出具公证书。"), code="no_visit"
            )
        now = timezone.now()
        code = _verification_code()
        while Certificate.objects.filter(verification_code=code).exists():
            code = _verification_code()
        certificate = Certificate.objects.create(
            matter=matter,
            number=f"（{timezone.localdate(now).year}）证字第{matter.code}号",
            verification_code=code,
            issued_at=now,
            issued_by=acting_user,
        )
        matter.closed_at = now  # 办结: the certificate is the outcome the time limit is about
        matter.save()
        _reply_work_order(
            matter,
            acting_user,
            f"公证书已出具，编号{certificate.number}，可凭核验码在法网公证书核验页查验。",
        )
        record_event(
            "notary.certificate_issued",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "certificate": certificate.number},
        )
        queue_sms_to_record(
            matter,
            "applicant_phone",
            f"【法网】您的公证书已出具，核验码{code}，可在法网公证书核验页查验。",
        )
    return certificate


def deliver(matter: NotarialMatter, method: str, *, acting_user: User) -> NotarialMatter:
    require_notary(acting_user, matter)
    method = clean_choice(method, Delivery.values, "method", "送达方式", code="unknown_method")
    with transaction.atomic():
        matter = lock(matter)
        matter.status = next_status(matter.status, "deliver")
        matter.delivery = method
        matter.delivered_at = timezone.now()
        matter.save()
        record_event(
            "notary.certificate_delivered",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "method": method},
        )
    return matter


def archive(matter: NotarialMatter, *, acting_user: User) -> NotarialMatter:
    require_notary(acting_user, matter)
    with transaction.atomic():
        matter = lock(matter)
        matter.status = next_status(matter.status, "archive")
        matter.archived_at = timezone.now()
        matter.save()
        record_event(
            "notary.matter_archived", actor=acting_user, obj=matter, detail={"code": matter.code}
        )
    return matter


def revoke_certificate(certificate: Certificate, reason: str, *, acting_user: User) -> Certificate:
    """公证法 art. 39: a certificate found wrong is revoked; the public check then says so."""
    office_id = certificate.matter.office_id
    if not (is_notary_of(acting_user, office_id) or is_head_of(acting_user, office_id)):
        raise PermissionDenied(_("只有出具该公证书的公证处可以撤销公证书。"))
    reason = clean_text(reason, 500, "reason", "撤销理由")
    with transaction.atomic():
        certificate = lock(certificate)
        if certificate.status == CertificateStatus.REVOKED:
            raise Conflict(_("该公证书已撤销。"), code="already_revoked")
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoke_reason = reason
        certificate.revoked_by = acting_user
        certificate.save()
        record_event(
            "notary.certificate_revoked",
            actor=acting_user,
            obj=certificate.matter,
            detail={"certificate": certificate.number},
        )
    return certificate


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != 12:
        raise InvalidInput(_("核验码应为 12 位字母或数字。"), code="bad_code", field="code")
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


__all__ = ["MatterStatus"]


OPEN_STATUSES = (MatterStatus.ACCEPTED, MatterStatus.AWAITING_APPROVAL, MatterStatus.APPROVED)


def mark_overdue(now: datetime | None = None) -> list[str]:
    """Mark matters past their issue limit with no pause running (once each); the bureau's
    figures and the queue show them. Safe to re-run."""
    now = now or timezone.now()
    paused = Pause.objects.filter(ended_at__isnull=True).values("matter_id")
    late = NotarialMatter.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, overdue_marked_at__isnull=True
    ).exclude(pk__in=paused)
    codes = list(late.values_list("code", flat=True)[:500])
    if codes:
        with transaction.atomic():
            # update() skips auto_now: the indicator fill finds changed matters by updated_at.
            NotarialMatter.objects.filter(code__in=codes).update(
                overdue_marked_at=now, updated_at=timezone.now()
            )
            record_event(
                "notary.matter_overdue",
                actor="fawang scheduler",
                obj=None,
                detail={"codes": codes[:200], "count": len(codes)},
            )
    return codes
