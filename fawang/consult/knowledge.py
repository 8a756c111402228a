"""Knowledge-base use cases (标准化知识库): write, revise, review, publish and retire standard
answers; load the standard seed files; exchange entries with Excel.

Each verb locks the entry row, checks the transition against ``models.KNOWLEDGE_TRANSITIONS``,
changes it and writes one audit event, in one transaction. Editors (hotline seats, window clerks,
lawyers, legal-aid officers) write and revise; district and city supervisors review, publish and
retire, and never review what they wrote themselves.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.consult.citations import (
    ArticleRef,
    article_ref,
    parse_citations,
    ref_label,
    resolve_article_refs,
)
from fawang.consult.models import (
    ANSWER_LENGTH,
    KEYWORD_COUNT,
    KEYWORD_MAX_LENGTH,
    KNOWLEDGE_TRANSITIONS,
    KNOWLEDGE_VERB_LABELS,
    MAX_CITATIONS,
    QUESTION_LENGTH,
    Article,
    KnowledgeCitation,
    KnowledgeEntry,
    KnowledgeSource,
    KnowledgeStatus,
    KnowledgeVersion,
)
from fawang.consult.selectors import (
    KNOWLEDGE_EDITOR_ROLES,
    KNOWLEDGE_REVIEWER_ROLES,
    citations_prefetch,
    latest_version,
    may_change_entry,
)
from fawang.consult.tasks import schedule_index_refresh
from fawang.core.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from fawang.core.models import Region, User
from fawang.core.rows import lock
from fawang.core.taxonomy import Topic
from fawang.core.transitions import Transitions, check_transition

SEED_DIR = Path(__file__).resolve().parent / "data" / "knowledge"
SEED_ACTOR = "fawang load-knowledge"
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
KEY_MAX_LENGTH = 50
RESERVED_KEYS = frozenset({"manage", "new", "export", "import"})
_KEYWORD_SPLIT = re.compile(r"[、,，;；\s]+")
# What may stand between the citations of a citations cell: separators and connectives.
_CITATION_FILLER = re.compile(r"[\s、,，;；。.及和与或者以至到]*")
TOPIC_BY_LABEL = {str(label): str(value) for value, label in Topic.choices}

# The spreadsheet: these columns, in this order (import also accepts the Chinese headings).
SHEET_COLUMNS = (
    "key",
    "topic",
    "question",
    "answer",
    "keywords",
    "citations",
    "status",
    "version",
    "region",
)
SHEET_HEADINGS = {
    "编号": "key",
    "分类": "topic",
    "咨询分类": "topic",
    "问题": "question",
    "答复": "answer",
    "标准答复": "answer",
    "关键词": "keywords",
    "法律依据": "citations",
    "状态": "status",
    "版本": "version",
    "地区": "region",
    "适用地区": "region",
}
SHEET_REQUIRED = ("key", "topic", "question", "answer", "keywords", "citations")
MAX_SHEET_ROWS = 5000
MAX_SHEET_BYTES = 10 * 1024 * 1024
MAX_REPORTED_ERRORS = 20


# --- content -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeContent:
    """One version's text, validated, with its citations resolved to articles."""

    question: str
    answer: str
    keywords: tuple[str, ...]
    articles: tuple[Article, ...]

    def same_as(self, version: KnowledgeVersion | None) -> bool:
        if version is None:
            return False
        return (
            self.question == version.question
            and self.answer == version.answer
            and list(self.keywords) == list(version.keywords)
            and [a.pk for a in self.articles]
            == [link.article_id for link in version.cited_articles.all()]
        )


def _length(value: Any, bounds: tuple[int, int], field: str, label: str) -> str:
    text = str(value or "").strip()
    low, high = bounds
    if not text:
        raise InvalidInput(f"请填写{label}。", code="required", field=field)
    if len(text) < low:
        raise InvalidInput(f"{label}至少需要{low}个字。", code="too_short", field=field)
    if len(text) > high:
        raise InvalidInput(f"{label}不能超过{high:,}个字。", code="too_long", field=field)
    return text


