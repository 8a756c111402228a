"""Arbitration supervision use cases: register a commission's case, record its outcome and the
court's, run the false-arbitration rules, review a flag, the backlog and the figures. The bureau
over the commission's region acts (the commission clerk role is not yet a platform role)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.arbitration.models import ArbitrationCase, CourtOutcome, Flag, FlagStatus, Outcome
from fawang.arbitration.policy import arbitration_policy
from fawang.arbitration.rules import CHECKS
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Role,
    User,
)
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_phone, clean_text
from fawang.policy.deadlines import last_day

MAX_TEXT = 2000


def _require_supervisor(user: User, commission: Institution) -> None:
    if not (
        user.role in SUPERVISOR_ROLES
        and user.region is not None
        and user.region.contains(commission.region)
    ):
        raise PermissionDenied(_("只有主管该仲裁委员会所在地的司法行政机关可以进行此操作。"))


def _require_reporter(user: User, commission: Institution) -> None:
    """The commission's own clerk, or the bureau over it, reports the commission's cases."""
    if user.role == Role.ARBITRATION_CLERK:
        if user.institution_id != commission.pk:
            raise PermissionDenied(_("只能登记本仲裁委员会的案件。"), code="not_own_commission")
        return
    _require_supervisor(user, commission)


def _commission(commission_id: Any) -> Institution:
    found = (
        Institution.objects.filter(
            pk=commission_id if isinstance(commission_id, int) else -1,
            kind=InstitutionKind.ARBITRATION_COMMISSION,
            status=InstitutionStatus.ACTIVE,
        )
        .select_related("region")
        .first()
    )
    if found is None:
        raise InvalidInput(_("请选择仲裁委员会。"), code="no_commission", field="commission_id")
    return found


@dataclass
class CaseIn:
    commission_id: int
    case_number: str
    claimant: str
    respondent: str
    claims: str
    amount: Any
    filed_on: date
    claimant_phone: str = ""
    respondent_phone: str = ""
    claimant_agent: str = ""
    respondent_agent: str = ""
    arbitrators: list[str] | None = None
    contested: bool = False


def register_case(data: CaseIn, *, acting_user: User) -> ArbitrationCase:
    commission = _commission(data.commission_id)
    _require_reporter(acting_user, commission)
    number = clean_text(data.case_number, 40, "case_number", "案号")
    try:
        amount = Decimal(str(data.amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("争议金额应为金额。"), code="bad_amount", field="amount") from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise InvalidInput(_("争议金额超出范围。"), code="bad_amount", field="amount")
    if not isinstance(data.filed_on, date) or data.filed_on > timezone.localdate():
        raise InvalidInput(_("立案日期不能晚于今天。"), code="bad_date", field="filed_on")
    values = {
        "claimant": clean_text(data.claimant, 100, "claimant", "申请人"),
        "respondent": clean_text(data.respondent, 100, "respondent", "被申请人"),
        "claims": clean_text(data.claims, MAX_TEXT, "claims", "仲裁请求"),
        "claimant_phone": clean_phone(data.claimant_phone, "claimant_phone")
        if data.claimant_phone
        else "",
        "respondent_phone": clean_phone(data.respondent_phone, "respondent_phone")
        if data.respondent_phone
        else "",
        "claimant_agent": clean_text(
            data.claimant_agent, 100, "claimant_agent", "代理人", required=False
        ),
        "respondent_agent": clean_text(
            data.respondent_agent, 100, "respondent_agent", "代理人", required=False
        ),
        "arbitrators": [clean_text(a, 50, "arbitrators", "仲裁员") for a in data.arbitrators or []],
    }
    with transaction.atomic():
        if ArbitrationCase.objects.filter(commission=commission, case_number=number).exists():
            raise Conflict(_("该仲裁委员会已登记此案号。"), code="duplicate_case")
        case = ArbitrationCase.objects.create(
            commission=commission,
            region=commission.region,
            case_number=number,
            amount=amount,
            filed_on=data.filed_on,
            contested=bool(data.contested),
            **values,
        )
        record_event(
            "arbitration.case_registered", actor=acting_user, obj=case, detail={"case": number}
        )
        scan(case, actor=acting_user)
        # The pattern rule also concerns the claimant's earlier cases.
        for other in ArbitrationCase.objects.filter(
            claimant=case.claimant, claims=case.claims
        ).exclude(pk=case.pk):
            scan(other, actor=acting_user)
    return case


def record_outcome(
    case: ArbitrationCase,
    outcome: str,
    closed_on: date,
    *,
    contested: bool | None = None,
    acting_user: User,
) -> ArbitrationCase:
    _require_reporter(acting_user, case.commission)
    outcome = clean_choice(
        outcome, [Outcome.AWARD, Outcome.SETTLEMENT, Outcome.WITHDRAWAL], "outcome", "结案方式"
    )
    if closed_on < case.filed_on or closed_on > timezone.localdate():
        raise InvalidInput(
            _("结案日期应在立案日期和今天之间。"), code="bad_date", field="closed_on"
        )
    with transaction.atomic():
        case = lock(case)
        if case.outcome:
            raise Conflict(_("该案已登记结案。"), code="already_closed")
        case.outcome, case.closed_on = outcome, closed_on
        if contested is not None:
            case.contested = contested
        case.save()
        record_event(
            "arbitration.case_closed", actor=acting_user, obj=case, detail={"outcome": outcome}
        )
        scan(case, actor=acting_user)
    return case


def record_court_outcome(
    case: ArbitrationCase,
    court_outcome: str,
    *,
    third_party_objection: bool = False,
    acting_user: User,
) -> ArbitrationCase:
    """A court's ruling reported back (仲裁法 art. 71 set aside, art. 76 not enforced)."""
    _require_reporter(acting_user, case.commission)
    court_outcome = clean_choice(
        court_outcome, [c for c in CourtOutcome.values if c], "court_outcome", "法院审查结果"
    )
    with transaction.atomic():
        case = lock(case)
        if case.outcome != Outcome.AWARD:
            raise Conflict(_("只有以裁决结案的案件才有撤销或不予执行的结果。"), code="bad_state")
        case.court_outcome = court_outcome
        case.third_party_objection = case.third_party_objection or third_party_objection
        case.save()
        record_event(
            "arbitration.court_outcome_recorded",
            actor=acting_user,
            obj=case,
            detail={"court_outcome": court_outcome},
        )
        scan(case, actor=acting_user)
    return case


