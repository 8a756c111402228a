from __future__ import annotations

import time

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from fawang.core.demo import demo_totp_key

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "Fawang-demo-2026"


def current_code(username: str) -> str:
    return f"{totp(bytes.fromhex(demo_totp_key(username))):06d}"


# A staff member's session, kept after their first log-in in this run: a TOTP code is good once,
# so logging the same person in again within 30 s waits for the next code (tests/e2e reuse it).
staff_sessions: dict[str, dict] = {}


def remember_staff_session(page: Page, username: str) -> None:
    session = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    if session:
        staff_sessions[username] = dict(session[0])


def test_demo_seat_logs_in_with_totp_and_sees_the_console(page: Page, live_platform: str) -> None:
    page.goto(f"{live_platform}/console/")
    expect(page).to_have_url(f"{live_platform}/console/login?next=/console/")
    for _attempt in range(3):
        page.get_by_label("用户名").fill("demo-hotline-seat")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_label("动态口令").fill(current_code("demo-hotline-seat"))
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        if page.locator("#console-heading").count():
            break
        # A TOTP code is good once: another test may have used this step's code already.
        time.sleep(31 - time.time() % 30)
    expect(page.locator("#console-heading")).to_have_text("工作台")
    remember_staff_session(page, "demo-hotline-seat")
    expect(page.locator("main")).to_contain_text("热线坐席 · 朝阳区公共法律服务中心")
    page.get_by_role("link", name="机构").first.click()
    expect(page.locator("table")).to_contain_text("朝阳区")


def test_citizen_elder_mode_survives_a_reload(page: Page, live_platform: str) -> None:
    page.goto(f"{live_platform}/login")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#my-phone")).to_have_text("138****8000")
    if page.locator("#elder-toggle").inner_text().strip() == "标准模式":
        # Another browser test left this shared demo account in elder mode: start from standard.
        page.locator("#elder-toggle").click()
        expect(page.locator("#elder-toggle")).to_have_text("长辈模式")
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class("elder")
    page.reload()
    expect(page.locator("html")).to_have_class("elder")
    expect(page.locator("#elder-toggle")).to_have_text("标准模式")
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(font_size.rstrip("px")) >= 22
    # The choice is the account's: give the demo citizen back standard mode for the other tests.
    page.locator("#elder-toggle").click()
    expect(page.locator("#elder-toggle")).to_have_text("长辈模式")
