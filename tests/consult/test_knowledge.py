"""The standard-answer knowledge base: workflow, seed files, Excel, API and pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from django.test import Client

from fawang.audit.models import AuditEvent
from fawang.consult import knowledge
from fawang.consult.citations import resolve_article
from fawang.consult.models import KnowledgeEntry, KnowledgeStatus, KnowledgeVersion
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Role, User
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_citizen, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("statutes")]

Login = Callable[[User], Client]

WAGES_ANSWER = (
    "用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同，"
    "并可以要求用人单位支付经济补偿。建议保留工资条、考勤记录等证据，向劳动争议仲裁委员会申请仲裁。"
)
DIVORCE_ANSWER = (
    "夫妻一方要求离婚的，可以由有关组织进行调解或者直接向人民法院提起离婚诉讼。"
    "人民法院审理离婚案件，应当进行调解；如果感情确已破裂，调解无效的，应当准予离婚。"
)


def content(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "question": "单位拖欠工资，我可以辞职并要求补偿吗？",
        "answer": WAGES_ANSWER,
        "keywords": ["拖欠工资", "解除劳动合同", "经济补偿"],
        "citations": [
            {"law": "劳动合同法", "article": 38},
            {"law": "中华人民共和国劳动合同法", "article": "第四十六条"},
        ],
    }
    values.update(overrides)
    return values


def seed_row(key: str, **overrides: Any) -> dict[str, Any]:
    row = {"key": key, "topic": "labour", "region": "", **content()}
    row.update(overrides)
    return row


def write_seed(directory: Path, rows: list[dict[str, Any]], name: str = "sample.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    return directory


@pytest.fixture
def clerk() -> User:
    return make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG)


@pytest.fixture
def supervisor() -> User:
    return make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)


def published(clerk: User, supervisor: User, key: str = "labour-001") -> KnowledgeEntry:
    entry = knowledge.create_entry(key=key, topic="labour", acting_user=clerk, **content())
    knowledge.review_entry(entry, acting_user=supervisor)
    return knowledge.publish_entry(entry, acting_user=supervisor)


def post_json(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


# --- citations ---------------------------------------------------------------------------


def test_citation_resolves_full_or_short_name_to_the_law_in_force() -> None:
    article = resolve_article("中华人民共和国民法典", 1079)
    assert article.law.short_name == "民法典" and article.law.status == "in_force"
    assert resolve_article("《劳动合同法》", "第三十八条").number == 38
    with pytest.raises(InvalidInput, match="《劳动合同法》第二百条不存在。"):
        resolve_article("劳动合同法", 200)
    with pytest.raises(InvalidInput, match="法律法规库中没有《劳动保护法》"):
        resolve_article("劳动保护法", 1)


# --- workflow ----------------------------------------------------------------------------


def test_entry_goes_from_draft_through_review_and_publication_to_retirement(
    clerk: User, supervisor: User
) -> None:
    entry = knowledge.create_entry(key="labour-001", topic="labour", acting_user=clerk, **content())
    assert entry.status == KnowledgeStatus.DRAFT and not entry.is_public
    entry = knowledge.review_entry(entry, acting_user=supervisor)
    assert entry.status == KnowledgeStatus.REVIEWED and entry.reviewer == supervisor
    entry = knowledge.publish_entry(entry, acting_user=supervisor)
    assert entry.status == KnowledgeStatus.PUBLISHED and entry.current_version.number == 1
    v1 = entry.current_version
    assert [a.number for a in v1.ordered_citations()] == [38, 46]

    entry = knowledge.revise_entry(
        entry, acting_user=clerk, **content(answer=WAGES_ANSWER + "仲裁时效为一年。")
    )
    assert entry.status == KnowledgeStatus.DRAFT and entry.current_version_id == v1.pk
    assert entry.is_public  # citizens keep seeing version 1 while version 2 waits
    knowledge.review_entry(entry, acting_user=supervisor)
    entry = knowledge.publish_entry(entry, acting_user=supervisor)
    assert entry.current_version.number == 2 and entry.current_version.answer.endswith("一年。")
    assert list(entry.versions.order_by("number").values_list("number", flat=True)) == [1, 2]

    entry = knowledge.retire_entry(entry, acting_user=supervisor, reason="政策调整")
    assert entry.status == KnowledgeStatus.RETIRED and not entry.is_public
    actions = list(
        AuditEvent.objects.filter(object_type="consult.knowledgeentry", object_id=str(entry.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "knowledge.create",
        "knowledge.review",
        "knowledge.publish",
        "knowledge.revise",
        "knowledge.review",
        "knowledge.publish",
        "knowledge.retire",
    ]


def test_the_author_cannot_review_their_own_entry(clerk: User, supervisor: User) -> None:
    entry = knowledge.create_entry(key="labour-002", topic="labour", acting_user=clerk, **content())
    clerk.role = Role.SUPERVISOR_DISTRICT  # promoted since writing it
    clerk.save(update_fields=["role"])
    with pytest.raises(PermissionDenied, match="审核人不能是作者。"):
        knowledge.review_entry(entry, acting_user=clerk)
    entry.refresh_from_db()
    assert entry.status == KnowledgeStatus.DRAFT and entry.reviewer is None


def test_only_reviewed_entries_are_published(clerk: User, supervisor: User) -> None:
    entry = knowledge.create_entry(key="labour-003", topic="labour", acting_user=clerk, **content())
    with pytest.raises(Conflict, match="条目当前状态为“草稿”，不能发布。"):
        knowledge.publish_entry(entry, acting_user=supervisor)


def test_editors_draft_and_supervisors_review(clerk: User, supervisor: User) -> None:
    with pytest.raises(PermissionDenied, match="您的角色无权新建知识库条目。"):
        knowledge.create_entry(
            key="labour-004", topic="labour", acting_user=supervisor, **content()
        )
    entry = knowledge.create_entry(key="labour-004", topic="labour", acting_user=clerk, **content())
    with pytest.raises(PermissionDenied, match="您的角色无权审核知识库条目。"):
        knowledge.review_entry(entry, acting_user=clerk)
    elsewhere = make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN)
    local = knowledge.create_entry(
        key="labour-005", topic="labour", region=CHAOYANG, acting_user=clerk, **content()
    )
    with pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        knowledge.review_entry(local, acting_user=elsewhere)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"question": "工资"}, "问题至少需要5个字。"),
        ({"answer": "可以辞职。"}, "标准答复至少需要20个字。"),
        ({"answer": "很" * 5001}, "标准答复不能超过5,000个字。"),
        ({"keywords": []}, "请至少填写1个关键词。"),
        ({"keywords": [f"词{n}" for n in range(9)]}, "关键词最多8个。"),
        ({"citations": []}, "请至少填写一条法律依据。"),
        ({"citations": [{"law": "劳动合同法", "article": 200}]}, "《劳动合同法》第二百条不存在。"),
    ],
)
def test_content_is_validated_in_chinese(
    clerk: User, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        knowledge.create_entry(
            key="labour-006", topic="labour", acting_user=clerk, **content(**overrides)
        )
    assert not KnowledgeEntry.objects.filter(key="labour-006").exists()


# --- seed files --------------------------------------------------------------------------


def test_seed_loading_is_idempotent_and_a_changed_answer_makes_version_2(tmp_path: Path) -> None:
    rows = [
        seed_row("labour-101"),
        seed_row(
            "marriage-101",
            topic="marriage_family",
            question="协议离婚不成，怎么办？",
            answer=DIVORCE_ANSWER,
            keywords=["离婚", "离婚诉讼"],
            citations=[{"law": "民法典", "article": 1079}],
        ),
    ]
    directory = write_seed(tmp_path / "knowledge", rows)
    report = knowledge.load_seed_entries(directory, actor="test")
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    entry = KnowledgeEntry.objects.get(key="marriage-101")
    assert entry.status == KnowledgeStatus.PUBLISHED and entry.current_version.number == 1
    assert entry.author is None and entry.current_version.citations.get().number == 1079

    report = knowledge.load_seed_entries(directory, actor="test")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert (
        KnowledgeVersion.objects.filter(entry__key__in=["labour-101", "marriage-101"]).count() == 2
    )

    rows[1]["answer"] = (
        DIVORCE_ANSWER + "经人民法院判决不准离婚后，双方又分居满一年的，应当准予离婚。"
    )
    write_seed(directory, rows)
    report = knowledge.load_seed_entries(directory, actor="test")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    entry.refresh_from_db()
    assert entry.current_version.number == 2 and "分居满一年" in entry.current_version.answer
    assert entry.status == KnowledgeStatus.PUBLISHED and entry.versions.count() == 2


def test_seed_rows_citing_a_missing_article_or_unknown_topic_are_refused(tmp_path: Path) -> None:
    rows = [
        seed_row("labour-201"),
        seed_row("labour-202", citations=[{"law": "劳动合同法", "article": 200}]),
        seed_row("labour-203", topic="alimony"),
    ]
    directory = write_seed(tmp_path / "knowledge", rows)
    with pytest.raises(InvalidInput) as refused:
        knowledge.load_seed_entries(directory, actor="test")
    message = refused.value.message
    assert "sample.yaml 第2条（labour-202）：《劳动合同法》第二百条不存在。" in message
    assert "sample.yaml 第3条（labour-203）：未知的咨询分类：“alimony”。" in message
    assert "未保存任何内容" in message
    assert not KnowledgeEntry.objects.filter(key__startswith="labour-20").exists()


def test_load_knowledge_command_reports_counts(tmp_path: Path) -> None:
    from django.core.management import call_command

    directory = write_seed(tmp_path / "knowledge", [seed_row("labour-301")])
    out = io.StringIO()
    call_command("load_knowledge", "--path", str(directory), stdout=out)
    assert "新增 1，更新 0，未变 0" in out.getvalue()


# --- Excel -------------------------------------------------------------------------------


def _sheet(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(knowledge.SHEET_COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client: Client, data: bytes, name: str = "knowledge.xlsx") -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    return client.post("/api/v1/knowledge/import", {"file": upload})


def test_excel_export_and_import_round_trip(
    login_as: Login, clerk: User, supervisor: User, tmp_path: Path
) -> None:
    knowledge.load_seed_entries(
        write_seed(tmp_path / "k", [seed_row("labour-401"), seed_row("labour-402")]), actor="test"
    )
    response = login_as(clerk).get("/api/v1/knowledge/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == [
        "key", "topic", "question", "answer", "keywords", "citations", "status", "version",
    ]  # fmt: skip
    by_key = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    row = by_key["labour-401"]
    assert row[4].value == "拖欠工资、解除劳动合同、经济补偿"
    assert row[5].value == "《劳动合同法》第三十八条；《劳动合同法》第四十六条"
    assert (row[6].value, row[7].value) == ("published", 1)
    row[3].value = WAGES_ANSWER + "仲裁时效期间为一年。"
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = _upload(login_as(clerk), buffer.getvalue())
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["revised"] == ["labour-401"] and "labour-402" in data["unchanged"]
    entry = KnowledgeEntry.objects.get(key="labour-401")
    latest = entry.versions.order_by("-number").first()
    assert entry.status == KnowledgeStatus.DRAFT and latest is not None
    assert latest.number == 2 and latest.author == clerk and latest.answer.endswith("一年。")
    assert entry.current_version.number == 1  # citizens still see the published answer
    assert KnowledgeEntry.objects.get(key="labour-402").versions.count() == 1


def test_import_row_with_a_bad_citation_or_topic_refuses_the_whole_file(
    login_as: Login, clerk: User
) -> None:
    good = [
        "labour-501",
        "labour",
        content()["question"],
        WAGES_ANSWER,
        "拖欠工资",
        "《劳动合同法》第三十八条",
    ]
    data = _sheet(
        [
            good,
            [
                "labour-502",
                "劳动纠纷",
                "单位不签劳动合同怎么办？",
                WAGES_ANSWER,
                "劳动合同",
                "《劳动合同法》第二百条",
            ],
            [
                "labour-503",
                "天气",
                "单位不签劳动合同怎么办？",
                WAGES_ANSWER,
                "劳动合同",
                "《劳动合同法》第十条",
            ],
        ]
    )
    response = _upload(login_as(clerk), data)
    assert response.status_code == 400
    message = response.json()["message"]
    assert "第3行：《劳动合同法》第二百条不存在。" in message
    assert "第4行：未知的咨询分类：“天气”。" in message
    assert not KnowledgeEntry.objects.filter(key__startswith="labour-50").exists()


def test_import_refuses_what_is_not_a_workbook(login_as: Login, clerk: User) -> None:
    response = _upload(login_as(clerk), b"not a workbook")
    assert response.status_code == 400
    assert response.json()["message"] == "不是有效的 Excel 文件（.xlsx）。"


# --- API ---------------------------------------------------------------------------------


def test_staff_run_the_workflow_through_the_api(
    login_as: Login, clerk: User, supervisor: User
) -> None:
    body = {"key": "labour-601", "topic": "labour", **content()}
    response = post_json(login_as(clerk), "/api/v1/knowledge", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["versions"][0]["number"] == 1
    assert data["versions"][0]["citations"][0]["label"] == "《劳动合同法》第三十八条"
    assert post_json(login_as(clerk), "/api/v1/knowledge/labour-601/review").status_code == 403
    client = login_as(supervisor)
    assert post_json(client, "/api/v1/knowledge/labour-601/review").json()["status"] == "reviewed"
    data = post_json(client, "/api/v1/knowledge/labour-601/publish").json()
    assert data["status"] == "published" and data["public"] and data["current_version"] == 1

    public = Client().get("/api/v1/knowledge/labour-601").json()
    assert public["answer"] == WAGES_ANSWER and public["topic_label"] == "劳动纠纷"
    assert public["citations"][1]["url"].endswith("/articles/46")
    revised = post_json(
        login_as(clerk),
        "/api/v1/knowledge/labour-601/revise",
        content(question="拖欠工资能辞职吗？"),
    ).json()
    assert revised["status"] == "draft" and [v["number"] for v in revised["versions"]] == [2, 1]
    retired = post_json(
        login_as(supervisor), "/api/v1/knowledge/labour-601/retire", {"reason": "过时"}
    )
    assert retired.json()["status"] == "retired" and not retired.json()["public"]


def test_public_list_reads_in_a_fixed_number_of_queries(
    client: Client,
    clerk: User,
    supervisor: User,
    django_assert_max_num_queries: Callable[[int], Any],
) -> None:
    for n in range(5):
        published(clerk, supervisor, f"labour-65{n}")
    with django_assert_max_num_queries(4):
        data = client.get("/api/v1/knowledge", {"topic": "labour", "limit": 100}).json()
    assert data["count"] >= 5 and all(len(row["citations"]) == 2 for row in data["items"])


def test_retired_entry_never_appears_to_citizens(
    client: Client, clerk: User, supervisor: User
) -> None:
    entry = published(clerk, supervisor, "labour-701")
    listed = client.get("/api/v1/knowledge", {"topic": "labour", "limit": 100}).json()
    assert "labour-701" in [row["key"] for row in listed["items"]]
    assert "单位拖欠工资" in client.get("/knowledge/", {"topic": "labour"}).content.decode()
    assert client.get("/knowledge/labour-701").status_code == 200

    knowledge.retire_entry(entry, acting_user=supervisor)
    listed = client.get("/api/v1/knowledge", {"limit": 100}).json()
    assert "labour-701" not in [row["key"] for row in listed["items"]]
    response = client.get("/api/v1/knowledge/labour-701")
    assert response.status_code == 404 and response.json()["message"] == "知识库中没有该条目。"
    assert "labour-701" not in client.get("/knowledge/").content.decode()
    assert client.get("/knowledge/labour-701").status_code == 404
    # A revision of a retired entry stays hidden until it is published again.
    knowledge.revise_entry(entry, acting_user=clerk, **content())
    assert client.get("/api/v1/knowledge/labour-701").status_code == 404


def test_unpublished_entries_are_not_public(client: Client, clerk: User) -> None:
    knowledge.create_entry(key="labour-702", topic="labour", acting_user=clerk, **content())
    assert client.get("/api/v1/knowledge/labour-702").status_code == 404
    assert client.get("/knowledge/labour-702").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"question": "工资"}, 400, "问题至少需要5个字。"),
        ({"topic": "weather"}, 400, "未知的咨询分类：“weather”。"),
        ({"key": "Labour 1"}, 400, "编号“Labour 1”不可用"),
        (
            {"citations": [{"law": "劳动合同法", "article": 200}]},
            400,
            "《劳动合同法》第二百条不存在。",
        ),
        (
            {"citations": [{"law": "劳动保护法", "article": 1}]},
            400,
            "法律法规库中没有《劳动保护法》",
        ),
    ],
)
def test_bad_input_is_a_chinese_4xx(
    login_as: Login, clerk: User, overrides: dict[str, Any], status: int, message: str
) -> None:
    body = {"key": "labour-801", "topic": "labour", **content(), **overrides}
    response = post_json(login_as(clerk), "/api/v1/knowledge", body)
    assert response.status_code == status and message in response.json()["message"]
    assert not KnowledgeEntry.objects.filter(key="labour-801").exists()


def test_duplicate_key_and_wrong_people_are_refused(
    client: Client, login_as: Login, clerk: User
) -> None:
    body = {"key": "labour-802", "topic": "labour", **content()}
    assert post_json(client, "/api/v1/knowledge", body).status_code == 401
    assert post_json(login_as(make_citizen()), "/api/v1/knowledge", body).status_code == 403
    assert login_as(make_citizen()).get("/api/v1/knowledge/export.xlsx").status_code == 403
    assert post_json(login_as(clerk), "/api/v1/knowledge", body).status_code == 201
    response = post_json(login_as(clerk), "/api/v1/knowledge", body)
    assert (
        response.status_code == 409 and response.json()["message"] == "编号“labour-802”已被使用。"
    )


# --- pages -------------------------------------------------------------------------------


def test_public_pages_list_by_topic_search_and_link_the_citations(
    client: Client, clerk: User, supervisor: User
) -> None:
    published(clerk, supervisor, "labour-901")
    html = client.get("/knowledge/", {"q": "拖欠工资"}).content.decode()
    assert "劳动纠纷" in html and 'href="/knowledge/labour-901"' in html
    assert "labour-901" not in client.get("/knowledge/", {"q": "离婚"}).content.decode()
    html = client.get("/knowledge/labour-901").content.decode()
    law_id = resolve_article("劳动合同法", 38).law_id
    assert WAGES_ANSWER in html and f'href="/laws/{law_id}/articles/38"' in html
    assert "《劳动合同法》第三十八条" in html


def test_staff_pages_need_a_verified_staff_login(client: Client, login_as: Login) -> None:
    response = client.get("/knowledge/manage/")
    assert response.status_code == 302 and response["Location"].startswith("/console/login")
    unverified = make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG, totp=False)
    assert login_as(unverified).get("/knowledge/manage/").status_code == 302
    auditor = make_staff(Role.AUDITOR, region_code=CHAOYANG)
    assert login_as(auditor).get("/knowledge/manage/").status_code == 403


def _form(**overrides: str) -> dict[str, str]:
    values = {
        "topic": "labour",
        "region_code": "",
        "question": "单位拖欠工资，我可以辞职并要求补偿吗？",
        "answer": WAGES_ANSWER,
        "keywords": "拖欠工资、经济补偿",
        "citations": "《劳动合同法》第三十八条\n《劳动合同法》第四十六条",
    }
    values.update(overrides)
    return values


def test_staff_write_review_publish_and_revise_on_the_pages(
    login_as: Login, clerk: User, supervisor: User
) -> None:
    client = login_as(clerk)
    assert client.get("/knowledge/manage/new").status_code == 200
    response = client.post("/knowledge/manage/new", _form(key="labour-951", question="工资"))
    assert response.status_code == 400 and "问题至少需要5个字。" in response.content.decode()
    response = client.post("/knowledge/manage/new", _form(key="labour-951"))
    assert response.status_code == 302 and response["Location"] == "/knowledge/manage/labour-951/"
    html = client.get("/knowledge/manage/labour-951/").content.decode()
    assert "草稿" in html and 'id="action-review"' not in html

    client = login_as(supervisor)
    html = client.get("/knowledge/manage/labour-951/").content.decode()
    assert 'id="action-review"' in html and 'id="action-publish"' not in html
    assert client.post("/knowledge/manage/labour-951/", {"action": "review"}).status_code == 302
    assert client.post("/knowledge/manage/labour-951/", {"action": "publish"}).status_code == 302
    assert KnowledgeEntry.objects.get(key="labour-951").is_public
    response = client.post("/knowledge/manage/labour-951/", {"action": "publish"})
    assert response.status_code == 400
    assert "条目当前状态为“已发布”，不能发布。" in response.content.decode()

    client = login_as(clerk)
    form_html = client.get("/knowledge/manage/labour-951/edit").content.decode()
    assert "《劳动合同法》第三十八条" in form_html
    response = client.post(
        "/knowledge/manage/labour-951/edit", _form(citations="《劳动合同法》第二百条")
    )
    assert (
        response.status_code == 400
        and "《劳动合同法》第二百条不存在。" in response.content.decode()
    )
    response = client.post("/knowledge/manage/labour-951/edit", _form(keywords="欠薪、辞职"))
    assert response.status_code == 302
    html = client.get("/knowledge/manage/labour-951/").content.decode()
    assert 'id="version-2"' in html and 'id="version-1"' in html
    html = client.get("/knowledge/manage/", {"status": "draft"}).content.decode()
    assert "labour-951" in html and "对外 v1 / 最新 v2" in html
    assert "labour-951" in client.get("/knowledge/manage/", {"q": "拖欠"}).content.decode()
    assert "labour-951" not in client.get("/knowledge/manage/", {"q": "离婚"}).content.decode()


def test_page_import_names_the_bad_row_and_export_downloads(login_as: Login, clerk: User) -> None:
    client = login_as(clerk)
    data = _sheet(
        [
            [
                "labour-961",
                "labour",
                "单位不签劳动合同怎么办？",
                WAGES_ANSWER,
                "劳动合同",
                "民法典1079",
            ]
        ]
    )
    upload = io.BytesIO(data)
    upload.name = "k.xlsx"
    response = client.post("/knowledge/manage/import", {"file": upload})
    assert response.status_code == 400
    assert "第2行：无法识别的法律依据" in response.content.decode()
    assert not KnowledgeEntry.objects.filter(key="labour-961").exists()
    response = client.get("/knowledge/manage/export.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
