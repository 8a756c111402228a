from __future__ import annotations

import logging

from django_tasks import task

from fawang.audit.services import seal_pending, verify_chain

logger = logging.getLogger("fawang.audit")


@task()
def verify_audit_chain() -> bool:
    report = verify_chain()
    if not report.ok:
        logger.error("audit chain broken: %s", "; ".join(report.problems[:20]))
    return report.ok


@task()
def seal_audit_events() -> int:
    return seal_pending(recent_only=True)


@task()
def seal_late_audit_events() -> int:
    """The full sweep: events whose transaction committed long after they were written."""
    return seal_pending()
