"""The holiday schedule page: a system administrator enters the State Council's notice for a
year the packaged calendar does not know yet (policy.holidays), so deadlines in working days
count that year's holidays and weekend workdays."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.console.forms import HolidayScheduleForm
from fawang.core.models import Role
from fawang.core.web import acting_user, staff_view, submit
from fawang.policy import holidays as policy_holidays


def _covered_years(this_year: int) -> list[int]:
    return [y for y in range(this_year - 1, this_year + 3) if policy_holidays.package_covers(y)]


@staff_view(Role.SYSTEM_ADMIN)
def holiday_schedules(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    this_year = timezone.localdate().year
    form = HolidayScheduleForm(request.POST or None, initial={"year": this_year + 1})
    if request.method == "POST":
        done = submit(
            form,
            lambda data: policy_holidays.enter_holiday_schedule(
                acting_user=user,
                year=data["year"],
                rest_days=data["rest_days"],
                work_days=data["work_days"],
                source=data["source"],
            ),
        )
        if done.ok:
            messages.success(
                request, _("%(year)s 年节假日安排已保存。") % {"year": done.value.year}
            )
            return redirect("console:holidays")
    context = {
        "form": form,
        "schedules": policy_holidays.schedules(),
        "covered": _covered_years(this_year),
        "missing": policy_holidays.missing_years([this_year, this_year + 1]),
    }
    return render(request, "console/holidays.html", context, status=400 if form.errors else 200)
