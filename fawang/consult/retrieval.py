"""The statute and knowledge-base indexes behind consultation (the search itself: ``engine``).

Three BM25 indexes live in memory (scipy.sparse, one column per token):

* **articles** — every article of the laws in force (宪法, 法律, 立法解释; a law only amended, such
  as 刑法, counts while no in-force version of the same name exists): law short name + chapter +
  section + text;
* **articles expanded** — the same with each article's example questions added (``examples``:
  document expansion, so a caller's 老板 finds the article that says 用人单位); only the
  re-ranker reads it (``rerank``), the search box and the fusion below keep the statute's words;
* **knowledge** — the published knowledge-base entries: question and keywords (twice) + answer.

A question is cut into tokens (amounts, bare numbers and a scenario's 甲/乙/张某 dropped: they
name no law), expanded with the legal terms of its colloquial phrases (``text.expansions``; those
weigh ``bm25.EXPANSION_WEIGHT``) and scored against both. ``engine.gather`` collects the evidence
per article and ``engine.fuse`` mixes it with the weights of ``Fusion``:

    lexical = bm25 (scaled to the best hit = 1) + COVERAGE_WEIGHT × (share of the terms held)²
    final   = lexical × (1 + soft × prior × p(topics of its law))
            + soft × knowledge × (share of the question covered by entries citing the article)
            + law_name × (the question names its law) + implied × (its words imply it, law_cues.tsv;
              only when the question names no law: 行政诉讼的一审判决 is not a civil appeal)
            + phrase × (longest stretch of the question found verbatim, 12 characters = 1)
            + soft × dense × (cosine in the semantic space, best article = 1) ^ dense_sharpness
    soft    = 1 − gate × (the best verbatim stretch)

and then the guard: the best lexical match, when it holds at least ``guard_coverage`` of the
question's weighted terms, is lifted to rank ``guard_rank`` (5) if the soft evidence put it lower
— a plain word match that strong is never pushed out of sight by a topic or a standard answer.

The dense term (``dense``: a sentence encoder's vectors of question and article) brings in the
articles that say the same thing in other words; raised to a high power it pulls only the few
closest, so it reorders the near-misses of the lexical match rather than replacing it.

The lexical match leads: the topic prior scales it only a little, so it cannot bury a strong
match in a law behind none of the 20 hotline topics (the first fusion multiplied by up to 2 and
sent scenario questions to the wrong law); a knowledge-base entry pulls in the articles it cites
in proportion to how much of the question it covers (not relative to the best entry: a weak best
match pulls weakly); a question that quotes a statute silences the soft evidence. An article
cited outright (《民法典》第六百六十七条) goes first. The weights were measured with
``benchmarks/consult.py --sweep`` on the dev split of our dev sets, never on the held-back split.

The indexes are saved under ``<VAR_DIR>/consult/`` and rebuilt incrementally: a content checksum
per law (over its articles) decides which laws are cut again by jieba (the slow part, ~15 s for all
~23k articles); the BM25 matrix itself is rebuilt from the cached tokens in about a second.
Knowledge-base entries carry a checksum each; their small index is rebuilt when any changed. The
expanded matrix is rebuilt with the articles' and whenever the examples file changes (~5 s). The
cached tokens are saved in a file of their own (``retrieval-tokens.pickle``): serving processes
never load them, only a rebuild does.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from fawang.consult import artifacts, example_questions
from fawang.consult import text as ctext
from fawang.consult.artifacts import SUFFIX, _sha, artifact_dir
from fawang.consult.bm25 import bm25_matrix
from fawang.consult.bm25 import query_vector as query_vector
from fawang.consult.bm25 import score as score
from fawang.consult.knowledge_docs import KnowledgeDoc, knowledge_documents
from fawang.consult.knowledge_docs import knowledge_seed_paths as knowledge_seed_paths
from fawang.consult.models import Article, Law, LawStatus, is_deleted_text
from fawang.consult.topics import NOT_LEGAL as NOT_LEGAL
from fawang.consult.topics import _rules_signature, article_topics, law_topic_rules, topic_names

# ``x as x`` above: names of the lower modules that callers still reach through ``retrieval``.

logger = logging.getLogger("fawang.consult")

INDEX_VERSION = 5
DOC_TYPES = ("宪法", "法律", "立法解释")
COVERAGE_WEIGHT = 0.4


@dataclass(frozen=True)
class Fusion:
    """How the evidence is mixed (``engine.fuse``); measured with benchmarks/consult.py."""

    prior: float = 0.15
    knowledge: float = 1.2
    law_name: float = 1.0
    law_support: float = 0.0
    phrase: float = 0.8
    gate: float = 0.5
    implied: float = 0.3
    sharpness: float = 1.0  # entry coverage → pull (at 2, a half-covered question pulls a quarter)
    dense: float = 0.8  # semantic similarity (``dense``), the best article = 1 …
    dense_sharpness: float = 4.0  # … raised to this power: only the near-best pull
    guard_rank: int = 5  # a strong best lexical match is never ranked below this (0: off) …
    guard_coverage: float = 0.5  # … strong: it holds this share of the question's weighted terms
    rerank: bool = True  # the learned second look at the best candidates (``rerank``)


FUSION = Fusion()


# A search box is a look-up of words: articles holding them first, the knowledge base and the
# implied law only as a light hint.
LOOKUP = Fusion(knowledge=0.4, implied=0.0, dense=0.0, rerank=False)
SHORT_LAW_NAMES = frozenset({"宪法", "刑法"})
KNOWLEDGE_TOP = 5  # entries whose citations are pulled in
# An entry is shown only when the topic model gives its topic at least this probability
# (chosen on the tune part: benchmarks/consult.py prints the shown entries with and without it).
ENTRY_TOPIC_FLOOR = 0.1
# … and at least this share of the likeliest topic's: a model trained on another database gave
# a conscription question (general 0.75) 0.115 for marriage and showed its entries again. Tune
# part, 0 / 0.15 / 0.2 / 0.25 / 0.33: entries citing the question's law 0.595 / 0.598 / 0.601 /
# 0.610 / 0.617, questions shown a gold-citing entry 0.427 throughout (0.426 at 0.33).
ENTRY_TOPIC_SHARE = 0.25
# The shown entries are ordered by lexical score (best = 1) + this × the cosine of the entry's
# question and the citizen's: e5 puts question pairs within ~0.1 of each other, so 10 makes a
# 0.05 difference in cosine worth half the best lexical score (chosen on the tune part).
ENTRY_CLOSENESS = 10.0
SNIPPET_CHARS = 120


@dataclass
class Evidence:
    """What a question says about every article, before fusion (kept apart so the fusion
    weights can be measured on a dev set without recomputing the scores)."""

    topics: dict[str, float]
    tokens: list[str]
    expansions: list[str]
    lexical: np.ndarray  # BM25 scaled to the best article = 1, plus the term-coverage bonus
    coverage: np.ndarray  # share of the question's (weighted) terms the article holds
    prior: np.ndarray  # p(topics of the article's law)
    knowledge: np.ndarray  # share of the question covered by entries citing the article
    named: np.ndarray  # 1 where the question names the article's law
    implied: np.ndarray  # 1 where the question's words imply the article's law (data/law_cues.tsv)
    law_support: np.ndarray  # how much of the whole law matches (best law = 1), per article
    phrase: np.ndarray  # longest run of the question's characters found verbatim (12+ = 1)
    dense: np.ndarray  # cosine of question and article in the semantic space (0 when off)
    direct: list[int]  # rows cited outright (《民法典》第六百六十七条)
    entry_scores: np.ndarray
    entry_order: list[int]  # the entries to show, best first (past the topic floor)
    # closeness of the question to each article's closest example question (``examples``)
    examples: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # ``lexical`` for the part of a longer question that asks (``text.ask_part``); the same
    # array as ``lexical`` when the question is one sentence
    ask_lexical: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # BM25 over the article's words and its example questions' together (best = 1), and the
    # share of the question's terms they hold (``Index.expanded_matrix``)
    expanded: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    expanded_coverage: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))


# --- the index -----------------------------------------------------------------------------


@dataclass
class LawCache:
    signature: str
    name: str
    short_name: str
    rows: list[tuple[int, int, int, str, str]]  # (pk, number, suffix, text, tokens joined by " ")


@dataclass
class Index:
    version: int
    laws: dict[int, LawCache]
    signature: str  # of all laws' signatures
    # articles, one row each
    pks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    law_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    numbers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    texts: list[str] = field(default_factory=list)
    matrix: Any = None
    vocab: dict[str, int] = field(default_factory=dict)
    row_topics: Any = None  # rows × topics, 0/1 spread over the article's topics
    rules_signature: str = ""  # of law_topics.tsv, which row_topics was built from
    # the articles again, each with its example questions' words added (``examples``)
    expanded_matrix: Any = None
    expanded_vocab: dict[str, int] = field(default_factory=dict)
    examples_signature: str = ""  # of the examples file the expansion was built from
    # knowledge base
    knowledge: list[KnowledgeDoc] = field(default_factory=list)
    knowledge_signature: str = ""
    knowledge_matrix: Any = None
    knowledge_vocab: dict[str, int] = field(default_factory=dict)
    knowledge_citations: list[list[int]] = field(default_factory=list)  # row numbers of articles
    built_seconds: float = 0.0
    rebuilt_laws: int = 0
    # False for an index read back from its file: the articles' tokens (only a rebuild reads
    # them) are saved apart (``tokens_path``), so a serving process never holds them
    has_tokens: bool = True

    # derived, not saved
    def __post_init__(self) -> None:
        self._row_of_pk: dict[int, int] = {}
        self._law_names: list[tuple[str, int]] = []

    def prepare(self) -> None:
        self._row_of_pk = {int(pk): row for row, pk in enumerate(self.pks)}
        names = []
        for law_id, law in self.laws.items():
            for alias in {law.short_name, law.name}:
                # 宪法 and 刑法 are names too; other two-character strings are words
                if len(alias) >= 3 or alias in SHORT_LAW_NAMES:
                    names.append((alias, law_id))
        self._law_names = sorted(names, key=lambda item: -len(item[0]))
        ctext.add_words(word for doc in self.knowledge for word in doc.keywords)

    def law_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows are grouped by law: the first row of each law, and each row's group number."""
        cached = getattr(self, "_law_groups", None)
        if cached is None:
            change = np.flatnonzero(np.diff(self.law_ids)) + 1
            starts = np.concatenate(([0], change)).astype(np.int64)
            groups = np.repeat(
                np.arange(len(starts)), np.diff(np.append(starts, len(self.law_ids)))
            )
            cached = self._law_groups = (starts, groups)
        return cached

    def deleted_rows(self) -> np.ndarray:
        """Rows of articles an amendment struck out (``models.is_deleted_text``)."""
        cached = getattr(self, "_deleted_rows", None)
        if cached is None:
            cached = np.asarray(
                [row for row, text in enumerate(self.texts) if is_deleted_text(text)],
                dtype=np.int64,
            )
            self._deleted_rows = cached
        return cached

    def row_of(self, short_name: str, number: int) -> int | None:
        return self._row_by_citation().get((short_name, number))

    def _row_by_citation(self) -> dict[tuple[str, int], int]:
        cached: dict[tuple[str, int], int] | None = getattr(self, "_citation_rows", None)
        if cached is None:
            cached = {}
            for row, (law_id, number) in enumerate(
                zip(self.law_ids.tolist(), self.numbers.tolist(), strict=True)
            ):
                cached.setdefault((self.laws[law_id].short_name, number), row)
            self._citation_rows = cached
        return cached

    def laws_implied_by(self, question: str) -> set[int]:
        """The laws the question's words imply (``data/law_cues.tsv``), as law ids."""
        found: set[int] = set()
        by_short = getattr(self, "_law_by_short", None)
        if by_short is None:
            by_short = self._law_by_short = {law.short_name: i for i, law in self.laws.items()}
        for pattern, laws in law_cues():
            if pattern.search(question):
                found.update(by_short[law] for law in laws if law in by_short)
        return found

    def laws_named_in(self, question: str) -> set[int]:
        found: set[int] = set()
        for alias, law_id in self._law_names:
            if alias in question:
                found.add(law_id)
        return found

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()


