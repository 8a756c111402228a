"""The State Council's holiday schedule for a year the packaged calendar does not know yet,
entered by a system administrator and used by every deadline counted in working days.

The 2027 schedule below is an example written for these tests (not the published notice): the
statutory holidays of 2027 plus a Spring Festival week of 5–11 February with Sunday 14 February
worked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from fawang.audit.models import AuditEvent
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Role
from fawang.policy.holidays import (
    enter_holiday_schedule,
    missing_schedule_note,
    package_covers,
    parse_days,
)
from fawang.policy.models import HolidaySchedule
from fawang.policy.workdays import is_workday, statutory_holidays, working_days_after
from tests.conftest import BEIJING
from tests.factories import make_staff
from tests.language import english

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCE = "测试用例：2027年部分节假日安排（示例，非正式通知）"


def rest_text() -> str:
    statutory = "，".join(f"{d.month}月{d.day}日" for d in sorted(statutory_holidays(2027)))
    return f"{statutory}，2月5日至11日"


def enter(admin: Any, rest: str | None = None, work: str = "2月14日（星期日）") -> Any:
    return enter_holiday_schedule(
        acting_user=admin,
        year=2027,
        rest_days=rest_text() if rest is None else rest,
        work_days=work,
        source=SOURCE,
    )


@pytest.fixture
def admin() -> Any:
    return make_staff(Role.SYSTEM_ADMIN, region_code=BEIJING)


def test_the_notice_wording_and_iso_dates_both_read() -> None:
    assert parse_days("2月6日至12日；2027-10-01~2027-10-03", 2027, "rest_days") == [
        date(2027, 2, d) for d in range(6, 13)
    ] + [date(2027, 10, d) for d in (1, 2, 3)]
    assert parse_days("1月1日（星期五）、1月1日", 2027, "rest_days") == [date(2027, 1, 1)]


def test_an_entered_schedule_moves_the_years_deadlines(admin: Any) -> None:
    created = datetime(2027, 2, 4, 10, tzinfo=SHANGHAI)  # Thursday before the Spring Festival
    # Without a schedule: weekends and statutory holidays only — Tue 9 and Wed 10 Feb count.
    assert working_days_after(created, 2) == datetime(2027, 2, 11, tzinfo=SHANGHAI)
    enter(admin)
    assert not is_workday(date(2027, 2, 10))  # a bridging rest day of the schedule
    assert is_workday(date(2027, 2, 14))  # the Sunday worked
    # Fri 12 Feb, then Sunday 14 Feb worked: the deadline runs out at the end of the 14th.
    assert working_days_after(created, 2) == datetime(2027, 2, 15, tzinfo=SHANGHAI)
    event = AuditEvent.objects.get(action="holidays.enter")
    assert event.detail["year"] == 2027 and event.detail["work_days"] == 1


def test_a_month_of_working_days_asks_the_database_once(
    admin: Any, django_assert_max_num_queries: Any
) -> None:
    # A job counting deadlines outside a request: not one look-up per day counted.
    enter(admin)
    created = datetime(2027, 3, 1, 9, tzinfo=SHANGHAI)
    working_days_after(created, 30)  # loads the year's schedule
    with django_assert_max_num_queries(1):
        # the 30th working day is Tue 13 April (Qingming, Mon 5 April, is a rest day)
        assert working_days_after(created, 30) == datetime(2027, 4, 14, tzinfo=SHANGHAI)


def test_entering_the_year_again_replaces_its_schedule(admin: Any) -> None:
    enter(admin)
    assert is_workday(date(2027, 2, 14))
    enter(admin, work="")
    assert not is_workday(date(2027, 2, 14))
    assert HolidaySchedule.objects.get(year=2027).days.filter(working=True).count() == 0


@pytest.mark.parametrize(
    ("rest", "work", "code", "words"),
    [
        ("2月5日至11日", "", "holiday_missing", "缺少法定节假日"),
        (None, "2月15日", "workday_not_weekend", "星期六或星期日"),
        (None, "2月7日", "day_both", "既放假又上班"),
        (None, "2026-12-26", "day_outside_year", "不在 2027 年内"),
        ("春节放七天", "", "bad_date_list", "无法识别"),
        (None, "2月30日", "bad_date_list", "不存在"),
        ("2月11日至2月5日", "", "bad_date_list", "不正确"),
    ],
)
def test_a_wrong_schedule_is_refused_in_chinese_and_the_saved_one_stays(
    admin: Any, rest: str | None, work: str, code: str, words: str
) -> None:
    enter(admin)
    with pytest.raises(InvalidInput) as refused:
        enter(admin, rest=rest, work=work)
    assert refused.value.code == code and words in refused.value.message
    assert is_workday(date(2027, 2, 14))
    assert HolidaySchedule.objects.get(year=2027).days.count() > 10


def test_only_a_system_administrator_enters_and_only_a_year_the_calendar_lacks(
    admin: Any,
) -> None:
    with pytest.raises(PermissionDenied):
        enter(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    with pytest.raises(Conflict) as known:
        enter_holiday_schedule(
            acting_user=admin, year=2026, rest_days="1月1日", work_days="", source=SOURCE
        )
    assert known.value.code == "holidays_published"
    assert not HolidaySchedule.objects.exists()


def test_the_page_saves_a_schedule_and_shows_a_refusal_beside_its_field(
    admin: Any, login_as: Any
) -> None:
    client = login_as(admin)
    page = client.get("/console/holidays/")
    assert page.status_code == 200 and "节假日安排" in page.content.decode()
    form = {"year": "2027", "source": SOURCE, "rest_days": rest_text(), "work_days": "2月15日"}
    refused = client.post("/console/holidays/", form)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "调休上班日应为星期六或星期日" in body and "2月15日" in body  # what was typed stays
    saved = client.post("/console/holidays/", {**form, "work_days": "2月14日"}, follow=True)
    assert saved.status_code == 200
    assert SOURCE in saved.content.decode() and "2/14" in saved.content.decode()
    assert is_workday(date(2027, 2, 14))


def test_the_page_is_for_the_system_administrator_and_speaks_english(
    admin: Any, login_as: Any
) -> None:
    supervisor = login_as(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    assert supervisor.get("/console/holidays/").status_code == 403
    client = english(login_as(admin))
    body = client.get("/console/holidays/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Holiday schedules" in body and "Days off" in body
    assert "节假日安排" not in body and "放假日期" not in body
    this_year = timezone.localdate().year
    covered = [y for y in range(this_year - 1, this_year + 3) if package_covers(y)]
    assert "Years the calendar data includes: " + ", ".join(map(str, covered)) in body


def test_readyz_says_when_next_years_schedule_is_missing(admin: Any, client: Any) -> None:
    assert missing_schedule_note(date(2026, 10, 31)) is None  # too early to know 2027's
    note = missing_schedule_note(date(2026, 12, 7))
    assert note is not None and "2027年的国务院放假安排尚未录入" in note
    assert client.get("/readyz").json().get("warnings", {}).get("policy") == missing_schedule_note()
    enter(admin)
    assert missing_schedule_note(date(2026, 12, 7)) is None
    assert missing_schedule_note(date(2027, 3, 1)) is None
