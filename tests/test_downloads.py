"""Downloads joined from stored pieces are the bytes the export functions write."""

import numpy as np
import pyogrio

from geo import export
from geo.downloads import csv_of, geojson_of, geojson_pieces, gpkg_of, kml_of
from geo.selection import Selection, filter_sites


def positions(layers, selection: Selection) -> np.ndarray:
    return layers.sites.index.get_indexer(filter_sites(layers.sites, selection).index)


def test_the_geojson_of_any_selection_is_what_export_writes(fixture_layers, fixture_folder):
    credits = fixture_layers.stats["credits"]
    pieces = geojson_pieces(fixture_folder, credits)
    for selection in (Selection(), Selection(kind=("plant",)), Selection(region=("Astana",))):
        shown = filter_sites(fixture_layers.sites, selection)
        assert geojson_of(pieces, positions(fixture_layers, selection)) == export.sites_geojson(shown, credits)
    assert geojson_of(geojson_pieces(fixture_folder, []), positions(fixture_layers, Selection())) == (
        export.sites_geojson(fixture_layers.sites)
    )


def test_the_csv_of_any_selection_is_what_export_writes(fixture_layers):
    rows = export.csv_lines(fixture_layers.sites)
    assert len(rows) == len(fixture_layers.sites) + 1
    for selection in (Selection(), Selection(commodity=("REE",)), Selection(region=("Astana",))):
        shown = filter_sites(fixture_layers.sites, selection)
        assert csv_of(rows, positions(fixture_layers, selection)) == export.sites_csv(shown)


def test_the_geopackage_and_kml_of_any_selection_are_what_export_writes(fixture_layers, tmp_path):
    credits = fixture_layers.stats["credits"]
    table, placemarks = export.gpkg_table(fixture_layers.sites), export.kml_placemarks(fixture_layers.sites)
    for selection in (Selection(), Selection(kind=("plant",)), Selection(region=("Astana",))):
        shown = filter_sites(fixture_layers.sites, selection)
        at = positions(fixture_layers, selection)
        assert kml_of(placemarks, at, credits) == export.sites_kml(shown, credits)
        (tmp_path / "joined.gpkg").write_bytes(gpkg_of(table, at, credits))
        (tmp_path / "written.gpkg").write_bytes(export.sites_gpkg(shown, credits))
        joined = pyogrio.read_dataframe(tmp_path / "joined.gpkg")
        assert joined.equals(pyogrio.read_dataframe(tmp_path / "written.gpkg"))
        assert list(joined["id"]) == list(shown["id"])
