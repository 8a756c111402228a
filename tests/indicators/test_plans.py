from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fawang.core.errors import InvalidInput, PermissionDenied
from fawang.core.models import Role
from fawang.indicators.models import ActionItem, DeadlineWarning, ItemStatus
from fawang.indicators.services import report_progress, warn_deadlines
from fawang.workorders.models import Notification
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_staff
from tests.indicators.helpers import load_shipped

pytestmark = pytest.mark.django_db


def _chaoyang_item() -> ActionItem:
    return ActionItem.objects.get(code="D-03")


def test_district_reports_progress_with_an_attachment(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    load_shipped()
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    upload = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    progress = report_progress(
        _chaoyang_item(),
        acting_user=supervisor,
        percent=100,
        text="特色服务站室已建成",
        attachment=upload,
    )
    assert progress.attachment.name.endswith(".pdf")
    item = _chaoyang_item()
    assert item.status == ItemStatus.DONE and item.progress_percent == 100


def test_attachment_of_an_unsafe_type_is_refused() -> None:
    load_shipped()
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    upload = SimpleUploadedFile("run.exe", b"MZ")
    with pytest.raises(InvalidInput):
        report_progress(
            _chaoyang_item(), acting_user=supervisor, percent=10, text="x", attachment=upload
        )
    assert not _chaoyang_item().progress.exists()


def test_other_district_cannot_report_progress() -> None:
    load_shipped()
    with pytest.raises(PermissionDenied):
        report_progress(
            _chaoyang_item(),
            acting_user=make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN),
            percent=10,
            text="x",
        )


def test_scheduler_warns_once_before_and_once_after_the_deadline() -> None:
    load_shipped()
    supervisor = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    ActionItem.objects.exclude(code="D-03").update(status=ItemStatus.DONE)
    before = warn_deadlines(date(2027, 12, 10))
    again = warn_deadlines(date(2027, 12, 11))
    after = warn_deadlines(date(2028, 1, 2))
    assert (before.due_soon, again.due_soon, after.overdue) == (1, 0, 1)
    assert DeadlineWarning.objects.count() == 2
    texts = list(Notification.objects.filter(recipient=supervisor).values_list("text", flat=True))
    assert len(texts) == 2 and any("已逾期" in t for t in texts)
