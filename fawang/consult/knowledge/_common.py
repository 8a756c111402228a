"""What the knowledge-base use cases share: permission and state checks, new versions, audit
details, and the row-wise validation of the seed files and the spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import pgettext_lazy

from fawang.consult.citations import ArticleRef, resolve_article_refs
from fawang.consult.knowledge.content import (
    KnowledgeContent,
    _articles,
    _check_refs,
    _length,
    clean_keywords,
)
from fawang.consult.models import (
    ANSWER_LENGTH,
    KNOWLEDGE_TRANSITIONS,
    KNOWLEDGE_VERB_LABELS,
    QUESTION_LENGTH,
    KnowledgeCitation,
    KnowledgeEntry,
    KnowledgeStatus,
    KnowledgeVersion,
)
from fawang.consult.selectors import may_change_entry
from fawang.core.errors import DomainError, InvalidInput, PermissionDenied
from fawang.core.models import Region, User
from fawang.core.rows import lock
from fawang.core.transitions import Transitions

MAX_REPORTED_ERRORS = 20


# --- permission and state ------------------------------------------------------------------


def _require_role(user: User, roles: frozenset[str], doing: str) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise PermissionDenied(f"您的角色无权{doing}知识库条目。", code="forbidden")


def _require_region(user: User, region: Region | None) -> None:
    if region is None:
        return
    probe = KnowledgeEntry(region=region)
    if not may_change_entry(user, probe):
        raise PermissionDenied("适用地区不在您的管辖范围内。", code="out_of_scope", field="region")


KNOWLEDGE_FLOW = Transitions(
    KNOWLEDGE_TRANSITIONS,
    noun=pgettext_lazy("transition", "条目"),
    statuses=KnowledgeStatus,
    verb_labels=KNOWLEDGE_VERB_LABELS,
)


def _lock_in_scope(entry: KnowledgeEntry, user: User) -> KnowledgeEntry:
    """The entry re-read under a row lock, if its region is one ``user`` may change."""
    locked = lock(KnowledgeEntry.objects.select_related("region"), entry.pk, of=("self",))
    if not may_change_entry(user, locked):
        raise PermissionDenied(
            "该条目的适用地区不在您的管辖范围内，不能修改。", code="out_of_scope"
        )
    return locked


def _new_version(
    entry: KnowledgeEntry,
    content: KnowledgeContent,
    *,
    author: User | None,
    source: str,
    number: int,
) -> KnowledgeVersion:
    version = KnowledgeVersion.objects.create(
        entry=entry,
        number=number,
        question=content.question,
        answer=content.answer,
        keywords=list(content.keywords),
        author=author,
        source=source,
    )
    KnowledgeCitation.objects.bulk_create(
        KnowledgeCitation(version=version, article=article, position=position)
        for position, article in enumerate(content.articles, start=1)
    )
    return version


def _next_number(entry: KnowledgeEntry) -> int:
    last = entry.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _detail(
    entry: KnowledgeEntry, version: KnowledgeVersion | None = None, **extra: Any
) -> dict[str, Any]:
    detail: dict[str, Any] = {"key": entry.key, "status": entry.status}
    if version is not None:
        detail["version"] = version.number
    detail.update(extra)
    return detail


_UNCHANGED: Any = object()


# --- row-wise validation shared by the seed files and the spreadsheet -----------------------


@dataclass
class _Row:
    label: str  # "part1.yaml 第3条" / "第3行", for messages
    key: str
    topic: str
    region: Any
    question: Any
    answer: Any
    keywords: Any
    refs: list[ArticleRef]
    content: KnowledgeContent | None = None


@dataclass
class _RowErrors:
    messages: list[str] = field(default_factory=list)

    def add(self, label: str, error: DomainError | str) -> None:
        message = error.message if isinstance(error, DomainError) else error
        self.messages.append(f"{label}：{message}")

    def raise_if_any(self, what: str) -> None:
        if not self.messages:
            return
        shown = "；".join(self.messages[:MAX_REPORTED_ERRORS])
        more = len(self.messages) - MAX_REPORTED_ERRORS
        tail = f"；另有{more}处错误" if more > 0 else ""
        raise InvalidInput(
            f"{what}未导入（共{len(self.messages)}处错误，未保存任何内容）：{shown}{tail}。",
            code="bad_rows",
        )


def _resolve_rows(rows: list[_Row], errors: _RowErrors) -> None:
    """Resolve every row's citations in one batch; fill ``content`` or record the error."""
    resolved = resolve_article_refs(list({ref for row in rows for ref in row.refs}))
    for row in rows:
        try:
            refs = _check_refs(row.refs)
            question = _length(row.question, QUESTION_LENGTH, "question", "问题")
            answer = _length(row.answer, ANSWER_LENGTH, "answer", "标准答复")
            words = clean_keywords(row.keywords)
            row.content = KnowledgeContent(question, answer, words, _articles(refs, resolved))
        except DomainError as error:
            errors.add(row.label, error)


def _duplicate_keys(rows: list[_Row], errors: _RowErrors) -> None:
    seen: dict[str, str] = {}
    for row in rows:
        if row.key in seen:
            errors.add(row.label, f"编号“{row.key}”与{seen[row.key]}重复")
        else:
            seen[row.key] = row.label
