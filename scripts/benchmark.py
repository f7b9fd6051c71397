#!/usr/bin/env python3
"""Print how fast the atlas is at 1,000, 10,000 and 100,000 synthetic sites, beside a naive folium map.

Run from the checkout with the set-up environment: `.venv/bin/python scripts/benchmark.py`
(`--sizes 1000 10000`, `--bound 120`, `--no-browser`, `--pipeline` for the build timings).
Figures only, no assertions: speed is measured here, never asserted in tests.

The naive baseline is what a folium map of the sites costs done plainly: one ``folium.Marker``
with a popup per site in a ``MarkerCluster``, rebuilt, rendered and sent on every script run,
and every download written from the frame when asked for. Its page is opened in the same
Chromium (Leaflet from ``static/vendor``, Leaflet.markercluster from the PyPI package
XStatic-Leaflet-MarkerCluster: ``pip install --target DIR xstatic-leaflet-markercluster`` and
``--markercluster DIR/xstatic/pkg/leaflet_markercluster/data``, or installed beside XStatic-Leaflet).
Each baseline step runs in a child process stopped after ``--bound`` seconds: a cell then says
it did not finish.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from folium import plugins

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


def naive_map(sites, local: bool = False) -> str:
    """The baseline: one folium.Marker with a popup per site in a MarkerCluster, rendered to HTML.

    With ``local`` its scripts are the vendored copies a local server gives (``_NaivePages``), not CDNs.
    """
    fmap = folium.Map(location=[48, 67], zoom_start=5)
    cluster = plugins.MarkerCluster().add_to(fmap)
    if local:
        fmap.default_js = [("jquery", "jquery/jquery.min.js"), ("leaflet", "leaflet/leaflet.js")]
        fmap.default_css = [("leaflet_css", "leaflet/leaflet.css")]
        cluster.default_js = [("markerclusterjs", "markercluster/leaflet.markercluster.js")]
        cluster.default_css = [
            ("markerclustercss", "markercluster/MarkerCluster.css"),
            ("markerclusterdefaultcss", "markercluster/MarkerCluster.Default.css"),
        ]
    for site in placed(sites).itertuples(index=False):
        folium.Marker([site.geometry.y, site.geometry.x], popup=str(site.name), tooltip=str(site.name)).add_to(cluster)
    return fmap.get_root().render()


def naive_gpkg(sites, credits) -> bytes:
    """The baseline GeoPackage: a frame of flat properties made row by row, written by GDAL (no Arrow)."""
    import geopandas as gpd
    import pyogrio

    rows = [
        {name: export._flat(name, value) for name, value in export.site_properties(row).items()}
        for row in sites.itertuples(index=False)
    ]
    table = gpd.GeoDataFrame(
        {name: [row[name] for row in rows] for name in rows[0]}, geometry=list(sites.geometry), crs="EPSG:4326"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.gpkg"
        pyogrio.write_dataframe(table, path, layer="sites", driver="GPKG", layer_metadata={"attribution": str(credits)})
        return path.read_bytes()


def naive_kml(sites, credits) -> bytes:
    """The baseline KML: one ElementTree element per placemark, property and value, serialised at the end."""
    from xml.etree import ElementTree

    kml = ElementTree.Element("kml", xmlns="http://www.opengis.net/kml/2.2")
    document = ElementTree.SubElement(kml, "Document")
    ElementTree.SubElement(document, "description").text = "\n".join(credits)
    for row in sites.itertuples(index=False):
        properties = export.site_properties(row)
        placemark = ElementTree.SubElement(document, "Placemark", id=str(properties["id"]))
        ElementTree.SubElement(placemark, "name").text = str(properties["name"])
        extended = ElementTree.SubElement(placemark, "ExtendedData")
        for name, value in properties.items():
            data = ElementTree.SubElement(extended, "Data", name=name)
            ElementTree.SubElement(data, "value").text = str(export._flat(name, value) or "")
        if row.geometry is not None and not row.geometry.is_empty:
            point = ElementTree.SubElement(placemark, "Point")
            ElementTree.SubElement(point, "coordinates").text = f"{row.geometry.x:.6f},{row.geometry.y:.6f}"
    return ElementTree.tostring(kml, encoding="utf-8", xml_declaration=True)


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


def start_app(folder: Path) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` on a free port for the layers in ``folder``; wait (bounded) until it answers."""
    return appserver.start_app({"ATLAS_DATA_DIR": str(folder)})


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
#: In a baseline page, from before its scripts run: when (ms after its navigation) a marker or cluster first exists.
_FIRST_MARKER = """new MutationObserver((changes, observer) => {
    if (!document.querySelector('.leaflet-marker-icon')) { return; }
    window.benchmarkDrawn = performance.now();
    observer.disconnect();
}).observe(document, {childList: true, subtree: true});"""


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
    """Counts the script runs a page's Streamlit session makes: each starts with a ``new_session`` message."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.count = 0

        def frame(payload) -> None:
            if isinstance(payload, bytes):
                message = ForwardMsg()
                message.ParseFromString(payload)
                self.count += message.WhichOneof("type") == "new_session"

        page.on("websocket", lambda socket: socket.on("framereceived", frame))


def open_atlas(page, url: str) -> tuple[float, float]:
    """Navigate to the atlas and wait until its map has drawn: (s from navigation, s from the page's load event)."""
    page.goto(url)
    page.wait_for_selector('iframe[title*="atlas_map"]')
    frame = next(f for f in page.frames if "atlas_map" in f.url)
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
        seconds, _ = bounded(lambda: path.write_text(naive_map(sites, local=True), encoding="utf-8"), bound)
        return None if seconds == UNFINISHED else f"http://127.0.0.1:{self.server.server_port}/{path.name}"

    def close(self) -> None:
        """Stop the server and delete the pages."""
        self.server.shutdown()
        shutil.rmtree(self.folder, ignore_errors=True)


def open_naive(page, url: str | None, bound: float) -> float:
    """Navigate to a baseline page and wait for its first marker or cluster: seconds from navigation, or UNFINISHED.

    The page must have ``_FIRST_MARKER`` as an init script.
    """
    if url is None:
        return UNFINISHED
    try:
        page.goto(url, wait_until="commit", timeout=bound * 1000)
        page.wait_for_function("() => window.benchmarkDrawn", polling=50, timeout=bound * 1000)
    except Exception:  # playwright's TimeoutError: not drawn within the bound
        return UNFINISHED
    return page.evaluate("() => window.benchmarkDrawn") / 1000


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
                runs.count = 0
                loads.append(open_atlas(page, url))
                page.wait_for_timeout(1500)  # a second run would come now
                counts.append(runs.count)
            drawn, since_load = (statistics.median(values) for values in zip(*loads, strict=True))
            frame = next(f for f in page.frames if "atlas_map" in f.url)
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
            if naive:
                theirs |= naive_browser(browser, naive, layers, bound)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
        if naive:
            naive.close()
    return {measure: (value, theirs[measure]) for measure, value in ours.items()}


def naive_browser(browser, naive: NaivePages, layers, bound: float) -> dict[str, float]:
    """The baseline's page in Chromium: drawn, a filter change (a new page of the filtered markers), pan, zoom, heap."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.add_init_script(_FIRST_MARKER)
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
    print("atlas vs naive folium baseline (how many times better); a bare figure: no baseline for it\n")
    print("| | " + " | ".join(_name(size) for size in columns) + " |")
    print("| --- |" + " --- |" * len(columns))
    for measure in next(iter(columns.values())):
        cells = [_cell(*columns[size][measure], args.bound) for size in columns]
        print(f"| {measure} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
