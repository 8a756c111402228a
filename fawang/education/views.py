"""Pages: the public 普法园地 (published content by group, topic and kind, with read-aloud in
elder mode); the console's content workbench with review, activities, legal-culture sites with
village coverage, 民主法治示范村 and the "谁执法谁普法" lists."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fawang.core.errors import DomainError, NotFound
from fawang.core.models import SUPERVISOR_ROLES, Region, RegionLevel, User
from fawang.core.periods import page_year
from fawang.core.taxonomy import Topic
from fawang.core.web import acting_user, page_of, staff_view
from fawang.education import selectors, services
from fawang.education.models import (
    ActivityKind,
    Campaign,
    ContentKind,
    ContentStatus,
    LegalCultureSiteKind,
    ModelVillageLevel,
    TargetGroup,
)
from fawang.education.services.common import REVIEWER_ROLES

PAGE_SIZE = 20
MAX_REGION_OPTIONS = 800


def _choices_context() -> dict[str, Any]:
    return {
        "groups": TargetGroup.choices,
        "topics": Topic.choices,
        "kinds": ContentKind.choices,
    }


# --- public ----------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("group", "")
    topic = request.GET.get("topic", "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:50]
    group = group if group in TargetGroup.values else ""
    topic = topic if topic in Topic.values else ""
    kind = kind if kind in ContentKind.values else ""
    items = selectors.published_content(group=group, topic=topic, kind=kind, search=q)
    return render(
        request,
        "education/public_list.html",
        {
            "page": page_of(request, items, PAGE_SIZE),
            "group": group,
            "topic": topic,
            "kind": kind,
            "q": q,
            **_choices_context(),
        },
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "education/public_detail.html", {"c": selectors.get_published(pk)})


# --- content workbench --------------------------------------------------------------------------


@staff_view(*SUPERVISOR_ROLES)
def workbench(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    status = request.GET.get("status", "")
    qs = selectors.content_for_user(user)
    waiting = (
        list(qs.filter(status=ContentStatus.SUBMITTED).exclude(author=user)[:50])
        if user.role in REVIEWER_ROLES
        else []
    )
    if status in ContentStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "education/workbench.html",
        {
            "page": page_of(request, qs, PAGE_SIZE),
            "waiting": waiting,
            "mine": selectors.content_for_user(user).filter(author=user)[:50],
            "statuses": ContentStatus.choices,
            "status": status,
        },
    )


def _content_in(post: Any) -> services.ContentIn:
    return services.ContentIn(
        kind=post.get("kind", ""),
        title=post.get("title", ""),
        body=post.get("body", ""),
        groups=post.getlist("groups"),
        topics=post.getlist("topics"),
        summary=post.get("summary", ""),
        question=post.get("question", ""),
        statutes=post.get("statutes", ""),
        video_url=post.get("video_url", ""),
        video_minutes=post.get("video_minutes", ""),
        video_source=post.get("video_source", ""),
    )


def _form_values(content: Any) -> dict[str, Any]:
    return {
        "kind": content.kind,
        "title": content.title,
        "summary": content.summary,
        "question": content.question,
        "body": content.body,
        "groups": content.groups,
        "topics": content.topics,
        "statutes": "\n".join(f"{s['law']}第{s['article']}条" for s in content.statutes),
        "video_url": content.video_url,
        "video_minutes": content.video_minutes or "",
        "video_source": content.video_source,
    }


def _posted_values(post: Any) -> dict[str, Any]:
    values = {k: post.get(k, "") for k in post}
    values["groups"] = post.getlist("groups")
    values["topics"] = post.getlist("topics")
    return values


@staff_view(*SUPERVISOR_ROLES)
def content_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    content = selectors.get_content_for_user(user, pk) if pk else None
    values: dict[str, Any] = _form_values(content) if content else {"groups": [], "topics": []}
    error, field = "", ""
    if request.method == "POST":
        values = _posted_values(request.POST)
        try:
            if content is None:
                content = services.create_content(_content_in(request.POST), acting_user=user)
            else:
                services.update_content(content, _content_in(request.POST), acting_user=user)
        except NotFound:  # outside the scope: a 404, not a form error
            raise
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
        else:
            return redirect("education:content", content.pk)
    return render(
        request,
        "education/content_form.html",
        {"values": values, "error": error, "field": field, "content": content,
         **_choices_context()},
        status=400 if error else 200,
    )  # fmt: skip


@staff_view(*SUPERVISOR_ROLES)
def content_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    content = selectors.get_content_for_user(user, pk)
    error = ""
    if request.method == "POST":
        action, note = request.POST.get("action", ""), request.POST.get("note", "")
        verbs = {
            "submit": lambda: services.submit_content(content, acting_user=user),
            "publish": lambda: services.publish_content(content, note, acting_user=user),
            "return": lambda: services.return_content(content, note, acting_user=user),
            "withdraw": lambda: services.withdraw_content(content, note, acting_user=user),
        }
        try:
            if action not in verbs:
                error = "未知的操作。"
            else:
                verbs[action]()
        except NotFound:  # outside the scope: a 404, not a form error
            raise
        except DomainError as exc:
            error = exc.message
        if not error:
            return redirect("education:content", content.pk)
        content = selectors.get_content_for_user(user, pk)
    return render(
        request,
        "education/content_detail.html",
        {
            "c": content,
            "error": error,
            "is_author": content.author_id == user.pk,
            "can_review": user.role in REVIEWER_ROLES and content.author_id != user.pk,
        },
        status=400 if error else 200,
    )


# --- activities, sites, model villages ---------------------------------------------------------


def _regions_under(user: User, *, villages_only: bool) -> list[Region]:
    """The regions offered in a form: villages (for sites and model villages) or any region
    down to villages under the user's region (for activities); at most MAX_REGION_OPTIONS."""
    if user.region is None:
        return []
    qs = Region.objects.filter(path__startswith=user.region.path).select_related("parent")
    if villages_only:
        qs = qs.filter(level=RegionLevel.VILLAGE)
    elif user.region.level in {RegionLevel.CITY, RegionLevel.DISTRICT}:
        qs = qs.exclude(level=RegionLevel.VILLAGE)
    return list(qs.order_by("path")[:MAX_REGION_OPTIONS])


