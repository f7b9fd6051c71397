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
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from geo.ids import ids_in
from geo.markup import summarise
from geo.schema import COMMODITIES, COMMODITY_WORDS, DATASETS, KINDS, REGION_ALIASES, REGIONS, STATUSES

__all__ = [
    "Selection",
    "download_name",
    "filter_facts",
    "filter_masks",
    "filter_sites",
    "filter_survey_areas",
    "headline",
    "in_period",
    "normalise",
    "parse_query",
    "record_kinds",
    "search_sites",
    "to_query",
]

#: The longest free-text search kept.
MAX_QUERY = 100
#: The filters that take a list of values, as URL parameters and ``Selection`` fields.
_LIST_FILTERS: tuple[str, ...] = ("region", "commodity", "kind", "status", "source", "record_kind")


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
    since: str = ""
    until: str = ""
    site: str = ""

    @property
    def filtered(self) -> bool:
        """Whether any filter (not ``site``) narrows the sites."""
        return any(getattr(self, field.name) for field in fields(self) if field.name != "site")

    @property
    def dated(self) -> bool:
        """Whether the date filter ("mentioned from … to …") is set."""
        return bool(self.since or self.until)


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
q='', since='', until='', site=''), ['Ignored unknown region “Atlantis” in the URL.'])
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
    dates = {}
    for name in ("since", "until"):
        raw = _values(params.get(name))
        dates[name] = next((value for value in raw if _ISO_DATE.fullmatch(value) and _real_date(value)), "")
        notices += _ignored(f"{name} date", [value for value in raw if value != dates[name]], reason=_DATE_REASON)
    asked = _values(params.get("site"))
    known = [value for value in asked if value in site_ids]
    site = known[0] if known else ""
    notices += _ignored("unknown site", [value for value in asked if value not in site_ids])
    notices += _ignored("site", known[1:], reason=": one site's detail opens at a time")
    return Selection(**chosen, q=query, **dates, site=site), notices


#: A date parameter: an ISO calendar date.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_REASON = ": dates are written YYYY-MM-DD, one of each"


