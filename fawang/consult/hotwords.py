"""Hot-word analysis (热词分析): what citizens ask about, and what is rising — the "barometer".

Reads work orders (the consultations of every channel) for a period, a region subtree and
optionally a topic; counts in how many requests each term appears (document frequency, so one
long complaint does not outweigh ten short calls); compares with the period just before.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from fawang.consult.text import tokenize
from fawang.core.errors import NotFound
from fawang.core.models import Region, User
from fawang.core.selectors import NOT_FOUND_MESSAGE
from fawang.core.taxonomy import Topic
from fawang.workorders.models import WorkOrder

# Words every request shares, which say nothing about the concern itself.
GENERIC_TERMS = frozenset(
    {
        "怎么办",
        "怎么",
        "什么",
        "可以",
        "需要",
        "现在",
        "我们",
        "他们",
        "自己",
        "没有",
        "请问",
        "咨询",
    }
    | {"问题", "一下", "这个", "那个", "还是", "已经", "应该", "是否", "如何", "能否", "知道"}
    # Filler a caller says whatever the matter (seen at the top of the demo's report).
    | {"申请", "要求", "对方", "不能", "希望", "我家", "全部", "万元", "帮助", "时间", "目前"}
    | {"今天", "去年", "今年", "以前", "之前", "之后", "后来", "一起", "一直", "这里", "那里"}
    | {"告诉", "表示", "发现", "认为", "觉得", "我方", "本人", "家里", "别人", "有人", "所有"}
    | {"处理", "解决", "办理", "相关", "具体", "情况", "事情", "东西", "不行", "不要", "不想"}
)
# Amounts and durations ("三个月", "5万元", "两年") name no concern.
_MEASURE = re.compile(
    r"[\d一二三四五六七八九十百千万两几半]+(个|个?[元万年月日天次岁号]+)|[万亿]?元"
)
MIN_COUNT_TO_RISE = 3
# "Rising" compares with the period before; a term seen fewer times then has no baseline, and a
# 0 → 3 "rise" would top the list with noise.
MIN_BASELINE = 2


@dataclass
class TermTrend:
    term: str
    count: int
    previous: int

    @property
    def growth(self) -> float:
        """How many times more often than before (add-one smoothed, so new terms stay finite)."""
        return round((self.count + 1) / (self.previous + 1), 2)


@dataclass
class HotWordReport:
    region: Region
    start: datetime
    end: datetime
    topic: str | None
    requests: int = 0
    previous_requests: int = 0
    top_terms: list[TermTrend] = field(default_factory=list)
    rising_terms: list[TermTrend] = field(default_factory=list)
    topic_mix: list[tuple[str, int, float, float]] = field(default_factory=list)


def _says_something(term: str) -> bool:
    return len(term) >= 2 and term not in GENERIC_TERMS and not _MEASURE.fullmatch(term)


def _document_frequency(texts: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({term for term in tokenize(text) if _says_something(term)})
    return counts


def _orders(
    region: Region, start: datetime, end: datetime, topic: str | None
) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.filter(
        region__path__startswith=region.path, created_at__gte=start, created_at__lt=end
    )
    return qs.filter(topic=topic) if topic else qs


def hot_words(
    user: User,
    region: Region,
    start: datetime,
    end: datetime,
    *,
    topic: str | None = None,
    top: int = 20,
) -> HotWordReport:
    """Top terms, rising terms and the topic mix for [start, end) against the equally long
    period before it. For bureau staff of the region (and above)."""
    if not user.is_authenticated or user.is_citizen or user.region is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    if not user.region.contains(region) or (topic and topic not in Topic.values):
        raise NotFound(NOT_FOUND_MESSAGE)
    previous_start = start - (end - start)
    report = HotWordReport(region=region, start=start, end=end, topic=topic)
    now_texts = [
        f"{title} {description}"
        for title, description in _orders(region, start, end, topic).values_list(
            "title", "description"
        )
    ]
    before_texts = [
        f"{title} {description}"
        for title, description in _orders(region, previous_start, start, topic).values_list(
            "title", "description"
        )
    ]
    report.requests, report.previous_requests = len(now_texts), len(before_texts)
    now, before = _document_frequency(now_texts), _document_frequency(before_texts)
    # Ties by the term itself: the same report whatever order the words were counted in.
    ranked = sorted(now.items(), key=lambda item: (-item[1], item[0]))
    report.top_terms = [TermTrend(term, count, before[term]) for term, count in ranked[:top]]
    rising = [
        TermTrend(term, count, before[term])
        for term, count in now.items()
        if count >= MIN_COUNT_TO_RISE and before[term] >= MIN_BASELINE and count > before[term]
    ]
    rising.sort(key=lambda trend: (-trend.growth, -trend.count, trend.term))
    report.rising_terms = rising[:top]
    report.topic_mix = _topic_mix(region, start, end, previous_start)
    return report


def _topic_mix(
    region: Region, start: datetime, end: datetime, previous_start: datetime
) -> list[tuple[str, int, float, float]]:
    """(topic label, count, share now, change of share in percentage points)."""
    labels = dict(Topic.choices)
    now = Counter(_orders(region, start, end, None).values_list("topic", flat=True))
    before = Counter(_orders(region, previous_start, start, None).values_list("topic", flat=True))
    total_now, total_before = sum(now.values()) or 1, sum(before.values()) or 1
    rows = []
    for code, count in now.most_common():
        share = count / total_now
        change = share - before[code] / total_before
        rows.append((str(labels.get(code, code)), count, round(share, 4), round(change * 100, 1)))
    return rows
