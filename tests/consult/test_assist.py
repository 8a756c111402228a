"""Answers while a seat types, the citizen's "ask" page, and the optional LLM drafting step."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from fawang.audit.models import AuditEvent
from fawang.consult import knowledge, retrieval
from fawang.consult.models import KnowledgeEntry
from fawang.core.models import Role, User
from tests.conftest import CHAOYANG
from tests.factories import make_citizen, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("statutes")]

Login = Callable[[User], Client]
WAGES_QUESTION = "公司拖欠工资，我可以辞职并要求经济补偿吗？"
WAGES_ANSWER = (
    "用人单位未及时足额支付劳动报酬的，劳动者可以解除劳动合同，并可以要求用人单位支付经济补偿。"
    "建议保留工资条、考勤记录等证据，向劳动争议仲裁委员会申请仲裁。"
)
TYPED = "老板拖欠我三个月工资了，我想辞职，能不能要补偿"


@pytest.fixture
def seat() -> User:
    return make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)


@pytest.fixture
def wages_entry() -> Iterator[KnowledgeEntry]:
    """One published standard answer, indexed (the index then holds only the database's entries)."""
    retrieval.get_index()  # the session's saved index: only the knowledge base is rebuilt below
    clerk = make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG)
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    entry = knowledge.create_entry(
        key="wages-unpaid",
        topic="labour",
        question=WAGES_QUESTION,
        answer=WAGES_ANSWER,
        keywords=["拖欠工资", "解除劳动合同", "经济补偿"],
        citations=[{"law": "劳动合同法", "article": 38}, {"law": "劳动合同法", "article": 46}],
        acting_user=clerk,
    )
    knowledge.review_entry(entry, acting_user=supervisor)
    entry = knowledge.publish_entry(entry, acting_user=supervisor)
    retrieval.refresh(save=False)
    yield entry
    retrieval.reset()  # the next test loads the saved index again


def test_seat_sees_topic_standard_answer_and_article_while_typing(
    login_as: Login, seat: User, wages_entry: KnowledgeEntry
) -> None:
    response = login_as(seat).post(reverse("consult:suggest"), {"description": TYPED})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-topic="labour"' in page.split("</p>")[0]  # the first guess
    assert WAGES_QUESTION in page
    assert "《劳动合同法》第三十八条" in page
    assert "<mark>" in page


def test_the_seat_panel_waits_for_a_few_characters(login_as: Login, seat: User) -> None:
    response = login_as(seat).post(reverse("consult:suggest"), {"description": "工资"})
    assert response.status_code == 200
    assert 'data-testid="suggestions"' not in response.content.decode()


def test_the_intake_form_asks_for_suggestions_as_the_question_is_typed(
    login_as: Login, seat: User
) -> None:
    page = login_as(seat).get(reverse("workorders:order_new")).content.decode()
    assert f'hx-post="{reverse("consult:suggest")}"' in page
    assert 'id="suggestions"' in page


def test_suggestions_are_for_staff_only(client: Client, login_as: Login) -> None:
    assert client.post(reverse("consult:suggest"), {"description": TYPED}).status_code == 302
    citizen = make_citizen()
    response = login_as(citizen).post(reverse("consult:suggest"), {"description": TYPED})
    assert response.status_code == 302  # to the staff login, nothing computed


def test_citizen_ask_page_answers_from_published_entries(
    client: Client, wages_entry: KnowledgeEntry
) -> None:
    response = client.get(reverse("consult:ask"), {"q": TYPED})
    assert response.status_code == 200
    page = response.content.decode()
    assert WAGES_QUESTION in page
    assert "可以解除劳动合同" in page
    assert "劳动合同法" in page


def test_retired_entry_never_reaches_citizens_even_before_the_index_is_rebuilt(
    client: Client, wages_entry: KnowledgeEntry
) -> None:
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    knowledge.retire_entry(wages_entry, acting_user=supervisor, reason="法律修改")
    page = client.get(reverse("consult:ask"), {"q": TYPED}).content.decode()
    assert WAGES_QUESTION not in page
    assert "可以解除劳动合同，并可以要求" not in page


