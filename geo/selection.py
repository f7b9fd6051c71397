"""The app's selection: filters read from untrusted URL query parameters, applied to the sites.

The URL is the state: ``parse_query`` turns query parameters into a ``Selection`` (collecting a
notice for every value it ignores), ``to_query`` turns it back, and ``filter_sites`` applies it.
``site`` names the site whose detail is open; it does not filter, so clicking a marker never
hides the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import geopandas as gpd
import pandas as pd

from geo.markup import summarise
from geo.schema import COMMODITIES, DATASETS, KINDS, REGION_ALIASES, REGIONS, STATUSES

__all__ = [
    "Selection",
    "download_name",
    "filter_sites",
    "filter_survey_areas",
    "headline",
    "normalise",
    "parse_query",
    "record_kinds",
    "to_query",
]

#: The longest free-text search kept.
MAX_QUERY = 100


@dataclass(frozen=True)
class Selection:
    """What the user selected; fields are named as the URL parameters in ``schema.QUERY_PARAMS``."""

    region: tuple[str, ...] = ()
    commodity: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    record_kind: tuple[str, ...] = ()
    q: str = ""
    site: str = ""

    @property
    def filtered(self) -> bool:
        """Whether any filter (not ``site``) narrows the sites."""
        return bool(
            self.region or self.commodity or self.kind or self.status or self.source or self.record_kind or self.q
        )


def normalise(text: str) -> str:
    """Fold text for matching in any script: NFKC, case-folded, ``ё`` as ``е``, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(folded.split())


