"""The statistics chart: sites shown per region, stacked by kind, as plain HTML and CSS.

A Vega-Lite chart cost the page about 0.25 s of the browser's main thread on every load (its
library is loaded, compiled and run), which the map, drawn on the same thread, waited for. These
bars need no script: each segment is a ``<span>`` as wide as its share of the largest region,
in the map's marker colour for its kind, with its count in its ``title``; a screen reader hears
each region's total and counts by kind.
"""

from __future__ import annotations

import html

import pandas as pd

from geo.mapview import KIND_COLOURS
from geo.numbers import format_number
from geo.schema import KINDS

__all__ = ["CHART_CSS", "kind_bars"]

#: The chart's style, for the page it is shown in.
CHART_CSS = """
.atlas-bars { margin: 0 0 1rem; font-size: 0.85rem; }
.atlas-bars .bar-row { display: grid; grid-template-columns: minmax(6rem, 11rem) 1fr 4rem; gap: 0.5rem;
  align-items: center; margin: 2px 0; }
.atlas-bars .bar-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.atlas-bars .bar-track { display: flex; height: 16px; }
.atlas-bars .bar-track span { display: block; height: 100%; min-width: 2px; }
.atlas-bars .bar-total { font-variant-numeric: tabular-nums; }
.atlas-bars figcaption { display: flex; flex-wrap: wrap; gap: 0.25rem 0.9rem; margin-top: 0.5rem; }
.atlas-bars figcaption i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
"""


def kind_bars(table: pd.DataFrame) -> str:
    """One bar per region of ``table`` (``stats.region_table``: a count column per kind), largest first.

    >>> table = pd.DataFrame({"region": ["A", "B"], "sites": [1, 3], "deposit": [1, 2], "mine": [0, 1]})
    >>> [row.split('"')[1] for row in kind_bars(table).split('data-region=')[1:]]
    ['B', 'A']
    """
    kinds = [kind for kind in KINDS if kind in table and table[kind].sum() > 0]
    rows = table[table["sites"] > 0].sort_values(["sites", "region"], ascending=[False, True], kind="stable")
    top = int(rows["sites"].max()) if len(rows) else 1
    bars = [_bar(row, kinds, top) for row in rows.to_dict("records")]
    legend = "".join(f'<span><i style="background:{KIND_COLOURS[kind]}"></i>{KINDS[kind]}</span>' for kind in kinds)
    return (
        '<figure class="atlas-bars" aria-label="Sites shown per region, by kind">'
        + "".join(bars)
        + f"<figcaption>{legend}</figcaption></figure>"
    )


def _bar(row: dict, kinds: list[str], top: int) -> str:
    """One region's row: its name, a segment per kind with sites, and its total."""
    region = html.escape(str(row["region"]))
    parts = [(kind, int(row[kind])) for kind in kinds if row[kind] > 0]
    total = format_number(int(row["sites"]))
    said = ", ".join(f"{KINDS[kind].lower()} {format_number(count)}" for kind, count in parts)
    segments = "".join(
        f'<span data-kind="{kind}" data-count="{count}" title="{region} · {KINDS[kind]}: {format_number(count)}" '
        f'style="width:{100 * count / top:.2f}%;background:{KIND_COLOURS[kind]}"></span>'
        for kind, count in parts
    )
    return (
        f'<div class="bar-row" data-region="{region}" role="img" aria-label="{region}: {total} sites ({said})">'
        f'<span class="bar-label">{region}</span><span class="bar-track">{segments}</span>'
        f'<span class="bar-total">{total}</span></div>'
    )
