"""Example questions for articles: how a citizen would ask for what an article says.

An article is written in the statute's words (用人单位未及时足额支付劳动报酬的); a caller says
公司拖了三个月工资不给. e5 puts a question much closer to another question about the same matter
than to the article itself, so the project wrote one question per article in the people's own
words for every in-force law of the index (``data/article_questions.tsv``, about 41,000 questions;
pack data written for this project, no outside source). A question is compared with every example
(``query:`` on both sides) and each article gets the closeness of its closest example; the
re-ranker reads that beside the article's own closeness (``rerank.FEATURES``) and its best
examples' articles join the candidates. Their words also join the article's in a second BM25
matrix (``example_questions.terms_by_row``; ``retrieval.Index.expanded_matrix``), which needs
no encoder. The topic classifier learns from them too (``classifier``). The file itself is read
by ``example_questions``.

The examples' vectors ship as ``data/dense_examples.npz`` (int8, keyed by the hash of the text);
``fawang consult build-dense --examples`` rewrites it after the file changes (a test fails until
it is rebuilt; meanwhile the engine embeds what the file lacks once, at load). An example is tied
to its article by law short name, number and suffix: an article a new edition renumbers keeps an
example that no longer fits until the file is revised, and an example whose article the index
lacks is left out.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from fawang.consult import dense as cdense
from fawang.consult import example_questions as questions

if TYPE_CHECKING:
    from fawang.consult.retrieval import Index

logger = logging.getLogger("fawang.consult")

VECTORS_FILE = "dense_examples.npz"

_lock = threading.Lock()


def vectors_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / VECTORS_FILE))


def build_package(path: Path | None = None) -> cdense.Vectors:
    """Write the package file for the examples as they are now: the vectors of questions the file
    already holds are kept, only new or edited questions are embedded."""
    started = time.perf_counter()
    target = path or vectors_path()
    unique = list(dict.fromkeys(questions.texts(questions.load_examples())))
    vectors, embedded = _stored_or_embedded(unique, target)
    package = cdense.Vectors(
        meta={
            "format": cdense.FORMAT,
            "model": cdense.MODEL,
            "dims": cdense.DIMS,
            "questions": len(unique),
            "embedded": embedded,
            "seconds": round(time.perf_counter() - started, 1),
        },
        hashes=cdense.text_hashes(unique),
        vectors=vectors,
    )
    package.save(target)
    return package


def _stored_or_embedded(
    wanted: list[str], path: Path, *, warn: bool = False
) -> tuple[np.ndarray, int]:
    """int8 vectors of ``wanted`` from the file at ``path``, the ones it lacks embedded now; and
    how many were embedded."""
    out = np.zeros((len(wanted), cdense.DIMS), dtype=np.int8)
    stored = cdense.Vectors.load(path) if path.is_file() else None
    found = np.zeros(len(wanted), dtype=bool)
    if stored is not None and len(stored.hashes):
        found, rows = cdense._lookup([stored], cdense.text_hashes(wanted))
        out[found] = rows
    missing = np.flatnonzero(~found).tolist()
    if missing:
        if warn:
            logger.warning(
                "%d example questions have no packaged vector: embedding them", len(missing)
            )
        out[missing] = cdense.quantise(cdense._embed([wanted[i] for i in missing], query=True))
    return out, len(missing)


@dataclass
class ExampleSpace:
    matrix: np.ndarray  # examples × DIMS, int8
    scales: np.ndarray  # 1 / each row's length
    rows: np.ndarray  # the index row of each example's article
    # the examples grouped by article: their order, where each article's group starts, its row
    order: np.ndarray = field(init=False, repr=False)
    starts: np.ndarray = field(init=False, repr=False)
    articles: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.order = np.argsort(self.rows, kind="stable")
        grouped = self.rows[self.order]
        self.starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        self.articles = grouped[self.starts]

    def scores(self, vector: np.ndarray, size: int) -> np.ndarray:
        """Per index row (``size`` of them): the closeness of its closest example, rescaled as
        the articles' own (``dense.UNRELATED_COSINE`` → 0); 0 for an article with none."""
        return self.scores_many(vector[None, :], size)[0]

    def scores_many(self, vectors: np.ndarray, size: int) -> np.ndarray:
        """``scores`` of several questions at once: one row each."""
        closeness = cdense.closeness_many(self.matrix, self.scales, vectors)[:, self.order]
        out = np.zeros((len(vectors), size), dtype=np.float32)
        out[:, self.articles] = np.maximum.reduceat(closeness, self.starts, axis=1)
        return out


def vectors_of(wanted: list[str]) -> np.ndarray:
    """int8 vectors of ``wanted``: from the package, the ones it lacks embedded now."""
    return _stored_or_embedded(wanted, vectors_path(), warn=True)[0]


def space_for(index: Index) -> ExampleSpace | None:
    """The examples matched to ``index``'s rows (once per index and dense space), or None when
    there is no dense space (the engine cannot run here) or no example fits an article of the
    index. Kept beside the dense space it was built for: a space that comes later (the changed
    articles embedded) gets its examples then."""
    articles = cdense.space_for(index)
    if articles is None:
        return None
    if getattr(index, "_examples_for", None) is articles:
        return getattr(index, "_example_space", None)
    with _lock:
        if getattr(index, "_examples_for", None) is articles:
            return getattr(index, "_example_space", None)
        try:
            space = _assemble(index)
        except cdense.EncoderUnavailable:
            space = None
        except Exception:  # a damaged file: the articles' own closeness still answers
            logger.exception("example questions could not be loaded")
            space = None
        index._example_space = space  # type: ignore[attr-defined]
        index._examples_for = articles  # type: ignore[attr-defined]
        return space


def _assemble(index: Index) -> ExampleSpace | None:
    by_article = questions.rows_by_article(index.laws)
    examples = questions.load_examples()
    kept = [
        (row, text)
        for example, text in zip(examples, questions.texts(examples), strict=True)
        if (row := by_article.get((example.law, example.number, example.suffix))) is not None
    ]
    if not kept:
        return None
    matrix = vectors_of([text for _row, text in kept])
    return ExampleSpace(
        matrix=matrix,
        scales=cdense.row_scales(matrix),
        rows=np.asarray([row for row, _text in kept], dtype=np.int64),
    )


def question_scores(index: Index, text: str) -> np.ndarray | None:
    """Per article, the closeness of the question to its closest example; None without them."""
    space = space_for(index)
    if space is None or not text.strip():
        return None
    size = len(index.pks)
    try:
        return cdense.scored(
            space,
            text,
            lambda vector: space.scores(vector, size),
            lambda vectors: space.scores_many(vectors, size),
        )
    except Exception:
        logger.exception("example scores failed; the articles' own closeness only")
        return None
