"""Survey statistics: the national programme as cited facts, and figures per region.

National figures are read from the articles by what they measure (a count of rare-earth
sites studied, the 2026 survey target...), each kept with its document and sentence;
figures from public pages come from ``data/national.csv`` with their URL. Per-region
figures are computed from the layers, so they follow whatever selection they are given.

The per-region survey-area km² are the outlines of survey areas *mapped in this atlas*: a few
polygons, not the share of a region the national programme has surveyed, so no percentage of
the region is derived from them (0.003 % beside the national 92 % would mislead).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd

from geo.ids import ids_in
from geo.numbers import format_number, format_quantity
from geo.reading import AnnotatedDocument, as_annotated
from geo.schema import KINDS
from geo.sources import Document
from geo.validation import NationalRow, read_table

__all__ = [
    "INDICATORS",
    "Indicator",
    "commodity_table",
    "national_facts",
    "national_figures",
    "programme",
    "read_external",
    "region_summary",
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


def national_facts(documents: list[Document] | list[AnnotatedDocument]) -> list[dict[str, Any]]:
    """Every statement of a national indicator in the documents, cited, in indicator then document order.

    The figures are those the reading pass read (:mod:`geo.reading`); plain documents are read first.
    """
    found = []
    annotated = as_annotated(documents)
    for order, indicator in enumerate(INDICATORS):
        for read in annotated:
            document = read.document
            for number, sentence in enumerate(document.sentences):
                for figure in read.values("figure", number):
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
    """One row per region: area, sites (total and by kind) and the km² of the survey areas mapped for them.

    Survey areas count for the region of their site, and only when their site is in ``sites``,
    so a filtered selection gives filtered figures.
    """
    table = pd.DataFrame({"region": regions["name"], "area_km2": regions["area_km2"].astype(float)})
    by_kind = sites.groupby(["region", "kind"]).size().unstack(fill_value=0) if len(sites) else pd.DataFrame()
    table["sites"] = table["region"].map(by_kind.sum(axis=1)).fillna(0).astype(int)
    for kind in KINDS:
        table[kind] = table["region"].map(by_kind.get(kind, {})).fillna(0).astype(int)
    tied = sites[ids_in(sites["id"], survey_areas["site_id"].dropna())] if len(survey_areas) else sites.iloc[:0]
    site_region = dict(zip(tied["id"], tied["region"], strict=True))
    shown = survey_areas[survey_areas["site_id"].isin(site_region)] if len(survey_areas) else survey_areas
    areas = shown.assign(region=shown["site_id"].map(site_region)).groupby("region")["area_km2_geodesic"].sum()
    table["survey_area_km2"] = table["region"].map(areas).fillna(0.0).round(1)
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


#: Column names of :func:`region_summary`, as the app shows them.
SUMMARY_COLUMNS: tuple[str, ...] = ("Region", "Sites", "By kind", "Top commodities", "Mapped survey areas, km²")


def _top(counts: pd.Series, labels: dict[str, str] | None = None, limit: int = 4) -> str:
    """The largest counts as ``"Deposit 3 · Plant 1"``, then how many more kinds there are."""
    counts = counts[counts > 0].sort_values(ascending=False, kind="stable")
    items = [f"{(labels or {}).get(key, key)} {format_number(int(n))}" for key, n in counts.head(limit).items()]
    rest = len(counts) - limit
    return " · ".join(items) + (f" · {rest} more" if rest > 0 else "")


def region_summary(sites: gpd.GeoDataFrame, regions: gpd.GeoDataFrame, survey_areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """The per-region table the app shows, narrow enough for a side column: regions with sites, most first.

    Kinds and commodities are summarised in one text column each instead of a column per
    kind or symbol (which needed sideways scrolling); numbers are written by ``format_number``.
    """
    table = region_table(sites, regions, survey_areas)
    table = table[table["sites"] > 0].sort_values(["sites", "region"], ascending=[False, True])
    commodities = commodity_table(sites)
    by_region = {region: group.set_index("commodity")["sites"] for region, group in commodities.groupby("region")}
    rows = [
        (
            row.region,
            format_number(row.sites),
            _top(pd.Series({kind: getattr(row, kind) for kind in KINDS}), KINDS),
            _top(by_region.get(row.region, pd.Series(dtype=int))),
            format_number(row.survey_area_km2) if row.survey_area_km2 else "–",
        )
        for row in table.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _citation(row: dict[str, Any], documents: dict[tuple[str, int], dict[str, Any]]) -> dict[str, Any]:
    """Where one national figure comes from: headline, outlet, date and link of its article or page."""
    if "document" in row:
        article = documents.get((row["document"], int(row["item"])), {})
        return {
            "title": article.get("title") or f"{row['document']}, article {row['item']}",
            "outlet": article.get("outlet") or "",
            "published": row.get("published") or article.get("published") or "",
            "url": row.get("url") or article.get("url") or "",
            "quote": row.get("sentence") or "",
        }
    return {
        "title": "",
        "outlet": urlsplit(row.get("source") or "").hostname or "",
        "published": row.get("published") or "",
        "as_of": row.get("as_of") or "",
        "url": row.get("source") or "",
        "quote": row.get("note") or "",
    }


def national_figures(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """Every national figure of ``stats.json`` (articles and public pages), grouped by what it measures.

    Each group has ``label``, ``figures`` (each with its ``value`` as text and its citation)
    and ``differ``: whether the sources give different numbers for the same quantity (the
    same indicator, e.g. 1.6 and 2.01 million km² surveyed). "38 sites" and "38 deposits" in
    2024 are one number.
    """
    documents = {(doc["file"], int(doc["item"])): doc for doc in stats.get("documents", [])}
    groups: dict[str, dict[str, Any]] = {}
    for row in [*stats.get("national", []), *stats.get("external", [])]:
        group = groups.setdefault(row["key"], {"key": row["key"], "label": row["label"], "figures": []})
        group["figures"].append(
            {"value": row["value"], "text": format_quantity(row["value"], row["unit"]), **_citation(row, documents)}
        )
    for group in groups.values():
        group["differ"] = len({figure["value"] for figure in group["figures"]}) > 1
    return list(groups.values())
