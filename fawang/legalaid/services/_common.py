"""What the legal-aid use cases share: input checks, permissions, transition tables, centres."""

from __future__ import annotations

from collections.abc import Iterable

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Practitioner,
    Region,
    Role,
    User,
)
from fawang.core.scope import supervises
from fawang.core.transitions import Transitions
from fawang.core.validation import clean_choice
from fawang.legalaid.models import (
    APPLICATION_TRANSITIONS,
    CASE_TRANSITIONS,
    COMPLAINT_TRANSITIONS,
    AidApplication,
    AidCase,
    ApplicationStatus,
    CaseStatus,
    ComplaintStatus,
    FullFollowGroup,
)
from fawang.workorders.services import follow_case

MAX_TEXT = 5000
MAX_NOTE = 1000


# --- validation helpers --------------------------------------------------------------------


def _choice(value: str | None, choices: Iterable[str], field: str, label: str) -> str:
    # Legal aid's error codes name the field (unknown_matter_type), as its API documents.
    return clean_choice(value, choices, field, label, code=f"unknown_{field}")


def _groups(values: Iterable[str]) -> list[str]:
    return [_choice(g, FullFollowGroup.values, "full_follow_groups", "跟案群体") for g in values]


# --- permissions ---------------------------------------------------------------------------


def is_officer_of(user: User, centre_id: int) -> bool:
    return user.role == Role.LEGAL_AID_OFFICER and user.institution_id == centre_id


def is_provider_of(user: User, case: AidCase) -> bool:
    if case.provider is None or not user.is_authenticated:
        return False
    return Practitioner.objects.filter(pk=case.provider.practitioner_id, user=user).exists()


def _require_officer(user: User, centre_id: int) -> None:
    if not is_officer_of(user, centre_id):
        raise PermissionDenied("只有本法律援助中心的工作人员可以进行此操作。")


def _require_officer_or_supervisor(user: User, case: AidCase) -> None:
    if not (is_officer_of(user, case.centre_id) or supervises(user, case.region)):
        raise PermissionDenied("只有法律援助中心工作人员或司法行政管理人员可以进行此操作。")


def _require_provider(user: User, case: AidCase) -> None:
    if not is_provider_of(user, case):
        raise PermissionDenied("只有承办本案的法律援助人员可以进行此操作。")


# --- transitions and centres ---------------------------------------------------------------

# Legal aid's refusals name the status only: “当前状态为“已批准”，不能进行此操作。”
APPLICATION_FLOW = Transitions(APPLICATION_TRANSITIONS, statuses=ApplicationStatus)
CASE_FLOW = Transitions(CASE_TRANSITIONS, statuses=CaseStatus)
COMPLAINT_FLOW = Transitions(COMPLAINT_TRANSITIONS, statuses=ComplaintStatus)


def centre_for_region(region: Region) -> Institution:
    """The legal-aid centre of the nearest region above (district centre before the city's)."""
    ancestors = region.ancestor_paths()
    centre = (
        Institution.objects.filter(
            kind=InstitutionKind.LEGAL_AID_CENTRE,
            status=InstitutionStatus.ACTIVE,
            region__path__in=ancestors,
        )
        .select_related("region")
        .order_by("-region__path", "pk")
        .first()
    )
    if centre is None:
        raise InvalidInput("该地区尚无法律援助中心。", code="no_centre", field="region_code")
    return centre


# --- the work order follows the application and its case -------------------------------------


def tell_order(application: AidApplication | None, *, acting_user: User | None) -> None:
    """The application's work order shows the application's and the case's status ("已批准 ·
    承办中") and history, and ends with the case (closed, terminated) or a withdrawal: a citizen
    sees one request with one status under 我的诉求 and 我的法律援助. Call it in the same
    transaction as the change."""
    if application is None:
        return
    application.refresh_from_db()
    case = AidCase.objects.filter(application=application).first()
    status = str(application.get_status_display())
    if case is not None and application.status == ApplicationStatus.APPROVED:
        status += f" · {case.get_status_display()}"
    ended = application.status == ApplicationStatus.WITHDRAWN or (
        case is not None and case.status in {CaseStatus.CLOSED, CaseStatus.TERMINATED}
    )
    follow_case(
        application.work_order,
        case_ref=f"法律援助申请 {application.number}",
        case_status=status,
        acting_user=acting_user,
        ended=ended,
    )
