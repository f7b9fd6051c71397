"""Reading the built layers back: the one loader the app, the stats and the checks use.

Every file is read as strict JSON and checked against the declarations in
:mod:`geo.validation` before any frame is made, so damaged layers are refused with a
message naming the file and the record, never with a traceback further on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd

from geo.geojson import validate
from geo.validation import InputError, declared_properties, layer_problems, loads_strict

__all__ = ["LAYER_JSON", "Layers", "load_layers", "parse_layer", "read_json", "read_layer"]

#: The JSON files of a layer folder that the app reads.
LAYER_JSON = ("sites.geojson", "regions.geojson", "survey_areas.geojson", "stats.json")


class Layers(NamedTuple):
    """Everything ``python -m geo build`` writes, loaded: three GeoDataFrames and the stats."""

    sites: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    survey_areas: gpd.GeoDataFrame
    stats: dict[str, Any]


def parse_layer(name: str, data: bytes) -> tuple[Any, list[str]]:
    """A layer file's bytes parsed as strict JSON, and every problem with it (structure and declared values)."""
    try:
        parsed = loads_strict(data)
    except ValueError as error:
        return None, [f"{name}: not readable as JSON ({error})"]
    problems = [] if name == "stats.json" else validate(parsed, name)
    return parsed, problems or layer_problems(name, parsed)


def read_json(path: Path) -> tuple[Any, list[str]]:
    """A layer file read and checked by :func:`parse_layer`; a file that cannot be read is a problem too."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return None, [f"{path.name}: cannot be read ({error.strerror})"]
    return parse_layer(path.name, data)


def read_layer(collection: dict[str, Any], declared: Sequence[str] = ()) -> gpd.GeoDataFrame:
    """One checked FeatureCollection as a GeoDataFrame, keeping list and object properties as Python values.

    ``geopandas.read_file`` turns list properties (``aliases``, ``facts``) into strings;
    going through ``GeoDataFrame.from_features`` keeps them as lists and dicts. The ``declared``
    properties are columns even of a layer with no feature.
    """
    found = (key for feat in collection["features"] for key in feat["properties"])
    columns = list(dict.fromkeys([*declared, *found]))
    return gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326", columns=[*columns, "geometry"])


def load_layers(folder: Path) -> Layers:
    """Load ``sites``, ``regions``, ``survey_areas`` and ``stats.json`` from a built layer folder.

    Raises ``FileNotFoundError`` naming the missing file and the command that builds it, and
    :class:`geo.validation.InputError` (a ``ValueError``) listing what is wrong with a damaged file.
    """
    folder = Path(folder)
    for name in LAYER_JSON:
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing: build the layers with `python -m geo build`")
    parsed = {}
    problems: list[str] = []
    for name in LAYER_JSON:
        parsed[name], found = read_json(folder / name)
        problems += found
    if problems:
        raise InputError(problems)
    frames = {name: read_layer(parsed[name], declared_properties(name)) for name in LAYER_JSON[:3]}
    return Layers(*frames.values(), stats=parsed["stats.json"])