def clean_keywords(value: str | Iterable[Any] | None) -> tuple[str, ...]:
    """A list, or text separated by 、 , ; or spaces → 1–8 distinct keywords."""
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = _KEYWORD_SPLIT.split(value)
    else:
        items = [str(item) for item in value]
    keywords: list[str] = []
    for item in items:
        word = item.strip()
        if word and word not in keywords:
            keywords.append(word)
    low, high = KEYWORD_COUNT
    if len(keywords) < low:
        raise InvalidInput("请至少填写1个关键词。", code="required", field="keywords")
    if len(keywords) > high:
        raise InvalidInput(f"关键词最多{high}个。", code="too_many", field="keywords")
    for word in keywords:
        if len(word) > KEYWORD_MAX_LENGTH:
            raise InvalidInput(
                f"关键词“{word}”过长：每个关键词不超过{KEYWORD_MAX_LENGTH}个字。",
                code="too_long",
                field="keywords",
            )
    return tuple(keywords)


def parse_citation_text(text: str) -> list[ArticleRef]:
    """“《民法典》第一千零七十九条；《劳动合同法》第38条、第46条” → refs; anything else in the
    text that is not a citation is refused rather than dropped."""
    text = text or ""
    refs = parse_citations(text)
    rest, position = [], 0
    for ref in refs:
        rest.append(text[position : ref.start])
        position = max(position, ref.end)
    rest.append(text[position:])
    leftover = _CITATION_FILLER.sub("", "".join(rest))
    if leftover:
        raise InvalidInput(
            f"无法识别的法律依据：“{leftover[:40]}”。请写作《法律名称》第N条，多条以“；”分隔。",
            code="bad_citation",
            field="citations",
        )
    return [(ref.law_name, ref.number, ref.suffix) for ref in refs]


def citation_refs(citations: str | Iterable[Any] | None) -> list[ArticleRef]:
    """Citations as text, or as a list of ``{law, article}`` mappings, texts or Articles."""
    if citations is None:
        return []
    if isinstance(citations, str):
        return parse_citation_text(citations)
    refs: list[ArticleRef] = []
    for item in citations:
        if isinstance(item, Article):
            refs.append((item.law.short_name, item.number, item.suffix))
        elif isinstance(item, Mapping):
            refs.append(article_ref(str(item.get("law") or ""), item.get("article")))
        elif isinstance(item, str):
            refs.extend(parse_citation_text(item))
        else:
            raise InvalidInput("法律依据应写作 {law: 法律名称, article: 条号}。", field="citations")
    return refs


def _check_refs(refs: list[ArticleRef]) -> list[ArticleRef]:
    distinct = list(dict.fromkeys(refs))
    if not distinct:
        raise InvalidInput("请至少填写一条法律依据。", code="required", field="citations")
    if len(distinct) > MAX_CITATIONS:
        raise InvalidInput(f"法律依据最多{MAX_CITATIONS}条。", code="too_many", field="citations")
    return distinct


def _articles(
    refs: list[ArticleRef], resolved: Mapping[ArticleRef, Article | str]
) -> tuple[Article, ...]:
    articles: list[Article] = []
    for ref in refs:
        found = resolved[ref]
        if isinstance(found, str):
            raise InvalidInput(found, code="bad_citation", field="citations")
        if all(article.pk != found.pk for article in articles):
            articles.append(found)
    return tuple(articles)


def validate_content(
    *, question: Any, answer: Any, keywords: Any, citations: Any
) -> KnowledgeContent:
    """Check one version's text and resolve its citations (InvalidInput, in Chinese)."""
    question_text = _length(question, QUESTION_LENGTH, "question", "问题")
    answer_text = _length(answer, ANSWER_LENGTH, "answer", "标准答复")
    words = clean_keywords(keywords)
    refs = _check_refs(citation_refs(citations))
    return KnowledgeContent(
        question_text, answer_text, words, _articles(refs, resolve_article_refs(refs))
    )


