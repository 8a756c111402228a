"""Intake from every channel: checks, idempotency, numbering, routing in the same INSERT."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Region, Role, User
from fawang.core.numbering import next_number
from fawang.core.personal_access import SELF_USE, read_personal_data
from fawang.core.personal_data import mask_text
from fawang.core.services import region_by_code
from fawang.core.taxonomy import LANGUAGES, SpecialGroup, Topic
from fawang.core.validation import clean_choice, clean_phone, clean_text
from fawang.db.appends import append_rows
from fawang.policy.deadlines import deadline
from fawang.policy.packs import pack_for_region
from fawang.workorders import classification
from fawang.workorders.models import (
    MAX_DESCRIPTION,
    BusinessLine,
    Channel,
    EventKind,
    ReferralSource,
    Status,
    WorkOrder,
)
from fawang.workorders.services._common import Happened, _record_all, _text_requester
from fawang.workorders.services.routing import matching_rule

MAX_TITLE = 100
CHANNELS_BY_ROLE = {
    Role.CITIZEN: {Channel.WEB, Channel.MINI_PROGRAM},
    Role.WINDOW_CLERK: {Channel.WINDOW, Channel.REFERRAL},
    # Hotline seats take calls, and the telephony / 12345 / court systems act through integration
    # accounts that hold the seat role in their district.
    Role.HOTLINE_SEAT: {Channel.HOTLINE, Channel.CITIZEN_HOTLINE_12345, Channel.REFERRAL},
}


# --- intake -------------------------------------------------------------------------------


@dataclass
class Intake:
    """What every channel supplies to create a work order."""

    channel: str
    business_line: str
    topic: str
    description: str
    requester_name: str
    requester_phone: str
    region_code: str
    title: str = ""
    external_ref: str = ""
    referral_source: str = ""
    recording_ref: str = ""
    special_groups: tuple[str, ...] = ()
    home_visit: bool = False
    language: str = ""  # a code of core.taxonomy.LANGUAGES other than 普通话, or empty
    idempotency_key: str = ""
    parent: WorkOrder | None = None


def _account_phone(user: User | None) -> str:
    """A citizen who leaves the phone empty means the number on their account."""
    if user is not None and user.is_citizen and user.phone:
        return read_personal_data(user, "phone", actor=user, purpose=SELF_USE)
    return ""


def _check_channel(actor: User | None, channel: str) -> None:
    clean_choice(channel, Channel.values, "channel", "渠道")
    if actor is None:
        raise PermissionDenied("请先登录。")
    allowed = CHANNELS_BY_ROLE.get(Role(actor.role), set())
    if channel not in allowed:
        raise PermissionDenied("您的角色不能从该渠道受理工单。", code="channel_forbidden")


def _existing_for_key(actor: User | None, key: str) -> WorkOrder | None:
    if not key or actor is None:
        return None
    # The `exclude` matches the partial unique index's condition, so the index serves the query.
    return (
        WorkOrder.objects.filter(created_by=actor, idempotency_key=key)
        .exclude(idempotency_key="")
        .select_related("region")
        .first()
    )


class IdempotencyKeyReused(InvalidInput):
    """The key of an earlier request sent with another request: neither order is what was meant."""

    status = 422
    code = "idempotency_key_reused"


def _same_request(order: WorkOrder, intake: Intake) -> bool:
    """What the requester would notice if the retry were answered with the first order."""
    return (
        order.channel == intake.channel
        and order.business_line == intake.business_line
        and order.topic == intake.topic
        and order.description == (intake.description or "").strip()
        and order.region.code == intake.region_code
    )


def _existing_for_external_ref(channel: str, external_ref: str) -> WorkOrder | None:
    """A call id or 12345 ticket id arriving twice is the same request."""
    if channel not in {Channel.HOTLINE, Channel.CITIZEN_HOTLINE_12345} or not external_ref:
        return None
    return WorkOrder.objects.filter(channel=channel, external_ref=external_ref).order_by().first()


def create_work_order(intake: Intake, *, acting_user: User | None) -> WorkOrder:
    """Create an order from any channel, route it by the dispatch rules (a topic suggestion
    follows by a periodic job).

    Idempotent: the same Idempotency-Key from the same account, or the same call id / 12345
    ticket id, returns the order created the first time.
    """
    _check_channel(acting_user, intake.channel)
    key = clean_text(intake.idempotency_key, 100, "idempotency_key", "幂等键", required=False)
    existing = _existing_for_key(acting_user, key)
    if existing is not None and not _same_request(existing, intake):
        raise IdempotencyKeyReused(
            f"幂等键 {key} 已用于另一项诉求（工单 {existing.number}），请为新的诉求使用新的幂等键。",
            field="idempotency_key",
        )
    if existing is not None:
        return existing
    business_line = clean_choice(
        intake.business_line, BusinessLine.values, "business_line", "业务类别"
    )
    topic = clean_choice(intake.topic, Topic.values, "topic", "咨询分类")
    description = clean_text(intake.description, MAX_DESCRIPTION, "description", "诉求内容")
    # A number typed into the description must not reach the title every list shows.
    title = clean_text(intake.title or mask_text(description)[:30], MAX_TITLE, "title", "事项")
    name = clean_text(intake.requester_name, 50, "requester_name", "申请人姓名")
    phone = clean_phone(intake.requester_phone or _account_phone(acting_user))
    for group in intake.special_groups:
        clean_choice(group, SpecialGroup.values, "special_groups", "特殊群体")
    if intake.language:
        clean_choice(intake.language, NEEDED_LANGUAGES, "language", "语言需求")
    region = region_by_code(intake.region_code)
    if intake.channel == Channel.REFERRAL:
        clean_choice(
            intake.referral_source, ReferralSource.values, "referral_source", "转介单位类别"
        )
    external_ref = clean_text(intake.external_ref, 64, "external_ref", "外部编号", required=False)
    recording_ref = clean_text(
        intake.recording_ref, 200, "recording_ref", "录音编号", required=False
    )
    try:
        with transaction.atomic():
            order = _insert_order(
                intake,
                acting_user=acting_user,
                business_line=business_line,
                topic=topic,
                title=title,
                description=description,
                requester_name=name,
                requester_phone=phone,
                region=region,
                external_ref=external_ref,
                recording_ref=recording_ref,
                idempotency_key=key,
            )
    except IntegrityError:
        # A call id or 12345 ticket seen before, or two requests with one Idempotency-Key racing:
        # the unique index finds the repeat at the INSERT, so a new order (nearly every one)
        # pays no look-up for the rare repeated one. The repeat returns the first order.
        winner = _existing_for_key(acting_user, key) or _existing_for_external_ref(
            intake.channel, external_ref
        )
        if winner is None:
            raise
        return winner
    return order


def _insert_order(
    intake: Intake,
    *,
    acting_user: User | None,
    region: Region,
    **values: Any,
) -> WorkOrder:
    now = timezone.now()
    levels = pack_for_region(region).service_levels
    green = levels.green_channel
    in_green = green is not None and any(g in green.groups for g in intake.special_groups)
    claim_period = green.claim if green is not None and in_green else levels.claim
    reply_due = deadline(now, levels.reply[values["business_line"]])
    if green is not None and in_green and values["business_line"] in green.reply:
        reply_due = min(reply_due, deadline(now, green.reply[values["business_line"]]))
    citizen = acting_user if acting_user is not None and acting_user.is_citizen else None
    rule = matching_rule(values["business_line"], values["topic"], region)
    order = WorkOrder(
        number=next_number("GF", now),
        channel=intake.channel,
        referral_source=intake.referral_source if intake.channel == Channel.REFERRAL else "",
        special_groups=list(intake.special_groups),
        green_channel=in_green,
        home_visit=bool(intake.home_visit),
        language=intake.language,
        region=region,
        citizen=citizen,
        created_at=now,
        created_by=acting_user,
        # One deadline function for every period, in the unit the pack gives (policy.deadlines):
        # legal aid's reply is 法律援助法 第四十三条's 7 calendar days, not working days.
        # 绿色通道: the pack's shorter claim period, and the shorter reply period where it names one.
        claim_due_at=deadline(now, claim_period),
        reply_due_at=reply_due,
        # Staff chose the topic at the window or on the phone; a citizen's choice awaits review.
        topic_confirmed=acting_user is not None and acting_user.is_staff_member,
        parent=intake.parent,
        # NULL: awaiting the classifier's periodic job (classification.suggest_pending_topics).
        suggested_topics=None if classification.enabled() else {},
        # Routed in the same INSERT: the timeline still shows creation and routing as two events.
        status=Status.QUEUED if rule else Status.NEW,
        institution=rule.institution if rule else None,
        **values,
    )
    append_rows([order])
    happenings = [
        Happened(EventKind.CREATED, acting_user, Status.NEW, data={"channel": order.channel})
    ]
    if rule is not None:
        happenings.append(
            Happened(
                EventKind.ROUTED,
                None,
                Status.QUEUED,
                from_status=Status.NEW,
                note=f"按分派规则 #{rule.pk} 进入 {rule.institution.name} 队列",
                data={"rule": rule.pk, "institution": rule.institution_id},
            )
        )
    _record_all(order, happenings)
    _text_requester(
        order,
        f"【法网】您的诉求已受理，工单编号{order.number}。可凭编号和手机号在"
        f"{settings.PUBLIC_URL}/requests/track 查询进度。",
    )
    return order


# The languages a request may ask for: every working language but 普通话 (the default).
NEEDED_LANGUAGES = tuple(code for code in LANGUAGES if code != "zh")
