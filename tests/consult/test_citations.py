from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from fawang.consult.citations import (
    MAX_TEXT,
    CitationStatus,
    article_label,
    check_citations,
    parse_citations,
    to_int,
)
from fawang.consult.models import LawStatus
from fawang.core.errors import InvalidInput
from tests.consult.conftest import law


def cited(text: str) -> list[tuple[str, int, int]]:
    return [(ref.law_name, ref.number, ref.suffix) for ref in parse_citations(text)]


# --- parsing: text only, no database -------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一千零七十九", 1079),
        ("二十", 20),
        ("十", 10),
        ("一百零一", 101),
        ("1079", 1079),
        ("１０７９", 1079),
        ("一百一十", 110),
        ("两百", 200),
        ("十十", None),
    ],
)
def test_numerals_convert_to_integers(numeral: str, value: int | None) -> None:
    assert to_int(numeral) == value


def test_article_labels_are_written_as_statutes_write_them() -> None:
    assert article_label(1079) == "第一千零七十九条"
    assert article_label(133, 1) == "第一百三十三条之一"
    assert article_label(110) == "第一百一十条"


def test_chinese_and_arabic_article_numbers_are_parsed() -> None:
    text = "《民法典》第一千零七十九条，《民法典》第1079条，《民法典》第 １０７９ 条，《刑法》第十条、第二十条"
    assert cited(text) == [
        ("民法典", 1079, 0),
        ("民法典", 1079, 0),
        ("民法典", 1079, 0),
        ("刑法", 10, 0),
        ("刑法", 20, 0),
    ]


def test_several_articles_after_one_law_name_are_each_a_citation() -> None:
    refs = parse_citations("依照《劳动合同法》第三十八条、第四十六条和第四十七条的规定")
    assert [(ref.law_name, ref.number) for ref in refs] == [
        ("劳动合同法", 38),
        ("劳动合同法", 46),
        ("劳动合同法", 47),
    ]
    assert [ref.text for ref in refs] == ["《劳动合同法》第三十八条", "第四十六条", "第四十七条"]


def test_spans_point_at_the_citation_in_the_text() -> None:
    text = "根据《劳动合同法》第三十八条及第四十六条"
    for ref in parse_citations(text):
        assert text[ref.start : ref.end] == ref.text


def test_paragraph_and_item_belong_to_the_article() -> None:
    (ref,) = parse_citations("《劳动合同法》第三十八条第一款第二项")
    assert (ref.number, ref.paragraph, ref.item) == (38, 1, 2)
    (ref,) = parse_citations("《民法典》第一千零七十九条第三款第（二）项")
    assert (ref.number, ref.paragraph, ref.item) == (1079, 3, 2)


def test_paragraphs_listed_after_an_article_do_not_end_the_list() -> None:
    assert cited("《劳动合同法》第四十条第一款、第二款和第四十一条") == [
        ("劳动合同法", 40, 0),
        ("劳动合同法", 41, 0),
    ]


def test_an_inserted_article_keeps_its_suffix() -> None:
    assert cited("《刑法》第一百三十三条之一、第一百三十三条之二") == [
        ("刑法", 133, 1),
        ("刑法", 133, 2),
    ]


def test_a_version_note_after_the_name_is_allowed() -> None:
    assert cited("《中华人民共和国公司法》（2018年修正）第二十条") == [
        ("中华人民共和国公司法", 20, 0)
    ]


def test_that_law_refers_to_the_law_just_cited() -> None:
    assert cited("《刑法》第二十条规定了正当防卫，该法第二十一条规定了紧急避险。") == [
        ("刑法", 20, 0),
        ("刑法", 21, 0),
    ]
    assert cited("该法第二十一条") == []


def test_both_ends_of_a_range_are_cited() -> None:
    assert cited("《劳动合同法》第三十六条至第四十条") == [
        ("劳动合同法", 36, 0),
        ("劳动合同法", 40, 0),
    ]


def test_text_without_a_law_in_title_marks_has_no_citation() -> None:
    assert cited("民法典第一千零七十九条；《民法典》规定；第十条") == []


# --- checking against the library ---------------------------------------------------------

check = pytest.mark.usefixtures("statutes")


