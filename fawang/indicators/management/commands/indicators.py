from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fawang.indicators import fill


class Command(BaseCommand):
    help = (
        "指标计数表：fill --full [--from YYYY-MM-DD] 全量重算；fill --since YYYY-MM-DD；fill 增量。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["fill"])
        parser.add_argument("--full", action="store_true", help="Recompute every day.")
        parser.add_argument("--from", dest="start", help="First day of a full recompute.")
        parser.add_argument("--since", help="Recompute from this day to today.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        try:
            if options["full"]:
                start = (
                    date.fromisoformat(options["start"])
                    if options["start"]
                    else (today - timedelta(days=365 * 3))
                )
                result = fill.fill_full(start, today)
            elif options["since"]:
                result = fill.fill_full(date.fromisoformat(options["since"]), today)
            else:
                result = fill.fill_incremental()
        except ValueError as error:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{error}") from None
        self.stdout.write(f"filled {result.days} days, {result.rows} rows")
