"""Evaluation of discovery against a labelled set: recall, precision, regions and location error.

The key (CSV: article, site_name, aliases, commodities, region, lat, lon, coord_source,
location_phrase) lists the sites each article names. A key row is found when discovery
produced a site whose names share a merge key with the row's names and which is mentioned
in that article. Location error is geodesic, in km, against the key's coordinates.
"""

from __future__ import annotations

import csv
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from pyproj import Geod

from geo.extract import Extraction
from geo.names import merge_key
from geo.registry import Site, split_list

__all__ = ["Evaluation", "KeyRow", "evaluate", "read_key"]

_GEOD = Geod(ellps="WGS84")
_RELATIVE = re.compile(r"\d+\s*(?:km|kilomet)|\bbetween\b", re.IGNORECASE)


@dataclass(frozen=True)
class KeyRow:
    """One site an article names, with its true region and coordinates."""

    article: str
    name: str
    aliases: tuple[str, ...]
    region: str
    lat: float | None
    lon: float | None
    location_phrase: str

    @property
    def keys(self) -> set[str]:
        """Merge keys of every name the row gives."""
        return {merge_key(name) for name in (self.name, *self.aliases)} - {""}

    @property
    def relative(self) -> bool:
        """Whether the article locates the site by a distance or 'between' description."""
        return bool(_RELATIVE.search(self.location_phrase))


@dataclass
class Evaluation:
    """The measured figures, and the rows behind them for a closer look."""

    key_rows: int
    found: int
    predictions: int
    correct_predictions: int
    region_checked: int
    region_correct: int
    errors_km: list[tuple[KeyRow, float, float]] = field(default_factory=list)
    misses: list[KeyRow] = field(default_factory=list)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of key rows found."""
        return self.found / self.key_rows if self.key_rows else 0.0

    @property
    def precision(self) -> float:
        """Share of (article, site) predictions that the key confirms."""
        return self.correct_predictions / self.predictions if self.predictions else 0.0

    @property
    def region_accuracy(self) -> float:
        """Share of found, located sites placed in the key's region."""
        return self.region_correct / self.region_checked if self.region_checked else 0.0

    def _relative_errors(self) -> list[float]:
        return [error for row, error, _ in self.errors_km if row.relative]

    @property
    def median_error_km(self) -> float:
        """Median location error of sites the key locates by a relative description."""
        errors = self._relative_errors()
        return statistics.median(errors) if errors else float("nan")

    @property
    def p90_error_km(self) -> float:
        """90th-percentile location error of those sites."""
        errors = sorted(self._relative_errors())
        return errors[min(len(errors) - 1, round(0.9 * (len(errors) - 1)))] if errors else float("nan")

    @property
    def within_radius(self) -> float:
        """Share of located, found sites whose true position is inside the stated radius."""
        inside = [error <= radius for _, error, radius in self.errors_km]
        return sum(inside) / len(inside) if inside else 0.0

    def report(self) -> str:
        """The figures as printed by ``python -m geo evaluate``."""
        lines = [
            f"site recall:      {self.recall:.2f} ({self.found} of {self.key_rows} key rows)",
            f"site precision:   {self.precision:.2f} ({self.correct_predictions} of {self.predictions} predictions)",
            f"region accuracy:  {self.region_accuracy:.2f} ({self.region_correct} of {self.region_checked} located)",
            f"location error (relative descriptions, {len(self._relative_errors())} sites): "
            f"median {self.median_error_km:.1f} km, 90th percentile {self.p90_error_km:.1f} km",
            f"inside stated radius: {self.within_radius:.2f} ({len(self.errors_km)} located sites)",
        ]
        lines += [f"missed: {row.article}: {row.name}" for row in self.misses]
        lines += [f"not in key: {article}: {name}" for article, name in self.false_alarms]
        lines += [
            f"error: {row.article}: {row.name}: {error:.1f} km (radius {radius:.1f} km)"
            for row, error, radius in self.errors_km
        ]
        return "\n".join(lines)


def read_key(path: Path) -> list[KeyRow]:
    """Read an answer key; ``ValueError`` names a row whose coordinates are not numbers."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                lat = float(row["lat"]) if row["lat"] else None
                lon = float(row["lon"]) if row["lon"] else None
            except ValueError as error:
                raise ValueError(f"{path} row {line}: {error}") from None
            rows.append(
                KeyRow(
                    row["article"],
                    row["site_name"],
                    split_list(row["aliases"]),
                    row["region"],
                    lat,
                    lon,
                    row["location_phrase"],
                )
            )
    return rows


def _site_keys(site: Site) -> set[str]:
    """Merge keys of a site's name and aliases."""
    return {merge_key(name) for name in site.names} - {""}


def evaluate(key: list[KeyRow], sites: list[Site], extraction: Extraction) -> Evaluation:
    """Compare extracted sites (and where the extraction says each is mentioned) with the key."""
    mentioned: dict[str, set[str]] = {}
    for mention in extraction.mentions:
        mentioned.setdefault(mention.file, set()).add(mention.site_id)
    extracted = {site.id: site for site in sites if site.origin == "extracted"}
    predictions = sorted(
        (article, site_id) for article, ids in mentioned.items() for site_id in ids if site_id in extracted
    )
    result = Evaluation(len(key), 0, len(predictions), 0, 0, 0)
    confirmed: set[tuple[str, str]] = set()
    for row in key:
        hits = [
            extracted[site_id]
            for site_id in sorted(mentioned.get(row.article, ()))
            if site_id in extracted and _site_keys(extracted[site_id]) & row.keys
        ]
        if not hits:
            result.misses.append(row)
            continue
        result.found += 1
        site = hits[0]
        confirmed.update((row.article, hit.id) for hit in hits)
        result.region_checked += 1
        result.region_correct += site.region == row.region
        if row.lat is not None and row.lon is not None:
            _, _, metres = _GEOD.inv(site.lon, site.lat, row.lon, row.lat)
            result.errors_km.append((row, metres / 1000.0, site.uncertainty_km))
    result.correct_predictions = len(confirmed)
    result.false_alarms = [
        (article, extracted[site_id].name) for article, site_id in predictions if (article, site_id) not in confirmed
    ]
    return result
