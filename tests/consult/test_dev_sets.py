"""The benchmark's question sets (benchmarks/data/consult_*.jsonl) hold what their briefs promise:
every gold article exists in the statute library, and a fresh set shares no gold with the sets
written before it — else its figures would measure what the engine was tuned on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from fawang.consult.services import default_statute_db

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
FRESH = ("consult_fresh.jsonl", "consult_fresh2.jsonl", "consult_fresh3.jsonl")


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def _golds(name: str) -> set[tuple[str, int]]:
    return {(a["law"], int(a["article"])) for item in _lines(name) for a in item["articles"]}


@pytest.fixture(scope="module")
def library() -> set[tuple[str, int]]:
    with sqlite3.connect(default_statute_db()) as db:
        rows = db.execute(
            "SELECT law_name, article_no_arabic FROM articles "
            "WHERE status IN ('现行有效', '已被修改') AND article_no_arabic IS NOT NULL"
        )
        return {(law, int(number)) for law, number in rows}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("consult_*.jsonl")))
def test_every_gold_article_is_in_the_statute_library(
    name: str, library: set[tuple[str, int]]
) -> None:
    items = _lines(name)
    assert len({item["id"] for item in items}) == len(items)
    assert all(item["question"].strip() and item["articles"] for item in items)
    missing = sorted(_golds(name) - library)
    assert not missing, missing[:5]


@pytest.mark.parametrize("position", range(len(FRESH)))
def test_a_fresh_set_shares_no_gold_with_the_sets_written_before_it(position: int) -> None:
    name = FRESH[position]
    earlier = [
        p.name
        for p in DATA.glob("consult_*.jsonl")
        if p.name not in FRESH or FRESH.index(p.name) < position
    ]
    golds = _golds(name)
    items = _lines(name)
    assert all(item["split"] == "holdout" for item in items)
    assert len(golds) == len(items)  # one gold each, none twice
    for other in earlier:
        shared = golds & _golds(other)
        assert not shared, (other, sorted(shared)[:5])
