"""The service network in the browser: a citizen in elder mode picks legal aid and their village
and finds the nearest legal-aid point on the map (drawn from our own boundaries) and in the list,
with its position marked 估算位置 while the bureau has not imported coordinates."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_citizen_in_elder_mode_finds_the_nearest_legal_aid_point_on_the_map(
    page: Page, live_platform: str
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_platform) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_platform}/service-points/")
    page.locator("#elder-toggle").click()
    expect(page.locator("html")).to_have_class("elder")

    page.get_by_label("办理事项").select_option(label="法律援助")
    page.get_by_label("区县").select_option(label="朝阳区")
    expect(page.get_by_label("乡镇（街道）").locator("option")).not_to_have_count(1)
    page.get_by_label("乡镇（街道）").select_option(index=1)
    expect(page.get_by_label("村（社区）").locator("option")).not_to_have_count(1)
    page.get_by_label("村（社区）").select_option(index=1)

    nearest = page.locator(".finder-results li.nearest h3")
    expect(nearest).to_contain_text("最近")
    name = nearest.inner_text().replace("最近", "").strip()
    # The map is drawn and its nearest point is the list's first one.
    map_box = page.locator("#network-map")
    expect(map_box).to_have_attribute("data-ready", name)
    expect(map_box.locator("svg")).to_be_visible()
    expect(map_box.locator("svg text", has_text=f"最近：{name}")).to_have_count(1)
    expect(page.locator(".finder-results li.nearest")).to_contain_text("估算位置")
    expect(page.locator(".finder-results li.nearest")).to_contain_text("开放时间")
    assert outside == [], f"the page reached outside services: {outside}"
    page.screenshot(path="/tmp/network-e2e-elder.png", full_page=False)
