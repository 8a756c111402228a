"""Topic classifier: a question → a probability for each of the 20 hotline topics and not_legal.

TF-IDF over character 1–3-grams and jieba words (with the colloquial→legal expansions appended,
so 老公 and 配偶 count alike) beside the question's multilingual-e5 vector (``consult.dense``: the
same vector the retrieval reads, so a question is embedded once), then a multinomial logistic
regression (scikit-learn). The vector carries what the words do not (老板三个月没给钱 is about
wages without the word 工资): on the tune part of the dev set, topic accuracy 0.745 → 0.773.
Training data, all read in a fixed order so that a build is reproducible:

* ``data/questions/train.jsonl`` — labelled citizens' questions (``{"text", "topic"}``);
* the knowledge base — each entry's question, and its question with its keywords;
* statute articles labelled through ``data/law_topics.tsv`` (weak labels, lower weight);
* the articles' example questions (``consult.examples``), labelled the same way: a caller's words
  where the articles have the statute's.

The questions' vectors ship in ``data/dense_questions.npz``, the articles' are the retrieval's. On
a machine where the encoder cannot run (or the articles have no vectors) the model is trained on
the TF-IDF alone; a semantic model asked about a question it cannot embed uses the training
examples' mean vector in its place (the TF-IDF still decides).

A process loads the model once, lazily: the one saved in ``<VAR_DIR>/consult/classifier.pickle``
or the one shipped in the package (``topic_package``) when it is what training here would give,
else it trains one on first use (about 20 s); ``fawang build-consult-index`` does the same ahead.
``classify`` never raises and always returns a distribution over all 21 classes summing to 1.

scikit-learn trains the model; what is saved is only its arithmetic (``topic_model``), so a server
process answering questions never imports scikit-learn (about 75 MB of memory per process).
"""

from __future__ import annotations

import hashlib
import json
import logging
import statistics
import threading
import time
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from fawang.consult import artifacts, topic_package
from fawang.consult import text as ctext
from fawang.consult.topic_model import (
    DENSE_WEIGHT,
    LinearTopics,
    Model,
    analyse_words,
    uniform,
)

logger = logging.getLogger("fawang.consult")

# 5: the articles' example questions join the training data; 6: knowledge entries in key order,
# models keep what statutes and knowledge base they were trained on (topic_package)
MODEL_VERSION = 6
ARTICLE_WEIGHT = 0.25
KNOWLEDGE_WEIGHT = 2.0
MAX_ARTICLES_PER_TOPIC = 300
# The articles' example questions (weak labels, like the articles'), chosen on the tune part:
# weight 0.1 with up to 2,000 a topic (0.25 × 300: accuracy 0.749; 0.25 × 2,000: 0.774 but a
# calibration error of 0.072; 1.0 × 600: 0.758, 0.078). As built now (first example of each
# article, unmapped laws under GENERAL): accuracy 0.750 → 0.758, calibration error 0.054 → 0.046.
EXAMPLE_WEIGHT = 0.1
MAX_EXAMPLES_PER_TOPIC = 2000
GENERAL = "general"  # the catch-all topic (topics.tsv)
REGULARISATION = 4.0  # scikit-learn's C
_lock = threading.Lock()
_model: Model | None = None


def training_data_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / "questions" / "train.jsonl"))


class Example(NamedTuple):
    text: str
    topic: str
    weight: float
    row: int | None = None  # an article example's statute index row (its vector is the article's)
    written: bool = False  # an article's example question (its vector ships in dense_examples)


def _question_examples() -> list[Example]:
    path = training_data_path()
    if not path.is_file():
        return []
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict) and item.get("text") and item.get("topic"):
            examples.append(Example(str(item["text"]), str(item["topic"]), 1.0))
    return _balanced(examples)


def _balanced(examples: list[Example]) -> list[Example]:
    """Each topic's questions weigh as much in all as a typical topic's: how many questions we
    wrote for a topic is not how often callers ask about it (``general``, the catch-all, has
    questions about some hundred laws no other topic covers, four times a typical topic's)."""
    counts = Counter(e.topic for e in examples)
    if not counts:
        return examples
    typical = statistics.median(counts.values())
    return [e._replace(weight=e.weight * typical / counts[e.topic]) for e in examples]


