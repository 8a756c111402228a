"""Reads of the statute library and the knowledge base. Laws and published standard answers are
public: anyone may read them, so those selectors take no acting user (like
``core.selectors.regions``). The knowledge base's staff reads take the user and apply their scope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When

from fawang.consult import engine
from fawang.consult.models import (
    DEPARTMENT_ORDER,
    DOC_TYPE_ORDER,
    STATUS_PREFERENCE,
    Article,
    KnowledgeCitation,
    KnowledgeEntry,
    KnowledgeStatus,
    KnowledgeVersion,
    Law,
)
from fawang.consult.retrieval import LOOKUP, has_index
from fawang.core.errors import NotFound
from fawang.core.models import SUPERVISOR_ROLES, Region, Role, User

LAW_NOT_FOUND = "法律法规库中没有这部法律。"
ARTICLE_NOT_FOUND = "这部法律中没有该条。"
SEARCH_LIMIT = 50
_ARTICLE_KEY = re.compile(r"(?P<number>\d{1,5})(?:-(?P<suffix>\d{1,3}))?")


def _rank(field: str, order: tuple[str, ...]) -> Case:
    """Sort by position in ``order``; values not in it after all that are."""
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(order)),
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def _status_rank(prefix: str = "") -> Case:
    return _rank(f"{prefix}status", STATUS_PREFERENCE)


def laws(
    *, department: str | None = None, status: str | None = None, search: str | None = None
) -> QuerySet[Law]:
    """Laws with their article count, in-force editions before older ones of the same name."""
    qs = Law.objects.annotate(
        article_count=Count("articles"),
        status_rank=_status_rank(),
        department_rank=_rank("department", DEPARTMENT_ORDER),
        doc_type_rank=_rank("doc_type", DOC_TYPE_ORDER),
    )
    if department:
        qs = qs.filter(department=department)
    if status:
        qs = qs.filter(status=status)
    if search:
        words = search.split()
        for word in words:
            qs = qs.filter(Q(name__icontains=word))
    return qs.order_by(
        "department_rank",
        "department",
        "doc_type_rank",
        "short_name",
        "status_rank",
        "-version_date",
    )


def departments() -> list[tuple[str, int]]:
    """Each law department (宪法相关法, 民法商法, …) with how many laws it holds."""
    rows = (
        Law.objects.values("department")
        .annotate(n=Count("id"), rank=_rank("department", DEPARTMENT_ORDER))
        .order_by("rank", "department")
    )
    return [(row["department"], row["n"]) for row in rows]


def get_law(law_id: int) -> Law:
    law = Law.objects.annotate(article_count=Count("articles")).filter(pk=law_id).first()
    if law is None:
        raise NotFound(LAW_NOT_FOUND)
    return law


def other_editions(law: Law) -> QuerySet[Law]:
    """Other laws of the same name: the in-force text of a historical one and vice versa."""
    return (
        Law.objects.filter(short_name=law.short_name)
        .exclude(pk=law.pk)
        .annotate(status_rank=_status_rank())
        .order_by("status_rank", "-version_date")
    )


@dataclass
class Section:
    title: str
    articles: list[Article] = field(default_factory=list)


@dataclass
class Chapter:
    title: str
    sections: list[Section] = field(default_factory=list)


def law_outline(law: Law) -> list[Chapter]:
    """The law's articles in order, grouped by chapter then section as they run (the Civil Code
    repeats chapter titles in each of its books, so a group is a run, not a distinct title)."""
    chapters: list[Chapter] = []
    for article in law.articles.order_by("number", "suffix"):
        article.law = law
        if not chapters or chapters[-1].title != article.chapter:
            chapters.append(Chapter(article.chapter))
        sections = chapters[-1].sections
        if not sections or sections[-1].title != article.section:
            sections.append(Section(article.section))
        sections[-1].articles.append(article)
    return chapters


def parse_article_key(key: str) -> tuple[int, int] | None:
    """``1079`` → (1079, 0); ``133-1`` → (133, 1); anything else → None."""
    match = _ARTICLE_KEY.fullmatch(key.strip())
    if match is None:
        return None
    return int(match.group("number")), int(match.group("suffix") or 0)


def get_article(law_id: int, key: str) -> Article:
    parsed = parse_article_key(key)
    article = None
    if parsed is not None:
        number, suffix = parsed
        article = (
            Article.objects.select_related("law")
            .filter(law_id=law_id, number=number, suffix=suffix)
            .first()
        )
    if article is None:
        get_law(law_id)  # an unknown law says so rather than "no such article"
        raise NotFound(ARTICLE_NOT_FOUND)
    return article


def article_neighbours(article: Article) -> tuple[Article | None, Article | None]:
    siblings = Article.objects.filter(law_id=article.law_id).only(
        "law_id", "number", "suffix", "number_text"
    )
    previous = (
        siblings.filter(
            Q(number__lt=article.number) | Q(number=article.number, suffix__lt=article.suffix)
        )
        .order_by("-number", "-suffix")
        .first()
    )
    following = (
        siblings.filter(
            Q(number__gt=article.number) | Q(number=article.number, suffix__gt=article.suffix)
        )
        .order_by("number", "suffix")
        .first()
    )
    return previous, following


# The engine pads its list past the matches with prior-only articles (scores ≤ 0.001): a search
# page lists matches only.
MATCH_SCORE = 0.0015


def search_articles(query: str, limit: int = SEARCH_LIMIT) -> list[Article]:
    """Articles for the words of a search box, ranked as the consultation engine ranks them (its
    tokenizer, so "拖欠工资" finds what "拖欠 工资" finds; BM25, topic prior, law names).

    Before any index is built (a fresh install) it falls back to articles holding every word,
    laws in force first.
    """
    query = query.strip()
    if not query:
        return []
    limit = max(1, min(limit, 200))
    if has_index():
        hits = engine.search(query, k=limit, snippets=False, weights=LOOKUP).articles
        pks = [hit.pk for hit in hits if hit.score > MATCH_SCORE]
        found = Article.objects.select_related("law").in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]
    qs = Article.objects.select_related("law")
    for word in query.split()[:10]:
        qs = qs.filter(text__icontains=word)
    qs = qs.annotate(status_rank=_status_rank("law__")).order_by(
        "status_rank", "law__short_name", "number", "suffix"
    )
    return list(qs[:limit])


# --- the knowledge base ------------------------------------------------------------------------

# Who writes standard answers, who reviews and publishes them, who may read the staff pages.
KNOWLEDGE_EDITOR_ROLES = frozenset(
    {Role.HOTLINE_SEAT, Role.WINDOW_CLERK, Role.LAWYER, Role.LEGAL_AID_OFFICER}
)
KNOWLEDGE_REVIEWER_ROLES = frozenset({Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY})
KNOWLEDGE_STAFF_ROLES = KNOWLEDGE_EDITOR_ROLES | SUPERVISOR_ROLES
KNOWLEDGE_NOT_FOUND = "知识库中没有该条目。"


def knowledge_home_region(user: User) -> Region | None:
    """The region a staff member's knowledge scope is rooted at: their own, else their
    institution's."""
    if user.region_id is not None:
        return user.region
    if user.institution_id is not None and user.institution is not None:
        return user.institution.region
    return None


