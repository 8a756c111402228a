from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fawang.core.errors import DomainError
from fawang.indicators.services import load_file


class Command(BaseCommand):
    help = "载入指标包（含 indicators: 的政策包）或行动清单（含 items:）。出错时不做任何修改。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["files"]:
            try:
                loaded = load_file(path, acting_user=None)
            except DomainError as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"loaded {loaded}")
