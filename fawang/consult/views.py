"""Public statute pages: browse, read, search, and check the citations in a text; the knowledge
base's public pages (published standard answers) and its staff pages under /knowledge/manage/.
Thin: parse, call a selector, a service or the citation check, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from fawang.consult import assist, drafting, knowledge, selectors
from fawang.consult.api import XLSX
from fawang.consult.citations import CitationCheck, check_citations
from fawang.consult.forms import CitationCheckForm
from fawang.consult.models import (
    KNOWLEDGE_TRANSITIONS,
    KnowledgeEntry,
    KnowledgeStatus,
    Law,
    LawStatus,
)
from fawang.core.errors import DomainError, InvalidInput
from fawang.core.models import Role, User
from fawang.core.taxonomy import Topic
from fawang.core.web import (
    acting_user,
    set_choices,
    staff_view,
    submit,
    supervised_regions,
)

MAX_QUERY = 100


def law_list(request: HttpRequest) -> HttpResponse:
    department = request.GET.get("department", "")[:40]
    status = request.GET.get("status", "")
    status = status if status in LawStatus.values else ""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    laws = list(selectors.laws(department=department, status=status, search=query))
    groups: list[tuple[str, list[Law]]] = []
    for law in laws:
        if not groups or groups[-1][0] != law.department:
            groups.append((law.department, []))
        groups[-1][1].append(law)
    return render(
        request,
        "consult/law_list.html",
        {
            "groups": groups,
            "count": len(laws),
            "departments": selectors.departments(),
            "statuses": LawStatus.choices,
            "department": department,
            "status": status,
            "query": query,
            "filtered": bool(department or status or query),
        },
    )


def law_detail(request: HttpRequest, law_id: int) -> HttpResponse:
    law = selectors.get_law(law_id)
    return render(
        request,
        "consult/law_detail.html",
        {
            "law": law,
            "outline": selectors.law_outline(law),
            "other_editions": list(selectors.other_editions(law)),
        },
    )


def article_detail(request: HttpRequest, law_id: int, key: str) -> HttpResponse:
    article = selectors.get_article(law_id, key)
    previous, following = selectors.article_neighbours(article)
    return render(
        request,
        "consult/article_detail.html",
        {
            "article": article,
            "law": article.law,
            "previous": previous,
            "following": following,
            "other_editions": list(selectors.other_editions(article.law)),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    articles = selectors.search_articles(query) if query else []
    laws = list(selectors.laws(search=query)[:20]) if query else []
    return render(
        request,
        "consult/search.html",
        {"query": query, "articles": articles, "laws": laws, "limit": selectors.SEARCH_LIMIT},
    )


@dataclass(frozen=True)
class Segment:
    """A run of the pasted text, and the citation check when the run is a citation."""

    text: str
    check: CitationCheck | None = None
    number: int = 0


def _segments(text: str, checks: list[CitationCheck]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for number, check in enumerate(checks, start=1):
        if check.ref.start > position:
            segments.append(Segment(text[position : check.ref.start]))
        segments.append(Segment(text[check.ref.start : check.ref.end], check, number))
        position = check.ref.end
    segments.append(Segment(text[position:]))
    return segments


def citation_check(request: HttpRequest) -> HttpResponse:
    form = CitationCheckForm(request.POST or None)
    checks: list[CitationCheck] | None = None
    segments: list[Segment] = []
    if request.method == "POST":
        done = submit(form, lambda data: check_citations(data["text"]))
        if done.ok:
            checks = done.value
            segments = _segments(form.cleaned_data["text"], done.value)
    summary = {
        "total": len(checks or []),
        "problems": sum(1 for check in checks or [] if not check.is_ok),
    }
    return render(
        request,
        "consult/citation_check.html",
        {"form": form, "checks": checks, "segments": segments, "summary": summary},
    )


# --- the knowledge base: public pages --------------------------------------------------------


def knowledge_list(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic", "")
    topic = topic if topic in Topic.values else ""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    entries = list(selectors.published_entries(topic=topic or None, search=query or None))
    groups: list[tuple[str, list[KnowledgeEntry]]] = []
    for entry in entries:
        label = entry.get_topic_display()
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(entry)
    return render(
        request,
        "consult/knowledge_list.html",
        {
            "groups": groups,
            "count": len(entries),
            "topics": Topic.choices,
            "topic": topic,
            "query": query,
            "filtered": bool(topic or query),
        },
    )


def knowledge_detail(request: HttpRequest, key: str) -> HttpResponse:
    entry = selectors.get_published_entry(key)
    version = entry.current_version
    articles = version.ordered_citations() if version is not None else []
    return render(
        request,
        "consult/knowledge_detail.html",
        {"entry": entry, "version": version, "articles": articles},
    )


# --- the knowledge base: staff pages ----------------------------------------------------------

KNOWLEDGE_STAFF = tuple(selectors.KNOWLEDGE_STAFF_ROLES)
KNOWLEDGE_EDITORS = tuple(selectors.KNOWLEDGE_EDITOR_ROLES)
KNOWLEDGE_ACTIONS: dict[str, tuple[str, Callable[..., KnowledgeEntry]]] = {
    "review": (gettext_noop("已审核通过。"), knowledge.review_entry),
    "publish": (gettext_noop("已发布，群众现在看到的是这一版本。"), knowledge.publish_entry),
    "retire": (gettext_noop("已停用，群众不再看到该条目。"), knowledge.retire_entry),
}


class KnowledgeForm(forms.Form):
    """An entry's text. The services check lengths and citations, with the messages the API
    gives; the form only carries the fields."""

    key = forms.CharField(
        label=gettext_lazy("编号"),
        max_length=50,
        help_text=gettext_lazy("小写字母、数字和连字符，如 labour-001；保存后不能更改。"),
    )
    topic = forms.ChoiceField(label=gettext_lazy("咨询分类"), choices=Topic.choices)
    region_code = forms.CharField(
        label=gettext_lazy("适用地区"),
        max_length=12,
        required=False,
        help_text=gettext_lazy("12位行政区划代码；不填为全国适用。"),
    )
    question = forms.CharField(label=gettext_lazy("问题"), max_length=400)
    answer = forms.CharField(
        label=gettext_lazy("标准答复"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )
    keywords = forms.CharField(
        label=gettext_lazy("关键词"),
        max_length=400,
        help_text=gettext_lazy("1至8个，以“、”分隔。"),
    )
    citations = forms.CharField(
        label=gettext_lazy("法律依据"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy("每行一条，如：《民法典》第一千零七十九条"),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["key"]


class KnowledgeImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件（.xlsx）"),
        error_messages={"required": gettext_lazy("请选择要导入的 Excel 文件。")},
    )


def _form_initial(entry: KnowledgeEntry) -> dict[str, Any]:
    version = selectors.latest_version(entry)
    if version is None:
        return {"topic": entry.topic}
    return {
        "topic": entry.topic,
        "region_code": entry.region.code if entry.region else "",
        "question": version.question,
        "answer": version.answer,
        "keywords": "、".join(version.keywords),
        "citations": "\n".join(
            f"《{a.law.short_name}》{a.number_text}" for a in version.ordered_citations()
        ),
    }


def _list_context(request: HttpRequest, import_form: KnowledgeImportForm) -> dict[str, Any]:
    user = acting_user(request)
    status = request.GET.get("status", "")
    status = status if status in KnowledgeStatus.values else ""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    entries = selectors.entries_for_user(user, status=status or None)
    for word in query.split()[:10]:
        entries = entries.filter(Q(key__icontains=word) | Q(versions__question__icontains=word))
    return {
        "entries": list(entries[:500]),
        "statuses": KnowledgeStatus.choices,
        "status": status,
        "query": query,
        "may_edit": user.role in selectors.KNOWLEDGE_EDITOR_ROLES,
        "import_form": import_form,
    }


@staff_view(*KNOWLEDGE_STAFF)
def knowledge_manage(request: HttpRequest) -> HttpResponse:
    return render(
        request, "consult/knowledge_manage.html", _list_context(request, KnowledgeImportForm())
    )


@staff_view(*KNOWLEDGE_STAFF)
def knowledge_export(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in KnowledgeStatus.values else ""
    entries = selectors.entries_for_user(acting_user(request), status=status or None)
    content = knowledge.export_entries_xlsx(entries, published_only=False)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="knowledge-{stamp}.xlsx"'
    return response


@staff_view(*KNOWLEDGE_EDITORS)
@require_POST
def knowledge_import(request: HttpRequest) -> HttpResponse:
    form = KnowledgeImportForm(request.POST, request.FILES)

    def run(data: dict[str, Any]) -> knowledge.SheetReport:
        upload = data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise InvalidInput(_("请上传 .xlsx 格式的 Excel 文件。"), field="file")
        return knowledge.import_entries_xlsx(upload.read(), acting_user=acting_user(request))

    done = submit(form, run)
    if done.ok:
        report = done.value
        messages.success(
            request,
            _("导入完成：新建 %(created)s 条，修改 %(revised)s 条，未变 %(unchanged)s 条。")
            % {
                "created": len(report.created),
                "revised": len(report.revised),
                "unchanged": len(report.unchanged),
            },
        )
        return redirect("consult:knowledge_manage")
    return render(
        request, "consult/knowledge_manage.html", _list_context(request, form), status=400
    )


# Where the knowledge services name a field the form calls differently.
KNOWLEDGE_FIELD_ALIASES = {"region": "region_code"}


def _save_entry(
    request: HttpRequest, data: dict[str, Any], entry: KnowledgeEntry | None
) -> KnowledgeEntry:
    content = {
        "question": data["question"],
        "answer": data["answer"],
        "keywords": data["keywords"],
        "citations": data["citations"],
    }
    if entry is None:
        return knowledge.create_entry(
            key=data["key"],
            topic=data["topic"],
            region=data["region_code"],
            acting_user=acting_user(request),
            **content,
        )
    return knowledge.revise_entry(
        entry,
        topic=data["topic"],
        region=data["region_code"],
        acting_user=acting_user(request),
        **content,
    )


@staff_view(*KNOWLEDGE_EDITORS)
def knowledge_new(request: HttpRequest) -> HttpResponse:
    form = KnowledgeForm(request.POST or None)
    if request.method == "POST":
        done = submit(form, lambda data: _save_entry(request, data, None), KNOWLEDGE_FIELD_ALIASES)
        if done.ok:
            messages.success(request, _("已保存为草稿，请提交审核。"))
            return redirect("consult:knowledge_manage_entry", key=done.value.key)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "consult/knowledge_form.html", {"form": form, "entry": None}, status=status
    )


@staff_view(*KNOWLEDGE_EDITORS)
def knowledge_edit(request: HttpRequest, key: str) -> HttpResponse:
    entry = selectors.get_entry_for_user(acting_user(request), key)
    form = KnowledgeForm(request.POST or None, initial=_form_initial(entry), editing=True)
    if request.method == "POST":
        done = submit(form, lambda data: _save_entry(request, data, entry), KNOWLEDGE_FIELD_ALIASES)
        if done.ok:
            messages.success(request, _("已保存为新的草稿版本，请提交审核。"))
            return redirect("consult:knowledge_manage_entry", key=entry.key)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "consult/knowledge_form.html", {"form": form, "entry": entry}, status=status
    )


def knowledge_actions(user: User, entry: KnowledgeEntry) -> list[str]:
    """The workflow buttons this user may press on this entry now."""
    if not selectors.may_change_entry(user, entry):
        return []
    actions = [
        verb
        for verb in ("review", "publish", "retire")
        if user.role in selectors.KNOWLEDGE_REVIEWER_ROLES
        and entry.status in KNOWLEDGE_TRANSITIONS[verb][0]
    ]
    if user.role in selectors.KNOWLEDGE_EDITOR_ROLES:
        actions.append("edit")
    return actions


@staff_view(*KNOWLEDGE_STAFF)
def knowledge_manage_entry(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    entry = selectors.get_entry_for_user(user, key)
    error = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        status = 400
        if action not in KNOWLEDGE_ACTIONS:
            error = _("未知的操作。")
        else:
            done, verb = KNOWLEDGE_ACTIONS[action]
            try:
                verb(entry, acting_user=user)
            except DomainError as failure:
                error = failure.message
            else:
                messages.success(request, _(done))
                return redirect("consult:knowledge_manage_entry", key=entry.key)
    versions = selectors.entry_versions(entry)
    return render(
        request,
        "consult/knowledge_manage_entry.html",
        {
            "entry": entry,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "actions": knowledge_actions(user, entry),
            "action_error": error,
        },
        status=status,
    )


# --- answers while typing (seats) and self-service (citizens) --------------------------------

ASSIST_ROLES = (
    Role.HOTLINE_SEAT,
    Role.WINDOW_CLERK,
    Role.LAWYER,
    Role.LEGAL_AID_OFFICER,
    Role.MEDIATOR,
    Role.COMMUNITY_ADVISER,
    Role.SUPERVISOR_TOWNSHIP,
    Role.SUPERVISOR_DISTRICT,
    Role.SUPERVISOR_CITY,
)


def _typed_question(request: HttpRequest) -> str:
    return (request.POST.get("description") or request.POST.get("q") or "").strip()


@require_POST
@staff_view(*ASSIST_ROLES)
def suggest(request: HttpRequest) -> HttpResponse:
    """The seat screen's panel, refreshed by htmx as the question is typed."""
    user = acting_user(request)
    found = assist.suggest(_typed_question(request), region=selectors.knowledge_home_region(user))
    return render(
        request,
        "consult/_suggestions.html",
        {"suggestions": found, "drafting": drafting.enabled()},
    )


