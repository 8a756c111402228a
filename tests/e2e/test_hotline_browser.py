"""Hotline seats in the browser, on the demo world: the district bureau opens the month's seat
report of the Chaoyang centre and sees 接通率 computed from the calls beside the 90% target; the
demo seat sees their own shift."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_intake_browser import log_in_staff

pytestmark = pytest.mark.e2e


def test_supervisor_sees_answer_rate_beside_target(page: Page, live_platform: str) -> None:
    log_in_staff(page, live_platform, "demo-supervisor-district")
    page.goto(f"{live_platform}/console/hotline/")
    page.locator("tr").filter(has_text="朝阳区公共法律服务中心").get_by_role(
        "link", name="坐席月报"
    ).click()
    expect(page.locator("h1")).to_contain_text("坐席月报")
    expect(page.locator("#answer-rate")).to_contain_text("%")
    expect(page.locator("#answer-target")).to_have_text("不低于 90%")
    expect(page.locator("#seat-lines")).to_contain_text("王晓燕")


def test_seat_sees_their_own_shift(page: Page, live_platform: str) -> None:
    log_in_staff(page, live_platform, "demo-hotline-seat")
    page.goto(f"{live_platform}/console/hotline/")
    expect(page.locator("#my-shifts")).to_contain_text("朝阳区公共法律服务中心")
    expect(page.locator("#my-shifts")).to_contain_text("08:00")
