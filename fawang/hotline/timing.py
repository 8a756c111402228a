"""Local-time boundaries: months (YYYY-MM) and the coming week, in the platform's time zone."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.core.errors import InvalidInput

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    found = MONTH.match(month or "")
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise InvalidInput(_("月份格式应为 2026-12。"), code="bad_month", field="month")
    year, number = int(found.group(1)), int(found.group(2))
    first = datetime(year, number, 1, tzinfo=local_zone())
    after = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=local_zone())
    return first, after


def this_month() -> str:
    return timezone.localtime(timezone.now(), local_zone()).strftime("%Y-%m")


def today_start() -> datetime:
    now = timezone.localtime(timezone.now(), local_zone())
    return datetime.combine(now.date(), time.min, tzinfo=local_zone())


def week_from_today() -> tuple[datetime, datetime]:
    start = today_start()
    return start, start + timedelta(days=7)