@require_POST
@staff_view(*ASSIST_ROLES)
def citation_fragment(request: HttpRequest) -> HttpResponse:
    """The reply screen's check of the citations in the reply being written (htmx). The text
    comes as ``text``, or as the work-order page's reply field (``reply-reply``)."""
    text = (request.POST.get("text") or request.POST.get("reply-reply") or "").strip()
    if len(text) > assist.MAX_QUESTION_CHARS * 5:
        error = _("答复太长了，无法核对。")
        return render(request, "consult/_citation_fragment.html", {"error": error}, status=400)
    checks = check_citations(text) if text else []
    problems = sum(1 for check in checks if not check.is_ok)
    return render(
        request,
        "consult/_citation_fragment.html",
        {"checks": checks, "problems": problems, "empty": not text},
    )


@require_POST
@staff_view(*ASSIST_ROLES)
def draft(request: HttpRequest) -> HttpResponse:
    """An LLM draft of the reply, shown only when every citation in it checks out."""
    user = acting_user(request)
    found = assist.suggest(_typed_question(request), region=selectors.knowledge_home_region(user))
    if len(found.question) < assist.MIN_QUESTION_CHARS:
        return render(request, "consult/_draft.html", {"error": _("请先输入问题。")}, status=400)
    try:
        reply = drafting.draft_reply(found, acting_user=user)
    except DomainError as error:
        return render(request, "consult/_draft.html", {"error": error.message}, status=error.status)
    return render(request, "consult/_draft.html", {"draft": reply})


