"""Content (普法内容): an author writes a draft and submits it; a bureau reviewer other than the
author publishes it or returns it with a note; a reviewer may withdraw published content. Only
published content is public."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.education.models import (
    CONTENT_TRANSITIONS,
    ContentKind,
    ContentStatus,
    EducationContent,
)
from fawang.education.services.common import (
    clean_groups,
    clean_int,
    clean_statutes,
    clean_topics,
    is_education_staff,
    require_bureau_over,
)

MAX_BODY = 20000


@dataclass
class ContentIn:
    kind: str
    title: str
    body: str
    groups: Any
    topics: Any
    summary: str = ""
    question: str = ""
    statutes: Any = field(default_factory=list)
    video_url: str = ""
    video_minutes: Any = ""
    video_source: str = ""


def _cleaned(data: ContentIn) -> dict[str, Any]:
    kind = clean_choice(data.kind, ContentKind.values, "kind", "内容类别")
    values: dict[str, Any] = {
        "kind": kind,
        "title": clean_text(data.title, 120, "title", "标题"),
        "summary": clean_text(data.summary, 300, "summary", "摘要", required=False),
        "body": clean_text(
            data.body, MAX_BODY, "body", "答复" if kind == ContentKind.QA else "正文"
        ),
        "groups": clean_groups(data.groups),
        "topics": clean_topics(data.topics),
        "statutes": clean_statutes(data.statutes),
        "question": clean_text(
            data.question, 2000, "question", "问题", required=kind == ContentKind.QA
        ),
        "video_url": "",
        "video_minutes": None,
        "video_source": "",
    }
    if kind == ContentKind.VIDEO:
        url = clean_text(data.video_url, 200, "video_url", "视频地址")
        if not url.startswith("https://"):
            raise InvalidInput("视频地址应以 https:// 开头。", code="bad_url", field="video_url")
        values["video_url"] = url
        values["video_minutes"] = clean_int(
            data.video_minutes, "video_minutes", "视频时长（分钟）", least=1, most=600
        )
        values["video_source"] = clean_text(data.video_source, 100, "video_source", "视频来源")
    return values


def create_content(data: ContentIn, *, acting_user: User) -> EducationContent:
    """A draft in the author's own region (a 司法所 or a bureau writes for where it serves)."""
    if not is_education_staff(acting_user) or acting_user.region is None:
        raise PermissionDenied("只有司法行政机关的普法工作人员可以撰写普法内容。")
    values = _cleaned(data)
    with transaction.atomic():
        content = EducationContent.objects.create(
            **values, region=acting_user.region, author=acting_user
        )
        record_event(
            "education.content_drafted",
            actor=acting_user,
            obj=content,
            detail={"kind": content.kind, "title": content.title},
        )
    return content


def _require_author(content: EducationContent, user: User) -> None:
    if content.author_id != user.pk:
        raise PermissionDenied("只有作者本人可以修改或提交此内容。")


def _move(content: EducationContent, to: str) -> None:
    if to not in CONTENT_TRANSITIONS[content.status]:
        raise Conflict(
            f"内容当前为“{content.get_status_display()}”，不能进行此操作。", code="bad_state"
        )


def update_content(
    content: EducationContent, data: ContentIn, *, acting_user: User
) -> EducationContent:
    _require_author(content, acting_user)
    values = _cleaned(data)
    with transaction.atomic():
        content = lock(content)
        if content.status not in {ContentStatus.DRAFT, ContentStatus.RETURNED}:
            raise Conflict("只有草稿或退回修改的内容可以修改。", code="bad_state")
        for name, value in values.items():
            setattr(content, name, value)
        content.save()
        record_event("education.content_edited", actor=acting_user, obj=content)
    return content


def submit_content(content: EducationContent, *, acting_user: User) -> EducationContent:
    _require_author(content, acting_user)
    with transaction.atomic():
        content = lock(content)
        _move(content, ContentStatus.SUBMITTED)
        content.status = ContentStatus.SUBMITTED
        content.submitted_at = timezone.now()
        content.save(update_fields=["status", "submitted_at"])
        record_event("education.content_submitted", actor=acting_user, obj=content)
    return content


def _require_reviewer(content: EducationContent, user: User) -> None:
    require_bureau_over(user, content.region, "只有主管该地区的区、市司法局审核人员可以审核发布。")
    if content.author_id == user.pk:
        raise PermissionDenied("作者不能审核自己撰写的内容。", code="own_content")


def publish_content(
    content: EducationContent, note: str = "", *, acting_user: User
) -> EducationContent:
    """审核发布: the four-eyes rule — a bureau reviewer over the content's region, not the author."""
    _require_reviewer(content, acting_user)
    note = clean_text(note, 500, "note", "审核意见", required=False)
    with transaction.atomic():
        content = lock(content)
        _move(content, ContentStatus.PUBLISHED)
        content.status = ContentStatus.PUBLISHED
        content.reviewer = acting_user
        content.review_note = note
        content.published_at = timezone.now()
        content.save(update_fields=["status", "reviewer", "review_note", "published_at"])
        record_event("education.content_published", actor=acting_user, obj=content)
    return content


def return_content(content: EducationContent, note: str, *, acting_user: User) -> EducationContent:
    _require_reviewer(content, acting_user)
    note = clean_text(note, 500, "note", "退回理由")
    with transaction.atomic():
        content = lock(content)
        _move(content, ContentStatus.RETURNED)
        content.status = ContentStatus.RETURNED
        content.reviewer = acting_user
        content.review_note = note
        content.save(update_fields=["status", "reviewer", "review_note"])
        record_event(
            "education.content_returned", actor=acting_user, obj=content, detail={"note": note}
        )
    return content


def withdraw_content(
    content: EducationContent, reason: str, *, acting_user: User
) -> EducationContent:
    require_bureau_over(acting_user, content.region, "只有主管该地区的区、市司法局可以撤下内容。")
    reason = clean_text(reason, 500, "note", "撤下理由")
    with transaction.atomic():
        content = lock(content)
        _move(content, ContentStatus.WITHDRAWN)
        content.status = ContentStatus.WITHDRAWN
        content.review_note = reason
        content.save(update_fields=["status", "review_note"])
        record_event(
            "education.content_withdrawn",
            actor=acting_user,
            obj=content,
            detail={"reason": reason},
        )
    return content
