"""The bureau's arbitration supervision page: figures, flags to review, the backlog."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fawang.arbitration import selectors, services
from fawang.arbitration.models import FlagStatus
from fawang.arbitration.rules import LABELS
from fawang.core.errors import DomainError
from fawang.core.models import SUPERVISOR_ROLES
from fawang.core.web import acting_user, staff_view


def _page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    user = acting_user(request)
    cases = selectors.cases_for_user(user)
    figures = services.figures(cases)
    flags = selectors.flags_for_user(user).filter(status=FlagStatus.OPEN)
    reviewed = selectors.flags_for_user(user).exclude(status=FlagStatus.OPEN)[:50]
    backlog = [c for c in cases if services.is_backlog(c)]
    return render(
        request,
        "arbitration/supervision.html",
        {
            "figures": figures,
            "hit_rates": [(LABELS[k], v) for k, v in figures.hit_rate.items()],
            "flags": [(f, LABELS.get(f.rule, f.rule)) for f in flags],
            "reviewed": [(f, LABELS.get(f.rule, f.rule)) for f in reviewed],
            "backlog": backlog,
            "error": error,
        },
        status=status,
    )


@staff_view(*SUPERVISOR_ROLES)
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
