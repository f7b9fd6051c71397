"""Adapter for the ICMM Global Mining Dataset (September 2025, V1): mines, smelters, refineries, plants.

The dataset has no status, owner, capacity or record page. Its ``confidence`` says how well
the point is known (High 2 km, Moderate 10, Low 25, Very Low 50); ``asset_type`` may name
several types (``Smelter;Refinery``): the record takes the most facility-like (smelter >
refinery > plant > mine) and the precision note keeps the types as given.
"""

from __future__ import annotations

from pathlib import Path

from geo.commodities import normalise_commodities, unknown_commodity_words
from geo.opendata.checks import FIRST_DATA_LINE, duplicated, is_unnamed, order_flags, place, read_table, split_names
from geo.opendata.records import SourceRecord

__all__ = ["ASSET_KINDS", "COLUMNS", "CONFIDENCE_KM", "DATABASE", "LICENCE", "RELEASE", "read_icmm"]

COLUMNS = (
    "icmm_id",
    "name",
    "group_names",
    "asset_type",
    "primary_commodity",
    "secondary_commodity",
    "other_commodities",
    "confidence",
    "lat",
    "lon",
)
DATABASE = "ICMM Global Mining Dataset"
RELEASE = "ICMM Global Mining Dataset, September 2025 (V1)"
LICENCE = "CC BY 4.0"

#: Uncertainty radius, km, of each confidence level.
CONFIDENCE_KM: dict[str, float] = {"high": 2.0, "moderate": 10.0, "low": 25.0, "very low": 50.0}

#: Asset types → atlas kind, most facility-like first (the first one a row names wins).
ASSET_KINDS: dict[str, str] = {"smelter": "smelter", "refinery": "refinery", "plant": "plant", "mine": "mine"}


def _kind(asset_type: str) -> str:
    types = {t.strip().lower() for t in asset_type.split(";")}
    return next((kind for word, kind in ASSET_KINDS.items() if word in types), "mine")


def read_icmm(path: Path, problems: list[str] | None = None) -> list[SourceRecord]:
    """Read ``icmm_mining_2025_kz.csv`` into records (one per row, nothing dropped)."""
    frame = read_table(path, COLUMNS)
    placed = place(frame["lat"].tolist(), frame["lon"].tolist())
    twice = duplicated(frame["icmm_id"])
    records = []
    for i, row in enumerate(frame.to_dict("records")):
        line = FIRST_DATA_LINE + i
        point = placed[i]
        name = "" if is_unnamed(row["name"]) else row["name"]
        raw = ";".join(v for v in (row["primary_commodity"], row["secondary_commodity"], row["other_commodities"]) if v)
        radius = CONFIDENCE_KM.get(row["confidence"].lower())
        if problems is not None:
            problems += [f"{path.name} line {line}: unknown commodity word {w!r}" for w in unknown_commodity_words(raw)]
            if point.lat is not None and radius is None:
                problems.append(f"{path.name} line {line}: unknown confidence {row['confidence']!r}")
        flags = [
            *point.flags,
            *(["unnamed"] if not name else []),
            *(["duplicate_id"] if row["icmm_id"] in twice else []),
        ]
        note = f"ICMM confidence {row['confidence'] or 'not given'}; asset type {row['asset_type'] or 'not given'}"
        records.append(
            SourceRecord(
                key=f"icmm:{row['icmm_id']}",
                dataset="icmm",
                database=DATABASE,
                release=RELEASE,
                licence=LICENCE,
                record_id=row["icmm_id"],
                url=None,
                file=path.name,
                row=line,
                name=name,
                aliases=split_names(row["group_names"], ";", drop=[name] if name else []),
                kind=_kind(row["asset_type"]),
                commodities=normalise_commodities(raw),
                commodities_raw=raw,
                status="unknown",
                status_raw="",
                owner="",
                capacity="",
                lat=point.lat,
                lon=point.lon,
                uncertainty_km=radius if point.lat is not None else None,
                precision_note=note,
                flags=order_flags(flags),
            )
        )
    return records
