"""Judicial appraisal API: the public roster and document check; entrustments, the appraiser's
verbs, the document download, complaints and grades for the bureau."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from fawang.appraisal import selectors, services
from fawang.appraisal.models import Accreditation, Entrustment, InstitutionProfile
from fawang.core.web import acting_user, client_ip

router = Router(tags=["司法鉴定"])
TEXT = 200_000


class RosterAppraiserOut(Schema):
    name: str
    licence_number: str
    fields: list[str]
    title: str
    status: str


class RosterAccreditationOut(Schema):
    field: str = Field(..., description="执业类别")
    status: str = Field(
        ..., description="资质认定（CMA）：有效、即将到期、已过期、已撤销或未资质认定"
    )
    valid_until: date | None


class RosterOut(Schema):
    id: int
    name: str
    licence_number: str
    status: str
    address: str
    fields: list[str]
    grade: str
    accreditations: list[RosterAccreditationOut]
    appraisers: list[RosterAppraiserOut]


class PublicOpinionOut(Schema):
    case_code: str
    kind: str
    institution: str
    institution_licence: str
    field: str
    issued_on: str
    appraiser_licences: list[str]
    status: str
    status_label: str
    digest: str
    signature_algorithm: str
    signature_valid: bool


class DownloadIn(Schema):
    code: str = Field(..., max_length=60, description="查询验证码或案件赋码")
    download_code: str = Field(..., max_length=40, description="提取码（短信告知委托人）")


class DownloadCodeOut(Schema):
    case_code: str
    download_code: str


class EntrustmentIn(Schema):
    institution_id: int
    entrusting_kind: str = Field(..., max_length=20)
    entrusting_name: str = Field(..., max_length=TEXT)
    entrusting_phone: str = Field(..., max_length=40)
    matter: str = Field(..., max_length=TEXT)
    field: str = Field(..., max_length=40)
    fee_estimate: Decimal
    parties: list[str] = []
    materials: str = Field("", max_length=TEXT)
    mediation_ref: str = Field("", max_length=40)


class OpinionOut(Schema):
    case_code: str
    verification_code: str
    kind: str
    status: str
    issued_at: datetime


class EntrustmentOut(Schema):
    number: str
    institution: str
    entrusting_kind: str
    entrusting_name: str
    field: str
    status: str
    received_at: datetime
    decide_by: datetime
    opinion_due_at: datetime | None
    extensions: int
    appraisers: list[str]
    opinions: list[OpinionOut]

    @staticmethod
    def resolve_institution(obj: Entrustment) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_appraisers(obj: Entrustment) -> list[str]:
        return [p.licence_number for p in obj.appraisers.all()]

    @staticmethod
    def resolve_opinions(obj: Entrustment) -> list[Any]:
        return list(obj.opinions.all())


class AcceptIn(Schema):
    appraiser_ids: list[int]


class ReasonIn(Schema):
    reason: str = Field(..., max_length=TEXT)


class OpinionIn(Schema):
    kind: str = Field("opinion", max_length=20)
    summary: str = Field(..., max_length=TEXT)


class ComplaintIn(Schema):
    institution_id: int
    complainant: str = Field(..., max_length=TEXT)
    text: str = Field(..., max_length=TEXT)
    entrustment_number: str = Field("", max_length=40)


class DecisionIn(Schema):
    decision: str = Field(..., max_length=20)
    note: str = Field(..., max_length=TEXT)


class ComplaintOut(Schema):
    id: int
    institution_id: int
    complainant: str
    decision: str


class CitizenComplaintIn(Schema):
    institution_id: int
    text: str = Field(..., max_length=TEXT)
    appraiser_id: int | None = None
    opinion_code: str = Field("", max_length=60)


class CitizenComplaintOut(Schema):
    id: int
    institution_id: int
    appraiser_id: int | None
    text: str
    received_at: datetime
    decision: str
    decision_note: str
    decided_at: datetime | None


class IntegrityOut(Schema):
    institution: str
    score: int
    grade: str
    opinions: int
    valid_complaints: int
    valid_complaint_rate: float
    withdrawn: int
    sanctions: int


class AccreditationIn(Schema):
    field: str = Field(..., max_length=40, description="执业类别代码（须为该机构的执业类别）")
    kind: str = Field(..., max_length=10, description="cma 资质认定 或 cnas 认可")
    certificate_number: str = Field(..., max_length=TEXT)
    issuing_body: str = Field(..., max_length=TEXT)
    issued_on: date
    valid_until: date


class RenewIn(Schema):
    certificate_number: str = Field(..., max_length=TEXT)
    issuing_body: str = Field("", max_length=TEXT, description="空则沿用原发证机关")
    issued_on: date
    valid_until: date


class WithdrawAccreditationIn(Schema):
    reason: str = Field(..., max_length=TEXT)
    withdrawn_on: date | None = Field(None, description="撤销生效日期，默认今天")


class AccreditationOut(Schema):
    id: int
    institution_id: int
    field: str
    field_label: str
    kind: str
    kind_label: str
    certificate_number: str
    issuing_body: str
    issued_on: date
    valid_until: date
    previous_id: int | None
    withdrawn: bool
    withdrawn_on: date | None
    status: str
    status_label: str

    @staticmethod
    def resolve_kind_label(obj: Accreditation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status(obj: Accreditation) -> str:
        return obj.status_on(timezone.localdate())

    @staticmethod
    def resolve_status_label(obj: Accreditation) -> str:
        return obj.status_label(timezone.localdate())


class ParentBodyIn(Schema):
    parent_body: str = Field(
        ...,
        max_length=30,
        description="key_university、research_institute、high_tech_enterprise 或 other",
    )
    parent_name: str = Field("", max_length=TEXT)


class ParentBodyOut(Schema):
    institution_id: int
    parent_body: str
    parent_body_label: str
    parent_name: str

    @staticmethod
    def resolve_parent_body_label(obj: InstitutionProfile) -> str:
        return str(obj.get_parent_body_display())


@router.get("/appraisal/roster", response=list[RosterOut], auth=None)
def roster(request: HttpRequest, q: str = "", field: str = "") -> Any:
    """Anyone: the roster of institutions and appraisers with their licensed fields."""
    return selectors.roster(q[:50], field[:40])


@router.get("/appraisal/opinions/verify/{code}", response=PublicOpinionOut, auth=None)
def verify(request: HttpRequest, code: str) -> Any:
    """Anyone: a verification code (or case code) → the document's institution, field, date,
    appraisers' licence numbers, status; nothing about the parties."""
    return services.verify(code[:60])


