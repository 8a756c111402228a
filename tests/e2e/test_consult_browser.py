"""Consultation in the browser: the seat screen suggests an article while the question is typed,
and a citizen asks on the "ask" page and opens a work order from the answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_intake_browser import log_in_citizen, log_in_staff

pytestmark = pytest.mark.e2e

QUESTION = "老板拖欠我三个月工资了，我想辞职，能要经济补偿吗？"


def test_seat_sees_suggested_articles_while_typing(page: Page, live_platform: str) -> None:
    # Haidian's seat: a TOTP code is good once, and other tests log in Chaoyang's.
    log_in_staff(page, live_platform, "demo-hotline-seat-haidian")
    page.get_by_role("link", name="受理登记", exact=True).click()
    expect(page.locator("#suggestions")).to_contain_text("输入诉求内容后")
    page.locator("#id_description").press_sequentially(QUESTION, delay=20)
    panel = page.locator("#suggestions")
    expect(panel.locator(".assist-articles li").first).to_be_visible(timeout=15_000)
    expect(panel).to_contain_text("劳动纠纷")
    expect(panel.locator(".assist-articles")).to_contain_text("《劳动合同法》")
    expect(panel.locator(".assist-entries li").first).to_be_visible()


def test_citizen_asks_and_opens_a_work_order_from_the_answer(
    page: Page, live_platform: str
) -> None:
    log_in_citizen(page, live_platform)
    page.get_by_role("link", name="问一问").click()
    page.get_by_label("您的问题").fill(QUESTION)
    page.get_by_role("button", name="查找答案").click()
    answers = page.get_by_test_id("answers")
    expect(answers.locator("article.answer").first).to_be_visible()
    expect(answers).to_contain_text("劳动合同法")

    page.get_by_role("link", name="提交诉求，请人工解答").click()
    expect(page.locator("h1")).to_have_text("提交诉求")
    expect(page.get_by_label("请说说您遇到的情况和想得到的帮助")).to_have_value(QUESTION)
    expect(page.get_by_label("问题属于哪一类？")).to_have_value("labour")
    # Haidian, so the intake test's Chaoyang queue stays as that test expects it.
    page.get_by_label("事情发生在哪个区（县）？").select_option(label="海淀区")
    page.get_by_role("button", name="提交诉求").click()
    expect(page.locator("#number-heading")).to_have_text("请记下您的工单编号")
    assert page.locator("#order-number").inner_text().strip().startswith("GF")
