"""The verbs of the review workflow: create, revise, review, publish and retire an entry.

Each verb locks the entry row, checks the transition against ``models.KNOWLEDGE_TRANSITIONS``,
changes it and writes one audit event, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.consult.knowledge._common import (
    _UNCHANGED,
    KNOWLEDGE_FLOW,
    _detail,
    _lock_in_scope,
    _new_version,
    _next_number,
    _require_region,
    _require_role,
)
from fawang.consult.knowledge.content import (
    KnowledgeContent,
    clean_key,
    clean_region,
    clean_topic,
    validate_content,
)
from fawang.consult.models import KnowledgeEntry, KnowledgeSource, KnowledgeStatus, KnowledgeVersion
from fawang.consult.selectors import (
    KNOWLEDGE_EDITOR_ROLES,
    KNOWLEDGE_REVIEWER_ROLES,
    latest_version,
)
from fawang.consult.tasks import schedule_index_refresh
from fawang.core.errors import Conflict, PermissionDenied
from fawang.core.models import Region, User
from fawang.core.transitions import check_transition


def create_entry(
    *,
    key: str,
    topic: str,
    question: str,
    answer: str,
    keywords: Any,
    citations: Any,
    region: Region | str | None = None,
    acting_user: User,
    source: str = KnowledgeSource.EDITOR,
) -> KnowledgeEntry:
    """A new entry, in draft, with its first version."""
    _require_role(acting_user, KNOWLEDGE_EDITOR_ROLES, "新建")
    key = clean_key(key)
    topic = clean_topic(topic)
    region_obj = clean_region(region)
    _require_region(acting_user, region_obj)
    content = validate_content(
        question=question, answer=answer, keywords=keywords, citations=citations
    )
    with transaction.atomic():
        return _create(key, topic, region_obj, content, acting_user, source)


def _create(
    key: str,
    topic: str,
    region: Region | None,
    content: KnowledgeContent,
    acting_user: User,
    source: str,
) -> KnowledgeEntry:
    now = timezone.now()
    try:
        with transaction.atomic():
            entry = KnowledgeEntry.objects.create(
                key=key,
                topic=topic,
                region=region,
                status=KnowledgeStatus.DRAFT,
                author=acting_user,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        raise Conflict(f"编号“{key}”已被使用。", code="duplicate_key", field="key") from None
    version = _new_version(entry, content, author=acting_user, source=source, number=1)
    record_event(
        "knowledge.create",
        actor=acting_user,
        obj=entry,
        detail=_detail(entry, version, source=source),
    )
    return entry


def revise_entry(
    entry: KnowledgeEntry,
    *,
    question: str,
    answer: str,
    keywords: Any,
    citations: Any,
    topic: str | None = None,
    region: Any = _UNCHANGED,
    acting_user: User,
    source: str = KnowledgeSource.EDITOR,
) -> KnowledgeEntry:
    """A new draft version. A published entry stays visible to citizens in its published version
    until the revision is reviewed and published; a retired one stays hidden."""
    _require_role(acting_user, KNOWLEDGE_EDITOR_ROLES, "修改")
    topic_value = clean_topic(topic) if topic is not None else None
    region_obj = clean_region(region) if region is not _UNCHANGED else _UNCHANGED
    if region_obj is not _UNCHANGED:
        _require_region(acting_user, region_obj)
    content = validate_content(
        question=question, answer=answer, keywords=keywords, citations=citations
    )
    with transaction.atomic():
        return _revise(entry, content, topic_value, region_obj, acting_user, source)


def _revise(
    entry: KnowledgeEntry,
    content: KnowledgeContent,
    topic: str | None,
    region: Any,
    acting_user: User,
    source: str,
) -> KnowledgeEntry:
    entry = _lock_in_scope(entry, acting_user)
    to_status = check_transition(KNOWLEDGE_FLOW, entry.status, "revise")
    from_status = entry.status
    version = _new_version(
        entry, content, author=acting_user, source=source, number=_next_number(entry)
    )
    entry.status = to_status
    if topic is not None:
        entry.topic = topic
    if region is not _UNCHANGED:
        entry.region = region
    entry.reviewer = None
    entry.updated_at = timezone.now()
    entry.save(update_fields=["status", "topic", "region", "reviewer", "updated_at"])
    record_event(
        "knowledge.revise",
        actor=acting_user,
        obj=entry,
        detail=_detail(entry, version, from_status=from_status, source=source),
    )
    return entry


def _version_under_work(entry: KnowledgeEntry) -> KnowledgeVersion:
    version = latest_version(entry)
    if version is None:  # every entry is created with a version
        raise Conflict("条目没有任何版本。", code="bad_state")
    return version


def review_entry(entry: KnowledgeEntry, *, acting_user: User) -> KnowledgeEntry:
    """Approve the newest version; someone other than whoever wrote the entry must do it."""
    _require_role(acting_user, KNOWLEDGE_REVIEWER_ROLES, "审核")
    with transaction.atomic():
        entry = _lock_in_scope(entry, acting_user)
        to_status = check_transition(KNOWLEDGE_FLOW, entry.status, "review")
        version = _version_under_work(entry)
        if acting_user.pk in {entry.author_id, version.author_id}:
            raise PermissionDenied("审核人不能是作者。", code="own_entry")
        now = timezone.now()
        version.reviewed_by = acting_user
        version.reviewed_at = now
        version.save(update_fields=["reviewed_by", "reviewed_at"])
        entry.status = to_status
        entry.reviewer = acting_user
        entry.updated_at = now
        entry.save(update_fields=["status", "reviewer", "updated_at"])
        record_event(
            "knowledge.review", actor=acting_user, obj=entry, detail=_detail(entry, version)
        )
        return entry


def publish_entry(entry: KnowledgeEntry, *, acting_user: User) -> KnowledgeEntry:
    """Show the reviewed version to citizens in place of the one they saw before."""
    _require_role(acting_user, KNOWLEDGE_REVIEWER_ROLES, "发布")
    with transaction.atomic():
        entry = _lock_in_scope(entry, acting_user)
        to_status = check_transition(KNOWLEDGE_FLOW, entry.status, "publish")
        version = _version_under_work(entry)
        previous = entry.current_version_id
        now = timezone.now()
        version.published_at = now
        version.save(update_fields=["published_at"])
        entry.status = to_status
        entry.current_version = version
        entry.published_at = now
        entry.retired_at = None
        entry.updated_at = now
        entry.save(
            update_fields=["status", "current_version", "published_at", "retired_at", "updated_at"]
        )
        record_event(
            "knowledge.publish",
            actor=acting_user,
            obj=entry,
            detail=_detail(entry, version, replaced_version_id=previous),
        )
        schedule_index_refresh()
        return entry


def retire_entry(entry: KnowledgeEntry, *, acting_user: User, reason: str = "") -> KnowledgeEntry:
    """Take the entry off the public pages; its history stays."""
    _require_role(acting_user, KNOWLEDGE_REVIEWER_ROLES, "停用")
    reason = (reason or "").strip()[:500]
    with transaction.atomic():
        entry = _lock_in_scope(entry, acting_user)
        from_status = entry.status
        entry.status = check_transition(KNOWLEDGE_FLOW, entry.status, "retire")
        now = timezone.now()
        entry.retired_at = now
        entry.updated_at = now
        entry.save(update_fields=["status", "retired_at", "updated_at"])
        record_event(
            "knowledge.retire",
            actor=acting_user,
            obj=entry,
            detail=_detail(entry, from_status=from_status, reason=reason),
        )
        schedule_index_refresh()
        return entry
