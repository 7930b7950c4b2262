"""A publisher in a real browser (headless Chromium): upload an invalid file, read the report,
follow a problem to its cell, fix the file, upload it again and see it listed."""

from __future__ import annotations


import pytest
import requests
from click.testing import CliRunner
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from catalogue.cli import cli
from catalogue.store.embedded import EmbeddedStore
from tests.browser import screenshot
from tests.conftest import BASE, DATA
from tests.servers import gunicorn

BAD = DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv"


@pytest.fixture(scope="module")
def publish_site(tmp_path_factory):
    """gunicorn on a fresh on-disk store that has one publishing token."""
    folder = tmp_path_factory.mktemp("publish")
    store = folder / "store"
    EmbeddedStore(str(store), mode="write").close()
    made = CliRunner().invoke(cli, ["--store", str(store), "token", "create", "leeds-transparency-officer",
                                      "--publisher", "E08000035"])
    token = made.stdout.strip().splitlines()[0]
    with gunicorn({"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE}, ready_path="/publish") as url:
        yield {"url": url, "token": token, "folder": folder, "store": store}


def fill_and_upload(browser, token: str, path) -> None:
    browser.find_element(By.ID, "token").send_keys(token)
    Select(browser.find_element(By.ID, "kind")).select_by_value("spend")
    publisher = browser.find_element(By.ID, "publisher")
    publisher.clear()
    publisher.send_keys("E08000035")
    browser.find_element(By.ID, "file").send_keys(str(path))
    previous = browser.find_elements(By.ID, "verdict")  # the last upload's report, when there was one
    browser.find_element(By.ID, "upload").click()
    if previous:  # wait for the new page, not the old report still on screen
        WebDriverWait(browser, 120).until(EC.staleness_of(previous[0]))
    WebDriverWait(browser, 120).until(EC.presence_of_element_located((By.ID, "verdict")))


def test_publisher_uploads_sees_the_report_fixes_and_publishes(browser, publish_site):
    site = publish_site
    upload = site["folder"] / "2013-12.csv"  # the name the council gives its December file
    upload.write_bytes(BAD.read_bytes())

    browser.get(site["url"] + "/publish")
    assert "Publish a council file" in browser.find_element(By.TAG_NAME, "h1").text
    fill_and_upload(browser, site["token"], upload)
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.get_attribute("data-outcome") == "refused" and "Nothing changed" in verdict.text
    issues = browser.find_element(By.ID, "issues").text
    for expected in ("Date paid", "31/02/2010", "Net amount", "TBC", "The amount is not a number."):
        assert expected in issues
    screenshot(browser, "publish-refused")

    browser.find_element(By.CSS_SELECTOR, "#issues a[href='#row-4-col-10']").click()
    assert browser.current_url.endswith("#row-4-col-10")
    cell = browser.find_element(By.ID, "row-4-col-10")
    assert cell.text == "TBC" and "bad" in cell.get_attribute("class")
    assert requests.get(site["url"] + "/", headers={"Accept": "application/json"}, timeout=30).json()["datasets"] == []

    fixed = upload.read_text(encoding="utf-8").replace("31/02/2010", "28/02/2010").replace(",TBC,", ",120.00,")
    upload.write_text(fixed.replace(",99.50,R,", ",99.50,R,PAPER WORLD LTD"), encoding="utf-8")
    fill_and_upload(browser, site["token"], upload)  # the form below the report
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.get_attribute("data-outcome") == "published", verdict.text
    screenshot(browser, "publish-published")

    browser.find_element(By.ID, "dataset-link").click()
    WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    assert "2013-12" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(site["url"] + "/")
    listed = browser.find_element(By.TAG_NAME, "body").text
    assert "Leeds City Council spend: 2013-12.csv" in listed
    screenshot(browser, "publish-listed")
