"""Downloads of any selection made by joining stored pieces, not by writing every site again.

``sites.geojson`` holds one feature a line, byte for byte the features ``export.sites_geojson``
writes, so the GeoJSON of a selection is those lines picked by position under a header with the
credits; the CSV rows (``export.csv_lines``), the KML placemarks (``export.kml_placemarks``) and
the GeoPackage's Arrow table (``export.gpkg_table``) are made once per data version and picked
alike. The results are the bytes (for the GeoPackage: the table) the ``export.sites_*`` functions
give for the selection.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from geo import export

__all__ = ["GeojsonPieces", "csv_of", "geojson_of", "geojson_pieces", "gpkg_of", "kml_of"]


class GeojsonPieces(NamedTuple):
    """The collection's opening members (credits, type) and one line per feature, in layer order."""

    header: bytes
    features: list[bytes]


def geojson_pieces(folder: Path, credits: Sequence[str]) -> GeojsonPieces:
    """The pieces of ``folder/sites.geojson`` (written one feature a line by ``geojson.dumps``)."""
    lines = (Path(folder) / "sites.geojson").read_bytes().split(b"\n")[1:-2]
    attribution = json.dumps(list(credits), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = (b'{"attribution":' + attribution + b"," if credits else b"{") + b'"type":"FeatureCollection"'
    return GeojsonPieces(header, [line.removesuffix(b",") for line in lines])


def _whole(positions: np.ndarray, count: int) -> bool:
    """Whether ``positions`` are all ``count`` rows in layer order: the stored pieces as they are."""
    return len(positions) == count and bool(np.array_equal(positions, np.arange(count)))


def _picked(pieces: Sequence, positions: np.ndarray) -> Sequence:
    """The pieces at ``positions``, in that order (all of them without a copy when that is all)."""
    return pieces if _whole(positions, len(pieces)) else [pieces[n] for n in np.asarray(positions).tolist()]


def geojson_of(pieces: GeojsonPieces, positions: np.ndarray) -> bytes:
    """The FeatureCollection of the sites at ``positions`` (rows of the layer), as ``export.sites_geojson``."""
    body = b",\n".join(_picked(pieces.features, positions))
    return pieces.header + b',"features":[\n' + body + b"\n]}\n"


def csv_of(rows: list[str], positions: np.ndarray) -> bytes:
    """The CSV of the sites at ``positions``, from ``export.csv_lines`` of all the sites (header first)."""
    return (rows[0] + "".join(_picked(rows[1:], positions))).encode("utf-8-sig")


def gpkg_of(table: pa.Table, positions: np.ndarray, credits: Sequence[str] = ()) -> bytes:
    """The GeoPackage of the sites at ``positions``, from ``export.gpkg_table`` of all the sites.

    All the sites in layer order are the table itself: a copy of every row would cost more than GDAL's write.
    """
    positions = np.asarray(positions, dtype=np.int64)
    return export.gpkg_bytes(table if _whole(positions, table.num_rows) else table.take(positions), credits)


def kml_of(placemarks: list[bytes], positions: np.ndarray, credits: Sequence[str] = ()) -> bytes:
    """The KML of the sites at ``positions``, from ``export.kml_placemarks`` of all the sites."""
    return export.kml_bytes(_picked(placemarks, positions), credits)