def training_examples() -> list[Example]:
    """The examples in a fixed order: the questions, then the articles."""
    from fawang.consult.topics import topic_names

    names = set(topic_names())
    examples = [*_written_examples(), *_article_examples(), *_example_questions()]
    return [example for example in examples if example.topic in names]


def _written_examples() -> list[Example]:
    """The labelled questions and the knowledge base's (question; question with keywords)."""
    from fawang.consult.knowledge_docs import knowledge_documents
    from fawang.consult.topics import topic_names

    names = set(topic_names())
    examples = _question_examples()
    # in key order, as the database lists them: seed files and database train the same model
    for doc in sorted(knowledge_documents(), key=lambda doc: doc.key):
        if doc.topic in names:
            examples.append(Example(doc.question, doc.topic, KNOWLEDGE_WEIGHT))
            examples.append(
                Example(" ".join([doc.question, *doc.keywords]), doc.topic, KNOWLEDGE_WEIGHT)
            )
    return examples


def question_texts() -> list[str]:
    """The training examples that are questions (not articles), normalised as the model reads
    them: what ``data/dense_questions.npz`` holds (no statute index needed)."""
    from fawang.consult.topics import topic_names

    names = set(topic_names())
    return [ctext.normalise(e.text) for e in _written_examples() if e.topic in names]


def _article_examples() -> list[Example]:
    """Articles of the mapped laws, at most MAX_ARTICLES_PER_TOPIC per topic (evenly spaced)."""
    from fawang.consult import retrieval
    from fawang.consult.topics import article_topics, law_topic_rules

    try:
        index = retrieval.get_index()
    except Exception:  # no statutes (yet): the questions alone train the model
        logger.warning("statute index unavailable; classifier trained without articles")
        return []
    rules = law_topic_rules()
    by_topic: dict[str, list[int]] = {}
    for row, (law_id, number) in enumerate(
        zip(index.law_ids.tolist(), index.numbers.tolist(), strict=True)
    ):
        law = index.laws[law_id]
        for topic in article_topics(law.short_name, number, rules):
            by_topic.setdefault(topic, []).append(row)
    examples: list[Example] = []
    for topic in sorted(by_topic):
        rows = by_topic[topic]
        step = max(1, len(rows) // MAX_ARTICLES_PER_TOPIC)
        examples.extend(
            Example(index.texts[row][:200], topic, ARTICLE_WEIGHT, row)
            for row in rows[::step][:MAX_ARTICLES_PER_TOPIC]
        )
    return examples


def _example_questions() -> list[Example]:
    """The articles' example questions (the first of each article), labelled by their article's
    law (and range), at most MAX_EXAMPLES_PER_TOPIC per topic (evenly spaced)."""
    from fawang.consult import example_questions
    from fawang.consult.topics import article_topics, law_topic_rules

    if not EXAMPLE_WEIGHT or not MAX_EXAMPLES_PER_TOPIC:
        return []
    rules = law_topic_rules()
    by_topic: dict[str, list[str]] = {}
    seen: set[tuple[str, int, int]] = set()
    for example in example_questions.load_examples():
        # An article's first example only: the most-asked laws have two, and counted twice
        # their topics grew likelier for every question sharing a word such as 儿子 (a
        # conscription question then showed the family topic's standard answers).
        if (article := (example.law, example.number, example.suffix)) in seen:
            continue
        seen.add(article)
        # A law behind no hotline topic is the catch-all's (兵役法, 居民身份证法 …): without
        # these, its callers' questions leaned toward the topics that had examples.
        for topic in article_topics(example.law, example.number, rules) or [GENERAL]:
            by_topic.setdefault(topic, []).append(example.question)
    chosen: list[Example] = []
    for topic in sorted(by_topic):
        questions = by_topic[topic]
        step = max(1, len(questions) // MAX_EXAMPLES_PER_TOPIC)
        chosen.extend(
            Example(question, topic, EXAMPLE_WEIGHT, written=True)
            for question in questions[::step][:MAX_EXAMPLES_PER_TOPIC]
        )
    return chosen


def data_signature() -> str:
    """What a trained model depends on in the package: the training questions, the knowledge-base
    seed, the law→topic map and the synonyms (the statutes and the knowledge base in the database
    are fingerprinted apart: ``topic_package.trained_on``)."""
    digest = hashlib.sha1(str(MODEL_VERSION).encode())
    data = resources.files("fawang.consult") / "data"
    for name in (
        "law_topics.tsv",
        "synonyms.tsv",
        "legal_dict.txt",
        "dense_questions.npz",
        "article_questions.tsv",
    ):
        if (data / name).is_file():
            digest.update((data / name).read_bytes())
    from fawang.consult.knowledge_docs import knowledge_seed_paths

    for path in [training_data_path(), *knowledge_seed_paths()]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def train() -> Model:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    from fawang.consult.topics import topic_names

    started = time.perf_counter()
    classes = topic_names()
    examples = training_examples()
    trained = sorted({e.topic for e in examples})
    signature = data_signature()
    learnt_from = topic_package.trained_on()
    if len(trained) < 2:
        return Model(
            MODEL_VERSION, signature, classes, None, trained, len(examples), 0.0, learnt_from
        )
    texts = [ctext.normalise(e.text) for e in examples]
    labels = [e.topic for e in examples]
    weights = np.asarray([e.weight for e in examples], dtype=np.float64)
    vectorizer = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(1, 3),
                    min_df=2,
                    max_features=150_000,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer=analyse_words, min_df=1, sublinear_tf=True, dtype=np.float32
                ),
            ),
        ]
    )
    features = vectorizer.fit_transform(texts)
    vectors = _example_vectors(examples, texts)
    if vectors is not None:
        features = hstack([features, csr_matrix(vectors * DENSE_WEIGHT)]).tocsr()
    regression = LogisticRegression(C=REGULARISATION, max_iter=300, tol=1e-3)
    regression.fit(features, labels, sample_weight=weights)
    seconds = round(time.perf_counter() - started, 2)
    return Model(
        MODEL_VERSION,
        signature,
        classes,
        LinearTopics.from_fitted(
            vectorizer, regression, None if vectors is None else vectors.mean(axis=0)
        ),
        [str(c) for c in regression.classes_],
        len(examples),
        seconds,
        learnt_from,
    )


