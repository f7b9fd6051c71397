"""The atlas map: a pure function from layers to a ``folium.Map`` (no Streamlit), tested as HTML.

One choropleth layer of regions, one layer of survey areas, one layer of uncertainty
circles and one fast cluster layer of site markers, so the map's HTML stays small with
thousands of sites. Every text from the data reaching the map goes through ``escape``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from folium import plugins
from folium.template import Template

from geo import assets
from geo.geojson import feature, feature_collection
from geo.schema import COMMODITIES, KAZAKHSTAN_BOUNDS, KINDS, STATUSES, UNKNOWN_PRECISION

__all__ = [
    "KIND_COLOURS",
    "PRECISION_LABELS",
    "build_map",
    "clicked_site",
    "count_classes",
    "display_regions",
    "escape",
    "placed",
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

#: Basemaps: name, tile URL, attribution. The last one draws nothing and works offline.
_BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
_BASEMAPS = (
    (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    (
        "Satellite (Esri World Imagery)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
    ),
    ("No tiles (works offline)", _BLANK_TILE, "No basemap"),
)

_CSS = """
.leaflet-container { background: #dfe7ec; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.atlas-pin { border-radius: 50%; border: 2px solid #fff; box-shadow: 0 1px 4px rgba(0,0,0,.5);
  color: #fff; font: 700 10px/26px system-ui, sans-serif; text-align: center; letter-spacing: -.2px; }
.atlas-pin.atlas-approx { background: #fff; border-style: dashed; border-width: 2px; }
.atlas-pin.atlas-extracted { outline: 2px dotted #b45309; outline-offset: 2px; }
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


def display_regions(regions: gpd.GeoDataFrame, tolerance: float = 0.02) -> gpd.GeoDataFrame:
    """Regions simplified for drawing (shared borders stay shared), to keep the map's HTML small.

    ``tolerance`` is in degrees (0.02° ≈ 2 km: about a pixel when the map shows one region).
    """
    simplified = shapely.coverage_simplify(shapely.make_valid(regions.geometry.values), tolerance)
    return regions.set_geometry(shapely.set_precision(simplified, tolerance / 10))


def _kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, _OTHER_COLOUR)


def _site_tooltip(site: Any) -> str:
    """The hover text of one site, escaped."""
    commodities = ", ".join(COMMODITIES.get(symbol, symbol) for symbol in site.commodities or [])
    lines = [
        f"<b>{escape(site.name)}</b>",
        f"{escape(KINDS.get(site.kind, site.kind))} · {escape(STATUSES.get(site.status, site.status))}",
        escape(commodities),
        escape(site.region),
    ]
    if site.location_precision != "site":
        precision = PRECISION_LABELS.get(site.location_precision, site.location_precision)
        lines.append(f"<i>{escape(precision)}, ± {site.uncertainty_km:g} km</i>")
    if site.origin == "extracted":
        lines.append(f"<i>Found in the text only, not in the registry (confidence {site.confidence:.0%})</i>")
    return "<br>".join(lines)


def _marker_rows(sites: gpd.GeoDataFrame) -> list[list[Any]]:
    """One compact row per site for the cluster layer: lat, lon, CSS classes, icon HTML, tooltip HTML."""
    rows = []
    for site in sites.itertuples(index=False):
        kind = site.kind if site.kind in KINDS else "other"
        classes = f"atlas-pin atlas-{kind}" + ("" if site.location_precision == "site" else " atlas-approx")
        classes += " atlas-extracted" if site.origin == "extracted" else ""
        label = (site.commodities or ["?"])[0]
        icon = f'<span data-site="{escape(site.id)}">{escape(label)}</span>'
        rows.append([site.geometry.y, site.geometry.x, classes, icon, _site_tooltip(site)])
    return rows


_MARKER_CALLBACK = """function (row) {
    var icon = L.divIcon({className: row[2], html: row[3], iconSize: [30, 30]});
    var marker = L.marker(new L.LatLng(row[0], row[1]), {icon: icon, riseOnHover: true});
    var tip = row[4] + '<br><span class="atlas-hint">Click for everything known about it</span>';
    return marker.bindTooltip(tip, {direction: 'top', offset: [0, -14], className: 'atlas-tip'});
}"""

_CLUSTER_ICON = """function (cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 32 : count < 100 ? 38 : 46;
    return L.divIcon({html: String(count), className: 'atlas-cluster', iconSize: [size, size]});
}"""


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


class _OfflineFallback(folium.MacroElement):
    """Switch to the no-tiles basemap when the default basemap's tiles fail before any has loaded."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, tiles = {{ this.tiles.get_name() }},
                blank = {{ this.blank.get_name() }}, loaded = false;
            tiles.on('tileload', function () { loaded = true; });
            tiles.on('tileerror', function () {
                if (!loaded && map.hasLayer(tiles)) { map.removeLayer(tiles); map.addLayer(blank); }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, tiles: folium.TileLayer, blank: folium.TileLayer) -> None:
        super().__init__()
        self._name = "OfflineFallback"
        self.tiles = tiles
        self.blank = blank


def _legend_html(classes: Sequence[tuple[int, int]]) -> str:
    """The legend's HTML (collapsible): kinds, location precision, the choropleth classes, survey areas."""
    kinds = "".join(
        f'<div class="row"><span class="dot" style="background:{KIND_COLOURS[kind]}"></span>{escape(label)}</div>'
        for kind, label in KINDS.items()
    )
    ramp = "".join(
        f'<span style="background:{_COUNT_COLOURS[number]}">{low if low == high else f"{low}–{high}"}</span>'
        for number, (low, high) in enumerate([(0, 0), *classes])
    )
    return (
        "<details open><summary>Legend</summary>"
        f"<h4>Sites by kind <small>(label: main commodity)</small></h4><div class='grid'>{kinds}</div>"
        '<div class="row"><span class="dot ring"></span>'
        "Approximate location, in a dashed circle of its uncertainty</div>"
        '<div class="row"><span class="dot found"></span>Found in the text only, not in the curated registry</div>'
        f"<h4>Sites shown per region</h4><div class='ramp'>{ramp}</div>"
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


def _region_layer(sites: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> tuple[folium.GeoJson, list]:
    """The choropleth of shown sites per region, and its classes."""
    counts = sites["region"].value_counts()
    classes = count_classes(int(counts.max()) if len(counts) else 0)
    features = []
    for region in regions.itertuples(index=False):
        count = int(counts.get(region.name, 0))
        tooltip = f"<b>{escape(region.name)}</b><br>{count} site{'' if count == 1 else 's'} shown"
        style = {"fillColor": _count_colour(count, classes), "color": "#52606d", "weight": 0.8, "fillOpacity": 0.7}
        features.append(feature(region.geometry, {"tooltip": tooltip, "style": style}))
    layer = _geojson_layer(
        features,
        "Regions: sites shown",
        highlight_function=lambda _: {"weight": 2.5, "color": "#111827"},
    )
    return layer, classes


def _survey_layer(survey_areas: gpd.GeoDataFrame) -> folium.GeoJson | None:
    """Survey-area polygons, dashed when their outline is approximate (areas known only as a point are left out)."""
    features = []
    polygons = survey_areas[survey_areas.geom_type.isin(["Polygon", "MultiPolygon"])]
    for area in polygons.itertuples(index=False):
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
        features.append(feature(area.geometry, {"tooltip": tooltip, "style": style}))
    return _geojson_layer(features, "Survey areas")


class _UncertaintyCircles(folium.map.Layer):
    """A dashed circle of its uncertainty radius around every site not located precisely, in one layer.

    The circles are built in the browser from compact rows (lat, lon, metres, colour): not one
    Python object per circle. They ignore the mouse, so clicks reach the regions below.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup({{ this.rows|tojson }}.map(function (row) {
            return L.circle([row[0], row[1]], {radius: row[2], color: row[3], fillColor: row[3], weight: 1.5,
                dashArray: '5 5', fillOpacity: 0.07, interactive: false});
        }));
        {% endmacro %}
        """
    )

    def __init__(self, sites: gpd.GeoDataFrame) -> None:
        super().__init__(name="Location uncertainty", overlay=True)
        self._name = "UncertaintyCircles"
        imprecise = sites[sites["location_precision"] != "site"]
        self.rows = [
            [site.geometry.y, site.geometry.x, max(float(site.uncertainty_km), 0.1) * 1000, _kind_colour(site.kind)]
            for site in imprecise.itertuples(index=False)
        ]


def _view(regions: gpd.GeoDataFrame, focus_regions: Sequence[str]) -> list[list[float]]:
    """The bounds to open on: the focus regions, or all of Kazakhstan."""
    west, south, east, north = KAZAKHSTAN_BOUNDS
    focus = regions[regions["name"].isin(focus_regions)]
    if len(focus):
        west, south, east, north = focus.total_bounds
    return [[south, west], [north, east]]


def placed(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The sites that have a point; a site no source places has none and is listed, not drawn."""
    return sites[sites.geometry.notna() & ~sites.geometry.is_empty]


def build_map(
    sites: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    survey_areas: gpd.GeoDataFrame,
    *,
    focus_regions: Sequence[str] = (),
) -> folium.Map:
    """The atlas map of the shown ``sites``, with every region coloured by how many of them it holds.

    Opens on ``focus_regions`` (or the whole country). All JavaScript and CSS come from
    ``geo.assets``; only the tile basemaps use the network.
    """
    fmap = assets.localise(folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, min_zoom=3))
    tile_layers = [
        folium.TileLayer(url, attr=attr, name=name, show=index == 0, max_zoom=18, overlay=False)
        for index, (name, url, attr) in enumerate(_BASEMAPS)
    ]
    for layer in tile_layers:
        layer.add_to(fmap)
    _OfflineFallback(tile_layers[0], tile_layers[-1]).add_to(fmap)

    region_layer, classes = _region_layer(sites, regions)
    sites = placed(sites)
    for layer in (region_layer, _survey_layer(survey_areas), _UncertaintyCircles(sites)):
        if layer is not None:
            layer.add_to(fmap)
    cluster = plugins.FastMarkerCluster(
        _marker_rows(sites),
        callback=_MARKER_CALLBACK,
        name="Sites",
        icon_create_function=_CLUSTER_ICON,
        maxClusterRadius=40,
        showCoverageOnHover=False,
        disableClusteringAtZoom=9,
    )
    assets.localise(cluster).add_to(fmap)

    _Legend(_legend_html(classes), _CSS + _kind_css()).add_to(fmap)
    assets.localise(plugins.Fullscreen(title="Full screen", title_cancel="Exit full screen")).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.fit_bounds(_view(regions, focus_regions), padding_bottom_right=(0, _LEGEND_HEIGHT))
    return fmap


def clicked_site(value: Mapping[str, Any] | None, sites: gpd.GeoDataFrame) -> str | None:
    """The id of the site whose marker was clicked, from ``st_folium``'s return value, or ``None``.

    Leaflet reports a marker click at the marker's own position, so the click must match a
    shown site's point (to 6 decimals); among sites at one point, the tooltip names the one.
    A click anywhere else (a region, a circle) matches nothing.
    """
    clicked = (value or {}).get("last_object_clicked") or {}
    lat, lng = clicked.get("lat"), clicked.get("lng")
    if not isinstance(lat, (int, float)) or not isinstance(lng, (int, float)):
        return None
    sites = placed(sites)
    near = sites[((sites.geometry.y - lat).abs() < 1e-6) & ((sites.geometry.x - lng).abs() < 1e-6)]
    if near.empty:
        return None
    tooltip = str((value or {}).get("last_object_clicked_tooltip") or "")
    named = near[[tooltip.startswith(str(name)) for name in near["name"]]]
    return str((named if len(named) else near)["id"].iloc[0])
