"""Search: a citizen's question → the articles and knowledge-base entries that answer it.

The question's topic probabilities come from the classifier, the scores from the indexes in
``retrieval`` (their scoring is described there).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from scipy import sparse

from fawang.consult import dense as cdense
from fawang.consult import examples as cexamples
from fawang.consult import rerank
from fawang.consult import text as ctext
from fawang.consult.bm25 import query_vector
from fawang.consult.citations import parse_citations
from fawang.consult.classifier import classify
from fawang.consult.models import normalise_law_name
from fawang.consult.retrieval import (
    COVERAGE_WEIGHT,
    ENTRY_CLOSENESS,
    ENTRY_TOPIC_FLOOR,
    ENTRY_TOPIC_SHARE,
    FUSION,
    KNOWLEDGE_TOP,
    SNIPPET_CHARS,
    Evidence,
    Fusion,
    Index,
    get_index,
)
from fawang.consult.topics import NOT_LEGAL, topic_names

# The topics of the best article's law weigh this much beside the classifier's: the classifier
# knows how callers word the 20 topics, the answer knows which law the question is about. Chosen
# on the tune part (0 / 0.1 / 0.2 / 0.3 / 0.4 / 0.5 with the best article: accuracy 0.762 /
# 0.780 / 0.791 / 0.796 / 0.805 / 0.794; calibration error 0.044 → 0.042 at 0.4). The three
# best articles weighted by rank (0.786), or ten (0.791), did no better.
ANSWER_TOPIC_WEIGHT = 0.4


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
    present = sorted({t for t in terms if t and t in body}, key=len, reverse=True)
    start = 0
    if present and len(body) > length:
        best = -1
        for position in sorted({p for t in present for p in _occurrences(body, t)})[:200]:
            begin = max(0, position - 15)
            window = body[begin : begin + length]
            hits = sum(1 for t in present if t in window)
            if hits > best:
                best, start = hits, begin
    window = body[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(body) else ""
    escaped = html.escape(window)
    if present:
        escaped = _marker(tuple(sorted(set(terms), key=lambda t: (-len(t), t)))).sub(_mark, escaped)
    return prefix + escaped + suffix


def _occurrences(body: str, term: str) -> list[int]:
    found = []
    position = body.find(term)
    while position >= 0:
        found.append(position)
        position = body.find(term, position + len(term))
    return found


@lru_cache(maxsize=1024)
def _marker(terms: tuple[str, ...]) -> re.Pattern[str]:
    """All of a question's terms (longest first) as one pattern over escaped text, so its ten
    snippets share one compiled pattern (compiling one per snippet was a third of a search's
    time). An HTML entity is matched whole first, so a term never marks inside one."""
    alternatives = "|".join(re.escape(html.escape(t)) for t in terms if t)
    return re.compile(rf"(&#?\w+;)|{alternatives}")


def _mark(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) else f"<mark>{match.group(0)}</mark>"


def _normalised(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


def prepare(questions: list[object]) -> None:
    """Questions about to be searched one after another (the bulk interface): their dense
    vectors are computed together, which is faster than one at a time."""
    cdense.prepare([ctext.normalise(question) for question in questions])


def gather(question: object, k: int = 10, *, semantic: bool = True) -> Evidence:
    """What each source says about every article. ``semantic=False`` skips the question's
    embedding (most of a question's time) for weights that do not read it."""
    index = get_index()
    value = ctext.normalise(question)
    topics = classify(value, semantic=semantic)  # the question is embedded once, for both
    tokens, expansions = _terms(value)
    names = topic_names()
    probabilities = np.asarray([topics.get(name, 0.0) for name in names], dtype=np.float32)

    # knowledge base: an entry pulls in the articles it cites, in proportion to how much of the
    # question it covers (an absolute measure: a weak best match pulls weakly)
    columns, weights = query_vector(tokens, expansions, index.knowledge_vocab)
    if index.knowledge and len(columns):
        matched_entries = index.knowledge_matrix[:, columns]
        entry_scores = np.asarray(matched_entries @ weights).ravel()
        entry_cover = np.asarray((matched_entries > 0).astype(np.float32) @ weights).ravel()
        entry_cover = entry_cover / float(weights.sum())
    else:
        entry_scores = np.zeros(len(index.knowledge), dtype=np.float32)
        entry_cover = entry_scores
    ranked_entries = np.argsort(-entry_scores, kind="stable")[: max(k, KNOWLEDGE_TOP)]
    matches = [int(i) for i in ranked_entries if entry_scores[i] > 0]
    knowledge = np.zeros(index.matrix.shape[0], dtype=np.float32)
    for i in matches[:KNOWLEDGE_TOP]:
        for position, row in enumerate(index.knowledge_citations[i]):
            knowledge[row] = max(knowledge[row], float(entry_cover[i]) / (1.0 + 0.15 * position))
    # Only the entries shown pass the topic floor: the pull above keeps every match (the floor
    # there too cost the tune part's recall@1 0.629 -> 0.627, 0.622 with the re-ranker refitted).
    floor = entry_topic_floor(topics)
    shown = [i for i in matches if topics.get(index.knowledge[i].topic, 0.0) >= floor]
    entry_order = _entries_in_order(index, value, shown, entry_scores) if semantic else shown

    lexical, coverage = _article_lexical(index, tokens, expansions)
    prior = np.asarray(index.row_topics @ probabilities).ravel()
    law_support = _law_support(index, lexical)
    phrase = _phrase_overlap(index, value, lexical)
    named_laws = index.laws_named_in(value)
    named = (
        np.isin(index.law_ids, list(named_laws)).astype(np.float32)
        if named_laws
        else np.zeros(index.matrix.shape[0], dtype=np.float32)
    )
    # A law the question names outranks the laws its words merely suggest (行政诉讼的一审判决:
    # 一审判决 suggests 民事诉讼法, but the question says which procedure it is about).
    implied_laws = set() if named_laws else index.laws_implied_by(value)
    implied = (
        np.isin(index.law_ids, list(implied_laws)).astype(np.float32)
        if implied_laws
        else np.zeros(index.matrix.shape[0], dtype=np.float32)
    )
    closeness = cdense.question_scores(index, value) if semantic else None
    if closeness is None or len(closeness) != len(lexical):
        closeness = np.zeros_like(lexical)
    examples = cexamples.question_scores(index, value) if semantic else None
    if examples is None or len(examples) != len(lexical):
        examples = np.zeros_like(lexical)
    # The part that asks is matched on its own, by its words only: embedding it too cost a
    # quarter more time a question and added nothing on the held-back or the fresh set.
    ask = ctext.ask_part(value)
    ask_lexical = _article_lexical(index, *_terms(ask))[0] if ask else lexical
    # Only the re-ranker reads the expanded matrix: the search box (semantic=False) skips it.
    expanded, expanded_coverage = (
        _bm25_coverage(index.expanded_matrix, index.expanded_vocab, tokens, expansions)
        if semantic and index.expanded_matrix is not None
        else (np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32))
    )
    direct: list[int] = []
    for ref in parse_citations(value):
        cited = index.row_of(normalise_law_name(ref.law_name), ref.number)
        if cited is not None and cited not in direct:
            direct.append(cited)
    return Evidence(
        topics=topics,
        tokens=tokens,
        expansions=expansions,
        lexical=lexical,
        coverage=coverage,
        prior=prior,
        knowledge=knowledge,
        named=named,
        implied=implied,
        law_support=law_support,
        phrase=phrase,
        dense=closeness.astype(np.float32),
        direct=direct,
        entry_scores=entry_scores,
        entry_order=entry_order,
        examples=examples,
        ask_lexical=ask_lexical,
        expanded=expanded,
        expanded_coverage=expanded_coverage,
    )