def clean_key(value: Any) -> str:
    key = str(value or "").strip()
    if not key:
        raise InvalidInput("请填写编号。", code="required", field="key")
    if len(key) > KEY_MAX_LENGTH or not KEY_PATTERN.fullmatch(key) or key in RESERVED_KEYS:
        raise InvalidInput(
            f"编号“{key[:60]}”不可用：只能由小写字母、数字和连字符组成（不超过{KEY_MAX_LENGTH}位），"
            "如 labour-001。",
            code="bad_key",
            field="key",
        )
    return key


def clean_topic(value: Any) -> str:
    """A topic's value (labour) or its label (劳动纠纷)."""
    topic = str(value or "").strip()
    topic = TOPIC_BY_LABEL.get(topic, topic)
    if topic not in Topic.values:
        raise InvalidInput(f"未知的咨询分类：“{value}”。", code="unknown_topic", field="topic")
    return topic


def clean_region(value: Region | str | None) -> Region | None:
    """A region, or its 12-digit code; empty for the whole country."""
    if isinstance(value, Region) or value is None:
        return value
    code = str(value).strip()
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise InvalidInput(f"未知的行政区划代码：{code}", code="unknown_region", field="region")
    return region


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
    KNOWLEDGE_TRANSITIONS, noun="条目", statuses=KnowledgeStatus, verb_labels=KNOWLEDGE_VERB_LABELS
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


# --- the verbs -----------------------------------------------------------------------------


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


_UNCHANGED: Any = object()


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


# --- seed files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedReport:
    files: int
    entries: int
    created: int
    updated: int
    unchanged: int
    # Entries staff have retired, or are revising, which a seed file does not overwrite.
    held: tuple[str, ...] = ()


def _seed_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
    if path.is_file():
        return [path]
    raise InvalidInput(f"找不到知识库数据文件：{path}")


def _read_seed_rows(files: list[Path], errors: _RowErrors) -> list[_Row]:
    rows: list[_Row] = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            errors.add(file.name, f"无法读取（{type(error).__name__}）")
            continue
        if data is None:
            continue
        if not isinstance(data, list):
            errors.add(file.name, "内容应为条目列表")
            continue
        for number, item in enumerate(data, start=1):
            label = f"{file.name} 第{number}条"
            if not isinstance(item, Mapping):
                errors.add(label, "条目格式不正确")
                continue
            label = f"{file.name} 第{number}条（{item.get('key') or '无编号'}）"
            try:
                rows.append(
                    _Row(
                        label=label,
                        key=clean_key(item.get("key")),
                        topic=clean_topic(item.get("topic")),
                        region=clean_region(item.get("region") or None),
                        question=item.get("question"),
                        answer=item.get("answer"),
                        keywords=item.get("keywords"),
                        refs=citation_refs(item.get("citations")),
                    )
                )
            except DomainError as error:
                errors.add(label, error)
    return rows


def load_seed_entries(
    path_or_dir: Path | str | None = None, *, actor: Any = SEED_ACTOR
) -> SeedReport:
    """Load the standard entries from YAML files, published at once with the system as author
    and reviewer. Re-running changes nothing; a changed text becomes a new published version.

    Every row is checked first: one bad row (unknown topic, a citation the library lacks, …)
    refuses the whole load, naming each bad row, and nothing is saved.
    """
    files = _seed_files(Path(path_or_dir) if path_or_dir is not None else SEED_DIR)
    errors = _RowErrors()
    rows = _read_seed_rows(files, errors)
    _duplicate_keys(rows, errors)
    _resolve_rows(rows, errors)
    errors.raise_if_any("知识库数据")
    created = updated = unchanged = 0
    held: list[str] = []
    with transaction.atomic():
        existing = {
            entry.key: entry
            for entry in KnowledgeEntry.objects.select_for_update().filter(
                key__in=[row.key for row in rows]
            )
        }
        for row in rows:
            assert row.content is not None
            entry = existing.get(row.key)
            if entry is None:
                _seed_create(row, actor)
                created += 1
                continue
            outcome = _seed_update(entry, row, actor)
            if outcome == "updated":
                updated += 1
            elif outcome == "unchanged":
                unchanged += 1
            else:
                held.append(entry.key)
    return SeedReport(len(files), len(rows), created, updated, unchanged, tuple(held))