@router.post("/appraisal/entrustments", response={201: EntrustmentOut})
def entrust(request: HttpRequest, payload: EntrustmentIn) -> Any:
    entrustment = services.entrust(
        services.EntrustmentIn(**payload.dict()), acting_user=acting_user(request)
    )
    return HttpStatus(201, entrustment)


@router.get("/appraisal/entrustments", response=list[EntrustmentOut])
def list_entrustments(request: HttpRequest, status: str = "") -> Any:
    qs = selectors.entrustments_for_user(acting_user(request))
    return list((qs.filter(status=status) if status else qs)[:200])


@router.get("/appraisal/entrustments/{number}", response=EntrustmentOut)
def get_entrustment(request: HttpRequest, number: str) -> Any:
    return selectors.get_entrustment_for_user(acting_user(request), number)


@router.post("/appraisal/entrustments/{number}/accept", response=EntrustmentOut)
def accept(request: HttpRequest, number: str, payload: AcceptIn) -> Any:
    user = acting_user(request)
    entrustment = selectors.get_entrustment_for_user(user, number)
    return services.accept(entrustment, payload.appraiser_ids, acting_user=user)


@router.post("/appraisal/entrustments/{number}/refuse", response=EntrustmentOut)
def refuse(request: HttpRequest, number: str, payload: ReasonIn) -> Any:
    user = acting_user(request)
    entrustment = selectors.get_entrustment_for_user(user, number)
    return services.refuse(entrustment, payload.reason, acting_user=user)


@router.post("/appraisal/entrustments/{number}/extend", response=EntrustmentOut)
def extend(request: HttpRequest, number: str, payload: ReasonIn) -> Any:
    user = acting_user(request)
    entrustment = selectors.get_entrustment_for_user(user, number)
    return services.extend(entrustment, payload.reason, acting_user=user)


@router.post("/appraisal/entrustments/{number}/opinions", response={201: OpinionOut})
def issue(request: HttpRequest, number: str, payload: OpinionIn) -> Any:
    user = acting_user(request)
    entrustment = selectors.get_entrustment_for_user(user, number)
    opinion = services.issue_opinion(entrustment, payload.kind, payload.summary, acting_user=user)
    return HttpStatus(201, opinion)


