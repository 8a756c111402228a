"""One version's content: the question, the answer, the keywords and the citations, checked and
resolved to articles; the entry's key, topic and region."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fawang.consult.citations import ArticleRef, article_ref, parse_citations, resolve_article_refs
from fawang.consult.models import (
    ANSWER_LENGTH,
    KEYWORD_COUNT,
    KEYWORD_MAX_LENGTH,
    MAX_CITATIONS,
    QUESTION_LENGTH,
    Article,
    KnowledgeVersion,
)
from fawang.core.errors import InvalidInput
from fawang.core.models import Region
from fawang.core.taxonomy import Topic

KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
KEY_MAX_LENGTH = 50
RESERVED_KEYS = frozenset({"manage", "new", "export", "import"})
_KEYWORD_SPLIT = re.compile(r"[、,，;；\s]+")
# What may stand between the citations of a citations cell: separators and connectives.
_CITATION_FILLER = re.compile(r"[\s、,，;；。.及和与或者以至到]*")
TOPIC_BY_LABEL = {str(label): str(value) for value, label in Topic.choices}


# --- content -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeContent:
    """One version's text, validated, with its citations resolved to articles."""

    question: str
    answer: str
    keywords: tuple[str, ...]
    articles: tuple[Article, ...]

    def same_as(self, version: KnowledgeVersion | None) -> bool:
        if version is None:
            return False
        return (
            self.question == version.question
            and self.answer == version.answer
            and list(self.keywords) == list(version.keywords)
            and [a.pk for a in self.articles]
            == [link.article_id for link in version.cited_articles.all()]
        )


def _length(value: Any, bounds: tuple[int, int], field: str, label: str) -> str:
    text = str(value or "").strip()
    low, high = bounds
    if not text:
        raise InvalidInput(f"请填写{label}。", code="required", field=field)
    if len(text) < low:
        raise InvalidInput(f"{label}至少需要{low}个字。", code="too_short", field=field)
    if len(text) > high:
        raise InvalidInput(f"{label}不能超过{high:,}个字。", code="too_long", field=field)
    return text


def clean_keywords(value: str | Iterable[Any] | None) -> tuple[str, ...]:
    """A list, or text separated by 、 , ; or spaces → 1–8 distinct keywords."""
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = _KEYWORD_SPLIT.split(value)
    else:
        items = [str(item) for item in value]
    keywords: list[str] = []
    for item in items:
        word = item.strip()
        if word and word not in keywords:
            keywords.append(word)
    low, high = KEYWORD_COUNT
    if len(keywords) < low:
        raise InvalidInput("请至少填写1个关键词。", code="required", field="keywords")
    if len(keywords) > high:
        raise InvalidInput(f"关键词最多{high}个。", code="too_many", field="keywords")
    for word in keywords:
        if len(word) > KEYWORD_MAX_LENGTH:
            raise InvalidInput(
                f"关键词“{word}”过长：每个关键词不超过{KEYWORD_MAX_LENGTH}个字。",
                code="too_long",
                field="keywords",
            )
    return tuple(keywords)


def parse_citation_text(text: str) -> list[ArticleRef]:
    """“《民法典》第一千零七十九条；《劳动合同法》第38条、第46条” → refs; anything else in the
    text that is not a citation is refused rather than dropped."""
    text = text or ""
    refs = parse_citations(text)
    rest, position = [], 0
    for ref in refs:
        rest.append(text[position : ref.start])
        position = max(position, ref.end)
    rest.append(text[position:])
    leftover = _CITATION_FILLER.sub("", "".join(rest))
    if leftover:
        raise InvalidInput(
            f"无法识别的法律依据：“{leftover[:40]}”。请写作《法律名称》第N条，多条以“；”分隔。",
            code="bad_citation",
            field="citations",
        )
    return [(ref.law_name, ref.number, ref.suffix) for ref in refs]


def citation_refs(citations: str | Iterable[Any] | None) -> list[ArticleRef]:
    """Citations as text, or as a list of ``{law, article}`` mappings, texts or Articles."""
    if citations is None:
        return []
    if isinstance(citations, str):
        return parse_citation_text(citations)
    refs: list[ArticleRef] = []
    for item in citations:
        if isinstance(item, Article):
            refs.append((item.law.short_name, item.number, item.suffix))
        elif isinstance(item, Mapping):
            refs.append(article_ref(str(item.get("law") or ""), item.get("article")))
        elif isinstance(item, str):
            refs.extend(parse_citation_text(item))
        else:
            raise InvalidInput("法律依据应写作 {law: 法律名称, article: 条号}。", field="citations")
    return refs


def _check_refs(refs: list[ArticleRef]) -> list[ArticleRef]:
    distinct = list(dict.fromkeys(refs))
    if not distinct:
        raise InvalidInput("请至少填写一条法律依据。", code="required", field="citations")
    if len(distinct) > MAX_CITATIONS:
        raise InvalidInput(f"法律依据最多{MAX_CITATIONS}条。", code="too_many", field="citations")
    return distinct


def _articles(
    refs: list[ArticleRef], resolved: Mapping[ArticleRef, Article | str]
) -> tuple[Article, ...]:
    articles: list[Article] = []
    for ref in refs:
        found = resolved[ref]
        if isinstance(found, str):
            raise InvalidInput(found, code="bad_citation", field="citations")
        if all(article.pk != found.pk for article in articles):
            articles.append(found)
    return tuple(articles)


def validate_content(
    *, question: Any, answer: Any, keywords: Any, citations: Any
) -> KnowledgeContent:
    """Check one version's text and resolve its citations (InvalidInput, in Chinese)."""
    question_text = _length(question, QUESTION_LENGTH, "question", "问题")
    answer_text = _length(answer, ANSWER_LENGTH, "answer", "标准答复")
    words = clean_keywords(keywords)
    refs = _check_refs(citation_refs(citations))
    return KnowledgeContent(
        question_text, answer_text, words, _articles(refs, resolve_article_refs(refs))
    )


def clean_key(value: Any) -> str:
    key = str(value or "").strip()
    if not key:
        raise InvalidInput("请填写编号。", code="required", field="key")
    if len(key) > KEY_MAX_LENGTH or not KEY_PATTERN.fullmatch(key) or key in RESERVED_KEYS:
        raise InvalidInput(
            f"编号“{key[:60]}”不可用：只能由小写字母、数字和连字符组成（不超过{KEY_MAX_LENGTH}位），"
            "如 labour-001。",
            code="bad_key",
            field="key",
        )
    return key


def clean_topic(value: Any) -> str:
    """A topic's value (labour) or its label (劳动纠纷)."""
    topic = str(value or "").strip()
    topic = TOPIC_BY_LABEL.get(topic, topic)
    if topic not in Topic.values:
        raise InvalidInput(f"未知的咨询分类：“{value}”。", code="unknown_topic", field="topic")
    return topic


def clean_region(value: Region | str | None) -> Region | None:
    """A region, or its 12-digit code; empty for the whole country."""
    if isinstance(value, Region) or value is None:
        return value
    code = str(value).strip()
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise InvalidInput(f"未知的行政区划代码：{code}", code="unknown_region", field="region")
    return region
