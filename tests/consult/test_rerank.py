"""The learned second look at the fusion's best candidates (fawang/consult/rerank.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fawang.consult import engine, rerank, retrieval

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(statutes: Any) -> retrieval.Index:
    return retrieval.get_index()


@pytest.fixture
def other_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the engine at a weights file of our own for one test."""
    path = tmp_path / "rerank.json"
    monkeypatch.setattr(rerank, "weights_path", lambda: path)
    rerank.load_weights.cache_clear()
    yield path
    rerank.load_weights.cache_clear()


def _ranked(question: str, weights: retrieval.Fusion = retrieval.FUSION) -> list[tuple[str, int]]:
    return [(hit.law, hit.number) for hit in engine.search(question, weights=weights).articles]


def test_fitting_learns_the_feature_that_marks_the_gold_article() -> None:
    # 200 questions of 30 candidates: the blend puts the gold one anywhere in the first ten,
    # the dense closeness is what sets it apart. The fit must learn to trust closeness.
    rng = np.random.default_rng(7)
    blend, closeness = rerank.FEATURES.index("blend"), rerank.FEATURES.index("closeness")
    examples = []
    for _ in range(200):
        features = rng.random((30, len(rerank.FEATURES))) * 0.5
        features[:, blend] = np.linspace(1.0, 0.1, 30)
        gold = int(rng.integers(1, 10))
        features[gold, closeness] = 1.0
        labels = np.zeros(30)
        labels[gold] = 1.0
        examples.append((features, labels))
    weights = rerank.fit(examples)
    firsts = [int(np.argmax(weights.score(f))) == int(np.argmax(y)) for f, y in examples]
    assert sum(firsts) / len(firsts) > 0.95
    assert weights.weights[closeness] > weights.weights[blend]


def test_fitting_without_any_gold_candidate_says_so() -> None:
    with pytest.raises(ValueError, match="no question"):
        rerank.fit([(np.ones((5, len(rerank.FEATURES))), np.zeros(5))])


def test_the_packaged_weights_fit_the_features_the_engine_computes() -> None:
    # A feature added or renamed without refitting (benchmarks/consult.py --fit-rerank) fails here.
    assert rerank.load_weights() is not None


def test_reranking_reorders_only_the_head_and_keeps_every_article(index: retrieval.Index) -> None:
    question = "邻居装修把我家墙震裂了，找谁赔？"
    evidence = engine.gather(question)
    blended = engine.blend(evidence)
    final = rerank.reorder(index, evidence, blended)
    rows = rerank.candidates(evidence, blended)
    assert final.shape == blended.shape
    outside = np.setdiff1d(np.arange(len(final)), rows)
    assert float(final[rows].min()) > float(final[outside].max())  # candidates first
    # the rest keep the blend's order among themselves
    assert np.array_equal(np.argsort(-final[outside]), np.argsort(-blended[outside]))


def test_a_strong_lexical_match_and_a_cited_article_survive_the_reranking(
    index: retrieval.Index,
) -> None:
    question = (
        "《民法典》第二百九十五条：不动产权利人挖掘土地、建造建筑物，不得危及相邻不动产的安全"
    )
    ranked = _ranked(question)
    assert ranked[0] == ("中华人民共和国民法典", 295)
    evidence = engine.gather("建造建筑物不得危及相邻不动产的安全")
    best = int(np.argmax(evidence.lexical))
    final = engine.fuse(evidence)
    assert int((final > final[best]).sum()) < retrieval.FUSION.guard_rank


def test_weights_fitted_on_other_features_leave_the_blend_order(
    index: retrieval.Index, other_weights: Path, caplog: pytest.LogCaptureFixture
) -> None:
    question = "公司拖欠工资三个月了，我能不能直接解除劳动合同要补偿？"
    other_weights.write_text(
        json.dumps({"features": ["blend"], "weights": [1], "mean": [0], "scale": [1]}),
        encoding="utf-8",
    )
    assert _ranked(question) == _ranked(question, replace(retrieval.FUSION, rerank=False))
    assert "other features" in caplog.text
    other_weights.write_text("{not json", encoding="utf-8")
    rerank.load_weights.cache_clear()
    assert len(_ranked(question)) == 10


def test_saved_weights_are_read_back_and_used(index: retrieval.Index, other_weights: Path) -> None:
    # Weights that trust nothing but the law's size put the largest candidate law first.
    size = rerank.FEATURES.index("law_size")
    weights = rerank.Weights(
        weights=np.eye(len(rerank.FEATURES))[size],
        mean=np.zeros(len(rerank.FEATURES)),
        scale=np.ones(len(rerank.FEATURES)),
    )
    rerank.save(weights, other_weights, fitted_on="a test")
    assert json.loads(other_weights.read_text(encoding="utf-8"))["fitted_on"] == "a test"
    first = engine.search("借钱不还怎么办").articles[0]
    assert first.law == "中华人民共和国民法典"  # the largest law among the candidates
