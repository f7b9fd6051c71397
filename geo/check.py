"""Checking a layer folder: every file there, valid RFC 7946, every value declared, and as its manifest lists.

``python -m geo check`` runs this on the committed layers, so a hand edit or a broken
build that slips past the tests is still caught before anyone maps it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from geo.layers import LAYER_JSON, read_json
from geo.output import MANIFEST, manifest_problems
from geo.regions import geodesic_area_km2
from geo.schema import (
    FACT_FIELDS,
    KAZAKHSTAN_AREA_KM2,
    LAYER_FILES,
    PRECISIONS,
    REGIONS,
    SITE_PROPERTIES,
    UNKNOWN_PRECISION,
)

__all__ = ["AREA_TOLERANCE", "check_layers"]

#: How far the 20 regions' areas may sum from Kazakhstan's official area (a fraction).
AREA_TOLERANCE = 0.005


def _site_problems(feature: dict[str, Any], where: str) -> list[str]:
    """Rules between one site's properties and its geometry (each value is checked by :mod:`geo.validation`)."""
    props = feature["properties"]
    if list(props) != list(SITE_PROPERTIES):
        return [f"{where}: properties {list(props)} differ from the schema {list(SITE_PROPERTIES)}"]
    if feature["geometry"] is None:
        if (props["location_precision"], props["region"], props["uncertainty_km"]) != (UNKNOWN_PRECISION, None, None):
            return [f"{where}: a site with no geometry must have precision 'unknown', no region and no radius"]
        return []
    least = PRECISIONS.get(props["location_precision"])
    problems = [] if props["region"] else [f"{where}: a site with a point must have its region"]
    if least is None or props["uncertainty_km"] is None or props["uncertainty_km"] < least:
        problems.append(f"{where}: uncertainty_km {props['uncertainty_km']} is too small for its precision")
    if not props["location_source"]:
        problems.append(f"{where}: no location_source")
    return problems


def _region_problems(collection: dict[str, Any]) -> list[str]:
    """The 20 regions, each once, summing to Kazakhstan's area, with no overlaps."""
    names = [feat["properties"]["name"] for feat in collection["features"]]
    if sorted(names) != sorted(REGIONS):
        return [f"regions.geojson: regions are {sorted(names)}, expected the 20 of the schema"]
    geoms = [shape(feat["geometry"]) for feat in collection["features"]]
    problems = []
    total = sum(geodesic_area_km2(g) for g in geoms)
    if abs(total - KAZAKHSTAN_AREA_KM2) > AREA_TOLERANCE * KAZAKHSTAN_AREA_KM2:
        problems.append(f"regions.geojson: regions sum to {total:,.0f} km², not {KAZAKHSTAN_AREA_KM2:,.0f} ± 0.5 %")
    if not shapely.coverage_is_valid(geoms):
        problems.append("regions.geojson: regions overlap or their shared borders do not match")
    return problems


def check_layers(folder: Path) -> list[str]:
    """Every problem with a built layer folder; an empty list means it is sound."""
    folder = Path(folder)
    missing = [name for name in LAYER_FILES if not (folder / name).is_file()]
    if missing:
        return [f"{folder}: missing {', '.join(missing)}"]
    problems: list[str] = []
    layers = {}
    for name in LAYER_JSON:
        layers[name], found = read_json(folder / name)
        problems += found
    if problems:
        return problems
    for number, feature in enumerate(layers["sites.geojson"]["features"]):
        problems += _site_problems(feature, f"sites.geojson feature {number} ({feature['properties']['id']})")
    problems += _region_problems(layers["regions.geojson"])
    with open(folder / "facts.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    if header != list(FACT_FIELDS):
        problems.append(f"facts.csv: columns {header} differ from the schema {list(FACT_FIELDS)}")
    return problems + (manifest_problems(folder) if (folder / MANIFEST).exists() else [])