def _terms(text: str) -> tuple[list[str], list[str]]:
    """A text's search terms (without the facts that name no law) and its expansions."""
    return ctext.question_terms(ctext.tokenize(text)), ctext.tokenize(
        " ".join(ctext.expansions(text))
    )


def _article_lexical(
    index: Index, tokens: list[str], expansions: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per article: BM25 (best = 1) plus the coverage bonus, and the coverage itself."""
    lexical, coverage = _bm25_coverage(index.matrix, index.vocab, tokens, expansions)
    return lexical + COVERAGE_WEIGHT * coverage * coverage, coverage


def _bm25_coverage(
    matrix: sparse.csc_matrix, vocab: dict[str, int], tokens: list[str], expansions: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``matrix``: BM25 (best = 1), and the share of the question's (weighted) terms
    the row holds (many terms beat one repeated)."""
    columns, weights = query_vector(tokens, expansions, vocab)
    if not len(columns):
        empty = np.zeros(matrix.shape[0], dtype=np.float32)
        return empty, empty
    matched = matrix[:, columns]
    present = (matched > 0).astype(np.float32)
    coverage = np.asarray(present @ weights).ravel() / float(weights.sum())
    return _normalised(np.asarray(matched @ weights).ravel()), coverage


def entry_topic_floor(topics: dict[str, float]) -> float:
    """The probability a knowledge-base entry's topic needs for the entry to be shown. Shared
    words alone matched a conscription question to entries on housing and company capital; the
    calibrated topic model tells them apart. A question no topic is likely for (or no topic
    model) keeps the entries of its likeliest topic. Next to a clearly likely topic, a distant
    second's entries are not shown either (``ENTRY_TOPIC_SHARE``)."""
    likeliest = max(topics.values(), default=0.0)
    return min(max(ENTRY_TOPIC_FLOOR, ENTRY_TOPIC_SHARE * likeliest), likeliest)


def _entries_in_order(
    index: Index, question: str, shown: list[int], entry_scores: np.ndarray
) -> list[int]:
    """The entries to show, best first: their lexical score (the best = 1) plus how close the
    entry's question is to the citizen's in the semantic space. 老板三个月没给钱 shares 三个月 with
    entries on probation and non-compete pay; its meaning is closest to the unpaid-wages one."""
    vectors = cdense.entry_vectors(index) if len(shown) > 1 else None
    vector = cdense.question_vector(question) if vectors is not None else None
    if vectors is None or vector is None or len(vectors) != len(index.knowledge):
        return shown
    rows = np.asarray(shown)
    lexical = entry_scores[rows] / float(entry_scores[rows].max())
    blended = lexical + ENTRY_CLOSENESS * (vectors[rows] @ vector)
    return [int(i) for i in rows[np.argsort(-blended, kind="stable")]]


_NOT_TEXT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")
PHRASE_CANDIDATES = 40
PHRASE_LONGEST = 12
PHRASE_SHORTEST = 4


def _phrase_overlap(index: Index, question: str, lexical: np.ndarray) -> np.ndarray:
    """For the best lexical candidates, the longest stretch of the question found word for word
    in the article (scaled: 12 characters or more = 1). A citizen who quotes or nearly quotes a
    statute should get that article first, whatever the topic model thinks."""
    overlap = np.zeros_like(lexical)
    core = _NOT_TEXT.sub("", question)
    if len(core) < PHRASE_SHORTEST or not lexical.any():
        return overlap
    wanted = min(PHRASE_CANDIDATES, len(lexical))
    candidates = np.argpartition(-lexical, wanted - 1)[:wanted]
    longest = min(PHRASE_LONGEST, len(core))
    pieces = {
        size: {core[i : i + size] for i in range(len(core) - size + 1)}
        for size in range(PHRASE_SHORTEST, longest + 1)
    }
    for row in candidates:
        if lexical[row] > 0:
            size = _longest_shared(index.texts[row], pieces, longest)
            overlap[row] = size / PHRASE_LONGEST
    return overlap


def _longest_shared(text: str, pieces: dict[int, set[str]], longest: int) -> int:
    """The largest size of which ``text`` holds a piece, or 0 below ``PHRASE_SHORTEST``. Most
    candidates share nothing, which the first test tells; the rest are found by halving, since a
    text holding a stretch of n characters holds its stretches of n - 1 too."""
    if not any(piece in text for piece in pieces[PHRASE_SHORTEST]):
        return 0
    low, high = PHRASE_SHORTEST, longest  # low: a size held; high: the largest still possible
    while low < high:
        size = (low + high + 1) // 2
        if any(piece in text for piece in pieces[size]):
            low = size
        else:
            high = size - 1
    return low


def _law_support(index: Index, lexical: np.ndarray) -> np.ndarray:
    """Per article, how strongly its whole law matches: the sum of its articles' squared
    lexical scores (several good matches in one law say more than one stray match in another),
    scaled to the best law = 1. A scenario about theft matches many articles of 刑法; the
    amount it names matches one fine in some other law."""
    if not len(lexical):
        return lexical
    starts, groups = index.law_groups()
    totals = np.add.reduceat(lexical * lexical, starts)
    top = float(totals.max())
    return (totals / top)[groups] if top > 0 else np.zeros_like(lexical)


def fuse(evidence: Evidence, weights: Fusion = FUSION) -> np.ndarray:
    """One score per article: the blend, its best candidates re-ranked by the learned weights
    (``rerank``), then the guard and the articles the question cites outright."""
    final = blend(evidence, weights)
    if weights.rerank:
        final = rerank.reorder(get_index(), evidence, final)
    lexical = evidence.lexical
    if weights.guard_rank and len(final) > weights.guard_rank and float(lexical.max()) > 0:
        best = int(np.argmax(lexical))
        if float(evidence.coverage[best]) >= weights.guard_coverage:
            _guard(final, best, weights.guard_rank)
    # A struck-out article ("（删去）") answers nothing, unless the question cites it.
    final[get_index().deleted_rows()] = -1.0
    for rank, cited in enumerate(evidence.direct):
        final[cited] = 100.0 - rank
    return final


def blend(evidence: Evidence, weights: Fusion = FUSION) -> np.ndarray:
    """The evidence mixed by hand-set weights. The lexical match leads; the topic prior scales it
    only a little and the knowledge base adds a bounded pull, so neither can bury a strong match
    in a law outside the hotline topics; the law the question names goes first among its
    matches."""
    lexical = evidence.lexical
    # The closer the question quotes an article, the less the soft evidence may move it.
    soft = 1.0 - weights.gate * (float(evidence.phrase.max()) if len(evidence.phrase) else 0.0)
    final = lexical * (1.0 + soft * weights.prior * evidence.prior)
    final = final + soft * weights.knowledge * evidence.knowledge**weights.sharpness
    final = final + weights.law_name * evidence.named * (lexical > 0)
    final = final + weights.implied * evidence.implied * (lexical > 0)
    final = final + soft * weights.law_support * evidence.law_support * (lexical > 0)
    final = final + weights.phrase * evidence.phrase
    if weights.dense and len(evidence.dense) and float(evidence.dense.max()) > 0:
        closeness = np.maximum(evidence.dense, 0.0) / float(evidence.dense.max())
        final = final + soft * weights.dense * closeness**weights.dense_sharpness
    return final + 1e-3 * evidence.prior  # ties and empty questions: likely topics' laws first


def _guard(final: np.ndarray, row: int, rank: int) -> None:
    """Lift ``row`` to position ``rank`` (1-based) if the fusion put it lower: the soft evidence
    may reorder the best lexical match among the first few, never push it out of sight."""
    floor = float(np.partition(-final, rank - 1)[rank - 1]) * -1.0
    if final[row] < floor:
        final[row] = floor + 1e-6 * (1.0 + abs(floor))


def search(
    question: object, k: int = 10, *, snippets: bool = True, weights: Fusion = FUSION
) -> SearchResult:
    """Articles and knowledge-base entries for a question, best first (at least ``k`` articles
    whenever the library has them: past the matches, the best-scored by prior fill up)."""
    index = get_index()
    evidence = gather(question, k, semantic=bool(weights.dense) or weights.rerank)
    final = fuse(evidence, weights)
    topics, tokens, expansions = evidence.topics, evidence.tokens, evidence.expansions
    entry_scores, entry_order = evidence.entry_scores, evidence.entry_order

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
    if len(top) and weights.rerank:
        topics = topics_with_answer(index, topics, int(top[0]))
    return SearchResult(topic_scores=topics, articles=articles, entries=entries)


def topics_with_answer(index: Index, topics: dict[str, float], row: int) -> dict[str, float]:
    """The classifier's probabilities moved ``ANSWER_TOPIC_WEIGHT`` of the way toward the topics
    of the law of the best article (``data/law_topics.tsv``). A caller's 包工头 and 工钱 sound
    like a labour question; when the answer is 民法典's contract for work, the topic moves with
    it. The not-legal probability is left as it is; an article of a law behind no topic moves
    nothing."""
    spread = np.asarray(index.row_topics[row].todense(), dtype=np.float64).ravel()
    legal = sum(p for topic, p in topics.items() if topic != NOT_LEGAL)
    if spread.sum() <= 0 or legal <= 0:
        return topics
    spread /= spread.sum()
    mixed = dict(topics)
    for name, share in zip(topic_names(), spread, strict=True):
        if name != NOT_LEGAL:
            mixed[name] = (1 - ANSWER_TOPIC_WEIGHT) * topics.get(name, 0.0) + (
                ANSWER_TOPIC_WEIGHT * legal * float(share)
            )
    return mixed


def suggest_topics(text: str) -> dict[str, float]:
    """The intake hook (``WORKORDER_CLASSIFIER``): the 20 hotline topics' probabilities as the
    consultation answers them (the remainder is not_legal, which intake does not offer)."""
    scores = search(text, k=1, snippets=False).topic_scores
    return {topic: p for topic, p in scores.items() if topic != NOT_LEGAL}
