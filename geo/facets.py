"""Facet counts, as Datasette's facets: how many sites each filter option would show, given all the other filters.

The count beside a region is the number of sites that match every *other* filter and lie in
that region, so it says what choosing the option adds; an option with no such site is hidden.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.selection import Selection, filter_masks, record_kinds

__all__ = ["FACETS", "facet_counts"]

#: The list filters that are facets.
FACETS: tuple[str, ...] = ("region", "commodity", "kind", "status", "source", "record_kind")


def _values(sites: gpd.GeoDataFrame, facet: str) -> pd.Series:
    """Each site's values for one facet, one row per (site, value)."""
    if facet == "record_kind":
        return record_kinds(sites).map(sorted).explode()
    column = {"commodity": "commodities", "source": "datasets"}.get(facet, facet)
    return sites[column].explode()


def facet_counts(sites: gpd.GeoDataFrame, selection: Selection) -> dict[str, dict[str, int]]:
    """For each facet, the number of sites per value among those matching every other filter."""
    masks = filter_masks(sites, selection)
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        keep = pd.Series(True, index=sites.index)
        for name, mask in masks.items():
            if name != facet:
                keep &= mask
        values = _values(sites[keep], facet).dropna()
        counts[facet] = {str(key): int(count) for key, count in values.value_counts().items()}
    return counts