def _example_vectors(examples: list[Example], texts: list[str]) -> np.ndarray | None:
    """Each example's unit vector (a question's from the package file, an article's from the
    retrieval's space), or None — then the model is trained on the TF-IDF alone."""
    from fawang.consult import dense, retrieval

    questions = [i for i, e in enumerate(examples) if e.row is None and not e.written]
    articles = [i for i, e in enumerate(examples) if e.row is not None]
    written = [i for i, e in enumerate(examples) if e.written]
    out = np.zeros((len(examples), dense.DIMS), dtype=np.float32)
    try:
        dense.encoder()  # the model is only worth it where the questions asked can be embedded
        out[questions] = dense.training_question_vectors([texts[i] for i in questions])
        if written:
            from fawang.consult import examples as cexamples

            stored = cexamples.vectors_of([texts[i] for i in written]).astype(np.float32)
            out[written] = stored / np.maximum(np.linalg.norm(stored, axis=1, keepdims=True), 1e-6)
        if articles:
            rows = [int(examples[i].row) for i in articles]  # type: ignore[arg-type]
            found = dense.article_unit_vectors(retrieval.get_index(), rows)
            if found is None:
                logger.warning("articles without dense vectors; topic model trained on TF-IDF")
                return None
            out[articles] = found
    except dense.EncoderUnavailable:
        logger.warning("encoder unavailable here; topic model trained on TF-IDF alone")
        return None
    return out


def model_path() -> Path:
    from django.conf import settings

    shared = settings.CONSULT_MODEL_DIR
    folder = Path(shared) if shared else artifacts.artifact_dir()
    return folder / f"classifier{artifacts.SUFFIX}"


