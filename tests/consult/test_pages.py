from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from fawang.consult.citations import MAX_TEXT
from fawang.consult.models import LawStatus
from tests.consult.conftest import law

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("statutes")]


def test_law_list_groups_laws_by_department_with_their_status(client: Client) -> None:
    page = client.get("/laws/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "中华人民共和国民法典" in html and "民法商法" in html
    assert 'class="badge law-status good">现行有效' in html
    assert 'class="badge law-status bad">已废止' in html


def test_law_list_filters_by_department_status_and_name(client: Client) -> None:
    html = client.get("/laws/", {"department": "社会法", "q": "劳动"}).content.decode()
    assert "中华人民共和国劳动合同法" in html and "中华人民共和国民法典" not in html
    html = client.get("/laws/", {"status": LawStatus.REPEALED}).content.decode()
    assert "中华人民共和国乡镇企业法" in html and "中华人民共和国劳动合同法" not in html


def test_law_page_shows_chapters_and_anchored_articles(client: Client) -> None:
    civil_code = law("民法典")
    page = client.get(f"/laws/{civil_code.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "第四章 离婚" in html and 'id="a-1079"' in html
    assert f'href="/laws/{civil_code.pk}/articles/1079"' in html


def test_article_page_shows_the_article_its_law_and_neighbours(client: Client) -> None:
    civil_code = law("民法典")
    page = client.get(f"/laws/{civil_code.pk}/articles/1079")
    assert page.status_code == 200
    html = page.content.decode()
    assert "夫妻一方要求离婚的" in html and "第一千零七十九条" in html and "现行有效" in html
    assert f"/laws/{civil_code.pk}/articles/1078" in html
    assert f"/laws/{civil_code.pk}/articles/1080" in html


def test_a_struck_out_article_says_so_and_a_living_one_does_not(client: Client) -> None:
    criminal_law = law("刑法", LawStatus.AMENDED)
    struck = client.get(f"/laws/{criminal_law.pk}/articles/199").content.decode()
    assert 'id="article-deleted"' in struck and "已被修正案删去" in struck
    assert "引用时可写作" not in struck
    living = client.get(f"/laws/{criminal_law.pk}/articles/198").content.decode()
    assert 'id="article-deleted"' not in living


def test_inserted_article_has_a_stable_url(client: Client) -> None:
    criminal_law = law("刑法", LawStatus.AMENDED)
    page = client.get(f"/laws/{criminal_law.pk}/articles/133-1")
    assert page.status_code == 200
    html = page.content.decode()
    assert "第一百三十三条之一" in html
    assert f"/laws/{criminal_law.pk}/articles/133-2" in html  # the next article
    assert client.get(f"/laws/{criminal_law.pk}/articles/133-9").status_code == 404
    assert client.get(f"/laws/{criminal_law.pk}/articles/abc").status_code == 404


def test_a_repealed_law_says_so(client: Client) -> None:
    repealed = law("乡镇企业法", LawStatus.REPEALED)
    assert "本法已废止" in client.get(f"/laws/{repealed.pk}/").content.decode()


def test_historical_edition_links_to_the_law_in_force(client: Client) -> None:
    historical = law("海商法", LawStatus.HISTORICAL)
    html = client.get(f"/laws/{historical.pk}/").content.decode()
    assert "这是历史版本" in html and law("海商法").get_absolute_url() in html


def test_article_search_finds_articles_by_their_words(client: Client) -> None:
    page = client.get("/laws/search", {"q": "试用期 工资"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "《劳动合同法》第二十条" in html


def test_citation_check_page_marks_each_citation(client: Client) -> None:
    assert client.get("/citations/check").status_code == 200
    text = "依据《民法典》第一千零七十九条和《婚姻法》第三十二条，以及《民法典》第一千三百条。"
    page = client.post("/citations/check", {"text": text})
    assert page.status_code == 200
    html = page.content.decode()
    assert "共找到 3 处引用，其中 2 处需要注意。" in html
    assert '<mark class="cite cite-ok">《民法典》第一千零七十九条</mark>' in html
    assert "cite-not_in_force" in html and "cite-article_missing" in html
    assert f"/laws/{law('民法典').pk}/articles/1260" in html  # what repealed 婚姻法


@pytest.mark.parametrize(
    ("text", "message"), [("", "请粘贴需要核对的文字"), ("字" * (MAX_TEXT + 1), "文字过长")]
)
def test_citation_check_page_shows_the_problem_by_the_field(
    client: Client, text: str, message: str
) -> None:
    page = client.post("/citations/check", {"text": text})
    assert page.status_code == 200 and message in page.content.decode()


def test_pages_are_translated_to_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/laws/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Laws and regulations" in html and "In force" in html


def test_the_whole_civil_code_page_takes_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    civil_code = law("民法典")
    with django_assert_max_num_queries(6):
        assert client.get(f"/laws/{civil_code.pk}/").status_code == 200
