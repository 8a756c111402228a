"""The bureau's view in the browser: the city supervisor opens the indicator dashboard, drills
into a district, and downloads that district's yearly report as a PDF."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.test_intake_browser import log_in_staff

pytestmark = pytest.mark.e2e

CITY_SUPERVISOR = "demo-supervisor-city"


def test_city_supervisor_drills_into_a_district_and_downloads_the_pdf(
    page: Page, live_platform: str
) -> None:
    log_in_staff(page, live_platform, CITY_SUPERVISOR)
    page.get_by_role("link", name="指标", exact=True).click()
    expect(page.locator("#board-title")).to_contain_text("北京市公共法律服务指标")
    expect(page.locator("#indicator-BJ-01")).to_be_visible()
    # The table shows before the chart script has loaded; a click before that draws nothing.
    page.wait_for_load_state("load")

    page.get_by_role("button", name="趋势与分区").first.click()
    expect(page.locator("#chart-panel svg").first).to_be_visible()

    page.locator("a.drill", has_text="朝阳区").click()
    expect(page.locator("#board-title")).to_contain_text("朝阳区公共法律服务指标")
    expect(page.locator("nav.breadcrumbs")).to_contain_text("北京市")

    with page.expect_download() as download_info:
        page.locator("#year-report-pdf").click()
    download = download_info.value
    year = timezone.localdate().year
    assert download.suggested_filename == f"indicators-110105000000-{year}.pdf"
    path = download.path()
    assert path is not None
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Elder mode keeps the dashboard usable: larger type, the same table.
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class("elder")
    expect(page.locator("#indicator-BJ-01")).to_be_visible()
