"""Ending legal aid (法律援助法 第四十八条) and objections to a refusal or a termination (第四十九条)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Role, User
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.transitions import Transitions, check_transition
from fawang.core.validation import clean_text
from fawang.legalaid.models import (
    CASE_TRANSITIONS,
    OBJECTION_TRANSITIONS,
    AidApplication,
    AidCase,
    ApplicationStatus,
    Assignment,
    CaseStatus,
    LetterKind,
    Objection,
    ObjectionKind,
    ObjectionStatus,
    TerminationGround,
)
from fawang.legalaid.policy import policy_for_region
from fawang.legalaid.services._common import (
    APPLICATION_FLOW,
    CASE_FLOW,
    MAX_NOTE,
    MAX_TEXT,
    _choice,
    _require_officer,
    _require_provider,
    supervises,
    tell_order,
)
from fawang.legalaid.services.notice import queue_letter_to_organ
from fawang.policy.deadlines import deadline

ENDABLE_CASE_STATUSES = frozenset(CASE_TRANSITIONS["terminate"][0])
OBJECTION_FLOW = Transitions(OBJECTION_TRANSITIONS, statuses=ObjectionStatus)
# Who may take in an objection for the bureau: the applicant online, the window for them, or the
# bureau's own staff from a letter (法律援助法 第四十九条: 向设立该法律援助机构的司法行政部门提出).
OBJECTION_INTAKE_ROLES = frozenset({Role.WINDOW_CLERK})


# --- termination (第四十八条) ---------------------------------------------------------------


def report_termination_ground(
    case: AidCase, *, ground: str, note: str, acting_user: User
) -> AidCase:
    """法律援助法 第四十八条第二款: the provider reports a ground at once; the centre decides."""
    _require_provider(acting_user, case)
    ground = _choice(ground, TerminationGround.values, "ground", "终止情形")
    note = clean_text(note, MAX_NOTE, "note", "报告说明")
    with transaction.atomic():
        case = lock(case)
        check_transition(CASE_FLOW, case.status, "report_ground")
        case.reported_ground, case.reported_note = ground, note
        case.save(update_fields=["reported_ground", "reported_note", "updated_at"])
        record_event(
            "legalaid.termination_reported",
            actor=acting_user,
            obj=case,
            detail={"number": case.number, "ground": ground},
        )
    return case


def terminate_case(case: AidCase, *, ground: str, reasons: str, acting_user: User) -> AidCase:
    """法律援助法 第四十八条第一款: the centre's written decision to end legal aid, on one of the
    listed grounds. The recipient and the provider are told, with the objection route (第四十九条),
    and a notifying court, procuratorate or police gets the decision through its integration."""
    _require_officer(acting_user, case.centre_id)
    ground = _choice(ground, TerminationGround.values, "ground", "终止情形")
    reasons = clean_text(reasons, MAX_TEXT, "reasons", "终止法律援助的事实和理由")
    with transaction.atomic():
        case = lock(case)
        _end_case(case, ground=ground, reasons=reasons, acting_user=acting_user, now=timezone.now())
    return case


def _end_case(
    case: AidCase, *, ground: str, reasons: str, acting_user: User, now: datetime
) -> None:
    """In the caller's transaction, with ``case`` locked."""
    to_status = check_transition(CASE_FLOW, case.status, "terminate")
    provider = case.provider
    decision = (
        f"终止法律援助决定（{case.number}）：经审查，{TerminationGround(ground).label}。"
        f"{reasons} 依据《中华人民共和国法律援助法》第四十八条，决定终止法律援助。"
        "受援人对本决定有异议的，可以向设立法律援助机构的司法行政部门提出（第四十九条）。"
    )
    case.status = to_status
    case.terminated_at = now
    case.termination_ground = ground
    case.termination_decision = decision[:MAX_TEXT]
    case.save()
    Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
    tell_order(case.application, acting_user=acting_user)
    if case.application is not None:
        queue_sms_to_record(
            case.application,
            "applicant_phone",
            f"【法网】法律援助机构决定终止您的法律援助案件{case.number}，理由见书面决定。"
            "有异议的，可向设立法律援助机构的司法行政部门提出（法律援助法第四十九条）。",
        )
    if provider is not None:
        queue_sms_to_record(
            provider.practitioner,
            "phone",
            f"【法网】法律援助案件{case.number}已决定终止法律援助，请停止承办并办理交接。",
        )
    notice = getattr(case, "notice", None)
    if notice is not None:
        queue_letter_to_organ(notice, LetterKind.TERMINATED, decision, case=case)
    record_event(
        "legalaid.case_terminated",
        actor=acting_user,
        obj=case,
        detail={"number": case.number, "ground": ground},
    )


