"""The atlas app: wires sidebar widgets and URL query parameters to the pure functions in ``geo``.

``streamlit run streamlit_app.py`` reads the layers in ``data/geojson/`` (or the folder named by
``ATLAS_DATA_DIR``). Loading is cached by file modification time, so a filter change re-renders
without reading files; everything else happens in ``geo``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import streamlit as st
import streamlit.components.v1 as components

from geo import export, mapview
from geo.charts import CHART_CSS, kind_bars
from geo.detail import articles_by_key, detail_html
from geo.downloads import GeojsonPieces, csv_of, geojson_of, geojson_pieces, gpkg_of, kml_of
from geo.facets import facet_counts, facet_values
from geo.keep import keep_article
from geo.layers import Layers, load_layers
from geo.markup import escape_markdown, markdown_link, summarise
from geo.numbers import format_quantity
from geo.output import OutputError
from geo.payload import publish_map
from geo.pipeline import Knowledge, load_knowledge
from geo.reading.article import from_upload, read_article, sites_of_file
from geo.reading.bounded import ReadingTimeout, within
from geo.reading.view import facts_table, highlight_html, reading_map_html, sites_table, unused_table
from geo.schema import COMMODITIES, DATASETS, KINDS, LAYER_FILES, QUERY_PARAMS, REGIONS, STATUSES, VIEW_PARAMS
from geo.selection import (
    MAX_QUERY,
    Selection,
    download_name,
    filter_facts,
    filter_sites,
    filter_survey_areas,
    headline,
    normalise,
    parse_query,
    search_sites,
    to_query,
)
from geo.sources import MAX_BYTES
from geo.stats import national_figures, region_summary, region_table
from geo.validation import InputError

#: Credit for the map software, beside the data credits that the layers carry in stats.json.
MAP_CREDIT = "Map: Leaflet (BSD-2-Clause) with Leaflet.fullscreen (MIT), through folium."
DATA_DIR = Path(os.environ.get("ATLAS_DATA_DIR") or Path(__file__).parent / "data" / "geojson")
#: Where the map page and the sites payload of each data version are written (and served from).
MAP_PAGES = Path(__file__).parent / "static" / "atlas"
MAP_HEIGHT = 660
_FILTERS = ("region", "commodity", "kind", "status", "source", "record_kind")
_DATES = ("since", "until")
#: The range the date pickers offer (Streamlit's default is ten years around today).
_DATE_RANGE = {"min_value": date(2000, 1, 1), "max_value": date(2100, 12, 31)}
_STATS, _DETAIL = "Statistics", "Site detail"
#: Rows per page of the site table (at 100,000 sites one table of all would be too heavy to send).
TABLE_PAGE = 50
#: At most this many matches are offered by the detail's site finder.
SITE_MATCHES = 20
#: The download formats of the shown sites: (label, file extension, MIME type, hint).
_FORMATS = (
    ("GeoJSON", "geojson", "application/geo+json", None),
    ("CSV", "csv", "text/csv", None),
    ("GeoPackage", "gpkg", "application/geopackage+sqlite3", "For QGIS or ArcGIS: one point layer, lists as JSON text"),
    ("KML", "kml", "application/vnd.google-earth.kml+xml", "For Google Earth: every property as extended data"),
)
#: Less empty space above the title than Streamlit's default, so the map fits on a laptop screen.
_PAGE_CSS = "[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; }" + CHART_CSS


# --- Cached data: keyed by folder and modification time, never by a GeoDataFrame ---------------
# The layers are read-only: held once per process (cache_resource), not unpickled on every run.


def _newest_mtime(paths: Iterable[Path]) -> float:
    """The newest modification time of those ``paths`` that are files (0.0 for none): a cache key."""
    return max((path.stat().st_mtime for path in paths if path.is_file()), default=0.0)


def _stamp(folder: Path) -> float:
    """The newest modification time of the layer files: a rebuild changes it and refreshes the caches."""
    return _newest_mtime(folder / name for name in LAYER_FILES)


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
def _site_index(folder: str, stamp: float) -> tuple[frozenset[str], dict[str, str], dict[str, Any]]:
    """Per data version: the site ids, their names, and the facets' (site, value) pairs."""
    sites = _layers(folder, stamp).sites
    ids = sites["id"].tolist()
    return frozenset(ids), dict(zip(ids, sites["name"].tolist(), strict=True)), facet_values(sites)


# Per selection (the site left out where it changes nothing): what every session with that
# selection shows, computed once. Read-only, like the layers, so held as resources, not copied.


