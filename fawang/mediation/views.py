"""Mediation pages: citizens apply and follow their disputes; mediators and committee heads
handle them; the bureau watches quotas, screenings, warnings and figures. Thin views: reads
through scoped selectors, writes through services, domain errors shown by the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core.errors import DomainError
from fawang.core.models import SUPERVISOR_ROLES, Role, User
from fawang.core.personal_access import SELF_USE, read_personal_data
from fawang.core.web import acting_user, citizen_view, staff_view, submit
from fawang.mediation import selectors, services
from fawang.mediation.agreement import build_document, render_pdf
from fawang.mediation.forms import (
    AgreementEntryForm,
    ApplyForm,
    AssignForm,
    ConfirmationAnswerForm,
    ConfirmationForm,
    FailureForm,
    FollowUpForm,
    KeyPeriodForm,
    ScreeningDoneForm,
    SessionForm,
)
from fawang.mediation.models import Agreement, Dispute, DisputeStatus, Screening
from fawang.mediation.policy import mediation_policy
from fawang.policy.packs import pack_name

PAGE_SIZE = 50
STAFF_ROLES = (Role.MEDIATOR, *SUPERVISOR_ROLES)
BUREAU = tuple(SUPERVISOR_ROLES)
SCREENING_ROLES = (
    Role.MEDIATOR,
    Role.SUPERVISOR_TOWNSHIP,
    Role.SUPERVISOR_DISTRICT,
    Role.SUPERVISOR_CITY,
)


# --- citizen pages --------------------------------------------------------------------------


@citizen_view
def apply(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ApplyForm(request.POST or None, initial={"applicant_name": user.full_name})
    status = 200
    if request.method == "POST":
        status = 400
        done = submit(
            form,
            lambda data: services.apply_for_mediation(
                services.DisputeIn(
                    dispute_type=data["dispute_type"],
                    facts=data["facts"],
                    claims=data["claims"],
                    amount=data["amount"],
                    place=data["place"],
                    region_code=data["township"],
                    applicant=services.PartyIn(
                        name=data["applicant_name"],
                        phone=data["applicant_phone"]
                        or read_personal_data(user, "phone", actor=user, purpose=SELF_USE),
                        id_number=data["applicant_id_number"],
                    ),
                    respondents=[
                        services.PartyIn(
                            name=data["respondent_name"], phone=data["respondent_phone"]
                        )
                    ],
                    idempotency_key=data["idempotency_key"],
                ),
                acting_user=user,
            ),
            FIELD_ALIASES,
        )
        if done.ok:
            dispute = done.value
            messages.success(request, _("调解申请已受理，纠纷编号 %(n)s。") % {"n": dispute.number})
            return redirect("mediation:mine", number=dispute.number)
    return render(request, "mediation/apply.html", {"form": form}, status=status)


FIELD_ALIASES = {
    "region_code": "township",
    "applicant.phone": "applicant_phone",
    "applicant.id_number": "applicant_id_number",
    "applicant.name": "applicant_name",
    "respondents.0.name": "respondent_name",
    "respondents.0.phone": "respondent_phone",
}


@citizen_view
def my_disputes(request: HttpRequest) -> HttpResponse:
    disputes = selectors.disputes_for_user(acting_user(request))
    return render(request, "mediation/my_disputes.html", {"disputes": disputes[:200]})


@citizen_view
def my_dispute(request: HttpRequest, number: str) -> HttpResponse:
    dispute = selectors.get_dispute_for_user(acting_user(request), number)
    return render(request, "mediation/my_dispute.html", _dispute_context(dispute))


def _dispute_context(dispute: Dispute) -> dict[str, Any]:
    agreement = Agreement.objects.filter(dispute=dispute).first()
    return {
        "dispute": dispute,
        "parties": dispute.parties.all(),
        "sessions": dispute.sessions.all(),
        "mediators": dispute.mediators.all(),
        "agreement": agreement,
        "confirmation": getattr(agreement, "judicial_confirmation", None) if agreement else None,
        "appraisals": dispute.appraisals.all(),
    }


def _agreement_page(request: HttpRequest, number: str) -> HttpResponse:
    dispute = selectors.get_dispute_for_user(acting_user(request), number)
    agreement = Agreement.objects.filter(dispute=dispute).first()
    if agreement is None:
        return render(request, "404.html", status=404)
    document = build_document(agreement)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(render_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agreement-{dispute.number}.pdf"'
        return response
    return render(request, "mediation/agreement.html", {"document": document, "dispute": dispute})


my_agreement = citizen_view(_agreement_page)
staff_agreement = staff_view(*STAFF_ROLES, Role.HOTLINE_SEAT, Role.WINDOW_CLERK)(_agreement_page)


# --- staff: disputes ------------------------------------------------------------------------


@staff_view(*STAFF_ROLES)
def dispute_list(request: HttpRequest) -> HttpResponse:
    disputes = selectors.disputes_for_user(acting_user(request))
    status = request.GET.get("status")
    if status in DisputeStatus.values:
        disputes = disputes.filter(status=status)
    page = Paginator(disputes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mediation/dispute_list.html",
        {"page": page, "statuses": DisputeStatus.choices, "status": status},
    )


def _mediator_choices(dispute: Dispute) -> list[tuple[int, str]]:
    if dispute.committee is None:
        return []
    return [(m.pk, m.name) for m in selectors.committee_mediators(dispute.committee)]


ACTIONS: dict[str, type[forms.Form]] = {
    "assign": AssignForm,
    "session": SessionForm,
    "agreement": AgreementEntryForm,
    "failure": FailureForm,
    "follow_up": FollowUpForm,
    "confirmation": ConfirmationForm,
    "answer": ConfirmationAnswerForm,
}


def _perform(action: str, dispute: Dispute, data: dict[str, Any], user: User) -> None:
    verbs: dict[str, Callable[[], Any]] = {
        "assign": lambda: services.assign_dispute(
            dispute, acting_user=user, mediator_ids=[int(i) for i in data["mediators"]]
        ),
        "session": lambda: services.record_session(dispute, acting_user=user, **data),
        "agreement": lambda: services.record_agreement(
            dispute, services.AgreementIn(**data), acting_user=user
        ),
        "failure": lambda: services.record_failure(dispute, acting_user=user, **data),
        "follow_up": lambda: services.follow_up_performance(dispute, acting_user=user, **data),
        "confirmation": lambda: services.request_judicial_confirmation(
            dispute, acting_user=user, **data
        ),
        "answer": lambda: services.record_confirmation_answer(dispute, acting_user=user, **data),
    }
    verbs[action]()


@staff_view(*STAFF_ROLES)
def dispute_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    dispute = selectors.get_dispute_for_user(user, number)
    action = request.POST.get("action", "")
    bound: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST" and action in ACTIONS:
        form = _form(action, dispute, request.POST)
        bound[action] = form
        status = 400
        if submit(form, lambda data: _perform(action, dispute, data, user)).ok:
            messages.success(request, _("已保存。"))
            return redirect("mediation:dispute", number=dispute.number)
        dispute.refresh_from_db()
    forms_by_action = {name: bound.get(name) or _form(name, dispute, None) for name in ACTIONS}
    context = _dispute_context(dispute)
    context.update(
        forms=forms_by_action,
        own=services.practitioner_of(user),
        is_head=services.is_committee_head(user, dispute.committee_id),
        reveal_note=_("号码已隐藏；如需完整号码，请在人员页面按规定申请查看。"),
    )
    return render(request, "mediation/dispute_detail.html", context, status=status)


def _form(action: str, dispute: Dispute, data: Any) -> forms.Form:
    if action == "assign":
        return AssignForm(data, mediators=_mediator_choices(dispute), prefix=action)
    initial: dict[str, Any] = {}
    today = timezone.localdate()
    if action == "session":
        initial = {"held_at": timezone.localtime().replace(second=0, microsecond=0)}
    elif action == "agreement":
        initial = {
            "facts": dispute.facts,
            "issues": dispute.claims,
            "signed_on": today,
            "performance_deadline": today + timedelta(days=15),
        }
    elif action in {"confirmation", "answer"}:
        initial = {"requested_on": today, "answered_on": today}
    return ACTIONS[action](data, initial=initial, prefix=action)


# --- staff: committees, screening, warnings, figures ----------------------------------------


@staff_view(*STAFF_ROLES)
def committees(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = selectors.quota_rows(selectors.committees_for_user(user))
    if request.GET.get("short") == "1":
        rows = [row for row in rows if row.falls_short]
    return render(
        request,
        "mediation/committees.html",
        {
            "rows": rows[:500],
            "talent": selectors.talent_pool_for_user(user)[:100],
            "short": sum(row.falls_short for row in rows),
            "policy": mediation_policy(
                user.region or (user.institution.region if user.institution else None)
            ),
        },
    )


@staff_view(*STAFF_ROLES)
def committee_detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = selectors.get_committee_for_user(acting_user(request), committee_id)
    return render(
        request,
        "mediation/committee_detail.html",
        {
            "committee": committee,
            "rows": selectors.roster(committee),
            "policy": mediation_policy(committee.region),
        },
    )


@staff_view(*SCREENING_ROLES)
def screening_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.screenings_for_user(acting_user(request))
    if request.GET.get("overdue") == "1":
        qs = selectors.overdue(qs)
    page = Paginator(qs.order_by("-due_on", "unit__name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mediation/screening_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "overdue_count": selectors.overdue(
                selectors.screenings_for_user(acting_user(request))
            ).count(),
        },
    )


@staff_view(*SCREENING_ROLES)
def screening_detail(request: HttpRequest, screening_id: int) -> HttpResponse:
    user = acting_user(request)
    screening = selectors.get_screening_for_user(user, screening_id)
    form = ScreeningDoneForm(request.POST or None)
    status = 200

    def complete(data: dict[str, Any]) -> Screening:
        risks = []
        if data["risk_description"]:
            risks.append(
                services.RiskIn(
                    description=data["risk_description"],
                    dispute_type=data["risk_type"] or "other",
                    parties=data["risk_parties"],
                )
            )
        return services.complete_screening(
            screening, acting_user=user, notes=data["notes"], risks=risks
        )

    if request.method == "POST":
        status = 400
        if submit(form, complete).ok:
            messages.success(request, _("排查已登记。"))
            return redirect("mediation:screening", screening_id=screening.pk)
    return render(
        request,
        "mediation/screening_detail.html",
        {
            "screening": screening,
            "risks": screening.risks.select_related("dispute"),
            "form": form,
            "overdue": screening.is_overdue(),
        },
        status=status,
    )


@require_POST
@staff_view(*SCREENING_ROLES)
def risk_to_dispute(request: HttpRequest, screening_id: int, risk_id: int) -> HttpResponse:
    user = acting_user(request)
    screening = selectors.get_screening_for_user(user, screening_id)
    risk = screening.risks.filter(pk=risk_id).first()
    if risk is None:
        return render(request, "404.html", status=404)
    try:
        dispute = services.dispute_from_risk(risk, acting_user=user)
        messages.success(request, _("已登记为纠纷 %(n)s。") % {"n": dispute.number})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("mediation:screening", screening_id=screening.pk)


@staff_view(*BUREAU)
def figures(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    today = timezone.localdate()
    since = today.replace(month=1, day=1)
    form = KeyPeriodForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        region = user.region
        if region is not None:
            declared = submit(
                form,
                lambda data: services.declare_key_period(acting_user=user, region=region, **data),
            )
            if declared.ok:
                messages.success(request, _("重点时段已发布，期间每日排查。"))
                return redirect("mediation:figures")
    data = selectors.figures_for_user(user, since, today)
    return render(
        request,
        "mediation/figures.html",
        {
            "figures": data,
            "since": since,
            "until": today,
            "warnings": selectors.warnings_for_user(user)[:50],
            "key_periods": selectors.key_periods_for_user(user)[:20],
            "form": form,
            "short": [row for row in data.quota_rows if row.falls_short],
            "pack_name": pack_name(data.policy.pack_code),
        },
        status=status,
    )
