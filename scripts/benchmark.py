#!/usr/bin/env python3
"""Print how fast the atlas is at 1,000, 10,000 and 100,000 synthetic sites, beside two naive folium baselines.

Run from the checkout with the set-up environment: `.venv/bin/python scripts/benchmark.py`
(`--sizes 1000 10000`, `--bound 120`, `--no-browser`, `--pipeline` for the build timings).
Figures only, no assertions: speed is measured here, never asserted in tests.

The naive baseline is what a folium map of the sites costs done plainly (``scripts/naive.py``): one
``folium.Marker`` with a popup per site in a ``MarkerCluster``, rebuilt, rendered and sent on every
script run, and every download written from the frame when asked for. Its map is opened in the same
Chromium twice: as a bare page, and in a Streamlit app through ``st_folium``
(``scripts/baseline_app.py``), where a filter, a pan and a zoom are timed until each app has settled.
The baselines need ``pip install -r requirements-benchmark.txt`` (streamlit-folium, and
Leaflet.markercluster and jQuery from XStatic packages; else ``--markercluster`` and ``--jquery``
name folders of those files). Each baseline step is stopped after ``--bound`` seconds: a cell then
says it did not finish.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib
import importlib.util
import json
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import export  # noqa: E402
from geo.downloads import csv_of, geojson_of, geojson_pieces, gpkg_of, kml_of  # noqa: E402
from geo.facets import facet_counts, facet_values  # noqa: E402
from geo.layers import load_layers  # noqa: E402
from geo.mapview import display_regions, encode_mask, map_message, placed  # noqa: E402
from geo.payload import publish_map  # noqa: E402
from geo.pipeline import build  # noqa: E402
from geo.selection import Selection, filter_sites, filter_survey_areas  # noqa: E402
from geo.stats import region_summary, region_table  # noqa: E402
from geo.synth import synthesise  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
import appserver  # noqa: E402
from test_browser import CHROMIUM_ARGS  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from naive import naive_gpkg, naive_kml, naive_map  # noqa: E402

APP = ROOT / "streamlit_app.py"
FILTER = Selection(kind=("deposit", "mine"))
#: Page loads timed for "markers drawn", of the atlas and of the baseline: the median is shown.
LOADS = 3
#: A figure of a baseline step that was stopped at the bound.
UNFINISHED = float("inf")


def clock(action):
    """Run ``action`` once; return (seconds, result)."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _child(queue, action) -> None:
    queue.put(clock(action))


def bounded(action, bound: float):
    """``clock(action)`` in a forked child stopped after ``bound`` seconds: (UNFINISHED, None) then."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue, action))
    child.start()
    try:
        return queue.get(timeout=bound)
    except Exception:  # queue.Empty: the bound passed
        return UNFINISHED, None
    finally:
        child.kill()
        child.join()


def server_step(layers, selection: Selection, ids: pd.Index, values) -> dict:
    """What a script run computes for a selection in geo: filter, survey areas, facet counts, map message, tables."""
    shown = filter_sites(layers.sites, selection)
    areas = filter_survey_areas(layers.survey_areas, shown, layers.regions, selection)
    facet_counts(layers.sites, selection, values)
    region_table(shown, layers.regions, areas)
    region_summary(shown, layers.regions, areas)
    return map_message(shown, ids, layers.regions, layers.survey_areas.index.isin(areas.index))


# --- Server side ----------------------------------------------------------------------------------


def server_figures(folder: Path, bound: float) -> dict[str, tuple[float, float | None]]:
    """Load, a filter change, bytes per run and each export: (atlas, baseline) per measure."""
    load, layers = clock(lambda: load_layers(folder))
    regions = display_regions(layers.regions)
    with tempfile.TemporaryDirectory() as pages:
        publish, _ = clock(lambda: publish_map(layers.sites, regions, layers.survey_areas, Path(pages)))
    ids = pd.Index(placed(layers.sites)["id"])
    credits = layers.stats.get("credits", [])

    def pieces():
        return (
            geojson_pieces(folder, credits),
            export.csv_lines(layers.sites),
            export.gpkg_table(layers.sites),
            export.kml_placemarks(layers.sites),
            facet_values(layers.sites),
        )

    prepared, (geojson, rows, table, placemarks, values) = clock(pieces)
    change, message = clock(lambda: server_step(layers, FILTER, ids, values))
    naive_change, html = bounded(lambda: len(naive_map(filter_sites(layers.sites, FILTER))), bound)
    positions = np.arange(len(layers.sites))
    figures = {
        "load the layers, once per process, s": (load, None),
        "map page + payload, once per data version, s": (publish, None),
        "download pieces + facet pairs, once per data version, s": (prepared, None),
        "filter change in geo (filter, facets, tables, map message), s": (change, naive_change),
        "bytes sent to the map per script run": (len(json.dumps(message)), html if html else UNFINISHED),
    }
    exports = {
        "GeoJSON": (lambda: geojson_of(geojson, positions), lambda: export.sites_geojson(layers.sites, credits)),
        "CSV": (lambda: csv_of(rows, positions), lambda: export.sites_csv(layers.sites)),
        "GeoPackage": (lambda: gpkg_of(table, positions, credits), lambda: naive_gpkg(layers.sites, credits)),
        "KML": (lambda: kml_of(placemarks, positions, credits), lambda: naive_kml(layers.sites, credits)),
    }
    for label, (ours, naive) in exports.items():
        figures[f"export all sites, {label}, s"] = (clock(ours)[0], bounded(lambda n=naive: len(n()), bound)[0])
    figures["filter change, whole script (AppTest), s"] = (apptest_filter_change(folder), None)
    return figures


def apptest_filter_change(folder: Path) -> float:
    """One filter change through the whole app script (AppTest), the layers already held."""
    from streamlit.testing.v1 import AppTest

    os.environ["ATLAS_DATA_DIR"] = str(folder)
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.run()
    at.multiselect(key="kind").set_value(list(FILTER.kind))
    seconds, _ = clock(at.run)
    return seconds


# --- Browser ----------------------------------------------------------------------------------


def start_app(folder: Path, script: str = "streamlit_app.py", **env: str) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` ``script`` on a free port for the layers in ``folder``; wait (bounded) until it answers."""
    return appserver.start_app({"ATLAS_DATA_DIR": str(folder), **env}, script=script)