@st.cache_resource(show_spinner=False, max_entries=64)
def _shown(folder: str, stamp: float, selection: Selection) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The shown sites and survey areas of a selection."""
    layers = _layers(folder, stamp)
    shown = filter_sites(layers.sites, selection)
    return shown, filter_survey_areas(layers.survey_areas, shown, layers.regions, selection)


@st.cache_resource(show_spinner=False, max_entries=64)
def _facet_counts(folder: str, stamp: float, selection: Selection) -> dict[str, dict[str, int]]:
    return facet_counts(_layers(folder, stamp).sites, selection, _site_index(folder, stamp)[2])


@st.cache_resource(show_spinner=False, max_entries=64)
def _region_tables(folder: str, stamp: float, selection: Selection) -> tuple[str, pd.DataFrame]:
    """The statistics tab's chart (HTML) and summary table."""
    return _listed_tables(_layers(folder, stamp), _shown(folder, stamp, selection)[0], selection)


@st.cache_resource(show_spinner=False, max_entries=64)
def _message(folder: str, stamp: float, selection: Selection, report_bounds: bool) -> dict[str, Any]:
    """What the map is sent for a selection (``mapview.map_message``); ``report_bounds`` for "only sites in view"."""
    layers = _layers(folder, stamp)
    shown, areas = _shown(folder, stamp, dataclasses.replace(selection, site=""))
    return mapview.map_message(
        shown,
        _map(folder, stamp)[1],
        layers.regions,
        layers.survey_areas.index.isin(areas.index),
        focus_regions=selection.region,
        site=selection.site,
        report_bounds=report_bounds,
        fit_found=bool(selection.q),
    )


def _listed_tables(layers: Layers, listed: gpd.GeoDataFrame, selection: Selection) -> tuple[str, pd.DataFrame]:
    """The statistics tab's chart for these sites (HTML: per region with sites, by kind) and summary table.

    The chart is made here, where the cached tables are, not on every run (a tenth of a run's time).
    """
    areas = filter_survey_areas(layers.survey_areas, listed, layers.regions, selection)
    table = region_table(listed, layers.regions, areas)
    if selection.region:
        table = table[table["region"].isin(selection.region)]
    with_sites = table[table["sites"] > 0]
    return (kind_bars(with_sites) if len(with_sites) else ""), region_summary(listed, layers.regions, areas)


@st.cache_resource(show_spinner=False, max_entries=2)
def _geojson_pieces(folder: str, stamp: float) -> GeojsonPieces:
    return geojson_pieces(Path(folder), _layers(folder, stamp).stats.get("credits", []))


@st.cache_resource(show_spinner=False, max_entries=2)
def _csv_rows(folder: str, stamp: float) -> list[str]:
    return export.csv_lines(_layers(folder, stamp).sites)


@st.cache_resource(show_spinner=False, max_entries=2)
def _gpkg_table(folder: str, stamp: float) -> pa.Table:
    return export.gpkg_table(_layers(folder, stamp).sites)


@st.cache_resource(show_spinner=False, max_entries=2)
def _kml_placemarks(folder: str, stamp: float) -> list[bytes]:
    return export.kml_placemarks(_layers(folder, stamp).sites)


# --- State: the URL seeds the widgets, then widgets hold the selection ---------------------------


def _url_values(names: Iterable[str]) -> dict[str, list[str]]:
    """Every value the URL gives for each of ``names``."""
    return {name: st.query_params.get_all(name) for name in names}


def _sync_with_url(site_ids: set[str]) -> None:
    """Seed the widgets from the URL on a session's first run, and again when the URL changed under them.

    The app writes the URL on every run; a URL it did not write is Back, Forward or an edited
    address, and then the URL's selection wins. The first run keeps notices for ignored values.
    """
    params = _url_values(QUERY_PARAMS)
    first = "notices" not in st.session_state
    selection, notices = parse_query(params, site_ids)
    # A run of the other view drops the widgets' state (Streamlit forgets widgets a run did not draw).
    dropped = any(name not in st.session_state for name in QUERY_PARAMS)
    if not first and not dropped and to_query(selection) == st.session_state.get("written"):
        if st.session_state["site"] not in site_ids:  # a rebuild since took the open site away
            st.session_state["site"] = ""
        return
    for name in QUERY_PARAMS:
        value = getattr(selection, name)
        if name in _DATES:
            value = date.fromisoformat(value) if value else None
        st.session_state[name] = list(value) if isinstance(value, tuple) else value
    st.session_state["panel"] = _DETAIL if selection.site else _STATS
    if first:
        _, view_notices = mapview.parse_view(_url_values(VIEW_PARAMS))
        st.session_state["notices"] = ([*notices, *view_notices], dataclasses.replace(selection, site=""))


