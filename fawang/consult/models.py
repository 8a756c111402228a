"""The statute library (法律法规库): laws and their articles, imported from a recorded edition.

An article is keyed by (law, number, suffix): ``number`` is the article number as an integer and
``suffix`` the number after 之 for articles inserted by an amendment (第一百三十三条之一 is number
133, suffix 1), 0 for an ordinary article. Documents published as one block of text (some
decisions and interpretations) have a single article with number 0, "全文".

The knowledge base (标准化知识库) of standard answers citing those articles follows: entries,
their numbered versions and the cited articles of each version, in order.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from fawang.core.taxonomy import Topic

NATIONAL_PREFIX = "中华人民共和国"


class LawStatus(models.TextChoices):
    IN_FORCE = "in_force", "现行有效"
    AMENDED = "amended", "已被修改"
    REPEALED = "repealed", "已废止"
    HISTORICAL = "historical", "历史版本"


# When several laws share a name, a citation means the first of these that exists.
STATUS_PREFERENCE: tuple[str, ...] = (
    LawStatus.IN_FORCE,
    LawStatus.AMENDED,
    LawStatus.HISTORICAL,
    LawStatus.REPEALED,
)


_NAME_FORMS = str.maketrans({"(": "（", ")": "）", "〈": "《", "〉": "》"})

# The branches of the law (法律部门) in the order the NPC lists them, and kinds of document in the
# order a reader looks for them; anything else sorts after.
DEPARTMENT_ORDER: tuple[str, ...] = (
    "宪法",
    "宪法相关法",
    "民法商法",
    "行政法",
    "经济法",
    "社会法",
    "刑法",
    "诉讼与非诉讼程序法",
)
DOC_TYPE_ORDER: tuple[str, ...] = ("宪法", "法律", "修正案", "修改决定", "立法解释")


def normalise_law_name(name: str) -> str:
    """The name citations are matched on: without the leading 中华人民共和国 (民法典 for the Civil
    Code), without spaces, with full-width brackets (刑法修正案(十一) = 刑法修正案（十一）)."""
    name = "".join(name.split()).translate(_NAME_FORMS)
    if name.startswith(NATIONAL_PREFIX) and len(name) > len(NATIONAL_PREFIX):
        return name[len(NATIONAL_PREFIX) :]
    return name


class StatuteEdition(models.Model):
    """One imported release of the statute data: where it came from and exactly which file."""

    source_package = models.CharField("来源", max_length=100)
    source_version = models.CharField("版本", max_length=40, blank=True)
    source_path = models.CharField("文件", max_length=500, blank=True)
    sha256 = models.CharField("文件SHA-256", max_length=64, unique=True)
    imported_at = models.DateTimeField("导入时间")
    law_count = models.PositiveIntegerField("法律数")
    article_count = models.PositiveIntegerField("条文数")

    class Meta:
        verbose_name = "法律法规数据版本"
        verbose_name_plural = verbose_name
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.source_package} {self.source_version} ({self.sha256[:12]})"


class Law(models.Model):
    source_id = models.CharField("来源编号", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    short_name = models.CharField("简称", max_length=200, db_index=True)
    doc_type = models.CharField("文件类型", max_length=40, blank=True)
    level = models.CharField("效力位阶", max_length=40, blank=True)
    issuing_body = models.CharField("制定机关", max_length=100, blank=True)
    publish_date = models.DateField("公布日期", null=True, blank=True)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    version_date = models.DateField("版本日期", null=True, blank=True)
    status = models.CharField("时效性", max_length=20, choices=LawStatus.choices)
    department = models.CharField("法律部门", max_length=40, blank=True, db_index=True)
    edition = models.ForeignKey(
        StatuteEdition,
        verbose_name="最近变更所在版本",
        on_delete=models.PROTECT,
        related_name="laws",
    )

    class Meta:
        verbose_name = "法律"
        verbose_name_plural = "法律"
        ordering = ["department", "name", "-version_date"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("consult:law", args=[self.pk])


def article_key(number: int, suffix: int = 0) -> str:
    """The article's part of its stable URL: ``1079``, or ``133-1`` for 第一百三十三条之一."""
    return f"{number}-{suffix}" if suffix else str(number)


def is_deleted_text(text: str) -> bool:
    """An article an amendment struck out keeps its number with only "（删去）" as its text
    (刑法第一百九十九条, deleted by 刑法修正案（九）): no longer law, not to be cited."""
    return text.strip().strip("（）()") == "删去"


