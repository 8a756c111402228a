"""Topic classifier: a question → a probability for each of the 20 hotline topics and not_legal.

TF-IDF over character 1–3-grams and jieba words (with the colloquial→legal expansions appended,
so 老公 and 配偶 count alike), then a multinomial logistic regression (scikit-learn). Training data,
all read in a fixed order so that a build is reproducible:

* ``data/questions/train.jsonl`` — labelled citizens' questions (``{"text", "topic"}``);
* the knowledge base — each entry's question, and its question with its keywords;
* statute articles labelled through ``data/law_topics.tsv`` (weak labels, lower weight).

``fawang build-consult-index`` trains and saves the model to ``<VAR_DIR>/consult/classifier.joblib``;
a process loads it once, lazily, and trains it on first use when the file is missing (about 20 s).
``classify`` never raises and always returns a distribution over all 21 classes summing to 1.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from fawang.consult import text as ctext

logger = logging.getLogger("fawang.consult")

MODEL_VERSION = 2
ARTICLE_WEIGHT = 0.25
KNOWLEDGE_WEIGHT = 2.0
MAX_ARTICLES_PER_TOPIC = 300
_lock = threading.Lock()
_model: Model | None = None


def analyse_words(value: str) -> list[str]:
    """Word features: jieba tokens plus the legal terms colloquial phrases stand for (module-level
    so that the fitted vectorizer pickles by reference)."""
    return ctext.tokenize(value) + ["≈" + term for term in ctext.expansions(value)]


def training_data_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / "questions" / "train.jsonl"))


def _question_examples() -> list[tuple[str, str, float]]:
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
            examples.append((str(item["text"]), str(item["topic"]), 1.0))
    return examples


def training_examples() -> list[tuple[str, str, float]]:
    """(text, topic, weight) in a fixed order."""
    from fawang.consult.knowledge_docs import knowledge_documents
    from fawang.consult.topics import topic_names

    names = set(topic_names())
    examples = _question_examples()
    for doc in knowledge_documents():
        if doc.topic in names:
            examples.append((doc.question, doc.topic, KNOWLEDGE_WEIGHT))
            examples.append((" ".join([doc.question, *doc.keywords]), doc.topic, KNOWLEDGE_WEIGHT))
    examples.extend(_article_examples())
    return [(t, topic, w) for t, topic, w in examples if topic in names]


def _article_examples() -> list[tuple[str, str, float]]:
    """Articles of the mapped laws, at most MAX_ARTICLES_PER_TOPIC per topic (evenly spaced)."""
    from fawang.consult import retrieval
    from fawang.consult.topics import article_topics, law_topic_rules

    try:
        index = retrieval.get_index()
    except Exception:  # no statutes (yet): the questions alone train the model
        logger.warning("statute index unavailable; classifier trained without articles")
        return []
    rules = law_topic_rules()
    by_topic: dict[str, list[str]] = {}
    for row, (law_id, number) in enumerate(
        zip(index.law_ids.tolist(), index.numbers.tolist(), strict=True)
    ):
        law = index.laws[law_id]
        for topic in article_topics(law.short_name, number, rules):
            by_topic.setdefault(topic, []).append(index.texts[row][:200])
    examples: list[tuple[str, str, float]] = []
    for topic in sorted(by_topic):
        texts = by_topic[topic]
        step = max(1, len(texts) // MAX_ARTICLES_PER_TOPIC)
        examples.extend((t, topic, ARTICLE_WEIGHT) for t in texts[::step][:MAX_ARTICLES_PER_TOPIC])
    return examples


@dataclass
class Model:
    version: int
    signature: str
    classes: list[str]  # all 21, the output order
    pipeline: Any  # (vectorizer, LogisticRegression) or None when there was nothing to learn
    trained_classes: list[str]
    examples: int
    seconds: float

    def predict(self, value: str) -> dict[str, float]:
        if self.pipeline is None:
            return _uniform(self.classes)
        vectorizer, regression = self.pipeline
        probabilities = regression.predict_proba(vectorizer.transform([value]))[0]
        scores = dict.fromkeys(self.classes, 0.0)
        for name, p in zip(self.trained_classes, probabilities, strict=True):
            scores[name] = float(p)
        return _distribution(scores, self.classes)


def _uniform(classes: list[str]) -> dict[str, float]:
    return {name: 1.0 / len(classes) for name in classes}


def _distribution(scores: dict[str, float], classes: list[str]) -> dict[str, float]:
    values = np.asarray([max(0.0, scores.get(c, 0.0)) for c in classes], dtype=np.float64)
    values = np.nan_to_num(values, nan=0.0, posinf=0.0)
    total = float(values.sum())
    if total <= 0:
        return _uniform(classes)
    values = values / total
    return {name: float(p) for name, p in zip(classes, values, strict=True)}


def data_signature() -> str:
    """What a trained model depends on in the package: the training questions, the knowledge-base
    seed, the law→topic map and the synonyms (entries edited in the database and the statutes are
    picked up by the build command)."""
    digest = hashlib.sha1(str(MODEL_VERSION).encode())
    data = resources.files("fawang.consult") / "data"
    for name in ("law_topics.tsv", "synonyms.tsv", "legal_dict.txt"):
        digest.update((data / name).read_bytes())
    from fawang.consult.knowledge_docs import knowledge_seed_paths

    for path in [training_data_path(), *knowledge_seed_paths()]:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def train() -> Model:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    from fawang.consult.topics import topic_names

    started = time.perf_counter()
    classes = topic_names()
    examples = training_examples()
    trained = sorted({topic for _, topic, _ in examples})
    signature = data_signature()
    if len(trained) < 2:
        return Model(MODEL_VERSION, signature, classes, None, trained, len(examples), 0.0)
    texts = [ctext.normalise(t) for t, _, _ in examples]
    labels = [topic for _, topic, _ in examples]
    weights = np.asarray([w for _, _, w in examples], dtype=np.float64)
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
    regression = LogisticRegression(C=4.0, max_iter=300, tol=1e-3)
    regression.fit(features, labels, sample_weight=weights)
    seconds = round(time.perf_counter() - started, 2)
    return Model(
        MODEL_VERSION,
        signature,
        classes,
        (vectorizer, regression),
        [str(c) for c in regression.classes_],
        len(examples),
        seconds,
    )


def model_path() -> Path:
    from fawang.consult.artifacts import artifact_dir

    return artifact_dir() / "classifier.joblib"


def build(save: bool = True) -> Model:
    """Train now and (by default) save; becomes the process's model."""
    global _model
    from fawang.consult.artifacts import _atomic_dump

    model = train()
    if save:
        _atomic_dump(model, model_path())
    _model = model
    return model


