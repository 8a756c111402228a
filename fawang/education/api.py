"""Legal-education API: the public published content; staff drafting and review, activities,
legal-culture sites and their village coverage."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from fawang.core.web import acting_user
from fawang.education import selectors, services
from fawang.education.models import EducationContent

router = Router(tags=["普法宣传"])
TEXT = 20_000


class StatuteOut(Schema):
    law: str
    article: int


class ContentOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    question: str
    body: str
    groups: list[str]
    topics: list[str]
    statutes: list[StatuteOut]
    video_url: str
    video_minutes: int | None
    video_source: str
    region: str
    published_at: datetime | None

    @staticmethod
    def resolve_region(obj: EducationContent) -> str:
        return obj.region.code


class StaffContentOut(ContentOut):
    status: str
    review_note: str


class ContentIn(Schema):
    kind: str = Field(..., max_length=10)
    title: str = Field(..., max_length=TEXT)
    body: str = Field(..., max_length=TEXT)
    groups: list[str]
    topics: list[str]
    summary: str = Field("", max_length=TEXT)
    question: str = Field("", max_length=TEXT)
    statutes: list[str] = []
    video_url: str = Field("", max_length=TEXT)
    video_minutes: int | None = None
    video_source: str = Field("", max_length=TEXT)


class NoteIn(Schema):
    note: str = Field("", max_length=TEXT)


class ActivityIn(Schema):
    kind: str = Field(..., max_length=20)
    title: str = Field(..., max_length=TEXT)
    organiser: str = Field(..., max_length=TEXT)
    region_code: str = Field(..., max_length=12)
    held_on: date
    audience: int
    groups: list[str]
    topics: list[str] = []
    campaign: str = Field("", max_length=20)
    site_id: int | None = None
    department_id: int | None = None


class ActivityOut(Schema):
    id: int
    kind: str
    campaign: str
    title: str
    organiser: str
    region: str
    held_on: date
    audience: int
    groups: list[str]

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return str(obj.region.code)


class CoverageRowOut(Schema):
    code: str
    name: str
    villages: int
    covered: int
    percent: float


class CoverageOut(Schema):
    total: CoverageRowOut
    rows: list[CoverageRowOut]
    uncovered: list[str]


@router.get("/education/content", response=list[ContentOut], auth=None)
def public_content(
    request: HttpRequest, group: str = "", topic: str = "", kind: str = "", q: str = ""
) -> Any:
    return list(
        selectors.published_content(
            group=group[:20], topic=topic[:30], kind=kind[:10], search=q[:50]
        )[:100]
    )


@router.get("/education/content/{pk}", response=ContentOut, auth=None)
def public_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.get_published(pk)


@router.post("/education/drafts", response={201: StaffContentOut})
def draft(request: HttpRequest, payload: ContentIn) -> Any:
    content = services.create_content(
        services.ContentIn(**payload.dict()), acting_user=acting_user(request)
    )
    return HttpStatus(201, content)


@router.get("/education/drafts/{pk}", response=StaffContentOut)
def staff_detail(request: HttpRequest, pk: int) -> Any:
    return selectors.get_content_for_user(acting_user(request), pk)


@router.post("/education/drafts/{pk}/submit", response=StaffContentOut)
def submit(request: HttpRequest, pk: int) -> Any:
    user = acting_user(request)
    return services.submit_content(selectors.get_content_for_user(user, pk), acting_user=user)


@router.post("/education/drafts/{pk}/publish", response=StaffContentOut)
def publish(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    user = acting_user(request)
    content = selectors.get_content_for_user(user, pk)
    return services.publish_content(content, payload.note, acting_user=user)


@router.post("/education/drafts/{pk}/return", response=StaffContentOut)
def return_draft(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    user = acting_user(request)
    content = selectors.get_content_for_user(user, pk)
    return services.return_content(content, payload.note, acting_user=user)


@router.post("/education/activities", response={201: ActivityOut})
def record_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    activity = services.record_activity(
        services.ActivityIn(**payload.dict()), acting_user=acting_user(request)
    )
    return HttpStatus(201, activity)


@router.get("/education/activities", response=list[ActivityOut])
def activities(request: HttpRequest) -> Any:
    return list(selectors.activities_for_user(acting_user(request))[:500])


def _row(row: selectors.CoverageRow) -> dict[str, Any]:
    return {
        "code": row.region.code,
        "name": row.region.name,
        "villages": row.villages,
        "covered": row.covered,
        "percent": row.percent,
    }


@router.get("/education/site-coverage", response=CoverageOut)
def coverage(request: HttpRequest, region: str = "") -> Any:
    """法治文化阵地 coverage of the villages under a region of the user's scope (SJZ-05)."""
    user = acting_user(request)
    root = selectors.coverage_root(user, region[:12])
    total, rows, uncovered = selectors.site_coverage(root)
    return {
        "total": _row(total),
        "rows": [_row(r) for r in rows],
        "uncovered": [v.code for v in uncovered],
    }
