"""The history tables' month partitions, for every app that declares some
(``Declaration.partitioned_by_month``): the ``core.create_partitions`` job and ``fawang partitions``
run this; the partitioning itself is ``audit.partitions`` (PostgreSQL only; nothing on SQLite)."""

from __future__ import annotations

import logging

from django_tasks import task

from fawang.audit.partitions import ensure_months
from fawang.core.registry import partitioned_tables

logger = logging.getLogger("fawang.partitions")


@task()
def create_partitions() -> list[str]:
    """This month's partition and the next three of every declared history table, and the months
    of rows waiting in a DEFAULT partition (moved out); nothing on SQLite. See audit.partitions."""
    created = [
        name for table, column in partitioned_tables() for name in ensure_months(table, column)
    ]
    if created:
        logger.info("partitions created: %s", ", ".join(created))
    return created