@lru_cache(maxsize=1)
def law_cues() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    cues = []
    text = (resources.files("fawang.consult") / "data" / "law_cues.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, laws = line.split("\t", 1)
            cues.append((re.compile(pattern), tuple(laws.strip().split("|"))))
    return tuple(cues)


def _indexed_laws() -> list[Law]:
    laws = list(Law.objects.filter(doc_type__in=DOC_TYPES, status=LawStatus.IN_FORCE))
    in_force = {law.short_name for law in laws}
    amended = Law.objects.filter(doc_type__in=DOC_TYPES, status=LawStatus.AMENDED).exclude(
        short_name__in=in_force
    )
    newest: dict[str, Law] = {}
    for law in amended.order_by("short_name", "-version_date"):
        newest.setdefault(law.short_name, law)
    return sorted([*laws, *newest.values()], key=lambda law: law.pk)


def _law_rows(law_ids: list[int]) -> dict[int, list[tuple[int, int, int, str, str, str]]]:
    rows: dict[int, list[tuple[int, int, int, str, str, str]]] = {i: [] for i in law_ids}
    queryset = (
        Article.objects.filter(law_id__in=law_ids)
        .order_by("law_id", "number", "suffix")
        .values_list("law_id", "pk", "number", "suffix", "chapter", "section", "text")
    )
    for law_id, pk, number, suffix, chapter, section, body in queryset.iterator(chunk_size=4000):
        rows[law_id].append((pk, number, suffix, chapter, section, body))
    return rows


def _tokens_of(short_name: str, chapter: str, section: str, body: str) -> str:
    chapter = re.sub(r"^第\S+?[章节编]\s*", "", chapter or "")
    section = re.sub(r"^第\S+?[章节编]\s*", "", section or "")
    # The full text is indexed (MAX_CHARS only bounds questions).
    tokens: list[str] = []
    for part in (short_name, chapter, section):
        tokens.extend(ctext.tokenize(part))
    for start in range(0, len(body), ctext.MAX_CHARS):
        tokens.extend(ctext.tokenize(body[start : start + ctext.MAX_CHARS]))
    return " ".join(tokens)


def build_index(previous: Index | None = None, *, force: bool = False) -> Index:
    """The index for what the database holds now, reusing ``previous``'s tokens for laws whose
    content checksum has not changed."""
    started = time.perf_counter()
    laws = _indexed_laws()
    rows_by_law = _law_rows([law.pk for law in laws])
    reuse = {} if (previous is None or force) else previous.laws
    caches: dict[int, LawCache] = {}
    rebuilt = 0
    for law in laws:
        rows = rows_by_law.get(law.pk, [])
        signature = _sha(law.name, law.short_name, *(r for row in rows for r in row))
        old = reuse.get(law.pk)
        if old is not None and old.signature == signature:
            caches[law.pk] = old
            continue
        rebuilt += 1
        caches[law.pk] = LawCache(
            signature=signature,
            name=law.name,
            short_name=law.short_name,
            rows=[
                (pk, number, suffix, body, _tokens_of(law.short_name, chapter, section, body))
                for pk, number, suffix, chapter, section, body in rows
            ],
        )
    if (
        previous is not None
        and not force
        and rebuilt == 0
        and caches.keys() == reuse.keys()
        and previous.rules_signature == _rules_signature()
    ):
        # Only the knowledge base changed (an entry published or retired): keep the article
        # matrix, which is most of the cost of a rebuild.
        index = _articles_of(previous)
        if index.examples_signature != example_questions.signature():
            _expand(index)
    else:
        index = _assemble(caches)
    index.rebuilt_laws = rebuilt
    _attach_knowledge(index, knowledge_documents())
    index.built_seconds = round(time.perf_counter() - started, 2)
    return index


def _assemble(caches: dict[int, LawCache]) -> Index:
    pks: list[int] = []
    law_ids: list[int] = []
    numbers: list[int] = []
    texts: list[str] = []
    documents: list[list[str]] = []
    rules = law_topic_rules()
    names = topic_names()
    topic_rows: list[int] = []
    topic_columns: list[int] = []
    topic_values: list[float] = []
    for law_id in sorted(caches):
        cache = caches[law_id]
        for pk, number, _suffix, body, tokens in cache.rows:
            row = len(pks)
            pks.append(pk)
            law_ids.append(law_id)
            numbers.append(number)
            texts.append(body)
            documents.append(tokens.split())
            topics = article_topics(cache.short_name, number, rules)
            for topic in topics:
                if topic in names:
                    topic_rows.append(row)
                    topic_columns.append(names.index(topic))
                    topic_values.append(1.0 / len(topics))
    matrix, vocab = bm25_matrix(documents)
    row_topics = sparse.csr_matrix(
        (np.asarray(topic_values, dtype=np.float32), (topic_rows, topic_columns)),
        shape=(len(pks), len(names)),
    )
    index = Index(
        version=INDEX_VERSION,
        laws=caches,
        signature=_sha(*(f"{k}:{caches[k].signature}" for k in sorted(caches))),
        pks=np.asarray(pks, dtype=np.int64),
        law_ids=np.asarray(law_ids, dtype=np.int64),
        numbers=np.asarray(numbers, dtype=np.int64),
        texts=texts,
        matrix=matrix,
        vocab=vocab,
        row_topics=row_topics,
        rules_signature=_rules_signature(),
    )
    _expand(index, documents)
    return index


def _expand(index: Index, documents: list[list[str]] | None = None) -> None:
    """The expanded matrix: each article's words (``documents``, else its cached tokens) and its
    example questions' (document expansion: the words callers use join the statute's)."""
    if documents is None:
        documents = [
            tokens.split()
            for law_id in sorted(index.laws)
            for *_row, tokens in index.laws[law_id].rows
        ]
    extra = example_questions.terms_by_row(index.laws)
    index.expanded_matrix, index.expanded_vocab = bm25_matrix(
        [words + more for words, more in zip(documents, extra, strict=True)]
    )
    index.examples_signature = example_questions.signature()


def _articles_of(previous: Index) -> Index:
    return Index(
        version=INDEX_VERSION,
        laws=previous.laws,
        signature=previous.signature,
        pks=previous.pks,
        law_ids=previous.law_ids,
        numbers=previous.numbers,
        texts=previous.texts,
        matrix=previous.matrix,
        vocab=previous.vocab,
        row_topics=previous.row_topics,
        rules_signature=previous.rules_signature,
        expanded_matrix=previous.expanded_matrix,
        expanded_vocab=previous.expanded_vocab,
        examples_signature=previous.examples_signature,
    )


def _attach_knowledge(index: Index, docs: list[KnowledgeDoc]) -> None:
    index.knowledge = docs
    index.knowledge_signature = _sha(*(doc.signature for doc in docs))
    index.prepare()
    documents = []
    for doc in docs:
        head = " ".join([doc.question, *doc.keywords])
        documents.append(ctext.tokenize(head) * 2 + ctext.tokenize(doc.answer))
    index.knowledge_matrix, index.knowledge_vocab = bm25_matrix(documents)
    citations = []
    for doc in docs:
        rows = [index.row_of(law, number) for law, number in doc.citations]
        citations.append([row for row in rows if row is not None])
    index.knowledge_citations = citations


# --- loading, saving, refreshing -----------------------------------------------------------

_lock = threading.RLock()
_index: Index | None = None


def index_path() -> Path:
    return artifact_dir() / f"retrieval{SUFFIX}"


def tokens_path() -> Path:
    return artifact_dir() / f"retrieval-tokens{SUFFIX}"


def _save(index: Index) -> None:
    """The index without its articles' tokens, and the tokens in a file of their own (keyed by
    each law's checksum): a serving process loads the first only, ~12 MB and a third of the
    load time less; a rebuild reads both (``_with_tokens``). Tokens first: an index file is
    never newer than the tokens it was built with."""
    artifacts.save(
        {
            law_id: (law.signature, [row[4] for row in law.rows])
            for law_id, law in index.laws.items()
        },
        tokens_path(),
    )
    laws = {
        law_id: dataclasses.replace(law, rows=[(*row[:4], "") for row in law.rows])
        for law_id, law in index.laws.items()
    }
    artifacts.save(dataclasses.replace(index, laws=laws, has_tokens=False), index_path())


def _with_tokens(index: Index) -> Index:
    """``index`` (read back from its file) with its articles' tokens from theirs. A law whose
    tokens are missing or from another version of its text loses its checksum, so the rebuild
    cuts it again."""
    try:
        saved = artifacts.load(tokens_path())
    except Exception:  # missing or unreadable: every law is cut again
        saved = {}
    for law_id, law in index.laws.items():
        signature, tokens = saved.get(law_id, ("", []))
        if signature == law.signature and len(tokens) == len(law.rows):
            law.rows = [(*row[:4], words) for row, words in zip(law.rows, tokens, strict=True)]
        else:
            law.signature = ""
    index.has_tokens = True
    return index


def _load_saved() -> Index | None:
    path = index_path()
    if not path.is_file():
        return None
    try:
        index = artifacts.load(path)
    except Exception:  # a damaged or foreign file is rebuilt, never trusted
        logger.warning("retrieval index %s is unreadable; rebuilding", path)
        return None
    if not isinstance(index, Index) or index.version != INDEX_VERSION:
        return None
    index.prepare()
    return index


def refresh(*, force: bool = False, save: bool = True) -> Index:
    """Bring the index up to date with the database: re-cut only the laws whose articles changed,
    re-index the knowledge base if any entry changed; saved when anything did."""
    global _index
    with _lock:
        started = time.perf_counter()
        # a served index has no tokens: the rebuild starts from a fresh copy of the file
        previous = _index if _index is not None and _index.has_tokens else _load_saved()
        if previous is not None and not previous.has_tokens:
            previous = _with_tokens(previous)
        index = build_index(previous, force=force)
        unchanged = (
            previous is not None
            and not force
            and previous.signature == index.signature
            and previous.knowledge_signature == index.knowledge_signature
            and previous.examples_signature == index.examples_signature
            and index.rebuilt_laws == 0  # a law re-cut for want of its tokens is saved again
        )
        if unchanged and previous is not None:
            previous.rebuilt_laws = 0
            previous.built_seconds = round(time.perf_counter() - started, 2)
            _index = previous
            return previous
        if save:
            _save(index)
        _index = index
        global _loaded_mtime
        # An index built here and not saved is newer than any file: keep it until reset().
        _loaded_mtime = _saved_mtime() if save else float("inf")
        return index


def has_index() -> bool:
    return _index is not None or index_path().is_file()


_loaded_mtime: float = 0.0
_checked_at: float = 0.0
RELOAD_CHECK_SECONDS = 10.0


def _saved_mtime() -> float:
    try:
        return index_path().stat().st_mtime
    except OSError:
        return 0.0


def _reload_if_rebuilt() -> None:
    """Web processes pick up an index the worker rebuilt (a stat every few seconds, no more)."""
    global _index, _loaded_mtime, _checked_at
    now = time.monotonic()
    if now - _checked_at < RELOAD_CHECK_SECONDS:
        return
    _checked_at = now
    mtime = _saved_mtime()
    if mtime > _loaded_mtime:
        saved = _load_saved()
        if saved is not None:
            with _lock:
                _index, _loaded_mtime = saved, mtime


def get_index() -> Index:
    """The index, loaded once per process (built on first use if there is no saved one) and
    reloaded when the saved file is newer than the one in memory."""
    global _index, _loaded_mtime
    if _index is not None:
        _reload_if_rebuilt()
        return _index
    with _lock:
        if _index is None:
            # processes starting together build it once; the others read what it saved
            with artifacts.exclusive(index_path()):
                saved = _load_saved()
                _index = saved if saved is not None else refresh()
            _loaded_mtime = _saved_mtime()
    return _index


def load_saved() -> bool:
    """Adopt the saved index if there is one (never builds); True when loaded."""
    global _index, _loaded_mtime
    with _lock:
        if _index is None:
            _index = _load_saved()
            _loaded_mtime = _saved_mtime()
        return _index is not None


def reset() -> None:
    """Forget the in-memory index (tests; a process that wants to reload the saved file)."""
    global _index
    with _lock:
        _index = None


def describe(index: Index) -> str:
    return json.dumps(
        {
            "laws": len(index.laws),
            "articles": len(index.pks),
            "tokens": len(index.vocab),
            "knowledge_entries": len(index.knowledge),
            "rebuilt_laws": index.rebuilt_laws,
            "seconds": index.built_seconds,
        },
        ensure_ascii=False,
    )
