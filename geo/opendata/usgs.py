"""Adapter for the USGS world deposit databases, as converted by DARPA CriticalMAAS MinMod.

One file holds the Kazakhstan rows of eleven databases (``source_db``, ``source_id``). The
records are historic: no status, owner or capacity. Each database's record page:

* ``porcu``, ``sedcu``, ``sedznpb``, ``ree``: ``https://mrdata.usgs.gov/<db>/show-<db>.php?rec_id=N``
  — the pattern a public USGS-table reader uses for these four (and ``podchrome``), and a
  citation of ``https://mrdata.usgs.gov/ree/show-ree.php?rec_id=323`` confirms it for ``ree``.
* The others (``major-deposits``, ``nicrpge``, ``sir20105090z``, ``vms``, ``potash``,
  ``phosphate``, ``laterite``) key their records by other fields (``gid``, ``site_id``,
  ``gmrap_id``, ``rec_no``) and no record-page pattern could be verified (the same reader
  notes that ``show-vms.php`` answers 400): their records link to the database page.

The PGE-Ni-Cr bibliography is of occurrences as much as deposits: its records are
``occurrence``; so is any record named only "occurrence" or "sylvite occurrence".
"""

from __future__ import annotations

import re
from pathlib import Path

from rapidfuzz import fuzz

from geo.commodities import normalise_commodities, shared_commodity_list, unknown_commodity_words
from geo.names import merge_key
from geo.opendata.checks import (
    FIRST_DATA_LINE,
    duplicated,
    is_drill_hole,
    is_unnamed,
    order_flags,
    place,
    radius_from_decimals,
    read_table,
    split_names,
)
from geo.opendata.records import SourceRecord

__all__ = ["COLUMNS", "LICENCE", "OCCURRENCE_DATABASES", "RECORD_PAGES", "read_usgs", "record_url"]

#: Columns the adapter reads.
COLUMNS = ("source_db", "source_id", "record_id", "name", "aliases", "commodities", "lat", "lon")

LICENCE = "public domain (USGS); MinMod conversion MIT"

#: Databases (slug of ``source_id``) whose per-record page pattern was verified.
RECORD_PAGES: dict[str, str] = {
    slug: f"https://mrdata.usgs.gov/{slug}/show-{slug}.php?rec_id={{id}}"
    for slug in ("porcu", "sedcu", "sedznpb", "ree")
}

#: Databases of occurrences rather than deposits.
OCCURRENCE_DATABASES = frozenset({"nicrpge"})

_GENERIC_OCCURRENCE = re.compile(r"^(?:\w+ )?occurrence$", re.IGNORECASE)


def _slug(source_id: str) -> str:
    return source_id.rstrip("/").rsplit("/", 1)[-1]


def record_url(source_id: str, record_id: str) -> str:
    """The record's page where its database's pattern is known, else the database's page."""
    pattern = RECORD_PAGES.get(_slug(source_id))
    return pattern.format(id=record_id) if pattern else source_id


def _release(path: Path) -> str:
    """The MinMod copy named in the file's note line ('... (commit 050de430, ...')."""
    with path.open(encoding="utf-8") as file:
        note = file.readline()
    commit = re.search(r"commit ([0-9a-f]{7,40})", note)
    return (
        f"DARPA CriticalMAAS MinMod ta2-minmod-data, commit {commit.group(1)}"
        if commit
        else "DARPA CriticalMAAS MinMod"
    )


def _kind(slug: str, name: str) -> str:
    if is_drill_hole(name):
        return "drill_hole"
    if slug in OCCURRENCE_DATABASES or _GENERIC_OCCURRENCE.match(name.strip()):
        return "occurrence"
    return "deposit"


# Other names a USGS name gives in brackets: "Kokdhzon (Kok Dzhon, Kokzhon) Mine", "Zhanatas (Dzhanatas)".
_BRACKETED = re.compile(r"^(?P<head>[^()]+?)\s*,?\s*\((?P<inner>[^()]+)\)\s*(?P<tail>[^()]*)$")
# A bracket that says which group, part or works the site is, not another name of it.
_NOT_A_NAME = re.compile(r"\b(?:group|grou|complex|district|extension|zavod|part|area|block)\b|\d", re.IGNORECASE)


#: How alike (rapidfuzz ratio of merge keys) a bracketed name must be to the name before it to be its other spelling.
_SPELLING_RATIO = 70