_PAN = """() => { const m = window.atlasLeaflet || Object.values(window).find(v => v instanceof L.Map);
    const t = performance.now(); m.panBy([300, 0], {animate: false}); return performance.now() - t; }"""
_ZOOM = """() => { const m = window.atlasLeaflet || Object.values(window).find(v => v instanceof L.Map);
    const t = performance.now(); m.setZoom(m.getZoom() + 1, {animate: false}); return performance.now() - t; }"""
#: The atlas map's view (centre and zoom), and setting it back.
_VIEW = """() => { const m = window.atlasLeaflet; return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }"""
_SET_VIEW = """(v) => window.atlasLeaflet.setView([v[0], v[1]], v[2], {animate: false})"""
#: A pause (ms) between the browser steps timed in one page.
SETTLE_MS = 300
#: In the atlas page: ms from the top page's navigation and from its load event to the markers first drawn in
#: the map's frame (read in the page, not by polling it from here, which would add up to the poll's interval).
_DRAWN = """(frameDrawn) => { const nav = performance.getEntriesByType('navigation')[0];
    return [frameDrawn - performance.timeOrigin, frameDrawn - (performance.timeOrigin + nav.loadEventEnd)]; }"""
#: Before a page's scripts run: when (ms since the epoch) a marker or cluster is first added (``benchmarkDrawn``)
#: and last added (``benchmarkMarked``), in a bare page (``*.html``) or, in an app's page, in each of its frames
#: (watched from their load event: a component draws only once it has loaded and been sent its arguments).
_MARKED = """(() => {
  const marker = (node) => node.classList && (node.classList.contains('leaflet-marker-icon')
      || Boolean(node.querySelector('.leaflet-marker-icon')));
  const watch = (win) => new win.MutationObserver((changes) => {
    if (!changes.some((change) => Array.from(change.addedNodes).some(marker))) { return; }
    win.benchmarkMarked = win.performance.timeOrigin + win.performance.now();
    win.benchmarkDrawn = win.benchmarkDrawn || win.benchmarkMarked;
  }).observe(win.document, {childList: true, subtree: true});
  if (location.pathname.endsWith('.html')) { watch(window); return; }
  if (window !== window.top) { return; }
  const frames = (node) => node.tagName === 'IFRAME' ? [node] : Array.from(node.querySelectorAll('iframe'));
  new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach((node) => {
    if (!node.querySelectorAll) { return; }
    frames(node).forEach((frame) => frame.addEventListener('load', () => watch(frame.contentWindow)));
  }))).observe(document, {childList: true, subtree: true});
})();"""
#: Seconds an app must stay quiet (no script run going or starting, no marker added) to be taken as settled.
QUIET = 2.0


