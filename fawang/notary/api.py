"""Notary API: the catalogue and the certificate check (public), applications from every channel,
materials, the notary's verbs, appointments, video sessions, supervision and figures."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from fawang.core.errors import NotFound
from fawang.core.models import User
from fawang.core.pagination import Pagination
from fawang.core.web import acting_user
from fawang.notary import selectors, services
from fawang.notary.catalogue import MATTERS, ROUTE_LABELS, materials_for
from fawang.notary.models import NotarialMatter

router = Router(tags=["公证"])
TEXT = 200_000


class MaterialOut(Schema):
    item: str
    label: str


class MatterTypeOut(Schema):
    code: str
    name: str
    materials: list[MaterialOut]
    abroad_materials: list[MaterialOut]
    fee_basis: str
    modes: list[str]
    second_notary: bool
    foreign_capable: bool
    personal_only: bool


class PublicCertificateOut(Schema):
    number: str
    matter_type: str
    office: str
    issued_on: str
    status: str
    status_label: str
    revoked_on: str | None


class ApplicationIn(Schema):
    matter_type: str = Field(..., max_length=40)
    office_id: int
    purpose: str = Field(..., max_length=TEXT)
    applicant_name: str = Field(..., max_length=TEXT)
    applicant_id_number: str = Field(..., max_length=40)
    applicant_phone: str = Field("", max_length=40)
    destination: str = Field("", max_length=40)
    with_authentication: bool = False
    fee_group: str = Field("", max_length=20)


class NoticeOut(Schema):
    items: list[dict[str, str]]
    note: str
    issued_at: datetime
    completed_at: datetime | None


class PauseOut(Schema):
    reason: str
    note: str
    started_at: datetime
    ended_at: datetime | None


class MatterOut(Schema):
    code: str
    matter_type: str
    matter_label: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    office_id: int
    office: str = Field(..., alias="office.name")
    work_order: str = Field(..., alias="work_order.number")
    channel: str
    purpose: str
    destination: str
    route: str
    route_label: str
    submitted_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None
    fee_amount: Decimal | None
    paid_at: datetime | None
    delivery: str
    refused_reason: str
    visits: int
    notice: NoticeOut | None = None
    missing: list[str]
    pauses: list[PauseOut]
    certificate_number: str | None = None
    verification_code: str | None = None

    @staticmethod
    def resolve_visits(obj: NotarialMatter) -> int:
        return obj.visits.count()

    @staticmethod
    def resolve_notice(obj: NotarialMatter) -> Any:
        return getattr(obj, "notice", None) if hasattr(obj, "notice") else None

    @staticmethod
    def resolve_missing(obj: NotarialMatter) -> list[str]:
        return [m.item for m in obj.materials.all() if not m.provided]

    @staticmethod
    def resolve_pauses(obj: NotarialMatter) -> list[Any]:
        return list(obj.pauses.all())

    @staticmethod
    def resolve_certificate_number(obj: NotarialMatter) -> str | None:
        return obj.certificate.number if hasattr(obj, "certificate") else None

    @staticmethod
    def resolve_verification_code(obj: NotarialMatter) -> str | None:
        return obj.certificate.verification_code if hasattr(obj, "certificate") else None


class ReasonIn(Schema):
    reason: str = Field(..., max_length=TEXT)


class NoticeIn(Schema):
    items: list[str] = Field(..., max_length=50)
    note: str = Field("", max_length=TEXT)


class VerificationIn(Schema):
    subject: str = Field(..., max_length=TEXT)
    method: str = Field(..., max_length=30)
    confirmed: bool = True
    note: str = Field("", max_length=TEXT)


class PauseIn(Schema):
    reason: str = Field(..., max_length=30)
    note: str = Field(..., max_length=TEXT)


class DeliveryIn(Schema):
    method: str = Field(..., max_length=20)


class VisitIn(Schema):
    purpose: str = Field(..., max_length=TEXT)


class AppointmentIn(Schema):
    slot_id: int


class VideoIn(Schema):
    participants: list[str] = Field(..., max_length=20)


class SlotOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int


class GradeOut(Schema):
    score: float
    grade: str
    label: str
    review_average: float | None
    reviews: int
    complaints_upheld: int
    revocations: int
    faults: int


class FiguresOut(Schema):
    office_id: int = Field(..., alias="office.pk")
    office: str = Field(..., alias="office.name")
    matters: int
    open: int
    done: int
    overdue: int
    average_days: float | None
    one_visit_share: float | None
    complaints: int
    grade: GradeOut


class ComplaintIn(Schema):
    office_id: int | None = None
    matter_code: str = Field("", max_length=40)
    notary_id: int | None = None
    complainant_name: str = Field("", max_length=TEXT)
    content: str = Field(..., max_length=TEXT)


class ComplaintOut(Schema):
    id: int
    office: str = Field(..., alias="office.name")
    status: str
    outcome: str
    received_at: datetime


class DecisionIn(Schema):
    upheld: bool
    outcome: str = Field(..., max_length=TEXT)


class SampleIn(Schema):
    start: date
    end: date
    seed: str = Field(..., max_length=100)


class ReviewOut(Schema):
    id: int
    sample: str
    matter_code: str = Field(..., alias="matter.code")
    office: str = Field(..., alias="matter.office.name")
    score: int | None
    findings: str


class ScoreIn(Schema):
    score: int
    findings: str = Field(..., max_length=TEXT)


def _matter(user: User, code: str) -> NotarialMatter:
    return selectors.get_matter_for_user(user, code)


def _fresh(user: User, code: str) -> NotarialMatter:
    return _matter(user, code)


# --- public ----------------------------------------------------------------------------------


@router.get("/notary/catalogue", response=list[MatterTypeOut], auth=None)
def catalogue(request: HttpRequest) -> Any:
    """公证事项目录: every matter with its materials list (told once), fee basis and modes."""
    return [
        {
            "code": m.code,
            "name": m.name,
            "materials": [{"item": i, "label": label} for i, label in m.materials],
            "abroad_materials": [
                {"item": i, "label": label}
                for i, label in materials_for(m, abroad=True)[len(m.materials) :]
            ]
            if m.foreign_capable
            else [],
            "fee_basis": m.fee_basis,
            "modes": sorted(m.modes),
            "second_notary": m.second_notary,
            "foreign_capable": m.foreign_capable,
            "personal_only": m.personal_only,
        }
        for m in MATTERS
    ]


@router.get("/notary/routes", response=dict[str, str], auth=None)
def routes(request: HttpRequest, destination: str = "") -> Any:
    """Which route a document for ``destination`` takes (apostille or consular legalisation)."""
    from fawang.notary.catalogue import route_for

    route = route_for(destination)
    return {"route": route, "label": ROUTE_LABELS[route]}


@router.get("/notary/certificates/{code}", response=PublicCertificateOut, auth=None)
def verify_certificate(request: HttpRequest, code: str) -> Any:
    """Anyone: the certificate of a verification code — type, office, date, status; nothing
    about the person."""
    return selectors.verify_certificate(services.normalise_code(code))


# --- applications ------------------------------------------------------------------------------


@router.post("/notary/matters", response={201: MatterOut})
def apply(request: HttpRequest, payload: ApplicationIn) -> Any:
    """Citizen (portal), window or hotline: a work order + the notarial matter. Materials not
    uploaded yet are told at once in one notice (upload them with the materials endpoint)."""
    user = acting_user(request)
    matter = services.submit_application(
        services.ApplicationIn(
            **payload.dict(), idempotency_key=request.headers.get("Idempotency-Key", "")
        ),
        acting_user=user,
    )
    return HttpStatus(201, _fresh(user, matter.code) if not user.is_staff_member else matter)


@router.get("/notary/matters", response=list[MatterOut])
@paginate(Pagination)
def list_matters(request: HttpRequest, status: str = "") -> Any:
    qs = selectors.matters_for_user(acting_user(request)).prefetch_related("materials", "pauses")
    return qs.filter(status=status) if status else qs


@router.get("/notary/matters/{code}", response=MatterOut)
def get_matter(request: HttpRequest, code: str) -> Any:
    return _matter(acting_user(request), code)


@router.post("/notary/matters/{code}/materials", response=MatterOut)
def upload(request: HttpRequest, code: str, item: Form[str], file: File[UploadedFile]) -> Any:
    user = acting_user(request)
    services.upload_material(_matter(user, code), item, file, acting_user=user)
    return _fresh(user, code)


@router.post("/notary/matters/{code}/appointment", response=MatterOut)
def book(request: HttpRequest, code: str, payload: AppointmentIn) -> Any:
    user = acting_user(request)
    services.book_visit(_matter(user, code), payload.slot_id, acting_user=user)
    return _fresh(user, code)


@router.get("/notary/matters/{code}/slots", response=list[SlotOut])
def slots(request: HttpRequest, code: str) -> Any:
    return selectors.open_slots(_matter(acting_user(request), code).office)


# --- the notary's verbs ------------------------------------------------------------------------


def _verb(request: HttpRequest, code: str, run: Any) -> Any:
    user = acting_user(request)
    run(_matter(user, code), user)
    return _fresh(user, code)


@router.post("/notary/matters/{code}/accept", response=MatterOut)
def accept(request: HttpRequest, code: str) -> Any:
    return _verb(request, code, lambda m, u: services.accept(m, acting_user=u))


@router.post("/notary/matters/{code}/refuse", response=MatterOut)
def refuse(request: HttpRequest, code: str, payload: ReasonIn) -> Any:
    return _verb(request, code, lambda m, u: services.refuse(m, payload.reason, acting_user=u))


@router.post("/notary/matters/{code}/notice", response=MatterOut)
def notice(request: HttpRequest, code: str, payload: NoticeIn) -> Any:
    """The one notice of everything missing (a second one is 409 already_notified)."""
    return _verb(
        request,
        code,
        lambda m, u: services.notify_missing(m, payload.items, payload.note, acting_user=u),
    )


@router.post("/notary/matters/{code}/verifications", response=MatterOut)
def verification(request: HttpRequest, code: str, payload: VerificationIn) -> Any:
    return _verb(
        request,
        code,
        lambda m, u: services.record_verification(
            m, payload.subject, payload.method, payload.confirmed, payload.note, acting_user=u
        ),
    )


@router.post("/notary/matters/{code}/pauses", response=MatterOut)
def pause(request: HttpRequest, code: str, payload: PauseIn) -> Any:
    return _verb(
        request, code, lambda m, u: services.pause(m, payload.reason, payload.note, acting_user=u)
    )


@router.post("/notary/matters/{code}/resume", response=MatterOut)
def resume(request: HttpRequest, code: str, payload: PauseIn) -> Any:
    return _verb(request, code, lambda m, u: services.resume(m, payload.reason, acting_user=u))


@router.post("/notary/matters/{code}/conclude", response=MatterOut)
def conclude(request: HttpRequest, code: str) -> Any:
    return _verb(request, code, lambda m, u: services.conclude_review(m, acting_user=u))


@router.post("/notary/matters/{code}/approve", response=MatterOut)
def approve(request: HttpRequest, code: str) -> Any:
    return _verb(request, code, lambda m, u: services.approve(m, acting_user=u))


@router.post("/notary/matters/{code}/payment", response=MatterOut)
def payment(request: HttpRequest, code: str) -> Any:
    return _verb(request, code, lambda m, u: services.record_payment(m, acting_user=u))


@router.post("/notary/matters/{code}/visits", response=MatterOut)
def visit(request: HttpRequest, code: str, payload: VisitIn) -> Any:
    return _verb(
        request, code, lambda m, u: services.record_visit(m, payload.purpose, acting_user=u)
    )


@router.post("/notary/matters/{code}/video", response=MatterOut)
def video_start(request: HttpRequest, code: str, payload: VideoIn) -> Any:
    return _verb(
        request, code, lambda m, u: services.start_video(m, payload.participants, acting_user=u)
    )


@router.post("/notary/matters/{code}/video/end", response=MatterOut)
def video_end(request: HttpRequest, code: str) -> Any:
    def run(m: NotarialMatter, u: User) -> None:
        session = m.video_sessions.filter(ended_at__isnull=True).first()
        if session is None:
            raise NotFound(_("没有进行中的视频会话。"))
        services.end_video(session, acting_user=u)

    return _verb(request, code, run)


@router.post("/notary/matters/{code}/certificate", response={201: MatterOut})
def issue(request: HttpRequest, code: str) -> Any:
    return HttpStatus(
        201, _verb(request, code, lambda m, u: services.issue_certificate(m, acting_user=u))
    )


@router.post("/notary/matters/{code}/delivery", response=MatterOut)
def delivery(request: HttpRequest, code: str, payload: DeliveryIn) -> Any:
    return _verb(request, code, lambda m, u: services.deliver(m, payload.method, acting_user=u))


@router.post("/notary/matters/{code}/archive", response=MatterOut)
def archive(request: HttpRequest, code: str) -> Any:
    return _verb(request, code, lambda m, u: services.archive(m, acting_user=u))


@router.post("/notary/matters/{code}/certificate/revocation", response=MatterOut)
def revoke(request: HttpRequest, code: str, payload: ReasonIn) -> Any:
    def run(m: NotarialMatter, u: User) -> None:
        if not hasattr(m, "certificate"):
            raise NotFound(_("该事项尚未出具公证书。"))
        services.revoke_certificate(m.certificate, payload.reason, acting_user=u)

    return _verb(request, code, run)


# --- supervision -------------------------------------------------------------------------------


@router.get("/notary/figures", response=list[FiguresOut])
def figures(request: HttpRequest) -> Any:
    """Per office: matters, open, done, overdue, average days, one-visit share, complaints and
    the “风险+诚信” grade (office heads: their office; the bureau: its region)."""
    return selectors.figures_for_user(acting_user(request))


@router.post("/notary/complaints", response={201: ComplaintOut})
def complain(request: HttpRequest, payload: ComplaintIn) -> Any:
    complaint = services.file_complaint(
        payload.office_id or 0,
        payload.content,
        matter_code=payload.matter_code,
        notary_id=payload.notary_id,
        complainant_name=payload.complainant_name,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, complaint)


@router.post("/notary/complaints/{complaint_id}/decision", response=ComplaintOut)
def decide(request: HttpRequest, complaint_id: int, payload: DecisionIn) -> Any:
    user = acting_user(request)
    complaint = selectors.complaints_for_user(user).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound(_("没有找到该投诉。"))
    return services.decide_complaint(complaint, payload.upheld, payload.outcome, acting_user=user)


@router.post("/notary/reviews/samples", response={201: list[ReviewOut]})
def draw(request: HttpRequest, payload: SampleIn) -> Any:
    """公证文书评查: draw a reproducible sample of the period's certificates."""
    return HttpStatus(
        201,
        services.draw_review_sample(
            payload.start, payload.end, payload.seed, acting_user=acting_user(request)
        ),
    )


