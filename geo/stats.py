"""Survey statistics: the national programme as cited facts, and figures per region.

National figures are read from the articles by what they measure (a count of rare-earth
sites studied, the 2026 survey target...), each kept with its document and sentence;
figures from public pages come from ``data/national.csv`` with their URL. Per-region
figures are computed from the layers, so they follow whatever selection they are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.figures import parse_figures
from geo.schema import KINDS
from geo.sources import Document
from geo.validation import NationalRow, read_table

__all__ = [
    "INDICATORS",
    "Indicator",
    "commodity_table",
    "national_facts",
    "programme",
    "read_external",
    "region_table",
]


@dataclass(frozen=True)
class Indicator:
    """A national figure, recognised by its kind, unit and words that must (or must not) be near it."""

    key: str
    label: str
    kind: str
    units: tuple[str, ...]
    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...] = ()

    def matches(self, sentence: str, kind: str, unit: str) -> bool:
        """Whether a figure of this kind and unit in this sentence is this indicator."""
        text = sentence.lower()
        return (
            kind == self.kind
            and unit in self.units
            and all(any(word in text for word in group) for group in self.all_of)
            and not any(word in text for word in self.none_of)
        )


#: The national figures the atlas reports, in display order.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "ree_sites_studied",
        "Rare-earth sites studied",
        "count",
        ("sites",),
        (("rare earth",), ("studied", "exploring")),
    ),
    Indicator(
        "ree_area_studied_km2",
        "Area studied for rare earths",
        "area",
        ("km2",),
        (("rare earth",), ("studied", "exploring")),
    ),
    Indicator(
        "promising_sites_2024",
        "Promising sites identified in 2024",
        "count",
        ("sites", "deposits", "areas"),
        (("2024",), ("identified",)),
    ),
    Indicator(
        "survey_target_km2", "Area to be geologically surveyed by 2026", "area", ("km2",), (("2026",), ("survey",))
    ),
    Indicator(
        "state_funding_since_2018_kzt",
        "State funding for rare metals since 2018",
        "money",
        ("KZT",),
        (("since 2018", "seven years"),),
        ("per year", "private"),
    ),
    Indicator(
        "state_funding_per_year_kzt",
        "Average state funding per year",
        "money",
        ("KZT",),
        (("per year",), ("since 2018",)),
    ),
    Indicator(
        "rare_metals_share_pct", "Share of rare metals in metallurgy", "percent", ("%",), (("rare",), ("metallurg",))
    ),
)


def national_facts(documents: list[Document]) -> list[dict[str, Any]]:
    """Every statement of a national indicator in the documents, cited, in indicator then document order."""
    found = []
    for order, indicator in enumerate(INDICATORS):
        for document in documents:
            for sentence in document.sentences:
                for figure in parse_figures(sentence):
                    if indicator.matches(sentence, figure.kind, figure.unit):
                        found.append(
                            {
                                "key": indicator.key,
                                "label": indicator.label,
                                "value": figure.value,
                                "unit": figure.unit,
                                "text": figure.text,
                                "document": document.file,
                                "item": document.item,
                                "published": document.published,
                                "url": document.url,
                                "sentence": sentence,
                                "_order": order,
                            }
                        )
    return [{k: v for k, v in fact.items() if k != "_order"} for fact in sorted(found, key=lambda f: f["_order"])]


def read_external(path: Path) -> list[dict[str, Any]]:
    """Figures from public pages (``data/national.csv``, see :class:`geo.validation.NationalRow`), each with its URL.

    ``ValueError`` names every bad cell by line and column.
    """
    return [row.model_dump() for row in read_table(path, NationalRow)]


def programme(national: list[dict[str, Any]], external: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Progress of the national survey programme: the most recently published surveyed area against the target."""
    targets = [fact for fact in national if fact["key"] == "survey_target_km2"]
    surveyed = sorted(
        (row for row in external if row["key"] == "surveyed_area_km2"), key=lambda row: (row["published"], row["as_of"])
    )
    if not targets or not surveyed:
        return None
    target, latest = targets[0], surveyed[-1]
    return {
        "target_km2": target["value"],
        "target": target,
        "surveyed_km2": latest["value"],
        "surveyed": latest,
        "history": surveyed,
        "progress_pct": round(100.0 * latest["value"] / target["value"], 1),
    }


def region_table(sites: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, survey_areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per region: area, sites (total and by kind), survey-area km² and the share surveyed.

    Survey areas count for the region of their site, and only when their site is in ``sites``,
    so a filtered selection gives filtered figures.
    """
    table = pd.DataFrame({"region": regions["name"], "area_km2": regions["area_km2"].astype(float)})
    counts = sites.groupby("region").size() if len(sites) else pd.Series(dtype=int)
    table["sites"] = table["region"].map(counts).fillna(0).astype(int)
    for kind in KINDS:
        by_kind = sites[sites["kind"] == kind].groupby("region").size() if len(sites) else pd.Series(dtype=int)
        table[kind] = table["region"].map(by_kind).fillna(0).astype(int)
    site_region = dict(zip(sites["id"], sites["region"], strict=False)) if len(sites) else {}
    shown = survey_areas[survey_areas["site_id"].isin(site_region)] if len(survey_areas) else survey_areas
    areas = shown.assign(region=shown["site_id"].map(site_region)).groupby("region")["area_km2_geodesic"].sum()
    table["survey_area_km2"] = table["region"].map(areas).fillna(0.0).round(1)
    table["surveyed_pct"] = (100.0 * table["survey_area_km2"] / table["area_km2"]).round(4)
    return table.reset_index(drop=True)


def commodity_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """Sites per region and commodity (long form: region, commodity, sites), for charts."""
    if not len(sites):
        return pd.DataFrame({"region": [], "commodity": [], "sites": []})
    exploded = sites[["region", "commodities"]].explode("commodities").dropna()
    grouped = exploded.groupby(["region", "commodities"]).size().reset_index(name="sites")
    return (
        grouped.rename(columns={"commodities": "commodity"}).sort_values(["region", "commodity"]).reset_index(drop=True)
    )