def _write_url(selection: Selection) -> None:
    """Put the selection in the URL, keeping the map's view (which the map itself writes there)."""
    view, _ = mapview.parse_view(_url_values(VIEW_PARAMS))
    st.session_state["written"] = to_query(selection)
    st.query_params.from_dict({**to_query(selection), **view})


def _current() -> Selection:
    """The selection the widgets hold."""
    state = st.session_state
    dates = {name: state[name].isoformat() if state[name] else "" for name in _DATES}
    return Selection(
        **{name: tuple(state[name]) for name in _FILTERS},
        q=" ".join(state["q"].split()),
        **dates,
        site=state["site"] or "",
    )


def _clear_filters() -> None:
    for name in _FILTERS:
        st.session_state[name] = []
    for name in _DATES:
        st.session_state[name] = None
    st.session_state["q"] = ""


def _close_site() -> None:
    """Close the detail and go back to the statistics, so the right column is never left blank."""
    st.session_state["site"] = ""
    st.session_state["panel"] = _STATS


def _from_map(site_ids: pd.Index) -> None:
    """Act on what the map sent (state ``map``): a clicked site opens its detail, its bounds are kept.

    A click is ``{"type": "site", "site": id}``; bounds are ``{"type": "bounds", "bounds": [w, s, e, n]}``,
    sent only while "only sites in view" is on.
    """
    value = st.session_state.get("map") or {}
    if value.get("type") == "bounds":
        st.session_state["map_bounds"] = mapview.parse_bounds(value.get("bounds"))
        return
    site = value.get("site")
    if isinstance(site, str) and site in site_ids:
        _open(site)


def _forget_bounds() -> None:
    """Drop the map's last reported view when "only sites in view" is switched, so an old extent is never used."""
    st.session_state.pop("map_bounds", None)


def _open(site: str) -> None:
    st.session_state["site"] = site
    st.session_state["panel"] = _DETAIL


def _open_row(ids: list[str], key: str) -> None:
    """Open the detail of the site in the clicked row (a click on any cell, or the row's checkbox)."""
    chosen = st.session_state[key].selection
    rows = [*chosen.get("rows", []), *(cell[0] for cell in chosen.get("cells", []))]
    if rows:
        _open(ids[rows[0]])
        # a new table (no row selected), so that clicking the same row again opens it again
        st.session_state["table_key"] = st.session_state.get("table_key", 0) + 1


def _turn_page(step: int) -> None:
    st.session_state["table_page"] = st.session_state.get("table_page", 1) + step


def _site_chosen() -> None:
    if st.session_state["site"]:
        st.session_state["panel"] = _DETAIL


# --- Page parts ---------------------------------------------------------------------------------


def _options(values: list[str], counts: dict[str, int], chosen: list[str]) -> list[str]:
    """The options worth offering: those with a site among the other filters' results, and those chosen."""
    return [value for value in values if counts.get(value) or value in chosen]


def _facet(
    name: str, label: str, values: list[str], counts: dict[str, int], labels: dict[str, str], **kwargs: Any
) -> None:
    """A multiselect whose options show how many sites each would add to the other filters (zero ones hidden)."""
    st.multiselect(
        label,
        _options(values, counts, st.session_state[name]),
        key=name,
        format_func=lambda key: f"{labels.get(key, key)} ({counts.get(key, 0):,})",
        **kwargs,
    )


