"""Facet counts, as Datasette's facets: how many sites each filter option would show, given all the other filters.

The count beside a region is the number of sites that match every *other* filter and lie in
that region, so it says what choosing the option adds; an option with no such site is hidden.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.selection import Selection, filter_masks, record_kinds

__all__ = ["FACETS", "facet_counts", "facet_values"]

#: The list filters that are facets.
FACETS: tuple[str, ...] = ("region", "commodity", "kind", "status", "source", "record_kind")


def _values(sites: gpd.GeoDataFrame, facet: str) -> pd.Series:
    """Each site's values for one facet, one row per (site, value)."""
    if facet == "record_kind":
        pairs = [
            (label, kind)
            for label, kinds in zip(sites.index, record_kinds(sites).tolist(), strict=True)
            for kind in sorted(kinds)
        ]
        return pd.Series([kind for _, kind in pairs], index=pd.Index([label for label, _ in pairs]), dtype=object)
    column = {"commodity": "commodities", "source": "datasets"}.get(facet, facet)
    return sites[column].explode()


def facet_values(sites: gpd.GeoDataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per facet, every (site row position, value) pair as two arrays: the part of the counts that never changes.

    Made once per data version (the app holds it), so a filter change only masks and counts.
    """
    out = {}
    for facet in FACETS:
        values = _values(sites, facet).dropna()
        out[facet] = (sites.index.get_indexer(values.index), values.to_numpy(dtype=object))
    return out


def facet_counts(
    sites: gpd.GeoDataFrame, selection: Selection, values: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
) -> dict[str, dict[str, int]]:
    """For each facet, the number of sites per value among those matching every other filter.

    ``values`` is ``facet_values(sites)``, when it is at hand.
    """
    values = facet_values(sites) if values is None else values
    masks = {name: mask.to_numpy(dtype=bool) for name, mask in filter_masks(sites, selection).items()}
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        keep = np.ones(len(sites), dtype=bool)
        for name, mask in masks.items():
            if name != facet:
                keep &= mask
        rows, facet_values_ = values[facet]
        found = pd.Series(facet_values_[keep[rows]], dtype=object).value_counts()
        counts[facet] = {str(key): int(count) for key, count in found.items()}
    return counts
