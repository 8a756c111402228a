"""Applications: submit, eligibility (scope, exemption, means test), approve or refuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
    ART32_GROUNDS,
    NOTICE_ONLY_MATTERS,
    AidApplication,
    AidCase,
    ApprovalBasis,
    CaseOrigin,
    CaseStatus,
    DocumentKind,
    ExemptGround,
    FullFollowGroup,
    MatterType,
    ProvisionalGround,
    TerminationGround,
)
from fawang.legalaid.policy import LegalAidPolicy, policy_for_region
from fawang.legalaid.services._common import (
    APPLICATION_FLOW,
    CASE_FLOW,
    MAX_TEXT,
    _choice,
    _groups,
    _require_officer,
    centre_for_region,
    is_officer_of,
    tell_order,
)
from fawang.legalaid.services.termination import ENDABLE_CASE_STATUSES, _end_case
from fawang.policy.deadlines import deadline, due_day
from fawang.workorders.models import BusinessLine, Channel
from fawang.workorders.services import Intake, answer_for_line, create_work_order

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
    MatterType.OTHER_STATUTORY: Topic.GENERAL,
    MatterType.RIGHTS_WITHOUT_MEANS_TEST: Topic.GENERAL,
    MatterType.PETITION_RETRIAL: Topic.GENERAL,
    MatterType.CRIMINAL_DEFENCE: Topic.CRIMINAL_DEFENCE,
    MatterType.CRIMINAL_VICTIM: Topic.CRIMINAL_DEFENCE,
    MatterType.COMPULSORY_TREATMENT: Topic.CRIMINAL_DEFENCE,
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
    """What the rules say about an application; the officer decides with this in view.

    Household assets are shown to the officer but fail nobody: no policy text sets a ceiling
    (法律援助法 第三十四条 leaves the standard to the province; the packs carry income only)."""
    policy = policy_for_region(application.region)
    in_scope = application.matter_type in MatterType.values
    reasons: list[str] = []
    if not in_scope:
        reasons.append(
            "申请事项不属于《法律援助法》第二十四条、第二十九条、第三十一条至第三十三条规定的范围。"
        )
    if application.is_exempt or application.matter_type == MatterType.RIGHTS_WITHOUT_MEANS_TEST:
        # 法律援助法 第四十二条 (免予核查) and 第三十二条 (不受经济困难条件的限制).
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
    other_reason: str = ""
    idempotency_key: str = ""


@dataclass
class _CleanApplication:
    values: dict[str, Any]
    region: Region
    centre: Institution
    policy: LegalAidPolicy


def _clean_application(data: ApplicationInput, acting_user: User) -> _CleanApplication:
    matter = _choice(data.matter_type, MatterType.values, "matter_type", "申请事项类别")
    if matter in NOTICE_ONLY_MATTERS:
        # 法律援助法 第二十八条: the court notifies the centre; nobody applies for it.
        raise InvalidInput(
            "强制医疗案件由人民法院通知法律援助机构指派律师，无需申请。",
            code="notice_only_matter",
            field="matter_type",
        )
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
        # 法律援助法 第二十四条: a suspect or defendant without a defender "因经济困难或者其他原因".
        "other_reason": clean_text(
            data.other_reason, 500, "other_reason", "没有委托辩护人的其他原因", required=False
        )
        if matter == MatterType.CRIMINAL_DEFENCE
        else "",
    }
    if matter == MatterType.RIGHTS_WITHOUT_MEANS_TEST and data.exempt_ground not in ART32_GROUNDS:
        raise InvalidInput(
            "第三十二条规定的事项请选择相应情形（英雄烈士近亲属、见义勇为、再审改判无罪、"
            "受虐待遗弃家暴或者法律法规规章规定的其他情形）。",
            code="exempt_ground_required",
            field="exempt_ground",
        )
    if data.exempt_ground:
        # 法律援助法 第四十二条 / 第三十二条: no means test; the basis is recorded instead.
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
            # 法律援助法 第四十三条第一款: decide within 7 days of receiving the application,
            # counted as 民法典 arts. 200–204 say (policy.deadlines).
            decision_due_at=deadline(now, clean.policy.decision),
            **values,
        )
        record_event(
            "legalaid.application_submitted",
            actor=acting_user,
            obj=application,
            detail={"number": application.number, "order": order.number},
        )
        tell_order(application, acting_user=acting_user)
    return application


def decide_application(
    application: AidApplication,
    *,
    approve: bool,
    reasons: str,
    acting_user: User,
    basis: str = "",
) -> AidApplication:
    """Approve (opening a case) or refuse in writing with reasons (法律援助法 第四十三条第一款); the
    decision answers the application's work order and tells the applicant how to object (第四十九条).

    A failed means test does not stop an approval on a ground that needs none: art. 24's "其他原因"
    (a suspect or defendant without a defender for a reason other than money, stated in the
    reasons), or an application already given aid first (第四十四条) stays open to the review."""
    _require_officer(acting_user, application.centre_id)
    reasons = clean_text(reasons, MAX_TEXT, "reasons", "决定理由", required=False)
    basis = (
        _choice(basis, ApprovalBasis.values, "basis", "给予法律援助的依据")
        if basis
        else ApprovalBasis.MEANS_OR_EXEMPT
    )
    with transaction.atomic():
        application = lock(application)
        to_status = check_transition(
            APPLICATION_FLOW, application.status, "approve" if approve else "refuse"
        )
        assessment = assess_eligibility(application)
        if approve:
            _check_approval(application, assessment, basis, reasons)
        else:
            reasons = reasons or "".join(assessment.reasons)
            if not reasons:
                raise InvalidInput("不予法律援助的，请写明理由。", code="required", field="reasons")
        now = timezone.now()
        application.status = to_status or application.status
        application.decided_at = now
        application.decided_by = acting_user
        application.approval_basis = basis if approve else ""
        application.decision_reasons = reasons or "符合法律援助条件，决定给予法律援助。"
        application.save()
        if approve:
            case = getattr(application, "case", None) or _open_case_from(application, now)
            if case.status == CaseStatus.TERMINATED:
                # Aid given first, ended on a refusal that the bureau then had corrected (第四十九条):
                # the same case goes back for assignment.
                case.status = check_transition(CASE_FLOW, case.status, "resume")
                case.provider = None
                case.assignment_due_at = deadline(
                    now, policy_for_region(application.region).assignment_after_decision
                )
                case.save()
            period = policy_for_region(application.region).assignment_after_decision
            due = f"{due_day(case.assignment_due_at):%m月%d日}"
            text = (
                f"【法网】您的法律援助申请{application.number}已获批准，"
                f"我们将在{period}内（{due}前）为您指派法律援助人员。"
            )
            answer = f"决定给予法律援助（{application.number}）。{application.decision_reasons}"
        else:
            provisional = getattr(application, "case", None)
            if provisional is not None and provisional.status in ENDABLE_CASE_STATUSES:
                # 法律援助法 第四十四条 aid given first, the review then refuses: the aid ends by
                # a written termination (第四十八条), open to objection (第四十九条).
                _end_case(
                    lock(provisional),
                    ground=TerminationGround.OTHER_BY_LAW,
                    reasons="先行提供法律援助后，经审查不符合法律援助条件：" + reasons,
                    acting_user=acting_user,
                    now=now,
                )
            text = (
                f"【法网】您的法律援助申请{application.number}未获批准，理由见书面决定。"
                "对决定有异议的，可向设立法律援助机构的司法行政部门提出（法律援助法第四十九条）。"
            )
            answer = (
                f"决定不予法律援助（{application.number}）。理由：{application.decision_reasons}"
                "对决定有异议的，可以向设立法律援助机构的司法行政部门提出。"
            )
        answer_for_line(application.work_order, reply=answer[:MAX_TEXT], acting_user=acting_user)
        tell_order(application, acting_user=acting_user)
        queue_sms_to_record(application, "applicant_phone", text)
        record_event(
            "legalaid.application_decided",
            actor=acting_user,
            obj=application,
            detail={
                "number": application.number,
                "status": application.status,
                "basis": application.approval_basis,
            },
        )
    return application


def _check_approval(
    application: AidApplication, assessment: Eligibility, basis: str, reasons: str
) -> None:
    if not assessment.in_scope:
        raise Conflict(
            "申请不符合法律援助条件，不能批准：" + "".join(assessment.reasons),
            code="not_eligible",
            field="reasons",
        )
    if basis == ApprovalBasis.CRIMINAL_OTHER_REASON:
        # 法律援助法 第二十四条: 因经济困难或者其他原因没有委托辩护人 — no means test for the other.
        if application.matter_type != MatterType.CRIMINAL_DEFENCE:
            raise InvalidInput(
                "“其他原因”仅适用于刑事案件犯罪嫌疑人、被告人申请辩护（法律援助法第二十四条）。",
                code="basis_not_applicable",
                field="basis",
            )
        if not (reasons or application.other_reason):
            raise InvalidInput("请写明没有委托辩护人的其他原因。", code="required", field="reasons")
        return
    if not assessment.eligible:
        raise Conflict(
            "申请不符合法律援助条件，不能批准：" + "".join(assessment.reasons),
            code="not_eligible",
            field="reasons",
        )


def provide_aid_first(
    application: AidApplication, *, ground: str, reasons: str, acting_user: User
) -> AidCase:
    """先行提供法律援助 (法律援助法 第四十四条): in an urgent case the centre gives aid before the review
    ends — a case opens for assignment at once, whatever the means test says so far; the
    applicant completes the procedure and materials afterwards, and the review goes on (a later
    refusal ends the aid as a termination under 第四十八条)."""
    _require_officer(acting_user, application.centre_id)
    ground = _choice(ground, ProvisionalGround.values, "ground", "先行提供法律援助的情形")
    reasons = clean_text(reasons, MAX_TEXT, "reasons", "先行提供的理由")
    with transaction.atomic():
        application = lock(application)
        check_transition(APPLICATION_FLOW, application.status, "provide_first")
        if application.provisional_at is not None:
            raise Conflict("已先行提供法律援助。", code="bad_state")
        now = timezone.now()
        application.provisional_ground = ground
        application.provisional_at = now
        application.save(update_fields=["provisional_ground", "provisional_at", "updated_at"])
        case = _open_case_from(application, now)
        case.summary = f"【先行提供】{ProvisionalGround(ground).label}：{reasons}"[:MAX_TEXT]
        case.save(update_fields=["summary"])
        queue_sms_to_record(
            application,
            "applicant_phone",
            f"【法网】您的法律援助申请{application.number}已先行提供法律援助，"
            "请及时补办有关手续、补充有关材料（法律援助法第四十四条）。",
        )
        record_event(
            "legalaid.aid_provided_first",
            actor=acting_user,
            obj=application,
            detail={"number": application.number, "ground": ground, "case": case.number},
        )
    return case


def request_materials(
    application: AidApplication, *, materials: str, acting_user: User
) -> AidApplication:
    """法律援助法 第四十三条第二款: tell the applicant once, in full, what to add or explain."""
    _require_officer(acting_user, application.centre_id)
    materials = clean_text(materials, MAX_TEXT, "materials", "需要补充的材料或者说明")
    with transaction.atomic():
        application = lock(application)
        check_transition(APPLICATION_FLOW, application.status, "request_materials")
        if application.materials_requested_at is not None:
            raise Conflict(
                "补充材料应一次性告知，本申请已告知过。",
                code="already_requested",
                field="materials",
            )
        application.materials_requested = materials
        application.materials_requested_at = timezone.now()
        application.save(
            update_fields=["materials_requested", "materials_requested_at", "updated_at"]
        )
        queue_sms_to_record(
            application,
            "applicant_phone",
            f"【法网】您的法律援助申请{application.number}需要补充材料或者作出说明，"
            "请登录查看；未按要求补充的，视为撤回申请。",
        )
        record_event(
            "legalaid.materials_requested",
            actor=acting_user,
            obj=application,
            detail={"number": application.number},
        )
    return application


def supply_materials(
    application: AidApplication, *, note: str, acting_user: User
) -> AidApplication:
    """The applicant answers the request (files go through ``upload_document``)."""
    if not (
        application.applicant_id == acting_user.pk
        or is_officer_of(acting_user, application.centre_id)
    ):
        raise PermissionDenied("只有申请人或本中心工作人员可以提交补充材料。")
    note = clean_text(note, MAX_TEXT, "note", "补充说明")
    with transaction.atomic():
        application = lock(application)
        check_transition(APPLICATION_FLOW, application.status, "supply_materials")
        if application.materials_requested_at is None:
            raise Conflict("本申请没有需要补充的材料。", code="bad_state")
        application.materials_supplied_at = timezone.now()
        application.materials_supplied_note = note
        application.save(
            update_fields=["materials_supplied_at", "materials_supplied_note", "updated_at"]
        )
        record_event(
            "legalaid.materials_supplied",
            actor=acting_user,
            obj=application,
            detail={"number": application.number},
        )
    return application


def deem_withdrawn(application: AidApplication, *, acting_user: User) -> AidApplication:
    """法律援助法 第四十三条第二款: materials requested and not supplied — the application is
    treated as withdrawn; its work order is answered so."""
    _require_officer(acting_user, application.centre_id)
    with transaction.atomic():
        application = lock(application)
        to_status = check_transition(APPLICATION_FLOW, application.status, "deem_withdrawn")
        if application.materials_requested_at is None or application.materials_supplied_at:
            raise Conflict(
                "只有告知补充材料后申请人未补充的，才视为撤回申请。",
                code="materials_not_missing",
            )
        if application.provisional_at is not None:
            raise Conflict("已先行提供法律援助的，请作出决定或者终止法律援助。", code="bad_state")
        application.status = to_status or application.status
        application.decided_at = timezone.now()
        application.decided_by = acting_user
        application.decision_reasons = "申请人未按要求补充材料或者作出说明，视为撤回申请。"
        application.save()
        answer_for_line(
            application.work_order,
            reply=f"法律援助申请{application.number}：{application.decision_reasons}",
            acting_user=acting_user,
        )
        tell_order(application, acting_user=acting_user)
        record_event(
            "legalaid.application_withdrawn",
            actor=acting_user,
            obj=application,
            detail={"number": application.number},
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
        # 法律援助法 第四十三条第一款: assign within 3 days of deciding to give legal aid.
        assignment_due_at=deadline(now, policy.assignment_after_decision),
    )
    return case
