"""After the reply: rating, follow-up calls, complaints, calling the requester back."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, NotFound
from fawang.core.models import Role, User
from fawang.core.personal_access import read_personal_data
from fawang.core.rows import lock
from fawang.core.services import reveal_personal_data
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_text
from fawang.workorders.models import (
    MAX_DESCRIPTION,
    BusinessLine,
    Channel,
    EventKind,
    FollowUp,
    Status,
    WorkOrder,
)
from fawang.workorders.services._common import MAX_NOTE, ORDER_TRANSITIONS, _record, _require
from fawang.workorders.services.handling import _close
from fawang.workorders.services.intake import Intake, create_work_order

COMPLAINT_PHONE_PURPOSE = "投诉工单沿用原工单联系电话"


# --- rating, follow-up, complaint ---------------------------------------------------------


def rate_order(
    order: WorkOrder,
    *,
    rating: int,
    comment: str = "",
    acting_user: User | None = None,
    token: str = "",
) -> WorkOrder:
    """The requester rates the reply: logged in as the order's citizen, or through the link."""
    owner = (
        acting_user is not None and acting_user.is_citizen and order.citizen_id == acting_user.pk
    )
    if not owner and not (token and token == order.rating_token):
        raise NotFound("未找到该工单。")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("满意度请选择1到5分。", code="bad_rating", field="rating")
    comment = clean_text(comment, 500, "comment", "评价意见", required=False)
    with transaction.atomic():
        order = lock(order)
        check_transition(ORDER_TRANSITIONS, order.status, "rate")
        if order.rated_at is not None:
            raise Conflict("该工单已评价。", code="already_rated")
        order.rating, order.rating_comment, order.rated_at = rating, comment, timezone.now()
        order.save(update_fields=["rating", "rating_comment", "rated_at"])
        label = "rating link" if acting_user is None else ""
        _record(
            order, EventKind.RATED, actor=acting_user, data={"rating": rating}, actor_label=label
        )
        if order.status == Status.REPLIED:
            _close(order, actor=acting_user, note="群众已评价", actor_label=label)
    return order


def record_follow_up(
    order: WorkOrder,
    *,
    reached: bool,
    satisfaction: int | None,
    note: str,
    acting_user: User,
) -> FollowUp:
    _require(acting_user, {Role.HOTLINE_SEAT, Role.WINDOW_CLERK})
    note = clean_text(note, MAX_NOTE, "note", "回访记录", required=False)
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise InvalidInput("满意度请选择1到5分。", code="bad_rating", field="satisfaction")
    with transaction.atomic():
        order = lock(order)
        check_transition(ORDER_TRANSITIONS, order.status, "follow_up")
        follow_up = FollowUp.objects.create(
            order=order, made_by=acting_user, reached=reached, satisfaction=satisfaction, note=note
        )
        _record(
            order,
            EventKind.FOLLOWED_UP,
            actor=acting_user,
            note=note,
            data={"reached": reached, "satisfaction": satisfaction},
        )
    return follow_up


def file_complaint(
    order: WorkOrder, *, text: str, acting_user: User, region_code: str | None = None
) -> WorkOrder:
    """A complaint about how an order was handled becomes its own order, linked to the first."""
    owner = acting_user.is_citizen and order.citizen_id == acting_user.pk
    if not owner and acting_user.role not in {Role.HOTLINE_SEAT, Role.WINDOW_CLERK}:
        raise NotFound("未找到该工单。")
    text = clean_text(text, MAX_DESCRIPTION, "text", "投诉内容")
    channel = (
        Channel.WEB
        if acting_user.is_citizen
        else (Channel.HOTLINE if acting_user.role == Role.HOTLINE_SEAT else Channel.WINDOW)
    )
    with transaction.atomic():
        complaint = create_work_order(
            Intake(
                channel=channel,
                business_line=BusinessLine.COMPLAINT,
                topic=order.topic,
                title=f"对工单 {order.number} 的投诉",
                description=text,
                requester_name=order.requester_name,
                requester_phone=read_personal_data(
                    order, "requester_phone", actor=acting_user, purpose=COMPLAINT_PHONE_PURPOSE
                ),
                region_code=region_code or order.region.code,
                parent=order,
            ),
            acting_user=acting_user,
        )
        _record(
            lock(order),
            EventKind.COMPLAINED,
            actor=acting_user,
            note=text[:200],
            data={"complaint": complaint.number},
        )
    return complaint


def reveal_requester_phone(order: WorkOrder, *, acting_user: User, reason: str) -> str:
    """A seat calls the requester back: the clear number, read and recorded through the door.

    The caller fetched ``order`` through a scoped selector (``workorders.selectors``)."""
    return reveal_personal_data(
        acting_user=acting_user, subject=order, field="requester_phone", reason=reason
    )
