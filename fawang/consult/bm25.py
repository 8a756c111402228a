"""BM25: the term-weight matrix of a set of tokenised documents, a question's query vector, and
the scores of every document against it."""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse

K1, B = 1.2, 0.75
EXPANSION_WEIGHT = 0.5


def bm25_matrix(
    documents: list[list[str]], vocabulary: dict[str, int] | None = None
) -> tuple[sparse.csc_matrix, dict[str, int]]:
    """Rows = documents, columns = tokens, values = BM25 term weights (idf × saturated tf)."""
    vocab: dict[str, int] = {} if vocabulary is None else vocabulary
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    lengths = np.zeros(len(documents), dtype=np.float32)
    for row, tokens in enumerate(documents):
        counter = Counter(tokens)
        for token, count in counter.items():
            column = vocab.setdefault(token, len(vocab))
            indices.append(column)
            counts.append(count)
        indptr.append(len(indices))
        lengths[row] = len(tokens)
    tf = sparse.csr_matrix(
        (np.asarray(counts, dtype=np.float32), np.asarray(indices), np.asarray(indptr)),
        shape=(len(documents), max(len(vocab), 1)),
    )
    n = max(len(documents), 1)
    df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float32)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    average = float(lengths.mean()) if len(documents) else 1.0
    norm = K1 * (1 - B + B * lengths / max(average, 1.0))
    rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
    data = tf.data * (K1 + 1) / (tf.data + norm[rows]) * idf[tf.indices]
    weights = sparse.csr_matrix((data.astype(np.float32), tf.indices, tf.indptr), shape=tf.shape)
    return weights.tocsc(), vocab


def query_vector(
    tokens: list[str], expansions: list[str], vocab: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    weights: dict[int, float] = {}
    for token in tokens:
        column = vocab.get(token)
        if column is not None:
            weights[column] = min(weights.get(column, 0.0) + 1.0, 2.0)
    for token in expansions:
        column = vocab.get(token)
        if column is not None and column not in weights:
            weights[column] = EXPANSION_WEIGHT
    columns = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
    return columns, values


def score(matrix: sparse.csc_matrix, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
    if not len(columns):
        return np.zeros(matrix.shape[0], dtype=np.float32)
    return np.asarray(matrix[:, columns] @ values).ravel()
