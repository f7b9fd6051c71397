"""End to end: ``streamlit run`` on a free port, driven by headless Debian Chromium with the network cut off.

Every request that does not go to the app itself is aborted, so the map must draw from the
app's own files. Expectations are computed from the layers the server reads (the fixture
layers, or ``ATLAS_BROWSER_DATA``), so the same tests run against the real data.
``ATLAS_SCREENSHOT_DIR`` sets where ``test_screenshots`` saves each view (``scripts/screenshot``
points it at ``docs/``).
"""

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit
from xml.etree import ElementTree

import pyogrio
import pytest
from appserver import start_app, stop
from playwright.sync_api import Browser, Frame, Page, expect, sync_playwright

from geo import assets
from geo.geojson import validate
from geo.layers import load_layers
from geo.mapview import in_view, placed
from geo.selection import Selection, filter_sites

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL = ("http://127.0.0.1", "data:", "blob:")
TIMEOUT_MS = 60_000


# --- The server and the browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(fixture_folder) -> Path:
    return Path(os.environ.get("ATLAS_BROWSER_DATA") or fixture_folder)


@pytest.fixture(scope="module")
def layers(data_dir):
    return load_layers(data_dir)


@pytest.fixture(scope="module")
def server(data_dir, tmp_path_factory):
    """Start ``streamlit run`` on a free port; poll its health endpoint; always stop it."""
    missing = [
        url for url in [*assets.JS.values(), *assets.CSS.values()] if not (ROOT / url.removeprefix("/app/")).exists()
    ]
    if missing:
        pytest.fail(f"the map's files are not vendored ({missing[0]}): run `python -m geo assets`")
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    process, url = start_app({"ATLAS_DATA_DIR": str(data_dir)}, log_path)
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Chromium is missing: `apt-get install chromium` (scripts/test installs it when missing)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Offline:
    """What a page did with the network cut off: aborted requests, failed local files, dialogs."""

    def __init__(self) -> None:
        self.aborted: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def phone(browser: Browser):
    """A 390×844 touch page that may only reach the app."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort())
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def offline(browser: Browser, request):
    """A page that may only reach the app; a screenshot goes to test-artifacts/ when the test fails."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    record = Offline()

    def route(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            record.aborted.append(route.request.url)
            route.abort()

    def dialog(box):
        record.dialogs.append(box.message)
        box.dismiss()

    context.route("**/*", route)
    page.on("dialog", dialog)
    page.on("response", lambda r: r.status >= 400 and record.failed.append(f"{r.status} {r.url}"))
    failures_before = request.session.testsfailed
    yield page, record
    if request.session.testsfailed > failures_before:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


MAP_IFRAME = 'iframe[title*="atlas_map"]'


def open_app(page: Page, url: str) -> Frame:
    """Open the app and wait until the map has drawn its regions and sites; return the map's frame."""
    page.goto(url)
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    page.wait_for_selector(MAP_IFRAME)
    # a path out of view is drawn as "M0 0" (a URL may open zoomed in)
    page.frame_locator(MAP_IFRAME).locator(".leaflet-overlay-pane path:not([d='M0 0'])").first.wait_for()
    frame = next(f for f in page.frames if "atlas_map" in f.url)
    frame.wait_for_function("() => window.atlas && window.atlas.ready")
    return frame


def shown_count(page: Page) -> tuple[int, int]:
    headline = page.get_by_role("heading", name=re.compile(r"^\d+ of \d+ sites?$"))
    shown, total = re.match(r"(\d+) of (\d+)", headline.inner_text()).groups()
    return int(shown), int(total)


def clustered_site_ids(frame: Frame) -> list[str]:
    """The site ids of every site the map shows, drawn or in a cluster."""
    return frame.evaluate("() => window.atlas.shownIds()")


# --- The tests -----------------------------------------------------------------------------------


def test_map_draws_regions_and_markers_with_no_network(offline, server, layers):
    page, record = offline
    frame = open_app(page, server)
    regions = frame.evaluate(
        "() => Object.values(window.atlasLeaflet._layers).filter(l => l instanceof L.Polygon && l.feature).length"
    )
    assert regions >= len(layers.regions)
    assert frame.locator(".leaflet-marker-icon").count() >= 1
    assert sorted(clustered_site_ids(frame)) == sorted(placed(layers.sites)["id"])
    assert shown_count(page) == (len(layers.sites), len(layers.sites))
    assert frame.locator(".atlas-legend").is_visible()
    assert record.failed == []
    assert record.aborted, "the test must really cut the network off"
    assert all(not re.search(r"\.(js|css)(\?|$)", url) for url in record.aborted), record.aborted


def test_region_url_shows_only_that_regions_sites(offline, server, layers):
    page, _ = offline
    frame = open_app(page, f"{server}/?region={quote('Karaganda Region')}")
    expected = filter_sites(layers.sites, Selection(region=("Karaganda Region",)))
    assert len(expected) > 0
    assert shown_count(page) == (len(expected), len(layers.sites))
    assert sorted(clustered_site_ids(frame)) == sorted(placed(expected)["id"])
    drawn = frame.locator("[data-site]").evaluate_all("els => els.map(e => e.dataset.site)")
    assert drawn and set(drawn) <= set(expected["id"])


def test_clicking_a_marker_opens_its_detail(offline, server, layers):
    page, _ = offline
    frame = open_app(page, f"{server}/?region={quote('Karaganda Region')}")
    marker = frame.locator("[data-site]").first
    site_id = marker.get_attribute("data-site")
    name = layers.sites.set_index("id").loc[site_id, "name"]
    marker.click()
    expect(page.locator(".atlas-detail h3")).to_have_text(name)
    expect(page.get_by_role("tab", name="Site detail")).to_have_attribute("aria-selected", "true")
    assert f"site={site_id}" in page.url


def test_geojson_download_is_valid_and_matches_the_headline(offline, server):
    page, _ = offline
    open_app(page, f"{server}/?region={quote('Karaganda Region')}")
    shown, _ = shown_count(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Shown sites · GeoJSON").click()
    collection = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert validate(collection) == []
    assert len(collection["features"]) == shown
    assert {f["properties"]["region"] for f in collection["features"]} == {"Karaganda Region"}
    assert download.value.suggested_filename == "kz-sites_region-karaganda-region.geojson"


def test_hostile_names_show_as_text(offline, server, layers):
    page, record = offline
    hostile = layers.sites[layers.sites["name"].str.contains("<")]
    if hostile.empty:
        pytest.skip("these layers hold no site with markup in its name")
    site = hostile.iloc[0]
    frame = open_app(page, f"{server}/?site={quote(site['id'])}")
    expect(page.locator(".atlas-detail h3")).to_have_text(site["name"])
    marker = frame.locator(f'[data-site="{site["id"]}"]')
    if marker.count():
        marker.hover()
        # the marker's tooltip opens above it; a region's tooltip may open too, beside the pointer
        expect(frame.locator(".leaflet-tooltip-top")).to_contain_text(site["name"])
        assert frame.locator(".leaflet-tooltip img").count() == 0
    assert page.locator(".atlas-detail img, .atlas-detail script").count() == 0
    assert record.dialogs == [], "a script from the data ran"


def test_screenshots(offline, server):
    """Save each view for the README (``ATLAS_SCREENSHOT_DIR``, default test-artifacts/screenshots)."""
    page, _ = offline
    out = Path(os.environ.get("ATLAS_SCREENSHOT_DIR") or ARTIFACTS / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    # offline, as the tests run: the basemap that needs no tiles (else the map says the tiles cannot load)
    views = {
        "screenshot.png": "/?basemap=none",
        "view-region.png": f"/?region={quote('Karaganda Region')}&basemap=none",
        "view-detail.png": "/?site=kuirektykol&basemap=none",
        "view-filter.png": "/?commodity=REE,W&kind=deposit&basemap=none",
        "view-open-data.png": "/?site=upper-kairakty&source=usgs,icmm&basemap=none",
        "view-search.png": f"/?q={quote('tungsten almaty')}&basemap=none",
    }
    for name, query in views.items():
        open_app(page, server + query)
        page.wait_for_timeout(1500)  # let tiles fail over and the cluster animation settle
        page.screenshot(path=out / name)
        assert (out / name).stat().st_size > 20_000


def test_markdown_in_the_url_is_shown_as_text_and_fetches_nothing(offline, server):
    """A link or an image written into a URL parameter must not become a live link or a request."""
    page, record = offline
    hostile = quote("[Verify login](https://evil.example/x),![x](https://evil.example/pixel.png)")
    open_app(page, f"{server}/?region={hostile}")
    notice = page.get_by_text("of unknown region in the URL", exact=False).first
    expect(notice).to_be_visible()
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="evil.example"]').count() == 0
    assert not [url for url in record.aborted if "evil.example" in url], "the page tried to fetch from the URL"


def search(page: Page, text: str) -> None:
    """Type a search and press Enter, then wait for the rerun to finish."""
    box = page.get_by_role("textbox", name=re.compile("^Search"))
    box.fill(text)
    box.press("Enter")
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


@pytest.mark.parametrize("query", ["tungsten", "W", "Куйректыколь", "Kuirektikol"])
def test_search_by_commodity_word_symbol_cyrillic_name_and_typo(offline, server, layers, query):
    page, _ = offline
    open_app(page, server)
    search(page, query)
    expected = filter_sites(layers.sites, Selection(q=query))
    assert len(expected) > 0
    expect(page.get_by_role("heading", name=f"{len(expected)} of {len(layers.sites)} sites")).to_be_visible()
    assert f"q={quote(query)}" in page.url or f"q={query}" in page.url


@pytest.mark.parametrize(
    ("label", "check"),
    [
        ("GeoJSON", lambda path: len(json.loads(path.read_text(encoding="utf-8"))["features"])),
        ("CSV", lambda path: len(path.read_text(encoding="utf-8-sig").strip().splitlines()) - 1),
        ("GeoPackage", lambda path: len(pyogrio.read_dataframe(path))),
        (
            "KML",
            lambda path: len(ElementTree.parse(path).getroot().findall(".//{http://www.opengis.net/kml/2.2}Placemark")),
        ),
    ],
)
def test_each_download_opens_and_holds_the_shown_sites(offline, server, label, check, tmp_path):
    page, _ = offline
    open_app(page, f"{server}/?region={quote('Karaganda Region')}")
    shown, _ = shown_count(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=f"Shown sites · {label}").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("kz-sites_region-karaganda-region.")
    assert check(path) == shown


def test_filters_and_detail_fit_a_phone(phone, server, layers):
    """At 390×844 the sidebar's filters open and fit the screen, and the detail wraps without sideways scrolling."""
    page = phone
    site = layers.sites.loc[layers.sites["info_source"].str.len().idxmax()]
    page.goto(f"{server}/?site={quote(site['id'])}")
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")
    detail = page.locator(".atlas-detail")
    detail.wait_for()
    detail.scroll_into_view_if_needed()
    box = detail.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1, box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    search_box = sidebar.get_by_role("textbox", name=re.compile("^Search"))
    expect(search_box).to_be_visible()
    page.wait_for_timeout(500)  # the sidebar slides in
    widgets = (
        search_box,
        sidebar.get_by_test_id("stMultiSelect").first,
        sidebar.get_by_role("group", name="Mentioned from"),
    )
    for widget in widgets:
        widget_box = widget.bounding_box()
        assert widget_box and widget_box["x"] >= 0 and widget_box["x"] + widget_box["width"] <= 390 + 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-filters.png")


def test_statistics_tables_fit_the_column(offline, server):
    """The per-region table wraps inside the statistics column: no sideways scrolling."""
    page, _ = offline
    open_app(page, server)
    table = page.get_by_test_id("stTable").first
    table.scroll_into_view_if_needed()
    overflow = table.evaluate("el => [...el.querySelectorAll('*')].map(e => e.scrollWidth - e.clientWidth)")
    assert max(overflow) <= 1, "a table scrolls sideways"
    column = page.get_by_role("tabpanel").first.bounding_box()
    box = table.bounding_box()
    assert box["x"] + box["width"] <= column["x"] + column["width"] + 1
    page.get_by_text(re.compile(r"^National figures \(\d+\)")).click()
    expect(page.get_by_text("figures differ").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.get_by_role("tabpanel").first.screenshot(path=ARTIFACTS / "statistics.png")


def test_a_page_load_runs_the_script_once_and_fetches_the_payload_once_gzipped(offline, server):
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    page, record = offline
    runs, payloads = [], []

    def frame(payload) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg()
            message.ParseFromString(payload)
            runs.append(message.WhichOneof("type") == "new_session")

    page.on("websocket", lambda socket: socket.on("framereceived", frame))
    page.on("request", lambda r: "sites.bin" in r.url and payloads.append(r.url))
    open_app(page, server)
    page.wait_for_timeout(2000)  # a second run (the map's first event, a rerun on load) would come now
    assert sum(runs) == 1
    assert len(payloads) == 1 and payloads[0].endswith(".sites.bin.gz") and "/app/static/atlas/" in payloads[0]
    assert not record.failed


# --- The map keeps its place: the view in the URL, Back, tiles that fail ----------------------------


def idle(page: Page) -> None:
    """Wait for a script run the last action started (if any) to finish."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-test-script-state="notRunning"]', state="attached")


def url_params(page: Page) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}


def map_view(frame: Frame) -> dict:
    """The map's centre (4 decimals, as the URL writes it), zoom and basemap's tile URL."""
    return frame.evaluate(
        """() => { const m = window.atlasLeaflet, c = m.getCenter();
            const tiles = Object.values(m._layers).filter(l => l instanceof L.TileLayer).map(l => l._url);
            return {center: c.lat.toFixed(4) + ',' + c.lng.toFixed(4), zoom: m.getZoom(), tiles: tiles}; }"""
    )


def drag(page: Page, frame: Frame) -> None:
    """Drag the map by 150 × 100 px from near its top left corner (off the markers), pausing before the
    release so that Leaflet adds no inertia (one pan, one move)."""
    box = frame.locator(".leaflet-container").bounding_box()  # in the page's coordinates
    free = frame.evaluate(
        """() => { const r = document.querySelector('.leaflet-container').getBoundingClientRect();
            for (let y = 80; y < r.height / 2; y += 20) { for (let x = 80; x < r.width / 2; x += 20) {
                const e = document.elementFromPoint(x, y);
                if (!e.closest('.leaflet-marker-icon, .leaflet-control, .atlas-notice')) { return [x, y]; } } }
            return null; }"""
    )
    assert free, "no free spot on the map to drag from"
    x, y = box["x"] + free[0], box["y"] + free[1]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 150, y + 100, steps=10)
    page.wait_for_timeout(150)
    page.mouse.up()


def same_view(a: dict, b: dict) -> bool:
    """Whether two views are one: the same zoom and basemap, centres within two pixels.

    Leaflet keeps its panes on whole pixels, so a view restored after a drag may sit a pixel off.
    """
    pixel = 360 / (256 * 2 ** a["zoom"])
    centres = [[float(part) for part in view["center"].split(",")] for view in (a, b)]
    near = all(abs(x - y) <= 2 * pixel for x, y in zip(*centres, strict=True))
    return a["zoom"] == b["zoom"] and a["tiles"] == b["tiles"] and near


def zoom_in(page: Page, frame: Frame) -> None:
    """Zoom in with the map's + button (as a user would); wait until the zoom has ended and is in the URL."""
    zoom = map_view(frame)["zoom"]
    frame.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function("z => window.atlasLeaflet.getZoom() > z && !window.atlasLeaflet._animatingZoom", arg=zoom)
    zoomed = str(map_view(frame)["zoom"])
    page.wait_for_function("z => new URLSearchParams(location.search).get('zoom') === z", arg=zoomed)


def test_failing_tiles_say_so_and_offer_no_tiles(offline, server):
    page, _ = offline
    frame = open_app(page, server)
    notice = frame.locator(".atlas-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("OpenStreetMap tiles cannot be loaded")
    assert map_view(frame)["tiles"][0].startswith("https://tile.openstreetmap.org"), "no silent snap back"
    notice.get_by_role("button", name="No tiles").click()
    expect(notice).to_be_hidden()
    assert all(url.startswith("data:") for url in map_view(frame)["tiles"])
    page.wait_for_function("() => new URLSearchParams(location.search).get('basemap') === 'none'")


def map_bounds(frame: Frame) -> tuple[float, float, float, float]:
    """The map's view as (west, south, east, north)."""
    script = """() => { const b = window.atlasLeaflet.getBounds();
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"""
    return tuple(frame.evaluate(script))


@pytest.mark.parametrize("query", ["/", "/?basemap=none"])
def test_the_map_opens_on_every_shown_site_whether_or_not_the_url_names_a_basemap(offline, server, layers, query):
    """A fit made before the frame has its height zooms all the way in: the map must wait for it."""
    page, _ = offline
    frame = open_app(page, server + query)
    west, south, east, north = map_bounds(frame)
    points = placed(layers.sites).geometry
    assert west <= points.x.min() and points.x.max() <= east and south <= points.y.min() and points.y.max() <= north


def test_a_site_in_the_url_opens_in_view_and_not_zoomed_all_the_way_in(offline, server, layers):
    page, _ = offline
    site = placed(layers.sites).iloc[0]
    frame = open_app(page, f"{server}/?site={quote(site['id'])}&basemap=none")
    west, south, east, north = map_bounds(frame)
    assert west < site.geometry.x < east and south < site.geometry.y < north
    assert map_view(frame)["zoom"] < 18


def test_the_view_is_in_the_url_and_a_filter_change_keeps_zoom_and_basemap(offline, server, layers):
    page, _ = offline
    frame = open_app(page, server)
    frame.locator(".atlas-notice").get_by_role("button", name="No tiles").click()
    zoom_in(page, frame)
    zoom_in(page, frame)
    before = map_view(frame)
    params = url_params(page)
    assert params["zoom"] == str(before["zoom"]).removesuffix(".0") and params["center"] == before["center"]
    assert params["basemap"] == "none"
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").nth(2).click()  # the Kind filter
    page.get_by_role("option", name=re.compile("^Plant")).click()
    page.keyboard.press("Escape")
    idle(page)
    expected = filter_sites(layers.sites, Selection(kind=("plant",)))
    expect(page.get_by_role("heading", name=f"{len(expected)} of {len(layers.sites)} sites")).to_be_visible()
    assert map_view(frame) == before, "the filter change moved the map or changed its basemap"
    assert url_params(page) == {**params, "kind": "plant"}
    assert sorted(clustered_site_ids(frame)) == sorted(placed(expected)["id"])
    # a copied URL reopens that view
    copy = page.context.new_page()
    again = open_app(copy, page.url)
    assert map_view(again) == before
    copy.close()


def test_back_and_forward_step_through_views_and_filters(offline, server, layers):
    page, _ = offline
    frame = open_app(page, server)
    opening = map_view(frame)
    zoom_in(page, frame)
    first = map_view(frame)
    drag(page, frame)
    page.wait_for_function("c => new URLSearchParams(location.search).get('center') !== c", arg=first["center"])
    panned = map_view(frame)
    assert panned["zoom"] == first["zoom"] and panned["center"] != first["center"]
    search(page, "tungsten")
    assert url_params(page)["q"] == "tungsten"
    page.wait_for_function("c => new URLSearchParams(location.search).get('center') !== c", arg=panned["center"])
    found = map_view(frame)  # the map went to what the search found, in the same step
    assert found["center"] != panned["center"] and url_params(page)["center"] == found["center"]
    page.go_back()
    idle(page)
    assert "q" not in url_params(page) and page.get_by_role("textbox", name=re.compile("^Search")).input_value() == ""
    expect(page.get_by_role("heading", name=f"{len(layers.sites)} of {len(layers.sites)} sites")).to_be_visible()
    assert same_view(map_view(frame), panned)
    page.go_back()  # one pan was one entry
    idle(page)
    assert same_view(map_view(frame), first) and url_params(page)["center"] == first["center"]
    page.go_back()
    idle(page)
    assert same_view(map_view(frame), opening) and url_params(page) == {}
    page.go_forward()
    idle(page)
    assert same_view(map_view(frame), first) and url_params(page)["zoom"] == str(first["zoom"])


# --- Map and table --------------------------------------------------------------------------------


def click_row(page: Page, row: int) -> None:
    """Click the Kind cell of a row of the site table (not its checkbox)."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + 35 * (row + 1) + 17)
    idle(page)


def boxes_overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


def test_a_row_click_selects_the_site_pans_to_it_and_rings_its_marker(offline, server, layers):
    page, _ = offline
    frame = open_app(page, server)
    clustered = frame.evaluate(
        '() => window.atlas.shownIds().filter(id => !document.querySelector(`[data-site="${id}"]`))'
    )
    on_screen = list(layers.sites["id"])[:8]  # the table's first rows, in layer order
    row, site_id = next((n, site) for n, site in enumerate(on_screen) if site in clustered)
    site = layers.sites.set_index("id").loc[site_id]
    click_row(page, row)
    expect(page.locator(".atlas-detail h3")).to_have_text(site["name"])
    assert url_params(page)["site"] == site_id
    marker = frame.locator(f'.atlas-selected [data-site="{site_id}"]')
    expect(marker).to_be_visible()
    pin = marker.bounding_box()
    area = frame.locator(".leaflet-container").bounding_box()
    assert boxes_overlap(pin, area) and area["x"] <= pin["x"] and pin["x"] + pin["width"] <= area["x"] + area["width"]
    assert not boxes_overlap(pin, frame.locator(".atlas-legend").bounding_box()), "the legend covers the site"
    assert "center" in url_params(page), "the step to the site is in the URL"


def count_runs(page: Page) -> None:
    """Count every script run from now on (``window.runs``)."""
    page.evaluate(
        """() => { window.runs = 0; new MutationObserver(() => {
            if (document.querySelector('[data-test-script-state="running"]')) { window.runs += 1; } })
            .observe(document.body, {attributes: true, subtree: true,
                attributeFilter: ['data-test-script-state']}); }"""
    )


def test_only_sites_in_view_narrows_the_table_and_downloads_and_panning_reruns_only_then(offline, server, layers):
    page, _ = offline
    frame = open_app(page, server)
    count_runs(page)
    zoom_in(page, frame)
    page.wait_for_timeout(800)
    assert page.evaluate("window.runs") == 0, "moving the map reran the app"
    page.get_by_text("Only sites in the map's view").click()
    idle(page)
    frame.evaluate("() => window.atlasLeaflet.setView([48.5, 72.5], 6)")  # central Kazakhstan
    page.wait_for_timeout(600)
    idle(page)
    west, south, east, north = frame.evaluate(
        "() => { const b = window.atlasLeaflet.getBounds(); "
        "return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"
    )
    expected = in_view(layers.sites, (west, south, east, north))
    assert 0 < len(expected) < len(layers.sites)
    expect(page.get_by_text(f"{len(expected)} of them in the map's view")).to_be_visible()
    assert shown_count(page) == (len(layers.sites), len(layers.sites)), "the map itself is not narrowed"
    with page.expect_download() as download:
        page.get_by_role("button", name="Shown sites · GeoJSON").click()
    features = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["features"]
    assert sorted(f["properties"]["id"] for f in features) == sorted(expected["id"])
    assert download.value.suggested_filename == "kz-sites_all_in-view.geojson"


# --- Keyboard and screen readers -----------------------------------------------------------------


def test_keyboard_reaches_named_markers_and_enter_opens_or_zooms(offline, server, layers):
    page, _ = offline
    frame = open_app(page, server)
    frame.locator(".leaflet-container").focus()
    page.keyboard.press("Tab")
    first = frame.evaluate("() => document.activeElement.className")
    assert "leaflet-marker-icon" in first, f"the first tab stop after the map is {first}, not a marker"
    names = frame.locator(".leaflet-marker-icon").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert all(names), names
    assert any(re.fullmatch(r"cluster of \d+ sites: press Enter to zoom in", name) for name in names)
    kuirektykol = frame.locator('.leaflet-marker-icon[aria-label^="Kuirektykol, deposit, rare earth"]')
    zoom = map_view(frame)["zoom"]
    if not kuirektykol.count():
        frame.locator(".atlas-cluster").first.focus()
        page.keyboard.press("Enter")
        zoomed = "z => window.atlasLeaflet.getZoom() > z && !window.atlasLeaflet._animatingZoom"  # and redrawn
        frame.wait_for_function(zoomed, arg=zoom)
        assert "leaflet-marker-icon" in frame.evaluate("() => document.activeElement.className"), "focus was lost"
    site = frame.locator(".atlas-pin").first
    site.focus()
    site_id = site.locator("[data-site]").get_attribute("data-site")
    page.keyboard.press("Enter")
    idle(page)
    expect(page.locator(".atlas-detail h3")).to_have_text(layers.sites.set_index("id").loc[site_id, "name"])
    assert url_params(page)["site"] == site_id
    # The run redraws the markers (the site is now the selected one): the keyboard is still on it.
    assert frame.evaluate("() => document.activeElement.dataset.key") == f"site:{site_id}"


def test_a_view_past_the_antimeridian_draws_what_is_on_the_world(offline, server):
    page, _ = offline
    frame = open_app(page, server)
    frame.evaluate("() => window.atlasLeaflet.setView([48, 250], 5, {animate: false})")  # all of it east of 180°
    assert frame.locator(".leaflet-marker-icon").count() == 0
    frame.evaluate("() => window.atlasLeaflet.setView([48, 190], 3, {animate: false})")  # Kazakhstan still in it
    assert frame.locator(".leaflet-marker-icon").count() > 0


def test_the_cluster_enter_zooms(offline, server):
    page, _ = offline
    frame = open_app(page, server)
    zoom = map_view(frame)["zoom"]
    cluster = frame.locator(".atlas-cluster").first
    cluster.focus()
    page.keyboard.press("Enter")
    frame.wait_for_function("z => window.atlasLeaflet.getZoom() > z", arg=zoom)
    assert frame.evaluate("() => document.activeElement.getAttribute('aria-label')"), "focus left the markers"
    assert not frame.locator(".leaflet-overlay-pane path[tabindex='0']").count()


def test_on_a_phone_the_legend_starts_folded_and_a_tapped_marker_shows_its_detail(phone, server, layers):
    """At 390×844: the legend folded, the map leaves room below it, and a tapped marker's detail scrolls into view."""
    page = phone
    frame = open_app(page, server)
    assert frame.evaluate("() => document.querySelector('.atlas-legend details').open") is False
    legend = frame.locator(".atlas-legend").bounding_box()
    area = frame.locator(".leaflet-container").bounding_box()
    assert legend["width"] * legend["height"] < 0.1 * area["width"] * area["height"], "the legend covers the map"
    assert area["width"] <= 390 and area["height"] <= 0.62 * 844 + 1, area
    frame.locator(".atlas-legend summary").click()
    assert frame.evaluate("() => document.querySelector('.atlas-legend details').open") is True
    frame.locator(".atlas-legend summary").click()
    site_id = frame.evaluate(
        """() => [...document.querySelectorAll('.atlas-pin')].map(pin => {
            const r = pin.getBoundingClientRect();
            const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return top && top.closest('.atlas-pin') === pin ? pin.querySelector('[data-site]').dataset.site : null;
        }).find(Boolean)"""
    )  # a marker no other covers
    assert site_id, "no marker to tap"
    frame.locator(f'.atlas-pin:has([data-site="{site_id}"])').tap()
    idle(page)
    heading = page.locator(".atlas-detail h3")
    expect(heading).to_have_text(layers.sites.set_index("id").loc[site_id, "name"])
    expect(heading).to_be_in_viewport(ratio=1)
    header = page.get_by_test_id("stHeader").bounding_box()
    assert header["y"] + header["height"] <= heading.bounding_box()["y"], "the page's header covers the detail"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-detail.png")