@pytest.mark.django_db
@check
def test_a_correct_citation_links_to_its_article() -> None:
    (result,) = check_citations("依据《民法典》第一千零七十九条")
    civil_code = law("民法典")
    assert result.status == CitationStatus.OK and result.law == civil_code
    assert result.article is not None and result.article.number == 1079
    assert result.url == f"/laws/{civil_code.pk}/articles/1079"


@pytest.mark.django_db
@check
def test_short_and_full_law_names_resolve_to_the_same_law() -> None:
    short, full = check_citations("《民法典》第1079条；《中华人民共和国民法典》第一千零七十九条")
    assert short.article == full.article and short.status == full.status == CitationStatus.OK


@pytest.mark.django_db
@check
def test_an_article_beyond_the_last_is_missing() -> None:
    (result,) = check_citations("《民法典》第一千三百条")
    assert result.status == CitationStatus.ARTICLE_MISSING and result.article is None
    assert "第一千二百六十条" in result.message


@pytest.mark.django_db
@check
def test_an_article_an_amendment_struck_out_is_not_cited() -> None:
    # 刑法修正案（九）条目十二: "删去刑法第一百九十九条。" — the library keeps the number, text "（删去）"
    (result,) = check_citations("依据《中华人民共和国刑法》第一百九十九条")
    assert result.status == CitationStatus.DELETED and not result.is_ok
    assert "删去" in result.message
    (kept,) = check_citations("《刑法》第二百六十四条")
    assert kept.is_ok


@pytest.mark.django_db
@check
def test_a_repealed_law_is_flagged_not_in_force() -> None:
    (result,) = check_citations("《乡镇企业法》第二条")
    assert result.status == CitationStatus.NOT_IN_FORCE
    assert result.law is not None and result.law.status == LawStatus.REPEALED
    assert result.article is not None and "已废止" in result.message


@pytest.mark.django_db
@check
def test_a_law_repealed_by_the_civil_code_is_flagged_with_the_repealing_article() -> None:
    (result,) = check_citations("根据《婚姻法》第三十二条")
    assert result.status == CitationStatus.NOT_IN_FORCE and result.law is None
    assert result.replaced_by is not None and result.replaced_by.number == 1260
    assert "《民法典》第一千二百六十条" in result.message


@pytest.mark.django_db
@check
def test_a_repealed_law_in_the_library_names_the_article_that_repealed_it() -> None:
    (result,) = check_citations("《环境保护法》第六条")
    assert result.status == CitationStatus.NOT_IN_FORCE and result.article is not None
    assert result.replaced_by is not None and result.replaced_by.law.short_name == "生态环境法典"
    assert "已由《生态环境法典》" in result.message


@pytest.mark.django_db
@check
def test_the_in_force_edition_is_preferred_over_a_historical_one() -> None:
    (result,) = check_citations("《海商法》第一条")
    assert result.status == CitationStatus.OK and result.law == law("海商法")


@pytest.mark.django_db
@check
def test_an_unknown_law_is_reported() -> None:
    (result,) = check_citations("《火星移民法》第三条")
    assert result.status == CitationStatus.LAW_UNKNOWN and result.law is None and result.url == ""


@pytest.mark.django_db
@check
def test_an_inserted_article_is_found() -> None:
    (result,) = check_citations("《刑法》第一百三十三条之一")
    assert result.status == CitationStatus.OK
    assert result.article is not None and result.article.number_text == "第一百三十三条之一"
    assert result.url.endswith("/articles/133-1")
    assert "修正" in result.note  # the library's Criminal Law text is the one before 修正案（十二）


@pytest.mark.django_db
@check
def test_checking_many_citations_takes_a_fixed_number_of_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    text = (
        "《劳动合同法》第三十八条、第四十六条和第四十七条；《民法典》第一千零七十九条；《婚姻法》第三条。"
        * 20
    )
    with django_assert_max_num_queries(4):
        results = check_citations(text)
    assert len(results) == 100


@pytest.mark.parametrize(
    ("text", "message"), [("", "请粘贴"), ("   ", "请粘贴"), ("字" * (MAX_TEXT + 1), "文字过长")]
)
def test_empty_or_too_long_text_is_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_citations(text)
