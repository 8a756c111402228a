"""Legal-aid API: applications, notices from courts/procuratorates/police, assignment, the
provider's milestones and closing, supervision, quality review and figures. Thin: parse, call a
selector or a service, serialise."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus

from fawang.core.errors import PermissionDenied
from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.periods import report_year
from fawang.core.selectors import get_institution_for_user, get_region
from fawang.core.web import acting_user
from fawang.legalaid import selectors, services
from fawang.legalaid.models import AidApplication, AidCase

router = Router(tags=["法律援助"])
TEXT = 200_000


class ApplicationIn(Schema):
    matter_type: str = Field(..., max_length=40)
    facts: str = Field(..., max_length=TEXT)
    applicant_name: str = Field(..., max_length=TEXT)
    applicant_id_number: str = Field(..., max_length=40)
    region_code: str = Field(..., max_length=20)
    applicant_phone: str = Field("", max_length=40)
    opposing_party: str = Field("", max_length=TEXT)
    full_follow_groups: list[str] = Field(default_factory=list, max_length=5)
    exempt_ground: str = Field("", max_length=40)
    exempt_basis: str = Field("", max_length=TEXT)
    household_size: int | None = None
    household_monthly_income: Decimal | None = None
    household_assets: Decimal | None = None
    honesty_pledge: bool = False
    other_reason: str = Field("", max_length=TEXT)
    idempotency_key: str = Field("", max_length=200)


class ApplicationOut(Schema):
    number: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    work_order: str = Field(..., alias="work_order.number")
    centre: str = Field(..., alias="centre.name")
    matter_type: str
    applicant_name: str
    applicant_id_number: str
    exempt_ground: str
    household_size: int | None
    household_monthly_income: Decimal | None
    honesty_pledge: bool
    submitted_at: datetime
    decision_due_at: datetime
    approval_basis: str = ""
    provisional_ground: str = ""
    materials_requested: str = ""
    decided_at: datetime | None
    decision_reasons: str
    case: str | None = None

    @staticmethod
    def resolve_applicant_id_number(obj: AidApplication) -> str:
        return str(obj.applicant_id_number) if obj.applicant_id_number else ""

    @staticmethod
    def resolve_case(obj: AidApplication) -> str | None:
        case = getattr(obj, "case", None)
        return case.number if case is not None else None


class DecisionIn(Schema):
    approve: bool
    reasons: str = Field("", max_length=TEXT)
    # 法律援助法 第二十四条: "criminal_other_reason" approves a defence despite the means test.
    basis: str = Field("", max_length=40)


class ProvideFirstIn(Schema):
    ground: str = Field(..., max_length=40)
    reasons: str = Field(..., max_length=TEXT)


class MaterialsRequestIn(Schema):
    materials: str = Field(..., max_length=TEXT)


class MaterialsIn(Schema):
    note: str = Field(..., max_length=TEXT)


class TerminationIn(Schema):
    ground: str = Field(..., max_length=40)
    reasons: str = Field(..., max_length=TEXT)


class TerminationReportIn(Schema):
    ground: str = Field(..., max_length=40)
    note: str = Field(..., max_length=TEXT)


class ObjectionIn(Schema):
    reasons: str = Field(..., max_length=TEXT)


class ObjectionDecisionIn(Schema):
    correct: bool
    decision: str = Field(..., max_length=TEXT)


class ObjectionOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    reasons: str
    received_at: datetime
    review_due_at: datetime
    decision: str
    decided_at: datetime | None


class NoticeIn(Schema):
    source: str = Field(..., max_length=30)
    organ_name: str = Field(..., max_length=TEXT)
    document_number: str = Field(..., max_length=TEXT)
    recipient_name: str = Field(..., max_length=TEXT)
    region_code: str = Field(..., max_length=20)
    charge: str = Field("", max_length=TEXT)
    matter_type: str = Field("criminal_defence", max_length=40)
    serious_criminal: bool = False
    full_follow_groups: list[str] = Field(default_factory=list, max_length=5)
    summary: str = Field("", max_length=TEXT)
    received_at: datetime | None = None


class MilestoneOut(Schema):
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    occurred_on: date
    note: str


class CaseOut(Schema):
    number: str
    origin: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    centre: str = Field(..., alias="centre.name")
    region_code: str = Field(..., alias="region.code")
    matter_type: str
    recipient_name: str
    serious_criminal: bool
    full_follow: bool
    provider: str | None = None
    opened_at: datetime
    assignment_due_at: datetime
    assigned_at: datetime | None
    assignment_overdue: bool
    closed_at: datetime | None
    terminated_at: datetime | None = None
    termination_ground: str = ""

    @staticmethod
    def resolve_provider(obj: AidCase) -> str | None:
        return obj.provider.practitioner.name if obj.provider_id and obj.provider else None


class CaseDetailOut(CaseOut):
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj: AidCase) -> list[Any]:
        return list(obj.milestones.all())


class AssignIn(Schema):
    provider_id: int | None = None
    reason: str = Field("", max_length=TEXT)


class MilestoneIn(Schema):
    kind: str = Field(..., max_length=30)
    occurred_on: date
    note: str = Field("", max_length=TEXT)


class CloseIn(Schema):
    summary: str = Field(..., max_length=TEXT)


class HearingIn(Schema):
    planned_for: date
    court: str = Field("", max_length=TEXT)


class AttendanceIn(Schema):
    attended_on: date
    observations: str = Field(..., max_length=TEXT)


class VisitIn(Schema):
    visited_on: date
    satisfaction: int
    note: str = Field("", max_length=TEXT)


class ComplaintIn(Schema):
    kind: str = Field(..., max_length=30)
    description: str = Field(..., max_length=TEXT)


class ComplaintDecisionIn(Schema):
    upheld: bool
    outcome: str = Field(..., max_length=TEXT)


class ReviewIn(Schema):
    method: str = Field(..., max_length=20)
    score: int
    comments: str = Field("", max_length=TEXT)
    court_opinion: str = Field("", max_length=TEXT)
    procuratorate_opinion: str = Field("", max_length=TEXT)
    expert_id: int | None = None


class ReviewOut(Schema):
    case: str = Field(..., alias="case.number")
    method: str
    score: int
    grade: str
    grade_label: str = Field(..., alias="get_grade_display")


class SampleIn(Schema):
    centre_id: int
    period: str = Field(..., max_length=10)


class SampleOut(Schema):
    centre: str = Field(..., alias="centre.name")
    period: str
    share: Decimal
    closed_count: int
    cases: list[str]

    @staticmethod
    def resolve_cases(obj: Any) -> list[str]:
        return sorted(case.number for case in obj.cases.all())


class PoolMemberOut(Schema):
    id: int
    name: str = Field(..., alias="practitioner.name")
    kind: str = Field(..., alias="practitioner.kind")
    institution: str = Field(..., alias="practitioner.institution.name")
    qualification_level: str
    specialties: list[str]
    is_public_sector_lawyer: bool
    criminal_practice_since: date | None = None
    status: str
    excluded_reason: str


class PoolMemberIn(Schema):
    centre_id: int
    licence_number: str = Field(..., max_length=40)
    specialties: list[str] = Field(default_factory=list, max_length=20)
    is_public_sector_lawyer: bool | None = None
    # 法律援助法 第二十六条: the start of the lawyer's criminal-defence (relevant) practice.
    criminal_practice_since: date | None = None


class ReasonIn(Schema):
    reason: str = Field(..., max_length=TEXT)


class FigureOut(Schema):
    code: str
    label: str
    value: float | None
    target: float | None
    unit: str


class FiguresOut(Schema):
    region_code: str
    year: int
    figures: list[FigureOut]


class CreatedOut(Schema):
    id: int


class DutyShiftIn(Schema):
    provider_id: int
    place_kind: str = Field(..., max_length=30)
    place_name: str = Field(..., max_length=TEXT)
    on_date: date


class DutyShiftOut(Schema):
    id: int
    place_kind: str
    place_name: str
    on_date: date
    provider: str = Field(..., alias="provider.practitioner.name")
    helps: int

    @staticmethod
    def resolve_helps(obj: Any) -> int:
        return len(obj.helps.all())


class DutyHelpIn(Schema):
    person_name: str = Field(..., max_length=TEXT)
    kind: str = Field(..., max_length=30)
    note: str = Field("", max_length=TEXT)


class ExpertIn(Schema):
    name: str = Field(..., max_length=TEXT)
    affiliation: str = Field(..., max_length=30)
    organisation: str = Field("", max_length=TEXT)


# --- applications --------------------------------------------------------------------------


@router.post("/legal-aid/applications", response={201: ApplicationOut})
def submit_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    data = services.ApplicationInput(
        **{**payload.dict(), "full_follow_groups": tuple(payload.full_follow_groups)}
    )
    return HttpStatus(201, services.submit_application(data, acting_user=acting_user(request)))


@router.get("/legal-aid/applications", response=list[ApplicationOut])
def list_applications(request: HttpRequest, status: str = "") -> Any:
    qs = selectors.applications_for_user(acting_user(request)).select_related("case")
    return (qs.filter(status=status) if status else qs)[:200]


@router.get("/legal-aid/applications/{number}", response=ApplicationOut)
def get_application(request: HttpRequest, number: str) -> Any:
    return selectors.get_application_for_user(acting_user(request), number)


@router.post("/legal-aid/applications/{number}/decision", response=ApplicationOut)
def decide(request: HttpRequest, number: str, payload: DecisionIn) -> Any:
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    return services.decide_application(
        application,
        approve=payload.approve,
        reasons=payload.reasons,
        basis=payload.basis,
        acting_user=user,
    )


@router.post("/legal-aid/applications/{number}/provide-first", response={201: CaseOut})
def provide_first(request: HttpRequest, number: str, payload: ProvideFirstIn) -> Any:
    """先行提供法律援助 (法律援助法 第四十四条): a case opens before the review ends."""
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    case = services.provide_aid_first(
        application, ground=payload.ground, reasons=payload.reasons, acting_user=user
    )
    return HttpStatus(201, case)


@router.post("/legal-aid/applications/{number}/materials-request", response=ApplicationOut)
def request_materials(request: HttpRequest, number: str, payload: MaterialsRequestIn) -> Any:
    """法律援助法 第四十三条第二款: ask once for what is missing."""
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    return services.request_materials(application, materials=payload.materials, acting_user=user)


@router.post("/legal-aid/applications/{number}/materials", response=ApplicationOut)
def supply_materials(request: HttpRequest, number: str, payload: MaterialsIn) -> Any:
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    return services.supply_materials(application, note=payload.note, acting_user=user)


@router.post("/legal-aid/applications/{number}/withdrawn", response=ApplicationOut)
def deem_withdrawn(request: HttpRequest, number: str) -> Any:
    """法律援助法 第四十三条第二款: materials not supplied — treated as withdrawn."""
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    return services.deem_withdrawn(application, acting_user=user)


@router.post("/legal-aid/applications/{number}/objections", response={201: ObjectionOut})
def object_to_refusal(request: HttpRequest, number: str, payload: ObjectionIn) -> Any:
    """法律援助法 第四十九条: an objection to a refusal."""
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    return HttpStatus(
        201,
        services.file_objection(application=application, reasons=payload.reasons, acting_user=user),
    )


@router.post("/legal-aid/applications/{number}/documents", response={201: CreatedOut})
def upload_application_document(
    request: HttpRequest, number: str, kind: Form[str], file: File[UploadedFile]
) -> Any:
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    document = services.upload_document(file, kind=kind, application=application, acting_user=user)
    return HttpStatus(201, {"id": document.pk})


# --- notices and cases ---------------------------------------------------------------------


@router.post("/legal-aid/notices", response={201: CaseOut})
def receive_notice(request: HttpRequest, payload: NoticeIn) -> Any:
    """A court, procuratorate or police system notifies the centre (integration token)."""
    data = services.NoticeInput(
        **{**payload.dict(), "full_follow_groups": tuple(payload.full_follow_groups)}
    )
    return HttpStatus(201, services.receive_notice(data, acting_user=acting_user(request)))


@router.get("/legal-aid/cases", response=list[CaseOut])
def list_cases(request: HttpRequest, status: str = "") -> Any:
    qs = selectors.cases_for_user(acting_user(request))
    return (qs.filter(status=status) if status else qs)[:200]


@router.get("/legal-aid/cases/{number}", response=CaseDetailOut)
def get_case(request: HttpRequest, number: str) -> Any:
    return selectors.get_case_for_user(acting_user(request), number)


def _case(request: HttpRequest, number: str) -> AidCase:
    return selectors.get_case_for_user(acting_user(request), number)


@router.post("/legal-aid/cases/{number}/assign", response=CaseOut)
def assign(request: HttpRequest, number: str, payload: AssignIn) -> Any:
    user = acting_user(request)
    case = _case(request, number)
    provider = (
        selectors.get_pool_member_for_user(user, payload.provider_id)
        if payload.provider_id
        else None
    )
    return services.assign_case(case, acting_user=user, provider=provider, reason=payload.reason)


@router.post("/legal-aid/cases/{number}/reassign", response=CaseOut)
def reassign(request: HttpRequest, number: str, payload: AssignIn) -> Any:
    user = acting_user(request)
    case = _case(request, number)
    provider = (
        selectors.get_pool_member_for_user(user, payload.provider_id)
        if payload.provider_id
        else None
    )
    return services.reassign_case(case, reason=payload.reason, acting_user=user, provider=provider)


@router.post("/legal-aid/cases/{number}/milestones", response={201: MilestoneOut})
def record_milestone(request: HttpRequest, number: str, payload: MilestoneIn) -> Any:
    milestone = services.record_milestone(
        _case(request, number),
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        note=payload.note,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, milestone)


@router.post("/legal-aid/cases/{number}/documents", response={201: CreatedOut})
def upload_case_document(
    request: HttpRequest, number: str, kind: Form[str], file: File[UploadedFile]
) -> Any:
    user = acting_user(request)
    document = services.upload_document(
        file, kind=kind, case=_case(request, number), acting_user=user
    )
    return HttpStatus(201, {"id": document.pk})


@router.post("/legal-aid/cases/{number}/close", response=CaseOut)
def close(request: HttpRequest, number: str, payload: CloseIn) -> Any:
    return services.close_case(
        _case(request, number), summary=payload.summary, acting_user=acting_user(request)
    )


@router.post("/legal-aid/cases/{number}/termination-report", response=CaseOut)
def report_termination(request: HttpRequest, number: str, payload: TerminationReportIn) -> Any:
    """法律援助法 第四十八条第二款: the provider reports a ground for ending the aid."""
    return services.report_termination_ground(
        _case(request, number),
        ground=payload.ground,
        note=payload.note,
        acting_user=acting_user(request),
    )


@router.post("/legal-aid/cases/{number}/termination", response=CaseOut)
def terminate(request: HttpRequest, number: str, payload: TerminationIn) -> Any:
    """法律援助法 第四十八条: the centre's written decision to end the aid."""
    return services.terminate_case(
        _case(request, number),
        ground=payload.ground,
        reasons=payload.reasons,
        acting_user=acting_user(request),
    )


