from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from fawang.consult.citations import MAX_TEXT
from fawang.consult.models import LawStatus
from tests.consult.conftest import law

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("statutes")]


def test_laws_are_listed_publicly_with_filters(client: Client) -> None:
    data = client.get("/api/v1/laws", {"department": "社会法", "limit": 100}).json()
    assert data["count"] > 10 and all(row["department"] == "社会法" for row in data["items"])
    data = client.get("/api/v1/laws", {"q": "民法典"}).json()
    (civil_code,) = data["items"]
    assert civil_code["status"] == "in_force" and civil_code["status_label"] == "现行有效"
    assert civil_code["article_count"] == 1260 and civil_code["url"] == f"/laws/{civil_code['id']}/"


def test_law_detail_has_every_article(client: Client) -> None:
    labour_contract_law = law("劳动合同法")
    data = client.get(f"/api/v1/laws/{labour_contract_law.pk}").json()
    assert data["name"] == "中华人民共和国劳动合同法"
    assert len(data["articles"]) == data["article_count"] == 98
    assert data["articles"][37]["number_text"] == "第三十八条"


def test_article_by_number_and_by_inserted_number(client: Client) -> None:
    civil_code = law("民法典")
    data = client.get(f"/api/v1/laws/{civil_code.pk}/articles/1079").json()
    assert data["number"] == 1079 and data["text"].startswith("夫妻一方要求离婚的")
    assert data["law"]["name"] == "中华人民共和国民法典"
    criminal_law = law("刑法", LawStatus.AMENDED)
    data = client.get(f"/api/v1/laws/{criminal_law.pk}/articles/133-1").json()
    assert (data["number"], data["suffix"], data["key"]) == (133, 1, "133-1")
    assert data["number_text"] == "第一百三十三条之一"


def test_unknown_article_or_law_is_a_chinese_404(client: Client) -> None:
    civil_code = law("民法典")
    response = client.get(f"/api/v1/laws/{civil_code.pk}/articles/1300")
    assert response.status_code == 404 and response.json()["message"] == "这部法律中没有该条。"
    response = client.get("/api/v1/laws/999999")
    assert (
        response.status_code == 404 and response.json()["message"] == "法律法规库中没有这部法律。"
    )


def test_article_search(client: Client) -> None:
    rows = client.get("/api/v1/articles/search", {"q": "试用期 工资", "limit": 5}).json()
    assert 0 < len(rows) <= 5
    assert any(row["law"]["short_name"] == "劳动合同法" and row["number"] == 20 for row in rows)
    response = client.get("/api/v1/articles/search", {"q": " "})
    assert response.status_code == 400 and response.json()["message"] == "请输入要搜索的词语。"


def test_citation_check_returns_each_citation_with_its_span(client: Client) -> None:
    text = "依据《劳动合同法》第三十八条、第四十六条，《刑法》第一百三十三条之一，《火星法》第一条"
    response = client.post(
        "/api/v1/citations/check", {"text": text}, content_type="application/json"
    )
    assert response.status_code == 200
    rows = response.json()
    assert [row["status"] for row in rows] == ["ok", "ok", "ok", "law_unknown"]
    assert [text[row["start"] : row["end"]] for row in rows] == [row["text"] for row in rows]
    assert rows[1]["text"] == "第四十六条" and rows[1]["article"]["number"] == 46
    assert rows[2]["url"].endswith("/articles/133-1") and rows[2]["law"]["status"] == "amended"
    assert rows[3]["law"] is None and rows[3]["article"] is None and "火星法" in rows[3]["message"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"text": ""}, 400, "请粘贴需要核对的文字。"),
        ({"text": "字" * (MAX_TEXT + 1)}, 400, "文字过长"),
        ({}, 422, "输入有误"),
    ],
)
def test_bad_citation_check_input_gets_a_chinese_4xx(
    client: Client, body: dict[str, str], status: int, message: str
) -> None:
    response = client.post("/api/v1/citations/check", body, content_type="application/json")
    assert response.status_code == status and message in response.json()["message"]


def test_law_list_and_detail_take_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/laws", {"limit": 200}).json()["items"]) == 200
    with django_assert_max_num_queries(4):
        data = client.get(f"/api/v1/laws/{law('民法典').pk}").json()
    assert len(data["articles"]) == 1260