def _sidebar(counts: dict[str, dict[str, int]]) -> None:
    """The filters; every one is also a URL parameter. Counts follow the other filters, as facets do."""
    st.header("Filters")
    st.text_input(
        "Search names, commodities, places, operators",
        key="q",
        max_chars=MAX_QUERY,
        placeholder="tungsten almaty · REE · Куйректыколь",
        help="Every word must match a site's name or alias, commodity (symbol or word, English or Russian), "
        "region, operator, kind, status or source; a typo in a longer word is forgiven. Press Enter to search.",
    )
    _facet("region", "Region", list(REGIONS), counts["region"], {}, placeholder="All 20 regions")
    commodities = sorted(COMMODITIES, key=lambda symbol: -counts["commodity"].get(symbol, 0))
    names = {symbol: f"{symbol} · {name}" for symbol, name in COMMODITIES.items()}
    _facet("commodity", "Commodity", commodities, counts["commodity"], names, placeholder="Any commodity")
    _facet("kind", "Kind", list(KINDS), counts["kind"], KINDS, placeholder="Any")
    _facet("status", "Status", list(STATUSES), counts["status"], STATUSES, placeholder="Any")
    _facet(
        "source",
        "Source",
        list(DATASETS),
        counts["source"],
        DATASETS,
        placeholder="Any source",
        help="Where a site is known from: the curated registry, the news, or an open dataset",
    )
    _facet(
        "record_kind",
        "Record kind",
        list(KINDS),
        counts["record_kind"],
        KINDS,
        placeholder="Any",
        help="What the open-data source records call the site (a USGS occurrence, an ICMM mine, a drill hole)",
    )
    st.caption("Mentioned in the news (by article date)")
    help_text = (
        "Keeps the sites an article of that period mentions, and only those articles' facts; undated ones drop out"
    )
    st.date_input("Mentioned from", key="since", format="YYYY-MM-DD", help=help_text, **_DATE_RANGE)
    st.date_input("Mentioned to", key="until", format="YYYY-MM-DD", help=help_text, **_DATE_RANGE)
    st.button("Clear filters", on_click=_clear_filters, width="stretch")


