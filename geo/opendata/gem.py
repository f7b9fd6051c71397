"""Adapters for three Global Energy Monitor trackers: iron and steel plants, iron ore mines, coal mines.

The trackers differ in columns but share their ways: a status word per asset (mapped by
:data:`STATUS_MAP`), an owner and a parent, a GEM wiki page, other names in a comma list
(``... (predecessor)`` marks a former name, kept without the mark) and, except the coal
tracker, a ``coordinate_accuracy`` (exact → 1 km, approximate → 10 km). The coal tracker has
one row per mine *phase* under the same id: the phases of a mine become one record whose
status is the most advanced phase's and whose raw status and capacity list every phase.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from geo.commodities import normalise_commodities
from geo.opendata.checks import (
    FIRST_DATA_LINE,
    Placed,
    duplicated,
    is_unnamed,
    order_flags,
    place,
    radius_from_decimals,
    read_table,
    split_names,
)
from geo.opendata.records import SourceRecord
from geo.regions import normalise_region

__all__ = [
    "ACCURACY_KM",
    "GCMT_COLUMNS",
    "GIOMT_COLUMNS",
    "GIST_COLUMNS",
    "LICENCE",
    "STATUS_MAP",
    "STATUS_RANK",
    "read_gcmt",
    "read_giomt",
    "read_gist",
]

LICENCE = "CC BY 4.0"

#: GEM status words → atlas status.
STATUS_MAP: dict[str, str] = {
    "operating": "operating",
    "construction": "construction",
    "proposed": "planned",
    "announced": "planned",
    "pre-construction": "planned",
    "pre-permit": "planned",
    "permitted": "planned",
    "mothballed": "suspended",
    "shelved": "suspended",
    "idled": "suspended",
    "retired": "closed",
    "closed": "closed",
    "cancelled": "cancelled",
}

#: Atlas statuses from most to least advanced, to choose a merged mine's status.
STATUS_RANK: tuple[str, ...] = ("operating", "construction", "planned", "suspended", "closed", "cancelled", "unknown")

#: Uncertainty radius, km, of GEM's coordinate accuracy words.
ACCURACY_KM: dict[str, float] = {"exact": 1.0, "approximate": 10.0}

GIST_COLUMNS = (
    "plant_id",
    "name",
    "name_other",
    "other_names",
    "status",
    "crude_steel_ttpa_operating",
    "crude_steel_ttpa_announced",
    "owner",
    "parent",
    "province",
    "coordinate_accuracy",
    "lat",
    "lon",
    "wiki",
)
GIOMT_COLUMNS = (
    "asset_id",
    "name",
    "status",
    "design_capacity_ttpa",
    "owner",
    "parent",
    "province",
    "coordinate_accuracy",
    "lat",
    "lon",
    "wiki",
)
GCMT_COLUMNS = (
    "id",
    "project",
    "status",
    "owner",
    "parent",
    "capacity",
    "production",
    "coal-grade",
    "lat",
    "lng",
    "url",
)


def _status(raw: str) -> str:
    return STATUS_MAP.get(raw.strip().lower(), "unknown")


def _owner(owner: str, parent: str) -> str:
    """The owner, and the parent when it is another company ('A (parent: B)')."""
    if parent and parent.casefold() != owner.casefold():
        return f"{owner} (parent: {parent})" if owner else f"parent: {parent}"
    return owner


def _other_names(*texts: str, name: str) -> tuple[str, ...]:
    cleaned = [re.sub(r"\s*\(predecessor\)", "", text, flags=re.IGNORECASE) for text in texts]
    return split_names(",".join(t for t in cleaned if t), ",", drop=[name] if name else [])


def _thousand_t(value: str) -> str:
    """'6000' → '6,000'; '' or non-numbers as they are."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:,.0f}" if number == int(number) else f"{number:,}"


def _precision(point: Placed, accuracy: str | None) -> tuple[float | None, str]:
    """Radius and note from GEM's coordinate accuracy, or from the decimals when it gives none."""
    if point.lat is None:
        return None, ""
    if accuracy is not None and accuracy.lower() in ACCURACY_KM:
        return ACCURACY_KM[accuracy.lower()], f"GEM coordinate accuracy {accuracy}"
    radius = radius_from_decimals(point.decimals or 0)
    given = f"GEM coordinate accuracy {accuracy!r}; " if accuracy else ""
    return radius, f"{given}point given to {point.decimals} decimal(s): within {radius:g} km"


def _region(province: str) -> str | None:
    return normalise_region(province) if province and province.lower() != "unknown" else None


def _read_tracker(
    path: Path,
    columns: tuple[str, ...],
    dataset: str,
    database: str,
    release: str,
    fields: Callable[[dict[str, str]], dict],
    id_column: str,
    problems: list[str] | None,
) -> list[SourceRecord]:
    """Read a one-row-per-asset tracker; ``fields`` gives each row's source-specific fields."""
    frame = read_table(path, columns)
    placed = place(frame["lat"].tolist(), frame["lon"].tolist())
    twice = duplicated(frame[id_column])
    records = []
    for i, row in enumerate(frame.to_dict("records")):
        point, line = placed[i], FIRST_DATA_LINE + i
        name = "" if is_unnamed(row["name"]) else row["name"]
        radius, note = _precision(point, row["coordinate_accuracy"])
        extra = fields(row)
        if problems is not None and _status(row["status"]) == "unknown":
            problems.append(f"{path.name} line {line}: unknown status {row['status']!r}")
        flags = [
            *point.flags,
            *(["unnamed"] if not name else []),
            *(["duplicate_id"] if row[id_column] in twice else []),
        ]
        records.append(
            SourceRecord(
                key=f"{dataset}:{row[id_column]}",
                dataset=dataset,
                database=database,
                release=release,
                licence=LICENCE,
                record_id=row[id_column],
                url=row["wiki"] or None,
                file=path.name,
                row=line,
                name=name,
                status=_status(row["status"]),
                status_raw=row["status"],
                owner=_owner(row["owner"], row["parent"]),
                commodities=normalise_commodities(extra["commodities_raw"]),
                lat=point.lat,
                lon=point.lon,
                uncertainty_km=radius,
                precision_note=note,
                flags=order_flags(flags),
                region_hint=_region(row["province"]),
                **extra,
            )
        )
    return records


