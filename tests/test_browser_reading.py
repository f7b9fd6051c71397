"""The "Read an article" view end to end: ``streamlit run`` on temporary seeds and layers, headless Chromium offline.

The server gets its own copy of the seeds and a layer folder built from them (``ATLAS_SEEDS_DIR``,
``ATLAS_DATA_DIR``), reads the committed curated data (``ATLAS_INPUTS_DIR``, never written) and no
open data (``ATLAS_OPEN_DATA=""``), so keeping an article changes only the temporary folders.
"""

import os
import shutil
from pathlib import Path

import pytest
import test_browser
from appserver import start_app, stop
from playwright.sync_api import Page, expect
from test_browser import ROOT

from geo.layers import load_layers
from geo.output import write_layers
from geo.pipeline import build

pytestmark = pytest.mark.browser
# The browser and the offline page of the other browser tests (Chromium with the network cut to the app).
browser, offline = test_browser.browser, test_browser.offline

# Written for this test: a registry site in another spelling, a new site placed by the words.
ARTICLE = """Tungsten find near Karkaraly

Drilling at the Verkhnee Kairakty deposit confirmed reserves of 30 million tons of ore.
A new tungsten deposit, Kyzyltas, lies 60 km north-west of Karkaraly in the Karaganda region.
Prices of concentrate rose by 12% in Kazakhstan this year.
"""


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Seeds copied from the repository and the layers built from them, both temporary."""
    root = tmp_path_factory.mktemp("reading")
    seeds, layers = root / "seeds", root / "layers"
    shutil.copytree(ROOT / "seeds", seeds)
    write_layers(build(seeds, ROOT / "data", None).files, layers)
    return seeds, layers


@pytest.fixture(scope="module")
def reading_server(folders, tmp_path_factory):
    """The app on the temporary folders; polled until healthy, always stopped."""
    seeds, layers = folders
    log_path = tmp_path_factory.mktemp("streamlit-reading") / "server.log"
    env = {
        "ATLAS_DATA_DIR": str(layers),
        "ATLAS_SEEDS_DIR": str(seeds),
        "ATLAS_INPUTS_DIR": str(ROOT / "data"),
        "ATLAS_OPEN_DATA": "",
    }
    process, url = start_app(env, log_path)
    try:
        yield url
    finally:
        stop(process)


def _idle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


def read(page: Page, url: str, text: str, date: str = "") -> None:
    """Open the reading view, paste ``text`` and read it."""
    page.goto(url)
    _idle(page)
    page.get_by_text("Read an article", exact=True).first.click()
    _idle(page)
    page.get_by_label("Article text").fill(text)
    if date:
        page.get_by_label("Date (YYYY-MM-DD)").fill(date)
    page.get_by_role("button", name="Read", exact=True).click()
    _idle(page)


def test_reading_an_article_shows_spans_sites_map_and_facts_and_keeping_it_rebuilds(offline, reading_server, folders):
    page, record = offline
    seeds, layers = folders
    read(page, reading_server, ARTICLE, date="2025-03-03")

    linked = page.locator('mark[data-type="site"]', has_text="Verkhnee Kairakty")
    expect(linked).to_have_attribute("title", "site: linked to Upper Kairakty (registry) by alias Verkhnee Kairakty")
    new = page.locator('mark[data-type="site"]', has_text="Kyzyltas")
    assert new.get_attribute("title").startswith("site: new site Kyzyltas (not in the atlas), placed at")
    assert new.get_attribute("aria-label") == new.get_attribute("title") and new.get_attribute("tabindex") == "0"
    clue = page.locator('mark[data-type="distance"]', has_text="60 km north-west of Karkaraly")
    expect(clue).to_have_attribute("title", "distance or bearing: distance 60 km, bearing north-west of Qarqaraly")
    assert page.locator('mark[data-type="figure"]', has_text="30 million tons").count() == 1
    assert page.locator('mark[data-type="commodity"]').count() >= 1
    clue.focus()  # keyboard focus reaches each span and carries its explanation
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("distance or bearing")

    frame = page.frame_locator("iframe").first
    frame.locator("path.reading-new").first.wait_for()
    found = frame.locator("#found li[data-status='new']")
    assert found.inner_text() == "Kyzyltas"
    lat, lon = float(found.get_attribute("data-lat")), float(found.get_attribute("data-lon"))
    radius = float(found.get_attribute("data-radius-km"))
    assert 49.5 < lat < 50.1 and 74.6 < lon < 75.2 and 10 < radius < 60  # ~60 km north-west of Karkaraly (49.41, 75.47)
    assert frame.locator("#found li[data-status='linked']").get_attribute("data-id") == "upper-kairakty"
    assert frame.locator("path.reading-radius").count() == 2  # the new site's radius and the linked site's
    assert frame.locator("path.reading-ring").count() == 1  # the 60 km ring around Karkaraly
    assert frame.locator("path.reading-town").count() == 1 and frame.locator("path.reading-bearing").count() == 1
    assert frame.locator("path.reading-region").count() == 1  # Karaganda Region, named

    facts = page.get_by_role("table", name="Facts the article would add")
    expect(facts).to_contain_text("reserves: 30 million tons")
    expect(facts).to_contain_text("Drilling at the Verkhnee Kairakty deposit confirmed reserves")
    unused = page.get_by_role("table", name="What the atlas could not use")
    expect(unused).to_contain_text("a figure in a sentence that names no site it could be about")
    assert record.failed == [] and record.dialogs == []

    before = set(os.listdir(seeds))
    page.get_by_role("button", name="Keep this article and rebuild the layers").click()
    _idle(page)
    expect(page.get_by_text("the layers were rebuilt", exact=False)).to_be_visible()
    (added,) = set(os.listdir(seeds)) - before
    assert (seeds / added).read_text(encoding="utf-8") == ARTICLE
    assert f"{added},1,,,2025-03-03," in (seeds / "metadata.csv").read_text(encoding="utf-8")
    sites = load_layers(layers).sites.set_index("id")
    assert sites.loc["x-kiziltas", "name"] == "Kyzyltas" and added in sites.loc["x-kiziltas", "sources"]
    expect(page.get_by_text("Kyzyltas (extracted)", exact=False)).to_be_visible()


def test_hostile_and_oversized_pastes_are_shown_as_text_or_refused(offline, reading_server, folders):
    page, record = offline
    seeds, _ = folders
    before = set(os.listdir(seeds))
    hostile = (
        'The <img src=x onerror="alert(1)"> Kyzyltas deposit lies 60 km north-west of Karkaraly. '
        "**bold** [login](https://evil.example/x) <script>alert(2)</script>"
    )
    read(page, reading_server, hostile)
    expect(page.locator(".atlas-reading")).to_contain_text('<img src=x onerror="alert(1)">')
    expect(page.locator(".atlas-reading")).to_contain_text("**bold** [login](https://evil.example/x)")
    assert page.locator('.atlas-reading img, a[href*="evil.example"]').count() == 0
    assert record.dialogs == [] and not [url for url in record.aborted if "evil.example" in url]

    read(page, reading_server, "x" * 2_000_000)
    expect(page.get_by_text("an article may have at most 1,000,000", exact=False)).to_be_visible()
    assert set(os.listdir(seeds)) == before


def test_reading_view_screenshot(offline, reading_server):
    """Save the view for the README (``ATLAS_SCREENSHOT_DIR``, as ``test_screenshots`` does)."""
    page, _ = offline
    out = Path(os.environ.get("ATLAS_SCREENSHOT_DIR") or ROOT / "test-artifacts" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    read(page, reading_server, ARTICLE, date="2025-03-03")
    page.frame_locator("iframe").first.locator("path.reading-new").first.wait_for()
    page.get_by_role("heading", name="What it reads").evaluate("heading => heading.scrollIntoView()")
    page.wait_for_timeout(800)
    page.screenshot(path=out / "view-read.png")
    assert (out / "view-read.png").stat().st_size > 20_000
