"""Applications: submit, eligibility (scope, exemption, means test), approve or refuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Institution, Region, Role, User
from fawang.core.numbering import next_number
from fawang.core.personal_access import SELF_USE, read_personal_data
from fawang.core.rows import lock
from fawang.core.services import region_by_code
from fawang.core.tasks import queue_sms_to_record
from fawang.core.taxonomy import SpecialGroup, Topic
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_id_number, clean_phone, clean_text
from fawang.legalaid.models import (
    AidApplication,
    AidCase,
    CaseOrigin,
    DocumentKind,
    ExemptGround,
    FullFollowGroup,
    MatterType,
)
from fawang.legalaid.policy import LegalAidPolicy, policy_for_region
from fawang.legalaid.services._common import (
    APPLICATION_FLOW,
    MAX_TEXT,
    _choice,
    _groups,
    _require_officer,
    centre_for_region,
)
from fawang.workorders.models import BusinessLine, Channel
from fawang.workorders.services import Intake, create_work_order

MAX_HOUSEHOLD = 30
APPLICATION_CHANNELS = {
    Role.CITIZEN: Channel.WEB,
    Role.WINDOW_CLERK: Channel.WINDOW,
    Role.HOTLINE_SEAT: Channel.HOTLINE,
}
TOPIC_OF_MATTER = {
    MatterType.STATE_COMPENSATION: Topic.ADMINISTRATIVE,
    MatterType.SOCIAL_INSURANCE: Topic.ADMINISTRATIVE,
    MatterType.PENSION: Topic.ADMINISTRATIVE,
    MatterType.MAINTENANCE: Topic.MARRIAGE_FAMILY,
    MatterType.LABOUR_REMUNERATION: Topic.LABOUR,
    MatterType.CAPACITY: Topic.GENERAL,
    MatterType.PERSONAL_INJURY: Topic.PERSONAL_INJURY,
    MatterType.ENVIRONMENT: Topic.TORT,
    MatterType.CRIMINAL_DEFENCE: Topic.CRIMINAL_DEFENCE,
    MatterType.CRIMINAL_VICTIM: Topic.CRIMINAL_DEFENCE,
}
SPECIAL_GROUP_OF = {
    FullFollowGroup.MINOR: SpecialGroup.MINOR,
    FullFollowGroup.MILITARY: SpecialGroup.MILITARY,
    FullFollowGroup.SEVERELY_DISABLED: SpecialGroup.DISABLED,
}


def _amount(value: Any, field: str, label: str) -> Decimal:
    if value is None or value == "":
        raise InvalidInput(f"请填写{label}。", code="required", field=field)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{label}应为数字。", code="not_a_number", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"{label}不能为负数。", code="negative_amount", field=field)
    if amount >= Decimal("1e11"):
        raise InvalidInput(f"{label}数额过大。", code="too_large", field=field)
    return amount.quantize(Decimal("0.01"))


# --- eligibility ---------------------------------------------------------------------------


@dataclass
class Eligibility:
    in_scope: bool
    exempt: bool
    means_ok: bool
    income_per_member: Decimal | None
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.in_scope and (self.exempt or self.means_ok)


def assess_eligibility(application: AidApplication) -> Eligibility:
    """What the rules say about an application; the officer decides with this in view."""
    policy = policy_for_region(application.region)
    in_scope = application.matter_type in MatterType.values
    reasons: list[str] = []
    if not in_scope:
        reasons.append("申请事项不属于《法律援助法》第二十四条、第二十九条、第三十一条规定的范围。")
    if application.is_exempt:
        # Legal Aid Law art. 42: these applicants are not subject to the means test.
        return Eligibility(in_scope, True, True, None, reasons)
    size = application.household_size or 1
    income = application.household_monthly_income or Decimal(0)
    per_member = (income / size).quantize(Decimal("0.01"))
    means_ok = True
    if per_member > policy.income_per_member_monthly:
        means_ok = False
        reasons.append(
            f"家庭人均月收入 {per_member} 元，高于本市法律援助经济困难标准 "
            f"{policy.income_per_member_monthly} 元。"
        )
    assets = application.household_assets or Decimal(0)
    if assets > policy.asset_ceiling:
        means_ok = False
        reasons.append(f"家庭资产 {assets} 元，超过本市标准 {policy.asset_ceiling} 元。")
    if (
        not application.honesty_pledge
        and not application.documents.filter(kind=DocumentKind.INCOME_PROOF).exists()
    ):
        means_ok = False
        reasons.append("未作出经济困难诚信承诺，也未提交经济状况证明材料。")
    return Eligibility(in_scope, False, means_ok, per_member, reasons)


# --- applications --------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    matter_type: str
    facts: str
    applicant_name: str
    applicant_id_number: str
    region_code: str
    applicant_phone: str = ""
    opposing_party: str = ""
    full_follow_groups: tuple[str, ...] = ()
    exempt_ground: str = ""
    exempt_basis: str = ""
    household_size: int | None = None
    household_monthly_income: Any = None
    household_assets: Any = None
    honesty_pledge: bool = False
    idempotency_key: str = ""


@dataclass
class _CleanApplication:
    values: dict[str, Any]
    region: Region
    centre: Institution
    policy: LegalAidPolicy


def _clean_application(data: ApplicationInput, acting_user: User) -> _CleanApplication:
    matter = _choice(data.matter_type, MatterType.values, "matter_type", "申请事项类别")
    facts = clean_text(data.facts, MAX_TEXT, "facts", "案情及申请理由")
    name = clean_text(data.applicant_name, 50, "applicant_name", "申请人姓名")
    id_number = clean_id_number(
        data.applicant_id_number or "", "applicant_id_number", code="id_number"
    )
    own_phone = (
        read_personal_data(acting_user, "phone", actor=acting_user, purpose=SELF_USE)
        if acting_user.is_citizen and not data.applicant_phone
        else ""
    )
    phone = clean_phone(data.applicant_phone or own_phone, "applicant_phone")
    region = region_by_code(data.region_code)
    centre = centre_for_region(region)
    policy = policy_for_region(region)
    values: dict[str, Any] = {
        "matter_type": matter,
        "facts": facts,
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "opposing_party": clean_text(
            data.opposing_party, 100, "opposing_party", "对方当事人", required=False
        ),
        "full_follow_groups": _groups(data.full_follow_groups),
        "exempt_ground": "",
        "exempt_basis": "",
        "household_size": None,
        "household_monthly_income": None,
        "household_assets": None,
        "honesty_pledge": bool(data.honesty_pledge),
    }
    if data.exempt_ground:
        # Legal Aid Law art. 42: exempt from the means test; the basis is recorded instead.
        values["exempt_ground"] = _choice(
            data.exempt_ground, ExemptGround.values, "exempt_ground", "免予核查情形"
        )
        values["exempt_basis"] = clean_text(
            data.exempt_basis, 500, "exempt_basis", "免予核查的依据"
        )
        return _CleanApplication(values, region, centre, policy)
    size = data.household_size
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_HOUSEHOLD:
        raise InvalidInput(
            f"家庭人口应为 1 至 {MAX_HOUSEHOLD} 之间的整数。",
            code="household_size",
            field="household_size",
        )
    values["household_size"] = size
    values["household_monthly_income"] = _amount(
        data.household_monthly_income, "household_monthly_income", "家庭月收入"
    )
    values["household_assets"] = _amount(data.household_assets or 0, "household_assets", "家庭资产")
    if policy.honesty_pledge_allowed and not data.honesty_pledge:
        # SJZ 14 / art. 41: the pledge replaces paper proof, so without proof it is required.
        raise InvalidInput(
            "请勾选经济困难诚信承诺：本人承诺所填经济状况真实，如有虚假愿承担相应责任。",
            code="pledge_required",
            field="honesty_pledge",
        )
    return _CleanApplication(values, region, centre, policy)


def submit_application(data: ApplicationInput, *, acting_user: User) -> AidApplication:
    """A citizen applies (portal), or window/hotline staff record an application for them."""
    channel = (
        APPLICATION_CHANNELS.get(Role(acting_user.role)) if acting_user.is_authenticated else None
    )
    if channel is None:
        raise PermissionDenied("您的角色不能受理法律援助申请。")
    clean = _clean_application(data, acting_user)
    values = clean.values
    groups = [SPECIAL_GROUP_OF[FullFollowGroup(g)] for g in values["full_follow_groups"]]
    with transaction.atomic():
        order = create_work_order(
            Intake(
                channel=channel,
                business_line=BusinessLine.LEGAL_AID,
                topic=TOPIC_OF_MATTER[MatterType(values["matter_type"])],
                description=values["facts"],
                title=f"法律援助申请：{MatterType(values['matter_type']).label}"[:100],
                requester_name=values["applicant_name"],
                requester_phone=values["applicant_phone"],
                region_code=clean.region.code,
                special_groups=tuple(dict.fromkeys(groups)),
                idempotency_key=data.idempotency_key,
            ),
            acting_user=acting_user,
        )
        existing = AidApplication.objects.filter(work_order=order).first()
        if existing is not None:
            return existing
        now = timezone.now()
        application = AidApplication.objects.create(
            number=next_number("FY", now),
            work_order=order,
            applicant=acting_user if acting_user.is_citizen else None,
            region=clean.region,
            centre=clean.centre,
            submitted_at=now,
            # Legal Aid Law art. 43: decide within 7 days of receiving the application.
            decision_due_at=now + timedelta(days=clean.policy.decision_days),
            **values,
        )
        record_event(
            "legalaid.application_submitted",
            actor=acting_user,
            obj=application,
            detail={"number": application.number, "order": order.number},
        )
    return application


def decide_application(
    application: AidApplication, *, approve: bool, reasons: str, acting_user: User
) -> AidApplication:
    """Approve (opening a case) or refuse with reasons (art. 43; the letter says how to object)."""
    _require_officer(acting_user, application.centre_id)
    reasons = clean_text(reasons, MAX_TEXT, "reasons", "决定理由", required=False)
    with transaction.atomic():
        application = lock(application)
        to_status = check_transition(
            APPLICATION_FLOW, application.status, "approve" if approve else "refuse"
        )
        assessment = assess_eligibility(application)
        if approve and not assessment.eligible:
            raise Conflict(
                "申请不符合法律援助条件，不能批准：" + "".join(assessment.reasons),
                code="not_eligible",
                field="reasons",
            )
        if not approve:
            reasons = reasons or "".join(assessment.reasons)
            if not reasons:
                raise InvalidInput("不予法律援助的，请写明理由。", code="required", field="reasons")
        now = timezone.now()
        application.status = to_status
        application.decided_at = now
        application.decided_by = acting_user
        application.decision_reasons = reasons or "符合法律援助条件，决定给予法律援助。"
        application.save()
        if approve:
            _open_case_from(application, now)
            days = policy_for_region(application.region).assignment_days_after_decision
            text = (
                f"【法网】您的法律援助申请{application.number}已获批准，"
                f"我们将在{days}日内为您指派法律援助人员。"
            )
        else:
            text = (
                f"【法网】您的法律援助申请{application.number}未获批准。"
                "对决定有异议的，可向设立法律援助机构的司法行政部门提出。"
            )
        queue_sms_to_record(application, "applicant_phone", text)
        record_event(
            "legalaid.application_decided",
            actor=acting_user,
            obj=application,
            detail={"number": application.number, "status": application.status},
        )
    return application


def _open_case_from(application: AidApplication, now: datetime) -> AidCase:
    policy = policy_for_region(application.region)
    groups = list(application.full_follow_groups)
    case = AidCase.objects.create(
        number=next_number("FA", now),
        origin=CaseOrigin.APPLICATION,
        application=application,
        centre=application.centre,
        region=application.region,
        matter_type=application.matter_type,
        recipient_name=application.applicant_name,
        opposing_party=application.opposing_party,
        summary=application.facts[:MAX_TEXT],
        full_follow_groups=groups,
        full_follow=bool(groups),
        opened_at=now,
        # Legal Aid Law art. 44: assign within 3 days of the decision.
        assignment_due_at=now + timedelta(days=policy.assignment_days_after_decision),
    )
    return case
