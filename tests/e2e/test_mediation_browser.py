"""People's mediation end to end in the browser: the demo citizen applies for mediation about a
neighbour dispute in 建外街道; the demo mediator (head of 建外街道人民调解委员会) takes it, records a
session and a written agreement; the citizen reads the agreement and opens the printable copy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.header import follow_header_link
from tests.e2e.test_intake_browser import log_in_citizen, log_in_staff

pytestmark = pytest.mark.e2e

MEDIATOR = "demo-mediator"
TERMS = "王先生于十五日内向申请人支付天花板修缮费六千元，双方就此纠纷再无争议。"


def test_citizen_applies_mediator_agrees_citizen_reads_agreement(
    page: Page, live_platform: str
) -> None:
    browser = page.context.browser
    assert browser is not None
    citizen_context, mediator_context = browser.new_context(), browser.new_context()
    try:
        _apply_mediate_and_read(
            citizen_context.new_page(), mediator_context.new_page(), live_platform
        )
    finally:
        citizen_context.close()
        mediator_context.close()


def _apply_mediate_and_read(citizen: Page, mediator: Page, base_url: str) -> None:
    # The citizen applies for mediation.
    log_in_citizen(citizen, base_url)
    follow_header_link(citizen, "我的调解")
    citizen.get_by_role("link", name="申请人民调解").click()
    expect(citizen.locator("h1")).to_have_text("申请人民调解")
    citizen.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    citizen.get_by_label("纠纷发生在哪个街道（乡镇）？").select_option(value="110105001000")
    citizen.get_by_label("纠纷经过").fill(
        "楼上王先生家装修时水管破裂，泡坏了我家客厅天花板，协商多次未果。"
    )
    citizen.get_by_label("您的请求").fill("赔偿修缮费用六千元。")
    citizen.get_by_label("对方姓名或名称").fill("王先生")
    citizen.get_by_role("button", name="提交调解申请").click()
    expect(citizen.locator("#dispute-status")).to_have_text("待指派")
    number = citizen.locator("#dispute-number").inner_text().strip()
    assert number.startswith("TJ")

    # The mediator of 建外街道 takes it, records a session and the agreement.
    log_in_staff(mediator, base_url, MEDIATOR)
    mediator.get_by_role("link", name="人民调解").first.click()
    mediator.get_by_role("link", name=number).click()
    expect(mediator.locator("h1")).to_contain_text(number)
    mediator.get_by_role("button", name="由我承办").click()
    expect(mediator.locator("#dispute-status")).to_have_text("已指派")
    session = mediator.locator("#session-form")
    session.get_by_label("调解地点").fill("建外街道人民调解室")
    session.get_by_label("到场人员").fill("申请人、王先生、调解员")
    session.get_by_label("调解记录").fill("双方陈述事实，经释法说理，王先生同意赔偿。")
    session.get_by_role("button", name="保存调解记录").click()
    expect(mediator.locator("#dispute-status")).to_have_text("调解中")
    agreement = mediator.locator("#agreement-form")
    agreement.get_by_label("协议形式").select_option(label="书面协议")
    agreement.get_by_label("争议事项").fill("修缮费用的数额与支付期限。")
    agreement.get_by_label("协议内容").fill(TERMS)
    agreement.get_by_label("履行方式").fill("银行转账")
    agreement.get_by_role("button", name="登记调解协议").click()
    expect(mediator.locator("#dispute-status")).to_have_text("调解成功")

    # The citizen sees the agreement and its printable copy.
    citizen.reload()
    expect(citizen.locator("#dispute-status")).to_have_text("调解成功")
    expect(citizen.locator("#agreement-terms")).to_contain_text(TERMS)
    citizen.locator("#agreement-link").click()
    expect(citizen.locator("#agreement-title")).to_have_text("人民调解协议书")
    expect(citizen.locator("body")).to_contain_text("建外街道人民调解委员会（印章）")
    expect(citizen.locator("body")).to_contain_text("履行期限")
