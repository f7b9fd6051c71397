"""Synthetic layers for the benchmark: the built layers' sites multiplied to any number, labelled synthetic.

Each synthetic site copies a real one (so names in Latin and Cyrillic, kinds, statuses,
precisions and facts keep their real mix; of its source records only the first is kept)
and moves it a random distance around the real point (clustered density, as real deposits
cluster), inside the country; its region is
found again for the new point in one bulk query (``regions.regions_at``). Ids and names say
"synthetic", and ``stats.json`` carries a ``synthetic`` note and a credit saying so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import shapely

from geo.export import site_properties
from geo.geojson import dumps, feature, feature_collection
from geo.layers import load_layers
from geo.mapview import placed
from geo.regions import regions_at

__all__ = ["SYNTHETIC_NOTE", "synthesise"]

#: The note every synthetic layer folder carries, shown in the app's credits.
SYNTHETIC_NOTE = "SYNTHETIC benchmark data made by `python -m geo synth`: not real sites."
#: The files copied unchanged from the source folder.
_COPIED = ("regions.geojson", "survey_areas.geojson")


def synthesise(source: Path, out: Path, count: int, seed: int = 11) -> Path:
    """Write ``count`` synthetic sites, beside the source's regions and survey areas, to ``out``; return it."""
    layers = load_layers(source)
    real = placed(layers.sites).reset_index(drop=True)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(real), count)
    sites = real.iloc[picks].reset_index(drop=True)
    spread_km = rng.exponential(25.0, count)
    angle = rng.uniform(0, 2 * np.pi, count)
    lats = sites.geometry.y.to_numpy() + spread_km * np.sin(angle) / 111.0
    lons = sites.geometry.x.to_numpy() + spread_km * np.cos(angle) / (111.0 * np.cos(np.radians(lats)))
    found, _ = regions_at(lons, lats)
    inside = np.array([name is not None for name in found])
    lons = np.where(inside, lons, sites.geometry.x.to_numpy())  # a point moved abroad stays at its site
    lats = np.where(inside, lats, sites.geometry.y.to_numpy())
    sites["region"] = np.where(inside, np.array(found, dtype=object), sites["region"].to_numpy())
    sites["geometry"] = shapely.points(np.round(lons, 5), np.round(lats, 5))
    sites["id"] = [f"synthetic-{n}" for n in range(count)]
    sites["name"] = [f"{name} · synthetic {n}" for n, name in enumerate(sites["name"])]
    sites["records"] = sites["records"].map(lambda records: list(records or [])[:1])  # records hold most bytes
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    features = (feature(row.geometry, site_properties(row)) for row in sites.itertuples(index=False))
    (out / "sites.geojson").write_bytes(dumps(feature_collection(features)))
    for name in _COPIED:
        shutil.copyfile(Path(source) / name, out / name)
    stats = {**layers.stats, "synthetic": SYNTHETIC_NOTE}
    stats["credits"] = [SYNTHETIC_NOTE, *layers.stats.get("credits", [])]
    (out / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
    return out
