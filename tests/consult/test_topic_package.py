"""The topic model shipped in the package: adopted where it is what training here would give,
trained here where the statutes or the knowledge base differ."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fawang.consult import artifacts, classifier, knowledge, retrieval, topic_package
from fawang.core.models import Role
from tests.conftest import CHAOYANG
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

# questions with one clear topic (a question between two, such as a neighbour's renovation
# cracking a wall — property or tort — may fall either way between two trainings)
CLEAR = {
    "公司拖欠工资三个月不发": "labour",
    "老公出轨了我想离婚，孩子归谁": "marriage_family",
    "被人打成轻伤，对方要判刑吗": "criminal_defence",
    "网购买到假货商家不退款": "consumer",
    "交警罚款我不服，去哪里复议": "administrative",
    "借给朋友五万块钱他一直不还": "debt",
    "儿子刚满十八岁，男孩是不是都要去兵役登记": "general",
}


@pytest.fixture
def index(statutes: Any) -> Iterator[retrieval.Index]:
    """Each test loads the model its own way; the worker's model is back afterwards (loading it
    again where a later test has published an entry would train one)."""
    before = classifier._model
    classifier.reset()
    yield retrieval.get_index()
    classifier._model = before


def _no_training(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the packaged model fits: nothing is trained")


def test_the_packaged_topic_model_is_current(index: retrieval.Index) -> None:
    """When this fails: ``fawang consult package-model`` (under a minute) and commit
    ``data/topic_model.npz``; until then every installation trains its own on first use."""
    model = classifier.packaged()
    assert model is not None
    assert classifier.why_not_current(model) is None
    assert topic_package.packaged_path().stat().st_size < 10_000_000


def test_the_packaged_model_knows_the_topic_of_clear_questions(index: retrieval.Index) -> None:
    # (two trainings differ a little by themselves — BLAS threads, lbfgs stopping at its
    # tolerance — so the packaged model is held to the answers, not to a fresh training's digits)
    packaged = classifier._packaged()
    assert packaged is not None and packaged.semantic
    for question, topic in CLEAR.items():
        scores = packaged.predict(question)
        assert max(scores, key=scores.__getitem__) == topic, question
        assert scores[topic] > 0.5, question


def test_a_fresh_installation_classifies_without_training(
    index: retrieval.Index, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.CONSULT_MODEL_DIR = str(tmp_path)  # nothing saved here
    monkeypatch.setattr(classifier, "build", _no_training)
    scores = classifier.classify("公司拖欠工资三个月不发")
    assert max(scores, key=scores.__getitem__) == "labour"
    assert classifier.refresh() == (classifier.get_model(), False)  # the build command too
    assert not list(tmp_path.glob("classifier*.pickle"))


def test_a_model_kept_in_the_shared_directory_is_read_not_trained_again(
    index: retrieval.Index, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    kept = classifier.get_model()
    settings.CONSULT_MODEL_DIR = str(tmp_path)
    artifacts.save(kept, classifier.model_path())
    classifier.reset()
    monkeypatch.setattr(classifier, "build", _no_training)
    monkeypatch.setattr(classifier, "packaged", lambda: None)
    assert classifier.model_path() == tmp_path / "classifier.pickle"
    assert classifier.get_model().signature == classifier.data_signature()


def test_an_edited_knowledge_base_is_learnt_here(
    index: retrieval.Index, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.CONSULT_MODEL_DIR = str(tmp_path)
    packaged = classifier._packaged()
    assert packaged is not None
    clerk = make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG)
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    entry = knowledge.create_entry(
        key="wages-unpaid",
        topic="labour",
        question="公司拖欠工资，我可以辞职并要求经济补偿吗？",
        answer="用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同并要求经济补偿。",
        keywords=["拖欠工资"],
        citations=[{"law": "劳动合同法", "article": 38}],
        acting_user=clerk,
    )
    knowledge.review_entry(entry, acting_user=supervisor)
    knowledge.publish_entry(entry, acting_user=supervisor)
    assert classifier.why_not_current(packaged) == "知识库与训练时不同"
    # a tenth of the examples: which model is chosen, not how good it is, is under test here
    examples = classifier.training_examples()[::10]
    monkeypatch.setattr(classifier, "training_examples", lambda: examples)
    model, trained = classifier.refresh()
    assert trained and model.examples == len(examples)
    assert model.trained_on["knowledge"] != packaged.trained_on["knowledge"]
    assert (tmp_path / "classifier.pickle").is_file()
    # saved with what it learnt from: the next process reads it instead of training again
    classifier.reset()
    monkeypatch.setattr(classifier, "build", _no_training)
    assert classifier.get_model().examples == len(examples)
