"""Evaluation of the reader against a labelled set: recall, precision, regions and location error.

Two key formats, chosen by file suffix (:func:`load_key`):

* ``.csv`` (``eval/key.csv``: article, site_name, aliases, commodities, region, lat, lon,
  coord_source, location_phrase), one row per site an article names;
* ``.yaml`` / ``.yml`` (the news-dev ``key.yaml``): per article id ``sites`` (name,
  aliases_in_text, region, location_text, lat, lon, core, name_given_in_text, ...) and
  ``not_sites``; article ``NNN`` is the file ``NNN.md``.

Both become :class:`KeyRow` lists scored by one matcher (:func:`evaluate`) into one report.

What counts:

* A **prediction** is a site the pipeline reports for an article: a site discovered in it,
  or any site (discovered or from the registry, with the registry's region and point) that
  the extraction finds mentioned in it. That includes the sites the layers list without a
  location (the registry's unlocated sites, and names the text gives but does not place): such
  a site is found, and counted as found but not placed; it has no region, so where the key gives
  one it counts as a wrong region, and it has no point to measure an error from.
* A prediction **matches** a key site of the same article when one of its names, or the
  words it was read from, and one of the key site's names share a merge key
  (:func:`geo.names.merge_key`), also after generic words ("deposit", "plant", "project",
  commodity words and symbols) are dropped, or when those keys differ by a slip of spelling only
  (rapidfuzz ratio ≥ 90 on keys of six or more letters, same number of words).
* **Recall** is over named core sites. Sites the text only describes
  (``name_given_in_text: false``) are reported apart ("described-only found k of n"); a
  prediction matching one is correct. ``core: false`` sites are not required: not a miss when
  absent, neither correct nor false when found.
* A prediction that matches no key site is a **false site**, marked when it is one of the
  article's ``not_sites``. A key site confirms one prediction (two for "East and West X");
  another prediction of it is a **second record** of the site, counted but not correct.
* **Region accuracy** is over found named sites whose key gives a region; **location error**
  (geodesic km) over found named sites whose key gives coordinates, and whether that point is
  inside the radius the pipeline states.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pyproj import Geod
from rapidfuzz import fuzz

from geo.extract import Extraction
from geo.names import coordinated_names, merge_key, tokens
from geo.registry import Site, UnlocatedSite, split_list
from geo.schema import COMMODITIES, COMMODITY_WORDS
from geo.sources import Document

__all__ = ["Evaluation", "Key", "KeyRow", "evaluate", "load_key", "read_key", "read_news_key"]

_GEOD = Geod(ellps="WGS84")
_RELATIVE = re.compile(r"\d+\s*(?:km|kilomet|км)|\bbetween\b|\bмежду\b", re.IGNORECASE)
# Words that say what a site is, not which one ("plant", "copper", "Cu"): dropped for a second, looser key.
_GENERIC = frozenset(
    tokens(
        "deposit deposits mine mines field fields ore orefield plant plants smelter smelters smelting site "
        "project cluster works gok complex combine enterprise integrated processing mining metallurgical "
        "graphite bauxite alumina potash magnetite phosphorite borates "
        "and of the месторождение рудник комбинат завод гок кен орны"
    )
) | frozenset(key for word in (*COMMODITY_WORDS, *COMMODITIES) for key in tokens(word))
_BRACKETED = re.compile(r"\s*\([^()]*\)")
_FUZZY_RATIO = 90
_FUZZY_MIN_LENGTH = 6


def _spelt_out(name: str) -> tuple[str, ...]:
    """The names two direction words share, each in full: 'East and West Saryoba' → East Saryoba, West Saryoba."""
    shared = [found for found, start, _ in coordinated_names(name) if start == 0]
    if not shared:
        return ()
    return (shared[0], re.sub(r"^\S+\s+(?:and|&|и|және)\s+", "", name))


def _name_keys(names: Iterable[str]) -> set[str]:
    """Merge keys of the names as written and with their generic words dropped.

    A name two direction words share ("East and West Saryoba") is also each of its sites' names:
    a key that labels the pair once is found by either. A name with a bracketed qualifier
    ("Кок-Жон (уч. Болаттобе)", a section of it) is also the name without it.
    """
    written = tuple(names)
    written += tuple(bare for name in written if (bare := _BRACKETED.sub("", name).strip()) and bare != name)
    keys = set()
    for name in (*written, *(full for one in written for full in _spelt_out(one))):
        keys.add(merge_key(name))
        specific = [word for word in name.split() if not set(tokens(word)) <= _GENERIC]
        if specific:
            keys.add(merge_key(" ".join(specific)))
    return keys - {""}


def _similar(ours: set[str], theirs: set[str]) -> bool:
    """Whether two sets of name keys share a key, or hold two that differ by a slip of spelling."""
    if ours & theirs:
        return True
    return any(
        len(a) >= _FUZZY_MIN_LENGTH
        and len(a.split()) == len(b.split())
        and a[0] == b[0]
        and fuzz.ratio(a, b) >= _FUZZY_RATIO
        for a in ours
        for b in theirs
    )


@dataclass(frozen=True)
class KeyRow:
    """One site an article names (or describes), with its true region and coordinates."""

    article: str
    name: str
    aliases: tuple[str, ...]
    region: str | None
    lat: float | None
    lon: float | None
    location_phrase: str
    core: bool = True
    named: bool = True

    @property
    def keys(self) -> set[str]:
        """Merge keys of every name the row gives, also without generic words."""
        return _name_keys((self.name, *self.aliases))

    @property
    def relative(self) -> bool:
        """Whether the article locates the site by a distance or 'between' description."""
        return bool(_RELATIVE.search(self.location_phrase))

    @property
    def sites(self) -> int:
        """How many sites the row labels: two for a name two direction words share ("East and West X")."""
        return 2 if _spelt_out(self.name) else 1

    @property
    def required(self) -> bool:
        """Whether recall counts it: a core site the text names."""
        return self.core and self.named


@dataclass(frozen=True)
class Key:
    """A read answer key: its rows, the strings per article that are no sites, and its articles."""

    rows: list[KeyRow]
    not_sites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    articles: tuple[str, ...] = ()


def read_key(path: Path) -> list[KeyRow]:
    """Read a CSV answer key; ``ValueError`` names a row with coordinates that are not numbers or a bad ``core``.

    The optional ``core`` column (``yes`` when absent or empty) marks with ``no`` a site the article
    names only in passing, as news-dev's ``core: false`` does: not required, and not false when found.
    """
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                lat = float(row["lat"]) if row["lat"] else None
                lon = float(row["lon"]) if row["lon"] else None
            except ValueError as error:
                raise ValueError(f"{path} row {line}: {error}") from None
            core = (row.get("core") or "yes").strip().lower()
            if core not in ("yes", "no"):
                raise ValueError(f"{path} row {line}: core must be yes or no, not {core!r}")
            rows.append(
                KeyRow(
                    row["article"],
                    row["site_name"],
                    split_list(row["aliases"]),
                    row["region"] or None,
                    lat,
                    lon,
                    row["location_phrase"],
                    core=core == "yes",
                )
            )
    return rows


def _number(value: object, where: str) -> float | None:
    """A coordinate of the YAML key as a float, or None; ``ValueError`` names the site."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: {value!r} is not a number")
    return float(value)


