"""The arbitration page: the bureau's supervision (figures, flags to review, the backlog) and, for
a commission's clerk, the same figures of its own commission with case registration."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fawang.arbitration import selectors, services
from fawang.arbitration.models import FlagStatus, Outcome
from fawang.arbitration.rules import LABELS
from fawang.core.errors import DomainError, InvalidInput
from fawang.core.models import SUPERVISOR_ROLES, Role
from fawang.core.web import acting_user, staff_view

READERS = (*SUPERVISOR_ROLES, Role.ARBITRATION_CLERK)


def _page(
    request: HttpRequest, error: str = "", status: int = 200, form: Any = None
) -> HttpResponse:
    user = acting_user(request)
    cases = selectors.cases_for_user(user)
    figures = services.figures(cases)
    flags = selectors.flags_for_user(user).filter(status=FlagStatus.OPEN)
    reviewed = selectors.flags_for_user(user).exclude(status=FlagStatus.OPEN)[:50]
    backlog = [c for c in cases if services.is_backlog(c)]
    is_clerk = user.role == Role.ARBITRATION_CLERK
    return render(
        request,
        "arbitration/supervision.html",
        {
            "figures": figures,
            "hit_rates": [(_(LABELS[k]), v) for k, v in figures.hit_rate.items()],
            "flags": [(f, _(LABELS.get(f.rule, f.rule))) for f in flags],
            "reviewed": [(f, _(LABELS.get(f.rule, f.rule))) for f in reviewed],
            "backlog": backlog,
            "is_clerk": is_clerk,
            "commission": user.institution if is_clerk else None,
            "cases": list(cases[:50]) if is_clerk else [],
            "outcomes": [(v, label) for v, label in Outcome.choices if v],
            "form": form or {},
            "error": error,
        },
        status=status,
    )


@staff_view(*READERS)
def supervision(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_view(*SUPERVISOR_ROLES)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    flag = selectors.get_flag_for_user(user, pk)
    if request.method != "POST":
        return redirect("arbitration:supervision")
    try:
        services.review_flag(
            flag, request.POST.get("decision", ""), request.POST.get("note", ""), acting_user=user
        )
    except DomainError as exc:
        return _page(request, exc.message, 400)
    return redirect("arbitration:supervision")


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("请填写正确的日期。"), code="bad_date", field=field) from None


@staff_view(Role.ARBITRATION_CLERK)
def register(request: HttpRequest) -> HttpResponse:
    """The clerk registers a case of its own commission (the form keeps what was typed)."""
    user = acting_user(request)
    if request.method != "POST":
        return redirect("arbitration:supervision")
    post = request.POST
    try:
        services.register_case(
            services.CaseIn(
                commission_id=user.institution_id or -1,
                case_number=post.get("case_number", ""),
                claimant=post.get("claimant", ""),
                respondent=post.get("respondent", ""),
                claims=post.get("claims", ""),
                amount=post.get("amount", ""),
                filed_on=_date(post.get("filed_on", ""), "filed_on"),
                claimant_agent=post.get("claimant_agent", ""),
                respondent_agent=post.get("respondent_agent", ""),
                arbitrators=[
                    a for a in re.split(r"[、,，]", post.get("arbitrators", "")) if a.strip()
                ],
                contested=post.get("contested") == "1",
            ),
            acting_user=user,
        )
    except DomainError as exc:
        return _page(request, exc.message, 400, form=post)
    return redirect("arbitration:supervision")


@staff_view(Role.ARBITRATION_CLERK)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.get_case_for_user(user, pk)
    if request.method != "POST":
        return redirect("arbitration:supervision")
    try:
        services.record_outcome(
            case,
            request.POST.get("outcome", ""),
            _date(request.POST.get("closed_on", ""), "closed_on"),
            acting_user=user,
        )
    except DomainError as exc:
        return _page(request, exc.message, 400)
    return redirect("arbitration:supervision")
