"""Pages. A seat sees their shifts, their calls of the month (and links the work order they made)
and their review scores; a supervisor picks a centre of their region and sees the monthly seat
report beside the targets, the roster with the week's 7×24 gaps, and the review sample."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fawang.core.errors import DomainError, InvalidInput
from fawang.core.models import SUPERVISOR_ROLES, Role, User
from fawang.core.replica import reads_replica
from fawang.core.web import acting_user, staff_view
from fawang.hotline import report, selectors, services
from fawang.hotline.models import Seat
from fawang.hotline.policy import hotline_policy
from fawang.hotline.timing import local_zone, month_bounds, this_month, week_from_today

SEAT_ROLES = (Role.HOTLINE_SEAT, Role.LAWYER, Role.LEGAL_AID_OFFICER)


def _month(request: HttpRequest) -> str:
    month = request.GET.get("month", "")[:7] or this_month()
    try:
        month_bounds(month)
    except InvalidInput:
        month = this_month()
    return month


@staff_view(*SEAT_ROLES, *SUPERVISOR_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if selectors.is_supervisor(user):
        return render(
            request, "hotline/centres.html", {"centres": selectors.centres_for_user(user)}
        )
    return _mine(request, user)


def _mine(request: HttpRequest, user: User) -> HttpResponse:
    month = _month(request)
    first, after = month_bounds(month)
    start, _end = week_from_today()
    calls = selectors.calls_for_user(user).filter(
        staff=user, offered_at__gte=first, offered_at__lt=after
    )
    return render(
        request,
        "hotline/mine.html",
        {
            "month": month,
            "shifts": selectors.shifts_for_user(user).filter(staff=user, end__gt=start)[:50],
            "calls": calls[:200],
            "unlinked": calls.filter(outcome="answered", work_order=None)[:200],
            "reviews": selectors.reviews_for_user(user).filter(staff=user, total__isnull=False)[
                :50
            ],
        },
    )


@staff_view(*SEAT_ROLES, *SUPERVISOR_ROLES)
def link_order(request: HttpRequest, call_id: str) -> HttpResponse:
    user = acting_user(request)
    # The seat page posts the call it picked from a list; the URL names it otherwise.
    call = selectors.call_for_user(user, request.POST.get("call", call_id)[:64])
    if request.method == "POST":
        try:
            services.link_order(call, request.POST.get("order_number", ""), acting_user=user)
            messages.success(request, _("已关联工单。"))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("hotline:home")


@staff_view(*SUPERVISOR_ROLES)
@reads_replica
def seat_report(request: HttpRequest, centre_id: int) -> HttpResponse:
    user = acting_user(request)
    centre = selectors.managed_centre(user, centre_id)
    found = report.seat_report(centre, _month(request))
    return render(request, "hotline/report.html", {"centre": centre, "report": found})


def _local(value: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("请填写正确的日期和时间。"), code="bad_shift", field=field) from None
    return moment.replace(tzinfo=local_zone()) if timezone.is_naive(moment) else moment


def _roster_post(request: HttpRequest, user: User, centre: Any) -> None:
    action = request.POST.get("action", "")
    if action == "seat":
        services.add_seat(centre, request.POST.get("number", ""), acting_user=user)
        messages.success(request, _("已添加坐席。"))
    elif action == "shift":
        seat = Seat.objects.filter(centre=centre, pk=request.POST.get("seat") or 0).first()
        staff = User.objects.filter(pk=request.POST.get("staff") or 0).first()
        if seat is None or staff is None:
            raise InvalidInput(_("请选择坐席和值班人员。"), code="required", field="seat")
        start = _local(request.POST.get("start", ""), "start")
        end = _local(request.POST.get("end", ""), "end")
        services.add_shift(seat, staff, start, end, acting_user=user)
        messages.success(request, _("已添加排班。"))
    elif action == "remove":
        shift = selectors.managed_shift(user, int(request.POST.get("shift") or 0))
        services.remove_shift(shift, acting_user=user)
        messages.success(request, _("已删除排班。"))


@staff_view(*SUPERVISOR_ROLES)
def roster(request: HttpRequest, centre_id: int) -> HttpResponse:
    user = acting_user(request)
    centre = selectors.managed_centre(user, centre_id)
    error, status = "", 200
    if request.method == "POST":
        try:
            _roster_post(request, user, centre)
            return redirect("hotline:roster", centre_id=centre.pk)
        except DomainError as exc:
            error, status = exc.message, exc.status
    start, end = week_from_today()
    staff = User.objects.filter(
        role__in=services.SHIFT_ROLES, region__path__startswith=centre.region.path, is_active=True
    ).order_by("role", "full_name")
    return render(
        request,
        "hotline/roster.html",
        {
            "centre": centre,
            "seats": Seat.objects.filter(centre=centre),
            "staff": staff,
            "shifts": selectors.shifts_for_user(user).filter(
                seat__centre=centre, start__lt=end, end__gt=start
            ),
            "gaps": services.coverage_gaps(centre, start),
            "error": error,
            "values": request.POST,
        },
        status=status,
    )


@staff_view(*SUPERVISOR_ROLES)
def reviews(request: HttpRequest, centre_id: int) -> HttpResponse:
    user = acting_user(request)
    centre = selectors.managed_centre(user, centre_id)
    month = _month(request)
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "draw":
                made = services.draw_reviews(centre, month, acting_user=user)
                messages.success(
                    request,
                    ngettext("已抽取 %(n)s 个来电。", "已抽取 %(n)s 个来电。", len(made))
                    % {"n": len(made)},
                )
            else:
                review = selectors.managed_review(user, int(request.POST.get("review") or 0))
                services.score_review(
                    review,
                    dict(request.POST.items()),
                    request.POST.get("comment", ""),
                    acting_user=user,
                )
                messages.success(request, _("已保存考评。"))
            return redirect(f"{request.path}?month={month}")
        except DomainError as exc:
            error, status = exc.message, exc.status
    policy = hotline_policy(centre.region)
    return render(
        request,
        "hotline/reviews.html",
        {
            "centre": centre,
            "month": month,
            "policy": policy,
            "reviews": selectors.reviews_for_user(user).filter(call__centre=centre, month=month),
            "error": error,
        },
        status=status,
    )
