from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.mediation.agreement import build_document, render_pdf
from fawang.mediation.models import (
    ConfirmationStatus,
    DisputeStatus,
    JudicialConfirmation,
    MediationSession,
    Performance,
)
from fawang.mediation.services import (
    AgreementIn,
    assign_dispute,
    follow_up_performance,
    record_agreement,
    record_confirmation_answer,
    record_failure,
    record_session,
    request_judicial_confirmation,
)
from tests.mediation.helpers import World, build_world, citizen_dispute, mediator_account
from tests.pdf_text import assert_embeds_our_font

pytestmark = pytest.mark.django_db


def agreement_in(**overrides: object) -> AgreementIn:
    values: dict[str, object] = {
        "form": "written",
        "facts": "2026年11月，王强家装修致李明家天花板漏水受损。",
        "issues": "修缮费用的数额及承担。",
        "terms": "王强赔偿李明修缮费用六千元。",
        "performance_manner": "银行转账一次性支付",
        "performance_deadline": timezone.localdate() + timedelta(days=10),
        "signed_on": timezone.localdate(),
    }
    values.update(overrides)
    return AgreementIn(**values)  # type: ignore[arg-type]


def assigned(world: World):  # type: ignore[no-untyped-def]
    dispute = citizen_dispute(world)
    return assign_dispute(dispute, acting_user=world.head, mediator_ids=[world.mediator_person.pk])


def session(world: World, dispute, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "held_at": timezone.now() - timedelta(hours=1),
        "place": "建外街道调解室",
        "attendance": "李明、王强",
        "notes": "双方陈述，初步达成赔偿意向。",
    }
    values.update(overrides)
    return record_session(dispute, acting_user=world.mediator, **values)


def test_head_assigns_a_committee_mediator() -> None:
    world = build_world()
    dispute = assigned(world)
    assert dispute.status == DisputeStatus.ASSIGNED
    assert list(dispute.mediators.all()) == [world.mediator_person]


def test_mediator_may_take_an_unassigned_dispute_only_for_themselves() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    head_person = world.head.practitioner
    with pytest.raises(PermissionDenied):
        assign_dispute(dispute, acting_user=world.mediator, mediator_ids=[head_person.pk])
    taken = assign_dispute(
        dispute, acting_user=world.mediator, mediator_ids=[world.mediator_person.pk]
    )
    assert taken.status == DisputeStatus.ASSIGNED


def test_mediator_of_another_committee_cannot_be_assigned() -> None:
    world = build_world()
    dispute = citizen_dispute(world)
    with pytest.raises(InvalidInput) as error:
        assign_dispute(
            dispute, acting_user=world.head, mediator_ids=[world.outsider.practitioner.pk]
        )
    assert error.value.field == "mediators"
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.NEW


def test_session_by_video_is_recorded_and_starts_mediation() -> None:
    world = build_world()
    dispute = assigned(world)
    session(world, dispute, place="", video_link="https://meet.example.cn/room/42")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.MEDIATING
    assert MediationSession.objects.get(dispute=dispute).video_link.endswith("/42")


def test_session_needs_a_place_or_a_video_link_and_saves_nothing_without() -> None:
    world = build_world()
    dispute = assigned(world)
    with pytest.raises(InvalidInput) as error:
        session(world, dispute, place="")
    assert error.value.field == "place"
    assert not MediationSession.objects.exists()


def test_unassigned_mediator_of_the_committee_cannot_record_a_session() -> None:
    world = build_world()
    dispute = assigned(world)
    colleague, _ = mediator_account(world.committee)
    with pytest.raises(PermissionDenied):
        record_session(
            dispute,
            acting_user=colleague,
            held_at=timezone.now(),
            place="调解室",
            attendance="双方",
            notes="记录",
        )


def test_agreement_closes_the_dispute_as_agreed() -> None:
    world = build_world()
    dispute = assigned(world)
    session(world, dispute)
    record_agreement(dispute, agreement_in(), acting_user=world.mediator)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AGREED
    assert dispute.closed_at is not None