def _news_row(article: str, site: object, where: str) -> KeyRow:
    """One site entry of a YAML key as a KeyRow."""
    if not isinstance(site, dict) or not site.get("name"):
        raise ValueError(f"{where}: a site needs at least a name")
    location = site.get("location_text") or []
    return KeyRow(
        article=f"{article}.md",
        name=str(site["name"]),
        aliases=tuple(str(alias) for alias in site.get("aliases_in_text") or ()),
        region=site.get("region") or None,
        lat=_number(site.get("lat"), f"{where} lat"),
        lon=_number(site.get("lon"), f"{where} lon"),
        location_phrase="; ".join(map(str, location if isinstance(location, list) else [location])),
        core=site.get("core", True) is not False,
        named=site.get("name_given_in_text", True) is not False,
    )


def read_news_key(path: Path) -> Key:
    """Read a YAML key (per article id: ``sites`` and ``not_sites``) into a :class:`Key`.

    Article ``"001"`` stands for the file ``001.md``. ``ValueError`` names the article and
    site of a malformed entry.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not valid YAML ({' '.join(str(error).split())})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of article ids to their labels")
    rows: list[KeyRow] = []
    not_sites: dict[str, tuple[str, ...]] = {}
    for article, labels in data.items():
        where = f"{path}: article {article}"
        if not isinstance(labels, dict) or not isinstance(labels.get("sites", []), list):
            raise ValueError(f"{where}: expected 'sites' (a list) and 'not_sites'")
        for number, site in enumerate(labels.get("sites") or [], start=1):
            rows.append(_news_row(str(article), site, f"{where} site {number}"))
        not_sites[f"{article}.md"] = tuple(str(text) for text in labels.get("not_sites") or ())
    return Key(rows, not_sites, tuple(f"{article}.md" for article in data))


def load_key(path: Path) -> Key:
    """Read an answer key in the format its suffix names: ``.csv``, or ``.yaml``/``.yml``."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_news_key(path)
    if suffix == ".csv":
        rows = read_key(path)
        return Key(rows, {}, tuple(dict.fromkeys(row.article for row in rows)))
    raise ValueError(f"{path}: unknown key format (expected .csv, .yaml or .yml)")


