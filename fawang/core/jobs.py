"""Side effects of a use case (an SMS, a background job) are queued after its transaction commits.

A service calls :func:`after_commit` inside its ``transaction.atomic()`` block: the job is queued
only once the change it reports is committed, so a rolled-back change never texts anyone and a job
never looks for a row it cannot see yet. Outside any transaction the job is queued at once.

On the database queue (the default) the job's row is written inside that transaction instead: it
becomes visible to the workers at the same commit, and disappears with a rollback, so the promise
is the same, and the request saves a second commit (and its WAL flush). A broker (Redis) is
outside the transaction, so there the job waits for the commit.

Not here: the 12345 hotline updates are rows of a transactional outbox (``ExchangeMessage``),
written in the transaction on purpose; the scheduler claims a time slot and queues its job in one
transaction so that neither is lost (``core.scheduling``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import normalize_json

from fawang.db.appends import append_rows

_withheld: ContextVar[frozenset[str]] = ContextVar("fawang_withheld_jobs", default=frozenset())


def after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` (a django_tasks Task) with these arguments when the current transaction
    commits. Dropped if the transaction rolls back, or inside :func:`withheld` for this task.

    Robust: should queuing fail after the commit, the error is logged (``django.db.backends``)
    and the committed request still succeeds. On the database queue the job is written in the
    transaction instead (see the module's note): if that write fails, so does the change."""
    if task.module_path in _withheld.get():
        return
    if _queued_in_the_transaction(task):
        task.enqueue(*args, **kwargs)
        return
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)


def _queued_in_the_transaction(task: Any) -> bool:
    """The job's row is written by the connection whose transaction is open."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult  # a model: only once the apps are loaded

    alias = router.db_for_write(DBTaskResult)
    return alias == DEFAULT_DB_ALIAS and transaction.get_connection(alias).in_atomic_block


class DatabaseQueue(DatabaseBackend):
    """The database queue (django_tasks_db) writing a job's row with one prepared INSERT
    (``db.appends``): nearly every created order queues an SMS, and ``objects.create`` spent
    more CPU building that statement than everything else the job costs the request."""

    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult, get_date_max

        row: DBTaskResult = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # What django_tasks_db's pre_save handler puts there for "as soon as possible" (no
            # signal is sent here): tests/core/test_appends.py compares the two rows.
            run_after=task.run_after or get_date_max(),
            backend_name=self.alias,
        )
        append_rows([row], using=router.db_for_write(DBTaskResult))
        return row


@contextmanager
def withheld(*tasks: Any) -> Iterator[None]:
    """Inside the block, :func:`after_commit` drops these tasks instead of queuing them.

    For the demo builders: nothing about invented people may leave the platform, so the SMS the
    services would send are never queued."""
    token = _withheld.set(_withheld.get() | {task.module_path for task in tasks})
    try:
        yield
    finally:
        _withheld.reset(token)