def _heap_mb(page) -> float:
    """What the page's JS holds: its heap and its array buffers' bytes, after a garbage collection.

    The garbage is collected first, so that what is measured is what the page holds; array buffers
    count too (``backingStorageSize``), since the atlas keeps its sites in one.
    """
    session = page.context.new_cdp_session(page)
    session.send("HeapProfiler.enable")
    session.send("HeapProfiler.collectGarbage")
    usage = session.send("Runtime.getHeapUsage")
    return (usage["usedSize"] + usage["backingStorageSize"]) / 1e6


class ScriptRuns:
    """The script runs a page's Streamlit session makes, read from its WebSocket.

    Each run starts with a ``new_session`` message and ends with ``script_finished``; ``last`` is
    when (``time.time()``) the last of either came.
    """

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.reset()
        self.last = 0.0

        def frame(payload) -> None:
            if isinstance(payload, bytes):
                message = ForwardMsg()
                message.ParseFromString(payload)
                kind = message.WhichOneof("type")
                if kind in ("new_session", "script_finished"):
                    self.count += kind == "new_session"
                    self.finished += kind == "script_finished"
                    self.last = time.time()

        page.on("websocket", lambda socket: socket.on("framereceived", frame))

    def reset(self) -> None:
        """Count from zero again (before a page load whose runs are counted)."""
        self.count = self.finished = 0

    def settled(self, page, since: float, bound: float) -> float | None:
        """Wait until no run is going and none came for ``QUIET`` s, nor was a marker added: when it settled.

        The time (``time.time()``) of the last run's end or marker added after ``since``, or ``since`` if
        none came; None if it did not settle within ``bound`` seconds.
        """
        deadline = since + bound
        while time.time() < deadline:
            page.wait_for_timeout(50)
            last = max([self.last, *(_marked(frame) for frame in page.frames)])
            if self.count == self.finished and time.time() - max(last, since) >= QUIET:
                return max(last, since)
        return None


def _marked(frame) -> float:
    """When (``time.time()``) a marker was last added in ``frame`` (``_MARKED``), or 0."""
    try:
        return (frame.evaluate("() => window.benchmarkMarked || 0") or 0) / 1000
    except Exception:  # playwright's Error: a frame going away as the page changes
        return 0.0


def frame_named(page, name: str):
    """The page's frame whose URL has ``name``."""
    return next(frame for frame in page.frames if name in frame.url)


