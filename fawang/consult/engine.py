"""Search: a citizen's question → the articles and knowledge-base entries that answer it.

The question's topic probabilities come from the classifier, the scores from the indexes in
``retrieval`` (their scoring is described there).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from fawang.consult import text as ctext
from fawang.consult.bm25 import query_vector, score
from fawang.consult.citations import parse_citations
from fawang.consult.classifier import classify
from fawang.consult.models import normalise_law_name
from fawang.consult.retrieval import (
    COVERAGE_WEIGHT,
    KNOWLEDGE_TOP,
    KNOWLEDGE_WEIGHT,
    LAW_NAME_WEIGHT,
    PRIOR_WEIGHT,
    SNIPPET_CHARS,
    get_index,
)
from fawang.consult.topics import topic_names


class ArticleHit(NamedTuple):
    pk: int
    law: str  # full name
    number: int
    score: float
    snippet: str


class EntryHit(NamedTuple):
    key: str
    question: str
    score: float
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    topic_scores: dict[str, float]
    articles: list[ArticleHit]
    entries: list[EntryHit]


def snippet(body: str, terms: list[str], length: int = SNIPPET_CHARS) -> str:
    """A window of ``body`` around the most query terms, HTML-escaped, terms in <mark>."""
    terms = sorted({t for t in terms if t and t in body}, key=len, reverse=True)
    start = 0
    if terms and len(body) > length:
        best = -1
        positions = sorted({m.start() for t in terms for m in re.finditer(re.escape(t), body)})
        for position in positions[:200]:
            begin = max(0, position - 15)
            window = body[begin : begin + length]
            hits = sum(1 for t in terms if t in window)
            if hits > best:
                best, start = hits, begin
    window = body[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(body) else ""
    escaped = html.escape(window)
    if terms:
        pattern = re.compile("|".join(re.escape(html.escape(t)) for t in terms))
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return prefix + escaped + suffix


def _normalised(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


def search(question: object, k: int = 10, *, snippets: bool = True) -> SearchResult:
    """Articles and knowledge-base entries for a question, best first (at least ``k`` articles
    whenever the library has them: past the matches, the best-scored by prior fill up)."""
    index = get_index()
    value = ctext.normalise(question)
    topics = classify(value)
    tokens = ctext.tokenize(value)
    expansions = ctext.tokenize(" ".join(ctext.expansions(value)))
    names = topic_names()
    probabilities = np.asarray([topics.get(name, 0.0) for name in names], dtype=np.float32)

    # knowledge base
    columns, weights = query_vector(tokens, expansions, index.knowledge_vocab)
    entry_scores = (
        score(index.knowledge_matrix, columns, weights)
        if index.knowledge
        else np.zeros(0, dtype=np.float32)
    )
    ranked_entries = np.argsort(-entry_scores, kind="stable")[: max(k, KNOWLEDGE_TOP)]
    entry_order = [int(i) for i in ranked_entries if entry_scores[i] > 0]

    # articles
    columns, weights = query_vector(tokens, expansions, index.vocab)
    matched = index.matrix[:, columns] if len(columns) else None
    lexical = _normalised(
        np.asarray(matched @ weights).ravel()
        if matched is not None
        else np.zeros(index.matrix.shape[0], dtype=np.float32)
    )
    if matched is not None:
        # share of the question's (weighted) terms the article has: many terms beat one repeated
        present = (matched > 0).astype(np.float32)
        coverage = np.asarray(present @ weights).ravel() / float(weights.sum())
        lexical = lexical + COVERAGE_WEIGHT * coverage * coverage
    prior = np.asarray(index.row_topics @ probabilities).ravel()
    final = lexical * (1.0 + PRIOR_WEIGHT * prior)
    if entry_order:
        top_entry = float(entry_scores[entry_order[0]])
        for i in entry_order[:KNOWLEDGE_TOP]:
            strength = float(entry_scores[i]) / top_entry
            rows = index.knowledge_citations[i]
            for position, row in enumerate(rows):
                final[row] += KNOWLEDGE_WEIGHT * strength / (1.0 + 0.15 * position)
    named = index.laws_named_in(value)
    if named:
        final = final + LAW_NAME_WEIGHT * np.isin(index.law_ids, list(named)) * (lexical > 0)
    final = final + 1e-3 * prior  # ties and empty questions: likely topics' laws first
    direct: list[int] = []
    for ref in parse_citations(value):
        cited = index.row_of(normalise_law_name(ref.law_name), ref.number)
        if cited is not None and cited not in direct:
            direct.append(cited)
    for rank, cited in enumerate(direct):
        final[cited] = 100.0 - rank

    wanted = max(k, 1)
    if len(final) > wanted:
        top = np.argpartition(-final, wanted - 1)[:wanted]
        top = top[np.argsort(-final[top], kind="stable")]
    else:
        top = np.argsort(-final, kind="stable")
    terms = [*tokens, *expansions]
    articles = [
        ArticleHit(
            pk=int(index.pks[row]),
            law=index.laws[int(index.law_ids[row])].name,
            number=int(index.numbers[row]),
            score=round(float(final[row]), 4),
            snippet=snippet(index.texts[row], terms) if snippets else "",
        )
        for row in top[:k]
    ]
    entries = [
        EntryHit(
            key=index.knowledge[i].key,
            question=index.knowledge[i].question,
            score=round(float(entry_scores[i]), 4),
            snippet=snippet(index.knowledge[i].answer, terms) if snippets else "",
        )
        for i in entry_order[:k]
    ]
    return SearchResult(topic_scores=topics, articles=articles, entries=entries)
