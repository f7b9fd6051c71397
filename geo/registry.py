"""The curated site registry (``data/sites.csv``): one checked row per real site.

Every row is validated before anything is built: a bad row stops the build with a
message that names the file, the row and the field, because a wrong point on a map
misleads quietly, and every problem is reported at once, not one per run.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from geo.ids import slug, unique_ids
from geo.opendata.records import SourceRecord
from geo.regions import regions_at
from geo.schema import COMMODITIES, KINDS, PRECISIONS, REGIONS, REGISTRY_COLUMNS, STATUSES
from geo.validation import InputError, UnlocatedRow, read_table, split_list, table_lines, unknown_value

__all__ = ["RegistryError", "Site", "UnlocatedSite", "read_registry", "read_unlocated", "split_list"]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RegistryError(InputError):
    """The registry has rows that cannot be built; ``problems`` names each one."""


@dataclass(frozen=True)
class Site:
    """One site: what it is, where it is, how well that is known, and who says so."""

    id: str
    name: str
    kind: str
    region: str
    lat: float
    lon: float
    precision: str
    uncertainty_km: float
    location_source: str
    aliases: tuple[str, ...] = ()
    commodities: tuple[str, ...] = ()
    operator: str = ""
    status: str = "unknown"
    location_note: str = ""
    info_source: str = ""
    descriptions: tuple[str, ...] = ()
    origin: str = "registry"
    confidence: float = 1.0
    records: tuple[SourceRecord, ...] = ()
    value_sources: tuple[tuple[str, str], ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)

    @property
    def point(self) -> shapely.Point:
        """The site's point (lon, lat)."""
        return shapely.Point(self.lon, self.lat)