def scan(case: ArbitrationCase, *, actor: Any) -> list[Flag]:
    """Run the enabled rules on a case; a rule that fires raises a flag once (a cleared flag is
    not raised again)."""
    rules = arbitration_policy(case.region).rules
    raised = []
    for name, check in CHECKS.items():
        if name not in rules.enabled:
            continue
        reason = check(case, rules)
        if reason and not Flag.objects.filter(case=case, rule=name).exists():
            flag = Flag.objects.create(case=case, rule=name, reason=reason[:500])
            record_event("arbitration.flag_raised", actor=actor, obj=flag, detail={"rule": name})
            raised.append(flag)
    return raised


def review_flag(flag: Flag, decision: str, note: str, *, acting_user: User) -> Flag:
    _require_supervisor(acting_user, flag.case.commission)
    decision = clean_choice(
        decision, [FlagStatus.CONFIRMED, FlagStatus.CLEARED], "decision", "复核结论"
    )
    note = clean_text(note, MAX_TEXT, "note", "复核意见")
    with transaction.atomic():
        flag = lock(flag)
        if flag.status != FlagStatus.OPEN:
            raise Conflict(_("该提示已复核。"), code="already_reviewed")
        flag.status, flag.review_note = decision, note
        flag.reviewed_at, flag.reviewed_by = timezone.now(), acting_user
        flag.save()
        record_event(
            "arbitration.flag_reviewed", actor=acting_user, obj=flag, detail={"decision": decision}
        )
    return flag


def plan_clearance(case: ArbitrationCase, plan: str, *, acting_user: User) -> ArbitrationCase:
    _require_reporter(acting_user, case.commission)
    plan = clean_text(plan, MAX_TEXT, "plan", "积案清理计划")
    with transaction.atomic():
        case = lock(case)
        case.clearance_plan = plan
        case.save()
        record_event("arbitration.clearance_planned", actor=acting_user, obj=case)
    return case


def is_backlog(case: ArbitrationCase, today: date | None = None) -> bool:
    """Open past the pack's backlog period (积案)."""
    if case.outcome:
        return False
    period = arbitration_policy(case.region).backlog_period
    return (today or timezone.localdate()) > last_day(case.filed_on, period)


@dataclass(frozen=True)
class Figures:
    cases: int
    closed: int
    awards: int
    set_aside_or_not_enforced: int
    set_aside_rate: float  # percent of awards (SJZ 专栏1 #26, ≤ 1%)
    backlog: int
    flags: int
    confirmed: int
    hit_rate: dict[str, float]  # per rule: confirmed / reviewed, percent


def figures(cases: Any, today: date | None = None) -> Figures:
    rows = list(cases)
    awards = [c for c in rows if c.outcome == Outcome.AWARD]
    bad = [
        c for c in awards if c.court_outcome in (CourtOutcome.SET_ASIDE, CourtOutcome.NOT_ENFORCED)
    ]
    flags = list(Flag.objects.filter(case__in=[c.pk for c in rows]))
    hit: dict[str, float] = {}
    for name in CHECKS:
        reviewed = [f for f in flags if f.rule == name and f.status != FlagStatus.OPEN]
        if reviewed:
            confirmed = sum(f.status == FlagStatus.CONFIRMED for f in reviewed)
            hit[name] = round(100 * confirmed / len(reviewed), 1)
    return Figures(
        cases=len(rows),
        closed=sum(bool(c.outcome) for c in rows),
        awards=len(awards),
        set_aside_or_not_enforced=len(bad),
        set_aside_rate=round(100 * len(bad) / len(awards), 2) if awards else 0.0,
        backlog=sum(is_backlog(c, today) for c in rows),
        flags=len(flags),
        confirmed=sum(f.status == FlagStatus.CONFIRMED for f in flags),
        hit_rate=hit,
    )
