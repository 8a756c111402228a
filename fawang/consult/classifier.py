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

scikit-learn trains the model; what is saved is only its arithmetic (``LinearTopics``: the two
vocabularies, their idf, the regression's weights), so a server process answering questions never
imports scikit-learn (about 75 MB of memory per process).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
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

MODEL_VERSION = 3
ARTICLE_WEIGHT = 0.25
KNOWLEDGE_WEIGHT = 2.0
MAX_ARTICLES_PER_TOPIC = 300
# The regression's scores are divided by this before the softmax. Trained with strong
# regularisation and low-weighted article examples it is under-confident (a top topic said at
# 45 % was right about 70 % of the time); fitted on the dev split of benchmarks/data
# (``benchmarks/consult.py --part tune --sweep`` prints the calibration error per temperature).
# It changes no ranking of topics, only how sure the percentages sound.
TEMPERATURE = 0.6
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


_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(value: str, low: int = 1, high: int = 3) -> list[str]:
    """Character n-grams within words, padded with a space, as scikit-learn's
    ``TfidfVectorizer(analyzer="char_wb", lowercase=True)`` cuts them."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", value.lower()).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


@dataclass
class LinearTopics:
    """The fitted vectorizers and logistic regression reduced to their arithmetic: TF-IDF
    (sublinear tf, l2 per block) over character n-grams and over words, then a softmax."""

    char_vocab: dict[str, int]
    char_idf: np.ndarray
    word_vocab: dict[str, int]
    word_idf: np.ndarray
    coef: np.ndarray  # classes × (chars + words)
    intercept: np.ndarray

    @classmethod
    def from_fitted(cls, vectorizer: Any, regression: Any) -> LinearTopics:
        chars = dict(vectorizer.transformer_list)["chars"]
        words = dict(vectorizer.transformer_list)["words"]
        return cls(
            char_vocab={str(k): int(v) for k, v in chars.vocabulary_.items()},
            char_idf=np.asarray(chars.idf_, dtype=np.float32),
            word_vocab={str(k): int(v) for k, v in words.vocabulary_.items()},
            word_idf=np.asarray(words.idf_, dtype=np.float32),
            coef=np.asarray(regression.coef_, dtype=np.float32),
            intercept=np.asarray(regression.intercept_, dtype=np.float32),
        )

    @staticmethod
    def _block(
        tokens: list[str], vocab: dict[str, int], idf: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        for token in tokens:
            column = vocab.get(token)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1.0 + np.log(values)) * idf[columns] if len(values) else values
        norm = float(np.linalg.norm(values))
        return columns, (values / norm if norm > 0 else values)

    def decision(self, value: str) -> np.ndarray:
        char_columns, char_values = self._block(
            char_wb_ngrams(value), self.char_vocab, self.char_idf
        )
        word_columns, word_values = self._block(
            analyse_words(value), self.word_vocab, self.word_idf
        )
        offset = len(self.char_idf)
        return (
            self.coef[:, char_columns] @ char_values
            + self.coef[:, word_columns + offset] @ word_values
            + self.intercept
        )

    def probabilities(self, value: str, temperature: float = TEMPERATURE) -> np.ndarray:
        scores = self.decision(value).astype(np.float64) / temperature
        if len(scores) == 1:  # two classes: scikit-learn keeps one row of weights
            positive = 1.0 / (1.0 + np.exp(-scores[0]))
            return np.asarray([1.0 - positive, positive])
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


@dataclass
class Model:
    version: int
    signature: str
    classes: list[str]  # all 21, the output order
    pipeline: LinearTopics | None  # None when there was nothing to learn
    trained_classes: list[str]
    examples: int
    seconds: float

    def predict(self, value: str) -> dict[str, float]:
        if self.pipeline is None:
            return _uniform(self.classes)
        probabilities = self.pipeline.probabilities(value)
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
        LinearTopics.from_fitted(vectorizer, regression),
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
