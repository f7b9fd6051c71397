"""The atlas map: pure functions (no Streamlit), tested as HTML and as data.

``build_map`` makes the map of one data version, once: basemaps, the regions, the survey
areas, the legend and the script (``atlas_map.js``) that draws the sites from the payload
file of ``geo.payload``. ``map_message`` is what one selection sends it: a bit mask of the
shown sites, the regions' colours and the view. Every text from the data reaching the map
goes through ``escape``.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import JavascriptLink
from folium import plugins
from folium.template import Template

from geo import assets
from geo.geojson import feature, feature_collection
from geo.ids import ids_in
from geo.markup import summarise
from geo.schema import KAZAKHSTAN_BOUNDS, KINDS, UNKNOWN_PRECISION, VIEW_PARAMS

__all__ = [
    "BASEMAPS",
    "KIND_COLOURS",
    "PRECISION_LABELS",
    "build_map",
    "count_classes",
    "decode_mask",
    "display_regions",
    "encode_mask",
    "escape",
    "in_view",
    "map_message",
    "parse_bounds",
    "parse_view",
    "placed",
    "ramp_html",
]

#: Marker colour of each kind of site (colour-blind-safe, distinct from the choropleth).
KIND_COLOURS: dict[str, str] = {
    "deposit": "#c2410c",
    "prospective_area": "#7e22ce",
    "mine": "#b91c1c",
    "plant": "#1d4ed8",
    "smelter": "#334155",
    "project": "#be185d",
    "occurrence": "#a16207",
    "refinery": "#0f766e",
    "drill_hole": "#57534e",
}

#: How each location precision is described to people.
PRECISION_LABELS: dict[str, str] = {
    "site": "Exact site",
    "approximate": "Approximate location",
    "district": "District centre",
    "region": "Somewhere in the region",
    UNKNOWN_PRECISION: "Location not known",
}

#: Fill colours of the choropleth: no sites, then up to five classes of counts.
_COUNT_COLOURS = ("#fafaf7", "#cfe8df", "#9fd3c3", "#67b6a3", "#3a8f80", "#1d6660")
_SURVEY_COLOUR = "#7c3aed"
#: Pixels kept free below the opening view, so the legend does not cover the country.
_LEGEND_HEIGHT = 160
_OTHER_COLOUR = "#52525b"
_REGION_STYLE = {"fillColor": _COUNT_COLOURS[0], "color": "#52606d", "weight": 0.8, "fillOpacity": 0.7}
#: From this zoom on, approximate sites in view get a circle of their uncertainty (at lower
#: zooms most circles are a few pixels wide, and there may be tens of thousands).
CIRCLE_ZOOM = 7
#: At most this many circles are drawn at once (on one canvas).
MAX_CIRCLES = 3000
#: The zoom from which every site is drawn on its own, unclustered: where the map goes at most
#: to show a selected site that is inside a cluster.
FOCUS_ZOOM = 9
#: Below ``FOCUS_ZOOM`` the shown sites are clustered in a grid of square cells this many pixels
#: wide, one cluster per cell (as the grid of Google's MarkerClusterer, whose default it is).
CLUSTER_PX = 60
#: Clusters of neighbouring cells closer than this many pixels join (as many markers are about 40 px wide).
JOIN_PX = 40
#: The map's script: sites, clusters, circles and the messages from and to Streamlit.
_SCRIPT = (Path(__file__).parent / "atlas_map.js").read_text(encoding="utf-8")
#: The payload's reader and the worker that fetches it, in the map page's head.
_READER = (Path(__file__).parent / "payload_reader.js").read_text(encoding="utf-8")

#: Basemaps by URL key (``?basemap=``): name, tile URL, attribution. ``none`` draws nothing and works offline.
_BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
BASEMAPS: dict[str, tuple[str, str, str]] = {
    "osm": (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "satellite": (
        "Satellite (Esri World Imagery)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
    ),
    "none": ("No tiles (works offline)", _BLANK_TILE, "No basemap"),
}
#: Below this page width (px) the legend starts folded (on a phone it would cover much of the map).
LEGEND_FOLD_WIDTH = 800
#: The zoom range the map allows (and ``?zoom=`` accepts).
MIN_ZOOM, MAX_ZOOM = 3, 18

_CSS = """
.leaflet-container { background: #dfe7ec; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.atlas-pin { border-radius: 50%; border: 2px solid #fff; box-shadow: 0 1px 4px rgba(0,0,0,.5);
  color: #fff; font: 700 10px/26px system-ui, sans-serif; text-align: center; letter-spacing: -.2px; }
.atlas-pin.atlas-approx { background: #fff; border-style: dashed; border-width: 2px; }
.atlas-pin.atlas-extracted { outline: 2px dotted #b45309; outline-offset: 2px; }
.atlas-pin.atlas-selected { box-shadow: 0 0 0 3px #facc15, 0 0 0 5px #111827, 0 1px 6px rgba(0,0,0,.6); }
.leaflet-marker-icon:focus-visible { outline: 3px solid #2563eb; outline-offset: 3px; }
.atlas-notice { position: absolute; z-index: 1000; top: 10px; left: 50%; transform: translateX(-50%);
  max-width: calc(100% - 120px); background: #fffbeb; border: 1px solid #d97706; border-radius: 6px;
  padding: 6px 10px; font-size: 12.5px; line-height: 1.4; color: #1f2937; box-shadow: 0 1px 5px rgba(0,0,0,.3); }
.atlas-notice button { margin-left: 6px; font: inherit; cursor: pointer; }
.atlas-cluster { border-radius: 50%; background: rgba(30,41,59,.85); border: 3px solid rgba(255,255,255,.8);
  color: #fff; font: 700 12px system-ui, sans-serif; display: flex; align-items: center; justify-content: center;
  box-shadow: 0 1px 4px rgba(0,0,0,.4); }
.atlas-tip { font-size: 12px; line-height: 1.35; width: max-content; max-width: 320px; white-space: normal; }
.atlas-tip td { padding: 0; }
.atlas-hint { color: #6b7280; }
.atlas-legend { background: rgba(255,255,255,.95); padding: 6px 9px; border-radius: 6px; font-size: 11px;
  line-height: 1.45; box-shadow: 0 1px 5px rgba(0,0,0,.3); color: #1f2937; max-width: 235px; }
.atlas-legend summary { cursor: pointer; font-weight: 700; font-size: 11.5px; }
.atlas-legend h4 { margin: 5px 0 2px; font-size: 11px; font-weight: 700; }
.atlas-legend h4 small { font-weight: 400; color: #4b5563; }
.atlas-legend .grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8px; }
.atlas-legend .row { display: flex; align-items: center; gap: 5px; }
.atlas-legend .dot { width: 11px; height: 11px; border-radius: 50%; border: 1.5px solid #fff;
  box-shadow: 0 0 0 1px rgba(0,0,0,.3); flex: none; }
.atlas-legend .ring { background: #fff; border: 1.5px dashed #444; box-shadow: none; }
.atlas-legend .found { background: #fff; outline: 2px dotted #b45309; outline-offset: 1px; box-shadow: none; }
.atlas-legend .ramp { display: flex; }
.atlas-legend .ramp span { flex: 1; text-align: center; border: 1px solid #9ca3af; margin-right: -1px; padding: 0 2px; }
.atlas-legend .box { width: 14px; height: 10px; flex: none; }
"""


def escape(text: Any) -> str:
    r"""Escape text for HTML *and* for JavaScript template strings: ``<>&"'`` plus backtick, ``$``, ``\``.

    folium puts some texts inside JavaScript template literals, where ``${...}`` runs even
    after HTML escaping; as entities these characters are inert and still display as typed.

    >>> escape("<img src=x onerror=alert(1)> `${alert(2)}` \\")
    '&lt;img src=x onerror=alert(1)&gt; &#96;&#36;{alert(2)}&#96; &#92;'
    """
    escaped = html.escape("" if text is None else str(text), quote=True)
    return escaped.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def count_classes(top: int) -> list[tuple[int, int]]:
    """Up to five classes (low, high) of equal width covering 1..``top`` sites; empty when ``top`` < 1.

    >>> count_classes(3)
    [(1, 1), (2, 2), (3, 3)]
    >>> count_classes(31)
    [(1, 7), (8, 14), (15, 21), (22, 28), (29, 35)]
    """
    step = max(1, math.ceil(top / (len(_COUNT_COLOURS) - 1)))
    return [(low, low + step - 1) for low in range(1, top + 1, step)]


def _count_colour(count: int, classes: Sequence[tuple[int, int]]) -> str:
    """The choropleth fill of a region with ``count`` sites."""
    for number, (low, high) in enumerate(classes, start=1):
        if low <= count <= high:
            return _COUNT_COLOURS[number]
    return _COUNT_COLOURS[0]


def encode_mask(shown: np.ndarray) -> str:
    """A boolean per payload row as base64 of its bits, least significant first.

    >>> encode_mask(np.array([True, False, True]))
    'BQ=='
    """
    return base64.b64encode(np.packbits(np.asarray(shown, dtype=bool), bitorder="little").tobytes()).decode("ascii")


def decode_mask(mask: str, rows: int) -> np.ndarray:
    """The booleans ``encode_mask`` encoded, for ``rows`` payload rows.

    >>> decode_mask("BQ==", 3).tolist()
    [True, False, True]
    """
    bits = np.unpackbits(np.frombuffer(base64.b64decode(mask), dtype=np.uint8), bitorder="little")
    return bits[:rows].astype(bool)


def display_regions(regions: gpd.GeoDataFrame, tolerance: float = 0.02) -> gpd.GeoDataFrame:
    """Regions simplified for drawing (shared borders stay shared), to keep the map's HTML small.

    ``tolerance`` is in degrees (0.02° ≈ 2 km: about a pixel when the map shows one region).
    """
    simplified = shapely.coverage_simplify(shapely.make_valid(regions.geometry.values), tolerance)
    return regions.set_geometry(shapely.set_precision(simplified, tolerance / 10))


def _kind_css() -> str:
    """Marker colours per kind: solid for exact sites, outlined for approximate ones."""
    return "".join(
        f".atlas-{kind} {{ background: {colour}; }} .atlas-{kind}.atlas-approx {{ color: {colour}; "
        f"border-color: {colour}; }}\n"
        for kind, colour in {**KIND_COLOURS, "other": _OTHER_COLOUR}.items()
    )


class _Legend(folium.MacroElement):
    """The legend as a Leaflet control (so it stays on the map in full screen), plus the map's CSS."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str, css: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = legend_html
        self.css = css


def ramp_html(classes: Sequence[tuple[int, int]]) -> str:
    """The legend's choropleth classes: no sites, then each class of counts in its colour."""
    return "".join(
        f'<span style="background:{_COUNT_COLOURS[number]}">{low if low == high else f"{low}–{high}"}</span>'
        for number, (low, high) in enumerate([(0, 0), *classes])
    )


def _legend_html() -> str:
    """The legend's HTML (collapsible): kinds, location precision, the choropleth, survey areas.

    The choropleth's classes come with each selection (``map_message``).
    """
    kinds = "".join(
        f'<div class="row"><span class="dot" style="background:{KIND_COLOURS[kind]}"></span>{escape(label)}</div>'
        for kind, label in KINDS.items()
    )
    return (
        "<details open><summary>Legend</summary>"
        f"<h4>Sites by kind <small>(label: main commodity)</small></h4><div class='grid'>{kinds}</div>"
        '<div class="row"><span class="dot ring"></span>'
        "Approximate location (zoom in for a dashed circle of its uncertainty)</div>"
        '<div class="row"><span class="dot found"></span>Found in the text only, not in the curated registry</div>'
        "<h4>Sites shown per region</h4><div class='ramp'></div>"
        f'<div class="row" style="margin-top:4px"><span class="box" style="background:{_SURVEY_COLOUR}33;'
        f'border:1.5px dashed {_SURVEY_COLOUR}"></span>Survey area</div></details>'
    )


def _own_style(feat: dict[str, Any]) -> dict[str, Any]:
    """The style a feature carries in its ``style`` property."""
    return feat["properties"]["style"]


def _geojson_layer(features: list[dict[str, Any]], name: str, **kwargs: Any) -> folium.GeoJson | None:
    """A GeoJson layer styled and labelled by its features' ``style`` and escaped ``tooltip``; ``None`` when empty."""
    if not features:
        return None
    layer = folium.GeoJson(feature_collection(features), name=name, style_function=_own_style, **kwargs)
    folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True, class_name="atlas-tip").add_to(layer)
    return layer


def _region_layer(regions: gpd.GeoDataFrame) -> folium.GeoJson:
    """The regions, each feature numbered (``n``) in frame order; ``map_message`` colours and labels them."""
    features = [
        feature(region.geometry, {"n": number, "tooltip": f"<b>{escape(region.name)}</b>", "style": _REGION_STYLE})
        for number, region in enumerate(regions.itertuples(index=False))
    ]
    return _geojson_layer(
        features, "Regions: sites shown", highlight_function=lambda _: {"weight": 2.5, "color": "#111827"}
    )


def _survey_layer(survey_areas: gpd.GeoDataFrame) -> folium.GeoJson | None:
    """Survey-area polygons, dashed when their outline is approximate (areas known only as a point are left out).

    Each feature is numbered (``n``) by its row in ``survey_areas``, as ``map_message`` names the shown ones.
    """
    features = []
    drawn = survey_areas.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    for number, area in enumerate(survey_areas.itertuples(index=False)):
        if not drawn[number]:
            continue
        if pd.notna(area.area_km2):
            size = f"{area.area_km2:,.1f} km² stated"
        else:
            size = (
                f"≈ {area.area_km2_geodesic:,.0f} km² as drawn" if pd.notna(area.area_km2_geodesic) else "area unknown"
            )
        tooltip = f"<b>{escape(area.name)}</b><br>Survey area, {size}"
        if area.approximate:
            tooltip += f"<br><i>Approximate outline: {escape(area.shape_note)}</i>"
        style = {
            "color": _SURVEY_COLOUR,
            "weight": 2,
            "fillColor": _SURVEY_COLOUR,
            "fillOpacity": 0.2,
            "dashArray": "6 4" if area.approximate else None,
        }
        features.append(feature(area.geometry, {"n": number, "tooltip": tooltip, "style": style}))
    return _geojson_layer(features, "Survey areas")


#: The smallest span (degrees) the map fits to around found sites, so one site is not shown at street level.
_FIT_SPAN = 1.0


def _view(
    regions: gpd.GeoDataFrame, focus_regions: Sequence[str], found: gpd.GeoDataFrame | None = None
) -> list[list[float]]:
    """The bounds to open on: the found sites (a search), else the focus regions, else all of Kazakhstan."""
    west, south, east, north = KAZAKHSTAN_BOUNDS
    focus = regions[regions["name"].isin(focus_regions)]
    points = placed(found) if found is not None else found
    if points is not None and len(points):
        west, south, east, north = points.total_bounds
        grow_x, grow_y = max(0.0, _FIT_SPAN - (east - west)) / 2, max(0.0, _FIT_SPAN - (north - south)) / 2
        west, south, east, north = west - grow_x, south - grow_y, east + grow_x, north + grow_y
    elif len(focus):
        west, south, east, north = focus.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def placed(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The sites that have a point; a site no source places has none and is listed, not drawn."""
    return sites[sites.geometry.notna() & ~sites.geometry.is_empty]


class _SiteLayer(folium.MacroElement):
    """The sites, drawn in the browser by ``atlas_map.js`` from the payload file and each selection's mask.

    The script fetches the payload once, clusters the shown sites in a grid, draws only
    what is in and around the view, and talks to Streamlit itself (the map is a custom component): every
    render brings a ``map_message``; a click on a site sends back its id, nothing else does.
    """

    # The payload is asked for from the page's head (by a worker, payload_reader.js), so that it downloads
    # and unpacks while Leaflet and the regions are set up rather than after.
    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <script>
        {{ this.reader }}
        window.atlasPayload = atlasFetchPayload(
            {{ this.options.payload_gzip|tojson }}, {{ this.options.payload|tojson }});
        </script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.script }}
        window.atlas = atlasMap({{ this._parent.get_name() }}, {{ this.regions.get_name() }},
            {{ this.survey.get_name() if this.survey else 'null' }}, {
            {%- for key, layer in this.basemaps.items() %}{{ key|tojson }}: {{ layer.get_name() }}, {% endfor -%}
            }, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        regions: folium.GeoJson,
        survey: folium.GeoJson | None,
        basemaps: dict[str, folium.TileLayer],
        options: dict[str, Any],
    ) -> None:
        super().__init__()
        self._name = "SiteLayer"
        self.regions = regions
        self.survey = survey
        self.basemaps = basemaps
        self.options = options
        self.script = _SCRIPT
        self.reader = _READER

    def render(self, **kwargs: Any) -> None:
        """Render; then put this layer's head script before the head's first script link, which stops the parser."""
        super().render(**kwargs)
        children = self.get_root().header._children
        mine = children.pop(self.get_name())
        entries = list(children.items())
        first = next((n for n, (_, child) in enumerate(entries) if isinstance(child, JavascriptLink)), len(entries))
        children.clear()
        children.update([*entries[:first], (self.get_name(), mine), *entries[first:]])


def build_map(
    regions: gpd.GeoDataFrame, survey_areas: gpd.GeoDataFrame, payload_url: str, gzip_url: str = ""
) -> folium.Map:
    """The atlas map of one data version, with no selection in it: built once, then sent messages.

    ``payload_url`` is where the browser fetches the sites (``geo.payload``), ``gzip_url`` (if
    given) where it first tries the same file gzipped, which it unpacks itself; ``map_message``
    says which to show. All JavaScript and CSS come from ``geo.assets``; only the tile
    basemaps use the network.
    """
    fmap = assets.localise(folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, min_zoom=MIN_ZOOM))
    basemaps = {
        key: folium.TileLayer(url, attr=attr, name=name, show=index == 0, max_zoom=MAX_ZOOM, overlay=False)
        for index, (key, (name, url, attr)) in enumerate(BASEMAPS.items())
    }
    for layer in basemaps.values():
        layer.add_to(fmap)
    region_layer = _region_layer(regions)
    survey_layer = _survey_layer(survey_areas)
    for layer in (region_layer, survey_layer):
        if layer is not None:
            layer.add_to(fmap)
    options = {
        "payload": payload_url,
        "payload_gzip": gzip_url,
        "kind_colours": [*(KIND_COLOURS.get(kind, _OTHER_COLOUR) for kind in KINDS), _OTHER_COLOUR],
        "kind_classes": [*KINDS, "other"],
        "precision_labels": list(PRECISION_LABELS.values()),
        "legend_height": _LEGEND_HEIGHT,
        "circle_zoom": CIRCLE_ZOOM,
        "max_circles": MAX_CIRCLES,
        "view_params": list(VIEW_PARAMS),
        "basemap_names": {key: name for key, (name, _, _) in BASEMAPS.items()},
        "offline_basemap": "none",
        "legend_fold_width": LEGEND_FOLD_WIDTH,
        "zoom_range": [MIN_ZOOM, MAX_ZOOM],
        "focus_zoom": FOCUS_ZOOM,
        "cluster_px": CLUSTER_PX,
        "join_px": JOIN_PX,
    }
    _SiteLayer(region_layer, survey_layer, basemaps, options).add_to(fmap)
    _Legend(_legend_html(), _CSS + _kind_css()).add_to(fmap)
    assets.localise(plugins.Fullscreen(title="Full screen", title_cancel="Exit full screen")).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.fit_bounds(_view(regions, ()), padding_bottom_right=(0, _LEGEND_HEIGHT))
    return fmap


def _region_styles(shown: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> tuple[list[list[str]], list]:
    """Per region (frame order): its fill by the shown sites it holds and its tooltip; and the classes."""
    counts = shown["region"].value_counts()
    classes = count_classes(int(counts.max()) if len(counts) else 0)
    styles = []
    for name in regions["name"]:
        count = int(counts.get(name, 0))
        tooltip = f"<b>{escape(name)}</b><br>{count} site{'' if count == 1 else 's'} shown"
        styles.append([_count_colour(count, classes), tooltip])
    return styles, classes


def map_message(
    shown: gpd.GeoDataFrame,
    payload_ids: pd.Index,
    regions: gpd.GeoDataFrame,
    shown_areas: np.ndarray,
    *,
    focus_regions: Sequence[str] = (),
    site: str = "",
    report_bounds: bool = False,
    fit_found: bool = False,
) -> dict[str, Any]:
    """What the map needs for one selection, small whatever the number of sites.

    ``mask``: which payload rows (``payload_ids``, in payload order) are shown; ``regions``: each
    region's fill and tooltip; ``ramp``: the legend's classes; ``areas``: the numbers (``n``) of
    the survey areas shown (``shown_areas``: a boolean per survey-area row); ``bounds``: the view
    to open on (with ``fit_found``, as for a search, the shown sites; else the focus regions, or
    the country); ``site``: the id of the selected site (the
    map goes to it and rings it); ``report_bounds``: whether the map sends its bounds back after
    each move ("only sites in view"), which reruns the app; otherwise moving the map never does.
    """
    styles, classes = _region_styles(shown, regions)
    return {
        "mask": encode_mask(ids_in(payload_ids, shown["id"])),
        "regions": styles,
        "ramp": ramp_html(classes),
        "areas": [int(n) for n in np.flatnonzero(shown_areas)],
        "bounds": _view(regions, focus_regions, shown if fit_found else None),
        "site": site,
        "report_bounds": bool(report_bounds),
    }


_NUMBER = r"-?\d{1,3}(?:\.\d{1,8})?"
_CENTER = re.compile(rf"({_NUMBER}),({_NUMBER})")
_ZOOM = re.compile(r"\d{1,2}(?:\.\d{1,4})?")


def parse_view(params: Mapping[str, str | Sequence[str] | None]) -> tuple[dict[str, str], list[str]]:
    """The valid map-view parameters (``schema.VIEW_PARAMS``) of a URL, kept as written, and a notice per bad one.

    The map writes these itself; the app only keeps them in the URL it writes back. A value
    is kept verbatim when valid (so the URL is not rewritten): ``center`` is ``lat,lon`` on
    the globe, ``zoom`` a number from ``MIN_ZOOM`` to ``MAX_ZOOM``, ``basemap`` a key of ``BASEMAPS``.

    >>> parse_view({"center": "48.1,67.25", "zoom": "6.5", "basemap": "moon"})
    ({'center': '48.1,67.25', 'zoom': '6.5'}, ['Ignored basemap “moon” in the URL.'])
    """
    kept: dict[str, str] = {}
    notices: list[str] = []
    for name in VIEW_PARAMS:
        raw = params.get(name)
        value = raw if isinstance(raw, str) or raw is None else (list(raw) or [None])[0]
        if not value:
            continue
        if name == "center":
            match = _CENTER.fullmatch(value)
            valid = bool(match) and abs(float(match[1])) <= 90 and abs(float(match[2])) <= 180
        elif name == "zoom":
            valid = bool(_ZOOM.fullmatch(value)) and MIN_ZOOM <= float(value) <= MAX_ZOOM
        else:
            valid = value in BASEMAPS
        if valid:
            kept[name] = value
        else:
            notices.append(f"Ignored {name} {summarise([value])} in the URL.")
    return kept, notices


def parse_bounds(value: Any) -> tuple[float, float, float, float] | None:
    """The map's bounds as it reports them (``[west, south, east, north]``), or ``None`` when malformed.

    >>> parse_bounds([50, 45, 70.5, 52])
    (50.0, 45.0, 70.5, 52.0)
    >>> parse_bounds([70, 45, 50, 52]) is None
    True
    """
    if not isinstance(value, list | tuple) or len(value) != 4:
        return None
    try:
        west, south, east, north = (float(part) for part in value)
    except (TypeError, ValueError):
        return None
    finite = all(math.isfinite(part) for part in (west, south, east, north))
    if not finite or not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


def in_view(sites: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The placed sites inside ``bounds`` (west, south, east, north; edges included); unplaced sites are in no view."""
    west, south, east, north = bounds
    drawn = placed(sites)
    x, y = drawn.geometry.x, drawn.geometry.y
    return drawn[(x >= west) & (x <= east) & (y >= south) & (y <= north)]
