"""Notarization end to end in the browser: the demo citizen reads the catalogue, applies for a
birth certificate with an item missing, gets the one notice, completes it, books the visit; the
demo notary accepts, records the visit, concludes, records the fee and issues the certificate;
anyone verifies it by its code and sees nothing personal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.header import follow_header_link
from tests.e2e.test_intake_browser import log_in_citizen, log_in_staff
from tests.factories import valid_id_number

pytestmark = pytest.mark.e2e

NOTARY = "demo-notary"
PDF = {"mimeType": "application/pdf", "buffer": b"%PDF-1.4 e2e"}


def _file(name: str) -> dict:
    return {"name": name, **PDF}


def test_apply_told_once_complete_book_issue_verify(page: Page, live_platform: str) -> None:
    browser = page.context.browser
    assert browser is not None
    citizen_context, notary_context = browser.new_context(), browser.new_context()
    try:
        _flow(citizen_context.new_page(), notary_context.new_page(), page, live_platform)
    finally:
        citizen_context.close()
        notary_context.close()


def _flow(citizen: Page, notary: Page, anyone: Page, base_url: str) -> None:
    # The catalogue and the materials list, then the application with one item only.
    log_in_citizen(citizen, base_url)
    follow_header_link(citizen, "办理公证")
    expect(citizen.locator("h1")).to_have_text("办理公证")
    citizen.get_by_role("link", name="出生公证").click()
    expect(citizen.locator("#materials-list")).to_contain_text("出生医学证明或户籍证明")
    citizen.locator("#apply-link").click()
    citizen.get_by_label("办理公证处").select_option(label="北京市朝阳公证处")
    citizen.get_by_label("公证书用途").fill("子女出国留学")
    citizen.get_by_label("身份证号码").fill(valid_id_number(birth="19800101", seq=321))
    citizen.get_by_label("材料：申请人身份证件").set_input_files(_file("id.pdf"))
    citizen.get_by_role("button", name="提交公证申请").click()

    # One notice lists everything missing.
    expect(citizen.locator("#matter-status")).to_have_text("待受理")
    notice = citizen.locator("#notice")
    expect(notice).to_contain_text("出生医学证明或户籍证明")
    expect(notice).to_contain_text("申请人近期免冠照片")
    code = citizen.locator("#matter-code").inner_text().strip()
    assert "GZ" in code

    # Complete the notice, book the visit.
    citizen.get_by_label("出生医学证明或户籍证明").set_input_files(_file("birth.pdf"))
    citizen.get_by_label("申请人近期免冠照片").set_input_files(_file("photo.pdf"))
    citizen.get_by_role("button", name="提交补充材料").click()
    expect(citizen.locator("#notice-done")).to_contain_text("已于")
    citizen.get_by_label("到场时段").select_option(index=1)
    citizen.get_by_role("button", name="预约", exact=True).click()
    expect(citizen.locator("#appointment")).to_be_visible()

    # The notary of 朝阳公证处 takes it to a certificate.
    log_in_staff(notary, base_url, NOTARY)
    notary.get_by_role("link", name="公证", exact=True).first.click()
    notary.get_by_role("link", name=code).click()
    expect(notary.locator("h1")).to_contain_text(code)
    notary.get_by_role("button", name="受理").click()
    expect(notary.locator("#matter-status")).to_have_text("审查中")
    notary.get_by_role("button", name="记录当事人到场").click()
    expect(notary.locator("#visit-count")).to_have_text("1")
    notary.get_by_role("button", name="审查完毕").click()
    expect(notary.locator("#matter-status")).to_have_text("待出证")
    notary.get_by_role("button", name="登记已缴费").click()
    notary.locator("#issue-button").click()
    expect(notary.locator("#matter-status")).to_have_text("已出证")

    # The citizen sees the code; anyone verifies it.
    citizen.reload()
    expect(citizen.locator("#matter-status")).to_have_text("已出证")
    verification = citizen.locator("#cert-code").inner_text().strip()
    anyone.goto(f"{base_url}/notary/verify")
    anyone.get_by_label("核验码").fill(verification)
    anyone.get_by_role("button", name="核验").click()
    expect(anyone.locator("#verify-status")).to_have_text("有效")
    expect(anyone.locator("#verify-matter")).to_have_text("出生公证")
    expect(anyone.locator("#verify-office")).to_have_text("北京市朝阳公证处")
    expect(anyone.locator("#verify-result")).not_to_contain_text("张秀兰")
