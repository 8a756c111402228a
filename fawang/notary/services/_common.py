"""What the notary use cases share: permissions, the transition table, text limits."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from fawang.core import scope
from fawang.core.errors import InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Role,
    User,
)
from fawang.core.transitions import Transitions, check_transition
from fawang.notary.models import MATTER_TRANSITIONS, MatterStatus, NotarialMatter, OfficeHead

MAX_TEXT = 2000
MATTER_FLOW = Transitions(
    MATTER_TRANSITIONS,
    noun=pgettext_lazy("transition", "公证事项"),
    statuses=MatterStatus,
    verb_labels={
        "accept": pgettext_lazy("transition", "受理"),
        "refuse": pgettext_lazy("transition", "作出不予办理决定"),
        "notify": pgettext_lazy("transition", "告知补充材料"),
        "verify": pgettext_lazy("transition", "记录核实"),
        "pause": pgettext_lazy("transition", "暂停计时"),
        "submit_for_approval": pgettext_lazy("transition", "提交审批"),
        "approve": pgettext_lazy("transition", "审批"),
        "ready": pgettext_lazy("transition", "完成审查"),
        "pay": pgettext_lazy("transition", "登记缴费"),
        "issue": pgettext_lazy("transition", "出具公证书"),
        "deliver": pgettext_lazy("transition", "登记送达"),
        "archive": pgettext_lazy("transition", "归档"),
        "book": pgettext_lazy("transition", "预约到场"),
        "upload": pgettext_lazy("transition", "补充材料"),
    },
)


def is_notary_of(user: User, office_id: int) -> bool:
    return user.role == Role.NOTARY and user.institution_id == office_id


def is_head_of(user: User, office_id: int) -> bool:
    return (
        is_notary_of(user, office_id)
        and OfficeHead.objects.filter(office_id=office_id, user=user).exists()
    )


def supervises_office(user: User, office: Institution) -> bool:
    return scope.supervises(user, office.region)


def require_notary(user: User, matter: NotarialMatter) -> None:
    if not is_notary_of(user, matter.office_id):
        raise PermissionDenied(_("只有本公证处的公证员可以进行此操作。"))


def require_applicant(user: User, matter: NotarialMatter) -> None:
    if not (user.is_authenticated and user.is_citizen and matter.applicant_id == user.pk):
        raise NotFound(_("没有找到该公证事项。"))


def require_supervisor(user: User, office: Institution) -> None:
    if not supervises_office(user, office):
        raise PermissionDenied(_("只有主管该公证处的司法行政机关可以进行此操作。"))


def active_office(office_id: int | None) -> Institution:
    if not isinstance(office_id, int) or isinstance(office_id, bool):
        raise InvalidInput(_("请选择公证处。"), code="required", field="office_id")
    office = (
        Institution.objects.filter(
            pk=office_id,
            kind=InstitutionKind.NOTARY_OFFICE,
            status=InstitutionStatus.ACTIVE,
        )
        .select_related("region")
        .first()
    )
    if office is None:
        raise InvalidInput(_("所选公证处不存在或已停止执业。"), code="no_office", field="office_id")
    return office


def next_status(current: str, verb: str) -> str:
    """The status a verb that moves the matter leads to (a 409 when not allowed from here)."""
    to_status = check_transition(MATTER_FLOW, current, verb)
    assert to_status is not None, verb
    return to_status