def test_written_agreement_contains_the_statutory_elements() -> None:
    world = build_world()
    dispute = assigned(world)
    agreement = record_agreement(dispute, agreement_in(), acting_user=world.mediator)
    document = build_document(agreement)
    text = "\n".join(
        [
            *(f"{p.role}{p.name}{p.phone}" for p in document.parties),
            *(f"{label}{body}" for label, body in document.sections),
            *document.signatures,
        ]
    )
    # Art. 29: parties' particulars, facts, issues, content, manner and time limit, signatures.
    assert "申请人李明139****2222" in text and "被申请人王强" in text
    assert "王强家装修致李明家天花板漏水" in text
    assert "修缮费用的数额及承担" in text
    assert "赔偿李明修缮费用六千元" in text
    assert "银行转账一次性支付" in text and "履行期限" in text
    assert any(
        "人民调解员（签名）" in line and world.mediator_person.name in line
        for line in document.signatures
    )
    assert document.signatures[-1] == "建外街道人民调解委员会（印章）"
    assert "13911112222" not in text


def test_agreement_pdf_is_a_pdf() -> None:
    world = build_world()
    dispute = assigned(world)
    agreement = record_agreement(dispute, agreement_in(), acting_user=world.mediator)
    pdf = render_pdf(build_document(agreement))
    assert pdf.startswith(b"%PDF")
    text = assert_embeds_our_font(pdf).text
    assert "人民调解协议书" in text and "争议事项" in text and "协议效力" in text
    assert "赔偿李明修缮费用六千元" in text


def test_performance_deadline_before_signing_is_refused() -> None:
    world = build_world()
    dispute = assigned(world)
    with pytest.raises(InvalidInput) as error:
        record_agreement(
            dispute,
            agreement_in(performance_deadline=timezone.localdate() - timedelta(days=1)),
            acting_user=world.mediator,
        )
    assert error.value.field == "performance_deadline"
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ASSIGNED


def test_failure_records_the_referral_onwards() -> None:
    world = build_world()
    dispute = assigned(world)
    record_failure(
        dispute, acting_user=world.mediator, reason="被申请人拒绝调解", referral="litigation"
    )
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.FAILED and dispute.referral == "litigation"


def test_closed_dispute_cannot_be_agreed_again() -> None:
    world = build_world()
    dispute = assigned(world)
    record_failure(dispute, acting_user=world.mediator, reason="拒绝", referral="other")
    with pytest.raises(Conflict):
        record_agreement(dispute, agreement_in(), acting_user=world.mediator)


def test_follow_up_records_performance() -> None:
    world = build_world()
    dispute = assigned(world)
    record_agreement(dispute, agreement_in(), acting_user=world.mediator)
    agreement = follow_up_performance(
        dispute, acting_user=world.mediator, performance="performed", note="已转账"
    )
    assert agreement.performance == Performance.PERFORMED and agreement.followed_up_at


def test_judicial_confirmation_is_tracked_with_the_court_answer() -> None:
    world = build_world()
    dispute = assigned(world)
    record_agreement(dispute, agreement_in(), acting_user=world.mediator)
    request_judicial_confirmation(
        dispute,
        acting_user=world.mediator,
        court="北京市朝阳区人民法院",
        requested_on=timezone.localdate(),
    )
    confirmation = record_confirmation_answer(
        dispute,
        acting_user=world.mediator,
        granted=True,
        answered_on=timezone.localdate(),
        court_ref="(2026)京0105民特1号",
    )
    assert confirmation.status == ConfirmationStatus.GRANTED


def test_judicial_confirmation_after_thirty_days_is_refused() -> None:
    """人民调解法 第三十三条: 自调解协议生效之日起三十日内. Signed Mon 1 Sep 2025, day 30 is 1 Oct — National
    Day — so 民事诉讼法 第八十五条 moves the last day past the holidays (1–8 Oct) to Thu 9 Oct: an
    application that day is valid (a bare "+30 days" refused it), one on 10 Oct is late."""
    world = build_world()
    dispute = assigned(world)
    signed = date(2025, 9, 1)
    record_agreement(
        dispute,
        agreement_in(signed_on=signed, performance_deadline=signed),
        acting_user=world.mediator,
    )
    with pytest.raises(InvalidInput) as error:
        request_judicial_confirmation(
            dispute, acting_user=world.mediator, court="朝阳法院", requested_on=date(2025, 10, 10)
        )
    assert error.value.code == "out_of_window"
    assert "2025年10月09日" in error.value.message
    assert not JudicialConfirmation.objects.exists()
    request_judicial_confirmation(
        dispute, acting_user=world.mediator, court="朝阳法院", requested_on=date(2025, 10, 9)
    )
    assert JudicialConfirmation.objects.count() == 1