def _spelling_of(name: str, other: str) -> bool:
    """Whether ``other`` is another spelling of ``name`` ('Kok Dzhon' of 'Kokdhzon'), not another place ('Tastau')."""
    keys = [merge_key(text).replace(" ", "") for text in (name, other)]
    return all(keys) and fuzz.ratio(*keys) >= _SPELLING_RATIO


def bracketed_names(name: str) -> tuple[str, ...]:
    """Other spellings a record's name gives in brackets, each with the words after the bracket, and the bare name.

    A bracket with another place or part in it ("Sayak-II (Tastau)", "Bakyrchik, (Bol'shevik)",
    "Molodezhnoe (Kempirsai group)") gives none: those are other sites, or the site's group.

    >>> bracketed_names("Kokdhzon (Kok Dzhon, Kokzhon) Mine")
    ('Kokdhzon Mine', 'Kok Dzhon Mine', 'Kokzhon Mine')
    >>> bracketed_names("Sayak-II (Tastau)"), bracketed_names("West Saryoba (south extension)")
    ((), ())
    """
    match = _BRACKETED.match(name.strip())
    if not match or _NOT_A_NAME.search(match["inner"]):
        return ()
    parts = [part.strip() for part in match["inner"].split(",")]
    if not all(part[:1].isupper() and _spelling_of(match["head"], part) for part in parts):
        return ()
    tail = f" {match['tail'].strip()}" if match["tail"].strip() else ""
    return tuple(f"{part}{tail}" for part in (match["head"].strip(), *parts) if part)


def _aliases(text: str, name: str) -> tuple[str, ...]:
    """The record's other names: its aliases field ('includes A, B') and the names its name gives in brackets."""
    text = re.sub(r"^\s*includes\s+", "", text, flags=re.IGNORECASE)
    return split_names(";".join((text, *bracketed_names(name))), drop=[name] if name else [])


def read_usgs(path: Path, problems: list[str] | None = None) -> list[SourceRecord]:
    """Read ``usgs_deposits_kz.csv`` into records (one per row, nothing dropped).

    Unknown commodity words are reported in ``problems`` (file and line); a database whose
    every row carries the same commodity list gets that said in each record's precision note.
    """
    frame = read_table(path, COLUMNS)
    release = _release(path)
    placed = place(frame["lat"].tolist(), frame["lon"].tolist())
    slugs = [_slug(s) for s in frame["source_id"]]
    twice = duplicated(f"{slug}:{rid}" for slug, rid in zip(slugs, frame["record_id"], strict=True))
    shared = {db: shared_commodity_list(group) for db, group in frame.groupby("source_db", sort=False)["commodities"]}
    records = []
    for i, row in enumerate(frame.to_dict("records")):
        line = FIRST_DATA_LINE + i
        slug, point, raw_name = slugs[i], placed[i], row["name"]
        name = "" if is_unnamed(raw_name) else raw_name
        kind = _kind(slug, raw_name)
        flags = list(point.flags)
        flags += ["unnamed"] if not name else []
        flags += ["drill_hole"] if kind == "drill_hole" else []
        flags += ["duplicate_id"] if f"{slug}:{row['record_id']}" in twice else []
        notes = []
        if point.decimals is not None:
            radius = radius_from_decimals(point.decimals)
            notes.append(f"point given to {point.decimals} decimal(s): within {radius:g} km")
        if shared[row["source_db"]]:
            notes.append("the database gives the same commodity list on every row: what it records, not what was found")
        if problems is not None:
            unknown = unknown_commodity_words(row["commodities"])
            problems += [f"{path.name} line {line}: unknown commodity word {word!r}" for word in unknown]
        records.append(
            SourceRecord(
                key=f"usgs:{slug}:{row['record_id']}",
                dataset="usgs",
                database=row["source_db"],
                release=release,
                licence=LICENCE,
                record_id=row["record_id"],
                url=record_url(row["source_id"], row["record_id"]),
                file=path.name,
                row=line,
                name=name,
                aliases=_aliases(row["aliases"], name),
                kind=kind,
                commodities=normalise_commodities(row["commodities"]),
                commodities_raw=row["commodities"],
                status="unknown",
                status_raw="",
                owner="",
                capacity="",
                lat=point.lat,
                lon=point.lon,
                uncertainty_km=None if point.decimals is None else radius_from_decimals(point.decimals),
                precision_note="; ".join(notes),
                flags=order_flags(flags),
            )
        )
    return records
