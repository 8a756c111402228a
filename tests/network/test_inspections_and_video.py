"""Inspections (BJ-31) with their checklist and rectification deadline; remote video (BJ-34)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.network import services, video
from fawang.network.models import InspectionStatus, VideoStatus
from fawang.network.policy import network_policy
from tests.factories import make_citizen
from tests.network.helpers import bureaus, chaoyang_township, make_point

pytestmark = pytest.mark.django_db


def checklist(point, failing: int = 0) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    items = network_policy(point.region).checklist[point.level]
    return {item: i >= failing for i, item in enumerate(items)}


def test_a_clean_inspection_passes() -> None:
    b = bureaus()
    point = make_point(chaoyang_township())
    inspection = services.record_inspection(
        b["chaoyang"], point.pk, inspected_on=timezone.localdate(), checklist=checklist(point)
    )
    assert inspection.status == InspectionStatus.PASSED and inspection.rectification_due is None


def test_a_failed_item_opens_a_rectification_due_in_thirty_days() -> None:
    b = bureaus()
    point = make_point(chaoyang_township())
    with pytest.raises(InvalidInput) as error:
        services.record_inspection(
            b["chaoyang"], point.pk, inspected_on=date(2026, 3, 2), checklist=checklist(point, 1)
        )
    assert error.value.field == "findings"
    inspection = services.record_inspection(
        b["chaoyang"], point.pk, inspected_on=date(2026, 3, 2),
        checklist=checklist(point, 1), findings="标识标牌缺失",
    )  # fmt: skip
    # 30 calendar days from the next day: 2 March + 30 = 1 April 2026 (a Wednesday).
    assert inspection.status == InspectionStatus.RECTIFYING
    assert inspection.rectification_due == date(2026, 4, 1)
    done = services.record_rectified(b["chaoyang"], inspection.pk, date(2026, 3, 20))
    assert done.status == InspectionStatus.RECTIFIED
    with pytest.raises(Conflict):
        services.record_rectified(b["chaoyang"], inspection.pk, date(2026, 3, 21))


def test_a_deadline_ending_on_a_day_off_moves_to_the_next_working_day() -> None:
    b = bureaus()
    point = make_point(chaoyang_township())
    # 2 September 2026 + 30 days = 2 October, inside the National Day holiday.
    inspection = services.record_inspection(
        b["chaoyang"], point.pk, inspected_on=date(2026, 9, 2),
        checklist=checklist(point), findings="值班表未公示",
    )  # fmt: skip
    assert inspection.rectification_due is not None
    assert inspection.rectification_due > date(2026, 10, 2)


def test_checklist_must_be_complete_and_date_not_in_the_future() -> None:
    b = bureaus()
    point = make_point(chaoyang_township())
    partial = dict(list(checklist(point).items())[:2])
    with pytest.raises(InvalidInput):
        services.record_inspection(b["chaoyang"], point.pk, inspected_on=timezone.localdate(), checklist=partial)  # fmt: skip
    with pytest.raises(InvalidInput):
        services.record_inspection(
            b["chaoyang"], point.pk, inspected_on=timezone.localdate() + timedelta(days=1),
            checklist=checklist(point),
        )  # fmt: skip


def test_another_district_cannot_inspect_or_see_inspections() -> None:
    b = bureaus()
    point = make_point(chaoyang_township())
    with pytest.raises(NotFound):
        services.record_inspection(b["haidian"], point.pk, inspected_on=timezone.localdate(), checklist=checklist(point))  # fmt: skip
    inspection = services.record_inspection(
        b["chaoyang"], point.pk, inspected_on=timezone.localdate(),
        checklist=checklist(point, 1), findings="缺少台账",
    )  # fmt: skip
    with pytest.raises(NotFound):
        services.record_rectified(b["haidian"], inspection.pk, timezone.localdate())


def test_video_session_is_recorded_by_the_local_backend(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path
    citizen = make_citizen()
    point = make_point(chaoyang_township())
    session = services.start_video(citizen, "劳动合同纠纷咨询", point.pk)
    assert session.backend == "local" and session.room.startswith("local-")
    ended = services.end_video(citizen, session.pk)
    assert ended.status == VideoStatus.ENDED
    events = [json.loads(line)["event"] for line in video.log_path().read_text().splitlines()]
    assert events == ["open", "close"]
    with pytest.raises(Conflict):
        services.end_video(citizen, session.pk)
    with pytest.raises(NotFound):
        services.end_video(make_citizen(), session.pk)


def test_staff_cannot_start_a_citizen_video_session() -> None:
    with pytest.raises(PermissionDenied):
        services.start_video(bureaus()["chaoyang"], "咨询")
