"""A real headless browser for page tests: Debian's Chromium driven by Selenium.

``.ci/run`` installs the Debian packages ``chromium`` and ``chromium-driver`` (their
versions always match, so Selenium never downloads a driver). Use the ``browser``
fixture from ``tests/conftest.py``; ``screenshot(browser, name)`` saves a PNG under
``bench/out/screenshots`` for a person to look at.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "bench" / "out" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

#: Flags for a root user on a machine with a closed network (no sandbox, no background
#: connections that the network would refuse).
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--window-size=1280,1000")


def start_browser():
    """A new headless Chromium with its own empty profile; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or CHROMIUM
    driver = shutil.which("chromedriver") or CHROMEDRIVER
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="svcat-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    browser = webdriver.Chrome(service=Service(driver), options=options)
    browser.set_page_load_timeout(60)
    browser.svcat_profile = profile
    return browser


def stop_browser(browser) -> None:
    try:
        browser.quit()
    finally:
        shutil.rmtree(getattr(browser, "svcat_profile", ""), ignore_errors=True)


def screenshot(browser, name: str) -> Path:
    """Save what the browser shows as ``bench/out/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path