def test_ask_page_offers_a_work_order_carrying_the_question(
    client: Client, login_as: Login, wages_entry: KnowledgeEntry
) -> None:
    page = client.get(reverse("consult:ask"), {"q": TYPED}).content.decode()
    start = page.index('id="open-request" href="') + len('id="open-request" href="')
    link = page[start : page.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert query["description"] == [TYPED]
    assert query["topic"] == ["labour"]
    form = login_as(make_citizen()).get(link).content.decode()
    assert TYPED in form
    assert 'value="labour" selected' in form


def test_ask_page_answers_a_neighbours_renovation_damage_with_the_civil_code(
    client: Client,
) -> None:
    # Issue 19: this question listed 民法典第二百九十三条 (daylight) and 消防法第二十六条 and missed
    # the two articles that answer it: neighbours must not endanger the adjoining property (295),
    # and whoever causes damage by fault is liable for it (1165).
    page = client.get(reverse("consult:ask"), {"q": "邻居装修把我家墙震裂了，找谁赔？"})
    listed = page.content.decode().split("相关法律条文", 1)[1]
    assert "《民法典》第二百九十五条" in listed
    assert "《民法典》第一千一百六十五条" in listed
    first = listed.split("</li>", 1)[0]
    assert "消防法" not in first


@pytest.mark.parametrize(
    ("question", "message"),
    [("工资", "请再多说几个字"), ("欠" * 2001, "问题太长了")],
    ids=["too-short", "too-long"],
)
def test_ask_page_explains_bad_questions(client: Client, question: str, message: str) -> None:
    response = client.get(reverse("consult:ask"), {"q": question})
    assert response.status_code == 400
    assert message in response.content.decode()


# --- LLM drafting, against a local OpenAI-compatible endpoint -----------------------------------


class FakeModel(BaseHTTPRequestHandler):
    replies: list[str] = []
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        content = type(self).replies.pop(0) if type(self).replies else ""
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def model(settings: Any) -> Iterator[type[FakeModel]]:
    server = HTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeModel.replies, FakeModel.received = [], []
    settings.CONSULT_LLM_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.CONSULT_LLM_MODEL = "local-test"
    settings.CONSULT_LLM_API_KEY = "k-123"
    yield FakeModel
    server.shutdown()


def test_draft_with_valid_citations_is_shown_and_audited(
    login_as: Login, seat: User, wages_entry: KnowledgeEntry, model: type[FakeModel]
) -> None:
    model.replies = [
        "根据《劳动合同法》第三十八条，单位拖欠工资的，您可以解除劳动合同并要求经济补偿。"
    ]
    client = login_as(seat)
    assert (
        "智能起草答复"
        in client.post(reverse("consult:suggest"), {"description": TYPED}).content.decode()
    )
    response = client.post(reverse("consult:draft"), {"description": TYPED})
    page = response.content.decode()
    assert response.status_code == 200
    assert "您可以解除劳动合同并要求经济补偿" in page
    request = model.received[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer k-123"
    assert (
        WAGES_ANSWER in request["body"]["messages"][1]["content"]
    )  # the standard answer as context
    event = AuditEvent.objects.get(action="consult.draft")
    assert event.detail["accepted"] is True
    assert TYPED not in json.dumps(event.detail, ensure_ascii=False)


def test_draft_citing_a_missing_article_is_sent_back_then_discarded(
    login_as: Login, seat: User, model: type[FakeModel]
) -> None:
    model.replies = ["依据《劳动合同法》第九百条，您可以要求双倍赔偿。"] * 2
    page = login_as(seat).post(reverse("consult:draft"), {"description": TYPED}).content.decode()
    assert "双倍赔偿" not in page
    assert "未通过核对" in page
    assert len(model.received) == 2
    assert "第九百条" in model.received[1]["body"]["messages"][-1]["content"]


def test_a_corrected_second_draft_is_accepted(
    login_as: Login, seat: User, model: type[FakeModel]
) -> None:
    model.replies = [
        "依据《劳动合同法》第九百条……",
        "依据《劳动合同法》第四十六条，单位应当支付经济补偿。",
    ]
    page = login_as(seat).post(reverse("consult:draft"), {"description": TYPED}).content.decode()
    assert "单位应当支付经济补偿" in page
    assert "第九百条" not in page


def test_drafting_is_off_by_default(login_as: Login, seat: User, settings: Any) -> None:
    settings.CONSULT_LLM_URL = ""
    client = login_as(seat)
    assert (
        "智能起草答复"
        not in client.post(reverse("consult:suggest"), {"description": TYPED}).content.decode()
    )
    response = client.post(reverse("consult:draft"), {"description": TYPED})
    assert response.status_code == 503
    assert "未启用" in response.content.decode()


def test_publishing_an_entry_reindexes_it_after_the_commit(
    settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import shutil

    retrieval.get_index()  # the session's index, copied so this test's rebuild stays its own
    (tmp_path / "consult").mkdir()
    for path in (retrieval.index_path(), retrieval.tokens_path()):
        shutil.copy(path, tmp_path / "consult" / path.name)
    settings.VAR_DIR = tmp_path
    retrieval.reset()
    clerk = make_staff(Role.WINDOW_CLERK, region_code=CHAOYANG)
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    entry = knowledge.create_entry(
        key="wages-unpaid",
        topic="labour",
        question=WAGES_QUESTION,
        answer=WAGES_ANSWER,
        keywords=["拖欠工资"],
        citations=[{"law": "劳动合同法", "article": 38}],
        acting_user=clerk,
    )
    knowledge.review_entry(entry, acting_user=supervisor)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            knowledge.publish_entry(entry, acting_user=supervisor)
        keys = [doc.key for doc in retrieval.get_index().knowledge]
        assert keys == ["wages-unpaid"]  # the database's entries replaced the seed files
    finally:
        retrieval.reset()


def test_reply_citations_are_checked_on_the_reply_screen(login_as: Login, seat: User) -> None:
    client = login_as(seat)
    url = reverse("consult:citation_fragment")
    good = client.post(url, {"reply-reply": "依据《劳动合同法》第三十八条，您可以解除劳动合同。"})
    assert good.status_code == 200
    assert "共 1 处引用，其中 0 处需要注意" in good.content.decode()
    bad = client.post(url, {"text": "依据《劳动合同法》第九百条处理。"})
    assert "其中 1 处需要注意" in bad.content.decode()
    empty = client.post(url, {"text": ""}).content.decode()
    assert "答复框还是空的" in empty


def test_the_reply_check_is_for_staff_only(client: Client) -> None:
    response = client.post(reverse("consult:citation_fragment"), {"text": "《劳动合同法》第一条"})
    assert response.status_code == 302
