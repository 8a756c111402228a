"""Public-interest hours end to end in the browser: the district bureau records an activity, the
demo lawyer logs hours against it, the bureau (its organiser) confirms them, and the bureau's
board shows the lawyer's and the district's hours beside the 50-hour target."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_intake_browser import log_in_staff

pytestmark = pytest.mark.e2e

TITLE = "浏览器测试：社区公益法律咨询"


def test_lawyer_logs_hours_organiser_confirms_board_shows_them(
    page: Page, live_platform: str
) -> None:
    browser = page.context.browser
    assert browser is not None
    lawyer_context = browser.new_context()
    try:
        _flow(page, lawyer_context.new_page(), live_platform)
    finally:
        lawyer_context.close()


def _flow(bureau: Page, lawyer: Page, base_url: str) -> None:
    log_in_staff(bureau, base_url, "demo-supervisor-district")
    bureau.goto(f"{base_url}/console/lawyers/activities")
    bureau.locator("#kind").select_option(label="公益代理案件")
    bureau.locator("#title").fill(TITLE)
    bureau.locator("#held_on").fill(_yesterday(bureau))
    bureau.locator("#place").fill("社区服务中心")
    bureau.locator("#activity-submit").click()
    expect(bureau.get_by_text(TITLE).first).to_be_visible()

    log_in_staff(lawyer, base_url, "demo-lawyer")
    lawyer.goto(f"{base_url}/console/lawyers/")
    before = lawyer.locator("#my-total").inner_text()
    name = lawyer.locator("#my-name").inner_text().strip()
    value = lawyer.locator("#activity_id option", has_text=TITLE).get_attribute("value")
    assert value
    lawyer.locator("#activity_id").select_option(value)
    lawyer.get_by_label("时长（小时）").fill("4")
    lawyer.locator("#log-submit").click()
    row = lawyer.locator("tr", has_text=TITLE)
    expect(row.locator(".hours-status")).to_have_text("待确认")
    # The same activity cannot be logged twice: it is no longer offered.
    expect(lawyer.locator("#activity_id option", has_text=TITLE)).to_have_count(0)

    bureau.goto(f"{base_url}/console/lawyers/activities")
    pending = bureau.locator(".confirm-row", has_text=TITLE).filter(has_text=name)
    pending.locator(".confirm-hours").click()
    expect(bureau.locator(".confirm-row", has_text=TITLE)).to_have_count(0)

    lawyer.reload()
    expect(lawyer.locator("tr", has_text=TITLE).locator(".hours-status")).to_have_text("已确认")
    assert lawyer.locator("#my-total").inner_text() != before

    bureau.goto(f"{base_url}/console/lawyers/board")
    mine = bureau.locator("#lawyer-hours tr", has_text=name)
    expect(mine).to_contain_text("12.0")  # the demo's 8 confirmed hours and these 4
    expect(mine).to_contain_text("50")
    district = bureau.locator("#district-hours tr", has_text="朝阳区")
    expect(district).to_contain_text("50")
    expect(district.locator("td").nth(2)).not_to_have_text("0")


def _yesterday(page: Page) -> str:
    return str(page.evaluate("new Date(Date.now() - 864e5).toISOString().slice(0, 10)"))
