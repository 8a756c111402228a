"""The engine's tokenizer reads jieba's dictionary from a shared trie (``consult.wordfreq``): it
must cut every text exactly as jieba with its own dictionary does, or the answers would change."""

from __future__ import annotations

import json
from importlib import resources

import jieba

from fawang.consult import text
from fawang.consult.artifacts import artifact_dir
from fawang.consult.wordfreq import Cutter

ADDED = {"人身安全保护令": 2000, "劳动报酬": 2000, "工资拖着不给": 1000, "梧桐树法律服务站": 2000}
EDGE_CASES = [
    "",
    "a",
    "劳动报酬劳动报酬劳动报",  # an added word over a dictionary word, repeated, then cut short
    "梧桐树法律服务站的律师说工资拖着不给可以申请人身安全保护令吗",
    "中华人民共和国民法典第一千一百六十五条规定行为人因过错侵害他人民事权益造成损害的" * 3,
    "GDP增长7.5%，iPhone 15 Pro在2024年的售价是8999元？",
    "喂喂喂，，，我我我要要要咨询询询",
]


def _questions() -> list[str]:
    path = resources.files("fawang.consult") / "data" / "questions" / "train.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:400] if line.strip()]


def test_the_compact_dictionary_cuts_exactly_as_jieba() -> None:
    reference = jieba.Tokenizer()
    reference.initialize()
    compact = Cutter()
    for word, freq in ADDED.items():
        reference.add_word(word, freq)
        compact.add_word(word, freq)
    for sentence in [*EDGE_CASES, *_questions()]:
        assert list(compact.cut_for_search(sentence, HMM=False)) == list(
            reference.cut_for_search(sentence, HMM=False)
        ), sentence
        assert list(compact.cut(sentence)) == list(reference.cut(sentence)), sentence


def test_the_dictionary_files_carry_jiebas_whole_version() -> None:
    Cutter()
    names = {path.name for path in artifact_dir().glob("jieba-*")}
    assert {f"jieba-{jieba.__version__}.trie", f"jieba-{jieba.__version__}.npz"} <= names


def test_a_keyword_added_at_run_time_is_cut_whole() -> None:
    assert "梧桐树法律服务站" not in text.tokenize("去梧桐树法律服务站咨询")
    text.add_words(["梧桐树法律服务站"])
    assert "梧桐树法律服务站" in text.tokenize("去梧桐树法律服务站咨询")
