"""The bureau's pages: dashboard per region, reports, reported values, action plans, targets."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fawang.core.errors import DomainError, InvalidInput, NotFound
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel, Role, User
from fawang.core.periods import page_year
from fawang.core.replica import reads_replica
from fawang.core.selectors import NOT_FOUND_MESSAGE
from fawang.core.web import acting_user, staff_view, submit
from fawang.indicators import selectors, services
from fawang.indicators.board import build_board, fmt, parse_period, report_for
from fawang.indicators.forms import ProgressForm, ReportValueForm, ReviewForm, TargetForm
from fawang.indicators.models import (
    IndicatorSource,
    ReportStatus,
)
from fawang.indicators.render import excel_bytes, pdf_bytes, title_of

SUPERVISORS = tuple(SUPERVISOR_ROLES)


def _year(request: HttpRequest) -> int:
    return page_year(request.GET.get("year"))


def _lineage(region: Region, root: Region) -> list[Region]:
    chain: list[Region] = []
    node: Region | None = region
    while node is not None and root.contains(node):
        chain.insert(0, node)
        node = node.parent
    return chain


@staff_view(*SUPERVISORS)
@reads_replica
def board_home(request: HttpRequest) -> HttpResponse:
    return redirect("indicators:board", code=selectors.home_region(acting_user(request)).code)


@staff_view(*SUPERVISORS)
@reads_replica
def board(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    region = selectors.get_region_for_user(user, code)
    year = _year(request)
    today = timezone.localdate()
    end = min(today, date(year, 12, 31))
    data = build_board(region, date(year, 1, 1), end)
    months = [f"{m}月" for m in range(1, (end.month if end.year == year else 12) + 1)]
    chart = {
        str(row.indicator.pk): {
            "name": row.indicator.name,
            "months": months,
            "trend": row.trend,
            "target": row.value.target,
            "children": [c.name for c, _, _ in row.children],
            "child_values": [v.value for _, v, _ in row.children],
        }
        for row in data.rows
    }
    computed_rows = [row for row in data.rows if row.indicator.source == IndicatorSource.COMPUTED]
    matrix = [
        (child, [(row.children[n][1].value, row.children[n][2]) for row in computed_rows])
        for n, child in enumerate(data.children)
    ]
    drillable = region.level in {RegionLevel.CITY, RegionLevel.DISTRICT}
    return render(
        request,
        "indicators/board.html",
        {
            "board": data,
            "region": region,
            "year": year,
            "chart": chart,
            "fmt": fmt,
            "lineage": _lineage(region, selectors.home_region(user)),
            "drillable": drillable,
            "years": range(today.year - 2, today.year + 1),
            "computed": IndicatorSource.COMPUTED,
            "computed_rows": computed_rows,
            "matrix": matrix,
        },
    )


def _period(request: HttpRequest) -> tuple[str, int, int]:
    """``?period=2026`` (a year) or ``?period=2026Q3`` (a quarter)."""
    try:
        return parse_period(request.GET.get("period", str(timezone.localdate().year)))
    except InvalidInput:
        raise NotFound(NOT_FOUND_MESSAGE) from None


@staff_view(*SUPERVISORS)
@reads_replica
def report(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.get_region_for_user(acting_user(request), code)
    kind, year, quarter = _period(request)
    data, generated_at = report_for(region, kind, year, quarter)
    name = f"indicators-{region.code}-{year}{f'Q{quarter}' if quarter else ''}"
    output = request.GET.get("format", "html")
    if output == "pdf":
        response = HttpResponse(pdf_bytes(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if output == "xlsx":
        response = HttpResponse(
            excel_bytes(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return render(
        request,
        "indicators/report.html",
        {
            "data": data,
            "title": title_of(data),
            "region": region,
            "generated_at": generated_at,
            "period": request.GET.get("period", str(year)),
            "fmt": fmt,
        },
    )


def _region_choices(user: User) -> list[tuple[str, str]]:
    root = selectors.home_region(user)
    regions = [root, *root.children.order_by("code")]
    return [(r.code, r.name) for r in regions]


@staff_view(*SUPERVISORS)
def reported_values(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    root = selectors.home_region(user)
    indicators = selectors.pack_for(root)
    queryset = (
        indicators.indicators.filter(source=IndicatorSource.REPORTED)
        if indicators
        else selectors.Indicator.objects.none()
    )
    form = ReportValueForm(
        request.POST or None,
        indicators=queryset,
        regions=_region_choices(user),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST":
        done = submit(
            form,
            lambda data: services.report_value(
                data["indicator"],
                acting_user=user,
                region=selectors.get_region_for_user(user, data["region"]),
                year=data["year"],
                value=data["value"],
                note=data["note"],
            ),
        )
        if done.ok:
            messages.success(request, "已提交，待上一级审核后显示。")
            return redirect("indicators:reported")
    reports = selectors.reported_values_for_user(user)[:200]
    return render(
        request,
        "indicators/reported.html",
        {
            "form": form,
            "reports": reports,
            "pending": ReportStatus.PENDING,
            "review_form": ReviewForm(),
        },
    )


@staff_view(*SUPERVISORS, Role.SYSTEM_ADMIN)
@require_POST
def review(request: HttpRequest, report_id: int) -> HttpResponse:
    user = acting_user(request)
    report = selectors.get_reported_value_for_user(user, report_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_value(
                report,
                acting_user=user,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "已审核。")
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("indicators:reported")


@staff_view(*SUPERVISORS)
def plan_items(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    items = selectors.items_for_user(user).order_by("plan", "position")
    return render(
        request,
        "indicators/plans.html",
        {
            "items": items,
            "today": timezone.localdate(),
            "root": selectors.home_region(user),
        },
    )


@staff_view(*SUPERVISORS)
def plan_item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = acting_user(request)
    item = selectors.get_item_for_user(user, item_id)
    form = ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = submit(
            form,
            lambda data: services.report_progress(
                item,
                acting_user=user,
                percent=data["percent"],
                text=data["text"],
                attachment=data["attachment"],
            ),
        )
        if done.ok:
            messages.success(request, "进展已报送。")
            return redirect("indicators:plan_item", item_id=item.pk)
    return render(
        request,
        "indicators/plan_item.html",
        {
            "item": item,
            "form": form,
            "progress": item.progress.select_related("reported_by"),
            "may_report": user.region is not None and user.region.contains(item.region),
        },
    )


@staff_view(*SUPERVISORS, Role.SYSTEM_ADMIN)
def definitions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    pack = selectors.pack_for_user(user)
    return render(
        request,
        "indicators/definitions.html",
        {
            "pack": pack,
            "indicators": pack.indicators.all() if pack else [],
            "may_edit": user.role == Role.SYSTEM_ADMIN,
        },
    )


@staff_view(Role.SYSTEM_ADMIN)
def edit_target(request: HttpRequest, indicator_id: int) -> HttpResponse:
    user = acting_user(request)
    indicator = selectors.get_indicator_for_user(user, indicator_id)
    initial: dict[str, Any] = {
        "target": indicator.target,
        "milestones": "\n".join(f"{y}={v}" for y, v in indicator.milestones.items()),
    }
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        done = submit(
            form,
            lambda data: services.edit_target(
                indicator, acting_user=user, target=data["target"], milestones=data["milestones"]
            ),
        )
        if done.ok:
            messages.success(request, "目标值已修改（已记入审计日志）。")
            return redirect("indicators:definitions")
    return render(request, "indicators/edit_target.html", {"indicator": indicator, "form": form})
