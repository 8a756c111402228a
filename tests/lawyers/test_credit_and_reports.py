"""Credit archive: disclosure periods from the pack, the public page shows only what may be
disclosed, appeals revoke; practice-rights reports: deadline from the pack, escalation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.lawyers import selectors, services
from fawang.lawyers.models import CreditStatus, ReportStatus, RightsReport
from tests.conftest import CHAOYANG
from tests.lawyers.helpers import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def _sanction(w: World, decided: date, **extra: object) -> object:
    return services.record_credit(
        kind="industry_sanction", title="通报批评", basis="律师协会惩戒决定",
        decided_on=decided, acting_user=w.bureau, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def test_disclosure_period_comes_from_the_pack(w: World) -> None:
    decided = date(2025, 3, 1)
    record = services.record_credit(
        kind="administrative_penalty", title="警告", basis="律师法第四十七条",
        decided_on=decided, practitioner_id=w.person.pk, acting_user=w.bureau,
    )  # fmt: skip
    assert record.disclose_until == decided + timedelta(days=1095)


def test_public_page_shows_only_records_in_their_period(w: World) -> None:
    today = timezone.localdate()
    _sanction(w, today - timedelta(days=10), practitioner_id=w.person.pk)
    old = _sanction(w, today - timedelta(days=1200), practitioner_id=w.person.pk)
    old.title = "早已期满的处分"  # type: ignore[attr-defined]
    old.save()  # type: ignore[attr-defined]
    other = _sanction(w, today - timedelta(days=5), practitioner_id=w.colleague_person.pk)
    page = Client().get(f"/lawyers/credit/person/{w.person.pk}").content.decode()
    assert "通报批评" in page and "早已期满的处分" not in page
    # Nothing personal on the public page.
    assert w.person.phone_hash not in page and "139" not in page.split("公示中的诚信记录")[1]
    api = Client().get(f"/api/v1/lawyers/credit/person/{w.person.pk}").json()
    assert [r["title"] for r in api["records"]] == ["通报批评"]
    assert other.practitioner_id != w.person.pk  # type: ignore[attr-defined]


def test_record_not_yet_decided_or_revoked_is_not_public(w: World) -> None:
    today = timezone.localdate()
    record = _sanction(w, today, institution_id=w.firm.pk)
    assert list(selectors.disclosed(today - timedelta(days=1))) == []
    assert list(selectors.disclosed(today)) == [record]
    appeal = services.appeal_credit(record, "事实有误", acting_user=w.lawyer)  # firm admin
    with pytest.raises(Conflict):
        services.appeal_credit(record, "再次提出", acting_user=w.lawyer)
    services.decide_appeal(appeal, True, "经复核，撤销该记录", acting_user=w.bureau)
    record.refresh_from_db()  # type: ignore[attr-defined]
    assert record.status == CreditStatus.REVOKED  # type: ignore[attr-defined]
    assert list(selectors.disclosed(today)) == []
    page = Client().get(f"/lawyers/credit/firm/{w.firm.pk}").content.decode()
    assert "通报批评" not in page


def test_only_the_named_lawyer_or_firm_admin_appeals(w: World) -> None:
    record = _sanction(w, timezone.localdate(), practitioner_id=w.person.pk)
    for other in (w.colleague, w.haidian_lawyer):
        with pytest.raises(PermissionDenied):
            services.appeal_credit(record, "x", acting_user=other)
    firm_record = _sanction(w, timezone.localdate(), institution_id=w.firm.pk)
    with pytest.raises(PermissionDenied):  # a lawyer of the firm who is not its admin
        services.appeal_credit(firm_record, "x", acting_user=w.colleague)


def test_correction_keeps_the_record_public_with_new_wording(w: World) -> None:
    record = _sanction(w, timezone.localdate(), practitioner_id=w.person.pk)
    services.correct_credit(record, title="训诫", basis="律师协会惩戒决定（更正）",
                            acting_user=w.bureau)  # type: ignore[arg-type]  # fmt: skip
    shown = selectors.public_credit_page("person", w.person.pk)["records"]
    assert [r.title for r in shown] == ["训诫"]


def test_future_decision_date_refused(w: World) -> None:
    with pytest.raises(InvalidInput):
        _sanction(w, timezone.localdate() + timedelta(days=1), practitioner_id=w.person.pk)


def _report(w: World) -> RightsReport:
    return services.report_obstruction(
        obstruction="meeting", organ_kind="detention", organ_name="某看守所",
        region_code=CHAOYANG, account="要求会见被拒绝", acting_user=w.haidian_lawyer,
    )  # fmt: skip


def test_report_is_due_in_ten_working_days_and_routed_to_the_organs_district(w: World) -> None:
    # Friday 2025-03-07: ten working days end at midnight after Friday 2025-03-21.
    moment = datetime(2025, 3, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        report = _report(w)
    due = timezone.localtime(report.answer_due_at)
    assert due.date() == date(2025, 3, 22) and due.hour == 0
    assert report.number.startswith("QB20250307")
    assert selectors.reports_for_user(w.bureau).filter(pk=report.pk).exists()
    assert not selectors.reports_for_user(w.haidian_bureau).filter(pk=report.pk).exists()
    assert selectors.reports_for_user(w.haidian_lawyer).filter(pk=report.pk).exists()
    assert not selectors.reports_for_user(w.lawyer).filter(pk=report.pk).exists()
    with pytest.raises(PermissionDenied):
        services.answer_report(report, "已协调", acting_user=w.haidian_bureau)


def test_overdue_report_is_escalated_once_and_still_answerable(w: World) -> None:
    report = _report(w)
    assert services.escalate_overdue(report.answer_due_at - timedelta(minutes=1)) == 0
    assert services.escalate_overdue(report.answer_due_at + timedelta(minutes=1)) == 1
    assert services.escalate_overdue(report.answer_due_at + timedelta(days=1)) == 0
    report.refresh_from_db()
    assert report.status == ReportStatus.ESCALATED
    services.answer_report(report, "已与看守所协调安排会见", acting_user=w.city)
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED
    with pytest.raises(Conflict):
        services.answer_report(report, "again", acting_user=w.bureau)


def test_report_needs_an_account(w: World) -> None:
    with pytest.raises(InvalidInput) as bad:
        services.report_obstruction(
            obstruction="meeting", organ_kind="detention", organ_name="某看守所",
            region_code=CHAOYANG, account=" ", acting_user=w.lawyer,
        )  # fmt: skip
    assert bad.value.field == "account" and not RightsReport.objects.exists()