def ask(request: HttpRequest) -> HttpResponse:
    """Self-service: published standard answers and articles for a citizen's own words, and a
    way on to a work order when that is not enough."""
    question = request.GET.get("q", "").strip()
    error = ""
    found = None
    if len(question) > assist.MAX_QUESTION_CHARS:
        error = _("问题太长了，请控制在2000字以内。")
    elif question and len(question) < assist.MIN_QUESTION_CHARS:
        error = _("请再多说几个字，比如发生了什么事、您想知道什么。")
    elif question:
        user: Any = request.user
        region = user.region if user.is_authenticated and user.is_citizen else None
        found = assist.suggest(question, region=region, entries=3, articles=5)
    return render(
        request,
        "consult/ask.html",
        {"question": question, "suggestions": found, "error": error},
        status=400 if error else 200,
    )


# --- hot words (热词分析) ------------------------------------------------------------------------

HOT_WORD_ROLES = (Role.SUPERVISOR_TOWNSHIP, Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY)


class HotWordForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("年份"), coerce=int, choices=())
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("季度"),
        coerce=int,
        choices=[(q, gettext_lazy("第%(q)s季度") % {"q": q}) for q in (1, 2, 3, 4)],
    )
    region = forms.ChoiceField(label=gettext_lazy("区域"), choices=())
    topic = forms.ChoiceField(label=gettext_lazy("分类"), required=False, choices=())

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        set_choices(self, "year", [(y, str(y)) for y in range(this_year, this_year - 5, -1)])
        set_choices(self, "region", regions)
        topics = [(v, _(str(label))) for v, label in Topic.choices]
        set_choices(self, "topic", [("", _("全部分类")), *topics])