@router.post("/legal-aid/cases/{number}/objections", response={201: ObjectionOut})
def object_to_termination(request: HttpRequest, number: str, payload: ObjectionIn) -> Any:
    """法律援助法 第四十九条: an objection to a termination."""
    user = acting_user(request)
    case = _case(request, number)
    return HttpStatus(
        201, services.file_objection(case=case, reasons=payload.reasons, acting_user=user)
    )


@router.get("/legal-aid/objections", response=list[ObjectionOut])
def list_objections(request: HttpRequest) -> Any:
    return selectors.objections_for_user(acting_user(request))[:200]


@router.post("/legal-aid/objections/{int:objection_id}/decision", response=ObjectionOut)
def decide_objection(request: HttpRequest, objection_id: int, payload: ObjectionDecisionIn) -> Any:
    """法律援助法 第四十九条: the justice bureau upholds or orders a correction, within 5 days."""
    user = acting_user(request)
    objection = selectors.get_objection_for_user(user, objection_id)
    return services.decide_objection(
        objection, correct=payload.correct, decision=payload.decision, acting_user=user
    )


# --- supervision ---------------------------------------------------------------------------


@router.post("/legal-aid/cases/{number}/hearings", response={201: CreatedOut})
def plan_hearing(request: HttpRequest, number: str, payload: HearingIn) -> Any:
    hearing = services.plan_hearing(
        _case(request, number),
        planned_for=payload.planned_for,
        court=payload.court,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, {"id": hearing.pk})


