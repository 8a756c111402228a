"""jieba's dictionary, kept compact: the consultation engine's tokenizer (``text.tokenizer``) cuts
with jieba's ~350,000 words, which jieba itself holds in a dict of ~500,000 words and prefixes —
about 60 MB in every server process. Here the words are a memory-mapped trie (2 MB of file pages
the worker processes share) and their frequencies a 1.4 MB array, both written once from jieba's
own dictionary to ``<VAR_DIR>/consult/jieba-<version>.trie`` / ``.npz``.

``Cutter`` is jieba's ``Tokenizer`` reading them: it finds the words starting at each character
with one trie call (jieba walks a dict of prefixes) and cuts exactly as jieba does — the same
tokens for every text (checked on the statute library and the dev sets). Words added at run time
(the legal vocabulary, colloquial phrases, knowledge-base keywords) are kept as jieba keeps them,
in a small dict of words and prefixes laid over the trie.
"""

from __future__ import annotations

import array
import os
from pathlib import Path
from typing import Any

import jieba
import marisa_trie
import numpy as np

from fawang.consult.artifacts import artifact_dir


def _paths() -> tuple[Path, Path]:
    stem = f"jieba-{jieba.__version__}"  # a dotted version: no with_suffix, it would cut ".1"
    return artifact_dir() / f"{stem}.trie", artifact_dir() / f"{stem}.npz"


def _write(trie_path: Path, numbers_path: Path) -> None:
    """Both files from jieba's dictionary, each written whole or not at all."""
    reader = jieba.Tokenizer()
    frequencies, total = reader.gen_pfdict(reader.get_dict_file())
    known = [word for word, freq in frequencies.items() if freq > 0]
    words = marisa_trie.Trie(known)
    counts = np.zeros(len(words), dtype=np.uint32)
    for word, key_id in words.iteritems():
        counts[key_id] = frequencies[word]
    longest = max(map(len, known))
    tmp = numbers_path.with_name(f"{numbers_path.stem}.tmp{os.getpid()}.npz")
    np.savez(tmp, counts=counts, total=np.int64(total), longest=np.int64(longest))
    os.replace(tmp, numbers_path)
    tmp = trie_path.with_name(f"{trie_path.name}.tmp{os.getpid()}")
    words.save(str(tmp))
    os.replace(tmp, trie_path)


class Frequencies:
    """Word → frequency, as jieba's ``Tokenizer`` reads and writes its ``FREQ`` (``get``, ``in``,
    ``[]``, ``[] =``), plus ``word_ends`` for the cutter. A prefix of a word that is no word
    itself has frequency 0, as in jieba."""

    def __init__(self) -> None:
        trie_path, numbers_path = _paths()
        if not (trie_path.exists() and numbers_path.exists()):
            _write(trie_path, numbers_path)
        self._words = marisa_trie.Trie().mmap(str(trie_path))
        with np.load(numbers_path) as numbers:
            self._counts = array.array("I", numbers["counts"].astype(np.uint32).tobytes())
            self.total = int(numbers["total"])
            self._longest = int(numbers["longest"])
        self._added: dict[str, int] = {}  # added words (and prefixes jieba marks with 0)
        self._added_prefixes: set[str] = set()  # every prefix of an added word

    def get(self, word: str, default: Any = None) -> Any:
        value = self._added.get(word)
        if value is not None:
            return value
        key_id = self._words.get(word)
        return default if key_id is None else self._counts[key_id]

    def __contains__(self, word: object) -> bool:
        if word in self._added:
            return True
        return isinstance(word, str) and next(self._words.iterkeys(word), None) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None and word not in self:
            raise KeyError(word)
        return value or 0

    def __setitem__(self, word: str, value: int) -> None:
        self._added[word] = value
        self._added_prefixes.update(word[:end] for end in range(1, len(word) + 1))

    def word_ends(self, sentence: str, start: int) -> list[int]:
        """The last index of every word that starts at ``start`` (jieba's DAG entry)."""
        window = sentence[start : start + self._longest]
        ends = [start + len(word) - 1 for word in self._words.prefixes(window)]
        added, prefixes = self._added, self._added_prefixes
        end, fragment = start, sentence[start]
        while end < len(sentence) and fragment in prefixes:
            if added.get(fragment) and end not in ends:
                ends.append(end)
            end += 1
            fragment = sentence[start : end + 1]
        if len(ends) > 1:
            ends.sort()
        return ends


class Cutter(jieba.Tokenizer):
    """jieba's tokenizer over ``Frequencies`` instead of jieba's dict (never loads that dict)."""

    def __init__(self) -> None:
        super().__init__()
        self.FREQ = Frequencies()
        self.total = self.FREQ.total
        self.initialized = True

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        frequencies = self.FREQ
        return {k: frequencies.word_ends(sentence, k) or [k] for k in range(len(sentence))}
