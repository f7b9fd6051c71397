"""The benchmark's naive folium app: the sites as folium markers in Streamlit, done plainly.

Each script run reads nothing twice (the sites are in ``st.cache_data``), but builds one
``folium.Marker`` with a popup per shown site in a ``MarkerCluster`` and hands the whole map to
``st_folium``, whose default returned objects rerun the script after every pan and zoom. It is
what ``scripts/benchmark.py`` opens beside the atlas; not part of the atlas. Run by the benchmark
with ``ATLAS_DATA_DIR`` (the layers) and ``NAIVE_ASSETS`` (the URL its Leaflet files are under).
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas
import streamlit as st
from naive import naive_folium
from streamlit_folium import st_folium


@st.cache_data
def sites(folder: str) -> geopandas.GeoDataFrame:
    """The sites layer as a frame."""
    return geopandas.read_file(Path(folder) / "sites.geojson")


table = sites(os.environ["ATLAS_DATA_DIR"])
kinds = st.multiselect("Kind", sorted(table["kind"].dropna().unique()), format_func=str.capitalize)
shown = table[table["kind"].isin(kinds)] if kinds else table
st.write(f"{len(shown):,} sites")
st_folium(naive_folium(shown, os.environ["NAIVE_ASSETS"]), width=1200, height=700)