@router.post("/legal-aid/hearings/{int:hearing_id}/attendance", response=CreatedOut)
def record_attendance(request: HttpRequest, hearing_id: int, payload: AttendanceIn) -> Any:
    user = acting_user(request)
    hearing = selectors.get_hearing_for_user(user, hearing_id)
    services.record_hearing_attendance(
        hearing,
        attended_on=payload.attended_on,
        observations=payload.observations,
        acting_user=user,
    )
    return {"id": hearing.pk}


@router.post("/legal-aid/cases/{number}/visits", response={201: CreatedOut})
def record_visit(request: HttpRequest, number: str, payload: VisitIn) -> Any:
    visit = services.record_visit(
        _case(request, number),
        visited_on=payload.visited_on,
        satisfaction=payload.satisfaction,
        note=payload.note,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, {"id": visit.pk})


@router.post("/legal-aid/cases/{number}/complaints", response={201: CreatedOut})
def file_complaint(request: HttpRequest, number: str, payload: ComplaintIn) -> Any:
    complaint = services.file_complaint(
        _case(request, number),
        kind=payload.kind,
        description=payload.description,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, {"id": complaint.pk})


@router.post("/legal-aid/complaints/{int:complaint_id}/decision", response=CreatedOut)
def decide_complaint(request: HttpRequest, complaint_id: int, payload: ComplaintDecisionIn) -> Any:
    user = acting_user(request)
    complaint = selectors.get_complaint_for_user(user, complaint_id)
    services.decide_complaint(
        complaint, upheld=payload.upheld, outcome=payload.outcome, acting_user=user
    )
    return {"id": complaint.pk}


