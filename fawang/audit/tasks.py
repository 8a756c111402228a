from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from fawang.audit.services import seal_pending, verify_chain
from fawang.core.scheduling import PeriodicJob

logger = logging.getLogger("fawang.audit")


@task()
def verify_audit_chain() -> bool:
    report = verify_chain()
    if not report.ok:
        logger.error("audit chain broken: %s", "; ".join(report.problems[:20]))
    return report.ok


@task()
def seal_audit_events() -> int:
    return seal_pending()


PERIODIC_JOBS = [
    PeriodicJob("audit.seal", seal_audit_events, timedelta(seconds=10)),
    PeriodicJob("audit.verify_chain", verify_audit_chain, timedelta(days=1)),
]
