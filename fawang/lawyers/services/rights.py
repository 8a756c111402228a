"""Lawyer-line use cases: practice-rights protection."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.lawyers.models import Obstruction, OrganKind, ReportStatus, RightsReport
from fawang.lawyers.policy import lawyers_policy
from fawang.lawyers.services._common import _region, _require_supervisor, own_practitioner
from fawang.policy.deadlines import deadline


def report_obstruction(
    *,
    obstruction: str,
    organ_kind: str,
    organ_name: str,
    region_code: Any,
    account: str,
    acting_user: User,
) -> RightsReport:
    """律师执业权利保障 (SJZ 四 12: 会见权、阅卷权、调查取证权; 北京律师行业规划 23): routed to the
    bureau of the organ's place, answered within the pack's period."""
    person = own_practitioner(acting_user)
    region = _region(region_code)
    now = timezone.now()
    with transaction.atomic():
        report = RightsReport.objects.create(
            number=f"tmp-{secrets.token_hex(8)}",
            practitioner=person,
            institution=person.institution,
            region=region,
            obstruction=clean_choice(obstruction, Obstruction.values, "obstruction", "受阻事项"),
            organ_kind=clean_choice(organ_kind, OrganKind.values, "organ_kind", "机关类别"),
            organ_name=clean_text(organ_name, 100, "organ_name", "办案机关"),
            account=clean_text(account, 2000, "account", "情况说明"),
            reported_by=acting_user,
            reported_at=now,
            answer_due_at=deadline(now, lawyers_policy(region).report_answer_period),
        )
        # The number carries the row id, so concurrent reports never collide.
        report.number = f"QB{timezone.localdate(now):%Y%m%d}{report.pk:06d}"
        report.save(update_fields=["number"])
        record_event("lawyers.report_received", actor=acting_user, obj=report)
    return report


def answer_report(report: RightsReport, answer: str, *, acting_user: User) -> None:
    _require_supervisor(acting_user, report.region)
    text = clean_text(answer, 2000, "answer", "处理答复")
    with transaction.atomic():
        row = lock(report)
        if row.status == ReportStatus.ANSWERED:
            raise Conflict(_("该申请已经答复。"), code="already_decided")
        row.status, row.answer = ReportStatus.ANSWERED, text
        row.answered_by, row.answered_at = acting_user, timezone.now()
        row.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record_event(
            "lawyers.report_answered",
            actor=acting_user,
            obj=row,
            detail={"late": row.answered_at > row.answer_due_at},
        )


def escalate_overdue(now: datetime | None = None) -> int:
    """Open reports past their answer deadline go to the city bureau (status 逾期已提级)."""
    now = now or timezone.now()
    count = 0
    for pk in RightsReport.objects.filter(
        status=ReportStatus.OPEN, answer_due_at__lt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            row = lock(RightsReport, pk)
            if row.status != ReportStatus.OPEN:
                continue
            row.status, row.escalated_at = ReportStatus.ESCALATED, now
            row.save(update_fields=["status", "escalated_at"])
            record_event("lawyers.report_escalated", actor="fawang scheduler", obj=row)
            count += 1
    return count
