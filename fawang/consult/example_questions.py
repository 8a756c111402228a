"""The example questions for articles as data: the file, its examples, and their words by index
row. Kept apart from ``examples`` (which scores a question against their vectors) because the
retrieval index reads them too (``retrieval.Index.expanded_matrix``), and ``examples`` reads the
index."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol

from fawang.consult import text as ctext

EXAMPLES_FILE = "article_questions.tsv"


class LawRows(Protocol):
    """A law of the index as its cache holds it (``retrieval.LawCache``)."""

    short_name: str
    rows: list[tuple[int, int, int, str, str]]  # (pk, number, suffix, text, tokens)


@dataclass(frozen=True, slots=True)
class Example:
    law: str  # short name, as the index has it (民法典, 刑法)
    number: int
    suffix: int  # 1 for 之一
    question: str


def examples_path() -> Path:
    return Path(str(resources.files("fawang.consult") / "data" / EXAMPLES_FILE))


def load_examples() -> tuple[Example, ...]:
    """The packaged examples (lines ``law<TAB>number<TAB>suffix<TAB>question``; ``#`` comments).
    Read afresh each time, never cached: a serving process reads them once, to match their
    vectors to the index, and keeping ~50,000 of them after that cost it 13 MB."""
    examples = []
    path = examples_path()
    if not path.is_file():
        return ()
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
            raise ValueError(f"{path.name} line {line_number}: law, number, suffix, question")
        examples.append(Example(parts[0], int(parts[1]), int(parts[2]), parts[3].strip()))
    return tuple(examples)


def texts(examples: tuple[Example, ...]) -> list[str]:
    return [ctext.normalise(example.question) for example in examples]


def rows_by_article(laws: Mapping[int, LawRows]) -> dict[tuple[str, int, int], int]:
    """(law short name, number, suffix) → index row, in the index's row order (laws by id)."""
    found: dict[tuple[str, int, int], int] = {}
    row = 0
    for law_id in sorted(laws):
        law = laws[law_id]
        for _pk, number, suffix, _body, _tokens in law.rows:
            found.setdefault((law.short_name, int(number), int(suffix)), row)
            row += 1
    return found


def signature() -> str:
    """Of the examples file as it is now: the retrieval index's expansion is rebuilt when it
    changes."""
    path = examples_path()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def terms_by_row(laws: Mapping[int, LawRows]) -> list[list[str]]:
    """Per index row, the search terms of its example questions (none for an article without).
    The retrieval index adds them to the article's own words (``retrieval.Index.expanded_matrix``):
    a caller's 老板 and 工资 then find the article that says 用人单位 and 劳动报酬."""
    by_article = rows_by_article(laws)
    terms: list[list[str]] = [[] for _ in range(sum(len(law.rows) for law in laws.values()))]
    for example in load_examples():
        row = by_article.get((example.law, example.number, example.suffix))
        if row is not None:
            question = ctext.normalise(example.question)
            terms[row].extend(ctext.question_terms(ctext.tokenize(question)))
    return terms