@dataclass(frozen=True)
class Prediction:
    """A site the pipeline says an article mentions, with every name it goes by there."""

    article: str
    site: Site | UnlocatedSite
    keys: frozenset[str]

    @property
    def placed(self) -> bool:
        """Whether the layers give the site a location (an unlocated site has no region and no point)."""
        return isinstance(self.site, Site)


@dataclass
class Evaluation:
    """The measured figures for a set of articles, and the rows behind them for a closer look."""

    key_rows: int
    found: int
    predictions: int
    correct_predictions: int
    region_checked: int
    region_correct: int
    described: int = 0
    described_found: int = 0
    not_core: int = 0
    articles: int = 0
    errors_km: list[tuple[KeyRow, float, float]] = field(default_factory=list)
    misses: list[KeyRow] = field(default_factory=list)
    #: Found sites that the layers list without a location.
    unplaced: list[KeyRow] = field(default_factory=list)
    #: Found sites placed in another region than the key's (or in none): the row and the region given.
    wrong_regions: list[tuple[KeyRow, str | None]] = field(default_factory=list)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)
    #: Predictions of a key site that another prediction already stands for: a second record of it.
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    known_false: set[tuple[str, str]] = field(default_factory=set)
    by_language: dict[str, Evaluation] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        """Share of named core key sites found."""
        return self.found / self.key_rows if self.key_rows else 0.0

    @property
    def placed_recall(self) -> float:
        """Share of named core key sites found and placed (not only kept without a location)."""
        return (self.found - len(self.unplaced)) / self.key_rows if self.key_rows else 0.0

    @property
    def precision(self) -> float:
        """Share of (article, site) predictions that the key confirms."""
        return self.correct_predictions / self.predictions if self.predictions else 0.0

    @property
    def region_accuracy(self) -> float:
        """Share of found sites with a key region that are placed in that region."""
        return self.region_correct / self.region_checked if self.region_checked else 0.0

    def _errors(self, relative_only: bool = False) -> list[float]:
        return sorted(error for row, error, _ in self.errors_km if row.relative or not relative_only)

    @staticmethod
    def _median(errors: list[float]) -> float:
        return statistics.median(errors) if errors else float("nan")

    @staticmethod
    def _p90(errors: list[float]) -> float:
        return errors[min(len(errors) - 1, round(0.9 * (len(errors) - 1)))] if errors else float("nan")

    @property
    def median_error_km(self) -> float:
        """Median location error of found sites with key coordinates."""
        return self._median(self._errors())

    @property
    def p90_error_km(self) -> float:
        """90th-percentile location error of found sites with key coordinates."""
        return self._p90(self._errors())

    @property
    def relative_median_error_km(self) -> float:
        """Median location error of the sites the key locates by a relative description."""
        return self._median(self._errors(relative_only=True))

    @property
    def relative_p90_error_km(self) -> float:
        """90th-percentile location error of those sites."""
        return self._p90(self._errors(relative_only=True))

    @property
    def within_radius(self) -> float:
        """Share of found sites with key coordinates whose true position is inside the stated radius."""
        inside = [error <= radius for _, error, radius in self.errors_km]
        return sum(inside) / len(inside) if inside else 0.0

    def summary_line(self) -> str:
        """All figures on one line (used per language); 'n/a' where there is nothing to count."""

        def share(value: float, count: int) -> str:
            return f"{value:.2f}" if count else "n/a"

        def km(value: float) -> str:
            return "n/a" if math.isnan(value) else f"{value:.1f} km"

        return (
            f"recall {share(self.recall, self.key_rows)} ({self.found} of {self.key_rows}, "
            f"{self.found - len(self.unplaced)} placed), "
            f"precision {share(self.precision, self.predictions)} ({self.correct_predictions} of {self.predictions}), "
            f"region {share(self.region_accuracy, self.region_checked)} "
            f"({self.region_correct} of {self.region_checked}), "
            f"error median {km(self.median_error_km)}, 90th percentile {km(self.p90_error_km)} "
            f"({len(self.errors_km)} sites), inside radius {share(self.within_radius, len(self.errors_km))}, "
            f"described-only found {self.described_found} of {self.described}"
        )

    def report(self) -> str:
        """The figures as printed by ``python -m geo evaluate``."""
        total = self.key_rows + self.described + self.not_core
        relative = self._errors(relative_only=True)
        lines = [
            f"key: {total} sites in {self.articles} articles ({self.key_rows} named core, "
            f"{self.described} described only, {self.not_core} not core)",
            f"site recall:      {self.recall:.2f} ({self.found} of {self.key_rows} named sites)",
            f"site precision:   {self.precision:.2f} ({self.correct_predictions} of {self.predictions} predictions)",
            f"region accuracy:  {self.region_accuracy:.2f} ({self.region_correct} of {self.region_checked} "
            "found sites with a key region)",
            f"location error ({len(self.errors_km)} found sites with key coordinates): "
            f"median {self.median_error_km:.1f} km, 90th percentile {self.p90_error_km:.1f} km",
            f"location error (relative descriptions, {len(relative)} sites): "
            f"median {self.relative_median_error_km:.1f} km, 90th percentile {self.relative_p90_error_km:.1f} km",
            f"inside stated radius: {self.within_radius:.2f} ({len(self.errors_km)} located sites)",
            f"described-only sites found: {self.described_found} of {self.described}",
            f"found but not placed: {len(self.unplaced)} of the {self.found} found sites "
            f"(recall of placed sites {self.placed_recall:.2f})",
        ]
        if self.by_language:
            lines.append("by language:")
            lines += [
                f"  {lang} ({part.articles} articles): {part.summary_line()}"
                for lang, part in sorted(self.by_language.items(), key=lambda item: (-item[1].articles, item[0]))
            ]
        lines += [f"missed: {row.article}: {row.name}" for row in self.misses]
        lines += [f"found, not placed: {row.article}: {row.name}" for row in self.unplaced]
        lines += [
            f"false site: {article}: {name}" + (" (a not_sites string)" if (article, name) in self.known_false else "")
            for article, name in self.false_alarms
        ]
        lines += [f"second record: {article}: {name}" for article, name in self.duplicates]
        lines += [
            f"wrong region: {row.article}: {row.name}: {region or 'none'} (key: {row.region})"
            for row, region in self.wrong_regions
        ]
        lines += [
            f"error: {row.article}: {row.name}: {error:.1f} km (radius {radius:.1f} km)"
            for row, error, radius in self.errors_km
        ]
        return "\n".join(lines)