@router.post("/notary/reviews/{review_id}/score", response=ReviewOut)
def score(request: HttpRequest, review_id: int, payload: ScoreIn) -> Any:
    user = acting_user(request)
    review = selectors.reviews_for_user(user).filter(pk=review_id).first()
    if review is None:
        raise NotFound(_("没有找到该评查记录。"))
    return services.score_review(review, payload.score, payload.findings, acting_user=user)


@router.get("/notary/reviews", response=list[ReviewOut])
@paginate(Pagination)
def list_reviews(request: HttpRequest) -> Any:
    return selectors.reviews_for_user(acting_user(request))


@router.get("/notary/complaints", response=list[ComplaintOut])
@paginate(Pagination)
def list_complaints(request: HttpRequest) -> Any:
    return selectors.complaints_for_user(acting_user(request))


class FaultIn(Schema):
    notary_id: int
    description: str = Field(..., max_length=TEXT)
    liability: str = Field(..., max_length=TEXT)
    matter_code: str = Field("", max_length=40)


class FaultOut(Schema):
    id: int
    notary: str = Field(..., alias="notary.name")
    office: str = Field(..., alias="office.name")
    description: str
    liability: str
    recorded_at: datetime


@router.post("/notary/faults", response={201: FaultOut})
def record_fault(request: HttpRequest, payload: FaultIn) -> Any:
    """公证执业过错责任追偿: the supervising bureau records a notary's fault and liability."""
    fault = services.record_fault(
        payload.notary_id,
        payload.description,
        payload.liability,
        matter_code=payload.matter_code,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, fault)


@router.get("/notary/faults", response=list[FaultOut])
@paginate(Pagination)
def list_faults(request: HttpRequest) -> Any:
    return selectors.faults_for_user(acting_user(request))


class SlotIn(Schema):
    kind: str = Field(..., max_length=20)
    starts_at: datetime
    ends_at: datetime
    place: str = Field(..., max_length=TEXT)
    capacity: int = 4


@router.post("/notary/slots", response={201: SlotOut})
def add_slot(request: HttpRequest, payload: SlotIn) -> Any:
    """The office head adds a calendar entry (weekday, 周末不打烊, 巡回办证, 定期办证)."""
    user = acting_user(request)
    if user.institution is None:
        raise NotFound(_("没有找到公证处。"))
    slot = services.add_slot(
        user.institution,
        payload.kind,
        payload.starts_at,
        payload.ends_at,
        payload.place,
        payload.capacity,
        acting_user=user,
    )
    return HttpStatus(201, slot)
