#!/usr/bin/env python3
"""Print how fast the atlas is at 1,000, 10,000 and 100,000 synthetic sites, beside a naive folium map.

Run from the checkout with the set-up environment: `.venv/bin/python scripts/benchmark.py`
(`--sizes 1000 10000`, `--baseline-max 10000`, `--no-browser`, `--pipeline` for the build
timings). Figures only, no assertions: speed is measured here, never asserted in tests.

The naive baseline is what a folium map of the sites costs done plainly: one ``folium.Marker``
with a popup per site in a ``MarkerCluster``, rebuilt, rendered and sent on every script run,
and both downloads written from the frame, server side only (its browser side is not measured
here). It runs up to ``--baseline-max`` sites.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from folium import plugins

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import export  # noqa: E402
from geo.downloads import csv_of, geojson_of, geojson_pieces  # noqa: E402
from geo.layers import load_layers  # noqa: E402
from geo.mapview import display_regions, map_message, placed  # noqa: E402
from geo.payload import publish_map  # noqa: E402
from geo.pipeline import build  # noqa: E402
from geo.selection import Selection, filter_sites  # noqa: E402
from geo.synth import synthesise  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from test_browser import CHROMIUM_ARGS, free_port  # noqa: E402

APP = ROOT / "streamlit_app.py"
FILTER = Selection(kind=("deposit", "mine"))


def clock(action):
    """Run ``action`` once; return (seconds, result)."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def naive_map(sites) -> str:
    """The baseline: one folium.Marker with a popup per site in a MarkerCluster, rendered to HTML."""
    fmap = folium.Map(location=[48, 67], zoom_start=5)
    cluster = plugins.MarkerCluster().add_to(fmap)
    for site in placed(sites).itertuples(index=False):
        folium.Marker([site.geometry.y, site.geometry.x], popup=str(site.name), tooltip=str(site.name)).add_to(cluster)
    return fmap.get_root().render()


# --- Server side ----------------------------------------------------------------------------------


def server_figures(folder: Path, baseline: bool) -> dict[str, tuple[float, float | None]]:
    """Load, a filter change, bytes per run and export: (atlas, baseline) per measure."""
    load, layers = clock(lambda: load_layers(folder))
    regions = display_regions(layers.regions)
    with tempfile.TemporaryDirectory() as pages:
        publish, _ = clock(lambda: publish_map(layers.sites, regions, layers.survey_areas, Path(pages)))
    ids = pd.Index(placed(layers.sites)["id"])
    areas = np.ones(len(layers.survey_areas), dtype=bool)

    change, message = clock(lambda: map_message(filter_sites(layers.sites, FILTER), ids, layers.regions, areas))
    positions = layers.sites.index.get_indexer(layers.sites.index)
    pieces, rows = geojson_pieces(folder, layers.stats.get("credits", [])), export.csv_lines(layers.sites)
    exported, _ = clock(lambda: (geojson_of(pieces, positions), csv_of(rows, positions)))
    figures = {
        "load the layers, s": (load, None),
        "map page + payload, once per data version, s": (publish, None),
        "filter change, filter + map message, s": (change, None),
        "bytes sent to the map per script run": (len(json.dumps(message)), None),
        "export all sites, GeoJSON + CSV, s": (exported, None),
    }
    if baseline:
        naive_change, html = clock(lambda: naive_map(filter_sites(layers.sites, FILTER)))
        naive_export, _ = clock(lambda: (export.sites_geojson(layers.sites), export.sites_csv(layers.sites)))
        figures["filter change, filter + map message, s"] = (change, naive_change)
        figures["bytes sent to the map per script run"] = (len(json.dumps(message)), len(html))
        figures["export all sites, GeoJSON + CSV, s"] = (exported, naive_export)
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
    """``streamlit run`` on a free port for the layers in ``folder``; wait until it answers."""
    from test_browser import _healthy

    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "ATLAS_DATA_DIR": str(folder)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    while not _healthy(url):
        time.sleep(0.2)
    return process, url


_PAN = """() => { const m = window.atlasLeaflet || Object.values(window).find(v => v instanceof L.Map);
    const t = performance.now(); m.panBy([300, 0], {animate: false}); return performance.now() - t; }"""
_ZOOM = """() => { const m = window.atlasLeaflet || Object.values(window).find(v => v instanceof L.Map);
    const t = performance.now(); m.setZoom(m.getZoom() + 1, {animate: false}); return performance.now() - t; }"""


def _heap_mb(page) -> float:
    session = page.context.new_cdp_session(page)
    session.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"] / 1e6


def browser_figures(folder: Path) -> dict[str, tuple[float, float | None]]:
    """Markers drawn after navigation, a filter change, a pan, a zoom and the heap: (atlas, baseline)."""
    from playwright.sync_api import sync_playwright

    layers = load_layers(folder)
    ids = pd.Index(placed(layers.sites)["id"])
    message = map_message(
        filter_sites(layers.sites, FILTER), ids, layers.regions, np.ones(len(layers.survey_areas), dtype=bool)
    )
    process, url = start_app(folder)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.set_default_timeout(600_000)
            drawn = 0.0
            for _ in range(2):  # the second load is the one timed: the server holds the layers
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector('iframe[title*="atlas_map"]')
                frame = next(f for f in page.frames if "atlas_map" in f.url)
                frame.wait_for_function("() => window.atlas && window.atlas.ready", polling=50)
                drawn = time.perf_counter() - start
            change = frame.evaluate(
                "(m) => { const t = performance.now(); window.atlas.apply(m); return performance.now() - t; }", message
            )
            figures = {
                "browser: markers drawn after navigation, s": (drawn, None),
                "browser: filter change, s": (change / 1000, None),
                "browser: pan 300 px, s": (frame.evaluate(_PAN) / 1000, None),
                "browser: zoom in, s": (frame.evaluate(_ZOOM) / 1000, None),
                "browser: JS heap, MB": (_heap_mb(page), None),
            }
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return figures


# --- The table ----------------------------------------------------------------------------------


def _cell(ours: float, naive: float | None) -> str:
    if naive is None:
        return f"{ours:,.3g}"
    return f"{ours:,.3g} vs {naive:,.3g} ({naive / ours:,.0f}×)" if ours > 0 else f"{ours:,.3g} vs {naive:,.3g}"


def pipeline_figures() -> None:
    """The build on the seeds, once."""
    seconds, _ = clock(lambda: build(ROOT / "seeds"))
    print(f"python -m geo build (seeds, all layers): {seconds:.2f} s")


def main() -> None:
    """Measure every size and print one Markdown table: atlas vs baseline (ratio)."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    options.add_argument("--baseline-max", type=int, default=10_000)
    options.add_argument("--no-browser", action="store_true")
    options.add_argument("--pipeline", action="store_true")
    args = options.parse_args()
    if args.pipeline:
        pipeline_figures()
    columns: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            folder = synthesise(ROOT / "data" / "geojson", Path(scratch) / f"synth-{size}", size)
            baseline = size <= args.baseline_max
            figures = server_figures(folder, baseline)
            if not args.no_browser:
                figures |= browser_figures(folder)
            columns[size] = figures
            print(f"measured {size:,} sites", file=sys.stderr)
    print(f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("atlas vs naive folium baseline (how many times better); a bare figure: no baseline run\n")
    print("| | " + " | ".join(f"{size:,} sites" for size in columns) + " |")
    print("| --- |" + " --- |" * len(columns))
    for measure in next(iter(columns.values())):
        cells = [_cell(*columns[size][measure]) for size in columns]
        print(f"| {measure} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
