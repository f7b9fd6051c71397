"""The checks every open-data adapter shares: reading a file, points, names, ids and lists.

Written once here so that each source is judged by the same rules:

* **Points** (:func:`place`): a missing or unreadable coordinate gives no point and the flag
  ``no_coordinates``; a point outside Kazakhstan whose swapped point (lat ↔ lon) lies inside is
  swapped and flagged ``swapped_coordinates``; any other point outside is kept and flagged
  ``outside_border``. The border is the union of the 20 regions of :func:`geo.regions.load_regions`.
* **Radius from decimals** (:func:`radius_from_decimals`): a source that gives a coordinate to
  *d* decimals places the point within half a unit of the last place, 0.5·10⁻ᵈ degrees on each
  axis; the worst case is the diagonal, ×√2, at 111.32 km a degree, floored at 1 km:
  0 decimals → 78.7 km, 1 → 7.9 km, 2 and more → 1 km. The fewer decimals of lat and lon count.
* **Names** (:func:`is_unnamed`, :func:`is_drill_hole`): an empty name, ``unnamed``,
  ``Unnamed 2`` or a bare generic label (``occurrence``, ``sylvite occurrence``) is no name;
  ``Drill-hole 138``, ``Irkuduk drill hole 7`` are drill holes.
* **Ids** (:func:`duplicated`): an id used on more than one row of a file.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.opendata.records import FLAGS

__all__ = [
    "KM_PER_DEGREE",
    "MissingColumnsError",
    "Placed",
    "country_outline",
    "decimals",
    "duplicated",
    "is_drill_hole",
    "is_unnamed",
    "order_flags",
    "place",
    "radius_from_decimals",
    "read_table",
    "split_names",
]

#: Kilometres in a degree of latitude (and of longitude at the equator).
KM_PER_DEGREE = 111.32

#: The first data row's line in a source file: line 1 is the note, line 2 the header.
FIRST_DATA_LINE = 3


class MissingColumnsError(ValueError):
    """A source file lacks columns its adapter needs; the message names the file and the columns."""


def read_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """Read a source CSV (skipping its note line) with every column as a string, checking ``columns``.

    Empty cells are ``""``, never NaN, so the decimals a source gives can be counted.
    """
    frame = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise MissingColumnsError(f"{path.name}: missing column(s) {', '.join(missing)}")
    return frame.apply(lambda column: column.str.strip())


@cache
def country_outline() -> BaseGeometry:
    """Kazakhstan's border: the union of the 20 regions, prepared for fast point tests (computed once)."""
    from geo.regions import load_regions

    outline = shapely.union_all(load_regions().geometry.to_numpy())
    shapely.prepare(outline)
    return outline


def decimals(text: str) -> int:
    """How many decimals a coordinate is written with ('50.30' → 2, '58' → 0)."""
    _, dot, fraction = text.strip().partition(".")
    return len(fraction) if dot else 0


def radius_from_decimals(places: int) -> float:
    """Uncertainty radius in km of a point written to ``places`` decimals (see the module docstring).

    >>> [radius_from_decimals(d) for d in (0, 1, 2, 6)]
    [78.7, 7.9, 1.0, 1.0]
    """
    return max(1.0, round(0.5 * 10.0**-places * KM_PER_DEGREE * math.sqrt(2), 1))


@dataclass(frozen=True)
class Placed:
    """A row's point after the checks: lat/lon (None if none), its flags and the decimals given."""

    lat: float | None
    lon: float | None
    flags: tuple[str, ...]
    decimals: int | None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def place(lats: Sequence[str], lons: Sequence[str]) -> list[Placed]:
    """Check the points of a whole file at once (vectorised): parse, swap where that fixes them, flag."""
    lat = np.array([_number(t) if t else None for t in lats], dtype=float)
    lon = np.array([_number(t) if t else None for t in lons], dtype=float)
    present = ~(np.isnan(lat) | np.isnan(lon))
    outline = country_outline()
    inside = present & shapely.contains_xy(outline, np.nan_to_num(lon), np.nan_to_num(lat))
    swapped_inside = present & shapely.contains_xy(outline, np.nan_to_num(lat), np.nan_to_num(lon))
    swap = present & ~inside & swapped_inside
    out = []
    for i in range(len(lat)):
        if not present[i]:
            out.append(Placed(None, None, ("no_coordinates",), None))
            continue
        places = min(decimals(lats[i]), decimals(lons[i]))
        if swap[i]:
            out.append(Placed(float(lon[i]), float(lat[i]), ("swapped_coordinates",), places))
        else:
            out.append(Placed(float(lat[i]), float(lon[i]), () if inside[i] else ("outside_border",), places))
    return out


_UNNAMED = re.compile(r"^(?:unnamed(?: \d+)?|(?:\w+ )?occurrence|n/?a|-+)?$", re.IGNORECASE)
_DRILL_HOLE = re.compile(r"\bdrill[- ]?holes?\b|\bborehole\b", re.IGNORECASE)


def is_unnamed(name: str) -> bool:
    """Whether a source's name is no name ('', 'unnamed', 'Unnamed 2', 'sylvite occurrence').

    >>> [is_unnamed(n) for n in ("", "Unnamed 1", "occurrence", "Sylvite occurrence", "Kempirsai")]
    [True, True, True, True, False]
    """
    return _UNNAMED.match(name.strip()) is not None


def is_drill_hole(name: str) -> bool:
    """Whether a name is a drill hole's ('Drill-hole 138', 'Irkuduk drill hole 7', 'Drill hole U-23')."""
    return _DRILL_HOLE.search(name) is not None


def duplicated(ids: Iterable[str]) -> set[str]:
    """The non-empty ids that occur more than once."""
    counts = Counter(i for i in ids if i)
    return {i for i, n in counts.items() if n > 1}


def order_flags(flags: Iterable[str]) -> tuple[str, ...]:
    """Flags without repeats, in the order of :data:`FLAGS` (so records compare equal run to run)."""
    given = set(flags)
    unknown = given - set(FLAGS)
    if unknown:
        raise ValueError(f"unknown flag(s) {sorted(unknown)}")
    return tuple(flag for flag in FLAGS if flag in given)


def split_names(text: str, separators: str = ";,", drop: Iterable[str] = ()) -> tuple[str, ...]:
    """Names in a list field, stripped, without repeats (case-insensitively) or any name in ``drop``.

    >>> split_names("Kyzyl;Bakyrchik;Kyzyl", drop=["kyzyl"])
    ('Bakyrchik',)
    """
    dropped = {d.casefold() for d in drop}
    seen: dict[str, str] = {}
    for part in re.split(f"[{re.escape(separators)}]", text):
        name = " ".join(part.split())
        if name and name.casefold() not in dropped:
            seen.setdefault(name.casefold(), name)
    return tuple(seen.values())
