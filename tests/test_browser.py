"""Every kind of map and the risk report, opened in a real headless Chromium.

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
import shutil
import time
from pathlib import Path

import pytest

from .conftest import require

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
#: URL schemes a page may load from: itself and inline data.
LOCAL = ("file:", "data:", "about:", "blob:", "chrome-error:")


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium with network and console logging, closed after the module."""
    require(bool(CHROMIUM and DRIVER), "headless Chromium not found (apt-get install chromium chromium-driver)")
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


KINDS = ("town", "person", "heat", "dual", "adversary")


@pytest.fixture(scope="module")
def pages(classroom, tmp_path_factory) -> dict[str, Path]:
    """Every kind of map, drawn on the classroom world and written as a page."""
    from lab.maps import adversary_map, heat_comparison, heat_map, person_map, town_map, write_map
    from lab.mitigations.coarsen import snap_to_grid

    w, folder = classroom, tmp_path_factory.mktemp("maps")
    cdr, gps = w.releases["cdr"], w.releases["gps"]
    person = w.keys.loc[w.keys["release"] == "cdr", "person_id"].iloc[0]
    maps = {
        "town": town_map(w.districts, w.places, towers=w.towers, cameras=w.cameras),
        "person": person_map(w, person),
        "heat": heat_map(gps, districts=w.districts),
        "dual": heat_comparison(gps, snap_to_grid(gps, cell_m=1000, origin=w.scenario.origin), districts=w.districts),
        "adversary": adversary_map(cdr, cdr["pseudonym"].iloc[0], districts=w.districts),
    }
    return {kind: write_map(m, folder / f"{kind}.html") for kind, m in maps.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_map_loads_offline_without_errors(browser, pages, kind):
    """Each kind of map asks for nothing beyond its own file and logs no JavaScript error."""
    requests, errors = _open(browser, pages[kind])
    assert requests and all(url.startswith(LOCAL) for url in requests), [u for u in requests if
                                                                         not u.startswith(LOCAL)]
    assert errors == []


@pytest.mark.parametrize("kind", KINDS)
def test_map_draws_its_layers_and_legend(browser, pages, kind):
    """Each kind of map holds layers, lists them in the layer control and shows its legend."""
    _open(browser, pages[kind])
    assert _leaflet_layers(browser) >= 2
    labels = [e.get_attribute("textContent").strip() for e in
              browser.find_elements("css selector", ".leaflet-control-layers-overlays label")]
    assert labels, "no layer in the layer control"
    assert browser.find_elements("css selector", ".lab-legend .lab-legend-entry")


def test_town_map_lists_districts_and_places(browser, pages):
    """The town map's control lists the districts, and its canvas holds the districts and places."""
    _open(browser, pages["town"])
    assert _leaflet_layers(browser) >= 10
    labels = [e.get_attribute("textContent").strip().lower() for e in
              browser.find_elements("css selector", ".leaflet-control-layers-overlays label")]
    assert any("district" in label for label in labels), labels


@pytest.mark.parametrize("kind", KINDS)
def test_map_screenshot_is_not_blank(browser, pages, kind):
    """A screenshot of each kind of map shows a drawing, not an empty page."""
    _open(browser, pages[kind])
    assert _painted_colours(browser.get_screenshot_as_png()) > 20


@pytest.fixture(scope="module")
def report_page(classroom, tmp_path_factory) -> Path:
    from lab.attacks.report import risk_report
    from lab.maps import heat_map
    from lab.report import report_html, write_report

    cdr = classroom.releases["cdr"]  # the page as `privacy-lab report` makes it: the release's heat map inside
    where = heat_map(cdr, districts=classroom.districts, name="cdr", origin=classroom.scenario.origin)
    report = risk_report(cdr, name="cdr", ps=(1, 2, 3, 4), rng=0)
    page = tmp_path_factory.mktemp("report") / "risk.html"
    return write_report(report_html(report, map_html=where.get_root().render()), page)


def test_report_loads_offline_with_its_figures_and_map(browser, report_page):
    """The risk report asks for nothing beyond itself, logs no error, shows its figures and draws its map."""
    browser.get_log("performance")
    browser.get_log("browser")
    browser.get(report_page.resolve().as_uri())
    assert len(browser.find_elements("css selector", ".figure svg")) >= 3
    frame = browser.find_element("css selector", "iframe")
    browser.execute_script("arguments[0].scrollIntoView();", frame)  # as a reader scrolls down to the map
    browser.switch_to.frame(frame)
    browser.find_element("css selector", ".leaflet-container")
    assert _leaflet_layers(browser) >= 3
    # Fitted to the town (a few km across), not the whole world. Headless Chromium sometimes runs the
    # script of a sandboxed frame before giving it a size, and Leaflet then fits to an empty box (the
    # zoom stays 1 until the frame is laid out): the zoom is checked on a map that has a size.
    view = ("var m = window[document.querySelector('.leaflet-container').id];"
            "return [m.getSize().x * m.getSize().y, m.getZoom()];")
    for _ in range(50):
        area, level = browser.execute_script(view)
        if level >= 8:
            break
        time.sleep(0.1)
    assert area == 0 or level >= 8
    browser.switch_to.default_content()
    requests = _requests(browser)
    assert all(url.startswith(LOCAL) for url in requests), [u for u in requests if not u.startswith(LOCAL)]
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert _painted_colours(browser.get_screenshot_as_png()) > 20
