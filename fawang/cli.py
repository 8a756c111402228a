"""The `fawang` command: the platform's own verbs plus every Django management command.

    fawang run | demo | load-regions | worker | scheduler | audit verify | migrate | …

A hyphenated verb maps to the management command with underscores (load-regions → load_regions).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "fawang"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.db import DatabaseError

    try:
        execute_from_command_line(args)
    except DatabaseError as error:
        if not is_missing_table(error):
            raise
        first_line = str(error).strip().splitlines()[0]
        sys.stderr.write(
            f"数据库还没有建表（{first_line}）：先运行 fawang migrate，"
            "或 make run（建表并装入演示数据），再执行此命令。\n"
        )
        raise SystemExit(2) from None


def is_missing_table(error: Exception) -> bool:
    """The database was never migrated (a fresh checkout before ``make run``), as SQLite and
    PostgreSQL (SQLSTATE 42P01, undefined table) each say it."""
    cause = error.__cause__
    return "no such table" in str(error) or getattr(cause, "sqlstate", None) == "42P01"


if __name__ == "__main__":
    main()
