"""The learned re-ranking of the fusion's best candidates (issue 19).

``engine.blend`` mixes the evidence with hand-set weights (``retrieval.Fusion``); that order is
good at finding the right article somewhere near the top and weaker at choosing among the close
ones. This module looks again at the few dozen best candidates — the blend's top 40, the 20
best lexical and the 20 closest dense matches, the 20 articles whose example questions
(``examples``) are closest, the 10 best by the words of the part that asks and the 10 best by
the article's and its examples' words together — and scores each by a linear function of what
the evidence says about the article *and about its law* (how well the law's best article
matches, how many of the question's nearest articles it holds, how large it is). The weights
are learned from our dev sets' tune part (``benchmarks/consult.py --fit-rerank``): a softmax over
each question's candidates, pushed toward its gold articles, with an L2 penalty. They are
saved in ``data/rerank.json`` beside the feature names, the means and scales they were fitted
with; a file whose names differ from ``FEATURES`` is ignored (the blend's order stands).

Every candidate ends above every non-candidate, so the rest of the list keeps the blend's order.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from fawang.consult.retrieval import Evidence, Index

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "rerank.json"
BLEND_TOP = 40
LEXICAL_TOP = 20
DENSE_TOP = 20
EXAMPLE_TOP = 20
ASK_TOP = 10
EXPANDED_TOP = 10
NEIGHBOURS = 50  # "how many of the question's nearest articles the law holds" counts in these

FEATURES = (
    "blend",  # the hand-weighted fusion, best article = 1
    "lexical",  # BM25 + coverage bonus, best = 1
    "coverage",  # share of the question's weighted terms the article holds
    "coverage_sq",
    "prior",  # p(topics of the article's law)
    "knowledge",  # pull of the knowledge-base entries citing it
    "named",  # the question names its law
    "implied",  # the question's words imply its law
    "law_support",  # how much of the whole law matches
    "phrase",  # longest verbatim stretch of the question
    "closeness",  # dense cosine, best = 1
    "closeness_4",
    "lexical_rank",  # 1 / log2(rank + 2) in each ordering
    "dense_rank",
    "blend_rank",
    "law_best_lexical",  # the law's best article, lexically (best = 1)
    "law_best_closeness",  # the law's closest article, densely (best = 1)
    "law_dense_neighbours",  # share of the 50 nearest articles in its law
    "law_lexical_neighbours",  # share of the 50 best lexical matches in its law
    "law_size",  # log of the law's number of articles / 8
    "matched",  # 1 where the article shares a word with the question
    "example",  # closeness of its closest example question (``examples``), best = 1
    "example_4",
    "example_closeness",  # the same, not scaled to the best
    "example_rank",
    "ask_lexical",  # ``lexical`` of the part that asks (``text.ask_part``)
    "law_best_ask_lexical",  # the law's best article by it (best = 1)
    "expanded",  # BM25 over the article and its example questions together, best = 1
    "expanded_coverage",  # share of the question's weighted terms they hold
    "expanded_rank",
    "law_best_expanded",  # the law's best article by it
)


@dataclass(frozen=True)
class Weights:
    weights: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def score(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.weights


def weights_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / WEIGHTS_FILE))


@lru_cache(maxsize=1)
def load_weights() -> Weights | None:
    """The packaged weights, or None (and a warning) when missing or fitted on other features."""
    try:
        saved = json.loads(weights_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("no re-ranking weights at %s: the blend's order stands", weights_path())
        return None
    if tuple(saved.get("features", ())) != FEATURES:
        logger.warning("re-ranking weights fitted on other features: the blend's order stands")
        return None
    return Weights(
        weights=np.asarray(saved["weights"], dtype=np.float64),
        mean=np.asarray(saved["mean"], dtype=np.float64),
        scale=np.asarray(saved["scale"], dtype=np.float64),
    )


def candidates(evidence: Evidence, blended: np.ndarray) -> np.ndarray:
    """Row numbers worth a second look, ascending."""
    chosen = [_top(blended, BLEND_TOP), _top(evidence.lexical, LEXICAL_TOP, positive=True)]
    if len(evidence.dense) == len(blended):
        chosen.append(_top(evidence.dense, DENSE_TOP, positive=True))
    if len(evidence.examples) == len(blended):
        chosen.append(_top(evidence.examples, EXAMPLE_TOP, positive=True))
    if len(evidence.ask_lexical) == len(blended):
        chosen.append(_top(evidence.ask_lexical, ASK_TOP, positive=True))
    if len(evidence.expanded) == len(blended):
        chosen.append(_top(evidence.expanded, EXPANDED_TOP, positive=True))
    return np.unique(np.concatenate(chosen))


def features(index: Index, evidence: Evidence, blended: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One row of ``FEATURES`` per candidate row."""
    starts, groups = index.law_groups()
    laws = groups[rows]
    lexical = _scaled(evidence.lexical)
    closeness = _scaled(np.maximum(evidence.dense, 0.0))
    examples = evidence.examples if len(evidence.examples) == len(blended) else blended * 0.0
    example = _scaled(examples)
    sizes = np.diff(np.append(starts, len(blended)))
    asked = evidence.ask_lexical if len(evidence.ask_lexical) == len(blended) else blended * 0.0
    ask_lexical = _scaled(asked)
    has_expanded = len(evidence.expanded) == len(blended)
    expanded = evidence.expanded if has_expanded else blended * 0.0
    expanded_coverage = evidence.expanded_coverage if has_expanded else blended * 0.0
    columns = [
        _scaled(blended)[rows],
        lexical[rows],
        evidence.coverage[rows],
        evidence.coverage[rows] ** 2,
        evidence.prior[rows],
        evidence.knowledge[rows],
        evidence.named[rows],
        evidence.implied[rows],
        evidence.law_support[rows],
        evidence.phrase[rows],
        closeness[rows],
        closeness[rows] ** 4,
        _rank_weight(evidence.lexical, rows),
        _rank_weight(evidence.dense, rows),
        _rank_weight(blended, rows),
        np.maximum.reduceat(lexical, starts)[laws],
        np.maximum.reduceat(closeness, starts)[laws],
        _law_share(evidence.dense, groups, len(starts))[laws],
        _law_share(evidence.lexical, groups, len(starts))[laws],
        np.log(sizes[laws]) / 8.0,
        (evidence.lexical[rows] > 0).astype(np.float64),
        example[rows],
        example[rows] ** 4,
        examples[rows],
        _rank_weight(examples, rows),
        ask_lexical[rows],
        np.maximum.reduceat(ask_lexical, starts)[laws],
        expanded[rows],
        expanded_coverage[rows],
        _rank_weight(expanded, rows),
        np.maximum.reduceat(expanded, starts)[laws],
    ]
    return np.column_stack(columns).astype(np.float64)


