"""Every kind of map, opened in a real headless Chromium: offline, error-free, with its layers and legend.

The browser is Debian's ``chromium`` driven through ``chromedriver`` by Selenium,
both found on the system (never downloaded). Each page must load with no request
leaving the file itself, log no JavaScript error, hold the expected Leaflet
layers and legend in its DOM, and paint a screenshot that is not blank. On a
machine without Chromium these tests skip with the reason; under ``CI=true`` a
missing browser is a failure.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
#: URL schemes a page may load from: itself and inline data.
LOCAL = ("file:", "data:", "about:", "blob:", "chrome-error:")


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium with network and console logging, closed after the module."""
    if not (CHROMIUM and DRIVER):
        reason = "headless Chromium not found (apt-get install chromium chromium-driver)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}: under CI the browser tests must run")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,800"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _requests(driver) -> list[str]:
    """Every URL the page asked for since the last call (from the DevTools network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _open(driver, page: Path) -> tuple[list[str], list[str]]:
    """Load ``page``; return the requests it made and its console errors."""
    driver.get_log("performance")  # drop what earlier pages logged
    driver.get_log("browser")
    driver.get(page.resolve().as_uri())
    driver.implicitly_wait(5)
    driver.find_element("css selector", ".leaflet-container")
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return _requests(driver), errors


def _leaflet_layers(driver) -> int:
    """How many layers the page's Leaflet map holds (drawn on canvas, so counted through Leaflet itself)."""
    return driver.execute_script(
        "const m = window[document.querySelector('.leaflet-container').id];"
        "let n = 0; m.eachLayer(() => { n += 1; }); return n;")


def _painted_colours(png: bytes) -> int:
    """How many distinct colours a screenshot holds (a blank page has one)."""
    from PIL import Image

    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20) or [])


@pytest.fixture(scope="module")
def town_page(classroom, tmp_path_factory) -> Path:
    from lab.maps import town_map, write_map

    page = tmp_path_factory.mktemp("maps") / "town.html"
    write_map(town_map(classroom.districts, classroom.places, towers=classroom.towers, cameras=classroom.cameras),
              page)
    return page


def test_town_map_loads_offline_without_errors(browser, town_page):
    """The town map asks for nothing beyond its own file and logs no JavaScript error."""
    requests, errors = _open(browser, town_page)
    assert requests and all(url.startswith(LOCAL) for url in requests), [u for u in requests if
                                                                         not u.startswith(LOCAL)]
    assert errors == []


def test_town_map_draws_its_layers(browser, town_page):
    """The map holds its district and place layers, and the layer control lists them."""
    _open(browser, town_page)
    assert _leaflet_layers(browser) >= 10
    labels = [e.get_attribute("textContent").strip() for e in
              browser.find_elements("css selector", ".leaflet-control-layers-overlays label")]
    assert any("district" in label.lower() for label in labels), labels


def test_town_map_screenshot_is_not_blank(browser, town_page):
    """A screenshot of the town map shows a drawing, not an empty page."""
    _open(browser, town_page)
    assert _painted_colours(browser.get_screenshot_as_png()) > 20
