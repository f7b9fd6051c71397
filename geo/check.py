"""Checking a layer folder: every file there, valid RFC 7946, every value declared, and as its manifest lists.

``python -m geo check`` runs this on the committed layers, so a hand edit or a broken
build that slips past the tests is still caught before anyone maps it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from geo.layers import LAYER_JSON, read_json
from geo.opendata.resolve import NEAR_SCORE, kind_group, link_names, name_score, near_pairs
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

__all__ = ["AREA_TOLERANCE", "check_layers", "likely_duplicates"]


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


def _linked_by(site: dict[str, Any]) -> list[str]:
    """The names a site is known by as the resolver links them: its records' link names, or its own names."""
    if site["records"] and site["origin"] == "open_data":
        return [name for record in site["records"] for name in link_names(record["name"], record["aliases"])]
    return [site["name"], *site["aliases"]]


def _nodes(site: dict[str, Any]) -> set[str]:
    """The resolution nodes a site is made of: its records' keys, and ``registry:<id>`` for a curated site."""
    return {record["key"] for record in site["records"]} | (
        {f"registry:{site['id']}"} if site["origin"] == "registry" else set()
    )


def likely_duplicates(collection: dict[str, Any], kept_apart: set[frozenset[str]] = frozenset()) -> list[str]:
    """Pairs of placed sites closer than their two radii whose names match: one place under two names.

    Sites of different kind groups (a plant and the deposit beside it) are not duplicates; the
    names are compared as the resolver compares them (:func:`geo.opendata.resolve.name_score`).
    A pair a person split (``kept_apart``: pairs of record keys from ``override-split`` rows) is not reported.
    """
    placed = [f for f in collection["features"] if f["geometry"] is not None]
    if len(placed) < 2:
        return []
    points = np.array([f["geometry"]["coordinates"][:2] for f in placed], dtype=float)
    radii = np.array([f["properties"]["uncertainty_km"] or 0.0 for f in placed])
    problems = []
    for i, j, distance in near_pairs(points, 2 * float(radii.max())):
        a, b = placed[i]["properties"], placed[j]["properties"]
        if distance > radii[i] + radii[j]:
            continue
        same_group = kind_group(a["kind"]) == kind_group(b["kind"])
        split = any(frozenset((x, y)) in kept_apart for x in _nodes(a) for y in _nodes(b))
        if same_group and not split and name_score(_linked_by(a), _linked_by(b)) >= NEAR_SCORE:
            problems.append(f"sites.geojson: {a['id']} and {b['id']} look like one place under two names")
    return problems


def _kept_apart(merge_table: Path) -> set[frozenset[str]]:
    """Pairs of records a person split, from the merge table's ``override-split`` rows."""
    with open(merge_table, encoding="utf-8", newline="") as handle:
        return {
            frozenset((row["record"], row["other"]))
            for row in csv.DictReader(handle)
            if row["rule"] == "override-split"
        }


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
    problems += likely_duplicates(layers["sites.geojson"], _kept_apart(folder / "site_records.csv"))
    problems += _region_problems(layers["regions.geojson"])
    with open(folder / "facts.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    if header != list(FACT_FIELDS):
        problems.append(f"facts.csv: columns {header} differ from the schema {list(FACT_FIELDS)}")
    return problems + (manifest_problems(folder) if (folder / MANIFEST).exists() else [])
