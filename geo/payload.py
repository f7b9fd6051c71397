"""The sites as the map receives them: one compact columnar file per data version.

The browser fetches the placed sites once (``sites_payload``, written by ``publish_map``
beside the map page in a folder named by their digest, so a cache may keep them for ever; and
gzipped beside that folder, served by the app's static route, see ``publish_map``)
and from then on only receives which of them the selection shows (``mapview.map_message``: one bit per payload
row, about 17 kB at 100,000 sites). Every text is escaped here (``mapview.escape``), so the browser
inserts it as it is.

The file is binary (``encode_payload``), so that the browser uses its columns where they lie
instead of parsing them: at 100,000 sites the JSON it replaces took 0.2 s to unpack and parse.
It is a little-endian ``uint32`` length, a JSON head of that many bytes, then each column at an
offset (a multiple of 8, counted from the first multiple of 8 after the head):

- a number column is one typed array (``"type"`` a numpy dtype string such as ``"<f4"``);
- a text column with few distinct values is their ``"dictionary"`` and an array of codes;
- any other text column is its UTF-8 ``bytes`` and the ``<u4`` ``ends`` of each row's text,
  which the browser decodes only for the sites it draws.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import struct
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.mapview import PRECISION_LABELS, build_map, escape, placed
from geo.schema import COMMODITIES, KINDS, REGIONS, STATUSES

__all__ = ["PRECISION_CODES", "decode_payload", "encode_payload", "publish_map", "sites_payload", "write_once"]

#: The random part of folium's element names, left out of the digest so every process names a version alike.
_FOLIUM_ID = re.compile(rb"_[0-9a-f]{32}(?![0-9a-f])")
#: The payload's file name, beside the map page that fetches it.
_PAYLOAD = "sites.bin"
#: Location precisions in payload code order (as ``mapview.PRECISION_LABELS``); code 0 is an exact site.
PRECISION_CODES: tuple[str, ...] = tuple(PRECISION_LABELS)


def _codes(values: pd.Series, known: Sequence[str]) -> list[int]:
    """Each value's position in ``known``; ``-1`` for a value not in it (drawn as "other")."""
    lookup = {value: code for code, value in enumerate(known)}
    return [lookup.get(value, -1) for value in values]


def _escaped(values: pd.Series) -> list[str]:
    return [escape(value) for value in values]


def sites_payload(sites: gpd.GeoDataFrame) -> dict[str, Any]:
    """The placed ``sites`` as columns (rows in layer order), with the code tables the columns index.

    Columns: ``id``, ``name`` and ``label`` (main commodity, escaped HTML), ``lat``/``lon``
    (5 decimals, about a metre), ``kind``/``status``/``precision``/``region`` codes,
    ``commodities`` (symbols joined with ``,``), ``radius_km`` (0 for an exact site) and
    ``confidence`` (in percent, of a site found only in text; ``-1`` for the others).
    """
    shown = placed(sites)
    commodities = shown["commodities"].map(lambda symbols: list(symbols or []))
    extracted = (shown["origin"] == "extracted").to_numpy()
    return {
        "codes": {
            "kind": list(KINDS),
            "kind_label": list(KINDS.values()),
            "status": [STATUSES[key] for key in STATUSES],
            "status_key": list(STATUSES),
            "precision": list(PRECISION_CODES),
            "region": list(REGIONS),
            "commodity": COMMODITIES,
        },
        "id": [str(value) for value in shown["id"]],
        "name": _escaped(shown["name"]),
        "label": _escaped(commodities.map(lambda symbols: symbols[0] if symbols else "?")),
        "lat": np.round(shown.geometry.y.to_numpy(), 5).tolist(),
        "lon": np.round(shown.geometry.x.to_numpy(), 5).tolist(),
        "kind": _codes(shown["kind"], list(KINDS)),
        "status": _codes(shown["status"], list(STATUSES)),
        "precision": _codes(shown["location_precision"], PRECISION_CODES),
        "region": _codes(shown["region"], REGIONS),
        "commodities": _escaped(commodities.map(",".join)),
        "radius_km": np.where(
            shown["location_precision"].to_numpy() == "site", 0.0, shown["uncertainty_km"].fillna(0).to_numpy()
        ).tolist(),
        "confidence": np.where(extracted, (shown["confidence"].fillna(0).to_numpy() * 100).round(), -1)
        .astype(int)
        .tolist(),
    }


#: How each number column is stored (``sites_payload``'s codes are small; a metre is 1e-5 degrees,
#: which float32 keeps to about 0.4 m in Kazakhstan).
_NUMBERS = {
    "lat": "<f4",
    "lon": "<f4",
    "radius_km": "<f4",
    "kind": "i1",
    "status": "i1",
    "precision": "i1",
    "region": "i1",
    "confidence": "i1",
}


def _padding(length: int) -> int:
    """How many zero bytes follow ``length`` bytes so that the next column starts at a multiple of 8."""
    return -length % 8


