"""What the mediation use cases share: limits, the dispute transitions, audit, permissions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from fawang.audit.services import record_event
from fawang.core.errors import PermissionDenied
from fawang.core.models import SUPERVISOR_ROLES, Practitioner, PractitionerKind, Region, Role, User
from fawang.core.transitions import Transitions
from fawang.mediation.models import TRANSITIONS, CommitteeMembership, Dispute, DisputeStatus
from fawang.workorders.services import follow_case

MAX_TEXT = 5000
MAX_NOTE = 1000
VERB_LABELS = {
    "assign": pgettext_lazy("transition", "指派"),
    "record_session": pgettext_lazy("transition", "记录调解"),
    "agree": pgettext_lazy("transition", "登记调解协议"),
    "fail": pgettext_lazy("transition", "登记调解不成"),
    "follow_up": pgettext_lazy("transition", "回访履行情况"),
    "request_confirmation": pgettext_lazy("transition", "申请司法确认"),
}
DISPUTE_TRANSITIONS = Transitions(
    TRANSITIONS,
    noun=pgettext_lazy("transition", "纠纷"),
    statuses=DisputeStatus,
    verb_labels=VERB_LABELS,
)
BUREAU_ROLES = SUPERVISOR_ROLES


# --- helpers --------------------------------------------------------------------------------


def _audit(action: str, dispute: Dispute, actor: Any, **detail: Any) -> None:
    record_event(
        f"mediation.{action}",
        actor=actor,
        obj=dispute,
        detail={"number": dispute.number, "status": dispute.status, **detail},
    )


def practitioner_of(user: User) -> Practitioner | None:
    return Practitioner.objects.filter(user=user, kind=PractitionerKind.MEDIATOR).first()


def is_committee_head(user: User, committee_id: int | None) -> bool:
    if user.role != Role.MEDIATOR or committee_id is None or user.institution_id != committee_id:
        return False
    return CommitteeMembership.objects.filter(
        committee_id=committee_id, mediator__user=user, is_head=True, active=True
    ).exists()


def _in_region(user: User, region: Region) -> bool:
    return user.region is not None and user.region.contains(region)


def _require_bureau_over(user: User, region: Region) -> None:
    if user.role not in BUREAU_ROLES or not _in_region(user, region):
        raise PermissionDenied("只有该地区的司法行政管理人员可以进行此操作。")


def _require_committee_mediator(user: User, dispute: Dispute) -> None:
    if user.role != Role.MEDIATOR or user.institution_id != dispute.committee_id:
        raise PermissionDenied("只有承办该纠纷的调委会调解员可以进行此操作。")


def _require_handler(user: User, dispute: Dispute) -> None:
    """The mediators assigned to the dispute, or the committee head."""
    _require_committee_mediator(user, dispute)
    if is_committee_head(user, dispute.committee_id):
        return
    if not dispute.mediators.filter(user=user).exists():
        raise PermissionDenied("您不是该纠纷的承办调解员。")


def tell_order(dispute: Dispute, *, acting_user: User | None) -> None:
    """The dispute's work order shows the dispute's status and history and ends with it (调解成功
    or 调解不成), so 我的诉求 and 我的调解 say the same. In the caller's transaction."""
    if dispute.work_order_id is None:
        return
    assert dispute.work_order is not None
    follow_case(
        dispute.work_order,
        case_ref=f"人民调解 {dispute.number}",
        case_status=str(dispute.get_status_display()),
        acting_user=acting_user,
        ended=dispute.status in {DisputeStatus.AGREED, DisputeStatus.FAILED},
    )
