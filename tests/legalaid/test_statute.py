"""法律援助法 as written (issue 21): each rule with the article's own example."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.sms import MemorySmsBackend
from fawang.legalaid import services
from fawang.legalaid.models import (
    AidApplication,
    AidCase,
    ApplicationStatus,
    ApprovalBasis,
    CaseStatus,
    LetterKind,
    LetterStatus,
    ObjectionStatus,
    OrganLetter,
)
from fawang.legalaid.organs import MemoryOrganChannel, deliver_organ_letters
from fawang.workorders.models import Status as OrderStatus
from tests.legalaid.helpers import AidWorld, apply, approved_case, build_aid_world, notice_input

pytestmark = pytest.mark.django_db

RICH = {"household_size": 1, "household_monthly_income": "30000"}


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


# --- 第二十四条 / 第四十四条: approval despite the means test (item 3) -------------------------


def test_art_24_other_reason_approves_a_criminal_defence_despite_the_means_test(
    world: AidWorld,
) -> None:
    """第二十四条: 刑事案件的犯罪嫌疑人、被告人因经济困难或者其他原因没有委托辩护人的 — a defendant earning
    30,000 yuan a month whose family abroad cannot reach a lawyer for him fails the means test
    and is still given aid on the "other reason"."""
    application = apply(
        world,
        matter_type="criminal_defence",
        other_reason="家属均在国外，无法为其委托辩护人",
        **RICH,
    )
    assert not services.assess_eligibility(application).means_ok
    with pytest.raises(Conflict) as refused:
        services.decide_application(
            application, approve=True, reasons="", acting_user=world.officer
        )
    assert refused.value.code == "not_eligible"
    services.decide_application(
        application,
        approve=True,
        reasons="因其他原因没有委托辩护人（第二十四条）。",
        basis=ApprovalBasis.CRIMINAL_OTHER_REASON,
        acting_user=world.officer,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.approval_basis == ApprovalBasis.CRIMINAL_OTHER_REASON
    assert AidCase.objects.filter(application=application).exists()


def test_art_24_other_reason_is_for_criminal_defence_only(world: AidWorld) -> None:
    application = apply(world, **RICH)
    with pytest.raises(InvalidInput) as refused:
        services.decide_application(
            application,
            approve=True,
            reasons="其他原因",
            basis=ApprovalBasis.CRIMINAL_OTHER_REASON,
            acting_user=world.officer,
        )
    assert refused.value.code == "basis_not_applicable"


def test_household_assets_fail_nobody(world: AidWorld) -> None:
    """No policy text sets an asset ceiling: 500,000 yuan of assets with a low income passes."""
    application = apply(world, household_assets="500000")
    assert services.assess_eligibility(application).eligible


def test_art_44_aid_is_provided_first_in_an_urgent_case(world: AidWorld) -> None:
    """第四十四条: 距法定时效或者期限届满不足七日 — the centre opens the case at once, the means test not
    yet settled; the review goes on and an approval keeps the same case."""
    application = apply(world, **RICH)
    case = services.provide_aid_first(
        application,
        ground="time_limit",
        reasons="劳动仲裁时效三日后届满",
        acting_user=world.officer,
    )
    assert case.status == CaseStatus.AWAITING_ASSIGNMENT
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.provisional_at
    with pytest.raises(Conflict):
        services.provide_aid_first(
            application, ground="time_limit", reasons="again", acting_user=world.officer
        )
    services.assign_case(case, acting_user=world.officer)
    # The review finds the means test failed: the aid given first is ended under 第四十八条.
    services.decide_application(
        application, approve=False, reasons="家庭人均收入高于标准。", acting_user=world.officer
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED


# --- 第四十三条: the decision answers the work order; materials asked once (items 1, 6) ---------


def test_the_decision_replies_to_the_applications_work_order(world: AidWorld) -> None:
    application = apply(world)
    services.decide_application(
        application, approve=False, reasons="理由", acting_user=world.officer
    )
    order = application.work_order
    order.refresh_from_db()
    assert order.status == OrderStatus.REPLIED
    assert "不予法律援助" in order.reply and "司法行政部门" in order.reply


def test_art_43_para_2_missing_materials_asked_once_then_withdrawn(world: AidWorld) -> None:
    """第四十三条第二款: 一次性告知申请人需要补充的材料…未按要求补充材料或者作出说明的，视为撤回申请."""
    application = apply(world)
    with pytest.raises(Conflict):
        services.deem_withdrawn(application, acting_user=world.officer)
    services.request_materials(
        application, materials="劳动合同或者工资条；欠薪期间的考勤记录", acting_user=world.officer
    )
    with pytest.raises(Conflict) as twice:
        services.request_materials(application, materials="再要一份", acting_user=world.officer)
    assert twice.value.code == "already_requested"
    services.deem_withdrawn(application, acting_user=world.officer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    # Answered, then ended with the withdrawn application (its order follows it).
    assert application.work_order.replied_at is not None
    assert application.work_order.status == OrderStatus.CLOSED


def test_supplied_materials_keep_the_application_open(world: AidWorld) -> None:
    application = apply(world)
    services.request_materials(application, materials="工资条", acting_user=world.officer)
    services.supply_materials(application, note="已上传工资条", acting_user=world.citizen)
    with pytest.raises(Conflict):
        services.deem_withdrawn(application, acting_user=world.officer)


# --- 第四十八条 / 第四十九条: termination and objections (items 2, 6) ---------------------------


def test_art_48_termination_when_the_recipient_hires_a_lawyer(world: AidWorld) -> None:
    """第四十八条第一款第六项: 受援人自行委托律师 — the provider reports it (第二款), the centre decides
    in writing, the recipient and the provider are told, with the objection route (第四十九条)."""
    case = services.assign_case(approved_case(world), acting_user=world.officer)
    services.report_termination_ground(
        case, ground="own_lawyer", note="受援人已委托某律所律师", acting_user=world.provider_user
    )
    with pytest.raises(PermissionDenied):
        services.terminate_case(
            case, ground="own_lawyer", reasons="x", acting_user=world.provider_user
        )
    MemorySmsBackend.outbox.clear()
    services.terminate_case(
        case, ground="own_lawyer", reasons="受援人已自行委托律师。", acting_user=world.officer
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED and case.terminated_at
    assert "第四十八条" in case.termination_decision and "第四十九条" in case.termination_decision
    assert not case.assignments.filter(ended_at__isnull=True).exists()
    with pytest.raises(InvalidInput):
        services.terminate_case(case, ground="bogus", reasons="x", acting_user=world.officer)


def test_art_49_objection_to_a_termination_is_reviewed_within_five_days(world: AidWorld) -> None:
    case = services.assign_case(approved_case(world), acting_user=world.officer)
    services.terminate_case(
        case, ground="no_longer_eligible", reasons="受援人已就业", acting_user=world.officer
    )
    objection = services.file_objection(case=case, reasons="仍无收入", acting_user=world.citizen)
    received = timezone.localtime(objection.received_at).date()
    assert objection.review_due_day >= received + timedelta(days=5)
    assert objection.review_due_day <= received + timedelta(days=5 + 9)  # a holiday at most
    with pytest.raises(PermissionDenied):
        services.decide_objection(objection, correct=True, decision="x", acting_user=world.officer)
    services.decide_objection(
        objection, correct=True, decision="责令改正", acting_user=world.supervisor
    )
    objection.refresh_from_db()
    case.refresh_from_db()
    assert objection.status == ObjectionStatus.CORRECTED
    assert case.status == CaseStatus.AWAITING_ASSIGNMENT


def test_art_49_objection_to_a_refusal_upheld_or_reopened(world: AidWorld) -> None:
    application = apply(world, **RICH)
    with pytest.raises(Conflict):
        services.file_objection(application=application, reasons="x", acting_user=world.citizen)
    services.decide_application(application, approve=False, reasons="", acting_user=world.officer)
    objection = services.file_objection(
        application=application, reasons="收入已减少", acting_user=world.citizen
    )
    with pytest.raises(Conflict):
        services.file_objection(application=application, reasons="y", acting_user=world.citizen)
    services.decide_objection(
        objection, correct=True, decision="责令重新审查", acting_user=world.supervisor
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- 第三十六条: the organ is told who was assigned (item 5) ------------------------------------


def test_art_36_the_notifying_court_is_told_who_was_assigned(
    world: AidWorld, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    MemoryOrganChannel.sent.clear()
    case = services.receive_notice(notice_input(), acting_user=world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_case(case, acting_user=world.officer)
    letter = OrganLetter.objects.get(notice__case=case)
    assert letter.kind == LetterKind.ASSIGNED
    deliver_organ_letters()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    (sent,) = MemoryOrganChannel.sent
    assert sent["organ"] == "北京市朝阳区人民法院"
    assert sent["document_number"] == "(2026)京0105刑初1号"
    assert case.number in sent["text"] and world.senior.practitioner.name in sent["text"]


def test_a_failed_letter_stays_pending_and_is_retried(world: AidWorld) -> None:
    MemoryOrganChannel.sent.clear()
    case = services.receive_notice(notice_input(), acting_user=world.officer)
    services.assign_case(case, acting_user=world.officer)
    MemoryOrganChannel.fail_next = 1
    assert deliver_organ_letters() == 0
    assert OrganLetter.objects.get().status == LetterStatus.PENDING
    assert deliver_organ_letters() == 1


# --- 第二十八条、第三十一条至第三十三条: the matters (item 4) -----------------------------------


def test_art_28_compulsory_treatment_comes_by_notice_only(world: AidWorld) -> None:
    with pytest.raises(InvalidInput) as refused:
        apply(world, matter_type="compulsory_treatment")
    assert refused.value.code == "notice_only_matter"
    case = services.receive_notice(
        notice_input(matter_type="compulsory_treatment", document_number="强医1号"),
        acting_user=world.officer,
    )
    assert case.is_criminal  # a lawyer is assigned (第二十八条: 指派律师)


def test_art_32_matter_without_means_test(world: AidWorld) -> None:
    """第三十二条第二项: 因见义勇为行为主张相关民事权益 — no means test, whatever the income."""
    with pytest.raises(InvalidInput) as refused:
        apply(world, matter_type="rights_without_means_test", **RICH)
    assert refused.value.code == "exempt_ground_required"
    application = apply(
        world,
        matter_type="rights_without_means_test",
        exempt_ground="good_samaritan",
        exempt_basis="见义勇为确认书",
        **RICH,
    )
    assert services.assess_eligibility(application).eligible


def test_art_31_9_and_art_33_matters_are_in_scope(world: AidWorld) -> None:
    for matter in ("other_statutory", "petition_retrial"):
        application = apply(world, matter_type=matter, idempotency_key=matter)
        assert services.assess_eligibility(application).in_scope
    assert AidApplication.objects.count() == 2


def test_art_42_other_persons_exemption(world: AidWorld) -> None:
    """第四十二条第四项: 法律、法规、规章规定的其他人员 — exempt from the means check."""
    application = apply(
        world, exempt_ground="other_persons", exempt_basis="地方性法规规定的人员", **RICH
    )
    assert services.assess_eligibility(application).exempt


def test_aid_given_first_ended_by_a_refusal_resumes_when_the_bureau_corrects_it(
    world: AidWorld,
) -> None:
    """第四十四条 then 第四十八条 then 第四十九条: the refusal is corrected and the centre approves —
    the same case goes back for assignment."""
    application = apply(world, **RICH)
    case = services.provide_aid_first(
        application, ground="preservation", reasons="需立即申请财产保全", acting_user=world.officer
    )
    services.decide_application(
        application, approve=False, reasons="收入高", acting_user=world.officer
    )
    objection = services.file_objection(
        application=application, reasons="收入证明有误", acting_user=world.citizen
    )
    services.decide_objection(
        objection, correct=True, decision="重新审查", acting_user=world.supervisor
    )
    application.refresh_from_db()
    application.household_monthly_income = 1000
    application.save()
    services.decide_application(application, approve=True, reasons="", acting_user=world.officer)
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_ASSIGNMENT
    assert AidCase.objects.filter(application=application).count() == 1