def _predictions(
    sites: list[Site], extraction: Extraction, unlocated: Iterable[UnlocatedSite] = ()
) -> list[Prediction]:
    """Every (article, site) the pipeline reports, placed or not, with the names and words it goes by.

    A site is reported for an article the extraction mentions it in, and a site found in the
    text also for each article it was found in (its ``info_source``), even where the
    extraction does not find its name again (a Russian stem such as 'Зорган' read from 'Зорганское').
    An unlocated site's mentions carry its name, not its id (``Extraction.unlocated``).
    """
    by_id: dict[str, Site | UnlocatedSite] = {site.id: site for site in (*sites, *unlocated)}
    by_key = {merge_key(name): site.id for site in unlocated for name in site.names}
    names: dict[tuple[str, str], set[str]] = {}
    for mention in extraction.mentions:
        if mention.site_id in by_id:
            names.setdefault((mention.file, mention.site_id), set()).add(mention.words)
    for mention in extraction.unlocated:
        site_id = by_key.get(merge_key(mention.site_id))
        if site_id:
            names.setdefault((mention.file, site_id), set()).add(mention.words)
    for site in by_id.values():
        if site.origin == "extracted":
            for document in split_list(site.info_source):
                names.setdefault((document.split("#")[0], site.id), set())
    return [
        Prediction(article, by_id[site_id], frozenset(_name_keys((*by_id[site_id].names, *words))))
        for (article, site_id), words in sorted(names.items())
    ]


