"""One request end to end in the browser: a citizen submits it on the portal, the demo seat of
Chaoyang claims it with "领取下一单" and replies, the citizen reads the reply and rates it.

The demo database routes Chaoyang's consultations to 朝阳区公共法律服务中心 and leaves that
centre's queue empty, so "领取下一单" hands out the order this test created."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.place import pick_place
from tests.e2e.test_foundation_browser import (
    DEMO_PASSWORD,
    current_code,
    remember_staff_session,
    staff_sessions,
)

pytestmark = pytest.mark.e2e

CITIZEN_PHONE = "13800138000"
SEAT = "demo-hotline-seat"
REPLY = "可先与用人单位协商；协商不成，可向劳动人事争议仲裁委员会申请仲裁，仲裁不收费。"


def log_in_citizen(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("手机号码").fill(CITIZEN_PHONE)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base_url}/me")


def log_in_staff(page: Page, base_url: str, username: str) -> None:
    """Log in (or go on with the session this run's earlier log-in left); when another test used
    this step's TOTP code, wait for the next."""
    if username in staff_sessions:
        page.context.add_cookies([staff_sessions[username]])
        page.goto(f"{base_url}/console/")
        if page.locator("#console-heading").count():
            return
    for _attempt in range(3):
        page.goto(f"{base_url}/console/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_label("动态口令").fill(current_code(username))
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        if page.locator("#console-heading").count():
            remember_staff_session(page, username)
            return
        time.sleep(31 - time.time() % 30)
    pytest.fail(f"{username} could not log in")


def test_citizen_request_is_claimed_answered_and_rated(page: Page, live_platform: str) -> None:
    browser = page.context.browser
    assert browser is not None
    citizen_context, seat_context = browser.new_context(), browser.new_context()
    try:
        _request_claimed_answered_and_rated(
            citizen_context.new_page(), seat_context.new_page(), live_platform
        )
    finally:
        citizen_context.close()
        seat_context.close()


def _request_claimed_answered_and_rated(citizen: Page, seat: Page, live_platform: str) -> None:
    # The citizen submits a request about a place in Chaoyang.
    log_in_citizen(citizen, live_platform)
    citizen.get_by_role("link", name="提交诉求").first.click()
    expect(citizen.locator("h1")).to_have_text("提交诉求")
    pick_place(citizen, "朝阳区", "建外街道")
    citizen.get_by_label("我有法律问题想问一问（法律咨询）").check()
    citizen.get_by_label("问题属于哪一类？").select_option(label="劳动纠纷")
    citizen.get_by_label("请说说您遇到的情况和想得到的帮助").fill(
        "我在朝阳区一家餐馆打工，老板拖欠了我三个月工资，一直说没钱，我该怎么办？"
    )
    citizen.get_by_role("button", name="提交诉求").click()
    expect(citizen.locator("#number-heading")).to_have_text("请记下您的工单编号")
    number = citizen.locator("#order-number").inner_text().strip()
    assert number.startswith("GF")

    # The seat of Chaoyang's centre takes the next order of the queue: this one.
    log_in_staff(seat, live_platform, SEAT)
    seat.locator("main").get_by_role("button", name="领取下一单").click()
    expect(seat.locator("h1")).to_contain_text(number)
    expect(seat.locator("#order-status")).to_have_text("办理中")
    expect(seat.locator("#requester-phone")).to_have_text("138****8000")
    seat.get_by_label("答复内容").fill(REPLY)
    seat.get_by_role("button", name="提交答复").click()
    expect(seat.locator("#order-status")).to_have_text("已答复")
    expect(seat.locator("#timeline")).to_contain_text("答复")

    # The citizen reads the reply and rates it five stars.
    citizen.goto(f"{live_platform}/requests/")
    citizen.get_by_role("link", name=number).click()
    expect(citizen.locator("#reply")).to_contain_text("劳动人事争议仲裁委员会")
    citizen.get_by_label("5星 非常满意").check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.locator("#rating-given")).to_contain_text("5 星")
    expect(citizen.locator("#order-status")).to_have_text("已办结")
    expect(citizen.get_by_role("button", name="提交评价")).to_have_count(0)