def citations_prefetch(prefix: str) -> Prefetch:
    return Prefetch(
        f"{prefix}cited_articles",
        queryset=KnowledgeCitation.objects.select_related("article__law").order_by("position"),
    )


def published_entries(
    topic: str | None = None, region: Region | None = None, search: str | None = None
) -> QuerySet[KnowledgeEntry]:
    """What citizens see: entries with a published version, never retired ones. With a region,
    the entries for the whole country and for that region and the regions above it."""
    qs = (
        KnowledgeEntry.objects.filter(current_version__isnull=False, retired_at__isnull=True)
        .exclude(status=KnowledgeStatus.RETIRED)
        .select_related("current_version", "region")
        .prefetch_related(citations_prefetch("current_version__"))
    )
    if topic:
        qs = qs.filter(topic=topic)
    if region is not None:
        qs = qs.filter(Q(region__isnull=True) | Q(region__path__in=region.ancestor_paths()))
    for word in (search or "").split()[:10]:
        qs = qs.filter(
            Q(current_version__question__icontains=word)
            | Q(current_version__answer__icontains=word)
            | Q(key__icontains=word)
        )
    return qs.order_by("topic", "key")


def get_published_entry(key: str) -> KnowledgeEntry:
    entry = published_entries().filter(key=key).first()
    if entry is None:
        raise NotFound(KNOWLEDGE_NOT_FOUND)
    return entry


def knowledge_scope(user: User) -> Q:
    """Entries a staff member may read: nationwide ones, those of the regions above theirs, and
    those inside their region."""
    home = knowledge_home_region(user)
    visible = Q(region__isnull=True)
    if home is not None:
        visible |= Q(region__path__in=home.ancestor_paths())
        visible |= Q(region__path__startswith=home.path)
    return visible


def may_change_entry(user: User, entry: KnowledgeEntry) -> bool:
    """Writes reach nationwide entries and those inside the user's own region."""
    if entry.region_id is None:
        return True
    home = knowledge_home_region(user)
    return home is not None and home.contains(entry.region)


def entries_for_user(user: User, *, status: str | None = None) -> QuerySet[KnowledgeEntry]:
    """Staff: every status, in their scope, with the newest version's number annotated."""
    if not user.is_authenticated or user.role not in KNOWLEDGE_STAFF_ROLES:
        return KnowledgeEntry.objects.none()
    qs = (
        KnowledgeEntry.objects.filter(knowledge_scope(user))
        .select_related("current_version", "region", "author", "reviewer")
        .annotate(latest_number=Max("versions__number"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("topic", "key")


def get_entry_for_user(user: User, key: str) -> KnowledgeEntry:
    entry = entries_for_user(user).filter(key=key).first()
    if entry is None:
        raise NotFound(KNOWLEDGE_NOT_FOUND)
    return entry


def entry_versions(entry: KnowledgeEntry) -> list[KnowledgeVersion]:
    """The entry's history, newest first, each with its citations in order."""
    return list(
        entry.versions.select_related("author", "reviewed_by")
        .prefetch_related(citations_prefetch(""))
        .order_by("-number")
    )


def latest_version(entry: KnowledgeEntry) -> KnowledgeVersion | None:
    return entry.versions.prefetch_related(citations_prefetch("")).order_by("-number").first()
