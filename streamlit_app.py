"""The atlas app: wires sidebar widgets and URL query parameters to the pure functions in ``geo``.

``streamlit run streamlit_app.py`` reads the layers in ``data/geojson/`` (or the folder named by
``ATLAS_DATA_DIR``). Loading is cached by file modification time, so a filter change re-renders
without reading files; everything else happens in ``geo``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import geopandas as gpd
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from geo import export, mapview
from geo.detail import articles_by_key, detail_html
from geo.downloads import GeojsonPieces, csv_of, geojson_of, geojson_pieces
from geo.layers import Layers, load_layers
from geo.markup import escape_markdown, markdown_link, summarise
from geo.payload import publish_map
from geo.schema import COMMODITIES, DATASETS, KINDS, LAYER_FILES, QUERY_PARAMS, REGIONS, STATUSES
from geo.selection import (
    MAX_QUERY,
    Selection,
    download_name,
    filter_sites,
    filter_survey_areas,
    headline,
    parse_query,
    record_kinds,
    to_query,
)
from geo.stats import commodity_table, region_table

#: Credit for the map software, beside the data credits that the layers carry in stats.json.
MAP_CREDIT = "Map: Leaflet (BSD-2-Clause) with supercluster (ISC) and Leaflet.fullscreen (MIT), through folium."
DATA_DIR = Path(os.environ.get("ATLAS_DATA_DIR") or Path(__file__).parent / "data" / "geojson")
#: Where the map page and the sites payload of each data version are written (and served from).
MAP_PAGES = Path(__file__).parent / "static" / "atlas"
MAP_HEIGHT = 660
_FILTERS = ("region", "commodity", "kind", "status", "source", "record_kind")
_STATS, _DETAIL = "Statistics", "Site detail"
#: Less empty space above the title than Streamlit's default, so the map fits on a laptop screen.
_PAGE_CSS = "[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; }"


# --- Cached data: keyed by folder and modification time, never by a GeoDataFrame ---------------
# The layers are read-only: held once per process (cache_resource), not unpickled on every run.


def _stamp(folder: Path) -> float:
    """The newest modification time of the layer files: a rebuild changes it and refreshes the caches."""
    return max(((folder / name).stat().st_mtime for name in LAYER_FILES if (folder / name).is_file()), default=0.0)


@st.cache_resource(show_spinner="Loading the layers…", max_entries=2)
def _layers(folder: str, stamp: float) -> Layers:
    return load_layers(Path(folder))


@st.cache_resource(show_spinner=False, max_entries=2)
def _map(folder: str, stamp: float) -> tuple[Callable[..., Any], pd.Index]:
    """The map component of one data version (its page and payload written once), and the payload's ids."""
    layers = _layers(folder, stamp)
    regions = mapview.display_regions(layers.regions)
    page = publish_map(layers.sites, regions, layers.survey_areas, MAP_PAGES)
    return components.declare_component(f"atlas_map_{page.name}", path=str(page)), pd.Index(
        mapview.placed(layers.sites)["id"]
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def _geojson_pieces(folder: str, stamp: float) -> GeojsonPieces:
    return geojson_pieces(Path(folder), _layers(folder, stamp).stats.get("credits", []))


@st.cache_resource(show_spinner=False, max_entries=2)
def _csv_rows(folder: str, stamp: float) -> list[str]:
    return export.csv_lines(_layers(folder, stamp).sites)


# --- State: the URL is read once per session, then widgets hold the selection -----------------


def _init_state(site_ids: set[str]) -> None:
    """Seed the widgets from the URL on a session's first run, keeping notices for ignored values."""
    if "notices" in st.session_state:
        return
    selection, notices = parse_query({name: st.query_params.get_all(name) for name in QUERY_PARAMS}, site_ids)
    for name in QUERY_PARAMS:
        value = getattr(selection, name)
        st.session_state[name] = list(value) if isinstance(value, tuple) else value
    st.session_state["panel"] = _DETAIL if selection.site else _STATS
    st.session_state["notices"] = (notices, dataclasses.replace(selection, site=""))


def _current() -> Selection:
    """The selection the widgets hold."""
    state = st.session_state
    return Selection(
        **{name: tuple(state[name]) for name in _FILTERS}, q=" ".join(state["q"].split()), site=state["site"] or ""
    )


def _clear_filters() -> None:
    for name in _FILTERS:
        st.session_state[name] = []
    st.session_state["q"] = ""


def _close_site() -> None:
    st.session_state["site"] = ""


def _open_clicked(site_ids: pd.Index) -> None:
    """Open the detail of the site whose marker was clicked (the map sends ``{"site": id}``, in state ``map``)."""
    site = (st.session_state.get("map") or {}).get("site")
    if isinstance(site, str) and site in site_ids:
        st.session_state["site"] = site
        st.session_state["panel"] = _DETAIL


def _open_row(ids: list[str]) -> None:
    """Open the detail of the site chosen in the table of shown sites."""
    rows = st.session_state["site_table"].selection.rows
    if rows:
        st.session_state["site"] = ids[rows[0]]
        st.session_state["panel"] = _DETAIL


def _site_chosen() -> None:
    if st.session_state["site"]:
        st.session_state["panel"] = _DETAIL


# --- Page parts ---------------------------------------------------------------------------------


def _counted(counts: pd.Series, labels: dict[str, str] | None = None) -> Callable[[str], str]:
    """A format function showing each option's label and its number of sites in the data."""
    return lambda key: f"{(labels or {}).get(key, key)} ({int(counts.get(key, 0))})"


def _sidebar(sites: gpd.GeoDataFrame) -> None:
    """The filters; every one is also a URL parameter."""
    commodity_counts = sites["commodities"].explode().value_counts()
    st.header("Filters")
    st.multiselect(
        "Region",
        REGIONS,
        key="region",
        format_func=_counted(sites["region"].value_counts()),
        placeholder="All 20 regions",
    )
    st.multiselect(
        "Commodity",
        sorted(COMMODITIES, key=lambda symbol: -int(commodity_counts.get(symbol, 0))),
        key="commodity",
        format_func=lambda s: f"{s} · {COMMODITIES[s]} ({int(commodity_counts.get(s, 0))})",
        placeholder="Any commodity",
    )
    st.multiselect(
        "Kind", list(KINDS), key="kind", format_func=_counted(sites["kind"].value_counts(), KINDS), placeholder="Any"
    )
    st.multiselect(
        "Status",
        list(STATUSES),
        key="status",
        format_func=_counted(sites["status"].value_counts(), STATUSES),
        placeholder="Any",
    )
    st.multiselect(
        "Source",
        list(DATASETS),
        key="source",
        format_func=_counted(sites["datasets"].explode().value_counts(), DATASETS),
        placeholder="Any source",
        help="Where a site is known from: the curated registry, the news, or an open dataset",
    )
    st.multiselect(
        "Record kind",
        list(KINDS),
        key="record_kind",
        format_func=_counted(record_kinds(sites).explode().value_counts(), KINDS),
        placeholder="Any",
        help="What the open-data source records call the site (a USGS occurrence, an ICMM mine, a drill hole)",
    )
    st.text_input(
        "Search names and aliases", key="q", max_chars=MAX_QUERY, placeholder="Any script: Kuirektykol, Куйректыколь"
    )
    st.button("Clear filters", on_click=_clear_filters, width="stretch")


def _downloads_panel(folder: Path, stamp: float, selection: Selection, shown: gpd.GeoDataFrame) -> None:
    """Downloads of exactly the shown sites, and of the full layers: each file is made only when asked for."""
    positions = _layers(str(folder), stamp).sites.index.get_indexer(shown.index)
    st.header("Download")
    st.caption(f"The {len(shown)} sites of the current selection, with every property and fact.")
    buttons = (
        (
            "Shown sites · GeoJSON",
            lambda: geojson_of(_geojson_pieces(str(folder), stamp), positions),
            download_name(selection, "geojson"),
            "application/geo+json",
            None,
        ),
        (
            "Shown sites · CSV",
            lambda: csv_of(_csv_rows(str(folder), stamp), positions),
            download_name(selection, "csv"),
            "text/csv",
            None,
        ),
        (
            "All layers · zip",
            partial(export.layers_zip, folder),
            "kz-critical-minerals-layers.zip",
            "application/zip",
            "sites.geojson, regions.geojson, survey_areas.geojson, facts.csv and stats.json, unfiltered",
        ),
    )
    for label, data, name, mime, hint in buttons:
        st.download_button(label, data, file_name=name, mime=mime, on_click="ignore", width="stretch", help=hint)


def _programme(stats: dict[str, Any]) -> None:
    """The national survey programme: area surveyed against the target, with its sources."""
    programme = stats.get("programme")
    st.subheader("National survey programme")
    if not programme:
        st.caption("The layers hold no figure for the programme's progress.")
        return
    surveyed, target = programme["surveyed_km2"], programme["target_km2"]
    st.metric(
        "Area geologically surveyed",
        f"{surveyed / 1e6:.2f} million km²",
        help=f"As of {escape_markdown(programme['surveyed'].get('as_of') or 'an unstated date')}",
    )
    st.progress(min(surveyed / target, 1.0), text=f"{surveyed / target:.0%} of the {target / 1e6:g} million km² target")
    with st.expander("Sources"):
        for row in programme.get("history", [programme["surveyed"]]):
            st.markdown(
                f"- **{row['value'] / 1e6:.3g} million km²** (as of {escape_markdown(row.get('as_of') or '?')}): "
                f"{escape_markdown(row.get('note') or '')} — {markdown_link(row['source'], row['source'])}"
            )
        fact = programme["target"]
        article = markdown_link(f"{fact['document']}, article {fact['item']}", fact.get("url") or "")
        st.markdown(f"- **Target {target / 1e6:g} million km²**: “{escape_markdown(fact['sentence'])}” — {article}")


def _kind_chart(table: pd.DataFrame) -> alt.Chart:
    """Sites shown per region, stacked by kind in the map's marker colours."""
    long = table.melt(id_vars="region", value_vars=list(KINDS), var_name="kind", value_name="count")
    long = long[long["count"] > 0]
    present = [kind for kind in KINDS if kind in set(long["kind"])]
    long = long.assign(kind=long["kind"].map(KINDS))
    colours = alt.Scale(domain=[KINDS[kind] for kind in present], range=[mapview.KIND_COLOURS[k] for k in present])
    return (
        alt.Chart(long, height=alt.Step(22))
        .mark_bar()
        .encode(
            x=alt.X("sum(count):Q", title="Sites shown", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("region:N", title=None, sort="-x", axis=alt.Axis(labelLimit=170)),
            color=alt.Color("kind:N", title=None, scale=colours, legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=["region", "kind", "count"],
        )
    )


def _region_stats(shown: gpd.GeoDataFrame, layers: Layers, areas: gpd.GeoDataFrame, selection: Selection) -> None:
    """Per region: sites by kind and commodity, survey-area km², area and share surveyed."""
    table = region_table(shown, layers.regions, areas)
    if selection.region:
        table = table[table["region"].isin(selection.region)]
    table = table.sort_values(["sites", "region"], ascending=[False, True])
    st.subheader("By region")
    with_sites = table[table["sites"] > 0]
    if len(with_sites):
        st.altair_chart(_kind_chart(with_sites))
    columns = {"region": "Region", "sites": "Sites", **KINDS}
    columns |= {"survey_area_km2": "Survey areas, km²", "area_km2": "Region, km²", "surveyed_pct": "Surveyed, %"}
    st.dataframe(
        table[list(columns)].rename(columns=columns),
        hide_index=True,
        column_config={
            "Region, km²": st.column_config.NumberColumn(format="localized"),
            "Survey areas, km²": st.column_config.NumberColumn(format="%.1f"),
            "Surveyed, %": st.column_config.NumberColumn(format="%.3f"),
        },
    )
    by_commodity = commodity_table(shown)
    if len(by_commodity):
        pivot = by_commodity.pivot_table(index="region", columns="commodity", values="sites", fill_value=0)
        st.caption("Sites by commodity")
        st.dataframe(pivot.astype(int), column_config={"region": "Region"})


def _site_table(shown: gpd.GeoDataFrame) -> None:
    """The shown sites as a table; choosing a row opens its detail."""
    table = pd.DataFrame(
        {
            "Site": shown["name"],
            "Kind": shown["kind"].map(KINDS),
            "Commodities": shown["commodities"].map(lambda symbols: ", ".join(symbols or [])),
            "Status": shown["status"].map(STATUSES),
            "Region": shown["region"].fillna("not known"),
            "Location": shown["location_precision"].map(mapview.PRECISION_LABELS),
            "Record": [
                "Registry" if origin == "registry" else f"Found in text ({confidence:.0%})"
                for origin, confidence in zip(shown["origin"], shown["confidence"], strict=True)
            ],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        key="site_table",
        on_select=partial(_open_row, list(shown["id"])),
        selection_mode="single-row",
        height=min(38 + 35 * len(table), 390),
    )
    unplaced = shown[~shown["id"].isin(mapview.placed(shown)["id"])]
    if len(unplaced):
        names = summarise(list(unplaced["name"]))
        st.caption(
            escape_markdown(
                f"Not on the map, because no source gives their location: {names}. They are in the table and downloads."
            )
        )


def _detail(layers: Layers, shown: gpd.GeoDataFrame, site_id: str) -> None:
    """The site chooser and, once a site is chosen, everything known about it."""
    options = ["", *shown["id"]]
    if site_id and site_id not in options:
        options.append(site_id)
    names = dict(zip(layers.sites["id"], layers.sites["name"], strict=True))
    st.selectbox(
        "Site",
        options,
        key="site",
        on_change=_site_chosen,
        format_func=lambda sid: names.get(sid, sid) if sid else "Click a marker, or choose a site…",
    )
    if not site_id:
        st.caption("Everything known about a site: kind, commodities, operator, status, location and every cited fact.")
        return
    site = layers.sites[layers.sites["id"] == site_id].iloc[0]
    if site_id not in set(shown["id"]):
        st.caption("This site is hidden by the current filters.")
    st.html(detail_html(site, articles_by_key(layers.stats.get("documents", []))))
    st.button("Close", on_click=_close_site, key="close_site")


# --- The page -----------------------------------------------------------------------------------


def main() -> None:
    """Render the atlas for the current selection."""
    st.set_page_config(page_title="Kazakhstan critical minerals atlas", page_icon="⛏️", layout="wide")
    try:
        stamp = _stamp(DATA_DIR)
        layers = _layers(str(DATA_DIR), stamp)
    except (FileNotFoundError, ValueError) as error:
        st.error(
            f"The atlas cannot read its layers: {escape_markdown(error)}\n\n"
            "Build them with `scripts/setup && .venv/bin/python -m geo build` "
            "(they are written to `data/geojson/`), then reload this page."
        )
        st.stop()

    sites = layers.sites
    _init_state(set(sites["id"]))
    with st.sidebar:
        _sidebar(sites)
    selection = _current()
    st.query_params.from_dict(to_query(selection))

    shown = filter_sites(sites, selection)
    areas = filter_survey_areas(layers.survey_areas, shown, layers.regions, selection)

    with st.sidebar:
        _downloads_panel(DATA_DIR, stamp, selection, shown)

    st.html(f"<style>{_PAGE_CSS}</style>")
    st.title("Critical minerals of Kazakhstan")
    notices, parsed = st.session_state["notices"]
    if notices and dataclasses.replace(selection, site="") == parsed:
        st.warning("\n".join(f"- {escape_markdown(notice)}" for notice in notices))
    st.subheader(headline(len(shown), len(sites)))
    if shown.empty:
        st.info("No site matches all these filters: remove one, or use **Clear filters** in the sidebar.")

    left, right = st.columns([3, 2], gap="medium")
    with left:
        atlas_map, payload_ids = _map(str(DATA_DIR), stamp)
        message = mapview.map_message(
            shown,
            payload_ids,
            layers.regions,
            layers.survey_areas.index.isin(areas.index),
            focus_regions=selection.region,
            site=selection.site,
        )
        atlas_map(
            message=message, height=MAP_HEIGHT, key="map", default=None, on_change=partial(_open_clicked, payload_ids)
        )
        _site_table(shown)
    with right:
        stats_tab, detail_tab = st.tabs([_STATS, _DETAIL], key="panel", on_change="rerun")
        with stats_tab:
            _programme(layers.stats)
            _region_stats(shown, layers, areas, selection)
        with detail_tab:
            _detail(layers, shown, selection.site)
    st.caption(escape_markdown(" · ".join([*layers.stats.get("credits", []), MAP_CREDIT])))


main()
