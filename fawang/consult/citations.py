"""Finding statute citations in text and checking them against the library.

Pure reads: nothing here changes state. ``parse_citations`` is text-only; ``check_citations``
reads the library in at most four queries, whatever the number of citations.

Handled forms, after a law name in 《》 (short or full: 《民法典》 = 《中华人民共和国民法典》;
half- or full-width brackets; an optional version note such as （2018年修正）):
  第一千零七十九条 · 第1079条 · 第１０７９条 · 第一百三十三条之一 · 第三十八条第一款第二项 ·
  第二十四条第二款第（三）项 · several articles: 第三十八条、第四十六条和第四十七条 (also 及, 以及,
  与, 或, 或者, a comma, and 至/到 for both ends of a range) · 该法/同法第X条 for the law just cited.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import cn2an
from django.db import models
from django.db.models import Max

from fawang.consult.models import (
    STATUS_PREFERENCE,
    Article,
    Law,
    LawStatus,
    normalise_law_name,
)
from fawang.core.errors import InvalidInput

MAX_TEXT = 100_000

_NUMERAL = r"[零〇一二三四五六七八九十百千两\d０-９]+"
_ARTICLE = (
    rf"第\s*(?P<number>{_NUMERAL})\s*条"
    rf"(?:\s*之\s*(?P<suffix>[一二三四五六七八九十\d０-９]+))?"
    rf"(?:\s*第\s*(?P<paragraph>{_NUMERAL})\s*款)?"
    rf"(?:\s*第?\s*[（(]?\s*(?P<item>{_NUMERAL})\s*[）)]?\s*项)?"
)
# A name in 《》, allowing one level of nested 《》 or 〈〉 (interpretations name the law they read).
_NAME = r"(?:[^《》〈〉\n]|[《〈][^《》〈〉\n]{1,80}[》〉]){1,120}"
_VERSION_NOTE = r"(?:\s*[（(][^（）()\n]{1,20}[）)])?"
_HEAD = re.compile(rf"(?:《(?P<name>{_NAME})》{_VERSION_NOTE}|(?P<same>该法|同法))\s*{_ARTICLE}")
_SEPARATOR = r"\s*(?:、|，|,|以及|及|和|与|或者|或|至|到)?\s*"
_NEXT_ARTICLE = re.compile(_SEPARATOR + _ARTICLE)
_NEXT_PARAGRAPH = re.compile(
    _SEPARATOR + rf"(?:第\s*{_NUMERAL}\s*款|第?\s*[（(]?\s*{_NUMERAL}\s*[）)]?\s*项)"
)
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９〇两", "0123456789零二")


def to_int(numeral: str | None) -> int | None:
    """一千零七十九 / 1079 / １０７９ → 1079; None when it is not a number."""
    if not numeral:
        return None
    numeral = numeral.translate(_WIDE_DIGITS)
    if numeral.isdigit():
        return int(numeral)
    try:
        return int(cn2an.cn2an(numeral, "strict"))
    except (ValueError, KeyError):
        return None


def article_label(number: int, suffix: int = 0) -> str:
    """1079 → 第一千零七十九条; (133, 1) → 第一百三十三条之一."""
    label = f"第{cn2an.an2cn(number)}条"
    return f"{label}之{cn2an.an2cn(suffix)}" if suffix else label


@dataclass(frozen=True)
class CitationRef:
    law_name: str  # as written, without 《》
    number: int
    suffix: int
    paragraph: int | None
    item: int | None
    start: int
    end: int
    text: str

    @property
    def article_label(self) -> str:
        return article_label(self.number, self.suffix)


def _ref(text: str, match: re.Match[str], law_name: str, start: int) -> CitationRef | None:
    number = to_int(match.group("number"))
    suffix = to_int(match.group("suffix")) if match.group("suffix") else 0
    if number is None or suffix is None:
        return None
    return CitationRef(
        law_name=law_name,
        number=number,
        suffix=suffix,
        paragraph=to_int(match.group("paragraph")),
        item=to_int(match.group("item")),
        start=start,
        end=match.end(),
        text=text[start : match.end()],
    )


def parse_citations(text: str) -> list[CitationRef]:
    """Every 《law》第…条 citation in the text, in order, one per article cited."""
    refs: list[CitationRef] = []
    last_law: str | None = None
    position = 0
    while (head := _HEAD.search(text, position)) is not None:
        position = head.end()
        if head.group("same"):
            if last_law is None:
                continue
            law_name = last_law
        else:
            law_name = re.sub(r"\s+", "", head.group("name"))
            last_law = law_name
        first = _ref(text, head, law_name, head.start())
        if first is not None:
            refs.append(first)
        while True:
            following = _NEXT_ARTICLE.match(text, position)
            if following is not None:
                start = following.start() + following.group(0).index("第")
                ref = _ref(text, following, law_name, start)
                if ref is not None:
                    refs.append(ref)
                position = following.end()
                continue
            paragraph = _NEXT_PARAGRAPH.match(text, position)
            if paragraph is not None:
                position = paragraph.end()  # 第一款、第二款: more of the same article
                continue
            break
    return refs


class CitationStatus(models.TextChoices):
    OK = "ok", "引用正确"
    LAW_UNKNOWN = "law_unknown", "未找到该法律"
    ARTICLE_MISSING = "article_missing", "该条不存在"
    NOT_IN_FORCE = "not_in_force", "法律已失效"  # repealed, or only a historical version
    DELETED = "deleted", "该条已删去"  # struck out by an amendment (models.is_deleted_text)


@dataclass(frozen=True)
class CitationCheck:
    ref: CitationRef
    status: str
    law: Law | None
    article: Article | None
    url: str
    message: str
    note: str = ""
    # For a law the library lacks because it was repealed: the article that repealed it.
    replaced_by: Article | None = None

    @property
    def status_label(self) -> str:
        return CitationStatus(self.status).label

    @property
    def is_ok(self) -> bool:
        return self.status == CitationStatus.OK


def preferred_law(laws: list[Law]) -> Law:
    """Of laws sharing a name: the in-force one, else amended, historical, repealed; newest first."""
    return min(
        laws,
        key=lambda law: (
            STATUS_PREFERENCE.index(law.status),
            -(law.version_date.toordinal() if law.version_date else 0),
        ),
    )


def validate_text(text: str) -> str:
    if not text or not text.strip():
        raise InvalidInput("请粘贴需要核对的文字。", field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"文字过长：一次最多核对 {MAX_TEXT:,} 个字。", field="text")
    return text


def check_citations(text: str) -> list[CitationCheck]:
    """Each citation in the text, resolved against the library, in the order they appear."""
    refs = parse_citations(validate_text(text))
    if not refs:
        return []
    by_name: dict[str, list[Law]] = defaultdict(list)
    names = {normalise_law_name(ref.law_name) for ref in refs}
    for law in Law.objects.filter(short_name__in=names):
        by_name[law.short_name].append(law)
    law_ids = [law.pk for laws in by_name.values() for law in laws]
    numbers = {ref.number for ref in refs}
    articles = {
        (article.law_id, article.number, article.suffix): article
        for article in Article.objects.filter(law_id__in=law_ids, number__in=numbers)
    }
    last_numbers = dict(
        Article.objects.filter(law_id__in=law_ids)
        .values("law_id")
        .annotate(last=Max("number"))
        .values_list("law_id", "last")
    )
    laws_by_id = {law.pk: law for laws in by_name.values() for law in laws}
    for article in articles.values():  # each check carries its law without another query
        article.law = laws_by_id[article.law_id]
    # Laws the library lacks or holds as repealed: which in-force article repealed them?
    gone = {
        name
        for name in names
        if name not in by_name or preferred_law(by_name[name]).status == LawStatus.REPEALED
    }
    repealing = repealing_articles(gone) if gone else {}
    return [_check(ref, by_name, articles, last_numbers, repealing) for ref in refs]


_REPEAL_SENTENCE = re.compile(r"[^。；\n]*同时废止")
_QUOTED_NAME = re.compile(r"《([^《》]+)》")


def repealing_articles(names: set[str]) -> dict[str, Article]:
    """For laws no longer in force, the in-force article that repealed them, if any.

    The library holds the laws in force, and their final provisions name what they replaced:
    《民法典》第一千二百六十条 "《中华人民共和国婚姻法》、……《中华人民共和国合同法》……同时废止".
    So a citation of 《婚姻法》 is recognised as citing a repealed law, with the repealing article.
    """
    found: dict[str, Article] = {}
    candidates = Article.objects.select_related("law").filter(
        law__status=LawStatus.IN_FORCE, text__contains="同时废止"
    )
    for article in candidates:
        for sentence in _REPEAL_SENTENCE.findall(article.text):
            for quoted in _QUOTED_NAME.findall(sentence):
                name = normalise_law_name(quoted)
                if name in names and name != article.law.short_name:
                    found.setdefault(name, article)
    return found


def _check(
    ref: CitationRef,
    by_name: dict[str, list[Law]],
    articles: dict[tuple[int, int, int], Article],
    last_numbers: dict[int, int],
    repealing: dict[str, Article],
) -> CitationCheck:
    name = normalise_law_name(ref.law_name)
    candidates = by_name.get(name)
    replacement = repealing.get(name)
    if not candidates and replacement is not None:
        successor = replacement.law
        return CitationCheck(
            ref,
            CitationStatus.NOT_IN_FORCE,
            None,
            None,
            replacement.get_absolute_url(),
            f"《{ref.law_name}》已由《{successor.short_name}》{replacement.number_text}废止，"
            "不应再作为依据引用。",
            f"请改为引用《{successor.short_name}》的相应条文。",
            replaced_by=replacement,
        )
    if not candidates:
        return CitationCheck(
            ref,
            CitationStatus.LAW_UNKNOWN,
            None,
            None,
            "",
            f"法律法规库中没有《{ref.law_name}》：请核对名称。库中收录全国人大及其常委会制定的法律，"
            "不含行政法规、司法解释和地方性法规。",
        )
    law = preferred_law(candidates)
    article = articles.get((law.pk, ref.number, ref.suffix))
    cited = f"《{law.short_name}》{ref.article_label}"
    if law.status in (LawStatus.REPEALED, LawStatus.HISTORICAL):
        reason = "已废止" if law.status == LawStatus.REPEALED else "只有历史版本，已被新版本取代"
        if replacement is not None:
            reason = f"已由《{replacement.law.short_name}》{replacement.number_text}废止"
        return CitationCheck(
            ref,
            CitationStatus.NOT_IN_FORCE,
            law,
            article,
            article.get_absolute_url() if article else law.get_absolute_url(),
            f"《{law.name}》{reason}，不应再作为依据引用。",
            f"请改为引用《{replacement.law.short_name}》的相应条文。" if replacement else "",
            replaced_by=replacement,
        )
    if article is None:
        note = ""
        for other in candidates:
            if other.pk != law.pk and (other.pk, ref.number, ref.suffix) in articles:
                version = other.version_date.isoformat() if other.version_date else ""
                note = f"该条见于{other.get_status_display()}（{version}），现行文本中没有此条。"
        last = last_numbers.get(law.pk)
        total = f"（该法最后一条为{article_label(last)}）" if last else ""
        return CitationCheck(
            ref,
            CitationStatus.ARTICLE_MISSING,
            law,
            None,
            law.get_absolute_url(),
            f"{cited}不存在{total}。",
            note,
        )
    if article.is_deleted:
        return CitationCheck(
            ref,
            CitationStatus.DELETED,
            law,
            article,
            article.get_absolute_url(),
            f"{cited}已被修正案删去，不应再作为依据引用。",
        )
    note = ""
    if law.status == LawStatus.AMENDED:
        note = "库中文本此后又经修正，该条内容可能已有变化，请以最新修正文本为准。"
    return CitationCheck(
        ref,
        CitationStatus.OK,
        law,
        article,
        article.get_absolute_url(),
        f"{cited}引用正确（{law.get_status_display()}）。",
        note,
    )


# --- resolving a structured citation ({law, article}) to an article of the library ------------

ArticleRef = tuple[str, int, int]  # (law name as written, article number, 之-suffix)


def article_ref(law: str, article: object) -> ArticleRef:
    """``("民法典", 1079)``, ``("刑法", "133-1")``, ``("劳动合同法", "第三十八条")`` → a ref.

    Raises InvalidInput (Chinese) when the law name is empty or the article number unreadable.
    """
    name = "".join(str(law or "").split()).strip("《》〈〉")
    if not name:
        raise InvalidInput("法律依据缺少法律名称。", field="citations")
    number: int | None = None
    suffix: int | None = 0
    if isinstance(article, bool):
        number = None
    elif isinstance(article, int):
        number = article
    elif isinstance(article, str):
        text = "".join(article.split())
        match = re.fullmatch(r"(\d{1,5})(?:-(\d{1,3}))?", text) or re.fullmatch(
            rf"第?({_NUMERAL})条?(?:之([一二三四五六七八九十\d０-９]+))?", text
        )
        if match is not None:
            number = to_int(match.group(1))
            suffix = to_int(match.group(2)) if match.group(2) else 0
    if number is None or suffix is None or number < 0:
        raise InvalidInput(f"《{name}》的条号“{article}”无法识别。", field="citations")
    return name, number, suffix


def ref_label(ref: ArticleRef) -> str:
    return f"《{ref[0]}》{article_label(ref[1], ref[2])}"


def resolve_article_refs(refs: list[ArticleRef]) -> dict[ArticleRef, Article | str]:
    """Each ref → its article in the library, or a Chinese message saying why there is none.

    A name shared by several laws means the one in force (else amended; see ``preferred_law``);
    a law that is repealed or only historical is refused, since a standard answer must rest on
    law in force. Two queries, whatever the number of refs.
    """
    if not refs:
        return {}
    by_name: dict[str, list[Law]] = defaultdict(list)
    names = {normalise_law_name(ref[0]) for ref in refs}
    for candidate in Law.objects.filter(short_name__in=names):
        by_name[candidate.short_name].append(candidate)
    chosen = {name: preferred_law(laws) for name, laws in by_name.items()}
    articles = {
        (article.law_id, article.number, article.suffix): article
        for article in Article.objects.filter(
            law_id__in=[law.pk for law in chosen.values()],
            number__in={ref[1] for ref in refs},
        )
    }
    resolved: dict[ArticleRef, Article | str] = {}
    for ref in refs:
        law = chosen.get(normalise_law_name(ref[0]))
        if law is None:
            resolved[ref] = f"法律法规库中没有《{ref[0]}》，请核对法律名称。"
            continue
        if law.status in (LawStatus.REPEALED, LawStatus.HISTORICAL):
            resolved[ref] = f"《{law.name}》已失效（{law.get_status_display()}），不能作为依据。"
            continue
        article = articles.get((law.pk, ref[1], ref[2]))
        if article is None:
            resolved[ref] = f"{ref_label((law.short_name, ref[1], ref[2]))}不存在。"
            continue
        article.law = law
        resolved[ref] = article
    return resolved


def resolve_article(law: str, article: object) -> Article:
    """One citation ``{law, article}`` → the article; InvalidInput (Chinese) when there is none."""
    ref = article_ref(law, article)
    found = resolve_article_refs([ref])[ref]
    if isinstance(found, str):
        raise InvalidInput(found, field="citations")
    return found