def open_atlas(page, url: str) -> tuple[float, float]:
    """Navigate to the atlas and wait until its map has drawn: (s from navigation, s from the page's load event)."""
    page.goto(url)
    page.wait_for_selector('iframe[title*="atlas_map"]')
    frame = frame_named(page, "atlas_map")
    frame.wait_for_function("() => window.atlas && window.atlas.ready", polling=50)
    frame_drawn = frame.evaluate("() => performance.timeOrigin + window.atlas.times.drawn")
    since_navigation, since_load = page.evaluate(_DRAWN, frame_drawn)
    return since_navigation / 1000, since_load / 1000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class NaivePages:
    """A local HTTP server (a thread) for the baseline's pages, with Leaflet and Leaflet.markercluster beside them."""

    def __init__(self, markercluster: Path, jquery: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="naive-"))
        shutil.copytree(ROOT / "static" / "vendor" / "leaflet", self.folder / "leaflet")
        shutil.copytree(markercluster, self.folder / "markercluster")
        shutil.copytree(jquery, self.folder / "jquery")
        handler = functools.partial(_Quiet, directory=str(self.folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def write(self, name: str, sites, bound: float) -> str | None:
        """Render the baseline map of ``sites`` (in a child, bounded) to a page; its URL, or None if unfinished."""
        path = self.folder / f"{name}.html"
        seconds, _ = bounded(lambda: path.write_text(naive_map(sites, ""), encoding="utf-8"), bound)
        return None if seconds == UNFINISHED else f"{self.url}{path.name}"

    @property
    def url(self) -> str:
        """The server's root URL, under which the pages, ``leaflet/``, ``markercluster/`` and ``jquery/`` are."""
        return f"http://127.0.0.1:{self.server.server_port}/"

    def close(self) -> None:
        """Stop the server and delete the pages."""
        self.server.shutdown()
        shutil.rmtree(self.folder, ignore_errors=True)


def open_naive(page, url: str | None, bound: float) -> float:
    """Navigate to a baseline page and wait for its first marker or cluster: seconds from navigation, or UNFINISHED.

    The page must have ``_MARKED`` as an init script.
    """
    if url is None:
        return UNFINISHED
    try:
        page.goto(url, wait_until="commit", timeout=bound * 1000)
        page.wait_for_function("() => window.benchmarkDrawn", polling=50, timeout=bound * 1000)
    except Exception:  # playwright's TimeoutError: not drawn within the bound
        return UNFINISHED
    return page.evaluate("() => window.benchmarkDrawn - performance.timeOrigin") / 1000


def pan_and_zoom(page, target) -> tuple[float, float]:
    """A pan of 300 px and a zoom in, each after a pause, timed inside ``target`` (the page or a frame): seconds."""
    page.wait_for_timeout(SETTLE_MS)
    pan = target.evaluate(_PAN) / 1000
    page.wait_for_timeout(SETTLE_MS)
    return pan, target.evaluate(_ZOOM) / 1000


def browser_figures(
    folder: Path, bound: float, naive_js: tuple[Path, Path] | None
) -> dict[str, tuple[float, float | None]]:
    """Markers drawn, script runs per load, a filter change, a pan, a zoom and the heap: (atlas, baseline)."""
    from playwright.sync_api import sync_playwright

    layers = load_layers(folder)
    ids = pd.Index(placed(layers.sites)["id"])
    message = map_message(
        filter_sites(layers.sites, FILTER), ids, layers.regions, np.ones(len(layers.survey_areas), dtype=bool)
    )
    process, url = start_app(folder)
    naive = NaivePages(*naive_js) if naive_js else None
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(600_000)
            runs = ScriptRuns(page)
            open_atlas(page, url)  # the first load makes the server hold the layers
            loads, counts = [], []
            for _ in range(LOADS):
                runs.reset()
                loads.append(open_atlas(page, url))
                page.wait_for_timeout(1500)  # a second run would come now
                counts.append(runs.count)
            drawn, since_load = (statistics.median(values) for values in zip(*loads, strict=True))
            frame = frame_named(page, "atlas_map")
            change = frame.evaluate(
                "(m) => { const t = performance.now(); window.atlas.apply(m); return performance.now() - t; }", message
            )
            # Each step waits a moment before the next, as a user would: the map draws what is around the
            # view after showing the view (atlas.times.around is how long that took).
            page.wait_for_timeout(SETTLE_MS)
            view = frame.evaluate(_VIEW)
            pan, zoom = pan_and_zoom(page, frame)
            page.wait_for_timeout(SETTLE_MS)
            ours = {
                "browser: markers drawn after navigation, s": drawn,
                "browser: markers drawn after the page's load event, s": since_load,
                "browser: script runs per page load": max(counts),
                "browser: filter change, s": change / 1000,
                "browser: pan 300 px, s": pan,
                "browser: zoom in, s": zoom,
                "browser: then drawing around the view, s": frame.evaluate("() => window.atlas.times.around") / 1000,
                "browser: JS heap and array buffers, MB": _heap_mb(page),
            }
            # The page's own cost of the same pan and zoom with no site shown: Leaflet redraws regions and tiles.
            frame.evaluate("(m) => window.atlas.apply(m)", dict(message, mask=encode_mask(np.zeros(len(ids), bool))))
            frame.evaluate(_SET_VIEW, view)
            floor = pan_and_zoom(page, frame)
            ours["browser: pan 300 px, no site shown, s"], ours["browser: zoom in, no site shown, s"] = floor
            context.close()
            theirs = dict.fromkeys(ours)
            ours_app = {
                "app: markers drawn after navigation, s": drawn,
                "app: script runs per page load": max(counts),
                **atlas_steps(browser, url, bound),
                "app: JS heap and array buffers, MB": ours["browser: JS heap and array buffers, MB"],
            }
            theirs_app = dict.fromkeys(ours_app)
            if naive:
                theirs |= naive_browser(browser, naive, layers, bound)
            if naive and importlib.util.find_spec("streamlit_folium"):
                theirs_app = dict.fromkeys(ours_app, UNFINISHED) | naive_app(browser, folder, naive, bound)
            elif naive:
                print("no streamlit-folium: the naive app is not measured", file=sys.stderr)
            browser.close()
    finally:
        appserver.stop(process, seconds=30)
        if naive:
            naive.close()
    pairs = {measure: (value, theirs[measure]) for measure, value in ours.items()}
    return pairs | {measure: (value, theirs_app[measure]) for measure, value in ours_app.items()}


def naive_browser(browser, naive: NaivePages, layers, bound: float) -> dict[str, float]:
    """The baseline's page in Chromium: drawn, a filter change (a new page of the filtered markers), pan, zoom, heap."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.add_init_script(_MARKED)
    url = naive.write("all", layers.sites, bound)
    drawn = open_naive(page, url, bound)  # a first load, as the atlas's, which the browser may cache from
    if drawn != UNFINISHED:
        drawn = statistics.median(open_naive(page, url, bound) for _ in range(LOADS))
    figures = {
        "browser: markers drawn after navigation, s": drawn,
        "browser: filter change, s": UNFINISHED,
        "browser: pan 300 px, s": UNFINISHED,
        "browser: zoom in, s": UNFINISHED,
        "browser: JS heap and array buffers, MB": UNFINISHED,
    }
    if drawn != UNFINISHED:
        figures["browser: pan 300 px, s"], figures["browser: zoom in, s"] = pan_and_zoom(page, page)
        figures["browser: JS heap and array buffers, MB"] = _heap_mb(page)
        filtered = naive.write("filtered", filter_sites(layers.sites, FILTER), bound)
        figures["browser: filter change, s"] = open_naive(page, filtered, bound)
    context.close()
    return figures


#: The Kind box of either app and the kind picked in it for the filter change timed to settled.
_KIND_BOX, _PICKED = "Kind", re.compile("^Mine")


def app_steps(page, name: str, runs: ScriptRuns, bound: float) -> dict[str, float]:
    """A filter change picked in the app's Kind box, a pan and a zoom: s from each until the app settled.

    The same steps and clock for the atlas and the naive app: each is timed from the action to the
    end of the last script run it caused or the last marker added, whichever is later. The map is in the
    frame whose URL has ``name`` (found again for each step: a component whose map changed is a new frame).
    """
    kinds = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(_KIND_BOX, exact=True))
    steps = {
        "filter change, picked to settled": lambda: (kinds.click(), page.get_by_role("option", name=_PICKED).click()),
        "pan 300 px, to settled": lambda: frame_named(page, name).evaluate(_PAN),
        "zoom in, to settled": lambda: frame_named(page, name).evaluate(_ZOOM),
    }
    figures = {}
    for label, act in steps.items():
        page.wait_for_timeout(SETTLE_MS)
        start = time.time()
        act()
        end = runs.settled(page, time.time(), bound)
        figures[f"app: {label}, s"] = UNFINISHED if end is None else end - start
    return figures


def atlas_steps(browser, url: str, bound: float) -> dict[str, float]:
    """``app_steps`` in the atlas, in a page of its own."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.add_init_script(_MARKED)
    runs = ScriptRuns(page)
    open_atlas(page, url)
    runs.settled(page, time.time(), bound)
    figures = app_steps(page, "atlas_map", runs, bound)
    context.close()
    return figures


def open_naive_app(page, url: str, runs: ScriptRuns, bound: float) -> tuple[float, int]:
    """Navigate to the naive app: (s from navigation to its first marker or UNFINISHED, script runs until settled).

    ``RuntimeError`` with the app's message if its script failed.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    runs.reset()
    try:
        page.goto(url, timeout=bound * 1000)
        page.wait_for_selector('iframe[title*="st_folium"], [data-testid="stException"]', timeout=bound * 1000)
        if page.get_by_test_id("stException").count():
            raise RuntimeError(f"scripts/baseline_app.py failed: {page.get_by_test_id('stException').inner_text()}")
        frame = frame_named(page, "st_folium")
        frame.wait_for_function("() => window.benchmarkDrawn", polling=50, timeout=bound * 1000)
    except PlaywrightTimeout:  # not drawn within the bound
        return UNFINISHED, runs.count
    drawn = frame.evaluate("() => window.benchmarkDrawn") - page.evaluate("() => performance.timeOrigin")
    runs.settled(page, time.time(), bound)
    return drawn / 1000, runs.count


def naive_app(browser, folder: Path, naive: NaivePages, bound: float) -> dict[str, float]:
    """The naive folium app (``scripts/baseline_app.py``) in Chromium: drawn, runs per load, ``app_steps``, heap.

    Only what it finished: a measure left out did not finish within the bound.
    """
    figures: dict[str, float] = {}
    process, url = start_app(folder, "scripts/baseline_app.py", NAIVE_ASSETS=naive.url)
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        page.add_init_script(_MARKED)
        runs = ScriptRuns(page)
        if open_naive_app(page, url, runs, bound)[0] == UNFINISHED:  # a first load, as the atlas's
            return figures
        loads = [open_naive_app(page, url, runs, bound) for _ in range(LOADS)]
        drawn = statistics.median(seconds for seconds, _ in loads)
        figures["app: markers drawn after navigation, s"] = drawn
        figures["app: script runs per page load"] = max(count for _, count in loads)
        if drawn != UNFINISHED:
            figures["app: JS heap and array buffers, MB"] = _heap_mb(page)
            figures |= app_steps(page, "st_folium", runs, bound)
        return figures
    finally:
        context.close()
        appserver.stop(process, seconds=30)


# --- The table ----------------------------------------------------------------------------------


def _figure(value: float) -> str:
    return "did not finish" if value == UNFINISHED else f"{value:,.3g}"


def _ratio(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _cell(ours: float, naive: float | None, bound: float) -> str:
    if naive is None:
        return _figure(ours)
    if naive == UNFINISHED:
        return f"{_figure(ours)} vs > {bound:g} s, not finished"
    return (
        f"{_figure(ours)} vs {_figure(naive)} ({_ratio(naive / ours)}×)"
        if ours > 0
        else f"{_figure(ours)} vs {_figure(naive)}"
    )


def pipeline_figures() -> None:
    """The build on the seeds, once."""
    seconds, _ = clock(lambda: build(ROOT / "seeds"))
    print(f"python -m geo build (seeds, all layers): {seconds:.2f} s")


def _xstatic(name: str) -> Path | None:
    """The files of an XStatic package (``leaflet_markercluster``, ``jquery``) if it is installed."""
    try:
        package = importlib.import_module(f"xstatic.pkg.{name}")
    except ImportError:
        return None
    return Path(package.BASE_DIR)


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, Python {platform.python_version()}"


def _name(size: int | str) -> str:
    if size == "real":
        return f"{len(load_layers(ROOT / 'data' / 'geojson').sites):,} real sites"
    return f"{size:,} sites"


def _load() -> str:
    return "load average " + " / ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    """Measure every size and print one Markdown table: atlas vs baseline (ratio)."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    options.add_argument("--bound", type=float, default=120.0, help="seconds a baseline step may take")
    options.add_argument("--markercluster", type=Path, default=None, help="folder of leaflet.markercluster.js")
    options.add_argument("--jquery", type=Path, default=None, help="folder of jquery.min.js (folium's popups)")
    options.add_argument("--no-browser", action="store_true")
    options.add_argument("--real", action="store_true", help="measure the real layers (data/geojson) too")
    options.add_argument("--pipeline", action="store_true")
    args = options.parse_args()
    naive_js = (args.markercluster or _xstatic("leaflet_markercluster"), args.jquery or _xstatic("jquery"))
    if None in naive_js:
        naive_js = None
        if not args.no_browser:
            print("no --markercluster or --jquery: the baseline's browser side is not measured", file=sys.stderr)
    if args.pipeline:
        pipeline_figures()
    columns: dict[int | str, dict] = {}
    loads: list[str] = []
    real = ROOT / "data" / "geojson"
    with tempfile.TemporaryDirectory() as scratch:
        for size in [*(["real"] if args.real else []), *args.sizes]:
            folder = real if size == "real" else synthesise(real, Path(scratch) / f"synth-{size}", size)
            loads.append(f"{_name(size)}: {_load()} before")
            figures = server_figures(folder, args.bound)
            if not args.no_browser:
                figures |= browser_figures(folder, args.bound, naive_js)
            columns[size] = figures
            loads[-1] += f", {_load()} after"
            print(f"measured {_name(size)} ({loads[-1]})", file=sys.stderr)
    print(f"\n{_machine()}; {'; '.join(loads)}")
    measures = list(next(iter(columns.values())))
    tables = {
        "atlas vs the naive folium map as a bare page": [m for m in measures if not m.startswith("app: ")],
        "atlas vs the naive folium app in Streamlit (scripts/baseline_app.py)": [
            m for m in measures if m.startswith("app: ")
        ],
    }
    for title, rows in tables.items():
        if not rows:
            continue
        print(f"\n{title} (how many times better); a bare figure: no baseline for it\n")
        print("| | " + " | ".join(_name(size) for size in columns) + " |")
        print("| --- |" + " --- |" * len(columns))
        for measure in rows:
            cells = [_cell(*columns[size][measure], args.bound) for size in columns]
            print(f"| {measure.removeprefix('app: ')} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
