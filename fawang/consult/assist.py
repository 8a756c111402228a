"""Answers for a question as it is typed (the seat screen) or asked (the citizen's "ask" page):
the likely topics, the published standard answers and the statute articles, best first.

Read-only: the engine ranks, the database decides what may be shown — an entry retired after
the index was built never reaches anyone, because every hit is checked against the published set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from fawang.consult import engine, retrieval, selectors
from fawang.consult.models import Article, KnowledgeEntry
from fawang.core.models import Region
from fawang.core.taxonomy import Topic

MIN_QUESTION_CHARS = 4
MAX_QUESTION_CHARS = 2000
TOPIC_SHOWN = 3
# Below this probability a topic is noise to the person reading the screen.
TOPIC_FLOOR = 0.08
NOT_LEGAL_LABEL = "不是法律问题"


@dataclass(frozen=True)
class TopicGuess:
    code: str
    label: str
    percent: int

    @property
    def is_legal(self) -> bool:
        return self.code != retrieval.NOT_LEGAL


@dataclass(frozen=True)
class EntrySuggestion:
    entry: KnowledgeEntry
    snippet: SafeString


@dataclass(frozen=True)
class ArticleSuggestion:
    article: Article
    snippet: SafeString


@dataclass
class Suggestions:
    question: str
    topics: list[TopicGuess] = field(default_factory=list)
    entries: list[EntrySuggestion] = field(default_factory=list)
    articles: list[ArticleSuggestion] = field(default_factory=list)

    @property
    def best_topic(self) -> TopicGuess | None:
        return self.topics[0] if self.topics else None

    @property
    def looks_legal(self) -> bool:
        best = self.best_topic
        return best is not None and best.is_legal

    @property
    def empty(self) -> bool:
        return not (self.entries or self.articles)


def _topic_guesses(scores: dict[str, float]) -> list[TopicGuess]:
    labels = dict(Topic.choices)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    guesses: list[TopicGuess] = []
    for code, probability in ranked[:TOPIC_SHOWN]:
        if probability < TOPIC_FLOOR and guesses:
            break
        label = str(labels.get(code, NOT_LEGAL_LABEL))
        guesses.append(TopicGuess(code, label, round(probability * 100)))
    return guesses


def suggest(
    question: str, *, region: Region | None = None, entries: int = 3, articles: int = 5
) -> Suggestions:
    """What the engine offers for ``question``; nothing for a question too short to mean much."""
    text = (question or "").strip()[:MAX_QUESTION_CHARS]
    result = Suggestions(question=text)
    if len(text) < MIN_QUESTION_CHARS:
        return result
    found = engine.search(text, k=max(articles, entries, 10))
    result.topics = _topic_guesses(found.topic_scores)

    # Snippets are safe: engine.snippet escapes the text before it adds the <mark> tags.
    wanted_keys = [hit.key for hit in found.entries]
    published = {
        entry.key: entry
        for entry in selectors.published_entries(region=region).filter(key__in=wanted_keys)
    }
    for hit in found.entries:
        if hit.key in published and len(result.entries) < entries:
            result.entries.append(EntrySuggestion(published[hit.key], mark_safe(hit.snippet)))

    rows = Article.objects.select_related("law").in_bulk([hit.pk for hit in found.articles])
    for article_hit in found.articles[:articles]:
        article = rows.get(article_hit.pk)
        if article is not None:
            result.articles.append(ArticleSuggestion(article, mark_safe(article_hit.snippet)))
    return result
