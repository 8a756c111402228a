from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fawang.consult.knowledge import SEED_ACTOR, SEED_DIR, load_seed_entries
from fawang.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load the standard knowledge-base entries from YAML files (default: "
        "fawang/consult/data/knowledge/*.yaml), published at once; safe to re-run: unchanged "
        "entries are skipped, a changed text becomes a new published version. Needs the statute "
        "library (import-statutes) for the citations."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--path", type=Path, default=SEED_DIR, help="a directory of *.yaml files, or one file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_seed_entries(options["path"], actor=SEED_ACTOR)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"知识库：读取 {report.files} 个文件、{report.entries} 个条目；"
            f"新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}。"
        )
        if report.held:
            self.stdout.write(
                f"以下条目已停用或正在修改，未用数据文件覆盖：{'、'.join(report.held)}"
            )
