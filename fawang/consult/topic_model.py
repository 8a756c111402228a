"""The topic model's arithmetic: what a trained model is (``Model``, ``LinearTopics``: two
vocabularies, their idf, the regression's weights, optionally the question vector's) and how it
turns a question into the topics' probabilities — plain numpy, so a server answering questions
never imports scikit-learn. ``classifier`` trains it, saves it and serves it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fawang.consult import text as ctext

# The question vector's scale beside the two TF-IDF blocks (each of unit length). Chosen on the
# tune part (1, 2, 3 × C 4, 8): 1 with C 4 was best there (0.773; TF-IDF alone 0.745).
DENSE_WEIGHT = 1.0
# The regression's scores are divided by this before the softmax. Trained with strong
# regularisation and low-weighted article examples it is under-confident (a top topic said at
# 45 % was right about 70 % of the time); fitted on the dev split of benchmarks/data
# (``benchmarks/consult.py --part tune --sweep`` prints the calibration error per temperature).
# It changes no ranking of topics, only how sure the percentages sound. Re-fitted with the e5
# features and the balanced topics: 0.7 (tune ECE 0.054; 0.6 0.068, 0.8 0.056).
TEMPERATURE = 0.7


def analyse_words(value: str) -> list[str]:
    """Word features: jieba tokens plus the legal terms colloquial phrases stand for (module-level
    so that the fitted vectorizer pickles by reference)."""
    return ctext.tokenize(value) + ["≈" + term for term in ctext.expansions(value)]


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

    def to_arrays(self) -> dict[str, np.ndarray]:
        """For the package file: vocabularies in column order, coefficients as float16."""
        return {
            "chars": np.asarray(sorted(self.char_vocab, key=self.char_vocab.__getitem__)),
            "words": np.asarray(sorted(self.word_vocab, key=self.word_vocab.__getitem__)),
            "char_idf": self.char_idf.astype(np.float32),
            "word_idf": self.word_idf.astype(np.float32),
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept.astype(np.float32),
            "dense_coef": np.zeros((0, 0), np.float32)
            if self.dense_coef is None
            else self.dense_coef,
            "dense_fill": np.zeros(0, np.float32) if self.dense_fill is None else self.dense_fill,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> LinearTopics:
        semantic = arrays["dense_coef"].size > 0
        return cls(
            char_vocab={str(gram): i for i, gram in enumerate(arrays["chars"].tolist())},
            char_idf=arrays["char_idf"],
            word_vocab={str(word): i for i, word in enumerate(arrays["words"].tolist())},
            word_idf=arrays["word_idf"],
            coef=np.ascontiguousarray(arrays["coef"], dtype=np.float32),
            intercept=arrays["intercept"],
            dense_coef=arrays["dense_coef"] if semantic else None,
            dense_fill=arrays["dense_fill"] if semantic else None,
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
    # the statutes' and the knowledge base's fingerprints (``topic_package.trained_on``)
    trained_on: dict[str, str | None] = field(default_factory=dict)

    @property
    def semantic(self) -> bool:
        return self.pipeline is not None and self.pipeline.semantic

    def predict(self, value: str, vector: np.ndarray | None = None) -> dict[str, float]:
        if self.pipeline is None:
            return uniform(self.classes)
        probabilities = self.pipeline.probabilities(value, vector=vector)
        scores = dict.fromkeys(self.classes, 0.0)
        for name, p in zip(self.trained_classes, probabilities, strict=True):
            scores[name] = float(p)
        return distribution(scores, self.classes)


def uniform(classes: list[str]) -> dict[str, float]:
    return {name: 1.0 / len(classes) for name in classes}


def distribution(scores: dict[str, float], classes: list[str]) -> dict[str, float]:
    values = np.asarray([max(0.0, scores.get(c, 0.0)) for c in classes], dtype=np.float64)
    values = np.nan_to_num(values, nan=0.0, posinf=0.0)
    total = float(values.sum())
    if total <= 0:
        return uniform(classes)
    values = values / total
    return {name: float(p) for name, p in zip(classes, values, strict=True)}