def _post_or_error(request: HttpRequest, action: Any) -> tuple[str, dict[str, Any]]:
    values: dict[str, Any] = {k: request.POST.get(k, "") for k in request.POST}
    values["groups"] = request.POST.getlist("groups")
    values["topics"] = request.POST.getlist("topics")
    try:
        action(request.POST)
    except NotFound:  # outside the scope: a 404, not a form error
        raise
    except DomainError as exc:
        return exc.message, values
    return "", {}


@staff_view(*SUPERVISOR_ROLES)
def grassroots(request: HttpRequest) -> HttpResponse:
    """普法活动: record one, list those of the region."""
    user = acting_user(request)
    error, values = "", dict[str, Any]()
    if request.method == "POST":
        error, values = _post_or_error(
            request,
            lambda post: services.record_activity(
                services.ActivityIn(
                    kind=post.get("kind", ""),
                    title=post.get("title", ""),
                    organiser=post.get("organiser", ""),
                    region_code=post.get("region_code", ""),
                    held_on=post.get("held_on", ""),
                    audience=post.get("audience", ""),
                    groups=post.getlist("groups"),
                    topics=post.getlist("topics"),
                    campaign=post.get("campaign", ""),
                    site_id=post.get("site_id", ""),
                    department_id=post.get("department_id", ""),
                ),
                acting_user=user,
            ),
        )
        if not error:
            return redirect("education:grassroots")
    return render(
        request,
        "education/grassroots.html",
        {
            "page": page_of(request, selectors.activities_for_user(user), PAGE_SIZE),
            "error": error,
            "values": values,
            "regions": _regions_under(user, villages_only=False),
            "sites": selectors.sites_for_user(user).filter(closed_on__isnull=True)[:300],
            "departments": selectors.lists_reportable_by(user, timezone.localdate().year),
            "activity_kinds": ActivityKind.choices,
            "campaigns": Campaign.choices,
            **_choices_context(),
        },
        status=400 if error else 200,
    )


@staff_view(*SUPERVISOR_ROLES)
def sites(request: HttpRequest) -> HttpResponse:
    """法治文化阵地 and 民主法治示范村: register, and the coverage of the villages (SJZ-05, SJZ-06)."""
    user = acting_user(request)
    error, values = "", dict[str, Any]()
    if request.method == "POST":
        if request.POST.get("action") == "model_village":
            error, values = _post_or_error(
                request,
                lambda post: services.record_model_village(
                    post.get("village_code", ""),
                    post.get("level", ""),
                    post.get("designated_on", ""),
                    post.get("batch", ""),
                    acting_user=user,
                ),
            )
        else:
            error, values = _post_or_error(
                request,
                lambda post: services.register_site(
                    services.SiteIn(
                        name=post.get("name", ""),
                        kind=post.get("kind", ""),
                        region_code=post.get("region_code", ""),
                        opened_on=post.get("opened_on", ""),
                        address=post.get("address", ""),
                        mountain_feature=post.get("mountain_feature") == "1",
                    ),
                    acting_user=user,
                ),
            )
        if not error:
            return redirect("education:sites")
    root = selectors.coverage_root(user, request.GET.get("region", "")[:12])
    total, rows, uncovered = selectors.site_coverage(root)
    return render(
        request,
        "education/sites.html",
        {
            "root": root,
            "total": total,
            "rows": rows,
            "uncovered": uncovered,
            "sites": selectors.sites_for_user(user)[:300],
            "model_villages": selectors.model_villages_for_user(user)[:300],
            "model_rows": selectors.model_villages_by_district(root, timezone.localdate()),
            "coverage_target": selectors.indicator_target(root, selectors.COVERAGE_INDICATOR),
            "villages": _regions_under(user, villages_only=True),
            "site_kinds": LegalCultureSiteKind.choices,
            "levels": ModelVillageLevel.choices,
            "error": error,
            "values": values,
        },
        status=400 if error else 200,
    )


# --- 谁执法谁普法 ---------------------------------------------------------------------------------


@staff_view(*SUPERVISOR_ROLES)
def responsibility(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    year = page_year(request.GET.get("year"))
    error, values = "", dict[str, Any]()
    if request.method == "POST":
        if request.POST.get("action") == "assess":
            raw = request.POST.get("list", "")
            error, values = _post_or_error(
                request,
                lambda post: services.assess(
                    selectors.get_list_for_user(user, int(raw) if raw.isdigit() else 0),
                    post.get("score", ""),
                    post.get("method", ""),
                    post.get("note", ""),
                    acting_user=user,
                ),
            )
        else:
            error, values = _post_or_error(
                request,
                lambda post: services.create_list(
                    post.get("department", ""),
                    post.get("region_code", ""),
                    post.get("year", ""),
                    post.get("duties", ""),
                    acting_user=user,
                ),
            )
        if not error:
            return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "education/responsibility.html",
        {
            "rows": selectors.responsibility_rows(user, year),
            "year": year,
            "error": error,
            "values": values,
            "regions": _regions_under(user, villages_only=False)[:100],
            "can_assess": user.role in REVIEWER_ROLES,
        },
        status=400 if error else 200,
    )