@staff_view(*HOT_WORD_ROLES)
def hot_word_report(request: HttpRequest) -> HttpResponse:
    """The quarterly barometer of what citizens ask about: page, Excel or PDF."""
    from fawang.consult import hotword_report
    from fawang.consult.hotwords import hot_words
    from fawang.core.selectors import get_region

    user = acting_user(request)
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
        "region": user.region.code if user.region else "",
        "topic": "",
    }
    form = HotWordForm(request.GET or None, initial=defaults, regions=supervised_regions(user))
    if form.is_bound and not form.is_valid():
        return render(request, "consult/hot_words.html", {"form": form}, status=400)
    values = form.cleaned_data if form.is_bound else defaults
    start, end = hotword_report.quarter_bounds(int(values["year"]), int(values["quarter"]))
    region = get_region(values["region"])
    report = hot_words(user, region, start, end, topic=values["topic"] or None, top=30)
    period = _("%(year)s年第%(quarter)s季度") % values
    filename = f"hot-words-{region.code}-{values['year']}Q{values['quarter']}"
    output = request.GET.get("format", "")
    if output == "xlsx":
        response = HttpResponse(hotword_report.report_xlsx(report, period), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if output == "pdf":
        response = HttpResponse(
            hotword_report.report_pdf(report, period), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    chart_data = {
        "terms": {
            "labels": [t.term for t in report.top_terms[:15]],
            "values": [t.count for t in report.top_terms[:15]],
        },
        "mix": [{"name": label, "value": n} for label, n, _share, _change in report.topic_mix],
    }
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "consult/hot_words.html",
        {
            "form": form,
            "report": report,
            "period": period,
            "title": hotword_report.title_of(report, period),
            "chart_data": chart_data,
            "query": query.urlencode() or "",
        },
    )
