"""Mediation API: hand-offs from courts, police and petition offices (and their results), citizen
applications, the mediation verbs, committees' quotas, screenings and warnings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from fawang.core.models import User
from fawang.core.pagination import Pagination
from fawang.core.web import acting_user
from fawang.mediation import selectors, services
from fawang.mediation.models import Dispute, Party

router = Router(tags=["人民调解"])

# Generous transport limits; the services apply the real ones with a Chinese message.
TEXT = 200_000


class PartyIn(Schema):
    name: str = Field(..., max_length=TEXT)
    phone: str = Field("", max_length=40)
    id_number: str = Field("", max_length=40)
    address: str = Field("", max_length=TEXT)
    gender: str = Field("", max_length=1)


class DisputeIn(Schema):
    dispute_type: str = Field(..., max_length=40)
    facts: str = Field(..., max_length=TEXT)
    claims: str = Field("", max_length=TEXT)
    amount: Decimal | None = None
    place: str = Field("", max_length=TEXT)
    region_code: str = Field(..., max_length=20)
    applicant: PartyIn
    respondents: list[PartyIn] = Field(..., max_length=50)
    committee_id: int | None = None
    title: str = Field("", max_length=TEXT)


class HandoffIn(DisputeIn):
    source: str = Field(..., max_length=30, description="court / police / petition_office")
    external_ref: str = Field(..., max_length=200, description="移送单位的文号或案号")


class PartyOut(Schema):
    role: str
    name: str
    phone: str
    id_number: str

    @staticmethod
    def resolve_phone(obj: Party) -> str:
        return str(obj.phone) if obj.phone else ""

    @staticmethod
    def resolve_id_number(obj: Party) -> str:
        return str(obj.id_number) if obj.id_number else ""


class AgreementOut(Schema):
    form: str
    responsibilities: str = ""
    parties_chose_oral: bool = False
    terms: str
    performance_manner: str
    performance_deadline: date
    signed_on: date
    performance: str


class ConfirmationOut(Schema):
    court: str
    requested_on: date
    status: str
    court_ref: str
    answered_on: date | None


class DisputeOut(Schema):
    number: str
    source: str
    external_ref: str
    dispute_type: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    region_code: str = Field(..., alias="region.code")
    committee: str | None = Field(None, alias="committee.name")
    work_order: str | None = Field(None, alias="work_order.number")
    received_at: datetime
    closed_at: datetime | None
    referral: str
    failure_reason: str


class DisputeDetailOut(DisputeOut):
    facts: str
    claims: str
    amount: Decimal | None
    parties: list[PartyOut]
    sessions: int
    agreement: AgreementOut | None = None
    judicial_confirmation: ConfirmationOut | None = None

    @staticmethod
    def resolve_parties(obj: Dispute) -> list[Party]:
        return list(obj.parties.all())

    @staticmethod
    def resolve_sessions(obj: Dispute) -> int:
        return obj.sessions.count()

    @staticmethod
    def resolve_agreement(obj: Dispute) -> Any:
        return getattr(obj, "agreement", None)

    @staticmethod
    def resolve_judicial_confirmation(obj: Dispute) -> Any:
        agreement = getattr(obj, "agreement", None)
        return getattr(agreement, "judicial_confirmation", None) if agreement else None


class AssignIn(Schema):
    mediator_ids: list[int] = Field(..., max_length=20)
    committee_id: int | None = None


class SessionIn(Schema):
    held_at: datetime
    attendance: str = Field(..., max_length=TEXT)
    notes: str = Field(..., max_length=TEXT)
    place: str = Field("", max_length=TEXT)
    video_link: str = Field("", max_length=TEXT)


class AgreementIn(Schema):
    form: str = Field(..., max_length=20)
    facts: str = Field(..., max_length=TEXT)
    issues: str = Field(..., max_length=TEXT)
    terms: str = Field(..., max_length=TEXT)
    performance_manner: str = Field(..., max_length=TEXT)
    performance_deadline: date
    signed_on: date
    # 人民调解法 第二十九条 (可以载明, optional here) and 第二十八条 (required for an oral agreement).
    responsibilities: str = Field("", max_length=TEXT)
    parties_chose_oral: bool = False


class FailureIn(Schema):
    reason: str = Field(..., max_length=TEXT)
    referral: str = Field(..., max_length=30)


class FollowUpIn(Schema):
    performance: str = Field(..., max_length=20)
    note: str = Field("", max_length=TEXT)


class ConfirmationIn(Schema):
    court: str = Field(..., max_length=TEXT)
    requested_on: date


class ConfirmationAnswerIn(Schema):
    granted: bool
    answered_on: date
    court_ref: str = Field("", max_length=200)


class QuotaOut(Schema):
    committee_id: int
    committee: str
    level: str
    full_time: int
    required: int
    short_by: int
    falls_short: bool


class ScreeningOut(Schema):
    id: int
    unit: str = Field(..., alias="unit.name")
    cadence: str
    period_start: date
    due_on: date
    done_at: datetime | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.is_overdue())


class RiskIn(Schema):
    description: str = Field(..., max_length=TEXT)
    dispute_type: str = Field(..., max_length=40)
    parties: str = Field("", max_length=TEXT)


class ScreeningDoneIn(Schema):
    notes: str = Field(..., max_length=TEXT)
    risks: list[RiskIn] = Field(default_factory=list, max_length=50)


class WarningOut(Schema):
    township: str = Field(..., alias="township.name")
    township_code: str = Field(..., alias="township.code")
    dispute_type: str
    week_start: date
    count: int
    threshold: float


def _dispute_in(payload: DisputeIn, **extra: Any) -> services.DisputeIn:
    return services.DisputeIn(
        dispute_type=payload.dispute_type,
        facts=payload.facts,
        claims=payload.claims,
        amount=payload.amount,
        place=payload.place,
        region_code=payload.region_code,
        applicant=services.PartyIn(**payload.applicant.dict()),
        respondents=[services.PartyIn(**p.dict()) for p in payload.respondents],
        committee_id=payload.committee_id,
        title=payload.title,
        **extra,
    )


def _detail(user: User, number: str) -> Dispute:
    return selectors.get_dispute_for_user(user, number)


def _refetch(user: User, dispute: Dispute) -> Dispute:
    return (
        selectors.disputes_for_user(user)
        .prefetch_related(Prefetch("parties", queryset=Party.objects.all()))
        .get(pk=dispute.pk)
    )


@router.post("/mediation/handoffs", response={201: DisputeDetailOut})
def hand_off(request: HttpRequest, payload: HandoffIn) -> Any:
    """诉调/警调/访调对接: a court, police or petition-office system hands a dispute over with its
    own reference (the same reference twice returns the first dispute). Read the result with
    `GET /mediation/disputes/{number}`."""
    user = acting_user(request)
    dispute = services.hand_off_dispute(
        _dispute_in(payload, source=payload.source, external_ref=payload.external_ref),
        acting_user=user,
    )
    return HttpStatus(201, _refetch(user, dispute))


@router.post("/mediation/applications", response={201: DisputeDetailOut})
def apply(
    request: HttpRequest,
    payload: DisputeIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    """A citizen's own application (free of charge, People's Mediation Law art. 4)."""
    user = acting_user(request)
    dispute = services.apply_for_mediation(
        _dispute_in(payload, idempotency_key=idempotency_key or ""), acting_user=user
    )
    return HttpStatus(201, _refetch(user, dispute))


@router.get("/mediation/disputes", response=list[DisputeOut])
@paginate(Pagination)
def list_disputes(
    request: HttpRequest, status: str | None = None, external_ref: str | None = None
) -> Any:
    qs = selectors.disputes_for_user(acting_user(request))
    if status:
        qs = qs.filter(status=status)
    if external_ref:
        qs = qs.filter(external_ref=external_ref)
    return qs


@router.get("/mediation/disputes/{number}", response=DisputeDetailOut)
def get_dispute(request: HttpRequest, number: str) -> Any:
    return _detail(acting_user(request), number)


@router.post("/mediation/disputes/{number}/assign", response=DisputeDetailOut)
def assign(request: HttpRequest, number: str, payload: AssignIn) -> Any:
    user = acting_user(request)
    dispute = services.assign_dispute(
        _detail(user, number),
        acting_user=user,
        mediator_ids=payload.mediator_ids,
        committee_id=payload.committee_id,
    )
    return _refetch(user, dispute)


@router.post("/mediation/disputes/{number}/sessions", response={201: DisputeDetailOut})
def add_session(request: HttpRequest, number: str, payload: SessionIn) -> Any:
    user = acting_user(request)
    dispute = _detail(user, number)
    services.record_session(dispute, acting_user=user, **payload.dict())
    return HttpStatus(201, _refetch(user, dispute))


@router.post("/mediation/disputes/{number}/agreement", response={201: DisputeDetailOut})
def add_agreement(request: HttpRequest, number: str, payload: AgreementIn) -> Any:
    user = acting_user(request)
    dispute = _detail(user, number)
    services.record_agreement(dispute, services.AgreementIn(**payload.dict()), acting_user=user)
    return HttpStatus(201, _refetch(user, dispute))


@router.post("/mediation/disputes/{number}/failure", response=DisputeDetailOut)
def add_failure(request: HttpRequest, number: str, payload: FailureIn) -> Any:
    user = acting_user(request)
    dispute = services.record_failure(_detail(user, number), acting_user=user, **payload.dict())
    return _refetch(user, dispute)


@router.post("/mediation/disputes/{number}/follow-up", response=DisputeDetailOut)
def follow_up(request: HttpRequest, number: str, payload: FollowUpIn) -> Any:
    user = acting_user(request)
    dispute = _detail(user, number)
    services.follow_up_performance(dispute, acting_user=user, **payload.dict())
    return _refetch(user, dispute)


@router.post("/mediation/disputes/{number}/judicial-confirmation", response=DisputeDetailOut)
def request_confirmation(request: HttpRequest, number: str, payload: ConfirmationIn) -> Any:
    user = acting_user(request)
    dispute = _detail(user, number)
    services.request_judicial_confirmation(dispute, acting_user=user, **payload.dict())
    return _refetch(user, dispute)


@router.post("/mediation/disputes/{number}/judicial-confirmation/answer", response=DisputeDetailOut)
def answer_confirmation(request: HttpRequest, number: str, payload: ConfirmationAnswerIn) -> Any:
    user = acting_user(request)
    dispute = _detail(user, number)
    services.record_confirmation_answer(dispute, acting_user=user, **payload.dict())
    return _refetch(user, dispute)


@router.get("/mediation/committees/quota", response=list[QuotaOut])
def committee_quota(request: HttpRequest, short_only: bool = False) -> Any:
    rows = selectors.quota_rows(selectors.committees_for_user(acting_user(request)))
    return [
        {
            "committee_id": row.committee.pk,
            "committee": row.committee.name,
            "level": row.level,
            "full_time": row.full_time,
            "required": row.required,
            "short_by": row.short_by,
            "falls_short": row.falls_short,
        }
        for row in rows
        if row.falls_short or not short_only
    ]


class MemberElectIn(Schema):
    mediator_id: int
    is_head: bool = False
    full_time: bool = False


class ElectionIn(Schema):
    term_start: date
    members: list[MemberElectIn] = Field(..., max_length=20)


class MemberOut(Schema):
    mediator_id: int
    name: str = Field(..., alias="mediator.name")
    is_head: bool
    full_time: bool
    term_start: date | None
    term_end: date | None


@router.post("/mediation/committees/{int:committee_id}/members", response=list[MemberOut])
def elect_committee(request: HttpRequest, committee_id: int, payload: ElectionIn) -> Any:
    """人民调解法 第八条、第九条: the committee's members for a three-year term (3–9, one head, a
    woman among them)."""
    user = acting_user(request)
    committee = selectors.get_committee_for_user(user, committee_id)
    people = selectors.mediators_for_committee_election(
        user, [m.mediator_id for m in payload.members]
    )
    return services.elect_committee(
        committee,
        [
            services.MemberIn(mediator=person, is_head=m.is_head, full_time=m.full_time)
            for person, m in zip(people, payload.members, strict=True)
        ],
        term_start=payload.term_start,
        acting_user=user,
    )


@router.get("/mediation/screenings", response=list[ScreeningOut])
@paginate(Pagination)
def list_screenings(request: HttpRequest, overdue: bool = False) -> Any:
    qs = selectors.screenings_for_user(acting_user(request))
    return selectors.overdue(qs) if overdue else qs


@router.post("/mediation/screenings/{screening_id}/done", response=ScreeningOut)
def complete_screening(request: HttpRequest, screening_id: int, payload: ScreeningDoneIn) -> Any:
    user = acting_user(request)
    return services.complete_screening(
        selectors.get_screening_for_user(user, screening_id),
        acting_user=user,
        notes=payload.notes,
        risks=[services.RiskIn(**risk.dict()) for risk in payload.risks],
    )


@router.get("/mediation/warnings", response=list[WarningOut])
def list_warnings(request: HttpRequest) -> Any:
    return selectors.warnings_for_user(acting_user(request))[:200]
