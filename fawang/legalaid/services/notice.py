"""Court, procuratorate and police notices that open a case due for assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.jobs import after_commit
from fawang.core.models import Role, User
from fawang.core.numbering import next_number
from fawang.core.services import region_by_code
from fawang.core.validation import clean_text
from fawang.legalaid.models import (
    NOTICE_MATTERS,
    AidCase,
    CaseOrigin,
    DefenceNotice,
    MatterType,
    NoticeSource,
    OrganLetter,
)
from fawang.legalaid.organs import deliver_letters_job
from fawang.legalaid.policy import policy_for_region
from fawang.legalaid.services._common import (
    MAX_TEXT,
    _choice,
    _groups,
    _require_officer,
    centre_for_region,
)
from fawang.policy.deadlines import deadline

# Notices arrive from court/police systems through integration accounts (seat role, as the
# work-order referral API) or are typed in by the centre's officer from the paper notice.
NOTICE_ROLES = frozenset({Role.HOTLINE_SEAT, Role.WINDOW_CLERK, Role.LEGAL_AID_OFFICER})


# --- notices -------------------------------------------------------------------------------


@dataclass
class NoticeInput:
    source: str
    organ_name: str
    document_number: str
    recipient_name: str
    region_code: str
    charge: str = ""
    matter_type: str = MatterType.CRIMINAL_DEFENCE
    serious_criminal: bool = False
    full_follow_groups: tuple[str, ...] = ()
    summary: str = ""
    received_at: datetime | None = None


def receive_notice(data: NoticeInput, *, acting_user: User) -> AidCase:
    """A court, procuratorate or police notice opens a case due for assignment (art. 36).

    Idempotent: the same organ's document number returns the case opened the first time."""
    if acting_user.role not in NOTICE_ROLES:
        raise PermissionDenied("您的角色不能登记通知辩护（代理）。")
    source = _choice(data.source, NoticeSource.values, "source", "通知机关类别")
    organ = clean_text(data.organ_name, 200, "organ_name", "通知机关")
    document_number = clean_text(data.document_number, 100, "document_number", "通知书文号")
    # 法律援助法 第二十五条 (defence), 第二十八条 (compulsory medical treatment): the organ notifies.
    matter = _choice(data.matter_type, NOTICE_MATTERS, "matter_type", "通知事项类别")
    recipient = clean_text(data.recipient_name, 50, "recipient_name", "受援人姓名")
    charge = clean_text(data.charge, 200, "charge", "涉嫌罪名", required=False)
    summary = clean_text(data.summary, MAX_TEXT, "summary", "案情摘要", required=False)
    groups = _groups(data.full_follow_groups)
    region = region_by_code(data.region_code)
    centre = centre_for_region(region)
    if acting_user.role == Role.LEGAL_AID_OFFICER:
        _require_officer(acting_user, centre.pk)
    now = timezone.now()
    received_at = data.received_at or now
    if received_at > now + timedelta(minutes=5):
        raise InvalidInput("收到通知时间不能晚于现在。", code="future_date", field="received_at")
    existing = DefenceNotice.objects.filter(
        source=source, organ_name=organ, document_number=document_number
    ).first()
    if existing is not None:
        return existing.case
    policy = policy_for_region(region)
    try:
        with transaction.atomic():
            case = AidCase.objects.create(
                number=next_number("TZ", now),
                origin=CaseOrigin.NOTICE,
                centre=centre,
                region=region,
                matter_type=matter,
                recipient_name=recipient,
                summary=summary,
                serious_criminal=bool(data.serious_criminal),
                full_follow_groups=groups,
                full_follow=bool(groups),
                opened_at=received_at,
                # 法律援助法 第三十六条: assign within 3 days of receiving the notice.
                assignment_due_at=deadline(received_at, policy.notice_assignment),
            )
            DefenceNotice.objects.create(
                case=case,
                source=source,
                organ_name=organ,
                document_number=document_number,
                charge=charge,
                received_at=received_at,
                created_by=acting_user,
            )
            record_event(
                "legalaid.notice_received",
                actor=acting_user,
                obj=case,
                detail={"number": case.number, "organ": organ, "document": document_number},
            )
    except IntegrityError:
        winner = DefenceNotice.objects.filter(
            source=source, organ_name=organ, document_number=document_number
        ).first()
        if winner is None:
            raise
        return winner.case
    return case


def queue_letter_to_organ(
    notice: DefenceNotice, kind: str, text: str, *, case: AidCase
) -> OrganLetter:
    """A letter back to the organ that sent ``notice``, through the integration its notices come
    by (``legalaid.organs``): written in the caller's transaction, sent after the commit."""
    letter = OrganLetter.objects.create(
        notice=notice,
        kind=kind,
        payload={
            "kind": kind,
            "organ": notice.organ_name,
            "source": notice.source,
            "document_number": notice.document_number,
            "case": case.number,
            "centre": case.centre.name,
            "text": text,
        },
    )
    after_commit(deliver_letters_job)
    return letter


def assignment_letter_text(case: AidCase) -> str:
    """法律援助法 第三十六条: 指派律师并通知人民法院、人民检察院、公安机关."""
    provider = case.provider
    if provider is None:
        return ""
    practitioner = provider.practitioner
    return (
        f"关于贵机关{case.notice.document_number}号通知：{case.centre.name}已指派"
        f"{practitioner.institution.name}律师{practitioner.name}为{case.recipient_name}提供法律援助"
        f"（案件编号{case.number}）。"
    )
