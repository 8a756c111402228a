"""The seat's reply screen: the reference panel is on it, and the handler closes an order for a
reason the rules allow (audited), never one that follows a legal-aid or mediation case."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from fawang.audit.models import AuditEvent
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.sms import MemorySmsBackend
from fawang.workorders import services
from fawang.workorders.models import EventKind, Status
from tests.workorders.helpers import build_world, new_order

pytestmark = pytest.mark.django_db


def test_reply_screen_carries_the_panel_the_citation_check_and_the_close_form(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    page = login_as(world.seat).get(f"/console/orders/{order.number}/").content.decode()
    reply_form = page.split('id="action-reply"')[1]
    assert f'hx-post="{reverse("consult:suggest")}"' in reply_form
    assert 'id="id_description"' in reply_form and "同事借我两万元" in reply_form
    assert f'hx-post="{reverse("consult:citation_fragment")}"' in reply_form
    assert 'id="action-close"' in page
    # Before the reply, "resolved" is not a reason the rules allow.
    close_form = page.split('id="action-close"')[1]
    assert 'value="withdrawn"' in close_form and 'value="resolved"' not in close_form


def test_someone_else_sees_neither_panel_nor_close(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    page = login_as(world.second_seat).get(f"/console/orders/{order.number}/").content.decode()
    assert 'id="reply-assist"' not in page and 'id="action-close"' not in page


def test_seat_closes_a_replied_order_as_resolved_audited_and_told(login_as) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    order = new_order(world.seat)
    services.claim_order(order, acting_user=world.seat)
    services.reply_to_order(order, reply="建议先协商。", acting_user=world.seat)
    MemorySmsBackend.outbox.clear()
    client = login_as(world.seat)
    response = client.post(
        f"/console/orders/{order.number}/",
        {"action": "close", "close-reason": "resolved", "close-note": "来电确认已解决"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.CLOSED and order.closed_at is not None
    event = order.events.last()
    assert event is not None and event.kind == EventKind.CLOSED
    assert event.data["reason"] == "resolved" and "来电确认已解决" in event.note
    audit = AuditEvent.objects.filter(action="workorder.closed").last()
    assert audit is not None and audit.detail["reason"] == "resolved"
    # The citizen may still rate a closed order.
    services.rate_order(order, rating=5, token=order.rating_token)


def _claimed(world: Any) -> Any:
    order = new_order(world.seat)
    return services.claim_order(order, acting_user=world.seat)


def test_resolved_needs_a_reply_first() -> None:
    world = build_world()
    order = _claimed(world)
    with pytest.raises(Conflict) as refused:
        services.close_by_seat(order, reason="resolved", acting_user=world.seat)
    assert refused.value.code == "close_not_allowed"
    order.refresh_from_db()
    assert order.status == Status.CLAIMED


def test_only_the_handler_closes() -> None:
    world = build_world()
    order = _claimed(world)
    with pytest.raises(PermissionDenied):
        services.close_by_seat(
            order, reason="withdrawn", note="来电撤回", acting_user=world.second_seat
        )


def test_withdrawn_needs_a_note_and_closes_a_claimed_order() -> None:
    world = build_world()
    order = _claimed(world)
    with pytest.raises(InvalidInput):
        services.close_by_seat(order, reason="withdrawn", acting_user=world.seat)
    order = services.close_by_seat(
        order, reason="withdrawn", note="申请人来电撤回", acting_user=world.seat
    )
    assert order.status == Status.CLOSED


def test_duplicate_names_another_order_of_the_same_requester() -> None:
    world = build_world()
    first = new_order(world.seat)
    stranger = new_order(world.seat, requester_phone="13800001111")
    order = _claimed(world)
    with pytest.raises(InvalidInput) as refused:
        services.close_by_seat(
            order, reason="duplicate", duplicate_of=stranger.number, acting_user=world.seat
        )
    assert refused.value.field == "duplicate_of"
    with pytest.raises(InvalidInput):
        services.close_by_seat(
            order, reason="duplicate", duplicate_of=order.number, acting_user=world.seat
        )
    order = services.close_by_seat(
        order, reason="duplicate", duplicate_of=first.number, acting_user=world.seat
    )
    assert order.status == Status.CLOSED
    assert order.events.last().data["duplicate_of"] == first.number  # type: ignore[union-attr]


def test_an_order_following_a_case_is_not_closed_by_the_seat() -> None:
    world = build_world()
    order = _claimed(world)
    services.follow_case(
        order, case_ref="法律援助申请 FY1", case_status="审查中", acting_user=world.seat
    )
    with pytest.raises(Conflict) as refused:
        services.close_by_seat(order, reason="withdrawn", note="撤回", acting_user=world.seat)
    assert refused.value.code == "close_not_allowed"


def test_the_transfer_picker_is_searchable_from_our_own_static_files(login_as) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    import fawang

    world = build_world()
    order = new_order(world.seat)
    page = login_as(world.seat).get(f"/console/orders/{order.number}/").content.decode()
    transfer = page.split('id="action-transfer"')[1].split("</form>")[0]
    assert "data-searchable" in transfer
    assert "/static/vendor/tom-select.complete.min.js" in page
    assert "cdn" not in page.lower()
    vendor = Path(fawang.__file__).parent / "static" / "vendor"
    assert "Apache License" in (vendor / "tom-select.LICENSE.txt").read_text()
    assert "sourceMappingURL" not in (vendor / "tom-select.complete.min.js").read_text()