def _lookup(canonical: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Map every folded spelling (the value itself and its other names) to the canonical value."""
    return {normalise(name): value for value, names in canonical.items() for name in (value, *names)}


#: Accepted spellings of each list parameter: the schema value, its label, and for regions
#: the aliases in ``REGION_ALIASES``; matching ignores case.
_ACCEPTED: dict[str, dict[str, str]] = {
    "region": _lookup({name: REGION_ALIASES.get(name, ()) for name in REGIONS}),
    "commodity": _lookup({symbol: (name,) for symbol, name in COMMODITIES.items()}),
    "kind": _lookup({key: (label,) for key, label in KINDS.items()}),
    "status": _lookup({key: (label,) for key, label in STATUSES.items()}),
    "source": _lookup({key: (label,) for key, label in DATASETS.items()}),
    "record_kind": _lookup({key: (label,) for key, label in KINDS.items()}),
}


def _ignored(what: str, values: list[str], reason: str = "") -> list[str]:
    """One notice for the ignored values of one parameter, naming a few and counting the rest."""
    if len(values) == 1:
        return [f"Ignored {what} {summarise(values)} in the URL{reason}."]
    return [f"Ignored {len(values):,} values of {what} in the URL{reason}: {summarise(values)}."] if values else []


def _values(raw: str | Sequence[str] | None) -> list[str]:
    """Split one parameter's value(s) on commas; a repeated parameter counts as more values."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def parse_query(params: Mapping[str, str | Sequence[str]], site_ids: Collection[str]) -> tuple[Selection, list[str]]:
    """Read a ``Selection`` from URL query parameters; return it with a notice per ignored value.

    Values are untrusted: a list parameter keeps only known values (any case, labels and
    region aliases accepted), ``q`` is cut to ``MAX_QUERY`` characters, and ``site`` must be
    one of ``site_ids``. Parameters the app does not use are ignored without a notice.

    >>> parse_query({"region": "karaganda region,Atlantis", "kind": "mine"}, [])
    (Selection(region=('Karaganda Region',), commodity=(), kind=('mine',), status=(), source=(), record_kind=(), \
q='', site=''), ['Ignored unknown region “Atlantis” in the URL.'])
    """
    notices: list[str] = []
    chosen: dict[str, tuple[str, ...] | str] = {}
    for name, accepted in _ACCEPTED.items():
        kept: list[str] = []
        unknown: list[str] = []
        for value in _values(params.get(name)):
            canonical = accepted.get(normalise(value))
            if canonical is None:
                unknown.append(value)
            elif canonical not in kept:
                kept.append(canonical)
        notices += _ignored(f"unknown {name}", unknown)
        chosen[name] = tuple(kept)
    raw_query = params.get("q") or ""
    query = raw_query if isinstance(raw_query, str) else " ".join(raw_query)
    query = " ".join("".join(ch for ch in query if ch.isprintable()).split())
    if len(query) > MAX_QUERY:
        notices.append(f"Shortened the search {summarise([query])} from the URL to {MAX_QUERY} characters.")
        query = query[:MAX_QUERY]
    asked = _values(params.get("site"))
    known = [value for value in asked if value in site_ids]
    site = known[0] if known else ""
    notices += _ignored("unknown site", [value for value in asked if value not in site_ids])
    notices += _ignored("site", known[1:], reason=": one site's detail opens at a time")
    return Selection(**chosen, q=query, site=site), notices


def to_query(selection: Selection) -> dict[str, str]:
    """The URL query parameters of a selection: only those set, several values comma-separated."""
    params = {}
    for field in fields(selection):
        value = getattr(selection, field.name)
        text = ",".join(value) if isinstance(value, tuple) else value
        if text:
            params[field.name] = text
    return params


def _matches_text(sites: gpd.GeoDataFrame, query: str) -> pd.Series:
    """Whether each site's name or an alias contains every word of ``query`` (any script, any case)."""
    words = normalise(query).split()
    haystacks = [
        normalise(" | ".join([str(name), *(aliases if isinstance(aliases, list) else [])]))
        for name, aliases in zip(sites["name"], sites["aliases"], strict=True)
    ]
    return pd.Series([all(word in hay for word in words) for hay in haystacks], index=sites.index, dtype=bool)


def filter_sites(sites: gpd.GeoDataFrame, selection: Selection) -> gpd.GeoDataFrame:
    """The sites the selection shows: every filter set must match (several values of one filter: any)."""
    keep = pd.Series(True, index=sites.index)
    if selection.region:
        keep &= sites["region"].isin(selection.region)
    if selection.kind:
        keep &= sites["kind"].isin(selection.kind)
    if selection.status:
        keep &= sites["status"].isin(selection.status)
    if selection.commodity:
        wanted = set(selection.commodity)
        keep &= sites["commodities"].map(lambda symbols: bool(wanted.intersection(symbols or ())))
    if selection.source:
        wanted_sources = set(selection.source)
        keep &= sites["datasets"].map(lambda datasets: bool(wanted_sources.intersection(datasets or ())))
    if selection.record_kind:
        keep &= record_kinds(sites).map(lambda kinds: bool(set(selection.record_kind) & kinds))
    if selection.q:
        keep &= _matches_text(sites, selection.q)
    return sites[keep]


def record_kinds(sites: gpd.GeoDataFrame) -> pd.Series:
    """The kinds the source records of each site give it (a USGS occurrence, an ICMM mine), as sets."""
    return sites["records"].map(lambda records: {record["kind"] for record in records or ()})


def filter_survey_areas(
    survey_areas: gpd.GeoDataFrame, shown_sites: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, selection: Selection
) -> gpd.GeoDataFrame:
    """The survey areas that go with the shown sites.

    An area tied to a site is shown with its site; an area tied to none is shown unless a
    region filter excludes it (it must touch a selected region).
    """
    site_ids = survey_areas["site_id"].fillna("").astype(str)
    keep = site_ids.isin(set(shown_sites["id"]))
    loose = site_ids == ""
    if selection.region:
        selected = regions[regions["name"].isin(selection.region)].union_all()
        loose &= survey_areas.intersects(selected)
    return survey_areas[keep | loose]


def headline(shown: int, total: int) -> str:
    """The count line above the map, e.g. ``"12 of 31 sites"``."""
    return f"{shown} of {total} site{'' if total == 1 else 's'}"


def _slug(text: str) -> str:
    """A file-name-safe form of a value: folded, runs of non-word characters as ``-``."""
    return re.sub(r"[\W_]+", "-", normalise(text)).strip("-")


def download_name(selection: Selection, extension: str) -> str:
    """A file name that says what the selection is, e.g. ``kz-sites_region-karaganda-region_kind-mine.csv``."""
    parts = ["kz-sites"]
    for field in ("region", "commodity", "kind", "status", "source", "record_kind"):
        values = getattr(selection, field)
        if values:
            parts.append(f"{field}-" + "+".join(_slug(value) for value in values))
    if _slug(selection.q):
        parts.append(f"q-{_slug(selection.q)}")
    if len(parts) == 1:
        parts.append("all")
    return "_".join(parts)[:150] + f".{extension}"