@dataclass(frozen=True)
class UnlocatedSite:
    """A site the articles name that no source places, even to a region: kept, with the reason.

    Its ``id`` is a Latin slug of the name, made unique against the registry's ids.
    """

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    commodities: tuple[str, ...]
    operator: str
    status: str
    reason: str
    info_source: str
    origin: str = "registry"
    records: tuple[SourceRecord, ...] = ()
    value_sources: tuple[tuple[str, str], ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


def _number(row: dict[str, str], column: str, problems: list[str], where: str) -> float | None:
    """Parse a numeric cell, recording a problem that names the cell when it is not a number."""
    try:
        value = float(row[column])
    except (TypeError, ValueError):
        problems.append(f"{where}: {column} {row[column]!r} is not a number")
        return None
    if not math.isfinite(value):
        problems.append(f"{where}: {column} {row[column]!r} is not a finite number")
        return None
    return value


def _check_choice(value: str, allowed: object, column: str, where: str) -> list[str]:
    """A problem when ``value`` is not one of ``allowed``."""
    problem = unknown_value(value, allowed, column)
    return [f"{where}: {problem}"] if problem else []


def _description_problems(row: dict[str, str], where: str) -> list[str]:
    """Problems with what a row says a site is: its kind, status and commodities."""
    problems = _check_choice(row["kind"], KINDS, "kind", where)
    problems += _check_choice(row["status"], STATUSES, "status", where)
    return problems + [
        p for symbol in split_list(row["commodities"]) for p in _check_choice(symbol, COMMODITIES, "commodity", where)
    ]


def _point(row: dict[str, str]) -> tuple[float, float] | None:
    """A row's (lon, lat) when both are finite numbers in the WGS84 range, else None (reported by the row's check)."""
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except (TypeError, ValueError):
        return None
    return (lon, lat) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def _regions_of(rows: list[dict[str, str]]) -> list[tuple[str | None, bool]]:
    """Per row: the region its point lies in, and whether the point swapped (lat as lon) lies in one.

    Two bulk index queries for all the rows (``regions.regions_at``), not one query per row.
    """
    points = [_point(row) or (float("nan"), float("nan")) for row in rows]
    lons, lats = np.array([p[0] for p in points], dtype=float), np.array([p[1] for p in points], dtype=float)
    found, _ = regions_at(np.nan_to_num(lons, nan=0.0), np.nan_to_num(lats, nan=0.0))
    outside = [n for n, name in enumerate(found) if name is None and -90 <= lons[n] <= 90]
    swapped, _ = regions_at(lats[outside], lons[outside]) if outside else ([], None)
    in_swapped = dict(zip(outside, (name is not None for name in swapped), strict=True))
    return [(found[n], in_swapped.get(n, False)) for n in range(len(rows))]


def _check_location(
    row: dict[str, str], lat: float, lon: float, where: str, found: tuple[str | None, bool]
) -> list[str]:
    """Problems with a point: outside lon/lat range, outside Kazakhstan (maybe swapped), wrong region.

    ``found`` is the point's region and whether the swapped point lies in one (``_regions_of``).
    """
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return [f"{where}: lat {lat} / lon {lon} is outside the range of WGS84 coordinates"]
    region, swapped = found
    if region is None:
        hint = " (lat and lon look swapped)" if -90 <= lon <= 90 and swapped else ""
        return [f"{where}: point lat {lat}, lon {lon} is outside Kazakhstan{hint}"]
    if row["region"] in REGIONS and region != row["region"]:
        return [f"{where}: region is {row['region']!r} but the point lies in {region!r}"]
    return []


def _parse_row(
    row: dict[str, str], where: str, found: tuple[str | None, bool] = (None, False)
) -> tuple[Site | None, list[str]]:
    """Turn one CSV row into a Site, or list what is wrong with it (``found``: its point's region, ``_regions_of``)."""
    problems: list[str] = []
    if not _ID.match(row["id"]):
        problems.append(f"{where}: id {row['id']!r} is not a lower-case slug (letters, digits, hyphens)")
    if not row["name"].strip():
        problems.append(f"{where}: name is empty")
    problems += _description_problems(row, where)
    problems += _check_choice(row["precision"], PRECISIONS, "precision", where)
    problems += _check_choice(row["region"], REGIONS, "region", where)
    commodities = split_list(row["commodities"])
    if not row["location_source"].strip():
        problems.append(f"{where}: location_source is empty: every coordinate needs its source")
    lat, lon = _number(row, "lat", problems, where), _number(row, "lon", problems, where)
    radius = _number(row, "uncertainty_km", problems, where)
    if lat is not None and lon is not None:
        problems += _check_location(row, lat, lon, where, found)
    if radius is not None and row["precision"] in PRECISIONS and radius < PRECISIONS[row["precision"]]:
        problems.append(
            f"{where}: uncertainty_km {radius} is too small for precision {row['precision']!r} "
            f"(at least {PRECISIONS[row['precision']]})"
        )
    if problems or lat is None or lon is None or radius is None:
        return None, problems
    site = Site(
        id=row["id"],
        name=row["name"].strip(),
        aliases=split_list(row["aliases"]),
        kind=row["kind"],
        commodities=commodities,
        operator=row["operator"].strip(),
        status=row["status"],
        region=row["region"],
        lat=lat,
        lon=lon,
        precision=row["precision"],
        uncertainty_km=radius,
        location_source=row["location_source"].strip(),
        location_note=row["location_note"].strip(),
        info_source=row["info_source"].strip(),
        descriptions=split_list(row["descriptions"]),
    )
    return site, []


def read_registry(path: Path) -> list[Site]:
    """Read and validate the registry; raise :class:`RegistryError` listing every bad row.

    Checks each row's id (slug, unique), kind, status, precision, region and commodities
    against :mod:`geo.schema`, that the point is a number inside Kazakhstan and in the
    region the row names, and that the uncertainty suits the precision.
    """
    path = Path(path)
    reader = csv.DictReader(table_lines(path))
    missing = [c for c in REGISTRY_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise RegistryError([f"{path}: missing columns {missing}"])
    rows = list(enumerate(reader, start=2))
    complete = [row for _, row in rows if None not in row and all(value is not None for value in row.values())]
    found = dict(zip(map(id, complete), _regions_of(complete), strict=True))
    sites: list[Site] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        where = f"{path} row {line} ({row.get('id') or 'no id'})"
        if None in row or any(value is None for value in row.values()):
            problems.append(f"{where}: wrong number of cells")
            continue
        if row["id"] in seen:
            problems.append(f"{where}: duplicate id {row['id']!r} (first on row {seen[row['id']]})")
            continue
        seen[row["id"]] = line
        site, row_problems = _parse_row(row, where, found[id(row)])
        problems += row_problems
        if site:
            sites.append(site)
    if problems:
        raise RegistryError(problems)
    return sites


def read_unlocated(path: Path, taken: Iterable[str] = ()) -> list[UnlocatedSite]:
    """Read ``unlocated.csv`` (see :class:`geo.validation.UnlocatedRow`); ids are unique against ``taken``.

    Raises :class:`geo.validation.InputError` naming every bad cell, and a row that repeats an
    earlier row's name.
    """
    rows = read_table(path, UnlocatedRow, unique=lambda row: slug(row.name))
    ids = unique_ids((slug(row.name) for row in rows), taken)
    return [
        UnlocatedSite(
            id=site_id,
            name=row.name,
            aliases=row.aliases,
            kind=row.kind,
            commodities=row.commodities,
            operator=row.operator,
            status=row.status,
            reason=row.reason,
            info_source=row.info_source,
        )
        for site_id, row in zip(ids, rows, strict=True)
    ]
