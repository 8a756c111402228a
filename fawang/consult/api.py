"""Statute library API: public reads of laws and articles, and the citation check; the knowledge
base: published standard answers for everyone, the editing workflow and Excel exchange for staff."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from fawang.consult import knowledge, selectors
from fawang.consult.citations import CitationCheck, check_citations
from fawang.consult.models import Article, KnowledgeEntry, KnowledgeVersion, Law
from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.pagination import Pagination
from fawang.core.selectors import get_region
from fawang.core.web import acting_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


router = Router(tags=["法律法规"])

# A transport limit; check_citations applies the real one (100,000 characters) in Chinese.
TRANSPORT_TEXT = 400_000


class LawBriefOut(Schema):
    id: int
    name: str
    short_name: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    url: str = Field(..., alias="get_absolute_url")


class LawOut(LawBriefOut):
    doc_type: str
    level: str
    issuing_body: str
    department: str
    publish_date: date | None
    effective_date: date | None
    version_date: date | None
    article_count: int | None = None


class ArticleBriefOut(Schema):
    key: str
    number: int
    suffix: int
    number_text: str
    chapter: str
    section: str
    text: str
    url: str = Field(..., alias="get_absolute_url")


class ArticleOut(ArticleBriefOut):
    law: LawBriefOut


class LawDetailOut(LawOut):
    articles: list[ArticleBriefOut]
    other_editions: list[LawBriefOut]

    @staticmethod
    def resolve_articles(obj: Law) -> list[Article]:
        return list(obj.articles.order_by("number", "suffix"))

    @staticmethod
    def resolve_other_editions(obj: Law) -> list[Law]:
        return list(selectors.other_editions(obj))


class CitationCheckIn(Schema):
    text: str = Field(..., max_length=TRANSPORT_TEXT)


class CitationCheckOut(Schema):
    status: str
    status_label: str
    text: str
    start: int
    end: int
    law_name: str
    article_label: str
    paragraph: int | None
    item: int | None
    law: LawBriefOut | None
    article: ArticleBriefOut | None
    replaced_by: ArticleOut | None = Field(
        None, description="法律法规库未收录、已被废止的法律：废止它的现行条文"
    )
    url: str
    message: str
    note: str


@router.get("/laws", response=list[LawOut], auth=None)
@paginate(Pagination)
def list_laws(
    request: HttpRequest,
    department: str | None = Query(None, max_length=40, description="法律部门，如 民法商法"),
    status: str | None = Query(
        None, max_length=20, description="in_force / amended / repealed / historical"
    ),
    q: str | None = Query(None, max_length=200, description="名称中的词语"),
) -> Any:
    return selectors.laws(department=department, status=status, search=q)


@router.get("/laws/{int:law_id}", response=LawDetailOut, auth=None)
def law_detail(request: HttpRequest, law_id: int) -> Law:
    return selectors.get_law(law_id)


@router.get("/laws/{int:law_id}/articles/{number}", response=ArticleOut, auth=None)
def article_detail(request: HttpRequest, law_id: int, number: str) -> Article:
    return selectors.get_article(law_id, number)


@router.get("/articles/search", response=list[ArticleOut], auth=None)
def search_articles(
    request: HttpRequest,
    q: str = Query(..., max_length=200),
    limit: int = Query(selectors.SEARCH_LIMIT, ge=1, le=200),
) -> list[Article]:
    if not q.strip():
        raise InvalidInput("请输入要搜索的词语。", field="q")
    return selectors.search_articles(q, limit)


def _check_out(check: CitationCheck) -> dict[str, Any]:
    ref = check.ref
    return {
        "status": check.status,
        "status_label": check.status_label,
        "text": ref.text,
        "start": ref.start,
        "end": ref.end,
        "law_name": ref.law_name,
        "article_label": ref.article_label,
        "paragraph": ref.paragraph,
        "item": ref.item,
        "law": check.law,
        "article": check.article,
        "url": check.url,
        "message": check.message,
        "note": check.note,
        "replaced_by": check.replaced_by,
    }


@router.post("/citations/check", response=list[CitationCheckOut], auth=None)
def citations_check(request: HttpRequest, payload: CitationCheckIn) -> list[dict[str, Any]]:
    return [_check_out(check) for check in check_citations(payload.text)]


# --- the knowledge base (标准化知识库) -----------------------------------------------------------


class CitedArticleOut(Schema):
    law: str = Field(..., alias="law.short_name")
    law_id: int
    key: str
    number_text: str
    label: str
    url: str = Field(..., alias="get_absolute_url")

    @staticmethod
    def resolve_label(obj: Article) -> str:
        return f"《{obj.law.short_name}》{obj.number_text}"


class KnowledgeVersionOut(Schema):
    number: int
    question: str
    answer: str
    keywords: list[str]
    citations: list[CitedArticleOut]
    author: str | None = None
    created_at: datetime
    reviewed_by: str | None = None
    reviewed_at: datetime | None
    published_at: datetime | None
    source: str

    @staticmethod
    def resolve_citations(obj: KnowledgeVersion) -> list[Article]:
        return obj.ordered_citations()

    @staticmethod
    def resolve_author(obj: KnowledgeVersion) -> str | None:
        return str(obj.author) if obj.author_id else None

    @staticmethod
    def resolve_reviewed_by(obj: KnowledgeVersion) -> str | None:
        return str(obj.reviewed_by) if obj.reviewed_by_id else None


class KnowledgeOut(Schema):
    """A published entry as citizens see it: the version last published."""

    key: str
    topic: str
    topic_label: str = Field(..., alias="get_topic_display")
    region_code: str | None = Field(None, alias="region.code")
    region_name: str | None = Field(None, alias="region.name")
    version: int = Field(..., alias="current_version.number")
    question: str = Field(..., alias="current_version.question")
    answer: str = Field(..., alias="current_version.answer")
    keywords: list[str] = Field(..., alias="current_version.keywords")
    citations: list[CitedArticleOut]
    published_at: datetime | None
    url: str = Field(..., alias="get_absolute_url")

    @staticmethod
    def resolve_citations(obj: KnowledgeEntry) -> list[Article]:
        return obj.current_version.ordered_citations() if obj.current_version else []


class KnowledgeStaffOut(Schema):
    """An entry as staff see it: its workflow state and every version, newest first."""

    key: str
    topic: str
    topic_label: str = Field(..., alias="get_topic_display")
    region_code: str | None = Field(None, alias="region.code")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    current_version: int | None = Field(None, alias="current_version.number")
    public: bool = Field(..., alias="is_public")
    author: str | None = None
    reviewer: str | None = None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    retired_at: datetime | None
    versions: list[KnowledgeVersionOut]

    @staticmethod
    def resolve_author(obj: KnowledgeEntry) -> str | None:
        return str(obj.author) if obj.author_id else None

    @staticmethod
    def resolve_reviewer(obj: KnowledgeEntry) -> str | None:
        return str(obj.reviewer) if obj.reviewer_id else None

    @staticmethod
    def resolve_versions(obj: KnowledgeEntry) -> list[KnowledgeVersion]:
        return selectors.entry_versions(obj)


class CitationIn(Schema):
    law: str = Field(..., max_length=200, description="法律全称或简称，如 民法典")
    article: int | str = Field(..., description="条号：1079、133-1 或 第一千零七十九条")


class KnowledgeContentIn(Schema):
    question: str = Field(..., max_length=TRANSPORT_TEXT)
    answer: str = Field(..., max_length=TRANSPORT_TEXT)
    keywords: list[str] = Field(..., max_length=100)
    citations: list[CitationIn] = Field(..., max_length=100)


class KnowledgeCreateIn(KnowledgeContentIn):
    key: str = Field(..., max_length=200, description="编号，如 labour-001")
    topic: str = Field(..., max_length=40)
    region_code: str = Field("", max_length=20, description="空为全国适用")


class KnowledgeReviseIn(KnowledgeContentIn):
    topic: str | None = Field(None, max_length=40)
    region_code: str | None = Field(None, max_length=20, description="不填则不变；空字符串为全国")


class KnowledgeRetireIn(Schema):
    reason: str = Field("", max_length=TRANSPORT_TEXT)


class KnowledgeImportOut(Schema):
    rows: int
    created: list[str]
    revised: list[str]
    unchanged: list[str]


def _staff_entry(request: HttpRequest, key: str) -> KnowledgeEntry:
    return selectors.get_entry_for_user(acting_user(request), key)


def _citations(payload: KnowledgeContentIn) -> list[dict[str, Any]]:
    return [{"law": c.law, "article": c.article} for c in payload.citations]


@router.get("/knowledge", response=list[KnowledgeOut], auth=None, tags=["知识库"])
@paginate(Pagination)
def list_knowledge(
    request: HttpRequest,
    topic: str | None = Query(None, max_length=40, description="咨询分类，如 labour"),
    region_code: str | None = Query(None, max_length=20, description="该地区及全国适用的条目"),
    q: str | None = Query(None, max_length=200, description="问题或答复中的词语"),
) -> Any:
    region = get_region(region_code) if region_code else None
    return selectors.published_entries(topic=topic, region=region, search=q)


@router.get("/knowledge/export.xlsx", tags=["知识库"])
def export_knowledge(request: HttpRequest, status: str | None = Query(None, max_length=20)) -> Any:
    user = acting_user(request)
    if user.role not in selectors.KNOWLEDGE_STAFF_ROLES:
        raise PermissionDenied("您的角色无权导出知识库。")
    content = knowledge.export_entries_xlsx(
        selectors.entries_for_user(user, status=status), published_only=False
    )
    return xlsx_response(content, "knowledge.xlsx")


@router.post("/knowledge/import", response=KnowledgeImportOut, tags=["知识库"])
def import_knowledge(request: HttpRequest, file: File[UploadedFile]) -> Any:
    if not (file.name or "").lower().endswith(".xlsx"):
        raise InvalidInput("请上传 .xlsx 格式的 Excel 文件。", field="file")
    report = knowledge.import_entries_xlsx(file.read(), acting_user=acting_user(request))
    return {
        "rows": report.rows,
        "created": list(report.created),
        "revised": list(report.revised),
        "unchanged": list(report.unchanged),
    }


@router.get("/knowledge/{key}", response=KnowledgeOut, auth=None, tags=["知识库"])
def knowledge_detail(request: HttpRequest, key: str) -> KnowledgeEntry:
    return selectors.get_published_entry(key)


@router.post(
    "/knowledge", response={201: KnowledgeStaffOut}, tags=["知识库"], summary="新建条目（草稿）"
)
def create_knowledge(request: HttpRequest, payload: KnowledgeCreateIn) -> Any:
    entry = knowledge.create_entry(
        key=payload.key,
        topic=payload.topic,
        region=payload.region_code,
        question=payload.question,
        answer=payload.answer,
        keywords=payload.keywords,
        citations=_citations(payload),
        acting_user=acting_user(request),
    )
    return HttpStatus(201, _staff_entry(request, entry.key))


@router.post("/knowledge/{key}/revise", response=KnowledgeStaffOut, tags=["知识库"])
def revise_knowledge(request: HttpRequest, key: str, payload: KnowledgeReviseIn) -> Any:
    extra: dict[str, Any] = {}
    if payload.region_code is not None:
        extra["region"] = payload.region_code
    knowledge.revise_entry(
        _staff_entry(request, key),
        topic=payload.topic,
        question=payload.question,
        answer=payload.answer,
        keywords=payload.keywords,
        citations=_citations(payload),
        acting_user=acting_user(request),
        **extra,
    )
    return _staff_entry(request, key)


@router.post("/knowledge/{key}/review", response=KnowledgeStaffOut, tags=["知识库"])
def review_knowledge(request: HttpRequest, key: str) -> Any:
    knowledge.review_entry(_staff_entry(request, key), acting_user=acting_user(request))
    return _staff_entry(request, key)


@router.post("/knowledge/{key}/publish", response=KnowledgeStaffOut, tags=["知识库"])
def publish_knowledge(request: HttpRequest, key: str) -> Any:
    knowledge.publish_entry(_staff_entry(request, key), acting_user=acting_user(request))
    return _staff_entry(request, key)


@router.post("/knowledge/{key}/retire", response=KnowledgeStaffOut, tags=["知识库"])
def retire_knowledge(
    request: HttpRequest, key: str, payload: KnowledgeRetireIn | None = None
) -> Any:
    reason = payload.reason if payload is not None else ""
    knowledge.retire_entry(
        _staff_entry(request, key), acting_user=acting_user(request), reason=reason
    )
    return _staff_entry(request, key)
