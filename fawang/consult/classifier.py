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

``fawang build-consult-index`` trains and saves the model to ``<VAR_DIR>/consult/classifier.pickle``;
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
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from fawang.consult import artifacts
from fawang.consult import text as ctext

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
# The question vector's scale beside the two TF-IDF blocks (each of unit length). Chosen on the
# tune part (1, 2, 3 × C 4, 8): 1 with C 4 was best there (0.773; TF-IDF alone 0.745).
DENSE_WEIGHT = 1.0
REGULARISATION = 4.0  # scikit-learn's C
# The regression's scores are divided by this before the softmax. Trained with strong
# regularisation and low-weighted article examples it is under-confident (a top topic said at
# 45 % was right about 70 % of the time); fitted on the dev split of benchmarks/data
# (``benchmarks/consult.py --part tune --sweep`` prints the calibration error per temperature).
# It changes no ranking of topics, only how sure the percentages sound. Re-fitted with the e5
# features and the balanced topics: 0.7 (tune ECE 0.054; 0.6 0.068, 0.8 0.056).
TEMPERATURE = 0.7
_lock = threading.Lock()
_model: Model | None = None


def analyse_words(value: str) -> list[str]:
    """Word features: jieba tokens plus the legal terms colloquial phrases stand for (module-level
    so that the fitted vectorizer pickles by reference)."""
    return ctext.tokenize(value) + ["≈" + term for term in ctext.expansions(value)]


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
    from fawang.consult import examples as cexamples
    from fawang.consult.topics import article_topics, law_topic_rules

    if not EXAMPLE_WEIGHT or not MAX_EXAMPLES_PER_TOPIC:
        return []
    rules = law_topic_rules()
    by_topic: dict[str, list[str]] = {}
    seen: set[tuple[str, int, int]] = set()
    for example in cexamples.load_examples():
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
    (sublinear tf, l2 per block) over character n-grams and over words, optionally the question's
    unit vector (scaled by ``DENSE_WEIGHT``) beside them, then a softmax."""

    char_vocab: dict[str, int]
    char_idf: np.ndarray
    word_vocab: dict[str, int]
    word_idf: np.ndarray
    coef: np.ndarray  # classes × (chars + words)
    intercept: np.ndarray
    dense_coef: np.ndarray | None = None  # classes × dense.DIMS, DENSE_WEIGHT folded in
    dense_fill: np.ndarray | None = None  # the training examples' mean vector

    @classmethod
    def from_fitted(
        cls, vectorizer: Any, regression: Any, dense_fill: np.ndarray | None = None
    ) -> LinearTopics:
        """``dense_fill`` given: the regression's last columns are the question vector's."""
        chars = dict(vectorizer.transformer_list)["chars"]
        words = dict(vectorizer.transformer_list)["words"]
        coef = np.asarray(regression.coef_, dtype=np.float32)
        lexical = len(chars.idf_) + len(words.idf_)
        return cls(
            char_vocab={str(k): int(v) for k, v in chars.vocabulary_.items()},
            char_idf=np.asarray(chars.idf_, dtype=np.float32),
            word_vocab={str(k): int(v) for k, v in words.vocabulary_.items()},
            word_idf=np.asarray(words.idf_, dtype=np.float32),
            coef=np.ascontiguousarray(coef[:, :lexical]),
            intercept=np.asarray(regression.intercept_, dtype=np.float32),
            dense_coef=None if dense_fill is None else coef[:, lexical:] * DENSE_WEIGHT,
            dense_fill=None if dense_fill is None else dense_fill.astype(np.float32),
        )

    @property
    def semantic(self) -> bool:
        return self.dense_coef is not None

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

    def decision(self, value: str, vector: np.ndarray | None = None) -> np.ndarray:
        """The classes' scores; ``vector`` is the question's unit vector (read only by a semantic
        model; without it the training mean stands in)."""
        char_columns, char_values = self._block(
            char_wb_ngrams(value), self.char_vocab, self.char_idf
        )
        word_columns, word_values = self._block(
            analyse_words(value), self.word_vocab, self.word_idf
        )
        offset = len(self.char_idf)
        scores = (
            self.coef[:, char_columns] @ char_values
            + self.coef[:, word_columns + offset] @ word_values
            + self.intercept
        )
        if self.dense_coef is not None:
            scores = scores + self.dense_coef @ (vector if vector is not None else self.dense_fill)
        return scores

    def probabilities(
        self, value: str, temperature: float = TEMPERATURE, vector: np.ndarray | None = None
    ) -> np.ndarray:
        scores = self.decision(value, vector).astype(np.float64) / temperature
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
    # the statutes' and the knowledge base's fingerprints (topic_package.trained_on)
    trained_on: dict[str, str | None] = field(default_factory=dict)

    @property
    def semantic(self) -> bool:
        return self.pipeline is not None and self.pipeline.semantic

    def predict(self, value: str, vector: np.ndarray | None = None) -> dict[str, float]:
        if self.pipeline is None:
            return _uniform(self.classes)
        probabilities = self.pipeline.probabilities(value, vector=vector)
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
    from fawang.consult.topic_package import trained_on

    learnt_from = trained_on()
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

    shared = getattr(settings, "CONSULT_MODEL_DIR", "")
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
    with _lock, artifacts.exclusive(model_path()):
        current = None if force else (_load() or _packaged())
        if current is not None:
            _model = current
            return current, False
        return build(), True


def _load(*, may_build: bool = True) -> Model | None:
    """The model saved here, when it is what training here now would give."""
    from fawang.consult.topic_package import why_not_current

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
    from fawang.consult import topic_package

    model = topic_package.current(may_build=may_build)
    return model if isinstance(model, Model) else None


def get_model() -> Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                # server processes (and test workers) starting together train it once
                with artifacts.exclusive(model_path()):
                    _model = _load() or _packaged() or build()
    return _model


def load_saved() -> bool:
    """Adopt the saved or packaged model if there is a current one (never trains, never builds
    the statute index); True when loaded."""
    global _model
    with _lock:
        if _model is None:
            _model = _load(may_build=False) or _packaged(may_build=False)
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
        return _uniform(classes)


def suggest_topics(text: str) -> dict[str, float]:
    """The intake hook (``WORKORDER_CLASSIFIER``): the 20 hotline topics' probabilities (the
    remainder is not_legal, which intake does not offer)."""
    from fawang.consult.topics import NOT_LEGAL

    return {topic: p for topic, p in classify(text).items() if topic != NOT_LEGAL}
