"""Example questions for articles (fawang/consult/examples.py)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from fawang.consult import dense, engine, rerank, retrieval
from fawang.consult import example_questions as eq
from fawang.consult import examples as ex

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(statutes: Any) -> retrieval.Index:
    return retrieval.get_index()


def _forget_examples(index: retrieval.Index) -> None:
    for name in ("_examples_for", "_example_space"):
        if hasattr(index, name):
            delattr(index, name)


@pytest.fixture
def fresh(index: retrieval.Index) -> retrieval.Index:
    """The index with its example space forgotten, so a test can load it again its own way."""
    _forget_examples(index)
    yield index
    _forget_examples(index)


def _article_of(index: retrieval.Index, row: int, *, full: bool = False) -> tuple[str, int]:
    law = index.laws[int(index.law_ids[row])]
    return law.name if full else law.short_name, int(index.numbers[row])


def test_every_example_is_tied_to_an_article_of_the_library(index: retrieval.Index) -> None:
    examples = eq.load_examples()
    assert len(examples) > 49000  # every law of the index, four for the most-asked articles
    known = eq.rows_by_article(index.laws)
    missing = [e for e in examples if (e.law, e.number, e.suffix) not in known]
    assert not missing, missing[:5]
    assert all(8 <= len(e.question) <= 120 for e in examples)
    # a caller's words, not the statute's: no example repeats its article's opening words
    space = ex.space_for(index)
    assert space is not None and len(space.rows) == len(examples)
    texts = {row: index.texts[row] for row in space.rows.tolist()}
    copied = [
        e
        for e, row in zip(examples, space.rows.tolist(), strict=True)
        if len(e.question) >= 15 and e.question[:15] in texts[row]
    ]
    assert len(copied) < len(examples) * 0.01


def test_every_law_of_the_index_has_examples_for_its_articles(index: retrieval.Index) -> None:
    """An article without an example lacks the re-ranker's example evidence, so a whole law left
    out would sink behind the laws that have them. Amendments, decisions, interpretations and
    resolutions are left out on purpose (a caller's answer is the law they amend or interpret),
    and so are the purpose and commencement clauses."""
    left_out = re.compile(r"修正案|决定|解释|决议|办法|规定$")
    preamble = re.compile(r"^为了.{0,120}制定本(法|条例)|本(法|条例)自.{0,30}起施行")
    have = {(e.law, e.number, e.suffix) for e in eq.load_examples()}
    missing = [
        key
        for key, row in eq.rows_by_article(index.laws).items()
        if key not in have and not left_out.search(key[0]) and not preamble.search(index.texts[row])
    ]
    assert not missing, missing[:10]


def test_the_articles_asked_about_most_have_a_longer_consultation_and_a_case_too(
    index: retrieval.Index,
) -> None:
    by_article: dict[tuple[str, int, int], list[str]] = {}
    for e in eq.load_examples():
        by_article.setdefault((e.law, e.number, e.suffix), []).append(e.question)
    most_asked = [questions for questions in by_article.values() if len(questions) > 1]
    assert len(most_asked) > 9000  # 80 laws
    # four examples each: two short questions, a story told before the question, and a case told
    # in the third person ("张某……问：……？"), the voice of the scenario questions
    assert all(len(questions) == 4 for questions in most_asked)
    assert all(max(len(q) for q in questions) >= 50 for questions in most_asked)
    cases = [questions for questions in most_asked if any("问：" in q for q in questions)]
    assert len(cases) >= len(most_asked) * 0.99


def test_every_example_ships_with_its_vector(index: retrieval.Index) -> None:
    """When this fails: ``fawang consult build-dense --examples`` (a few minutes) and commit
    ``data/dense_examples.npz``; until then the engine embeds what the file lacks at load."""
    wanted = eq.texts(eq.load_examples())
    stored = dense.Vectors.load(ex.vectors_path())
    assert stored is not None
    assert set(dense.text_hashes(wanted).tolist()) <= set(stored.hashes.tolist())
    sample = wanted[:: max(1, len(wanted) // 5)][:5]
    fresh_vectors = dense.encoder().questions(sample)
    packaged = ex.vectors_of(sample).astype(np.float32)
    packaged /= np.linalg.norm(packaged, axis=1, keepdims=True)
    assert (np.einsum("ij,ij->i", fresh_vectors, packaged) > 0.99).all()


def test_asked_in_an_examples_words_its_article_is_a_candidate_and_ranks_near_the_top(
    index: retrieval.Index,
) -> None:
    space = ex.space_for(index)
    assert space is not None
    checked = 0
    for position in range(0, len(space.rows), len(space.rows) // 20)[:20]:
        example = eq.load_examples()[position]
        row = int(space.rows[position])
        evidence = engine.gather(example.question)
        assert evidence.examples[row] == pytest.approx(float(evidence.examples.max()))
        assert row in rerank.candidates(evidence, engine.blend(evidence))
        ranked = [(hit.law, hit.number) for hit in engine.search(example.question).articles]
        checked += _article_of(index, row, full=True) in ranked[:5]
    assert checked >= 16  # the example's own words: its article comes back almost every time


def test_an_example_whose_article_is_gone_is_left_out_and_the_rest_still_count(
    fresh: retrieval.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = eq.Example("劳动合同法", 30, 0, "公司拖了三个月工资不给，我能怎么办？")
    gone = eq.Example("劳动合同法", 9999, 0, "这一条已经不存在了吗？")
    monkeypatch.setattr(eq, "load_examples", lambda: (kept, gone))
    scores = ex.question_scores(fresh, "老板三个月不发工资怎么办")
    assert scores is not None
    space = ex.space_for(fresh)
    assert space is not None and len(space.rows) == 1
    assert _article_of(fresh, int(np.argmax(scores))) == ("劳动合同法", 30)
    assert np.count_nonzero(scores) == 1


def test_an_article_with_several_examples_is_as_close_as_its_closest(
    fresh: retrieval.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    wages = eq.Example("劳动合同法", 30, 0, "公司拖了三个月工资不给，我能怎么办？")
    unrelated = eq.Example("劳动合同法", 30, 0, "我家的狗咬了邻居，要赔多少钱？")
    question = "老板三个月不发工资怎么办"
    monkeypatch.setattr(eq, "load_examples", lambda: (wages,))
    alone = ex.question_scores(fresh, question)
    _forget_examples(fresh)
    monkeypatch.setattr(eq, "load_examples", lambda: (unrelated, wages))
    both = ex.question_scores(fresh, question)
    _forget_examples(fresh)
    monkeypatch.setattr(eq, "load_examples", lambda: (unrelated,))
    far = ex.question_scores(fresh, question)
    assert alone is not None and both is not None and far is not None
    assert float(both.max()) == pytest.approx(float(alone.max()))
    assert float(far.max()) < float(alone.max())


def test_without_the_encoder_there_are_no_example_scores_and_search_still_answers(
    fresh: retrieval.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dense, "space_for", lambda index: None)
    assert ex.question_scores(fresh, "公司不给加班费") is None
    evidence = engine.gather("公司不给加班费")
    assert not evidence.examples.any()
    assert engine.search("公司不给加班费").articles


def test_an_examples_words_find_its_article_through_the_expanded_index(
    fresh: retrieval.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Document expansion: words the statute never uses (薪水, 老板) reach the article through
    the caller's words of its example, in the expanded matrix only; the statute's own matrix and
    the law search box are unchanged."""
    question = "老板一直不发薪水"
    wages = eq.Example("劳动合同法", 30, 0, "老板拖着薪水不发，我能怎么办？")
    row = fresh.row_of("劳动合同法", 30)
    assert row is not None
    assert "薪水" not in fresh.texts[row]
    before = engine.gather(question)
    monkeypatch.setattr(eq, "load_examples", lambda: (wages,))
    monkeypatch.setattr(eq, "signature", lambda: "one example")
    try:
        index = retrieval.refresh(save=False)
        assert index.rebuilt_laws == 0  # only the expansion was rebuilt, no law re-cut
        evidence = engine.gather(question)
        assert int(np.argmax(evidence.expanded)) == row
        assert evidence.expanded[row] == pytest.approx(1.0)
        assert evidence.expanded_coverage[row] == pytest.approx(
            float(evidence.expanded_coverage.max())
        )
        assert np.array_equal(evidence.lexical, before.lexical)
        assert row in rerank.candidates(evidence, engine.blend(evidence))
        assert evidence.expanded[row] > before.expanded[row]
    finally:
        monkeypatch.undo()
        assert retrieval.refresh(save=False).examples_signature == eq.signature()
        retrieval.reset()  # back to the saved index


def test_the_law_search_box_does_not_read_the_expansion(index: retrieval.Index) -> None:
    evidence = engine.gather("老板一直不发薪水", semantic=False)
    assert not len(evidence.expanded)
