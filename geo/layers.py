"""Reading the built layers back: the one loader the app, the stats and the checks use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd

__all__ = ["Layers", "load_layers", "read_layer"]


class Layers(NamedTuple):
    """Everything ``python -m geo build`` writes, loaded: three GeoDataFrames and the stats."""

    sites: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    survey_areas: gpd.GeoDataFrame
    stats: dict[str, Any]


def read_layer(path: Path) -> gpd.GeoDataFrame:
    """Read one GeoJSON layer, keeping list and object properties as Python values.

    ``geopandas.read_file`` turns list properties (``aliases``, ``facts``) into strings;
    going through ``GeoDataFrame.from_features`` keeps them as lists and dicts.
    """
    with open(path, encoding="utf-8") as handle:
        collection = json.load(handle)
    columns = list(dict.fromkeys(key for feat in collection["features"] for key in feat["properties"]))
    frame = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326", columns=[*columns, "geometry"])
    return frame


def load_layers(folder: Path) -> Layers:
    """Load ``sites``, ``regions``, ``survey_areas`` and ``stats.json`` from a built layer folder.

    Raises ``FileNotFoundError`` naming the missing file and the command that builds it.
    """
    folder = Path(folder)
    names = ("sites.geojson", "regions.geojson", "survey_areas.geojson", "stats.json")
    for name in names:
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing: build the layers with `python -m geo build`")
    stats = json.loads((folder / "stats.json").read_text(encoding="utf-8"))
    return Layers(
        sites=read_layer(folder / "sites.geojson"),
        regions=read_layer(folder / "regions.geojson"),
        survey_areas=read_layer(folder / "survey_areas.geojson"),
        stats=stats,
    )
