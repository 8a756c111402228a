"""Legal aid end to end in the browser: a citizen applies on the portal; the officer of
朝阳区法律援助中心 approves and assigns the demo lawyer; the lawyer records a milestone, uploads
the closing materials and closes; the district supervisor reviews the case's quality. And one
request, one status: 我的诉求 and 我的法律援助 say the same of an application at every step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.header import follow_header_link
from tests.e2e.place import pick_place
from tests.e2e.test_intake_browser import log_in_citizen, log_in_staff
from tests.factories import valid_id_number

pytestmark = pytest.mark.e2e

OFFICER = "demo-legal-aid-officer"
LAWYER = "demo-lawyer"
SUPERVISOR = "demo-supervisor-district"
PDF = b"%PDF-1.4\n% e2e\n"


def test_application_is_approved_assigned_handled_closed_and_reviewed(
    page: Page, live_platform: str
) -> None:
    browser = page.context.browser
    assert browser is not None
    contexts = [browser.new_context() for _ in range(4)]
    try:
        _journey(browser, [c.new_page() for c in contexts], live_platform)
    finally:
        for context in contexts:
            context.close()


def _journey(browser: Browser, pages: list[Page], base: str) -> None:
    citizen, officer, lawyer, supervisor = pages

    # The lawyer's name, as the officer will see it in the list of providers.
    log_in_staff(lawyer, base, LAWYER)
    lawyer_name = lawyer.locator(".who").inner_text().split("·")[0].strip()

    # The citizen applies, with the means-test answers and the honesty pledge.
    log_in_citizen(citizen, base)
    number = _apply(citizen, seq=808)

    # The officer approves it and assigns the demo lawyer.
    log_in_staff(officer, base, OFFICER)
    officer.goto(f"{base}/legal-aid/console/")
    officer.get_by_role("link", name=number).click()
    expect(officer.locator("#assessment")).to_contain_text("符合法律援助条件")
    officer.get_by_label("给予法律援助").check()
    officer.get_by_role("button", name="确定").click()
    expect(officer.locator("#case-status")).to_have_text("待指派")
    case_url = officer.url
    option = officer.locator("#id_assign-provider option", has_text=lawyer_name).first
    officer.locator("#id_assign-provider").select_option(option.get_attribute("value"))
    officer.get_by_role("button", name="指派", exact=True).click()
    expect(officer.locator("#case-status")).to_have_text("承办中")
    expect(officer.locator("#case-provider")).to_contain_text(lawyer_name)

    # The lawyer finds the case among theirs, records a milestone, uploads and closes.
    lawyer.goto(f"{base}/legal-aid/console/cases/")
    lawyer.get_by_role("link", name=case_url.rsplit("/", 1)[1]).click()
    lawyer.get_by_label("办案节点").select_option(label="会见受援人")
    lawyer.get_by_role("button", name="记录", exact=True).click()
    expect(lawyer.locator("#milestones")).to_contain_text("会见受援人")
    for label in ("结案报告", "裁判文书/调解书等法律文书"):
        lawyer.get_by_label("材料类别").select_option(label=label)
        lawyer.get_by_label("文件（PDF、JPG、PNG）").set_input_files(
            {"name": "material.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        lawyer.get_by_role("button", name="上传", exact=True).click()
        expect(lawyer.locator("#documents")).to_contain_text(label)
    lawyer.get_by_label("结案报告摘要").fill("经调解，用人单位支付全部拖欠工资。")
    lawyer.get_by_role("button", name="结案", exact=True).click()
    expect(lawyer.locator("#case-status")).to_have_text("已结案")

    # The district supervisor reviews the closed case.
    log_in_staff(supervisor, base, SUPERVISOR)
    supervisor.goto(case_url)
    supervisor.get_by_label("评估方式").select_option(label="同行评估")
    supervisor.get_by_label("评分（0—100）").fill("92")
    supervisor.get_by_role("button", name="提交评估").click()
    expect(supervisor.locator("#reviews")).to_contain_text("优秀")

    # The citizen sees the case closed.
    citizen.reload()
    expect(citizen.locator("#case-status")).to_have_text("已结案")


def _apply(citizen: Page, *, seq: int) -> str:
    """The logged-in citizen applies for legal aid about unpaid wages in 建外街道; the number."""
    follow_header_link(citizen, "申请法律援助")
    expect(citizen.locator("h1")).to_have_text("申请法律援助")
    pick_place(citizen, "朝阳区", "建外街道")
    citizen.get_by_label("申请法律援助的事项").select_option(
        label="请求确认劳动关系或者支付劳动报酬"
    )
    citizen.get_by_label("案情及申请理由").fill("在朝阳区一家餐馆打工，老板拖欠三个月工资。")
    citizen.get_by_label("申请人姓名").fill("张秀兰")
    citizen.get_by_label("身份证号码").fill(valid_id_number(seq=seq))
    citizen.get_by_label("家庭人口（人）").fill("3")
    citizen.get_by_label("家庭月收入合计（元）").fill("4500")
    citizen.get_by_label("家庭资产合计（元）").fill("0")
    citizen.get_by_label("诚信承诺").check()
    citizen.get_by_role("button", name="提交申请").click()
    number = citizen.locator("#application-number").inner_text().strip()
    assert number.startswith("FY")
    expect(citizen.locator("#application-status")).to_have_text("待审查")
    return number


def test_one_request_shows_one_status_under_my_requests_and_my_legal_aid(
    page: Page, live_platform: str
) -> None:
    """The work order of an application follows the application and its case: the citizen's two
    lists give the same status for it when it is submitted, approved and assigned."""
    browser = page.context.browser
    assert browser is not None
    citizen_context, officer_context = browser.new_context(), browser.new_context()
    try:
        citizen, officer = citizen_context.new_page(), officer_context.new_page()
        log_in_citizen(citizen, live_platform)
        number = _apply(citizen, seq=809)
        order = _order_of(citizen, number)
        _both_lists_say(citizen, number, order, "待审查")

        log_in_staff(officer, live_platform, OFFICER)
        officer.goto(f"{live_platform}/legal-aid/console/")
        officer.get_by_role("link", name=number).click()
        officer.get_by_label("给予法律援助").check()
        officer.get_by_role("button", name="确定").click()
        expect(officer.locator("#case-status")).to_have_text("待指派")
        _both_lists_say(citizen, number, order, "已批准 · 待指派")

        officer.get_by_role("button", name="指派", exact=True).click()  # by the rules
        expect(officer.locator("#case-status")).to_have_text("承办中")
        _both_lists_say(citizen, number, order, "已批准 · 承办中")
    finally:
        citizen_context.close()
        officer_context.close()


def _order_of(citizen: Page, number: str) -> str:
    """The work order under 我的诉求 whose page names the application."""
    follow_header_link(citizen, "我的诉求")
    expect(citizen.locator("h1")).to_have_text("我的诉求")
    rows = citizen.locator("tbody tr", has_text="法律援助申请")
    candidates = [row.get_by_role("link").first.inner_text().strip() for row in rows.all()]
    for order in candidates:
        citizen.get_by_role("link", name=order, exact=True).click()
        if citizen.locator("#order-case").inner_text().strip() == f"法律援助申请 {number}":
            return order
        citizen.go_back()
    pytest.fail(f"no request under 我的诉求 is application {number}")


def _status_in(citizen: Page, link: str, record: str) -> str:
    """The 状态 cell of the record's row in the citizen's list reached by the header link."""
    follow_header_link(citizen, link)
    row = citizen.locator("tbody tr").filter(
        has=citizen.get_by_role("link", name=record, exact=True)
    )
    expect(row).to_have_count(1)
    return row.locator("td").nth(3).inner_text().strip()


def _both_lists_say(citizen: Page, number: str, order: str, status: str) -> None:
    assert _status_in(citizen, "我的诉求", order) == status
    assert _status_in(citizen, "我的法律援助", number) == status
