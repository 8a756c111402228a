"""The trained topic model shipped with the package (``data/topic_model.npz``), so that a fresh
checkout answers without training it first (half a minute and over 1 GB of memory the first
time ``fawang demo`` or ``fawang consult ask`` ran).

It is adopted when it was trained on exactly what this installation would train on: the package
data (``classifier.data_signature``), the statutes in the database (their content checksum, as
the dense vectors use it) and the knowledge base's questions (database entries or seed files).
Anything else — a new statute edition, edited entries — and the model is trained here as before.
Written by ``fawang consult package-model``; the coefficients are kept as float16 on disk (a
third of the size; the topics' probabilities move by less than 0.001). The model itself (its
arrays, its version and data signature) is ``classifier``'s and ``topic_model``'s; this module keeps the file and
what a model learnt from."""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

PACKAGED = "topic_model.npz"


def packaged_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / PACKAGED))


def knowledge_fingerprint() -> str:
    """What the model reads of the knowledge base (topic, question, keywords), in any order."""
    from fawang.consult.knowledge_docs import knowledge_documents

    items = sorted(
        json.dumps([doc.topic, doc.question, doc.keywords], ensure_ascii=False)
        for doc in knowledge_documents()
    )
    return hashlib.sha256("\n".join(items).encode("utf-8")).hexdigest()


def statutes_fingerprint(*, may_build: bool = True) -> str | None:
    """The statutes the index holds, by content (not by database row); None without an index
    when ``may_build`` is off (the server warm-up never builds one)."""
    from fawang.consult import dense, retrieval

    if not may_build and not retrieval.load_saved():
        return None
    return dense.edition_checksum(dense.row_hashes(retrieval.get_index()))


def trained_on() -> dict[str, str | None]:
    """What a model trained here now would learn from (kept with every model it trains)."""
    return {"statutes": statutes_fingerprint(), "knowledge": knowledge_fingerprint()}


def write(arrays: dict[str, np.ndarray], meta: dict[str, Any], path: Path | None = None) -> Path:
    """Write a model's arrays with its meta (what it is and what it learnt from)."""
    path = path or packaged_path()
    stored: dict[str, Any] = {"meta": np.asarray(json.dumps(meta, ensure_ascii=False)), **arrays}
    np.savez_compressed(path, **stored)
    return path


def read(path: Path | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    """The packaged model's arrays and meta, or None when there is none (or it is unreadable)."""
    path = path or packaged_path()
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        return arrays, json.loads(str(arrays.pop("meta")))
    except (OSError, KeyError, ValueError):
        logger.warning("packaged topic model %s is unreadable; training instead", path)
        return None


def unlike_here(learnt_from: dict[str, Any], *, semantic: bool, may_build: bool) -> str | None:
    """Why a model that learnt from ``learnt_from`` is not what training here now would give
    (statutes, knowledge base, encoder), or None when it is. ``may_build`` off: never builds the
    statute index to find out (then only a saved index can say so)."""
    from fawang.consult import dense

    if semantic:
        try:
            dense.encoder()
        except dense.EncoderUnavailable:
            return "本机无法运行语义编码器"
    statutes = statutes_fingerprint(may_build=may_build)
    if statutes is None or learnt_from.get("statutes") != statutes:
        return "法规库与训练时不同"
    if learnt_from.get("knowledge") != knowledge_fingerprint():
        return "知识库与训练时不同"
    return None