# --- objections (第四十九条) -----------------------------------------------------------------


def file_objection(
    *,
    reasons: str,
    acting_user: User,
    application: AidApplication | None = None,
    case: AidCase | None = None,
) -> Objection:
    """An objection to a refusal (``application``) or a termination (``case``), reviewed by the
    justice bureau within the pack's period (法律援助法 第四十九条: 五日内)."""
    reasons = clean_text(reasons, MAX_TEXT, "reasons", "异议理由")
    with transaction.atomic():
        if application is not None:
            application = lock(application)
            if application.status != ApplicationStatus.REFUSED:
                raise Conflict("只能对不予法律援助的决定提出异议。", code="bad_state")
            kind, owner_id = ObjectionKind.REFUSAL, application.applicant_id
            centre, region = application.centre, application.region
        elif case is not None:
            case = lock(case)
            if case.status != CaseStatus.TERMINATED:
                raise Conflict("只能对终止法律援助的决定提出异议。", code="bad_state")
            kind = ObjectionKind.TERMINATION
            owner_id = case.application.applicant_id if case.application else None
            centre, region = case.centre, case.region
        else:
            raise InvalidInput("请指明异议针对的决定。", code="required", field="reasons")
        allowed = (
            (owner_id is not None and owner_id == acting_user.pk)
            or acting_user.role in OBJECTION_INTAKE_ROLES
            or supervises(acting_user, region)
        )
        if not allowed:
            raise PermissionDenied("只有申请人、受援人或者司法行政部门可以登记异议。")
        pending = Objection.objects.filter(
            application=application, case=case, status=ObjectionStatus.PENDING
        )
        if pending.exists():
            raise Conflict("该决定已有异议正在审查。", code="duplicate")
        now = timezone.now()
        objection = Objection.objects.create(
            kind=kind,
            application=application,
            case=case,
            centre=centre,
            region=region,
            reasons=reasons,
            received_at=now,
            received_by=acting_user,
            review_due_at=deadline(now, policy_for_region(region).objection_review),
        )
        record_event(
            "legalaid.objection_filed",
            actor=acting_user,
            obj=objection,
            detail={"kind": kind, "due": f"{objection.review_due_day:%Y-%m-%d}"},
        )
    return objection


def decide_objection(
    objection: Objection, *, correct: bool, decision: str, acting_user: User
) -> Objection:
    """法律援助法 第四十九条: the bureau upholds the centre's decision or orders it corrected. A
    corrected refusal goes back to the centre for a new decision; a corrected termination puts
    the case back for assignment."""
    if not supervises(acting_user, objection.region):
        raise PermissionDenied("只有设立法律援助机构的司法行政部门可以审查异议。")
    decision = clean_text(decision, MAX_TEXT, "decision", "审查决定")
    with transaction.atomic():
        objection = lock(objection)
        to_status = check_transition(
            OBJECTION_FLOW, objection.status, "correct" if correct else "uphold"
        )
        now = timezone.now()
        objection.status, objection.decision = to_status, decision
        objection.decided_at, objection.decided_by = now, acting_user
        objection.save()
        policy = policy_for_region(objection.region)
        if correct and objection.application_id is not None:
            application = lock(AidApplication.objects.all(), objection.application_id)
            application.status = (
                check_transition(APPLICATION_FLOW, application.status, "reopen")
                or application.status
            )
            application.decided_at = None
            application.decided_by = None
            application.decision_due_at = deadline(now, policy.decision)
            application.save()
        if correct and objection.case_id is not None:
            case = lock(AidCase.objects.all(), objection.case_id)
            case.status = check_transition(CASE_FLOW, case.status, "resume")
            case.provider = None
            case.assignment_due_at = deadline(now, policy.assignment_after_decision)
            case.save()
        told = objection.application or (objection.case.application if objection.case else None)
        tell_order(told, acting_user=acting_user)
        if told is not None:
            queue_sms_to_record(
                told,
                "applicant_phone",
                "【法网】司法行政部门已审查您的法律援助异议："
                + (
                    "责令法律援助机构改正。"
                    if correct
                    else "维持法律援助机构的决定；不服的，可以依法申请行政复议或者提起行政诉讼。"
                ),
            )
        record_event(
            "legalaid.objection_decided",
            actor=acting_user,
            obj=objection,
            detail={"status": objection.status, "in_time": now <= objection.review_due_at},
        )
    return objection