def _publish_seed_version(
    entry: KnowledgeEntry, content: KnowledgeContent, number: int
) -> KnowledgeVersion:
    version = _new_version(entry, content, author=None, source=KnowledgeSource.SEED, number=number)
    version.reviewed_at = version.published_at = version.created_at
    version.save(update_fields=["reviewed_at", "published_at"])
    return version


def _seed_create(row: _Row, actor: Any) -> None:
    assert row.content is not None
    now = timezone.now()
    entry = KnowledgeEntry.objects.create(
        key=row.key,
        topic=row.topic,
        region=row.region,
        status=KnowledgeStatus.PUBLISHED,
        created_at=now,
        updated_at=now,
        published_at=now,
    )
    version = _publish_seed_version(entry, row.content, 1)
    entry.current_version = version
    entry.save(update_fields=["current_version"])
    record_event("knowledge.seed_create", actor=actor, obj=entry, detail=_detail(entry, version))


def _seed_update(entry: KnowledgeEntry, row: _Row, actor: Any) -> str:
    assert row.content is not None
    versions = list(entry.versions.prefetch_related("cited_articles").order_by("-number"))
    last_seed = next((v for v in versions if v.source == KnowledgeSource.SEED), None)
    same_place = entry.topic == row.topic and entry.region_id == (
        row.region.pk if row.region else None
    )
    if same_place and (row.content.same_as(last_seed) or row.content.same_as(versions[0])):
        return "unchanged"
    if entry.status != KnowledgeStatus.PUBLISHED or versions[0].pk != entry.current_version_id:
        return "held"  # staff retired it or are revising it: their work is not overwritten
    version = _publish_seed_version(entry, row.content, versions[0].number + 1)
    now = timezone.now()
    entry.topic = row.topic
    entry.region = row.region
    entry.current_version = version
    entry.published_at = now
    entry.updated_at = now
    entry.save(update_fields=["topic", "region", "current_version", "published_at", "updated_at"])
    record_event(
        "knowledge.seed_update",
        actor=actor,
        obj=entry,
        detail=_detail(entry, version, replaced_version=versions[0].number),
    )
    return "updated"


# --- Excel ---------------------------------------------------------------------------------


def citations_text(articles: Iterable[Article]) -> str:
    """《民法典》第一千零七十九条；《劳动合同法》第三十八条 — what the import reads back."""
    return "；".join(ref_label((a.law.short_name, a.number, a.suffix)) for a in articles)


