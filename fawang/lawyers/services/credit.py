"""Lawyer-line use cases: credit archive."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.lawyers.models import AppealStatus, CreditAppeal, CreditKind, CreditRecord, CreditStatus
from fawang.lawyers.policy import lawyers_policy
from fawang.lawyers.services._common import _day, _firm, _person, _require_supervisor, is_firm_admin


def record_credit(
    *,
    kind: str,
    title: str,
    basis: str,
    decided_on: Any,
    acting_user: User,
    institution_id: Any = None,
    practitioner_id: Any = None,
) -> CreditRecord:
    """诚信电子档案 (北京律师行业规划 12): the record is public until its kind's disclosure period
    from the pack has run from the decision date."""
    kind = clean_choice(kind, CreditKind.values, "kind", "记录类别")
    person = _person(practitioner_id) if practitioner_id else None
    firm = person.institution if person else _firm(institution_id)
    _require_supervisor(acting_user, firm.region)
    decided = _day(decided_on, "decided_on", _("请按“年-月-日”填写决定日期。"))
    if decided > timezone.localdate():
        raise InvalidInput(_("决定日期不能晚于今天。"), code="bad_date", field="decided_on")
    days = lawyers_policy(firm.region).disclosure_days[kind]
    with transaction.atomic():
        record = CreditRecord.objects.create(
            kind=kind,
            institution=None if person else firm,
            practitioner=person,
            region=firm.region,
            title=clean_text(title, 200, "title", "事项"),
            basis=clean_text(basis, 300, "basis", "依据"),
            decided_on=decided,
            disclose_until=decided + timedelta(days=days),
            recorded_by=acting_user,
        )
        record_event(
            "lawyers.credit_recorded", actor=acting_user, obj=record, detail={"kind": kind}
        )
    return record


def correct_credit(record: CreditRecord, *, title: str, basis: str, acting_user: User) -> None:
    """更正: the bureau corrects the wording of a record; the event keeps the old text."""
    _require_supervisor(acting_user, record.region)
    with transaction.atomic():
        row = lock(record)
        if row.status == CreditStatus.REVOKED:
            raise Conflict(_("该记录已撤销，不能更正。"), code="bad_state")
        before = {"title": row.title, "basis": row.basis}
        row.title = clean_text(title, 200, "title", "事项")
        row.basis = clean_text(basis, 300, "basis", "依据")
        row.status = CreditStatus.CORRECTED
        row.save(update_fields=["title", "basis", "status"])
        record_event(
            "lawyers.credit_corrected", actor=acting_user, obj=row, detail={"before": before}
        )


def _may_appeal(user: User, record: CreditRecord) -> bool:
    if record.practitioner_id is not None:
        return record.practitioner is not None and record.practitioner.user_id == user.pk
    return is_firm_admin(user) and user.institution_id == record.institution_id


def appeal_credit(record: CreditRecord, reason: str, *, acting_user: User) -> CreditAppeal:
    if not _may_appeal(acting_user, record):
        raise PermissionDenied(_("只有记录所涉律师或律所管理人可以提出异议。"))
    text = clean_text(reason, 2000, "reason", "异议理由")
    with transaction.atomic():
        lock(record)
        if record.appeals.filter(status=AppealStatus.PENDING).exists():
            raise Conflict(_("该记录已有待复核的异议。"), code="already_pending")
        appeal = CreditAppeal.objects.create(record=record, filed_by=acting_user, reason=text)
        record_event("lawyers.credit_appealed", actor=acting_user, obj=appeal)
    return appeal


def decide_appeal(appeal: CreditAppeal, upheld: bool, answer: str, *, acting_user: User) -> None:
    """An upheld appeal revokes the record: it leaves the public page at once."""
    _require_supervisor(acting_user, appeal.record.region)
    text = clean_text(answer, 2000, "answer", "复核意见")
    with transaction.atomic():
        row = lock(appeal)
        if row.status != AppealStatus.PENDING:
            raise Conflict(_("该异议已经复核。"), code="already_decided")
        row.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
        row.answer, row.decided_by, row.decided_at = text, acting_user, timezone.now()
        row.save(update_fields=["status", "answer", "decided_by", "decided_at"])
        if upheld:
            CreditRecord.objects.filter(pk=row.record_id).update(status=CreditStatus.REVOKED)
        record_event(
            "lawyers.appeal_decided", actor=acting_user, obj=row, detail={"upheld": upheld}
        )
