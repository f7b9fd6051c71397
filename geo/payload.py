"""The sites as the map receives them: one compact columnar file per data version.

The browser fetches the placed sites once (``sites_payload``, written by ``publish_map``
beside the map page in a folder named by their digest, so a cache may keep them for ever; and
gzipped beside that folder, served by the app's static route, see ``publish_map``)
and from then on only receives which of them the selection shows (``mapview.map_message``: one bit per payload
row, about 17 kB at 100,000 sites). Every text is escaped here (``mapview.escape``), so the browser
inserts it as it is.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.mapview import PRECISION_LABELS, build_map, escape, placed
from geo.schema import COMMODITIES, KINDS, REGIONS, STATUSES

__all__ = ["PRECISION_CODES", "publish_map", "sites_payload", "write_once"]

#: The random part of folium's element names, left out of the digest so every process names a version alike.
_FOLIUM_ID = re.compile(rb"_[0-9a-f]{32}(?![0-9a-f])")
#: The payload's file name, beside the map page that fetches it.
_PAYLOAD = "sites.json"
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
    ``confidence`` (of a site found only in text; ``-1`` for the others).
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
        "confidence": np.where(extracted, shown["confidence"].fillna(0).to_numpy(), -1.0).round(2).tolist(),
    }


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


#: Where the map page finds the gzipped payload: from ``/component/<name>/index.html`` to the app's static route.
_GZIP_URL = "../../app/static/atlas/{digest}.sites.json.gz"
_DIGEST = "{digest}"


def publish_map(sites: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, survey_areas: gpd.GeoDataFrame, root: Path) -> Path:
    """Write the map of one data version to ``root/<digest>/``: ``index.html`` and the payload ``sites.json``.

    The folder is named by a digest of both files (leaving out folium's random element names),
    so a new data version gets a new folder (a browser or a proxy may cache its files) and
    every app process names a version alike. Returns the folder.

    The payload is also written gzipped as ``root/<digest>.sites.json.gz``; with ``root`` under
    the app's ``static/`` folder the page fetches that one through Streamlit's static route,
    which sends the bytes as they are (no gzip of 10 MB at level 9 per request, as the
    component route does) with a validator, so a browser asks for it once. A page opened
    elsewhere (static serving off) falls back to ``sites.json`` beside it.
    """
    data = _json(sites_payload(sites))
    page = build_map(regions, survey_areas, _PAYLOAD, _GZIP_URL).get_root().render().encode("utf-8")
    digest = hashlib.sha256(data + _FOLIUM_ID.sub(b"", page)).hexdigest()[:16]
    folder = Path(root) / digest
    write_once(Path(root) / f"{digest}.sites.json.gz", gzip.compress(data, compresslevel=6, mtime=0))
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
