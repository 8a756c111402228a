"""Pages: the public roster and document check; the appraiser's queue, entrustment form and the
entrustment page with its verbs; the bureau sees the same queue in its region and the grades."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.appraisal import selectors, services
from fawang.appraisal.fields import FIELDS
from fawang.appraisal.models import (
    AccreditationKind,
    EntrustingKind,
    EntrustmentStatus,
    OpinionKind,
    OpinionStatus,
    ParentBody,
)
from fawang.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Role,
)
from fawang.core.web import acting_user, citizen_view, client_ip, page_of, staff_view

ROSTER_PAGE_SIZE = 10


def roster(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    field = request.GET.get("field", "")[:40]
    page = page_of(request, selectors.roster(q, field), ROSTER_PAGE_SIZE)
    return render(
        request,
        "appraisal/roster.html",
        {"page": page, "q": q, "field": field, "fields": [(c, _(f)) for c, f in FIELDS.items()]},
    )


def verify(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:60]
    return _verify_page(request, code)


def _verify_page(
    request: HttpRequest, code: str, download_error: str = "", status: int = 200
) -> HttpResponse:
    result, error = None, ""
    if code:
        try:
            result = services.verify(code)
        except DomainError as exc:
            error, status = exc.message, exc.status
    return render(
        request,
        "appraisal/verify.html",
        {"code": code, "result": result, "error": error, "download_error": download_error},
        status=status,
    )


@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """下载鉴定意见书 with the 提取码 (the form on the verification page): the PDF, or the page
    again with the error beside the field."""
    code = request.POST.get("code", "").strip()[:60]
    try:
        opinion = services.download_document(
            code, request.POST.get("download_code", "")[:40], client=client_ip(request) or ""
        )
    except DomainError as exc:
        return _verify_page(request, code, download_error=exc.message, status=exc.status)
    response = HttpResponse(bytes(opinion.document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{opinion.case_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view(Role.APPRAISER, *SUPERVISOR_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    wanted = request.GET.get("status", "")
    qs = selectors.entrustments_for_user(user)
    if wanted:
        qs = qs.filter(status=wanted)
    grades = [(i, services.integrity(i)) for i in selectors.institutions_for_user(user)]
    return render(
        request,
        "appraisal/queue.html",
        {
            "page": page_of(request, qs, 30),
            "statuses": EntrustmentStatus.choices,
            "wanted": wanted,
            "grades": grades,
            "is_appraiser": user.role == Role.APPRAISER,
        },
    )


def _form_values(request: HttpRequest) -> dict[str, Any]:
    return {k: request.POST.get(k, "") for k in request.POST}


@staff_view(Role.APPRAISER)
def new_entrustment(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    values: dict[str, Any] = {}
    error = ""
    if request.method == "POST":
        values = _form_values(request)
        try:
            entrustment = services.entrust(
                services.EntrustmentIn(
                    institution_id=user.institution_id or 0,
                    entrusting_kind=values.get("entrusting_kind", ""),
                    entrusting_name=values.get("entrusting_name", ""),
                    entrusting_phone=values.get("entrusting_phone", ""),
                    matter=values.get("matter", ""),
                    field=values.get("field", ""),
                    fee_estimate=values.get("fee_estimate", "") or "0",
                    parties=values.get("parties", "").replace("，", ",").split(","),
                    materials=values.get("materials", ""),
                    mediation_ref=values.get("mediation_ref", ""),
                ),
                acting_user=user,
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("appraisal:detail", entrustment.number)
    return render(
        request,
        "appraisal/new.html",
        {
            "values": values,
            "error": error,
            "kinds": EntrustingKind.choices,
            "fields": [
                (code, _(FIELDS[code]))
                for code in (user.institution.service_fields if user.institution else [])
                if code in FIELDS
            ],
        },
        status=400 if error else 200,
    )


@staff_view(Role.APPRAISER, *SUPERVISOR_ROLES)
def detail(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    entrustment = selectors.get_entrustment_for_user(user, number)
    error, new_download_code = "", ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reissue_code":
                opinion = selectors.get_opinion_for_user(user, request.POST.get("case_code", ""))
                if opinion.entrustment_id != entrustment.pk:
                    raise NotFound(_("没有找到该文书。"))
                new_download_code = services.reissue_download_code(opinion, acting_user=user)
            elif action == "accept":
                ids = [int(i) for i in request.POST.getlist("appraiser_ids") if i.isdigit()]
                services.accept(entrustment, ids, acting_user=user)
            elif action == "refuse":
                services.refuse(entrustment, request.POST.get("reason", ""), acting_user=user)
            elif action == "extend":
                services.extend(entrustment, request.POST.get("reason", ""), acting_user=user)
            elif action == "issue":
                services.issue_opinion(
                    entrustment,
                    request.POST.get("kind", ""),
                    request.POST.get("summary", ""),
                    acting_user=user,
                )
            else:
                error = _("未知的操作。")
        except DomainError as exc:
            error = exc.message
        if not error and not new_download_code:
            return redirect("appraisal:detail", entrustment.number)
        entrustment = selectors.get_entrustment_for_user(user, number)
    candidates = selectors.qualified_appraisers(entrustment)
    return render(
        request,
        "appraisal/detail.html",
        {
            "e": entrustment,
            "error": error,
            "candidates": candidates,
            "opinion_kinds": OpinionKind.choices,
            "is_appraiser": services.is_appraiser_of(user, entrustment.institution_id),
            "posted": request.POST if error else {},
            "new_download_code": new_download_code,
            "reissued": request.POST.get("case_code", "") if new_download_code else "",
        },
        status=400 if error else 200,
    )


@staff_view(*SUPERVISOR_ROLES)
def complaints(request: HttpRequest) -> HttpResponse:
    """The bureau: register a complaint against an institution in its region, decide it."""
    user = acting_user(request)
    error, values = "", {}
    if request.method == "POST":
        values = _form_values(request)
        try:
            if values.get("action") == "decide":
                complaint = selectors.get_complaint_for_user(
                    user, int(values.get("complaint", "0") or 0)
                )
                services.decide_complaint(
                    complaint, values.get("decision", ""), values.get("note", ""), acting_user=user
                )
            else:
                raw = values.get("institution", "")
                services.receive_complaint(
                    int(raw) if raw.isdigit() else 0,
                    values.get("complainant", ""),
                    values.get("text", ""),
                    entrustment_number=values.get("entrustment", ""),
                    acting_user=user,
                )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("appraisal:complaints")
    return render(
        request,
        "appraisal/complaints.html",
        {
            "complaints": selectors.complaints_for_user(user)[:200],
            "institutions": selectors.institutions_for_user(user),
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


@citizen_view
def my_complaints(request: HttpRequest) -> HttpResponse:
    """A citizen files a complaint against an institution (and optionally one of its appraisers
    and opinions) and follows the bureau's decision on their own complaints."""
    user = acting_user(request)
    source = request.POST if request.method == "POST" else request.GET
    error, values = "", {k: source.get(k, "") for k in source}
    raw = values.get("institution", "")
    institution_id = int(raw) if raw.isdigit() else 0
    if request.method == "POST":
        appraiser = values.get("appraiser", "")
        try:
            services.file_complaint(
                institution_id,
                values.get("text", ""),
                appraiser_id=int(appraiser) if appraiser.isdigit() else None,
                opinion_code=values.get("opinion_code", ""),
                acting_user=user,
            )
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("appraisal:my_complaints")
    return render(
        request,
        "appraisal/my_complaints.html",
        {
            "complaints": selectors.complaints_of_citizen(user)[:200],
            "institutions": selectors.complaint_targets(),
            "appraisers": selectors.appraisers_of(institution_id) if institution_id else [],
            "institution_id": institution_id,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


def _supervision_action(user: Any, values: dict[str, Any]) -> None:
    """One of the bureau's three verbs on the supervision page."""
    action = values.get("action", "")
    raw = values.get("institution", "")
    institution_id = int(raw) if raw.isdigit() else 0
    if action == "sanction":
        services.record_sanction(institution_id, values.get("description", ""), acting_user=user)
    elif action == "withdraw":
        code = values.get("code", "").strip().upper()
        if not (code.startswith("JD") and len(code) > 14):  # not a case code
            code = services.normalise_code(code)
        opinion = selectors.get_opinion_by_code_for_user(user, code)
        services.withdraw_opinion(opinion, values.get("reason", ""), acting_user=user)
    elif action == "draw":
        year = values.get("year", "")
        services.draw_review_sample(
            institution_id, int(year) if year.isdigit() else 0, acting_user=user
        )
    elif action == "score":
        review = selectors.get_review_for_user(user, int(values.get("review", "0") or 0))
        score = values.get("score", "")
        services.score_review(
            review,
            int(score) if score.isdigit() else -1,
            values.get("findings", ""),
            values.get("panel", ""),
            acting_user=user,
        )


def _accreditation_action(user: Any, institution: Any, values: dict[str, Any]) -> None:
    """One of the bureau's verbs on the institution page: record, renew, withdraw, 母体."""
    action = values.get("action", "")
    if action == "record":
        services.record_accreditation(
            institution,
            services.AccreditationIn(
                field=values.get("field", ""),
                kind=values.get("kind", ""),
                certificate_number=values.get("certificate_number", ""),
                issuing_body=values.get("issuing_body", ""),
                issued_on=values.get("issued_on", ""),
                valid_until=values.get("valid_until", ""),
            ),
            acting_user=user,
        )
        return
    if action == "parent":
        services.record_parent_body(
            institution,
            values.get("parent_body", ""),
            values.get("parent_name", ""),
            acting_user=user,
        )
        return
    if action not in ("renew", "withdraw"):
        raise InvalidInput(_("未知的操作。"), code="bad_choice")
    raw = values.get("accreditation", "")
    accreditation = selectors.get_accreditation_for_user(user, int(raw) if raw.isdigit() else 0)
    if accreditation.institution_id != institution.pk:
        raise NotFound(_("没有找到该证书。"))
    if action == "renew":
        services.renew_accreditation(
            accreditation,
            values.get("certificate_number", ""),
            values.get("issuing_body", ""),
            values.get("issued_on", ""),
            values.get("valid_until", ""),
            acting_user=user,
        )
    else:
        services.withdraw_accreditation(
            accreditation,
            values.get("reason", ""),
            values.get("withdrawn_on", ""),
            acting_user=user,
        )


@staff_view(Role.APPRAISER, *SUPERVISOR_ROLES)
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    """An institution's licensed fields with their 资质认定 status, every certificate (CMA, CNAS)
    with its status, and its 母体; the bureau records, renews and withdraws on this page."""
    user = acting_user(request)
    found = selectors.get_institution_for_user(user, pk)
    error, values = "", {}
    if request.method == "POST":
        values = _form_values(request)
        try:
            _accreditation_action(user, found, values)
        except (NotFound, PermissionDenied):
            raise  # out of scope stays a 404/403, not a form error
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("appraisal:institution", found.pk)
    today = timezone.localdate()
    certificates = list(
        selectors.accreditations_for_user(user)
        .filter(institution=found)
        .order_by("field", "kind", "-valid_until", "-pk")
    )
    return render(
        request,
        "appraisal/institution.html",
        {
            "institution": found,
            "fields": selectors.field_accreditations([found], today)[found.pk],
            "certificates": [(c, c.status_label(today), c.status_on(today)) for c in certificates],
            "profile": selectors.profile_of(found),
            "can_record": services.records_accreditation(user, found),
            "licensed": [
                (code, _(FIELDS[code])) for code in found.service_fields or [] if code in FIELDS
            ],
            "kinds": AccreditationKind.choices,
            "parent_bodies": ParentBody.choices,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


@staff_view(*SUPERVISOR_ROLES)
def supervision(request: HttpRequest) -> HttpResponse:
    """The bureau: sanctions, withdrawing a document, the quality-review sample and its scores."""
    user = acting_user(request)
    error, values = "", {}
    if request.method == "POST":
        values = _form_values(request)
        try:
            _supervision_action(user, values)
        except (NotFound, PermissionDenied):
            raise  # out of scope stays a 404/403, not a form error
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("appraisal:supervision")
    institutions = list(selectors.institutions_for_user(user).order_by("name"))
    fields = selectors.field_accreditations(institutions, timezone.localdate())
    return render(
        request,
        "appraisal/supervision.html",
        {
            "institutions": institutions,
            "accreditation": [(i, fields[i.pk]) for i in institutions],
            "sanctions": selectors.sanctions_for_user(user).order_by("-decided_on", "-pk")[:100],
            "withdrawn": selectors.opinions_for_user(user)
            .filter(status=OpinionStatus.WITHDRAWN)
            .select_related("entrustment__institution")
            .order_by("-withdrawn_at")[:100],
            "reviews": selectors.reviews_for_user(user).order_by("-drawn_at", "pk")[:200],
            "this_year": timezone.localdate().year,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )
