"""The benchmark's naive baselines: a folium map of the sites and their downloads, each done plainly.

Used by ``scripts/benchmark.py`` (the map as a bare page and every export) and by
``scripts/baseline_app.py`` (the same map in a Streamlit app); not part of the atlas.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import folium
from folium import plugins

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import export  # noqa: E402
from geo.mapview import placed  # noqa: E402


def naive_folium(sites, assets: str | None = None) -> folium.Map:
    """One folium.Marker with a popup per placed site in a MarkerCluster.

    With ``assets`` (a URL ending in ``/``, or ``""`` for beside the page) its scripts and styles are
    the local copies under it (``leaflet/``, ``markercluster/``, ``jquery/``), not folium's CDNs.
    """
    fmap = folium.Map(location=[48, 67], zoom_start=5)
    cluster = plugins.MarkerCluster().add_to(fmap)
    if assets is not None:
        fmap.default_js = [("jquery", f"{assets}jquery/jquery.min.js"), ("leaflet", f"{assets}leaflet/leaflet.js")]
        fmap.default_css = [("leaflet_css", f"{assets}leaflet/leaflet.css")]
        cluster.default_js = [("markerclusterjs", f"{assets}markercluster/leaflet.markercluster.js")]
        cluster.default_css = [
            ("markerclustercss", f"{assets}markercluster/MarkerCluster.css"),
            ("markerclusterdefaultcss", f"{assets}markercluster/MarkerCluster.Default.css"),
        ]
    for site in placed(sites).itertuples(index=False):
        folium.Marker([site.geometry.y, site.geometry.x], popup=str(site.name), tooltip=str(site.name)).add_to(cluster)
    return fmap


def naive_map(sites, assets: str | None = None) -> str:
    """The baseline map of ``sites`` rendered to one HTML page."""
    return naive_folium(sites, assets).get_root().render()


def naive_gpkg(sites, credits) -> bytes:
    """The baseline GeoPackage: a frame of flat properties made row by row, written by GDAL (no Arrow)."""
    import geopandas as gpd
    import pyogrio

    rows = [
        {name: export._flat(name, value) for name, value in export.site_properties(row).items()}
        for row in sites.itertuples(index=False)
    ]
    table = gpd.GeoDataFrame(
        {name: [row[name] for row in rows] for name in rows[0]}, geometry=list(sites.geometry), crs="EPSG:4326"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.gpkg"
        pyogrio.write_dataframe(table, path, layer="sites", driver="GPKG", layer_metadata={"attribution": str(credits)})
        return path.read_bytes()


def naive_kml(sites, credits) -> bytes:
    """The baseline KML: one ElementTree element per placemark, property and value, serialised at the end."""
    from xml.etree import ElementTree

    kml = ElementTree.Element("kml", xmlns="http://www.opengis.net/kml/2.2")
    document = ElementTree.SubElement(kml, "Document")
    ElementTree.SubElement(document, "description").text = "\n".join(credits)
    for row in sites.itertuples(index=False):
        properties = export.site_properties(row)
        placemark = ElementTree.SubElement(document, "Placemark", id=str(properties["id"]))
        ElementTree.SubElement(placemark, "name").text = str(properties["name"])
        extended = ElementTree.SubElement(placemark, "ExtendedData")
        for name, value in properties.items():
            data = ElementTree.SubElement(extended, "Data", name=name)
            ElementTree.SubElement(data, "value").text = str(export._flat(name, value) or "")
        if row.geometry is not None and not row.geometry.is_empty:
            point = ElementTree.SubElement(placemark, "Point")
            ElementTree.SubElement(point, "coordinates").text = f"{row.geometry.x:.6f},{row.geometry.y:.6f}"
    return ElementTree.tostring(kml, encoding="utf-8", xml_declaration=True)
