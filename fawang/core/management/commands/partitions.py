from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fawang.audit.partitions import (
    MONTHS_AHEAD,
    add_months,
    create_month,
    ensure_months,
    is_partitioned_database,
    list_partitions,
    month_of,
)
from fawang.core.registry import partitioned_tables


def _month(value: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}", value) or not 1 <= int(value[5:]) <= 12:
        raise CommandError(f"月份格式应为 YYYY-MM：{value}")
    return date(int(value[:4]), int(value[5:]), 1)


class Command(BaseCommand):
    help = (
        "Month partitions of the history tables on PostgreSQL (docs/operations.md, "
        "'Partitioned history'): creates this month and --ahead more (default 3), moves rows "
        "waiting in DEFAULT into their month, optionally creates older months (--from YYYY-MM), "
        "then lists every partition. Does the same as the core.create_partitions job; safe to "
        "run at any time, also beside the scheduler."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--ahead", type=int, default=MONTHS_AHEAD)
        parser.add_argument(
            "--from",
            dest="since",
            metavar="YYYY-MM",
            help="also create every month from this one (history about to be imported)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_partitioned_database():
            self.stdout.write("SQLite：历史表为普通表，无需分区。")
            return
        if options["ahead"] < 0:
            raise CommandError("--ahead 不能为负数。")
        created: list[str] = []
        for table, column in partitioned_tables():
            if options["since"]:
                month = _month(options["since"])
                while month < month_of(timezone.now()):
                    if create_month(table, column, month):
                        created.append(f"{table} {month:%Y-%m}")
                    month = add_months(month, 1)
            created += ensure_months(table, column, ahead=options["ahead"])
        self.stdout.write(f"新建分区 {len(created)} 个。")
        for table, _column in partitioned_tables():
            self.stdout.write(f"\n{table}")
            for partition in list_partitions(table):
                if partition.month is None:
                    self.stdout.write(
                        f"  {partition.name:<40} DEFAULT  {partition.rows} 行（应为 0）"
                    )
                    continue
                rows = "未统计" if partition.rows < 0 else f"约 {partition.rows} 行"
                self.stdout.write(
                    f"  {partition.name:<40} {partition.lower} – {partition.upper}  {rows}"
                )
