"""Claim, assign, transfer, return, supervise, reply, rate, follow up, complain."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import InstitutionKind, Role
from fawang.workorders import services
from fawang.workorders.models import EventKind, Notification, Status, WorkOrder
from tests.conftest import CHAOYANG
from tests.factories import make_institution, make_practitioner, make_staff
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db


def kinds(order: WorkOrder) -> list[str]:
    return list(order.events.values_list("kind", flat=True))


def test_claim_next_hands_out_the_oldest_order_of_the_users_queue() -> None:
    world = build_world()
    first, second = new_order(world.seat), new_order(world.seat)
    new_order(world.seat, region_code="110108000000")  # Haidian's queue: not ours
    assert services.claim_next(acting_user=world.seat).pk == first.pk
    assert services.claim_next(acting_user=world.second_seat).pk == second.pk
    assert services.claim_next(acting_user=world.seat) is None
    first.refresh_from_db()
    assert first.status == Status.CLAIMED and first.assignee == world.seat
    assert first.claimed_at is not None


def test_an_order_cannot_be_claimed_twice() -> None:
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    with pytest.raises(Conflict, match="办理中"):
        services.claim_order(order, acting_user=world.second_seat)
    order.refresh_from_db()
    assert order.assignee == world.seat


def test_assignment_prefers_the_specialist_with_room() -> None:
    world = build_world()
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM)
    busy_generalist = make_staff(Role.LAWYER, institution=firm)
    specialist = make_staff(Role.LAWYER, institution=firm)
    make_practitioner(firm, user=specialist, specialties=["labour"])
    order = new_order(world.seat, topic="labour")
    services.transfer_order(order, firm, reason="需律师跟进", acting_user=world.seat)
    assigned = services.assign_order(order, acting_user=world.supervisor)
    assert assigned.assignee == specialist
    # Load outweighs specialty once the specialist carries two more open orders.
    for _ in range(3):
        extra = new_order(world.seat, topic="labour")
        services.transfer_order(extra, firm, reason="需律师", acting_user=world.seat)
        services.assign_order(extra, acting_user=world.supervisor, assignee=specialist)
    another = new_order(world.seat, topic="labour")
    services.transfer_order(another, firm, reason="需律师", acting_user=world.seat)
    assert services.assign_order(another, acting_user=world.supervisor).assignee == busy_generalist


def test_transfer_return_and_supervision_keep_a_complete_timeline() -> None:
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    services.transfer_order(
        order, world.aid_centre, reason="符合法律援助条件", acting_user=world.seat
    )
    aid_officer = make_staff(Role.LEGAL_AID_OFFICER, institution=world.aid_centre)
    services.return_order(order, reason="不属于本中心受理范围", acting_user=aid_officer)
    services.route_order(order, world.centre, acting_user=world.seat)
    deadline = timezone.now() + timedelta(days=3)
    services.supervise_order(
        order, note="请尽快答复", new_deadline=deadline, acting_user=world.supervisor
    )
    services.claim_order(order, acting_user=world.second_seat)
    services.reply_to_order(order, reply="可向劳动监察大队投诉。", acting_user=world.second_seat)
    order.refresh_from_db()
    assert kinds(order) == [
        EventKind.CREATED,
        EventKind.ROUTED,
        EventKind.CLAIMED,
        EventKind.TRANSFERRED,
        EventKind.RETURNED,
        EventKind.ROUTED,
        EventKind.SUPERVISED,
        EventKind.CLAIMED,
        EventKind.REPLIED,
    ]
    transfer = order.events.get(kind=EventKind.TRANSFERRED)
    assert (transfer.note, transfer.institution) == ("符合法律援助条件", world.aid_centre)
    assert order.events.get(kind=EventKind.RETURNED).note == "不属于本中心受理范围"
    assert order.supervised and order.reply_due_at == deadline
    assert Notification.objects.filter(recipient=world.seat, order=order).exists()  # returned
    assert order.status == Status.REPLIED and order.assignee == world.second_seat


def test_transfer_needs_a_reason_and_changes_nothing_without_one() -> None:
    world = build_world()
    order = new_order(world.seat)
    with pytest.raises(InvalidInput, match="转办理由"):
        services.transfer_order(order, world.aid_centre, reason=" ", acting_user=world.seat)
    order.refresh_from_db()
    assert order.institution == world.centre and len(kinds(order)) == 2


def test_orders_cannot_be_transferred_out_of_the_district() -> None:
    world = build_world()
    order = new_order(world.seat)
    with pytest.raises(NotFound):
        services.transfer_order(order, world.other_centre, reason="x", acting_user=world.seat)


def test_only_supervisors_supervise_and_only_with_a_future_deadline() -> None:
    world = build_world()
    order = new_order(world.seat)
    with pytest.raises(PermissionDenied):
        services.supervise_order(
            order, note="x", new_deadline=timezone.now() + timedelta(days=1), acting_user=world.seat
        )
    with pytest.raises(InvalidInput, match="晚于"):
        services.supervise_order(
            order,
            note="x",
            new_deadline=timezone.now() - timedelta(hours=1),
            acting_user=world.supervisor,
        )
    order.refresh_from_db()
    assert not order.supervised


def test_only_the_assignee_replies() -> None:
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    with pytest.raises(PermissionDenied):
        services.reply_to_order(order, reply="x", acting_user=world.second_seat)


def test_citizen_rates_by_link_once_and_the_order_closes() -> None:
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="建议先协商。", acting_user=world.seat)
    with pytest.raises(NotFound):
        services.rate_order(order, rating=5, token="wrong")
    services.rate_order(order, rating=4, comment="很耐心", token=order.rating_token)
    order.refresh_from_db()
    assert (order.rating, order.status) == (4, Status.CLOSED)
    with pytest.raises(Conflict, match="已评价"):
        services.rate_order(order, rating=1, token=order.rating_token)


def test_rating_must_be_one_to_five() -> None:
    world = build_world()
    order = new_order(world.citizen, channel="web")
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="答复", acting_user=world.seat)
    with pytest.raises(InvalidInput, match="1到5"):
        services.rate_order(order, rating=6, acting_user=world.citizen)
    order.refresh_from_db()
    assert order.rating is None


def test_seat_records_a_follow_up_and_a_complaint_becomes_a_linked_order() -> None:
    world = build_world()
    order = new_order(world.citizen, channel="web")
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="请携带借条起诉。", acting_user=world.seat)
    services.record_follow_up(
        order, reached=True, satisfaction=2, note="对答复不满意", acting_user=world.second_seat
    )
    complaint = services.file_complaint(
        order, text="答复太笼统，没有告诉我去哪个法院。", acting_user=world.citizen
    )
    assert complaint.parent == order and complaint.business_line == "complaint"
    assert complaint.citizen == world.citizen and complaint.status == Status.QUEUED
    assert kinds(order)[-2:] == [EventKind.FOLLOWED_UP, EventKind.COMPLAINED]
    assert order.follow_ups.get().satisfaction == 2


def test_another_citizen_cannot_complain_about_my_order() -> None:
    world = build_world()
    order = new_order(world.citizen, channel="web")
    stranger = make_staff(Role.LAWYER, institution=world.centre)
    with pytest.raises(NotFound):
        services.file_complaint(order, text="x", acting_user=stranger)


def test_requester_gets_the_number_and_then_the_rating_link_by_sms(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from fawang.core.sms import MemorySmsBackend

    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):  # texted once committed
        order = new_order(world.seat)
        services.claim_order(order, acting_user=world.seat)
        services.reply_to_order(order, reply="答复", acting_user=world.seat)
    texts = [text for phone, text in MemorySmsBackend.outbox if phone == "13911112222"]
    assert order.number in texts[0] and "/requests/track" in texts[0]
    assert f"/rate/{order.rating_token}" in texts[1]


def test_a_rating_by_link_is_audited_as_the_link_not_the_scheduler() -> None:
    from fawang.audit.models import AuditEvent

    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="答复", acting_user=world.seat)
    services.rate_order(order, rating=5, token=order.rating_token)
    event = AuditEvent.objects.get(action="workorder.rated", object_id=str(order.pk))
    assert event.actor_label == "rating link"


def test_a_supervisor_cannot_supervise_outside_their_region() -> None:
    world = build_world()
    order = new_order(world.seat)
    haidian = make_staff(Role.SUPERVISOR_DISTRICT, region_code="110108000000")
    with pytest.raises(NotFound):
        services.supervise_order(
            order, note="x", new_deadline=timezone.now() + timedelta(days=1), acting_user=haidian
        )