@router.get("/appraisal/opinions/{case_code}/document")
def document(request: HttpRequest, case_code: str) -> HttpResponse:
    """The signed PDF, for staff in scope (the entrusting party downloads it with its 提取码)."""
    return pdf_response(selectors.get_opinion_for_user(acting_user(request), case_code))


def pdf_response(opinion: Any) -> HttpResponse:
    response = HttpResponse(bytes(opinion.document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{opinion.case_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/appraisal/opinions/download", auth=None)
def download_with_code(request: HttpRequest, payload: DownloadIn) -> HttpResponse:
    """Anyone holding the document's verification code (or case code) and its current 提取码 —
    the entrusting party, or whoever it passed the code to — downloads the signed PDF. Audited;
    wrong codes are limited per client (429 after ten in an hour)."""
    opinion = services.download_document(
        payload.code, payload.download_code, client=client_ip(request) or ""
    )
    return pdf_response(opinion)


@router.post("/appraisal/opinions/{case_code}/download-code", response=DownloadCodeOut)
def reissue_download_code(request: HttpRequest, case_code: str) -> Any:
    """An appraiser of the institution issues a new 提取码: the old one stops working; the new
    one is texted to the entrusting party and returned here once."""
    user = acting_user(request)
    opinion = selectors.get_opinion_for_user(user, case_code)
    fresh = services.reissue_download_code(opinion, acting_user=user)
    return {"case_code": opinion.case_code, "download_code": fresh}


@router.post("/appraisal/opinions/{case_code}/withdraw", response=OpinionOut)
def withdraw(request: HttpRequest, case_code: str, payload: ReasonIn) -> Any:
    user = acting_user(request)
    opinion = selectors.get_opinion_for_user(user, case_code)
    return services.withdraw_opinion(opinion, payload.reason, acting_user=user)


@router.post("/appraisal/complaints", response={201: ComplaintOut})
def complain(request: HttpRequest, payload: ComplaintIn) -> Any:
    complaint = services.receive_complaint(
        payload.institution_id,
        payload.complainant,
        payload.text,
        entrustment_number=payload.entrustment_number,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, complaint)


@router.post("/appraisal/my-complaints", response={201: CitizenComplaintOut})
def file_complaint(request: HttpRequest, payload: CitizenComplaintIn) -> Any:
    """A citizen's online complaint about an institution (optionally an appraiser, an opinion)."""
    complaint = services.file_complaint(
        payload.institution_id,
        payload.text,
        appraiser_id=payload.appraiser_id,
        opinion_code=payload.opinion_code,
        acting_user=acting_user(request),
    )
    return HttpStatus(201, complaint)


@router.get("/appraisal/my-complaints", response=list[CitizenComplaintOut])
def my_complaints(request: HttpRequest) -> Any:
    """The citizen's own complaints with the bureau's decision."""
    return list(selectors.complaints_of_citizen(acting_user(request))[:200])


@router.post("/appraisal/complaints/{pk}/decide", response=ComplaintOut)
def decide(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    user = acting_user(request)
    complaint = selectors.get_complaint_for_user(user, pk)
    return services.decide_complaint(complaint, payload.decision, payload.note, acting_user=user)


@router.get("/appraisal/integrity", response=list[IntegrityOut])
def integrity(request: HttpRequest) -> Any:
    """Staff: the integrity grade and valid-complaint rate of each institution in scope."""
    rows = []
    for institution in selectors.institutions_for_user(acting_user(request)):
        grade = services.integrity(institution)
        rows.append({"institution": institution.name, **grade.__dict__})
    return rows


class SampleIn(Schema):
    institution_id: int
    year: int


class ReviewOut(Schema):
    id: int
    case_code: str
    year: int
    score: int | None
    findings: str

    @staticmethod
    def resolve_case_code(obj: Any) -> str:
        return str(obj.opinion.case_code)


class ScoreIn(Schema):
    score: int
    findings: str = Field(..., max_length=TEXT)
    panel: str = Field(..., max_length=TEXT)


@router.post("/appraisal/reviews/sample", response={201: list[ReviewOut]})
def draw_sample(request: HttpRequest, payload: SampleIn) -> Any:
    """Bureau: draw an institution's reproducible review sample of a year's opinions."""
    reviews = services.draw_review_sample(
        payload.institution_id, payload.year, acting_user=acting_user(request)
    )
    return HttpStatus(201, reviews)


@router.get("/appraisal/reviews", response=list[ReviewOut])
def list_reviews(request: HttpRequest) -> Any:
    return list(selectors.reviews_for_user(acting_user(request))[:500])


@router.post("/appraisal/reviews/{pk}/score", response=ReviewOut)
def score(request: HttpRequest, pk: int, payload: ScoreIn) -> Any:
    user = acting_user(request)
    review = selectors.get_review_for_user(user, pk)
    return services.score_review(
        review, payload.score, payload.findings, payload.panel, acting_user=user
    )


@router.get("/appraisal/institutions/{pk}/accreditations", response=list[AccreditationOut])
def list_accreditations(request: HttpRequest, pk: int) -> Any:
    """Staff in scope (the bureau of the region, the institution's appraisers): the institution's
    资质认定 and 认可 certificates with their status today."""
    user = acting_user(request)
    institution = selectors.get_institution_for_user(user, pk)
    return list(
        selectors.accreditations_for_user(user)
        .filter(institution=institution)
        .order_by("field", "kind", "-valid_until", "-pk")
    )


@router.post("/appraisal/institutions/{pk}/accreditations", response={201: AccreditationOut})
def record_accreditation(request: HttpRequest, pk: int, payload: AccreditationIn) -> Any:
    """The bureau (city or district 司法局) records a certificate for one licensed field."""
    user = acting_user(request)
    institution = selectors.get_institution_for_user(user, pk)
    accreditation = services.record_accreditation(
        institution, services.AccreditationIn(**payload.dict()), acting_user=user
    )
    return HttpStatus(201, accreditation)


@router.post("/appraisal/accreditations/{pk}/renew", response={201: AccreditationOut})
def renew_accreditation(request: HttpRequest, pk: int, payload: RenewIn) -> Any:
    """换证: a new certificate replacing this one (the old one keeps its dates)."""
    user = acting_user(request)
    accreditation = selectors.get_accreditation_for_user(user, pk)
    renewed = services.renew_accreditation(
        accreditation,
        payload.certificate_number,
        payload.issuing_body,
        payload.issued_on,
        payload.valid_until,
        acting_user=user,
    )
    return HttpStatus(201, renewed)


@router.post("/appraisal/accreditations/{pk}/withdraw", response=AccreditationOut)
def withdraw_accreditation(request: HttpRequest, pk: int, payload: WithdrawAccreditationIn) -> Any:
    """撤销 from the given day (today when none)."""
    user = acting_user(request)
    accreditation = selectors.get_accreditation_for_user(user, pk)
    return services.withdraw_accreditation(
        accreditation, payload.reason, payload.withdrawn_on, acting_user=user
    )


@router.post("/appraisal/institutions/{pk}/parent-body", response=ParentBodyOut)
def record_parent_body(request: HttpRequest, pk: int, payload: ParentBodyIn) -> Any:
    """The bureau records the institution's 母体 (SJZ 专栏1 #24)."""
    user = acting_user(request)
    institution = selectors.get_institution_for_user(user, pk)
    return services.record_parent_body(
        institution, payload.parent_body, payload.parent_name, acting_user=user
    )


@router.get("/appraisal/notice.pdf")
def notice(request: HttpRequest) -> HttpResponse:
    """Staff: the periodic notice to case-handling agencies (司法鉴定情况通报) as a PDF — each
    institution in scope with its status, licensed fields, grade and valid-complaint rate."""
    from django.utils import timezone

    from fawang.appraisal import signing
    from fawang.appraisal.fields import field_label

    lines = []
    for institution in selectors.institutions_for_user(acting_user(request)):
        grade = services.integrity(institution)
        fields = "、".join(field_label(f) for f in institution.service_fields or [])
        # A Chinese document whatever the reader's language: the status label in Chinese too.
        with translation.override(settings.LANGUAGE_CODE):
            status = str(institution.get_status_display())
        lines.append(
            f"{institution.name}（{status}）：{fields or '—'}；"
            f"诚信等级 {grade.grade}，近一年出具意见书 {grade.opinions} 份，"
            f"有效投诉 {grade.valid_complaints} 件（{grade.valid_complaint_rate}%）"
        )
    title = f"司法鉴定情况通报（{timezone.localdate():%Y年%m月%d日}）"
    response = HttpResponse(
        signing.render_pdf(title, lines or ["本辖区暂无司法鉴定机构。"]),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'attachment; filename="appraisal-notice.pdf"'
    return response
