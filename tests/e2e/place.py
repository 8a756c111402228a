"""Choosing where the matter happened, as a person does on the district-then-township picker."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def pick_place(page: Page, district: str, township: str) -> None:
    """Choose the district, wait for its townships, choose the township.

    The picker's script reloads the townships when the district changes; until the page has
    finished loading that script may not be listening yet, and a choice made then only changes the
    select (a person would press 更新街道列表). Waiting for the load keeps the test from racing it.
    """
    page.wait_for_load_state("load")
    page.get_by_label("事情发生在哪个区（县）？").select_option(label=district)
    township_select = page.get_by_label("街道（乡镇）")
    expect(township_select.locator("option", has_text=township)).to_have_count(1)
    township_select.select_option(label=township)
