"""Load the consultation engine into a server process before it serves its first request.

Loading the saved classifier and retrieval index and jieba's dictionary takes about 5 s of CPU;
without this the first requests of every worker (a citizen's, a telephony system's) wait for it,
and under load they hold a core each while others queue behind them.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import time

from fawang.consult import classifier, dense, examples, retrieval
from fawang.consult import text as ctext

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Adopt what `fawang build-consult-index` saved; never trains or builds (that is the
    build command's job, and would hold a starting server for minutes)."""
    started = time.perf_counter()
    try:
        ctext.tokenize("预热分词词典")
        # the index first: the classifier checks it was trained on the statutes it holds
        loaded = {"index": retrieval.load_saved()}
        loaded["classifier"] = classifier.load_saved()
        if loaded["index"]:
            index = retrieval.get_index()
            loaded["dense"] = dense.question_scores(index, "预热") is not None
            if loaded["dense"]:
                dense.entry_vectors(index)  # entries written in the database are embedded now
                loaded["examples"] = examples.space_for(index) is not None
    except Exception:  # a damaged artifact is rebuilt on first use, never a reason not to start
        logger.exception("consultation warm-up failed; the engine loads on first use")
        return
    _return_freed_memory()
    logger.info("consultation warm-up %s in %.1f s", loaded, time.perf_counter() - started)


def _return_freed_memory() -> None:
    """Loading parses files into objects that are dropped once the arrays are built; glibc keeps
    the freed heap pages in the process unless asked to hand them back. Asking once, before the
    first request, lowers every serving process's resident set by about 25 MB. Elsewhere
    (another C library) nothing is done."""
    gc.collect()
    try:
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the C library the process runs
    except OSError:
        return
    if trim is not None:
        trim(0)


def not_ready() -> str | None:
    """`/readyz`: this server process answers questions only once its index is loaded."""
    return None if retrieval.has_index() else "咨询检索索引尚未载入"


def warning() -> str | None:
    """`/readyz` warnings: the engine answers, but with the lexical evidence alone (the dense
    vectors do not fit the statutes in the index — `fawang build-consult-index` embeds the rest —
    or the encoder cannot run on this CPU)."""
    return dense.problem()
