"""Open datasets about Kazakhstan's mineral sites, read into one record type with their provenance.

:func:`read_open_data` reads every known file of a folder (``../shared/open-data`` beside the
checkout) with its adapter (:data:`ADAPTERS`) and returns the records of all of them, with
the problems met on the way (an unknown file, missing columns, an odd row). :data:`CITATIONS`
holds the credit each source's licence asks for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geo.opendata.checks import MissingColumnsError
from geo.opendata.gem import read_gcmt, read_giomt, read_gist
from geo.opendata.icmm import read_icmm
from geo.opendata.records import FLAGS, SourceRecord
from geo.opendata.usgs import read_usgs

__all__ = ["ADAPTERS", "CITATIONS", "DATASETS", "FLAGS", "OpenData", "SourceRecord", "flag_counts", "read_open_data"]

Adapter = Callable[[Path, "list[str] | None"], list[SourceRecord]]

#: Each known file name → (dataset key, adapter), in the order records are returned.
ADAPTERS: dict[str, tuple[str, Adapter]] = {
    "usgs_deposits_kz.csv": ("usgs", read_usgs),
    "icmm_mining_2025_kz.csv": ("icmm", read_icmm),
    "gem_iron_steel_2025-03_kz.csv": ("gem-gist", read_gist),
    "gem_iron_ore_mines_2024-11_kz.csv": ("gem-giomt", read_giomt),
    "gem_coal_mines_2024_kz.csv": ("gem-gcmt", read_gcmt),
}

#: Dataset keys, in the order of :data:`ADAPTERS`.
DATASETS: tuple[str, ...] = tuple(key for key, _ in ADAPTERS.values())

#: The citation each dataset's licence or README asks for, by dataset key.
CITATIONS: dict[str, str] = {
    "usgs": (
        "U.S. Geological Survey mineral deposit databases (mrdata.usgs.gov), via DARPA CriticalMAAS MinMod"
        " (each record names its database)"
    ),
    "icmm": "ICMM Global Mining Dataset, September 2025 (V1) release.",
    "gem-gist": "Global Energy Monitor, Global Iron and Steel Tracker, March 2025 release.",
    "gem-giomt": "Global Energy Monitor, Global Iron Ore Mines Tracker, November 2024 (V1) release.",
    "gem-gcmt": "Global Energy Monitor, Global Coal Mine Tracker, 2024.",
}

#: Files of the folder that are documentation, not data.
_NOT_DATA = frozenset({"README.md"})


@dataclass
class OpenData:
    """The records of every file read, in a deterministic order, and the problems met."""

    records: list[SourceRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_open_data(folder: Path) -> OpenData:
    """Read every known file of ``folder``; an unknown file or a file with missing columns is a problem.

    Records come file by file in the order of :data:`ADAPTERS`, each file's in its own order.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"open-data folder not found: {folder}")
    data = OpenData()
    present = {path.name for path in folder.iterdir() if path.is_file()}
    data.problems += [f"{name}: unknown file, not read" for name in sorted(present - set(ADAPTERS) - _NOT_DATA)]
    for name, (_, adapter) in ADAPTERS.items():
        if name not in present:
            continue
        try:
            data.records += adapter(folder / name, data.problems)
        except (MissingColumnsError, UnicodeDecodeError) as error:
            data.problems.append(str(error) if isinstance(error, MissingColumnsError) else f"{name}: {error}")
    return data


def flag_counts(records: Iterable[SourceRecord]) -> dict[str, Counter[str]]:
    """Records per flag and dataset, every flag present (zero when none): ``{flag: Counter(dataset: n)}``."""
    counts: dict[str, Counter[str]] = {flag: Counter() for flag in FLAGS}
    for record in records:
        for flag in record.flags:
            counts[flag][record.dataset] += 1
    return counts
