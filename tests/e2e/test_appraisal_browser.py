"""Judicial appraisal end to end in the browser: the demo appraiser records a court's
entrustment, accepts it with two appraisers licensed in the field, issues the opinion with its
case code; anyone verifies the code and sees nothing personal; the institution re-issues the
提取码 and the entrusting party downloads the PDF with it. And the city bureau confirms a
false-arbitration flag."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_intake_browser import log_in_staff

pytestmark = pytest.mark.e2e


def test_court_entrusts_accept_issue_coded_opinion_anyone_verifies(
    page: Page, live_platform: str
) -> None:
    browser = page.context.browser
    assert browser is not None
    staff_context = browser.new_context()
    try:
        _flow(staff_context.new_page(), page, live_platform)
    finally:
        staff_context.close()


def _flow(appraiser: Page, anyone: Page, base_url: str) -> None:
    log_in_staff(appraiser, base_url, "demo-appraiser")
    appraiser.goto(f"{base_url}/console/appraisal/")
    appraiser.locator("#new-entrustment").click()
    appraiser.get_by_label("委托人类别").select_option(label="人民法院")
    appraiser.get_by_label("委托人", exact=True).fill("北京市朝阳区人民法院")
    appraiser.get_by_label("委托人联系电话").fill("13912345678")
    appraiser.get_by_label("案件当事人（以逗号分隔）").fill("赵某某，钱某某")
    appraiser.get_by_label("委托鉴定事项").fill("对原告的伤残等级进行鉴定")
    appraiser.get_by_label("预估鉴定费（元）").fill("3500")
    appraiser.locator("#entrust-submit").click()
    expect(appraiser.locator("#entrustment-status")).to_have_text("待受理")

    # Only appraisers licensed in the field are offered; all of them (at least two) take it.
    boxes = appraiser.locator("#accept-form input[type=checkbox]")
    assert boxes.count() >= 2
    for n in range(boxes.count()):
        boxes.nth(n).check()
    appraiser.locator("#accept-submit").click()
    expect(appraiser.locator("#entrustment-status")).to_have_text("鉴定中")

    appraiser.get_by_label("鉴定意见").fill("被鉴定人的伤残等级为十级。")
    appraiser.locator("#issue-submit").click()
    expect(appraiser.locator("#entrustment-status")).to_have_text("已出具意见书")
    case_code = appraiser.locator(".case-code").first.inner_text().strip()
    check = appraiser.locator(".verification-code").first.inner_text().strip()
    assert case_code.startswith("JD110000")

    anyone.goto(f"{base_url}/appraisal/verify")
    anyone.get_by_label("查询验证码或案件赋码").fill(check)
    anyone.locator("#verify-submit").click()
    expect(anyone.locator("#verify-status")).to_have_text("有效")
    expect(anyone.locator("#verify-case-code")).to_have_text(case_code)
    expect(anyone.locator("#verify-signature")).to_contain_text("签名有效（SM2/SM3）")
    result = anyone.locator("#verify-result").inner_text()
    for personal in ("赵某某", "钱某某", "人民法院", "13912345678", "伤残"):
        assert personal not in result

    # The entrusting party lost the texted 提取码: the institution re-issues it (shown once).
    appraiser.locator(".reissue-code").first.click()
    code = appraiser.locator(".download-code").inner_text().strip()
    assert len(code) == 9
    # A wrong code is refused beside the field; the right one downloads the signed PDF.
    anyone.get_by_label("提取码").fill("AAAA-AAAA")
    anyone.locator("#download-submit").click()
    expect(anyone.locator("#download-error")).to_contain_text("提取码不正确")
    anyone.get_by_label("提取码").fill(code)
    with anyone.expect_download() as download:
        anyone.locator("#download-submit").click()
    assert download.value.suggested_filename == f"{case_code}.pdf"


def test_bureau_confirms_a_false_arbitration_flag(page: Page, live_platform: str) -> None:
    log_in_staff(page, live_platform, "demo-supervisor-city")
    page.goto(f"{live_platform}/console/arbitration/")
    row = page.locator(".flag-row").filter(has_text="同一申请人以相同请求针对多个被申请人").first
    case_number = row.locator("td").nth(1).inner_text().strip()
    row.get_by_label("复核意见").fill("同一出借人批量申请，请求一致，确认")
    row.locator(".confirm-flag").click()
    reviewed = page.locator("tr").filter(has_text=case_number).filter(has_text="确认为疑似虚假仲裁")
    expect(reviewed.first).to_be_visible()