def _text_cell(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with


def export_entries_xlsx(entries: QuerySet[KnowledgeEntry], *, published_only: bool) -> bytes:
    """Entries as an .xlsx workbook: the published version of each, or (for staff) the newest."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "知识库"
    sheet.append(list(SHEET_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    entries = entries.select_related("region").prefetch_related(citations_prefetch("versions__"))
    for entry in entries:
        versions = sorted(entry.versions.all(), key=lambda v: v.number)
        if published_only:
            version = next((v for v in versions if v.pk == entry.current_version_id), None)
        else:
            version = versions[-1] if versions else None
        if version is None:
            continue
        values = [
            entry.key,
            entry.topic,
            version.question,
            version.answer,
            "、".join(version.keywords),
            citations_text(version.ordered_citations()),
            entry.status,
            version.number,
            entry.region.code if entry.region else "",
        ]
        row = sheet.max_row + 1
        for column, value in enumerate(values, start=1):
            _text_cell(sheet.cell(row=row, column=column), value)
    widths = {"A": 16, "B": 16, "C": 40, "D": 80, "E": 24, "F": 48, "G": 12, "H": 8, "I": 16}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class SheetReport:
    rows: int
    created: tuple[str, ...]
    revised: tuple[str, ...]
    unchanged: tuple[str, ...]


def _sheet_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    if len(data) > MAX_SHEET_BYTES:
        raise InvalidInput(f"文件过大：不超过{MAX_SHEET_BYTES // (1024 * 1024)} MB。", field="file")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput("不是有效的 Excel 文件（.xlsx）。", field="file") from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise InvalidInput("表格是空的。", field="file")
        names = [str(value or "").strip() for value in header]
        columns = {SHEET_HEADINGS.get(name, name.lower()): i for i, name in enumerate(names)}
        missing = [name for name in SHEET_REQUIRED if name not in columns]
        if missing:
            raise InvalidInput(f"表头缺少列：{'、'.join(missing)}。", field="file")
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, line in enumerate(lines, start=2):
            if all(value is None or str(value).strip() == "" for value in line):
                continue
            if len(rows) >= MAX_SHEET_ROWS:
                raise InvalidInput(f"一次最多导入{MAX_SHEET_ROWS}行。", field="file")
            rows.append(
                (
                    number,
                    {
                        name: line[i] if i < len(line) else None
                        for name, i in columns.items()
                        if name in SHEET_COLUMNS
                    },
                )
            )
        return rows
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def import_entries_xlsx(data: bytes, *, acting_user: User) -> SheetReport:
    """Each row creates an entry, or revises the entry of that key, as a draft version by the
    importing user; rows identical to the entry's newest version are left alone. One bad row
    (unknown topic, a citation the library lacks, an entry out of reach…) refuses the whole
    file, naming every bad row, and nothing is saved."""
    _require_role(acting_user, KNOWLEDGE_EDITOR_ROLES, "导入")
    errors = _RowErrors()
    rows: list[_Row] = []
    for number, values in _sheet_rows(data):
        label = f"第{number}行"
        try:
            has_region = "region" in values
            rows.append(
                _Row(
                    label=label,
                    key=clean_key(_cell_text(values.get("key"))),
                    topic=clean_topic(_cell_text(values.get("topic"))),
                    region=clean_region(_cell_text(values.get("region")))
                    if has_region
                    else _UNCHANGED,
                    question=_cell_text(values.get("question")),
                    answer=_cell_text(values.get("answer")),
                    keywords=_cell_text(values.get("keywords")),
                    refs=parse_citation_text(_cell_text(values.get("citations"))),
                )
            )
        except DomainError as error:
            errors.add(label, error)
    if not rows and not errors.messages:
        raise InvalidInput("表格中没有条目。", field="file")
    _duplicate_keys(rows, errors)
    _resolve_rows(rows, errors)
    errors.raise_if_any("Excel 表格")
    created: list[str] = []
    revised: list[str] = []
    unchanged: list[str] = []
    with transaction.atomic():
        existing = {
            entry.key: entry
            for entry in KnowledgeEntry.objects.filter(key__in=[row.key for row in rows])
        }
        for row in rows:
            assert row.content is not None
            entry = existing.get(row.key)
            try:
                if entry is None:
                    region = None if row.region is _UNCHANGED else row.region
                    _require_region(acting_user, region)
                    _create(
                        row.key,
                        row.topic,
                        region,
                        row.content,
                        acting_user,
                        KnowledgeSource.SPREADSHEET,
                    )
                    created.append(row.key)
                    continue
                region_same = row.region is _UNCHANGED or row.region == entry.region
                if (
                    entry.topic == row.topic
                    and region_same
                    and row.content.same_as(latest_version(entry))
                ):
                    unchanged.append(row.key)
                    continue
                if row.region is not _UNCHANGED:
                    _require_region(acting_user, row.region)
                _revise(
                    entry,
                    row.content,
                    row.topic,
                    row.region,
                    acting_user,
                    KnowledgeSource.SPREADSHEET,
                )
                revised.append(row.key)
            except DomainError as error:
                errors.add(row.label, error)
        if errors.messages:
            transaction.set_rollback(True)
    errors.raise_if_any("Excel 表格")
    return SheetReport(len(rows), tuple(created), tuple(revised), tuple(unchanged))