def reorder(index: Index, evidence: Evidence, blended: np.ndarray) -> np.ndarray:
    """The blend's scores with the candidates lifted above the rest in the learned order."""
    weights = load_weights()
    if weights is None or not len(blended) or float(blended.max()) <= 0:
        return blended
    rows = candidates(evidence, blended)
    learned = weights.score(features(index, evidence, blended, rows))
    final = blended.astype(np.float64)
    # Above every non-candidate, in the learned order; the spread stays below 1 so a direct
    # citation (100) and the guard still work on the result.
    floor = float(blended.max()) + 1.0
    spread = float(learned.max() - learned.min()) or 1.0
    final[rows] = floor + (learned - learned.min()) / spread * 0.5
    return final


def fit(
    examples: list[tuple[np.ndarray, np.ndarray]],
    *,
    l2: float = 1e-3,
    steps: int = 300,
    rate: float = 0.5,
) -> Weights:
    """Weights for ``FEATURES`` from (candidate features, 1 where gold) pairs, one per question:
    full-batch gradient descent on the softmax cross-entropy of each question's candidates
    against its gold articles (questions with no gold candidate are left out)."""
    usable = [(f, y) for f, y in examples if len(y) and float(y.sum()) > 0]
    if not usable:
        raise ValueError("no question has a gold article among its candidates")
    stacked = np.vstack([f for f, _ in usable])
    mean = stacked.mean(axis=0)
    scale = stacked.std(axis=0) + 1e-6
    scaled = [((f - mean) / scale, y / y.sum()) for f, y in usable]
    weights = np.zeros(stacked.shape[1])
    weights[FEATURES.index("blend")] = 1.0  # start from the blend's own order
    for _ in range(steps):
        gradient = l2 * len(scaled) * weights
        for matrix, target in scaled:
            scores = matrix @ weights
            p = np.exp(scores - scores.max())
            p /= p.sum()
            gradient += matrix.T @ (p - target)
        weights -= rate * gradient / len(scaled)
    return Weights(weights=weights, mean=mean, scale=scale)


def save(weights: Weights, path: Path, **provenance: Any) -> None:
    payload = {
        "features": list(FEATURES),
        "weights": [round(float(v), 6) for v in weights.weights],
        "mean": [round(float(v), 6) for v in weights.mean],
        "scale": [round(float(v), 6) for v in weights.scale],
        **provenance,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    load_weights.cache_clear()


def _top(values: np.ndarray, count: int, *, positive: bool = False) -> np.ndarray:
    count = min(count, len(values))
    if not count:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-values, count - 1)[:count]
    return top[values[top] > 0] if positive else top


def _scaled(values: np.ndarray) -> np.ndarray:
    best = float(values.max()) if len(values) else 0.0
    return values / best if best > 0 else values


def _rank_weight(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """1 / log2(rank + 2) of each row in ``values``' descending order (rank 0 = best)."""
    ordered = np.sort(values)
    better = len(values) - np.searchsorted(ordered, values[rows], side="right")
    return 1.0 / np.log2(better + 2.0)


def _law_share(values: np.ndarray, groups: np.ndarray, laws: int) -> np.ndarray:
    """Per law, its share of the ``NEIGHBOURS`` best rows by ``values``."""
    top = _top(values, NEIGHBOURS)
    return np.bincount(groups[top], minlength=laws) / float(NEIGHBOURS)
