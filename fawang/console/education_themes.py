"""The hot-word link (热词 → 普法主题): the quarter's rising consultation topics suggested as
education themes for the regions where they rise.

Consult owns the hot words and education owns the themes; a business line may not import
another, so the page that combines them lives here, in the console face, which may import both.
Each region below the user's (a city's districts, a district's townships; a township itself) gets
the topics whose share of its requests rose by at least the pack's ``theme_min_rise_points``
against the quarter before; a bureau adopts one as the region's theme for the quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fawang.consult.hotword_report import quarter_bounds
from fawang.consult.hotwords import MIN_COUNT_TO_RISE, hot_words
from fawang.core.errors import DomainError, NotFound
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel, User
from fawang.core.taxonomy import Topic
from fawang.core.web import acting_user, staff_view
from fawang.education import selectors as education_selectors
from fawang.education import services as education_services
from fawang.education.policy import education_policy


@dataclass
class Suggestion:
    region: Region
    topic: str
    label: str
    count: int
    change: float  # percentage points against the quarter before
    published: int  # published education content on the topic serving the region
    adopted: bool


def _regions(user: User) -> list[Region]:
    if user.region is None:
        return []
    if user.region.level in {RegionLevel.CITY, RegionLevel.DISTRICT}:
        return list(Region.objects.filter(parent=user.region).order_by("code"))
    return [user.region]


def suggestions(user: User, year: int, quarter: int) -> list[Suggestion]:
    """Rising topics per region for the quarter, most rising first within a region."""
    start, end = quarter_bounds(year, quarter)
    codes = {str(label): code for code, label in Topic.choices}
    adopted = set(
        education_selectors.themes_for_user(user)
        .filter(year=year, quarter=quarter)
        .values_list("region_id", "topic")
    )
    found: list[Suggestion] = []
    for region in _regions(user):
        threshold = education_policy(region).theme_min_rise_points
        report = hot_words(user, region, start, end, top=1)
        rising = [
            row for row in report.topic_mix if row[3] >= threshold and row[1] >= MIN_COUNT_TO_RISE
        ]
        for label, count, _share, change in sorted(rising, key=lambda row: -row[3]):
            topic = codes.get(label)
            if topic is None:
                continue
            found.append(
                Suggestion(
                    region=region,
                    topic=topic,
                    label=label,
                    count=count,
                    change=change,
                    published=education_selectors.published_for_topic(topic, region),
                    adopted=(region.pk, topic) in adopted,
                )
            )
    return found


def _period(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    raw_year, raw_quarter = request.GET.get("year", ""), request.GET.get("quarter", "")
    if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100:
        year = int(raw_year)
    if raw_quarter in {"1", "2", "3", "4"}:
        quarter = int(raw_quarter)
    return year, quarter


@staff_view(*SUPERVISOR_ROLES)
def education_themes(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    year, quarter = _period(request)
    error = ""
    if request.method == "POST":
        try:
            education_services.adopt_theme(
                request.POST.get("region", ""),
                request.POST.get("topic", ""),
                year,
                quarter,
                request.POST.get("reason", ""),
                acting_user=user,
            )
        except NotFound:  # outside the scope: a 404, not a form error
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(f"{request.path}?year={year}&quarter={quarter}")
    context: dict[str, Any] = {
        "year": year,
        "quarter": quarter,
        "quarters": (1, 2, 3, 4),
        "suggestions": suggestions(user, year, quarter),
        "themes": education_selectors.themes_for_user(user).filter(year=year, quarter=quarter),
        "error": error,
    }
    return render(request, "console/education_themes.html", context, status=400 if error else 200)
