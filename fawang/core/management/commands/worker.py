from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from fawang.core import broker
from fawang.core.worker import LeasedWorker


class Command(BaseCommand):
    help = (
        "Run background jobs: from the database queue (leased: a job whose worker died runs "
        "again; waiting out database outages instead of exiting), or from the broker (RQ on Redis) "
        "when FAWANG_TASKS_BACKEND=rq (docs/operations.md, Jobs)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between polls (the database queue; the broker's worker waits on Redis).",
        )
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if broker.broker_selected():
            broker.run_worker(burst=options["batch"], max_jobs=options["max_tasks"])
            return
        worker = LeasedWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
