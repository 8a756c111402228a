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
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
