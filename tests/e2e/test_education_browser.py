"""Legal education end to end in the browser: a citizen in elder mode finds a published typical
case by target group and topic and reads it (with the read-aloud button); the Chaoyang bureau's
reviewer publishes the 司法所's draft, and it appears on the public list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_foundation_browser import DEMO_PASSWORD
from tests.e2e.test_intake_browser import log_in_staff

pytestmark = pytest.mark.e2e


def test_citizen_in_elder_mode_finds_and_reads_a_typical_case(
    page: Page, live_platform: str
) -> None:
    page.goto(f"{live_platform}/login")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#my-phone")).to_have_text("138****8000")
    if "elder" not in (page.locator("html").get_attribute("class") or ""):
        page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class("elder")

    page.goto(f"{live_platform}/education/")
    page.get_by_label("面向群体").select_option(label="老年人")
    page.get_by_label("法律主题").select_option(label="消费权益")
    page.get_by_label("内容类别").select_option(label="典型案例")
    page.locator("#education-search").click()
    results = page.locator("#education-results .education-item")
    expect(results).to_have_count(1)
    results.get_by_role("link").click()
    expect(page.locator("#content-title")).to_contain_text("养老投资")
    expect(page.locator("#content-meta")).to_contain_text("典型案例")
    expect(page.locator("#content-meta")).to_contain_text("老年人")
    expect(page.locator("#content-body")).to_contain_text("以案释法")
    expect(page.locator("#content-statutes")).to_contain_text("《民法典》第148条")
    expect(page.locator("#read-content")).to_be_attached()
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(font_size.rstrip("px")) >= 22


def test_reviewer_publishes_an_authors_draft(page: Page, live_platform: str) -> None:
    title = "青少年防范校园欺凌普法微视频"
    page.goto(f"{live_platform}/education/?group=youth")
    expect(page.locator("#education-results")).not_to_contain_text(title)

    log_in_staff(page, live_platform, "demo-supervisor-district")
    page.goto(f"{live_platform}/console/education/")
    page.locator("#waiting-review").get_by_role("link", name=title).click()
    expect(page.locator("#content-status")).to_have_text("待审核")
    page.get_by_label("审核意见").fill("内容准确，同意发布")
    page.locator("#publish-content").click()
    expect(page.locator("#content-status")).to_have_text("已发布")
    expect(page.locator("#review-note")).to_have_text("内容准确，同意发布")

    page.locator("#public-link").click()
    expect(page.locator("#content-title")).to_have_text(title)
    expect(page.locator("#video-link")).to_be_visible()
    page.goto(f"{live_platform}/education/?group=youth")
    expect(page.locator("#education-results")).to_contain_text(title)
