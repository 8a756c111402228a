"""Staff console pages. Thin: every read through a scoped selector, every write through a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.audit import services as audit_services
from fawang.console.forms import (
    ApiTokenForm,
    InstitutionForm,
    PractitionerStatusForm,
    RevealForm,
    StaffAccountForm,
    StaffLoginForm,
)
from fawang.core import selectors, services
from fawang.core.errors import DomainError
from fawang.core.models import (
    STAFF_READER_ROLES,
    InstitutionKind,
    PractitionerKind,
    Role,
    User,
)
from fawang.core.views import safe_next
from fawang.core.web import acting_user, page_of, show_domain_error, staff_view, submit

PAGE_SIZE = 50
# Reference data is for everyone who serves citizens or supervises them, not for the
# administrators (三权分立: the system administrator maintains it in the admin site).
REFERENCE_READERS = STAFF_READER_ROLES


def login_view(request: HttpRequest) -> HttpResponse:
    form = StaffLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if user.is_citizen:
            form.add_error(None, _("群众请从群众门户登录。"))
        else:
            login(request, user)
            services.record_login(user=user, ip_address=request.META.get("REMOTE_ADDR"))
            return redirect(safe_next(request, "console:home"))
    return render(request, "console/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("console:login")


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "console/home.html")


# --- reference data -----------------------------------------------------------------------


@staff_view(*REFERENCE_READERS)
def institution_list(request: HttpRequest) -> HttpResponse:
    kind, search = request.GET.get("kind") or None, request.GET.get("q") or None
    institutions = selectors.institutions_for_user(request.user, kind=kind, search=search)  # type: ignore[arg-type]
    return render(
        request,
        "console/institution_list.html",
        {"page": page_of(request, institutions, PAGE_SIZE), "kinds": InstitutionKind.choices},
    )


@staff_view(*REFERENCE_READERS)
def institution_detail(request: HttpRequest, institution_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    institution = selectors.get_institution_for_user(user, institution_id)
    form = InstitutionForm(
        request.POST or None,
        initial={f: getattr(institution, f) for f in InstitutionForm.base_fields},
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.update_institution(
                acting_user=user, institution=institution, changes=data
            ),
        )
        if saved.ok:
            messages.success(request, _("已保存。"))
            return redirect("console:institution", institution_id=institution.pk)
        institution.refresh_from_db()
    practitioners = institution.practitioners.order_by("name")[:200]
    return render(
        request,
        "console/institution_detail.html",
        {"institution": institution, "form": form, "practitioners": practitioners},
    )


@staff_view(*REFERENCE_READERS)
def practitioner_list(request: HttpRequest) -> HttpResponse:
    kind, search = request.GET.get("kind") or None, request.GET.get("q") or None
    practitioners = selectors.practitioners_for_user(request.user, kind=kind, search=search)  # type: ignore[arg-type]
    return render(
        request,
        "console/practitioner_list.html",
        {"page": page_of(request, practitioners, PAGE_SIZE), "kinds": PractitionerKind.choices},
    )


@staff_view(*REFERENCE_READERS)
def practitioner_detail(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    practitioner = selectors.get_practitioner_for_user(user, practitioner_id)
    status_form = PractitionerStatusForm(
        request.POST if request.POST.get("action") == "status" else None,
        initial={"status": practitioner.status},
    )
    reveal_form = RevealForm(request.POST if request.POST.get("action") == "reveal" else None)
    revealed = None
    try:
        if status_form.is_bound and status_form.is_valid():
            services.set_practitioner_status(
                acting_user=user, practitioner=practitioner, **status_form.cleaned_data
            )
            messages.success(request, _("已保存。"))
            return redirect("console:practitioner", practitioner_id=practitioner.pk)
        if reveal_form.is_bound and reveal_form.is_valid():
            revealed = services.reveal_personal_data(
                acting_user=user, subject=practitioner, **reveal_form.cleaned_data
            )
    except DomainError as error:
        show_domain_error(status_form if status_form.is_bound else reveal_form, error)
        practitioner.refresh_from_db()
    return render(
        request,
        "console/practitioner_detail.html",
        {
            "practitioner": practitioner,
            "status_form": status_form,
            "reveal_form": reveal_form,
            "revealed": revealed,
        },
    )


# --- accounts (security administrator) ----------------------------------------------------


@staff_view(Role.SECURITY_ADMIN)
def account_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = StaffAccountForm(request.POST or None)
    created = None

    def create(data: dict[str, Any]) -> services.NewStaffAccount:
        institution = (
            selectors.institutions_for_user(user).filter(pk=data["institution_id"]).first()
            if data["institution_id"]
            else None
        )
        if data["institution_id"] and institution is None:
            raise DomainError(selectors.NOT_FOUND_MESSAGE, field="institution_id")
        return services.create_staff_account(
            acting_user=user,
            username=data["username"],
            password=data["password"],
            role=data["role"],
            full_name=data["full_name"],
            region=services.region_by_code(data["region_code"]) if data["region_code"] else None,
            institution=institution,
            phone=data["phone"],
        )

    if request.method == "POST":
        done = submit(form, create)
        if done.ok:
            created = done.value
            form = StaffAccountForm()
    accounts = selectors.staff_accounts_for_user(user)
    return render(
        request,
        "console/account_list.html",
        {"page": page_of(request, accounts, PAGE_SIZE), "form": form, "created": created},
    )


@staff_view(Role.SECURITY_ADMIN)
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    account = selectors.get_staff_account_for_user(user, account_id)
    token_form = ApiTokenForm(request.POST if request.POST.get("action") == "token" else None)
    shown_once: dict[str, str] = {}
    action = request.POST.get("action")
    try:
        if action == "unlock":
            services.unlock_account(acting_user=user, account=account)
            messages.success(request, _("已解除锁定。"))
        elif action == "reset_totp":
            shown_once["totp_config_url"] = services.reset_totp(acting_user=user, account=account)
        elif action in {"activate", "deactivate"}:
            services.set_account_active(
                acting_user=user, account=account, active=action == "activate"
            )
            messages.success(request, _("已保存。"))
        elif action == "token" and token_form.is_valid():
            shown_once["api_token"] = services.issue_api_token(
                acting_user=user, account=account, name=token_form.cleaned_data["name"]
            )
    except DomainError as error:
        messages.error(request, error.message)
    return render(
        request,
        "console/account_detail.html",
        {
            "account": account,
            "token_form": token_form,
            "shown_once": shown_once,
            "tokens": account.api_tokens.order_by("-created_at"),
        },
    )


# --- audit (auditor) ----------------------------------------------------------------------


@staff_view(Role.AUDITOR)
def audit_events(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_events_for_auditor(
        request.user,  # type: ignore[arg-type]
        action=request.GET.get("action") or None,
        actor=request.GET.get("actor") or None,
    )
    report = audit_services.verify_chain() if request.GET.get("verify") else None
    return render(
        request,
        "console/audit_events.html",
        {"page": page_of(request, events, PAGE_SIZE), "report": report},
    )


@staff_view(Role.AUDITOR)
def personal_data_accesses(request: HttpRequest) -> HttpResponse:
    accesses = selectors.personal_data_accesses_for_auditor(acting_user(request))
    page = page_of(request, accesses, PAGE_SIZE)
    for access in page:
        access.subject_label, access.field_label = selectors.personal_data_labels(
            access.subject_type, access.field
        )
    return render(request, "console/personal_data_accesses.html", {"page": page})
