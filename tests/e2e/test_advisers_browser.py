"""村(居)法律顾问 end to end in the browser: a villager finds the demo adviser's village and books
a video consultation; the adviser records the service in the ledger against the booking; the
villager rates it; the township justice office sees the rating in the quarter's evaluation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.test_intake_browser import log_in_citizen, log_in_staff

pytestmark = pytest.mark.e2e
TOPIC = "邻里噪音纠纷如何处理"


def test_villager_books_adviser_records_villager_rates_office_evaluates(
    page: Page, live_platform: str
) -> None:
    browser = page.context.browser
    assert browser is not None
    adviser_context, office_context = browser.new_context(), browser.new_context()
    try:
        _flow(page, adviser_context.new_page(), office_context.new_page(), live_platform)
    finally:
        adviser_context.close()
        office_context.close()


def _flow(villager: Page, adviser: Page, office: Page, base: str) -> None:
    log_in_staff(adviser, base, "demo-community-adviser")
    adviser.goto(f"{base}/console/advisers/")
    first = adviser.locator("#my-villages tbody tr").first
    village = first.locator("td").nth(0).inner_text().strip()
    township = first.locator("td").nth(1).inner_text().strip()

    log_in_citizen(villager, base)
    villager.goto(f"{base}/advisers/")
    villager.get_by_label("村（居）或社区名称").fill(village)
    villager.get_by_role("button", name="查找").click()
    villager.locator("#matches a").filter(has_text=township).filter(has_text=village).click()
    expect(villager.locator("#adviser-name")).to_be_visible()
    slot = timezone.localtime() + timedelta(days=1)
    villager.get_by_label("预约时段").fill(slot.strftime("%Y-%m-%dT10:00"))
    villager.get_by_label("咨询事项").fill(TOPIC)
    villager.get_by_label("服务方式").select_option(label="视频")
    villager.get_by_role("button", name="预约", exact=True).click()
    row = villager.locator("#my-bookings tr").filter(has_text=village).filter(has_text="已预约")
    expect(row.first).to_be_visible()

    adviser.goto(f"{base}/console/advisers/")
    adviser.locator("#bookings tr").filter(has_text=TOPIC).locator(".record-booking").click()
    adviser.get_by_label("服务项目").select_option(label="法律咨询解答")
    adviser.get_by_label("服务人数").fill("1")
    adviser.get_by_label("服务时长（分钟）").fill("40")
    adviser.get_by_label("服务方式").select_option(label="远程")
    adviser.get_by_label("服务内容").fill("视频解答噪音纠纷的处理途径")
    adviser.get_by_role("button", name="登记").click()
    expect(adviser.locator("#ledger tbody tr").first).to_contain_text("法律咨询解答")

    villager.goto(f"{base}/advisers/mine")
    done = villager.locator("#my-bookings tr").filter(has_text="已服务").first
    done.get_by_label("评分").select_option("5")
    done.get_by_label("意见").fill("解答清楚")
    done.get_by_role("button", name="评价").click()
    expect(villager.locator("#my-bookings")).to_contain_text("已评 5 分")

    log_in_staff(office, base, "demo-supervisor-township")
    office.goto(f"{base}/console/advisers/evaluation")
    evaluated = office.locator("#evaluation tbody tr").filter(has_text=village).first
    expect(evaluated).to_contain_text("100.0（1 条）")
