"""The seat's day in the browser (issue 13): a green-channel request is claimed before an older
one; the seat answers with the reference panel and the citation check beside the reply, then
closes the order; another order is closed as withdrawn. Elder mode shows the read-aloud control.

Both orders made here are claimed and closed, so the centre's queue is left as it was found."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.place import pick_place
from tests.e2e.test_intake_browser import SEAT, log_in_citizen, log_in_staff

pytestmark = pytest.mark.e2e

CITED_REPLY = "依据《劳动合同法》第三十八条，用人单位未及时足额支付劳动报酬的，您可以解除劳动合同。"


def _submit(citizen: Page, base_url: str, text: str, *, elderly: bool) -> str:
    citizen.goto(f"{base_url}/requests/new")
    pick_place(citizen, "朝阳区", "建外街道")
    citizen.get_by_label("我有法律问题想问一问（法律咨询）").check()
    citizen.get_by_label("问题属于哪一类？").select_option(label="劳动纠纷")
    citizen.get_by_label("请说说您遇到的情况和想得到的帮助").fill(text)
    if elderly:
        citizen.get_by_label("老年人").check()
    citizen.get_by_role("button", name="提交诉求").click()
    expect(citizen.locator("#number-heading")).to_have_text("请记下您的工单编号")
    return citizen.locator("#order-number").inner_text().strip()


def test_green_channel_first_then_answer_with_the_panel_and_close(
    page: Page, live_platform: str
) -> None:
    browser = page.context.browser
    assert browser is not None
    citizen_context, seat_context = browser.new_context(), browser.new_context()
    try:
        citizen, seat = citizen_context.new_page(), seat_context.new_page()
        log_in_citizen(citizen, live_platform)
        older = _submit(
            citizen, live_platform, "公司拖欠工资两个月，我想知道能不能辞职。", elderly=False
        )
        green = _submit(
            citizen,
            live_platform,
            "我今年七十岁，在工地看门，老板拖欠我三个月工资不给，我该怎么办？",
            elderly=True,
        )

        log_in_staff(seat, live_platform, SEAT)
        seat.locator("main").get_by_role("button", name="领取下一单").click()
        expect(seat.locator("h1")).to_contain_text(green)  # the newer, green-channel one first
        expect(seat.locator("h1")).to_contain_text("绿色通道")

        # The reference panel loads beside the reply box.
        panel = seat.locator("#reply-assist")
        expect(panel.locator("[data-testid=suggestions]")).to_be_visible()
        expect(panel).to_contain_text("相关法条")
        seat.get_by_label("答复内容").fill(CITED_REPLY)
        seat.get_by_role("button", name="核对答复中的法条引用").click()
        expect(seat.locator("#citation-result")).to_contain_text("共 1 处引用，其中 0 处需要注意")
        seat.get_by_role("button", name="提交答复").click()
        expect(seat.locator("#order-status")).to_have_text("已答复")

        # The seat closes it: the requester confirmed on the phone.
        seat.get_by_label("办结理由").select_option(label="群众已确认问题解决")
        seat.get_by_label("办结说明").fill("回电确认已解决")
        seat.get_by_role("button", name="办结", exact=True).click()
        expect(seat.locator("#order-status")).to_have_text("已办结")
        expect(seat.locator("#timeline")).to_contain_text("回电确认已解决")

        # Next comes the older one; the requester withdrew it.
        seat.get_by_role("navigation").get_by_role("button", name="领取下一单").click()
        expect(seat.locator("h1")).to_contain_text(older)
        seat.get_by_label("办结理由").select_option(label="群众撤回诉求")
        seat.get_by_label("办结说明").fill("申请人来电撤回")
        seat.get_by_role("button", name="办结", exact=True).click()
        expect(seat.locator("#order-status")).to_have_text("已办结")
    finally:
        citizen_context.close()
        seat_context.close()


def test_elder_mode_shows_the_read_aloud_control(page: Page, live_platform: str) -> None:
    page.goto(f"{live_platform}/")
    expect(page.locator("#read-aloud")).to_have_count(0)
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class("elder")
    control = page.locator("#read-aloud")
    expect(control).to_have_count(1)
    has_speech = page.evaluate("() => 'speechSynthesis' in window")
    if has_speech:
        expect(control).to_be_visible()
        control.click()  # speaks, or silently does nothing without a voice: no page error
        page.locator("#read-aloud").click()
        expect(control).to_have_attribute("aria-pressed", "false")
    else:
        expect(control).to_be_hidden()


def test_the_long_institution_picker_is_searchable(page: Page, live_platform: str) -> None:
    """The dispatch rule's institution list (hundreds of options) filters as one types."""
    log_in_staff(page, live_platform, "demo-supervisor-district")
    page.goto(f"{live_platform}/console/dispatch-rules/")
    control = page.locator(".ts-wrapper .ts-control").first
    expect(control).to_be_visible()
    control.click()
    page.keyboard.type("法律援助中心")
    options = page.locator(".ts-dropdown .option:visible")
    expect(options.first).to_contain_text("法律援助中心")
    count = options.count()
    assert 0 < count < page.locator("select[data-searchable] option").count()


def test_the_header_nav_keeps_to_one_row_at_1280_px(page: Page, live_platform: str) -> None:
    """Issue 13 item 5: the supervisor's header (the longest navigation) does not wrap at 1280 px,
    in standard or elder mode."""
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_staff(page, live_platform, "demo-supervisor-district")
    for _mode in ("standard", "elder"):
        spread = page.evaluate(
            """() => {
                const box = (node) => node.getBoundingClientRect();
                const items = [...document.querySelectorAll('.site-header .main-nav > *')];
                const tops = items.map((node) => box(node).top);
                const brand = box(document.querySelector('.site-header .brand'));
                const nav = box(document.querySelector('.site-header .main-nav'));
                return {
                    items: items.length,
                    nav: Math.max(...tops) - Math.min(...tops),
                    lowest: Math.min(...items.map((node) => box(node).height)),
                    beside: Math.abs((nav.top + nav.bottom) / 2 - (brand.top + brand.bottom) / 2),
                };
            }"""
        )
        assert spread["items"] > 5
        assert spread["nav"] < spread["lowest"], f"{_mode}: the navigation wraps {spread}"
        assert spread["beside"] < 24, f"{_mode}: the navigation sits below the brand {spread}"
        page.locator("#elder-toggle").click()
        page.wait_for_load_state()


def test_no_header_link_runs_under_the_preferences_on_a_narrower_screen(
    page: Page, live_platform: str
) -> None:
    """At 1000 px the citizen's navigation ran under 长辈模式 and the language picker, which
    covered 登录: it now wraps onto a second line between its links."""
    page.set_viewport_size({"width": 1000, "height": 700})
    page.goto(f"{live_platform}/")
    for mode in ("standard", "elder"):
        covered = page.evaluate(
            """() => {
                const prefs = document.querySelector('.site-header .preferences')
                    .getBoundingClientRect();
                return [...document.querySelectorAll('.site-header .main-nav a, .nav-menu summary')]
                    .filter((node) => node.offsetParent !== null)
                    .filter((node) => {
                        const b = node.getBoundingClientRect();
                        return b.right > prefs.left && b.left < prefs.right
                            && b.bottom > prefs.top && b.top < prefs.bottom;
                    })
                    .map((node) => node.textContent.trim());
            }"""
        )
        assert covered == [], f"{mode}: under the preferences: {covered}"
        page.get_by_role("link", name="登录", exact=True).first.click(trial=True)
        page.locator("#elder-toggle").click()
        page.wait_for_load_state()