def _downloads_panel(
    folder: Path, stamp: float, selection: Selection, shown: gpd.GeoDataFrame, *, in_view: bool = False
) -> None:
    """Downloads of exactly the shown sites, and of the full layers: each file is made only when asked for.

    With ``in_view`` the shown sites are only those in the map's view ("only sites in view").
    """
    positions = _layers(str(folder), stamp).sites.index.get_indexer(shown.index)
    credits = _layers(str(folder), stamp).stats.get("credits", [])
    made = {
        "geojson": lambda: geojson_of(_geojson_pieces(str(folder), stamp), positions),
        "csv": lambda: csv_of(_csv_rows(str(folder), stamp), positions),
        "gpkg": lambda: gpkg_of(_gpkg_table(str(folder), stamp), positions, credits),
        "kml": lambda: kml_of(_kml_placemarks(str(folder), stamp), positions, credits),
    }
    st.header("Download")
    what = "in the map's view" if in_view else "of the current selection"
    st.caption(f"The {len(shown):,} sites {what}, with every property, fact and the data credits.")
    buttons = (
        *(
            (f"Shown sites · {label}", made[ext], download_name(selection, ext, in_view=in_view), mime, hint)
            for label, ext, mime, hint in _FORMATS
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


def _cited(figure: dict[str, Any]) -> str:
    """One national figure as a Markdown line: the number, its date, and its article or page, linked."""
    when = [f"as of {figure['as_of']}"] if figure.get("as_of") else []
    when.append(f"published {figure['published']}" if figure.get("published") else "publication date not given")
    source = " — ".join(part for part in (figure.get("title"), figure.get("outlet")) if part) or figure["url"]
    link = markdown_link(source, figure["url"]) if figure["url"] else f"{escape_markdown(source)} (no link known)"
    quote = f": “{escape_markdown(figure['quote'])}”" if figure.get("quote") else ""
    return f"- **{escape_markdown(figure['text'])}** ({escape_markdown('; '.join(when))}) — {link}{quote}"


def _programme(stats: dict[str, Any]) -> None:
    """The national survey programme and every national figure, each with its source and date, conflicts marked."""
    programme = stats.get("programme")
    figures = national_figures(stats)
    st.subheader("National survey programme")
    if programme:
        surveyed, target = programme["surveyed_km2"], programme["target_km2"]
        as_of = programme["surveyed"].get("as_of") or "an unstated date"
        st.metric(
            "Area geologically surveyed (latest published figure)",
            format_quantity(surveyed, "km2"),
            help=escape_markdown(f"As of {as_of}, published {programme['surveyed'].get('published') or '?'}"),
        )
        st.progress(
            min(surveyed / target, 1.0),
            text=f"{surveyed / target:.0%} of the {format_quantity(target, 'km2')} target",
        )
        if any(group["differ"] and group["key"] == "surveyed_area_km2" for group in figures):
            st.caption("⚠️ Figures differ: the sources give other areas surveyed; see *National figures*.")
    else:
        st.caption("The layers hold no figure for the programme's progress.")
    with st.expander(f"National figures ({sum(len(group['figures']) for group in figures)}), with their sources"):
        # One element for all of them: each Markdown element costs the browser a render of its own.
        st.markdown("\n\n".join(_figure_group(group) for group in figures))


def _figure_group(group: dict[str, Any]) -> str:
    """One group of national figures as Markdown: its label (flagged when its sources differ), then each figure."""
    flag = " · ⚠️ *figures differ*" if group["differ"] else ""
    return f"**{escape_markdown(group['label'])}**{flag}\n\n" + "\n".join(_cited(figure) for figure in group["figures"])


def _release_line(stats: dict[str, Any]) -> str:
    """Which data release the page shows, how recent its newest source is, and what the data is licensed under."""
    release = stats.get("release")
    if not release:
        return "Data release: not stated by these layers (rebuild them with `python -m geo build`)."
    licences = "; ".join(f"{item['data']}: {item['licence']}" for item in release["licences"])
    return f"Data release {release['version']} (newest source dated {release['data_as_of']}). Licences: {licences}."


def _region_stats(tables: tuple[str, pd.DataFrame]) -> None:
    """Per region: the shown sites by kind and commodity, and the km² of the survey areas mapped in the atlas."""
    bars, summary = tables
    st.subheader("By region")
    if bars:
        st.html(bars)
    st.table(summary, hide_index=True)
    st.caption(
        "*Mapped survey areas* are the outlines of survey areas this atlas has mapped, not the share of a "
        "region the national programme has surveyed (that figure is national only, above)."
    )


def _site_table(listed: gpd.GeoDataFrame) -> None:
    """The listed sites as a table, a page of ``TABLE_PAGE`` rows at a time; a click on a row opens its detail."""
    pages = max(1, math.ceil(len(listed) / TABLE_PAGE))
    page = min(max(int(st.session_state.get("table_page") or 1), 1), pages)
    st.session_state["table_page"] = page
    rows = listed.iloc[(page - 1) * TABLE_PAGE : page * TABLE_PAGE]
    table = pd.DataFrame(
        {
            "Site": rows["name"],
            "Kind": rows["kind"].map(KINDS),
            "Commodities": rows["commodities"].map(lambda symbols: ", ".join(symbols or [])),
            "Status": rows["status"].map(STATUSES),
            "Region": rows["region"].fillna("not known"),
            "Location": rows["location_precision"].map(mapview.PRECISION_LABELS),
            "Record": [
                "Registry" if origin == "registry" else f"Found in text ({confidence:.0%})"
                for origin, confidence in zip(rows["origin"], rows["confidence"], strict=True)
            ],
        }
    )
    key = f"site_table_{st.session_state.get('table_key', 0)}"
    st.dataframe(
        table,
        hide_index=True,
        key=key,
        on_select=partial(_open_row, list(rows["id"]), key),
        selection_mode=["single-row", "single-cell"],
        height=min(38 + 35 * len(table), 390),
    )
    if pages > 1:
        back, where, forward = st.columns([1, 3, 1], vertical_alignment="center")
        back.button("‹ Previous", on_click=_turn_page, args=(-1,), disabled=page == 1, key="page_back", width="stretch")
        first, last = (page - 1) * TABLE_PAGE + 1, min(page * TABLE_PAGE, len(listed))
        where.caption(f"Sites {first:,}–{last:,} of {len(listed):,} · page {page:,} of {pages:,}")
        forward.button("Next ›", on_click=_turn_page, args=(1,), disabled=page == pages, key="page_on", width="stretch")
    nowhere = (listed.geometry.isna() | listed.geometry.is_empty).to_numpy()  # a mask, not a copy of the rows
    if nowhere.any():
        names = summarise(listed["name"].to_numpy()[nowhere].tolist())
        st.caption(
            escape_markdown(
                f"Not on the map, because no source gives their location: {names}. They are in the table and downloads."
            )
        )


@st.cache_data(show_spinner=False, max_entries=64)
def _matching_ids(folder: str, stamp: float, query: str) -> list[str]:
    """The ids the site finder offers for ``query`` (the search, or a part of the name), at most ``SITE_MATCHES``.

    Names beginning with the query come first. Cached: typing the same text again searches nothing.
    """
    sites, wanted = _layers(folder, stamp).sites, normalise(query)
    folded = sites["name"].map(normalise)
    matching = search_sites(sites, query) | folded.str.contains(wanted, regex=False)
    found = sites[matching].assign(_first=~folded[matching].str.startswith(wanted))
    return list(found.sort_values(["_first", "name"]).head(SITE_MATCHES)["id"])


def _site_matches(sites: gpd.GeoDataFrame, query: str) -> gpd.GeoDataFrame:
    """The sites the site finder offers for ``query``, in the finder's order (none for no query)."""
    if not query:
        return sites.iloc[:0]
    ids = _matching_ids(str(DATA_DIR), _stamp(DATA_DIR), query)
    return sites.set_index("id", drop=False).loc[ids]


def _find_site(sites: gpd.GeoDataFrame) -> None:
    """Enter in the site finder: one match opens at once."""
    query = st.session_state["site_q"].strip()
    matches = _site_matches(sites, query)
    if len(matches) == 1:
        _open(matches["id"].iloc[0])


def _detail(layers: Layers, shown: gpd.GeoDataFrame, selection: Selection) -> None:
    """The site finder (a search box, not one option per site) and, once a site is chosen, everything known about it."""
    site_id = selection.site
    st.text_input(
        "Find a site",
        key="site_q",
        max_chars=MAX_QUERY,
        placeholder="Type a name, e.g. Kuirektykol",
        on_change=_find_site,
        args=(layers.sites,),
        help="Names, aliases, commodities and places, as the search in the sidebar; one match opens at once",
    )
    query = st.session_state.get("site_q", "").strip()
    matches = _site_matches(layers.sites, query)
    options = ["", *matches["id"]]
    if site_id and site_id not in options:
        options.append(site_id)
    names = dict(zip(matches["id"], matches["name"], strict=True))
    if site_id:
        names[site_id] = _site_index(str(DATA_DIR), _stamp(DATA_DIR))[1][site_id]
    if not query:
        prompt = "Click a marker or a table row, or type a name above"
    else:
        prompt = f"{len(matches)} match{'' if len(matches) == 1 else 'es'}: choose one" if len(matches) else "No match"
    st.selectbox(
        "Site", options, key="site", on_change=_site_chosen, format_func=lambda sid: names.get(sid, sid) or prompt
    )
    if not site_id:
        st.caption("Everything known about a site: kind, commodities, operator, status, location and every cited fact.")
        return
    site = layers.sites[layers.sites["id"] == site_id].iloc[0].copy()
    if site_id not in set(shown["id"]):
        st.caption("This site is hidden by the current filters.")
    if selection.dated:
        site["facts"] = filter_facts(site["facts"], selection)
        period = f"{selection.since or 'the first'} to {selection.until or 'the latest'} article"
        st.caption(escape_markdown(f"Facts from articles published {period} only (the date filter)."))
    st.html(detail_html(site, articles_by_key(layers.stats.get("documents", []))))
    st.button("Close", on_click=_close_site, key="close_site")


# --- Read an article: the pipeline's own reading of pasted text, shown; kept only on request ---------
# Folders of the view (the layers folder is DATA_DIR): tests point them at temporary copies.
_ROOT = Path(__file__).parent
SEEDS_DIR = Path(os.environ.get("ATLAS_SEEDS_DIR") or _ROOT / "seeds")
INPUTS_DIR = Path(os.environ.get("ATLAS_INPUTS_DIR") or _ROOT / "data")


def _open_data_setting() -> tuple[Path | None, str]:
    """The open datasets the build reads, and a problem to show when ATLAS_OPEN_DATA names no folder.

    Unset, it is ``../shared/open-data`` if present (as for ``python -m geo build``); "" means none.
    """
    value = os.environ.get("ATLAS_OPEN_DATA")
    if value is None:
        default = _ROOT.parent / "shared" / "open-data"
        return (default if default.is_dir() else None), ""
    if value and not Path(value).is_dir():
        return None, f"ATLAS_OPEN_DATA={value!r} is no folder: keeping would rebuild the layers without the open data"
    return (Path(value) if value else None), ""


def _read_seconds() -> float:
    """ATLAS_READ_SECONDS (default 30): the longest a reading may take."""
    value = os.environ.get("ATLAS_READ_SECONDS") or "30"
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ValueError(f"ATLAS_READ_SECONDS must be a positive number of seconds, not {value!r}")
    return seconds


OPEN_DATA, OPEN_DATA_PROBLEM = _open_data_setting()
_ATLAS, _READ = "Atlas", "Read an article"
#: The longest a reading may take (a typical article takes well under a second).
READ_SECONDS = _read_seconds()
_READ_MAP_HEIGHT = 480


@st.cache_resource(show_spinner="Loading the known sites…", max_entries=2)
def _knowledge(inputs: str, open_data: str | None, stamp: float) -> Knowledge:
    """The sites and gazetteer an article is read against, read once per version of the inputs (read-only)."""
    return load_knowledge(Path(inputs), Path(open_data) if open_data else None)


@st.cache_resource(show_spinner=False, max_entries=2)
def _region_outlines(folder: str, stamp: float) -> dict[str, Any] | None:
    """The built regions layer, names and shapes only, as the reading map's background (None without layers)."""
    path = Path(folder) / "regions.geojson"
    if not path.is_file():
        return None
    layer = json.loads(path.read_bytes())
    features = [{**f, "properties": {"name": f["properties"]["name"]}} for f in layer["features"]]
    return {"type": "FeatureCollection", "features": features}


@st.cache_resource(show_spinner=False, max_entries=2)
def _known_facts(folder: str, stamp: float) -> dict[str, list[dict[str, Any]]]:
    """The facts the built layers hold for each site (what a new figure is shown beside)."""
    path = Path(folder) / "sites.geojson"
    if not path.is_file():
        return {}
    return {f["properties"]["id"]: f["properties"]["facts"] for f in json.loads(path.read_bytes())["features"]}


def _inputs_stamp() -> float:
    """The newest modification time of the curated inputs: a changed registry is read again."""
    return _newest_mtime(INPUTS_DIR.glob("*.csv"))


def _pasted_text() -> tuple[str, dict[str, str]]:
    """The article text and metadata: an uploaded file's (with an ``.md`` file's front matter) or the pasted text.

    Metadata typed in the form wins over the front matter's; ``InputError`` says why a file is no article.
    """
    typed = {name: st.session_state.get(f"read_{name}", "").strip() for name in ("title", "outlet", "date", "url")}
    upload = st.session_state.get("read_file")
    if upload is None:
        return st.session_state.get("read_text", ""), typed
    text, front = from_upload(upload.name, upload.getvalue())
    return text, {name: typed[name] or front.get(name, "") for name in typed}


def _read_clicked() -> None:
    """Read the article now (never on other reruns); the reading stays in this session only."""
    st.session_state.pop("kept", None)
    text, fields = st.session_state.get("read_text", ""), {}
    try:
        text, fields = _pasted_text()
        knowledge = _knowledge(str(INPUTS_DIR), str(OPEN_DATA) if OPEN_DATA else None, _inputs_stamp())
        reading = within(
            READ_SECONDS,
            read_article,
            text,
            knowledge,
            title=fields["title"],
            outlet=fields["outlet"],
            published=fields["date"],
            url=fields["url"],
            known_facts=_known_facts(str(DATA_DIR), _stamp(DATA_DIR)),
        )
    except InputError as error:
        st.session_state["reading"] = (None, list(error.problems), text, fields)
        return
    except ReadingTimeout as error:
        advice = "it names too many places to read here; split it, or keep it with python -m geo add"
        st.session_state["reading"] = (None, [f"{error}: {advice}"], text, fields)
        return
    st.session_state["reading"] = (reading, [], text, fields)


def _keep_clicked() -> None:
    """Keep the article as read: save it to the seeds folder and rebuild the layers, or write nothing and say why."""
    _, _, text, fields = st.session_state["reading"]
    if OPEN_DATA_PROBLEM:
        st.session_state["kept"] = (None, [OPEN_DATA_PROBLEM])
        return
    try:
        kept = keep_article(
            text.encode("utf-8"),
            title=fields["title"],
            outlet=fields["outlet"],
            published=fields["date"],
            url=fields["url"],
            seeds=SEEDS_DIR,
            out=DATA_DIR,
            data_dir=INPUTS_DIR,
            open_data=OPEN_DATA,
        )
    except (InputError, OutputError, OSError) as error:
        st.session_state["kept"] = (None, list(getattr(error, "problems", None) or [str(error)]))
        return
    st.session_state["kept"] = (kept.file, sites_of_file(kept.report.files["sites.geojson"], kept.file))


def _read_view() -> None:
    """Paste or upload an article, see what the atlas reads in it, and keep it if it should be kept."""
    st.title("Read an article")
    st.caption(
        "The atlas reads the text with the build's own reading: the sites it names, where the words place them, "
        f"the facts it states. Nothing is saved until you keep it. At most {MAX_BYTES:,} bytes."
    )
    if OPEN_DATA_PROBLEM:
        st.warning(escape_markdown(OPEN_DATA_PROBLEM))
    with st.form("read_form", border=False):
        st.text_area("Article text", key="read_text", height=220, placeholder="Paste the article here")
        st.file_uploader("…or upload a .txt or .md file", type=["txt", "md"], key="read_file")
        title, outlet, when, url = st.columns([3, 2, 1, 3])
        title.text_input("Title (optional)", key="read_title")
        outlet.text_input("Outlet (optional)", key="read_outlet")
        when.text_input("Date (YYYY-MM-DD)", key="read_date")
        url.text_input("URL (optional)", key="read_url")
        st.form_submit_button("Read", type="primary", on_click=_read_clicked)
    reading, problems, _, _ = st.session_state.get("reading", (None, [], "", {}))
    if problems:
        st.error("The article cannot be read:\n" + "\n".join(f"- {escape_markdown(p)}" for p in problems))
    if reading is None:
        return
    for note in reading.notes:
        st.info(escape_markdown(note))
    text_column, map_column = st.columns([3, 2], gap="medium")
    with text_column:
        st.subheader("What it reads")
        st.html(highlight_html(reading))
    with map_column:
        st.subheader("Where it places the sites")
        outlines = _region_outlines(str(DATA_DIR), _stamp(DATA_DIR))
        st.iframe(reading_map_html(reading, outlines), height=_READ_MAP_HEIGHT)
    st.subheader("Sites it names")
    st.html(sites_table(reading))
    st.subheader("Facts it would add")
    st.html(facts_table(reading))
    st.subheader("What it could not use")
    st.html(unused_table(reading))
    st.button("Keep this article and rebuild the layers", on_click=_keep_clicked, key="keep")
    kept = st.session_state.get("kept")
    if kept and kept[0] is None:
        st.error("Nothing was kept:\n" + "\n".join(f"- {escape_markdown(p)}" for p in kept[1]))
    elif kept:
        names = ", ".join(f"{site['name']} ({site['origin']})" for site in kept[1]) or "none"
        st.success(
            f"Kept as {escape_markdown(kept[0])} in the seeds folder; the layers were rebuilt. "
            f"Its sites in the rebuilt layers: {escape_markdown(names)}."
        )


# --- The page -----------------------------------------------------------------------------------


def main() -> None:
    """Render the atlas for the current selection."""
    st.set_page_config(page_title="Kazakhstan critical minerals atlas", page_icon="⛏️", layout="wide")
    if st.sidebar.radio("View", (_ATLAS, _READ), key="view", horizontal=True) == _READ:
        _read_view()
        return
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
    site_ids, _, _ = _site_index(str(DATA_DIR), stamp)
    _sync_with_url(site_ids)
    selection = _current()
    unsited = dataclasses.replace(selection, site="")
    with st.sidebar:
        _sidebar(_facet_counts(str(DATA_DIR), stamp, unsited))
    _write_url(selection)

    shown, _ = _shown(str(DATA_DIR), stamp, unsited)
    # "Only sites in view" narrows the table, statistics and downloads (not the map) to the map's extent.
    bounds = st.session_state.get("map_bounds") if st.session_state.get("in_view") else None
    listed = mapview.in_view(shown, bounds) if bounds else shown
    filters = to_query(unsited)
    if st.session_state.get("table_for") != (filters, bounds):
        st.session_state["table_for"] = (filters, bounds)
        st.session_state["table_page"] = 1

    with st.sidebar:
        _downloads_panel(DATA_DIR, stamp, selection, listed, in_view=bool(bounds))

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
        atlas_map(
            message=_message(str(DATA_DIR), stamp, selection, bool(st.session_state.get("in_view"))),
            height=MAP_HEIGHT,
            key="map",
            default=None,
            on_change=partial(_from_map, payload_ids),
        )
        st.toggle(
            "Only sites in the map's view",
            key="in_view",
            on_change=_forget_bounds,
            help="Narrows the table, the statistics and the downloads to what the map shows now; they follow as you "
            "pan and zoom",
        )
        if st.session_state.get("in_view"):
            where = f"{len(listed):,} of them in the map's view" if bounds else "Waiting for the map's view…"
            st.caption(where)
        _site_table(listed)
    with right:
        stats_tab, detail_tab = st.tabs([_STATS, _DETAIL], key="panel", on_change="rerun")
        with stats_tab:
            _programme(layers.stats)
            tables = (
                _listed_tables(layers, listed, selection) if bounds else _region_tables(str(DATA_DIR), stamp, unsited)
            )
            _region_stats(tables)
        with detail_tab:
            _detail(layers, shown, selection)
    st.caption(escape_markdown(_release_line(layers.stats)))
    st.caption(escape_markdown(" · ".join([*layers.stats.get("credits", []), MAP_CREDIT])))


main()
