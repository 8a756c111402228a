"""Mediating: sessions, agreement or failure, performance follow-up, judicial confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_choice, clean_text
from fawang.mediation.models import (
    Agreement,
    AgreementForm,
    ConfirmationStatus,
    Dispute,
    JudicialConfirmation,
    MediationSession,
    Performance,
    Referral,
)
from fawang.mediation.policy import mediation_policy
from fawang.mediation.services._common import (
    DISPUTE_TRANSITIONS,
    MAX_NOTE,
    MAX_TEXT,
    _audit,
    _require_committee_mediator,
    _require_handler,
    tell_order,
)
from fawang.policy.deadlines import Period, last_day
from fawang.workorders.models import Status as WorkOrderStatus
from fawang.workorders.services import reply_to_order

# What the citizen is told when mediation fails (People's Mediation Law art. 26).
REFERRAL_ADVICE = {
    Referral.LITIGATION: "向人民法院提起诉讼",
    Referral.ARBITRATION: "申请仲裁",
    Referral.ADMINISTRATIVE: "请求有关行政机关处理",
    Referral.LEGAL_AID: "申请法律援助",
    Referral.OTHER: "通过其他合法途径解决",
}


# --- mediation ------------------------------------------------------------------------------


def _reply_work_order(dispute: Dispute, user: User, text: str) -> None:
    """The outcome is the reply to the work order the mediator holds (the citizen is told)."""
    order = dispute.work_order
    if order is not None:
        order.refresh_from_db()
        if order.status == WorkOrderStatus.CLAIMED and order.assignee_id == user.pk:
            reply_to_order(order, reply=text, acting_user=user)


def record_session(
    dispute: Dispute,
    *,
    acting_user: User,
    held_at: datetime,
    attendance: str,
    notes: str,
    place: str = "",
    video_link: str = "",
) -> MediationSession:
    attendance = clean_text(attendance, 500, "attendance", "到场人员")
    notes = clean_text(notes, MAX_TEXT, "notes", "调解记录")
    place = clean_text(place, 200, "place", "调解地点", required=False)
    video_link = clean_text(video_link, 200, "video_link", "视频链接", required=False)
    if not place and not video_link:
        raise InvalidInput("请填写调解地点或视频调解链接。", code="required", field="place")
    if video_link:
        try:
            URLValidator(schemes=["https", "http"])(video_link)
        except ValidationError:
            raise InvalidInput("视频链接格式不正确。", code="bad_url", field="video_link") from None
    if held_at is None:
        raise InvalidInput("请填写调解时间。", code="required", field="held_at")
    if timezone.is_naive(held_at):
        # A time without an offset is local time (Asia/Shanghai), as on the forms.
        held_at = timezone.make_aware(held_at)
    if held_at > timezone.now() + timedelta(minutes=5):
        raise InvalidInput("调解时间不能晚于现在。", code="future", field="held_at")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_handler(acting_user, dispute)
        before = dispute.status
        dispute.status = (
            check_transition(DISPUTE_TRANSITIONS, dispute.status, "record_session")
            or dispute.status
        )
        dispute.save(update_fields=["status", "updated_at"])
        session = MediationSession.objects.create(
            dispute=dispute,
            held_at=held_at,
            place=place,
            video_link=video_link,
            attendance=attendance,
            notes=notes,
            recorded_by=acting_user,
        )
        _audit("session_recorded", dispute, acting_user, from_status=before, session=session.pk)
        tell_order(dispute, acting_user=acting_user)
    return session


@dataclass
class AgreementIn:
    form: str
    facts: str
    issues: str
    terms: str
    performance_manner: str
    performance_deadline: date | None
    signed_on: date | None
    # 人民调解法 第二十九条第一款第二项: 各方当事人的责任 (offered; not required by the platform).
    responsibilities: str = ""
    # 第二十八条: the parties consider a written agreement unnecessary (required for an oral one).
    parties_chose_oral: bool = False


def record_agreement(dispute: Dispute, data: AgreementIn, *, acting_user: User) -> Agreement:
    """Art. 28–30: a written agreement (or an oral one the mediator records) closes the dispute;
    art. 29 fixes what the written agreement states."""
    form = clean_choice(data.form, AgreementForm.values, "form", "协议形式")
    facts = clean_text(data.facts, MAX_TEXT, "facts", "纠纷主要事实")
    issues = clean_text(data.issues, MAX_TEXT, "issues", "争议事项")
    terms = clean_text(data.terms, MAX_TEXT, "terms", "协议内容")
    responsibilities = clean_text(
        data.responsibilities, MAX_TEXT, "responsibilities", "各方当事人的责任", required=False
    )
    if form == AgreementForm.ORAL and not data.parties_chose_oral:
        # 人民调解法 第二十八条: 当事人认为无需制作调解协议书的，可以采取口头协议方式.
        raise InvalidInput(
            "口头协议须由当事人认为无需制作调解协议书，请确认当事人的选择。",
            code="oral_not_chosen",
            field="parties_chose_oral",
        )
    manner = clean_text(data.performance_manner, 500, "performance_manner", "履行方式")
    if data.signed_on is None:
        raise InvalidInput("请填写签订日期。", code="required", field="signed_on")
    if data.signed_on > timezone.localdate():
        raise InvalidInput("签订日期不能晚于今天。", code="future", field="signed_on")
    if data.performance_deadline is None:
        raise InvalidInput("请填写履行期限。", code="required", field="performance_deadline")
    if data.performance_deadline < data.signed_on:
        raise InvalidInput(
            "履行期限不能早于签订日期。", code="bad_deadline", field="performance_deadline"
        )
    with transaction.atomic():
        dispute = lock(dispute)
        _require_handler(acting_user, dispute)
        before = dispute.status
        dispute.status = (
            check_transition(DISPUTE_TRANSITIONS, dispute.status, "agree") or dispute.status
        )
        dispute.closed_at = timezone.now()
        dispute.save(update_fields=["status", "closed_at", "updated_at"])
        agreement = Agreement.objects.create(
            dispute=dispute,
            form=form,
            facts=facts,
            issues=issues,
            responsibilities=responsibilities,
            parties_chose_oral=form == AgreementForm.ORAL,
            terms=terms,
            performance_manner=manner,
            performance_deadline=data.performance_deadline,
            signed_on=data.signed_on,
            created_by=acting_user,
        )
        _audit("agreed", dispute, acting_user, from_status=before, form=form)
        _reply_work_order(
            dispute,
            acting_user,
            f"调解成功，已达成{agreement.get_form_display()}（纠纷编号{dispute.number}）：{terms}",
        )
        tell_order(dispute, acting_user=acting_user)
    return agreement


def record_failure(dispute: Dispute, *, acting_user: User, reason: str, referral: str) -> Dispute:
    """Art. 26: when mediation fails, end it and tell the parties which way is open to them."""
    reason = clean_text(reason, MAX_NOTE, "reason", "调解不成原因")
    referral = clean_choice(referral, Referral.values, "referral", "后续去向")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_handler(acting_user, dispute)
        before = dispute.status
        dispute.status = (
            check_transition(DISPUTE_TRANSITIONS, dispute.status, "fail") or dispute.status
        )
        dispute.closed_at = timezone.now()
        dispute.failure_reason, dispute.referral = reason, referral
        dispute.save(
            update_fields=["status", "closed_at", "failure_reason", "referral", "updated_at"]
        )
        _audit("failed", dispute, acting_user, from_status=before, referral=referral)
        _reply_work_order(
            dispute,
            acting_user,
            f"调解未能达成协议（纠纷编号{dispute.number}）：{reason}。"
            f"您可以依法{REFERRAL_ADVICE[Referral(referral)]}，如需帮助可拨打12348。",
        )
        tell_order(dispute, acting_user=acting_user)
    return dispute


def follow_up_performance(
    dispute: Dispute, *, acting_user: User, performance: str, note: str = ""
) -> Agreement:
    """Art. 31: the committee follows up how the agreement is performed."""
    performance = clean_choice(performance, Performance.values, "performance", "履行情况")
    note = clean_text(note, MAX_NOTE, "note", "回访记录", required=False)
    with transaction.atomic():
        dispute = lock(dispute)
        _require_committee_mediator(acting_user, dispute)
        check_transition(DISPUTE_TRANSITIONS, dispute.status, "follow_up")
        agreement = Agreement.objects.select_for_update().get(dispute=dispute)
        agreement.performance = performance
        agreement.follow_up_note = note
        agreement.followed_up_at = timezone.now()
        agreement.save(
            update_fields=["performance", "follow_up_note", "followed_up_at", "updated_at"]
        )
        Dispute.objects.filter(pk=dispute.pk).update(updated_at=timezone.now())
        _audit("followed_up", dispute, acting_user, performance=performance)
    return agreement


def confirmation_last_day(effective_on: date, window: Period) -> date:
    """The last day to apply for judicial confirmation of an agreement effective on that day."""
    return last_day(effective_on, window)


def request_judicial_confirmation(
    dispute: Dispute, *, acting_user: User, court: str, requested_on: date | None
) -> JudicialConfirmation:
    """人民调解法 第三十三条 / 民事诉讼法 第二百零五条: the parties may jointly apply to the court
    within 30 days of the agreement taking effect (the pack's ``judicial_confirmation``), counted
    as 民事诉讼法 第八十五条 says: a last day that is a day off moves to the next working day."""
    court = clean_text(court, 100, "court", "人民法院")
    if requested_on is None:
        raise InvalidInput("请填写申请日期。", code="required", field="requested_on")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_committee_mediator(acting_user, dispute)
        check_transition(DISPUTE_TRANSITIONS, dispute.status, "request_confirmation")
        agreement = Agreement.objects.get(dispute=dispute)
        if agreement.form != AgreementForm.WRITTEN:
            raise InvalidInput("只有书面调解协议可以申请司法确认。", code="oral", field="form")
        window = mediation_policy(dispute.region).judicial_confirmation
        last = confirmation_last_day(agreement.signed_on, window)
        if not agreement.signed_on <= requested_on <= last:
            raise InvalidInput(
                f"司法确认应在调解协议生效之日起{window}内（{last:%Y年%m月%d日}前）申请。",
                code="out_of_window",
                field="requested_on",
            )
        if JudicialConfirmation.objects.filter(agreement=agreement).exists():
            raise Conflict("该协议已申请司法确认。", code="already_requested")
        confirmation = JudicialConfirmation.objects.create(
            agreement=agreement, court=court, requested_on=requested_on
        )
        Dispute.objects.filter(pk=dispute.pk).update(updated_at=timezone.now())
        _audit("confirmation_requested", dispute, acting_user, court=court)
    return confirmation


def record_confirmation_answer(
    dispute: Dispute,
    *,
    acting_user: User,
    granted: bool,
    answered_on: date | None,
    court_ref: str = "",
) -> JudicialConfirmation:
    court_ref = clean_text(court_ref, 64, "court_ref", "法院案号", required=False)
    if answered_on is None:
        raise InvalidInput("请填写裁定日期。", code="required", field="answered_on")
    with transaction.atomic():
        dispute = lock(dispute)
        _require_committee_mediator(acting_user, dispute)
        confirmation = (
            JudicialConfirmation.objects.select_for_update()
            .filter(agreement__dispute=dispute)
            .first()
        )
        if confirmation is None:
            raise Conflict("该协议尚未申请司法确认。", code="not_requested")
        if confirmation.status != ConfirmationStatus.REQUESTED:
            raise Conflict("法院已作出裁定。", code="already_answered")
        if answered_on < confirmation.requested_on or answered_on > timezone.localdate():
            raise InvalidInput(
                "裁定日期应在申请日期与今天之间。", code="bad_date", field="answered_on"
            )
        confirmation.status = ConfirmationStatus.GRANTED if granted else ConfirmationStatus.REFUSED
        confirmation.answered_on, confirmation.court_ref = answered_on, court_ref
        confirmation.save(update_fields=["status", "answered_on", "court_ref", "updated_at"])
        Dispute.objects.filter(pk=dispute.pk).update(updated_at=timezone.now())
        _audit("confirmation_answered", dispute, acting_user, status=confirmation.status)
    return confirmation