def _gist_fields(row: dict[str, str]) -> dict:
    capacity = [
        f"crude steel {_thousand_t(row[column])} thousand t/yr {stage}"
        for column, stage in (("crude_steel_ttpa_operating", "operating"), ("crude_steel_ttpa_announced", "announced"))
        if row[column] and row[column] not in ("0", "unknown")
    ]
    aliases = _other_names(row["name_other"], row["other_names"], name=row["name"])
    return {"aliases": aliases, "kind": "plant", "commodities_raw": "steel", "capacity": "; ".join(capacity)}


def read_gist(path: Path, problems: list[str] | None = None) -> list[SourceRecord]:
    """Read the Global Iron and Steel Tracker file (``gem_iron_steel_2025-03_kz.csv``): plants."""
    release = "Global Iron and Steel Tracker, March 2025"
    return _read_tracker(
        path, GIST_COLUMNS, "gem-gist", "Global Iron and Steel Tracker", release, _gist_fields, "plant_id", problems
    )


def _giomt_fields(row: dict[str, str]) -> dict:
    design = row["design_capacity_ttpa"]
    capacity = f"design capacity {_thousand_t(design)} thousand t/yr iron ore" if design not in ("", "unknown") else ""
    return {"aliases": (), "kind": "mine", "commodities_raw": "iron ore", "capacity": capacity}


def read_giomt(path: Path, problems: list[str] | None = None) -> list[SourceRecord]:
    """Read the Global Iron Ore Mines Tracker file (``gem_iron_ore_mines_2024-11_kz.csv``): mines."""
    release = "Global Iron Ore Mines Tracker, November 2024 (V1)"
    return _read_tracker(
        path, GIOMT_COLUMNS, "gem-giomt", "Global Iron Ore Mines Tracker", release, _giomt_fields, "asset_id", problems
    )


_COAL_GRADES = {
    "thermal": "thermal coal",
    "met": "metallurgical coal",
    "met/thermal": "metallurgical coal;thermal coal",
}


def _phase_capacity(row: dict[str, str]) -> str:
    if row["capacity"]:
        return f"{row['status']}: {row['capacity']} Mt/yr"
    return (
        f"{row['status']}: production {row['production']} Mt/yr" if row["production"] else f"{row['status']}: not given"
    )


def read_gcmt(path: Path, problems: list[str] | None = None) -> list[SourceRecord]:
    """Read the Global Coal Mine Tracker file (``gem_coal_mines_2024_kz.csv``), one record per mine.

    The rows of one id are the phases of one mine, not duplicates: the record takes the
    most advanced phase's status and point, lists every phase's status and capacity, and is
    flagged only if its phases disagree about the name (then ``duplicate_id``).
    """
    frame = read_table(path, GCMT_COLUMNS)
    placed = place(frame["lat"].tolist(), frame["lng"].tolist())
    frame = frame.assign(_line=range(FIRST_DATA_LINE, FIRST_DATA_LINE + len(frame)), _point=placed)
    records = []
    for mine_id, phases in frame.groupby("id", sort=False):
        rows = phases.to_dict("records")
        for row in rows:
            if problems is not None and _status(row["status"]) == "unknown":
                problems.append(f"{path.name} line {row['_line']}: unknown status {row['status']!r}")
        lead = min(rows, key=lambda r: STATUS_RANK.index(_status(r["status"])))
        point: Placed = lead["_point"]
        radius, note = _precision(point, None)
        if len({(r["lat"], r["lng"]) for r in rows}) > 1:
            note += f"; the phases give different points: the {lead['status']} phase's is used"
        names = {r["project"] for r in rows}
        name = "" if is_unnamed(lead["project"]) else lead["project"]
        grades = dict.fromkeys(_COAL_GRADES.get(r["coal-grade"].lower(), "coal") for r in rows)
        raw = ";".join(grades)
        flags = [*point.flags, *(["unnamed"] if not name else []), *(["duplicate_id"] if len(names) > 1 else [])]
        records.append(
            SourceRecord(
                key=f"gem-gcmt:{mine_id}",
                dataset="gem-gcmt",
                database="Global Coal Mine Tracker",
                release="Global Coal Mine Tracker, 2024",
                licence=LICENCE,
                record_id=str(mine_id),
                url=lead["url"] or None,
                file=path.name,
                row=int(rows[0]["_line"]),
                name=name,
                aliases=tuple(sorted(names - {lead["project"]})),
                kind="mine",
                commodities=normalise_commodities(raw),
                commodities_raw=raw,
                status=_status(lead["status"]),
                status_raw="; ".join(r["status"] for r in rows),
                owner=_owner(lead["owner"], lead["parent"]),
                capacity="; ".join(_phase_capacity(r) for r in rows),
                lat=point.lat,
                lon=point.lon,
                uncertainty_km=radius,
                precision_note=note,
                flags=order_flags(flags),
                region_hint=None,
            )
        )
    return records
