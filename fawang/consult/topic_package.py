"""The trained topic model shipped with the package (``data/topic_model.npz``), so that a fresh
checkout answers without training it first (half a minute and over 1 GB of memory the first
time ``fawang demo`` or ``fawang consult ask`` ran).

It is adopted when it was trained on exactly what this installation would train on: the package
data (``classifier.data_signature``), the statutes in the database (their content checksum, as
the dense vectors use it) and the knowledge base's questions (database entries or seed files).
Anything else — a new statute edition, edited entries — and the model is trained here as before.
Written by ``fawang consult package-model``; the coefficients are kept as float16 on disk (a
third of the size; the topics' probabilities move by less than 0.001)."""

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


def write(model: Any, path: Path | None = None) -> Path:
    """Write ``model`` (trained on the packaged data) with what it was trained on."""
    from fawang.consult import classifier

    pipeline = model.pipeline
    if pipeline is None:
        raise ValueError("nothing was learnt: there is no model to package")
    path = path or packaged_path()
    meta = {
        "version": model.version,
        "classes": model.classes,
        "trained_classes": model.trained_classes,
        "examples": model.examples,
        "seconds": model.seconds,
        "temperature": classifier.TEMPERATURE,
        "signature": model.signature,
        **model.trained_on,
    }
    semantic = pipeline.dense_coef is not None
    np.savez_compressed(
        path,
        meta=np.asarray(json.dumps(meta, ensure_ascii=False)),
        chars=np.asarray(sorted(pipeline.char_vocab, key=pipeline.char_vocab.__getitem__)),
        words=np.asarray(sorted(pipeline.word_vocab, key=pipeline.word_vocab.__getitem__)),
        char_idf=pipeline.char_idf.astype(np.float32),
        word_idf=pipeline.word_idf.astype(np.float32),
        coef=pipeline.coef.astype(np.float16),
        intercept=pipeline.intercept.astype(np.float32),
        dense_coef=pipeline.dense_coef if semantic else np.zeros((0, 0), np.float32),
        dense_fill=pipeline.dense_fill if semantic else np.zeros(0, np.float32),
    )
    return path


def read(path: Path | None = None) -> tuple[Any, dict[str, Any]] | None:
    """The packaged model and its meta, or None when there is none (or it is unreadable)."""
    from fawang.consult import classifier

    path = path or packaged_path()
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as arrays:
            meta = json.loads(str(arrays["meta"]))
            semantic = arrays["dense_coef"].size > 0
            pipeline = classifier.LinearTopics(
                char_vocab={str(gram): i for i, gram in enumerate(arrays["chars"].tolist())},
                char_idf=arrays["char_idf"],
                word_vocab={str(word): i for i, word in enumerate(arrays["words"].tolist())},
                word_idf=arrays["word_idf"],
                coef=np.ascontiguousarray(arrays["coef"], dtype=np.float32),
                intercept=arrays["intercept"],
                dense_coef=arrays["dense_coef"] if semantic else None,
                dense_fill=arrays["dense_fill"] if semantic else None,
            )
    except (OSError, KeyError, ValueError):
        logger.warning("packaged topic model %s is unreadable; training instead", path)
        return None
    model = classifier.Model(
        int(meta["version"]),
        str(meta["signature"]),
        list(meta["classes"]),
        pipeline,
        list(meta["trained_classes"]),
        int(meta["examples"]),
        float(meta["seconds"]),
        {"statutes": meta.get("statutes"), "knowledge": meta.get("knowledge")},
    )
    return model, meta


def why_not_current(model: Any, *, may_build: bool = True) -> str | None:
    """Why ``model`` (saved here or packaged) is not what training here now would give, or None
    when it is. ``may_build`` off: never builds the statute index to find out (then a model is
    current only when the saved index says so)."""
    from fawang.consult import classifier, dense

    if getattr(model, "version", None) != classifier.MODEL_VERSION:
        return "模型版本不同"
    if model.signature != classifier.data_signature():
        return "训练数据已更新"
    if model.semantic:
        try:
            dense.encoder()
        except dense.EncoderUnavailable:
            return "本机无法运行语义编码器"
    statutes = statutes_fingerprint(may_build=may_build)
    if statutes is None or model.trained_on.get("statutes") != statutes:
        return "法规库与训练时不同"
    if model.trained_on.get("knowledge") != knowledge_fingerprint():
        return "知识库与训练时不同"
    return None


def current(*, may_build: bool = True) -> Any | None:
    """The packaged model when it fits this installation, else None."""
    found = read()
    if found is None:
        return None
    model, _meta = found
    reason = why_not_current(model, may_build=may_build)
    if reason is not None:
        logger.info("packaged topic model not used (%s); training it here", reason)
        return None
    return model
