"""Citizens' pages of work orders (诉求): submit, list, follow, rate, complain, track by number."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError, NotFound
from fawang.core.models import User
from fawang.core.web import (
    chosen_district,
    citizen_view,
    district_choices,
    home_district,
    page_of,
    show_domain_error,
    submit,
    township_choices,
)
from fawang.workorders import selectors as order_selectors
from fawang.workorders import services as order_services
from fawang.workorders.forms import ComplaintForm, RatingForm, RequestForm, TrackForm
from fawang.workorders.models import Channel, Status, WorkOrder

# Where a service names a field the form calls differently.
INTAKE_FIELD_ALIASES = {"region_code": "district", "requester_phone": "phone"}
PAGE_SIZE = 20


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
        done = submit(
            form,
            lambda data: order_services.create_work_order(
                order_services.Intake(
                    channel=Channel.WEB,
                    business_line=data["business_line"],
                    topic=data["topic"],
                    title=data["title"],
                    description=data["description"],
                    requester_name=data["requester_name"],
                    # Left empty, the service uses the account's own number.
                    requester_phone=data["phone"],
                    region_code=form.region_code,
                    special_groups=tuple(data["special_groups"]),
                    home_visit=data["home_visit"],
                    language=data["language"],
                    idempotency_key=data["idempotency_key"],
                ),
                acting_user=user,
            ),
            INTAKE_FIELD_ALIASES,
        )
        if done.ok:
            return redirect("workorders:request_submitted", number=done.value.number)
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
        "workorders/request_new.html",
        {"form": form},
        status=status,
    )


@citizen_view
def request_submitted(request: HttpRequest, number: str) -> HttpResponse:
    order = order_selectors.get_order_for_user(request.user, number)  # type: ignore[arg-type]
    return render(request, "workorders/request_submitted.html", {"order": order})


@citizen_view
def request_list(request: HttpRequest) -> HttpResponse:
    orders = order_selectors.orders_for_user(request.user)  # type: ignore[arg-type]
    page = page_of(request, orders, PAGE_SIZE)
    return render(request, "workorders/request_list.html", {"page": page})


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
                return redirect("workorders:request", number=order.number)
            if action == "complain" and complaint_form.is_valid():
                complaint = order_services.file_complaint(
                    order, text=complaint_form.cleaned_data["text"], acting_user=user
                )
                messages.success(request, _("投诉已受理，我们会尽快处理。"))
                return redirect("workorders:request_submitted", number=complaint.number)
        except DomainError as error:
            show_domain_error(rating_form if action == "rate" else complaint_form, error)
            order.refresh_from_db()
    return render(
        request,
        "workorders/request_detail.html",
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
            except NotFound as missing:
                form.add_error(None, str(missing))
                status = 404
            except DomainError as refused:
                form.add_error(None, refused.message)
                status = refused.status
    return render(
        request, "workorders/request_track.html", {"form": form, "order": order}, status=status
    )


def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the requester: rate without logging in."""
    order = order_selectors.get_order_by_rating_token(token)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        # The event's actor is the requester when logged in, else nobody (the link did it).
        user: Any = request.user
        requester = user.is_authenticated and user.pk == order.citizen_id
        rated = submit(
            form,
            lambda data: order_services.rate_order(
                order,
                rating=data["rating"],
                comment=data["comment"],
                acting_user=user if requester else None,
                token=token,
            ),
        )
        if rated.ok:
            messages.success(request, _("感谢您的评价！"))
            return redirect("workorders:rate", token=token)
        order.refresh_from_db()
    return render(
        request,
        "workorders/rate.html",
        {"order": order, "form": form if _rateable(order) or form.errors else None},
        status=status,
    )
