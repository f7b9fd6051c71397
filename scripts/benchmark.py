#!/usr/bin/env python3
"""Print how long the batch jobs and the map take, and how large the map's HTML is.

Run from the checkout with the set-up environment: `.venv/bin/python scripts/benchmark.py`.
Figures only, no assertions: speed is measured here, never asserted in tests.
"""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.layers import load_layers  # noqa: E402
from geo.mapview import build_map, display_regions  # noqa: E402
from geo.pipeline import build  # noqa: E402


def timed(label: str, action, repeat: int = 3):
    """Run ``action`` ``repeat`` times; print the best time; return its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<44} {best:8.3f} s")
    return result


def many_sites(sites, count: int):
    """``count`` copies of the placed sites, scattered over Kazakhstan, with unique ids."""
    placed = sites[sites.geometry.notna()]
    rng = np.random.default_rng(7)
    copies = placed.sample(count, replace=True, random_state=7).reset_index(drop=True)
    copies["id"] = [f"s{n}" for n in range(count)]
    copies["geometry"] = shapely.points(rng.uniform(52, 84, count), rng.uniform(42, 54, count))
    return copies


def long_article(folder: Path, size: int) -> Path:
    """A folder with one article of ``size`` bytes that is a single sentence naming places again and again."""
    unit = "the Koktenkol deposit lies 60 km north-west of Agadyr near Karaganda and Balkhash, "
    (folder / "long.txt").write_text("Long article\n\n" + (unit * (size // len(unit) + 1))[:size] + ".\n")
    return folder


def main() -> None:
    """Time the build (on the seeds and on one long article at three sizes), the loading and the map."""
    timed("python -m geo build (seeds, all layers)", lambda: build(ROOT / "seeds"), repeat=1)
    for size in (10_000, 100_000, 990_000):
        with tempfile.TemporaryDirectory() as folder:
            seeds = long_article(Path(folder), size)
            timed(
                f"build, one article of {size / 1000:>4.0f} kB, one sentence",
                lambda seeds=seeds: build(seeds),
                repeat=1,
            )
    layers = timed("load the layers", lambda: load_layers(ROOT / "data" / "geojson"))
    regions = display_regions(layers.regions)  # as the app draws them
    for count in (len(layers.sites), 1_000, 5_000):
        sites = layers.sites if count == len(layers.sites) else many_sites(layers.sites, count)
        html = timed(
            f"build and render the map, {count:>5} sites",
            lambda sites=sites: build_map(sites, regions, layers.survey_areas).get_root().render(),
        )
        print(f"{'':<44} {len(html) / 1e6:8.2f} MB of HTML")


if __name__ == "__main__":
    main()
