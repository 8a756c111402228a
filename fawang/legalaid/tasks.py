from __future__ import annotations

from django_tasks import task

from fawang.audit.services import record_event
from fawang.legalaid.services import overdue_assignments


@task()
def report_overdue_assignments() -> int:
    """Flag cases (notices first) not assigned within the legal limit (法律援助法 第三十六条, 第四十三条第一款).

    The console shows them as overdue from their deadline; this job leaves one audit trace per
    sweep so supervisors can see when the lapse was noticed."""
    overdue = overdue_assignments()
    if overdue:
        record_event(
            "legalaid.assignment_overdue",
            actor="fawang scheduler",
            detail={"cases": [case.number for case in overdue[:200]], "count": len(overdue)},
        )
    return len(overdue)
