"""RFC 7946 GeoJSON: one writer and one validator for every layer and download.

GeoJSON from ``GeoDataFrame.to_json`` keeps clockwise rings and adds a ``crs`` member;
this module writes counter-clockwise outer rings, WGS84 lon/lat rounded to 6 decimals,
and the same bytes for the same input, so builds are byte-for-byte reproducible.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

__all__ = ["DECIMALS", "dumps", "feature", "feature_collection", "validate"]

#: Decimals kept in coordinates: 6 decimals is about 0.1 m, far below any site's precision.
DECIMALS = 6


def _round(coords: Any) -> Any:
    """Round a nested coordinate array to ``DECIMALS``, as lists."""
    if isinstance(coords, (int, float)):
        value = round(float(coords), DECIMALS)
        return 0.0 if value == 0 else value
    return [_round(c) for c in coords]


def geometry_dict(geom: BaseGeometry) -> dict[str, Any]:
    """Return an RFC 7946 geometry dict: polygons oriented (exterior CCW), coordinates rounded."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom)
    as_dict = mapping(geom)
    return {"type": as_dict["type"], "coordinates": _round(as_dict["coordinates"])}


def feature(geom: BaseGeometry | None, properties: Mapping[str, Any]) -> dict[str, Any]:
    """Return one GeoJSON Feature with an RFC 7946 geometry (``null`` for an unplaced feature)."""
    geometry = None if geom is None or geom.is_empty else geometry_dict(geom)
    return {"type": "Feature", "properties": dict(properties), "geometry": geometry}


def feature_collection(features: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Wrap features in a FeatureCollection (no ``crs`` member: RFC 7946 forbids it)."""
    return {"type": "FeatureCollection", "features": list(features)}


def dumps(collection: Mapping[str, Any]) -> bytes:
    """Serialise a FeatureCollection to UTF-8 bytes: one feature a line, the same bytes for the same input.

    One feature a line keeps files compact and their diffs readable.
    """

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    members = [f'"{key}":{compact(value)}' for key, value in collection.items() if key != "features"]
    features = ",\n".join(compact(feat) for feat in collection["features"])
    return ("{" + ",".join(members) + ',"features":[\n' + features + "\n]}\n").encode("utf-8")


def _ring_is_ccw(ring: list[list[float]]) -> bool:
    """Whether a closed ring runs counter-clockwise (positive shoelace area)."""
    area = sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))
    return area > 0


def _check_position(pos: Any, where: str) -> list[str]:
    """Problems with one position: not a lon/lat pair, out of range, or over-precise."""
    if not isinstance(pos, list) or len(pos) < 2 or not all(isinstance(v, (int, float)) for v in pos):
        return [f"{where}: position {pos!r} is not [lon, lat]"]
    lon, lat = pos[0], pos[1]
    problems = []
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        problems.append(f"{where}: position {pos!r} is outside WGS84 lon/lat")
    if any(round(v, DECIMALS) != v for v in pos):
        problems.append(f"{where}: position {pos!r} has more than {DECIMALS} decimals")
    return problems


def _check_polygon(rings: list, where: str) -> list[str]:
    """Problems with one polygon's rings: unclosed, too short, or wrongly wound."""
    problems = []
    for index, ring in enumerate(rings):
        if len(ring) < 4 or ring[0] != ring[-1]:
            problems.append(f"{where}: ring {index} is not a closed ring of 4 or more positions")
            continue
        if _ring_is_ccw(ring) != (index == 0):
            wanted = "counter-clockwise" if index == 0 else "clockwise"
            problems.append(f"{where}: ring {index} should be {wanted}")
    return problems


def validate(collection: Any, name: str = "layer") -> list[str]:
    """List every RFC 7946 problem in a parsed FeatureCollection; an empty list means valid.

    Checks: the FeatureCollection shape, no ``crs`` member, lon/lat positions within range
    and at most ``DECIMALS`` decimals, closed rings with CCW exteriors and CW holes, and
    geometries that shapely finds valid.
    """
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return [f"{name}: not a FeatureCollection"]
    problems = [f"{name}: has a 'crs' member, which RFC 7946 removed"] if "crs" in collection else []
    features = collection.get("features")
    if not isinstance(features, list):
        return [*problems, f"{name}: 'features' is not a list"]
    for number, feat in enumerate(features):
        where = f"{name} feature {number}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            problems.append(f"{where}: not a Feature")
            continue
        if not isinstance(feat.get("properties"), dict):
            problems.append(f"{where}: properties is not an object")
        geom = feat.get("geometry", "missing")
        if geom is None:  # RFC 7946 3.2: an unlocated feature has a null geometry
            continue
        if not isinstance(geom, dict) or "coordinates" not in geom:
            problems.append(f"{where}: no geometry member, or not a geometry object")
            continue
        problems.extend(_check_geometry(geom, where))
    return problems


def _check_geometry(geom: dict[str, Any], where: str) -> list[str]:
    """Problems with one geometry dict, per its type."""
    kind, coords = geom.get("type"), geom["coordinates"]
    if kind == "Point":
        positions, polygons = [coords], []
    elif kind in ("MultiPoint", "LineString"):
        positions, polygons = coords, []
    elif kind == "Polygon":
        positions, polygons = [p for ring in coords for p in ring], [coords]
    elif kind == "MultiPolygon":
        positions, polygons = [p for poly in coords for ring in poly for p in ring], coords
    else:
        return [f"{where}: unsupported geometry type {kind!r}"]
    problems = [p for pos in positions for p in _check_position(pos, where)]
    for polygon in polygons:
        problems.extend(_check_polygon(polygon, where))
    if not problems and not shape(geom).is_valid:
        problems.append(f"{where}: invalid geometry ({shapely.is_valid_reason(shape(geom))})")
    return problems
