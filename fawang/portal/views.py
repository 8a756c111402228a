"""Citizen pages. Thin: parse the form, call a service, render; errors shown beside the field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core import selectors as core_selectors
from fawang.core import services
from fawang.core.errors import DomainError
from fawang.core.models import RegionLevel, User
from fawang.core.views import safe_next
from fawang.portal.forms import (
    CitizenLoginForm,
    CitizenProfileForm,
    CitizenRegistrationForm,
    ComplaintForm,
    RatingForm,
    RegionChoices,
    RequestForm,
    TrackForm,
)
from fawang.workorders import selectors as order_selectors
from fawang.workorders import services as order_services
from fawang.workorders.models import Channel, Status, WorkOrder

# Where a service names a field the form calls differently.
INTAKE_FIELD_ALIASES = {"region_code": "district", "requester_phone": "phone"}
PAGE_SIZE = 20


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def show_domain_error(
    form: object, error: DomainError, aliases: Mapping[str, str] | None = None
) -> None:
    field = (aliases or {}).get(error.field or "", error.field)
    field = field if field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)  # type: ignore[attr-defined]


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def login_view(request: HttpRequest) -> HttpResponse:
    form = CitizenLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["phone"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(None, _("手机号码或密码错误。"))
        elif not user.is_citizen:
            form.add_error(None, _("工作人员请从工作台登录。"))
        else:
            login(request, user)
            services.record_login(user=user, ip_address=_client_ip(request))
            return redirect(safe_next(request, "portal:profile"))
    return render(request, "portal/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


def register(request: HttpRequest) -> HttpResponse:
    form = CitizenRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send_code":
                services.request_sms_code(phone=data["phone"])
                messages.success(request, _("验证码已发送到您的手机。"))
                form = CitizenRegistrationForm(initial={"phone": data["phone"]})
            else:
                citizen = services.register_citizen(
                    phone=data["phone"],
                    password=data["password"],
                    sms_code=data["sms_code"],
                    full_name=data["full_name"],
                )
                login(request, citizen, backend="fawang.core.auth_backends.CitizenPhoneBackend")
                messages.success(request, _("欢迎！您的账户已开通。"))
                return redirect("portal:profile")
        except DomainError as error:
            show_domain_error(form, error)
    return render(request, "portal/register.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:
        return redirect("console:home")
    form = CitizenProfileForm(request.POST or None, initial={"full_name": user.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_citizen_profile(
                acting_user=user,
                full_name=form.cleaned_data["full_name"],
                id_number=form.cleaned_data["id_number"] or None,
            )
            messages.success(request, _("已保存。"))
            return redirect("portal:profile")
        except DomainError as error:
            show_domain_error(form, error)
            user.refresh_from_db()
    return render(request, "portal/profile.html", {"form": form, "citizen": user})


# --- requests (诉求) ------------------------------------------------------------------------


def citizen_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in citizens only; staff are sent to their console, everyone else to the login."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_citizen:  # type: ignore[union-attr]
            return redirect("console:home")
        return view(request, *args, **kwargs)

    return wrapper


def district_choices() -> RegionChoices:
    """Every district, grouped by city (<optgroup>)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    districts = core_selectors.regions(level=RegionLevel.DISTRICT).select_related("parent")
    for district in districts.order_by("code"):
        city = district.parent.name if district.parent else ""
        groups.setdefault(city, []).append((district.code, district.name))
    return list(groups.items())


def township_choices(district_code: str | None) -> RegionChoices:
    if not district_code:
        return []
    townships = core_selectors.regions(parent_code=district_code, level=RegionLevel.TOWNSHIP)
    return [(region.code, region.name) for region in townships.order_by("code")]


def chosen_district(request: HttpRequest, fallback: str | None) -> str | None:
    return request.POST.get("district") or request.GET.get("district") or fallback


def home_district(user: User) -> str | None:
    """The district of the account's home region, to start the form from."""
    district = user.region.district if user.region is not None else None
    return district.code if district is not None else None


