"""The topics: all those the classifier knows, and the topics of a law's articles
(``data/law_topics.tsv``)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from fawang.consult.artifacts import _sha
from fawang.consult.models import normalise_law_name

# All the topics the classifier knows, in a fixed order (index = column of the topic matrices).
NOT_LEGAL = "not_legal"


def topic_names() -> list[str]:
    from fawang.core.taxonomy import Topic

    return [*Topic.values, NOT_LEGAL]


# --- law → topics --------------------------------------------------------------------------


@dataclass(frozen=True)
class LawTopicRule:
    law: str  # short name
    topics: tuple[str, ...]
    first: int = 0
    last: int = 10**6


def _law_topics_text() -> str:
    return (resources.files("fawang.consult") / "data" / "law_topics.tsv").read_text(
        encoding="utf-8"
    )


def _rules_signature() -> str:
    return _sha(_law_topics_text())


def law_topic_rules() -> list[LawTopicRule]:
    rules = []
    for line in _law_topics_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        topics = tuple(t.strip() for t in fields[1].split(",") if t.strip())
        first, last = 0, 10**6
        if len(fields) > 2 and fields[2].strip():
            low, _, high = fields[2].partition("-")
            first, last = int(low), int(high or low)
        rules.append(LawTopicRule(normalise_law_name(fields[0]), topics, first, last))
    return rules


def article_topics(
    short_name: str, number: int, rules: list[LawTopicRule] | None = None
) -> tuple[str, ...]:
    for rule in law_topic_rules() if rules is None else rules:
        if rule.law == short_name and rule.first <= number <= rule.last:
            return rule.topics
    return ()