def test_a_written_agreement_offers_each_partys_responsibilities() -> None:
    """人民调解法 第二十九条第一款第二项: 纠纷的主要事实、争议事项以及各方当事人的责任."""
    world = build_world()
    dispute = assigned(world)
    agreement = record_agreement(
        dispute,
        agreement_in(responsibilities="王强装修未做防水，负主要责任；李明无责任。"),
        acting_user=world.mediator,
    )
    from fawang.mediation.agreement import build_document

    sections = dict(build_document(agreement).sections)
    assert sections["各方当事人的责任"] == "王强装修未做防水，负主要责任；李明无责任。"


def test_an_oral_agreement_needs_the_parties_choice() -> None:
    """人民调解法 第二十八条: 当事人认为无需制作调解协议书的，可以采取口头协议方式."""
    world = build_world()
    dispute = assigned(world)
    with pytest.raises(InvalidInput) as error:
        record_agreement(dispute, agreement_in(form="oral"), acting_user=world.mediator)
    assert error.value.code == "oral_not_chosen"
    agreement = record_agreement(
        dispute, agreement_in(form="oral", parties_chose_oral=True), acting_user=world.mediator
    )
    assert agreement.parties_chose_oral


def test_oral_agreement_cannot_be_confirmed_by_the_court() -> None:
    world = build_world()
    dispute = assigned(world)
    record_agreement(
        dispute, agreement_in(form="oral", parties_chose_oral=True), acting_user=world.mediator
    )
    with pytest.raises(InvalidInput):
        request_judicial_confirmation(
            dispute, acting_user=world.mediator, court="朝阳法院", requested_on=timezone.localdate()
        )


def committee_rule(world: World) -> None:
    from fawang.workorders.models import DispatchRule
    from tests.factories import region
    from tests.mediation.helpers import JIANWAI

    DispatchRule.objects.create(
        region=region(JIANWAI), institution=world.committee, business_line="mediation"
    )


def test_taking_a_dispute_claims_its_work_order_in_the_committee_queue() -> None:
    world = build_world()
    committee_rule(world)
    dispute = citizen_dispute(world)
    assert dispute.work_order is not None and dispute.work_order.institution == world.committee
    assign_dispute(dispute, acting_user=world.mediator, mediator_ids=[world.mediator_person.pk])
    dispute.work_order.refresh_from_db()
    assert dispute.work_order.status == "claimed"
    assert dispute.work_order.assignee == world.mediator


def test_agreement_replies_to_the_work_order_the_mediator_holds() -> None:
    world = build_world()
    committee_rule(world)
    dispute = citizen_dispute(world)
    assign_dispute(dispute, acting_user=world.mediator, mediator_ids=[world.mediator_person.pk])
    record_agreement(dispute, agreement_in(), acting_user=world.mediator)
    order = dispute.work_order
    assert order is not None
    order.refresh_from_db()
    # Answered by the outcome, then ended with the dispute (one status for one request).
    assert order.replied_at is not None and "赔偿李明修缮费用六千元" in order.reply
    assert order.status == "closed" and order.case_status == "调解成功"


def test_failure_tells_the_citizen_the_way_onwards_in_the_work_order_reply() -> None:
    world = build_world()
    committee_rule(world)
    dispute = citizen_dispute(world)
    assign_dispute(dispute, acting_user=world.mediator, mediator_ids=[world.mediator_person.pk])
    record_failure(dispute, acting_user=world.mediator, reason="对方拒绝", referral="litigation")
    order = dispute.work_order
    assert order is not None
    order.refresh_from_db()
    assert "向人民法院提起诉讼" in order.reply


def test_work_order_in_another_queue_is_not_answered_by_the_mediator_but_follows_the_dispute() -> (
    None
):
    world = build_world()
    dispute = citizen_dispute(world)  # no rule: the order waits unrouted
    assign_dispute(dispute, acting_user=world.mediator, mediator_ids=[world.mediator_person.pk])
    order = dispute.work_order
    assert order is not None
    order.refresh_from_db()
    assert order.status == "new" and order.case_status == "已指派"
    record_agreement(dispute, agreement_in(), acting_user=world.mediator)
    order.refresh_from_db()
    assert order.reply == "" and order.assignee is None  # the mediator did not take it over
    assert order.status == "closed" and order.case_status == "调解成功"
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds.count("case_updated") == 3  # received, assigned, agreed
