"""Following a header link as a person does: in the row when it is there, else under 更多 or 我的
(elder mode keeps fewer links in the row)."""

from __future__ import annotations

from playwright.sync_api import Page


def follow_header_link(page: Page, name: str) -> None:
    header = page.locator(".site-header .main-nav")
    link = header.get_by_role("link", name=name, exact=True)
    if not link.count():
        for menu in header.locator("details.nav-menu").all():
            menu.locator("summary").click()
            if link.count():
                break
            menu.locator("summary").click()
    link.first.click()