def _text_column(values: list[str], put: Callable[[np.ndarray], int]) -> dict[str, Any]:
    """Store a text column: as a dictionary and codes when it has at most half as many values as rows, else UTF-8."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) * 2 <= len(values) and len(distinct) <= 2**16:
        lookup = {value: code for code, value in enumerate(distinct)}
        codes = np.array([lookup[value] for value in values], dtype="<u2")
        return {"type": codes.dtype.str, "offset": put(codes), "dictionary": distinct}
    encoded = [value.encode("utf-8") for value in values]
    ends = np.cumsum([len(value) for value in encoded], dtype="<u8")
    if len(ends) and ends[-1] >= 2**32:
        raise ValueError(f"the payload's texts hold {ends[-1]:,} bytes, more than its 32-bit offsets reach")
    text = np.frombuffer(b"".join(encoded), dtype="u1")
    return {"type": "text", "offset": put(text), "ends": put(ends.astype("<u4"))}


def encode_payload(columns: dict[str, Any]) -> bytes:
    """``sites_payload``'s columns as the binary file the map reads (see the module's docstring)."""
    parts: list[bytes] = []
    size = 0

    def put(array: np.ndarray) -> int:
        nonlocal size
        offset = size
        data = array.tobytes()
        parts.append(data + bytes(_padding(len(data))))
        size += len(parts[-1])
        return offset

    head: dict[str, Any] = {"rows": len(columns["id"]), "codes": columns["codes"], "columns": {}}
    for name, values in columns.items():
        if name == "codes":
            continue
        if name in _NUMBERS:
            array = np.asarray(values, dtype=_NUMBERS[name])
            head["columns"][name] = {"type": array.dtype.str, "offset": put(array)}
        else:
            head["columns"][name] = _text_column(values, put)
    encoded = _json(head)
    start = struct.pack("<I", len(encoded)) + encoded
    return start + bytes(_padding(len(start))) + b"".join(parts)


def decode_payload(data: bytes) -> dict[str, Any]:
    """The columns of a file ``encode_payload`` wrote, as lists (numbers as stored: float32 for coordinates).

    >>> columns = {"codes": {}, "id": ["a", "b"], "name": ["Ақтау", "b"], "label": ["W", "W"], "lat": [48.5, 49.0]}
    >>> decode_payload(encode_payload(columns)) == columns
    True
    """
    (length,) = struct.unpack_from("<I", data)
    head = json.loads(data[4 : 4 + length])
    base = 4 + length + _padding(4 + length)
    rows = head["rows"]
    columns: dict[str, Any] = {"codes": head["codes"]}
    for name, column in head["columns"].items():
        if column["type"] != "text":
            values = np.frombuffer(data, dtype=column["type"], count=rows, offset=base + column["offset"]).tolist()
            columns[name] = [column["dictionary"][code] for code in values] if "dictionary" in column else values
            continue
        ends = np.frombuffer(data, dtype="<u4", count=rows, offset=base + column["ends"]).tolist()
        text = data[base + column["offset"] :]
        columns[name] = [text[start:end].decode("utf-8") for start, end in zip([0, *ends[:-1]], ends, strict=True)]
    return columns


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


#: Where the map page finds the gzipped payload: from ``/component/<name>/index.html`` to the app's static route.
_GZIP_URL = "../../app/static/atlas/{digest}.sites.bin.gz"
_DIGEST = "{digest}"


def publish_map(sites: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, survey_areas: gpd.GeoDataFrame, root: Path) -> Path:
    """Write the map of one data version to ``root/<digest>/``: ``index.html`` and the payload ``sites.bin``.

    The folder is named by a digest of both files (leaving out folium's random element names),
    so a new data version gets a new folder (a browser or a proxy may cache its files) and
    every app process names a version alike. Returns the folder.

    The payload is also written gzipped as ``root/<digest>.sites.bin.gz``; with ``root`` under
    the app's ``static/`` folder the page fetches that one through Streamlit's static route,
    which sends the bytes as they are (no gzip of 10 MB at level 9 per request, as the
    component route does) with a validator, so a browser asks for it once. A page opened
    elsewhere (static serving off) falls back to ``sites.bin`` beside it.
    """
    data = encode_payload(sites_payload(sites))
    page = build_map(regions, survey_areas, _PAYLOAD, _GZIP_URL).get_root().render().encode("utf-8")
    digest = hashlib.sha256(data + _FOLIUM_ID.sub(b"", page)).hexdigest()[:16]
    folder = Path(root) / digest
    write_once(Path(root) / f"{digest}.sites.bin.gz", gzip.compress(data, compresslevel=6, mtime=0))
    write_once(folder / _PAYLOAD, data)
    write_once(folder / "index.html", page.replace(_DIGEST.encode(), digest.encode()))
    return folder


def write_once(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, unless it is there already.

    Several app processes may write the same file at once; each rename is atomic.
    """
    if path.is_file() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as out:
        out.write(data)
    os.replace(out.name, path)