class Article(models.Model):
    law = models.ForeignKey(
        Law, verbose_name="法律", on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveIntegerField("条号")
    suffix = models.PositiveSmallIntegerField("之几", default=0)
    number_text = models.CharField("条号原文", max_length=40)
    chapter = models.CharField("章", max_length=200, blank=True)
    section = models.CharField("节", max_length=200, blank=True)
    text = models.TextField("条文")

    class Meta:
        verbose_name = "法条"
        verbose_name_plural = "法条"
        ordering = ["law", "number", "suffix"]
        constraints = [
            models.UniqueConstraint(
                fields=["law", "number", "suffix"], name="consult_article_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.law.short_name}{self.number_text}"

    def get_absolute_url(self) -> str:
        return reverse("consult:article", args=[self.law_id, self.key])

    @property
    def key(self) -> str:
        return article_key(self.number, self.suffix)

    @property
    def is_deleted(self) -> bool:
        return is_deleted_text(self.text)


# --- the standard-answer knowledge base (标准化知识库) ----------------------------------------


class KnowledgeStatus(models.TextChoices):
    """Where the entry's newest version stands. Citizens see an entry's ``current_version`` (the
    version last published) while a revision of it waits in draft, until the entry is retired."""

    DRAFT = "draft", pgettext_lazy("knowledge status", "草稿")
    REVIEWED = "reviewed", pgettext_lazy("knowledge status", "已审核")
    PUBLISHED = "published", pgettext_lazy("knowledge status", "已发布")
    RETIRED = "retired", pgettext_lazy("knowledge status", "已停用")


# verb → (statuses it may start from, status it leads to). Enforced in consult.knowledge.
KNOWLEDGE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "revise": (
        frozenset(
            {
                KnowledgeStatus.DRAFT,
                KnowledgeStatus.REVIEWED,
                KnowledgeStatus.PUBLISHED,
                KnowledgeStatus.RETIRED,
            }
        ),
        KnowledgeStatus.DRAFT,
    ),
    "review": (frozenset({KnowledgeStatus.DRAFT}), KnowledgeStatus.REVIEWED),
    "publish": (frozenset({KnowledgeStatus.REVIEWED}), KnowledgeStatus.PUBLISHED),
    "retire": (
        frozenset({KnowledgeStatus.DRAFT, KnowledgeStatus.REVIEWED, KnowledgeStatus.PUBLISHED}),
        KnowledgeStatus.RETIRED,
    ),
}
KNOWLEDGE_VERB_LABELS = {
    "revise": pgettext_lazy("transition", "修改"),
    "review": pgettext_lazy("transition", "审核"),
    "publish": pgettext_lazy("transition", "发布"),
    "retire": pgettext_lazy("transition", "停用"),
}

# Content limits of one version (the services check them with a Chinese message).
QUESTION_LENGTH = (5, 200)
ANSWER_LENGTH = (20, 5000)
KEYWORD_COUNT = (1, 8)
KEYWORD_MAX_LENGTH = 20
MAX_CITATIONS = 20


class KnowledgeSource(models.TextChoices):
    EDITOR = "editor", "人工编辑"
    SEED = "seed", "标准数据文件"
    SPREADSHEET = "spreadsheet", "Excel 导入"


class KnowledgeEntry(models.Model):
    """One standard question and its answer, kept as numbered versions."""

    key = models.SlugField("编号", max_length=50, unique=True)
    topic = models.CharField("咨询分类", max_length=40, choices=Topic.choices, db_index=True)
    region = models.ForeignKey(
        "core.Region",
        verbose_name="适用地区",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="空为全国适用",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=KnowledgeStatus.choices,
        default=KnowledgeStatus.DRAFT,
        db_index=True,
    )
    current_version = models.ForeignKey(
        "KnowledgeVersion",
        verbose_name="对外显示的版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Null author / reviewer: the system (entries loaded from the seed files).
    author = models.ForeignKey(
        "core.User",
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        "core.User",
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "知识库条目"
        ordering = ["topic", "key"]

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return reverse("consult:knowledge_entry", args=[self.key])

    @property
    def is_public(self) -> bool:
        return self.current_version_id is not None and self.retired_at is None


class KnowledgeVersion(models.Model):
    entry = models.ForeignKey(
        KnowledgeEntry, verbose_name="条目", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    question = models.CharField("问题", max_length=QUESTION_LENGTH[1])
    answer = models.TextField("标准答复")
    keywords = models.JSONField("关键词", default=list)
    citations: models.ManyToManyField[Article, KnowledgeCitation] = models.ManyToManyField(
        Article,
        verbose_name="法律依据",
        through="KnowledgeCitation",
        related_name="knowledge_versions",
    )
    author = models.ForeignKey(
        "core.User",
        verbose_name="撰写人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    reviewed_by = models.ForeignKey(
        "core.User",
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    source = models.CharField(
        "来源", max_length=20, choices=KnowledgeSource.choices, default=KnowledgeSource.EDITOR
    )

    class Meta:
        verbose_name = verbose_name_plural = "知识库条目版本"
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "number"], name="consult_knowledge_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"

    def ordered_citations(self) -> list[Article]:
        """The cited articles in the order the author gave them (prefetch ``cited_articles``)."""
        return [link.article for link in self.cited_articles.all()]


class KnowledgeCitation(models.Model):
    version = models.ForeignKey(
        KnowledgeVersion, on_delete=models.CASCADE, related_name="cited_articles"
    )
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = verbose_name_plural = "知识库法律依据"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "article"], name="consult_knowledge_citation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} → {self.article_id}"