def _real_date(text: str) -> bool:
    """Whether an ISO-looking date exists on the calendar (``2025-02-30`` does not)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def to_query(selection: Selection) -> dict[str, str]:
    """The URL query parameters of a selection: only those set, several values comma-separated."""
    params = {}
    for field in fields(selection):
        value = getattr(selection, field.name)
        text = ",".join(value) if isinstance(value, tuple) else value
        if text:
            params[field.name] = text
    return params


#: Words that name each commodity: its symbol, its label, and the words of ``COMMODITY_WORDS`` (any language).
_COMMODITY_TERMS: dict[str, tuple[str, ...]] = {
    symbol: (symbol, label, *(word for word, sym in COMMODITY_WORDS.items() if sym == symbol))
    for symbol, label in COMMODITIES.items()
}
_TOKEN = re.compile(r"\w+")


def _site_text(site: Any) -> list[str]:
    """Everything a site is searched by: names, commodities, region, operator, kind, status and sources."""
    aliases = site.aliases if isinstance(site.aliases, list) else []
    commodities = [term for symbol in site.commodities or () for term in _COMMODITY_TERMS.get(symbol, (symbol,))]
    region = [site.region, *REGION_ALIASES.get(site.region, ())] if isinstance(site.region, str) else []
    datasets = [part for key in site.datasets or () for part in (key, DATASETS.get(key, ""))]
    kind, status = KINDS.get(site.kind, site.kind), STATUSES.get(site.status, site.status)
    return [str(site.name), *aliases, *commodities, *region, str(site.operator or ""), kind, status, *datasets]


def _tokens(sites: gpd.GeoDataFrame) -> pd.Series:
    """One row per (site, folded word of its searchable text), indexed like ``sites``."""
    words = [sorted(set(_TOKEN.findall(normalise(" ".join(_site_text(site)))))) for site in sites.itertuples()]
    return pd.Series(words, index=sites.index, dtype=object).explode().dropna()


def _typos(word: str) -> int:
    """Edits forgiven in a search word: none up to 4 letters, one up to 8, two beyond."""
    return 0 if len(word) <= 4 else 1 if len(word) <= 8 else 2


def _hits(word: str, vocabulary: list[str]) -> set[str]:
    """The site words a search word finds.

    A symbol-length word (2 letters or fewer) finds only itself, a 3-letter word the words it
    begins (``tin`` is not in ``platinum``), a longer one any word containing it or within ``_typos`` edits.
    """
    if len(word) <= 2:
        return {word} & set(vocabulary)
    if len(word) == 3:
        return {token for token in vocabulary if token.startswith(word)}
    found = {token for token in vocabulary if word in token}
    limit = _typos(word)
    if limit:
        distances = cdist([word], vocabulary, scorer=Levenshtein.distance, score_cutoff=limit, workers=1)[0]
        found.update(token for token, distance in zip(vocabulary, distances, strict=True) if distance <= limit)
    return found


def search_sites(sites: gpd.GeoDataFrame, query: str) -> pd.Series:
    """Whether each site matches every word of ``query`` somewhere in what it is searched by.

    A site is searched by its name and aliases, its commodities (symbols, names and words in
    English or Russian: ``W``, ``tungsten``, ``вольфрам``), region (and the region's other names),
    operator, kind, status and sources, in any script and case. A word of 5 letters or more
    forgives one typo (two from 9 letters), so ``Kuirektikol`` finds Kuirektykol; a word of up
    to 2 letters (a symbol) must be a whole word, so ``W`` does not find every name with a w.
    """
    words = list(dict.fromkeys(_TOKEN.findall(normalise(query))))
    keep = pd.Series(True, index=sites.index)
    if not words or sites.empty:
        return keep
    tokens = _tokens(sites)
    vocabulary = sorted(set(tokens))
    for word in words:
        found = tokens.isin(_hits(word, vocabulary))
        keep &= pd.Series(found.groupby(level=0).any(), index=sites.index).fillna(False).astype(bool)
    return keep


def in_period(published: Any, selection: Selection) -> bool:
    """Whether an article date lies in the selection's "mentioned from … to …" period (inclusive).

    With no period set every fact counts; with one set an undated fact does not.
    """
    if not selection.dated:
        return True
    day = str(published or "")[:10]
    return bool(day) and (selection.since or day) <= day <= (selection.until or day)


def filter_facts(facts: Iterable[Mapping[str, Any]] | None, selection: Selection) -> list[Mapping[str, Any]]:
    """The facts of a site published in the selection's period (all of them with no period set)."""
    return [fact for fact in facts or () if in_period(fact.get("published"), selection)]


def filter_masks(sites: gpd.GeoDataFrame, selection: Selection) -> dict[str, pd.Series]:
    """Which sites each set filter keeps, by parameter name (only the filters that are set).

    Kept apart so that facet counts (``geo.facets``) can combine all filters but one.
    """
    wanted = {name: set(getattr(selection, name)) for name in _LIST_FILTERS}
    columns = {"region": sites["region"], "kind": sites["kind"], "status": sites["status"]}
    sets = {"commodity": sites["commodities"], "source": sites["datasets"], "record_kind": None}
    masks: dict[str, pd.Series] = {}
    for name, values in wanted.items():
        if not values:
            continue
        if name in columns:
            masks[name] = columns[name].isin(values)
        else:
            column = sets[name] if sets[name] is not None else record_kinds(sites)
            masks[name] = column.map(lambda items, values=values: bool(values.intersection(items or ())))
    if selection.dated:
        masks["since"] = sites["facts"].map(lambda facts: bool(filter_facts(facts, selection)))
    if selection.q:
        masks["q"] = search_sites(sites, selection.q)
    return masks


def filter_sites(sites: gpd.GeoDataFrame, selection: Selection) -> gpd.GeoDataFrame:
    """The sites the selection shows: every filter set must match (several values of one filter: any)."""
    keep = pd.Series(True, index=sites.index)
    for mask in filter_masks(sites, selection).values():
        keep &= mask
    return sites[keep]


def record_kinds(sites: gpd.GeoDataFrame) -> pd.Series:
    """The kinds the source records of each site give it (a USGS occurrence, an ICMM mine), as sets.

    A plain loop over the lists: ``Series.map`` over 100,000 lists of dicts is several times slower.
    """
    kinds = [{record["kind"] for record in records or ()} for records in sites["records"].tolist()]
    return pd.Series(kinds, index=sites.index, dtype=object)


def filter_survey_areas(
    survey_areas: gpd.GeoDataFrame, shown_sites: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, selection: Selection
) -> gpd.GeoDataFrame:
    """The survey areas that go with the shown sites.

    An area tied to a site is shown with its site; an area tied to none is shown unless a
    region filter excludes it (it must touch a selected region).
    """
    site_ids = survey_areas["site_id"].fillna("").astype(str)
    tied = shown_sites["id"][ids_in(shown_sites["id"], site_ids)]  # the few shown sites with an area
    keep = pd.Series(ids_in(site_ids, tied), index=survey_areas.index)
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


def download_name(selection: Selection, extension: str, *, in_view: bool = False) -> str:
    """A file name that says what the selection is, e.g. ``kz-sites_region-karaganda-region_kind-mine.csv``.

    ``in_view``: only the sites in the map's view ("only sites in view"), marked ``_in-view``.
    """
    parts = ["kz-sites"]
    for field in _LIST_FILTERS:
        values = getattr(selection, field)
        if values:
            parts.append(f"{field}-" + "+".join(_slug(value) for value in values))
    if _slug(selection.q):
        parts.append(f"q-{_slug(selection.q)}")
    parts += [f"{name}-{getattr(selection, name)}" for name in ("since", "until") if getattr(selection, name)]
    if len(parts) == 1:
        parts.append("all")
    return "_".join(parts)[:140] + ("_in-view" if in_view else "") + f".{extension}"
