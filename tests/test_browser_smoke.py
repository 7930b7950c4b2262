"""The real browser opens the served home page and sees what is loaded."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser import screenshot


def test_home_page_in_a_real_browser(browser, served):
    browser.get(served + "/")
    assert "Social Value" in browser.title
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "Leeds City Council" in text
    assert screenshot(browser, "home").stat().st_size > 10_000
