"""Downloads: the shown sites as RFC 7946 GeoJSON, CSV, GeoPackage and KML, and the full layers as one zip.

Every format carries the same properties (objects and lists as JSON text where the format
holds only scalars) and the credits the data's licences ask for.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from geo.geojson import dumps, feature, feature_collection
from geo.schema import LAYER_FILES, SITE_PROPERTIES
from geo.spreadsheet import safe_cell

__all__ = [
    "CSV_COLUMNS",
    "GPKG_LAYER",
    "csv_lines",
    "gpkg_bytes",
    "gpkg_table",
    "kml_bytes",
    "kml_placemarks",
    "layers_zip",
    "site_properties",
    "sites_csv",
    "sites_geojson",
    "sites_gpkg",
    "sites_kml",
]

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


def _flat(name: str, value: Any) -> Any:
    """A property for a format of scalar fields: objects and lists as JSON text, missing values as ``None``."""
    if name in _JSON_COLUMNS or isinstance(value, list | dict):
        empty: Any = {} if name == "value_sources" else []
        return json.dumps(value if value is not None else empty, ensure_ascii=False, allow_nan=False)
    return value


def gpkg_table(sites: gpd.GeoDataFrame) -> pa.Table:
    """The sites as an Arrow table of scalar columns in ``SITE_PROPERTIES`` order and a WKB ``geometry``.

    Made once per data version, so the GeoPackage of any selection is rows taken from it
    (``Table.take``) and written by GDAL in one bulk call, never a Python loop over rows.
    """
    columns = {}
    for name in SITE_PROPERTIES:
        column = sites[name]
        if pd.api.types.is_numeric_dtype(column.dtype):
            columns[name] = pa.array(column.to_numpy(dtype=float), type=pa.float64(), from_pandas=True)
        else:
            values = [_flat(name, _plain(value)) for value in column.tolist()]
            columns[name] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    columns["geometry"] = pa.array(shapely.to_wkb(sites.geometry.to_numpy()), type=pa.binary())
    return pa.table(columns)


#: The layer name inside the GeoPackage download.
GPKG_LAYER = "sites"
#: Where GDAL writes a GeoPackage before it is read back: memory-backed where the system has it.
_SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None


def gpkg_bytes(table: pa.Table, credits: Sequence[str] = ()) -> bytes:
    """A GeoPackage (one point layer ``sites``, WGS 84) of rows of :func:`gpkg_table`, written by GDAL.

    The credits are the layer's description and ``attribution`` metadata, where QGIS shows them.
    """
    attribution = " · ".join(credits)
    with tempfile.TemporaryDirectory(dir=_SCRATCH) as folder:
        path = Path(folder) / "sites.gpkg"
        pyogrio.write_arrow(
            table,
            path,
            layer=GPKG_LAYER,
            driver="GPKG",
            geometry_name="geometry",
            geometry_type="Point",
            crs="EPSG:4326",
            layer_options={"DESCRIPTION": attribution} if attribution else None,
            layer_metadata={"attribution": attribution} if attribution else None,
        )
        return path.read_bytes()


def sites_gpkg(sites: gpd.GeoDataFrame, credits: Sequence[str] = ()) -> bytes:
    """The sites as a GeoPackage (one point layer ``sites``, WGS 84), written by GDAL through pyogrio.

    Lists and objects (aliases, facts, source records) are JSON text; the credits are the
    layer's description and ``attribution`` metadata, where QGIS shows them.
    """
    return gpkg_bytes(gpkg_table(sites), credits)


_KML = "http://www.opengis.net/kml/2.2"


def _kml_text(tag: str, text: str) -> str:
    """An element with text, written as ElementTree writes it (an empty one closed as ``<tag />``)."""
    return f"<{tag}>{escape(text)}</{tag}>" if text else f"<{tag} />"


def _kml_attribute(value: str) -> str:
    """An attribute value, quoted and escaped as ElementTree writes it (line breaks and tabs as references)."""
    return '"' + escape(value, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}) + '"'


def kml_placemarks(sites: gpd.GeoDataFrame) -> list[bytes]:
    """Each site's KML ``Placemark`` as UTF-8, in layer order: made once per data version, joined per selection."""
    out = []
    for row in sites.itertuples(index=False):
        properties = site_properties(row)
        data = "".join(
            f"<Data name={_kml_attribute(name)}>"
            + _kml_text("value", "" if (flat := _flat(name, value)) is None else str(flat))
            + "</Data>"
            for name, value in properties.items()
        )
        point = row.geometry
        where = (
            ""
            if point is None or point.is_empty
            else f"<Point><coordinates>{point.x:.6f},{point.y:.6f}</coordinates></Point>"
        )
        out.append(
            (
                f"<Placemark id={_kml_attribute(str(properties['id']))}>"
                + _kml_text("name", str(properties["name"]))
                + f"<ExtendedData>{data}</ExtendedData>{where}</Placemark>"
            ).encode("utf-8")
        )
    return out


def kml_bytes(placemarks: Iterable[bytes], credits: Sequence[str] = ()) -> bytes:
    """A KML 2.2 document of the given placemarks (``kml_placemarks``), the credits as its description."""
    head = (
        f"<?xml version='1.0' encoding='utf-8'?>\n<kml xmlns=\"{_KML}\"><Document>"
        + _kml_text("name", "Critical-mineral sites of Kazakhstan")
        + _kml_text("description", "\n".join(credits))
    )
    return head.encode("utf-8") + b"".join(placemarks) + b"</Document></kml>"


def sites_kml(sites: gpd.GeoDataFrame, credits: Sequence[str] = ()) -> bytes:
    """The sites as KML 2.2 (Google Earth): one placemark per site, every property as ``ExtendedData``.

    A site with no known location is a placemark without a point, so the file still lists
    every shown site; the credits are the document's description.
    """
    return kml_bytes(kml_placemarks(sites), credits)


def layers_zip(folder: Path) -> bytes:
    """Every built layer file in ``folder`` (those of ``LAYER_FILES`` that exist) as one zip archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in LAYER_FILES:
            path = Path(folder) / name
            if path.is_file():
                archive.write(path, arcname=name)
    return out.getvalue()
