"""The statistics chart's bars."""

import doctest
import re

import pandas as pd

from geo import charts
from geo.charts import kind_bars
from geo.mapview import KIND_COLOURS

TABLE = pd.DataFrame(
    {
        "region": ["Karaganda Region", "Abai <Region>", "Empty Region"],
        "sites": [4, 2, 0],
        "deposit": [3, 0, 0],
        "mine": [1, 2, 0],
        "plant": [0, 0, 0],
    }
)


def test_docstring_examples():
    assert doctest.testmod(charts).failed == 0


def test_each_region_with_sites_is_a_bar_largest_first_and_its_segments_are_its_counts():
    chart = kind_bars(TABLE)
    assert re.findall(r'data-region="([^"]+)"', chart) == ["Karaganda Region", "Abai &lt;Region&gt;"]
    karaganda = chart.split('data-region="Karaganda Region"')[1].split("</div>")[0]
    assert re.findall(r'data-kind="(\w+)" data-count="(\d+)"', karaganda) == [("deposit", "3"), ("mine", "1")]
    assert 'aria-label="Karaganda Region: 4 sites (deposit 3, mine 1)"' in chart
    assert f"width:75.00%;background:{KIND_COLOURS['deposit']}" in chart  # 3 of the largest region's 4


def test_the_legend_names_only_the_kinds_shown_and_text_is_escaped():
    chart = kind_bars(TABLE)
    legend = chart.split("<figcaption>")[1]
    assert "Deposit" in legend and "Mine" in legend and "Plant" not in legend
    assert "<Region>" not in chart