def _load() -> Model | None:
    path = model_path()
    if not path.is_file():
        return None
    try:
        model = joblib.load(path)
    except Exception:
        logger.warning("classifier %s is unreadable; retraining", path)
        return None
    if not isinstance(model, Model) or model.version != MODEL_VERSION:
        return None
    if model.signature != data_signature():
        return None
    return model


def get_model() -> Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _load() or build()
    return _model


def load_saved() -> bool:
    """Adopt the saved model if there is a current one (never trains); True when loaded."""
    global _model
    with _lock:
        if _model is None:
            _model = _load()
        return _model is not None


def reset() -> None:
    global _model
    with _lock:
        _model = None


def classify(value: object) -> dict[str, float]:
    """{topic: probability} over the 20 topics and not_legal; never raises."""
    from fawang.consult.topics import topic_names

    classes = topic_names()
    try:
        return get_model().predict(ctext.normalise(value))
    except Exception:
        logger.exception("topic classifier failed; answering a uniform distribution")
        return _uniform(classes)


def suggest_topics(text: str) -> dict[str, float]:
    """The intake hook (``WORKORDER_CLASSIFIER``): the 20 hotline topics' probabilities (the
    remainder is not_legal, which intake does not offer)."""
    from fawang.consult.topics import NOT_LEGAL

    return {topic: p for topic, p in classify(text).items() if topic != NOT_LEGAL}
