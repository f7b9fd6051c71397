"""Downloads: the shown sites as RFC 7946 GeoJSON and as CSV, and the full layers as one zip."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from geo.geojson import dumps, feature, feature_collection
from geo.schema import LAYER_FILES, SITE_PROPERTIES
from geo.spreadsheet import safe_cell

__all__ = ["CSV_COLUMNS", "csv_lines", "layers_zip", "site_properties", "sites_csv", "sites_geojson"]

#: Columns of the sites CSV: the site properties, then the point as ``lon``, ``lat``.
CSV_COLUMNS: tuple[str, ...] = (*SITE_PROPERTIES, "lon", "lat")


def _plain(value: Any) -> Any:
    """A JSON-ready value: numpy scalars as Python ones, missing numbers (NaN) as ``None``."""
    if isinstance(value, np.generic):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else value


def site_properties(row: Any) -> dict[str, Any]:
    """One site's properties (a row of ``itertuples``) in ``SITE_PROPERTIES`` order, as in ``sites.geojson``."""
    return {name: _plain(getattr(row, name)) for name in SITE_PROPERTIES}


def sites_geojson(sites: gpd.GeoDataFrame, credits: Sequence[str] = ()) -> bytes:
    """The sites as an RFC 7946 FeatureCollection with the properties of ``sites.geojson``.

    ``credits`` (the attributions the data's licences ask for) become an ``attribution`` member.
    """
    features = (feature(row.geometry, site_properties(row)) for row in sites.itertuples(index=False))
    collection = feature_collection(features)
    return dumps({"attribution": list(credits), **collection} if credits else collection)


#: Columns whose values are objects or lists of objects: written to CSV as JSON text.
_JSON_COLUMNS = frozenset({"facts", "records", "value_sources", "region_history"})


def _cell(name: str, value: Any) -> Any:
    """A CSV cell: objects as JSON text, other lists joined with ``;``, missing values empty, no formulas.

    Each item of a list is guarded on its own: a spreadsheet that splits on ``;`` (the list
    separator in many locales) would otherwise run an item such as ``=HYPERLINK(…)``.
    """
    if name in _JSON_COLUMNS:
        empty: Any = {} if name == "value_sources" else []
        return safe_cell(json.dumps(value or empty, ensure_ascii=False, allow_nan=False))
    if isinstance(value, list):
        return ";".join(str(safe_cell(str(item))) for item in value)
    return "" if value is None else safe_cell(value)


def csv_lines(sites: gpd.GeoDataFrame) -> list[str]:
    """The CSV text of the header, then of each site's row (a row may hold line breaks in quoted cells).

    Kept apart so a subset of the rows can be joined without writing them again.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    ends = [out.tell()]
    for row in sites.itertuples(index=False):
        values = site_properties(row)
        point = row.geometry
        lon_lat = ("", "") if point is None or point.is_empty else (round(point.x, 6), round(point.y, 6))
        writer.writerow([*(_cell(name, values[name]) for name in SITE_PROPERTIES), *lon_lat])
        ends.append(out.tell())
    text = out.getvalue()
    return [text[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def sites_csv(sites: gpd.GeoDataFrame) -> bytes:
    """The sites as CSV (UTF-8 with a byte-order mark so spreadsheets read Cyrillic), one row per site."""
    return "".join(csv_lines(sites)).encode("utf-8-sig")


def layers_zip(folder: Path) -> bytes:
    """Every built layer file in ``folder`` (those of ``LAYER_FILES`` that exist) as one zip archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in LAYER_FILES:
            path = Path(folder) / name
            if path.is_file():
                archive.write(path, arcname=name)
    return out.getvalue()
