"""A researcher's visit in a real headless Chromium against gunicorn: find, chart, follow, query, download."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser import screenshot

WAIT = 60


def wait(browser, condition, seconds: float = WAIT):
    return WebDriverWait(browser, seconds).until(condition)


def images_loaded(browser) -> bool:
    return browser.execute_script(
        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")


def downloads_to(browser, folder: Path) -> None:
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(folder), "eventsEnabled": True})


def downloaded(folder: Path, suffix: str, seconds: float = WAIT) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"nothing was downloaded into {folder}: {list(folder.iterdir())}")


@pytest.fixture
def plain_browser(browser):
    """The same browser with JavaScript switched off for the page, as some readers have it."""
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_researcher_finds_a_council_reads_its_dashboard_and_follows_a_supplier(browser, served):
    browser.get(served + "/")
    box = browser.find_element(By.ID, "home-q")
    box.send_keys("Calderdale")
    box.submit()
    wait(browser, EC.title_contains("Search"))
    browser.find_element(By.LINK_TEXT, "Calderdale Council").click()
    wait(browser, EC.title_contains("spend dashboard"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Calderdale Council"
    wait(browser, images_loaded)
    assert len(browser.find_elements(By.CSS_SELECTOR, "figure.chart img")) == 5
    screenshot(browser, "journey-dashboard")
    link = browser.find_element(By.CSS_SELECTOR, "#table-suppliers tbody td a")
    supplier = link.text
    link.click()
    wait(browser, EC.title_contains(supplier))
    page = browser.find_element(By.TAG_NAME, "body").text
    assert supplier in browser.find_element(By.TAG_NAME, "h1").text
    assert "Calderdale Council" in page  # the council that recorded it
    organisation = browser.find_elements(By.XPATH, "//tr[td/a[text()='sv:canonicalOrganisation']]//td[2]/a")
    if organisation:  # once suppliers are linked, the record leads to its canonical organisation
        organisation[0].click()
        wait(browser, EC.presence_of_element_located((By.TAG_NAME, "h1")))
        assert "/doc/organisation/" in browser.current_url
    screenshot(browser, "journey-supplier")


def test_researcher_runs_an_example_query_and_downloads_csv(browser, served, tmp_path):
    downloads_to(browser, tmp_path)
    browser.get(served + "/queries")
    example = browser.find_element(By.ID, "ex-suppliers-paid-by-several-councils")
    section = example.find_element(By.XPATH, "..")
    section.find_element(By.LINK_TEXT, "Run it").click()
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#result table tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#result table tbody tr")
    assert rows and "GB-COH-01243967" in browser.find_element(By.ID, "result").text
    screenshot(browser, "journey-query-result")
    browser.find_element(By.CSS_SELECTOR, "#result a[download]").click()
    table = list(csv.DictReader(io.StringIO(downloaded(tmp_path, ".csv").read_text(encoding="utf-8"))))
    # The page shows the first SHOW_ROWS rows; the download is the whole result (more once linked).
    from catalogue.web.query import SHOW_ROWS

    assert len(rows) == min(len(table), SHOW_ROWS)
    assert set(table[0]) == {"organisation", "name", "councils", "total", "lines"}


def test_the_query_form_works_with_javascript_off(plain_browser, served, tmp_path):
    browser = plain_browser
    downloads_to(browser, tmp_path)
    browser.get(served + "/query?example=spend-on-one-service-area")
    assert browser.find_element(By.ID, "query-form").is_displayed()
    browser.find_element(By.XPATH, "//button[text()='Run query']").click()
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "#result table tbody tr")))
    assert "Leeds City Council" in browser.find_element(By.ID, "result").text
    browser.find_element(By.XPATH, "//button[text()='Download result as CSV']").click()
    table = list(csv.DictReader(io.StringIO(downloaded(tmp_path, ".csv").read_text(encoding="utf-8"))))
    assert {"council", "councilName", "total"} <= set(table[0])


def test_yasgui_runs_the_example_on_our_endpoint(browser, served):
    from catalogue.commands.assets import installed

    assert installed(), "YASGUI is not installed: svcat demo installs it when npm is present (svcat assets)"
    browser.get(served + "/query?example=share-to-sme-and-vcse-by-council")
    wait(browser, lambda b: "yasgui-ready" in b.execute_script("return document.documentElement.className"))
    assert not browser.find_element(By.ID, "query-form").is_displayed()
    editor = browser.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "sv:spendByClass" in editor
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".yasr table tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    assert len(rows) == 10  # one per council
    screenshot(browser, "journey-yasgui")
