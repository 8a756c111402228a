"""The one deadline function (policy.deadlines): calendar days as 民法典 第二百条至第二百零四条 count
them, working days from the official calendar, and the pack's periods always with their unit."""

from __future__ import annotations

import copy
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from fawang.core.models import Region
from fawang.legalaid.policy import policy_for_region
from fawang.policy.deadlines import Period, PeriodError, Unit, deadline, due_day, parse_period
from fawang.policy.packs import PackError, pack_for_region, parse_pack, shipped_packs

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEVEN_DAYS = Period(7, Unit.CALENDAR_DAYS)
SEVEN_WORKING_DAYS = Period(7, Unit.WORKING_DAYS)


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("received", "last_day"),
    [
        # 法律援助法 第四十三条 + 民法典 第二百零一条: received Tue 30 Sep 2025, the day before National
        # Day; day 1 is 1 Oct, day 7 is 7 Oct — a holiday (1–8 Oct), so 第二百零三条 moves the last
        # day to the day after the holidays, Thu 9 Oct. (7 working days would run to 16 Oct.)
        (at(2025, 9, 30), date(2025, 10, 9)),
        # Fri 13 Feb 2026, before the Spring Festival (15–23 Feb off): day 7 is 20 Feb, a holiday,
        # so the decision is due on Tue 24 Feb. (7 working days would run to 2 March.)
        (at(2026, 2, 13), date(2026, 2, 24)),
        # Wed 30 Apr 2025, the day before Labour Day (1–5 May off): the holidays fall *inside* the
        # period, the last day (Wed 7 May) is a working day — nothing moves.
        (at(2025, 4, 30), date(2025, 5, 7)),
        # Received late in the evening: the day is still not counted (第二百零一条).
        (at(2025, 4, 30, 23), date(2025, 5, 7)),
    ],
)
def test_seven_calendar_days_move_only_when_the_last_day_is_a_day_off(
    received: datetime, last_day: date
) -> None:
    due = deadline(received, SEVEN_DAYS)
    assert due_day(due) == last_day
    # 民法典 第二百零三条第二款: the last day ends at 24:00 — the moment is midnight after it.
    assert due == datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def test_working_days_count_only_working_days() -> None:
    # What the packs wrongly gave legal aid before (issue 21): due 17 Oct and 3 March, 00:00.
    assert deadline(at(2025, 9, 30), SEVEN_WORKING_DAYS) == at(2025, 10, 17, 0)
    assert deadline(at(2026, 2, 13), SEVEN_WORKING_DAYS) == at(2026, 3, 3, 0)


def test_a_period_without_a_unit_is_refused() -> None:
    with pytest.raises(PeriodError, match="单位"):
        parse_period(7, "legal_aid.periods.decision")
    with pytest.raises(PeriodError, match="单位"):
        parse_period({"days": 7}, "legal_aid.periods.decision")
    with pytest.raises(PeriodError, match="calendar_days"):
        parse_period({"days": 7, "unit": "days"}, "x")
    with pytest.raises(PeriodError):
        parse_period({"days": 0, "unit": "calendar_days"}, "x")
    assert parse_period({"days": 7, "unit": "calendar_days"}, "x") == SEVEN_DAYS
    assert str(SEVEN_DAYS) == "7日" and str(SEVEN_WORKING_DAYS) == "7个工作日"


def test_the_pack_validator_rejects_a_period_without_a_unit() -> None:
    pack = shipped_packs()[0]
    raw = copy.deepcopy(pack.raw)
    raw["service_levels"]["reply"]["legal_aid"] = 7
    with pytest.raises(PackError, match="单位"):
        parse_pack(raw, "broken.yaml")
    from fawang.legalaid.policy import parse_policy

    raw = copy.deepcopy(pack.raw)
    raw["legal_aid"]["periods"]["decision"] = {"days": 7}
    with pytest.raises(PackError, match="单位"):
        parse_policy(raw, "broken.yaml")


@pytest.mark.django_db
def test_both_packs_give_legal_aid_the_statutory_calendar_days() -> None:
    for code in ("110105000000", "130105000000"):
        region = Region.objects.get(code=code)
        levels = pack_for_region(region).service_levels
        # 法律援助法 第四十三条: 七日 — calendar days, for the work order and for the application.
        assert levels.reply["legal_aid"] == SEVEN_DAYS
        policy = policy_for_region(region)
        assert policy.decision == SEVEN_DAYS
        assert policy.assignment_after_decision == Period(3, Unit.CALENDAR_DAYS)  # 第四十三条
        assert policy.notice_assignment == Period(3, Unit.CALENDAR_DAYS)  # 第三十六条
        assert policy.objection_review == Period(5, Unit.CALENDAR_DAYS)  # 第四十九条
