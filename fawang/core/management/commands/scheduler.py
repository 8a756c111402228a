from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from fawang.core.scheduling import enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they fall due (run one; extra copies are harmless)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for name in enqueue_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