@citizen_view
def request_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    district = chosen_district(request, home_district(user))
    choices: dict[str, Any] = {
        "districts": district_choices(),
        "townships": township_choices(district),
        "account_phone": str(user.phone) if user.phone else "",
    }
    picking_district = request.POST.get("action") == "pick_district"
    if request.method == "POST" and not picking_district:
        form = RequestForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            # Left empty, the service uses the account's own number.
            phone = data["phone"]
            try:
                order = order_services.create_work_order(
                    order_services.Intake(
                        channel=Channel.WEB,
                        business_line=data["business_line"],
                        topic=data["topic"],
                        title=data["title"],
                        description=data["description"],
                        requester_name=data["requester_name"],
                        requester_phone=phone,
                        region_code=form.region_code,
                        idempotency_key=data["idempotency_key"],
                    ),
                    acting_user=user,
                )
                return redirect("portal:request_submitted", number=order.number)
            except DomainError as error:
                show_domain_error(form, error, INTAKE_FIELD_ALIASES)
        status = 400
    else:
        initial: dict[str, Any] = {"requester_name": user.full_name, "district": district}
        # Arriving from the "ask" page: carry the question over so nothing is typed twice.
        for name in ("business_line", "topic", "description"):
            if request.GET.get(name):
                initial[name] = request.GET[name][:5000]
        if picking_district:
            # The district changed: show its townships and keep what was typed, without errors.
            initial.update(request.POST.dict())
            initial.pop("township", None)
            initial["district"] = district
        form = RequestForm(initial=initial, **choices)
        status = 200
    return render(
        request,
        "portal/request_new.html",
        {"form": form},
        status=status,
    )


@citizen_view
def request_submitted(request: HttpRequest, number: str) -> HttpResponse:
    order = order_selectors.get_order_for_user(request.user, number)  # type: ignore[arg-type]
    return render(request, "portal/request_submitted.html", {"order": order})


@citizen_view
def request_list(request: HttpRequest) -> HttpResponse:
    orders = order_selectors.orders_for_user(request.user)  # type: ignore[arg-type]
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/request_list.html", {"page": page})


def _rateable(order: WorkOrder) -> bool:
    return order.status in {Status.REPLIED, Status.CLOSED} and order.rated_at is None


@citizen_view
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    order = order_selectors.get_order_for_user(user, number)
    action = request.POST.get("action")
    rating_form = RatingForm(request.POST if action == "rate" else None)
    complaint_form = ComplaintForm(request.POST if action == "complain" else None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if action == "rate" and rating_form.is_valid():
                order_services.rate_order(
                    order,
                    rating=rating_form.cleaned_data["rating"],
                    comment=rating_form.cleaned_data["comment"],
                    acting_user=user,
                )
                messages.success(request, _("感谢您的评价！"))
                return redirect("portal:request", number=order.number)
            if action == "complain" and complaint_form.is_valid():
                complaint = order_services.file_complaint(
                    order, text=complaint_form.cleaned_data["text"], acting_user=user
                )
                messages.success(request, _("投诉已受理，我们会尽快处理。"))
                return redirect("portal:request_submitted", number=complaint.number)
        except DomainError as error:
            show_domain_error(rating_form if action == "rate" else complaint_form, error)
            order.refresh_from_db()
    return render(
        request,
        "portal/request_detail.html",
        {
            "order": order,
            "events": order.events.select_related("institution"),
            "rating_form": rating_form if _rateable(order) or rating_form.errors else None,
            "complaint_form": complaint_form if order.replied_at else None,
        },
        status=status,
    )


def request_track(request: HttpRequest) -> HttpResponse:
    """Anyone holding the number and the phone: status and reply, no personal data."""
    form = TrackForm(request.POST or None)
    order, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                order = order_selectors.track_order(
                    form.cleaned_data["number"],
                    form.cleaned_data["phone"],
                    client=request.META.get("REMOTE_ADDR", ""),
                )
                form, status = TrackForm(), 200  # don't echo the phone back into the page
            except Http404 as missing:
                form.add_error(None, str(missing))
                status = 404
            except DomainError as refused:
                form.add_error(None, refused.message)
                status = refused.status
    return render(
        request, "portal/request_track.html", {"form": form, "order": order}, status=status
    )


def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the requester: rate without logging in."""
    order = order_selectors.get_order_by_rating_token(token)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            # The event's actor is the requester when logged in, else nobody (the link did it).
            user: Any = request.user
            requester = user.is_authenticated and user.pk == order.citizen_id
            try:
                order_services.rate_order(
                    order,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    acting_user=user if requester else None,
                    token=token,
                )
                messages.success(request, _("感谢您的评价！"))
                return redirect("portal:rate", token=token)
            except DomainError as error:
                show_domain_error(form, error)
                order.refresh_from_db()
    return render(
        request,
        "portal/rate.html",
        {"order": order, "form": form if _rateable(order) or form.errors else None},
        status=status,
    )
