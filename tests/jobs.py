"""A database-queue worker as the tests drive it: one pass over what is queued, no start-up wait."""

from __future__ import annotations

from fawang.core.worker import LeasedWorker


def batch_worker(worker_id: str) -> LeasedWorker:
    return LeasedWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