# --- quality, pool, figures ----------------------------------------------------------------


@router.post("/legal-aid/cases/{number}/reviews", response={201: ReviewOut})
def review(request: HttpRequest, number: str, payload: ReviewIn) -> Any:
    user = acting_user(request)
    expert = selectors.get_expert_for_user(user, payload.expert_id) if payload.expert_id else None
    result = services.review_case(
        _case(request, number),
        method=payload.method,
        score=payload.score,
        comments=payload.comments,
        court_opinion=payload.court_opinion,
        procuratorate_opinion=payload.procuratorate_opinion,
        expert=expert,
        acting_user=user,
    )
    return HttpStatus(201, result)


@router.post("/legal-aid/samples", response={201: SampleOut})
def draw_sample(request: HttpRequest, payload: SampleIn) -> Any:
    user = acting_user(request)
    centre = get_institution_for_user(user, payload.centre_id)
    return HttpStatus(
        201, services.draw_quality_sample(centre, period=payload.period, acting_user=user)
    )


@router.get("/legal-aid/pool", response=list[PoolMemberOut])
def list_pool(request: HttpRequest) -> Any:
    return selectors.pool_for_user(acting_user(request))


@router.post("/legal-aid/pool", response={201: PoolMemberOut})
def add_pool_member(request: HttpRequest, payload: PoolMemberIn) -> Any:
    user = acting_user(request)
    centre = get_institution_for_user(user, payload.centre_id)
    member = services.add_pool_member(
        centre,
        selectors.provider_candidate_by_licence(payload.licence_number),
        acting_user=user,
        specialties=payload.specialties,
        is_public_sector_lawyer=payload.is_public_sector_lawyer,
        criminal_practice_since=payload.criminal_practice_since,
    )
    return HttpStatus(201, member)