def _score(rows: list[KeyRow], predictions: list[Prediction], key: Key, articles: int) -> Evaluation:
    """The figures for the given key rows and predictions (of the same articles)."""
    result = Evaluation(sum(row.required for row in rows), 0, 0, 0, 0, 0, articles=articles)
    result.described = sum(row.core and not row.named for row in rows)
    result.not_core = sum(not row.core for row in rows)
    by_article: dict[str, list[Prediction]] = {}
    for prediction in predictions:
        by_article.setdefault(prediction.article, []).append(prediction)
    matched: dict[tuple[str, str], list[KeyRow]] = {}
    for row in rows:
        keys = row.keys
        hits = [p for p in by_article.get(row.article, ()) if _similar(set(p.keys), keys)]
        for hit in hits:
            matched.setdefault((hit.article, hit.site.id), []).append(row)
        if not row.required:
            result.described_found += bool(hits) and row.core
            continue
        if not hits:
            result.misses.append(row)
            continue
        result.found += 1
        best = max(hits, key=lambda hit: hit.placed)
        if not best.placed:
            result.unplaced.append(row)
        region = best.site.region if isinstance(best.site, Site) else None
        if row.region:
            result.region_checked += 1
            result.region_correct += region == row.region
            if region != row.region:
                result.wrong_regions.append((row, region))
        if isinstance(best.site, Site) and row.lat is not None and row.lon is not None:
            _, _, metres = _GEOD.inv(best.site.lon, best.site.lat, row.lon, row.lat)
            result.errors_km.append((row, metres / 1000.0, best.site.uncertainty_km))
    # Each key row confirms as many predictions as it labels sites; the placed predictions, and those
    # that could confirm fewer rows, choose first, each the free row the fewest predictions could take.
    confirmed: dict[int, int] = {}
    takers: dict[int, int] = {}
    for rows_hit in matched.values():
        for row in rows_hit:
            takers[id(row)] = takers.get(id(row), 0) + 1

    hit_rows = [(prediction, matched.get((prediction.article, prediction.site.id), [])) for prediction in predictions]
    ordered = sorted(hit_rows, key=lambda item: (not item[0].placed, sum(row.core for row in item[1])))
    for prediction, rows_hit in ordered:
        core = [row for row in rows_hit if row.core]
        if core:
            result.predictions += 1
            free_rows = [row for row in core if confirmed.get(id(row), 0) < row.sites]
            free = min(free_rows, key=lambda row: takers[id(row)], default=None)
            if free is None:
                result.duplicates.append((prediction.article, prediction.site.name))
                continue
            confirmed[id(free)] = confirmed.get(id(free), 0) + 1
            result.correct_predictions += 1
        elif not rows_hit:
            result.predictions += 1
            result.false_alarms.append((prediction.article, prediction.site.name))
            if _similar(set(prediction.keys), {merge_key(text) for text in key.not_sites.get(prediction.article, ())}):
                result.known_false.add((prediction.article, prediction.site.name))
    return result


def missing_articles(key: Key, documents: Iterable[Document]) -> list[str]:
    """The key's articles that were not read: a wrong folder would otherwise score zero in silence."""
    read = {document.file for document in documents}
    return [article for article in key.articles if article not in read]


def evaluate(
    key: Key | list[KeyRow],
    sites: list[Site],
    extraction: Extraction,
    documents: Iterable[Document] = (),
    unlocated: Iterable[UnlocatedSite] = (),
) -> Evaluation:
    """Compare the sites the pipeline reports for each article with the key, overall and per language.

    ``unlocated`` are the sites the layers list without a location (found, but not placed).
    ``documents`` (the articles read) give each article's language; without them, or when
    no article has one, there is no split by language.
    """
    key = key if isinstance(key, Key) else Key(list(key), {}, tuple(dict.fromkeys(row.article for row in key)))
    languages = {document.file: document.lang for document in documents}
    predictions = _predictions(sites, extraction, unlocated)
    read = set(key.articles) | set(languages)
    if languages:  # a registry site placed by an article keeps its curated sources, which were not read here
        predictions = [p for p in predictions if p.article in read]
    articles = read | {p.article for p in predictions}
    result = _score(key.rows, predictions, key, len(articles))
    for lang in sorted({lang for lang in languages.values() if lang}):
        part = {article for article in articles if languages.get(article) == lang}
        result.by_language[lang] = _score(
            [row for row in key.rows if row.article in part],
            [p for p in predictions if p.article in part],
            key,
            len(part),
        )
    return result