def build(save: bool = True) -> Model:
    """Train now and (by default) save; becomes the process's model."""
    global _model
    model = train()
    if save:
        artifacts.save(model, model_path())
    _model = model
    return model


def refresh(*, force: bool = False) -> tuple[Model, bool]:
    """``build-consult-index``: keep the saved or packaged model while it is what training here
    would give (same package data, statutes and knowledge base), else train; (model, trained)."""
    global _model
    # server processes (and test workers) starting together train it once
    with _lock, artifacts.exclusive(model_path()):
        current = None if force else _current()
        if current is not None:
            _model = current
            return current, False
        return build(), True


def why_not_current(model: Model, *, may_build: bool = True) -> str | None:
    """Why ``model`` (saved here or packaged) is not what training here now would give, or None
    when it is (``may_build``: see ``topic_package.unlike_here``)."""
    if model.version != MODEL_VERSION:
        return "模型版本不同"
    if model.signature != data_signature():
        return "训练数据已更新"
    return topic_package.unlike_here(model.trained_on, semantic=model.semantic, may_build=may_build)


def package(model: Model) -> Path:
    """Write ``model`` into the package (``fawang consult package-model``)."""
    if model.pipeline is None:
        raise ValueError("nothing was learnt: there is no model to package")
    meta = {
        "version": model.version,
        "signature": model.signature,
        "classes": model.classes,
        "trained_classes": model.trained_classes,
        "examples": model.examples,
        "seconds": model.seconds,
        "trained_on": model.trained_on,
    }
    return topic_package.write(model.pipeline.to_arrays(), meta)


def packaged() -> Model | None:
    """The model in the package (current or not), or None."""
    found = topic_package.read()
    if found is None:
        return None
    arrays, meta = found
    return Model(
        int(meta["version"]),
        str(meta["signature"]),
        list(meta["classes"]),
        LinearTopics.from_arrays(arrays),
        list(meta["trained_classes"]),
        int(meta["examples"]),
        float(meta["seconds"]),
        dict(meta["trained_on"]),
    )


def _current(*, may_build: bool = True) -> Model | None:
    """The saved model, else the packaged one, when it is what training here now would give."""
    return _load(may_build=may_build) or _packaged(may_build=may_build)


def _load(*, may_build: bool = True) -> Model | None:
    """The model saved here, when it is what training here now would give."""
    path = model_path()
    if not path.is_file():
        return None
    try:
        model = artifacts.load(path)
    except Exception:
        logger.warning("classifier %s is unreadable; retraining", path)
        return None
    if not isinstance(model, Model) or why_not_current(model, may_build=may_build) is not None:
        return None
    return model


def _packaged(*, may_build: bool = True) -> Model | None:
    """The packaged model when it is what training here now would give."""
    model = packaged()
    if model is None:
        return None
    reason = why_not_current(model, may_build=may_build)
    if reason is not None:
        logger.info("packaged topic model not used (%s); training it here", reason)
        return None
    return model


def get_model() -> Model:
    model = _model
    return model if model is not None else refresh()[0]


def load_saved() -> bool:
    """Adopt the saved or packaged model if there is a current one (never trains, never builds
    the statute index); True when loaded."""
    global _model
    with _lock:
        if _model is None:
            _model = _current(may_build=False)
        return _model is not None


def reset() -> None:
    global _model
    with _lock:
        _model = None


def classify(value: object, *, semantic: bool = True) -> dict[str, float]:
    """{topic: probability} over the 20 topics and not_legal; never raises. ``semantic=False``
    does not embed the question (a semantic model then reads its training mean instead)."""
    from fawang.consult import dense
    from fawang.consult.topics import topic_names

    classes = topic_names()
    try:
        model = get_model()
        text = ctext.normalise(value)
        vector = None
        if semantic and model.semantic:
            try:
                vector = dense.question_vector(text)
            except Exception:
                logger.exception("question embedding failed; topic from its words alone")
        return model.predict(text, vector)
    except Exception:
        logger.exception("topic classifier failed; answering a uniform distribution")
        return uniform(classes)