@router.post("/legal-aid/pool/{int:member_id}/exclude", response=PoolMemberOut)
def exclude(request: HttpRequest, member_id: int, payload: ReasonIn) -> Any:
    user = acting_user(request)
    member = selectors.get_pool_member_for_user(user, member_id)
    return services.exclude_provider(member, reason=payload.reason, acting_user=user)


@router.get("/legal-aid/figures", response=FiguresOut)
def figures(request: HttpRequest, region: str, year: int | None = None) -> Any:
    user = acting_user(request)
    target = get_region(region)
    if user.role not in SUPERVISOR_ROLES or user.region is None or not user.region.contains(target):
        raise PermissionDenied("只有该地区的司法行政管理人员可以查看统计。")
    result = selectors.figures_for_region(target, report_year(year))
    return {"region_code": target.code, "year": result.year, "figures": result.figures}


# --- duty lawyers and experts --------------------------------------------------------------


@router.get("/legal-aid/duty-shifts", response=list[DutyShiftOut])
def list_duty_shifts(request: HttpRequest, on_date: date | None = None) -> Any:
    shifts = selectors.duty_shifts_for_user(acting_user(request))
    return shifts.filter(on_date=on_date) if on_date else shifts[:200]


@router.post("/legal-aid/duty-shifts", response={201: CreatedOut})
def add_duty_shift(request: HttpRequest, payload: DutyShiftIn) -> Any:
    user = acting_user(request)
    member = selectors.get_pool_member_for_user(user, payload.provider_id)
    shift = services.add_duty_shift(
        member,
        place_kind=payload.place_kind,
        place_name=payload.place_name,
        on_date=payload.on_date,
        acting_user=user,
    )
    return HttpStatus(201, {"id": shift.pk})


@router.post("/legal-aid/duty-shifts/{int:shift_id}/helps", response={201: CreatedOut})
def record_duty_help(request: HttpRequest, shift_id: int, payload: DutyHelpIn) -> Any:
    user = acting_user(request)
    shift = selectors.get_duty_shift_for_user(user, shift_id)
    help_given = services.record_duty_help(
        shift,
        person_name=payload.person_name,
        kind=payload.kind,
        note=payload.note,
        acting_user=user,
    )
    return HttpStatus(201, {"id": help_given.pk})


@router.post("/legal-aid/experts", response={201: CreatedOut})
def add_expert(request: HttpRequest, payload: ExpertIn) -> Any:
    user = acting_user(request)
    if user.region is None:
        raise PermissionDenied("只有司法行政管理人员可以管理专家库。")
    expert = services.add_expert(
        user.region,
        name=payload.name,
        affiliation=payload.affiliation,
        organisation=payload.organisation,
        acting_user=user,
    )
    return HttpStatus(201, {"id": expert.pk})
