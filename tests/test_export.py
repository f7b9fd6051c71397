import csv
import io
import json
import zipfile
from xml.etree import ElementTree

import pyogrio

from geo.export import CSV_COLUMNS, GPKG_LAYER, layers_zip, sites_csv, sites_geojson, sites_gpkg, sites_kml
from geo.geojson import validate
from geo.schema import LAYER_FILES, SITE_PROPERTIES
from geo.selection import Selection, filter_sites


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte-order mark for spreadsheets"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_geojson_of_all_sites_is_sites_geojson_itself(fixture_layers, fixture_folder):
    exported = json.loads(sites_geojson(fixture_layers.sites))
    original = json.loads((fixture_folder / "sites.geojson").read_text(encoding="utf-8"))
    assert exported == original


def test_geojson_of_a_selection_is_valid_with_the_same_properties(fixture_layers):
    shown = filter_sites(fixture_layers.sites, Selection(region=("Karaganda Region",)))
    exported = json.loads(sites_geojson(shown))
    assert validate(exported) == []
    assert [f["properties"]["id"] for f in exported["features"]] == list(shown["id"])
    for feat in exported["features"]:
        assert tuple(feat["properties"]) == SITE_PROPERTIES
        assert feat["geometry"]["type"] == "Point"


def test_geojson_of_nothing_is_an_empty_collection(fixture_layers):
    empty = filter_sites(fixture_layers.sites, Selection(region=("Astana",)))
    assert json.loads(sites_geojson(empty)) == {"type": "FeatureCollection", "features": []}


def test_csv_has_one_row_per_site_with_every_property(fixture_layers):
    sites = fixture_layers.sites
    rows = read_csv(sites_csv(sites))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row["id"] for row in rows] == list(sites["id"])
    for row, site in zip(rows, sites.itertuples(index=False), strict=True):
        assert row["aliases"].split(";") == site.aliases
        assert row["commodities"].split(";") == site.commodities
        assert json.loads(row["facts"]) == site.facts
        assert (float(row["lon"]), float(row["lat"])) == (site.geometry.x, site.geometry.y)
        assert float(row["uncertainty_km"]) == site.uncertainty_km


def test_csv_keeps_hostile_text_verbatim(fixture_layers):
    hostile = next(row for row in read_csv(sites_csv(fixture_layers.sites)) if row["id"] == "hostile")
    assert hostile["name"] == "<img src=x onerror=alert(1)>"
    assert "${alert(2)}" in json.loads(hostile["facts"])[0]["sentence"]


def test_csv_of_nothing_is_just_the_header(fixture_layers):
    empty = filter_sites(fixture_layers.sites, Selection(q="no such site"))
    assert read_csv(sites_csv(empty)) == []
    assert sites_csv(empty).decode("utf-8-sig").strip() == ",".join(CSV_COLUMNS)


def test_layers_zip_holds_every_layer_file_unchanged(fixture_folder):
    archive = zipfile.ZipFile(io.BytesIO(layers_zip(fixture_folder)))
    assert archive.namelist() == list(LAYER_FILES)
    for name in LAYER_FILES:
        assert archive.read(name) == (fixture_folder / name).read_bytes()


def test_csv_never_hands_a_spreadsheet_a_formula(fixture_layers):
    sites = fixture_layers.sites.copy()
    sites.loc[sites.index[0], "name"] = '=HYPERLINK("http://x","click")'
    sites.at[sites.index[0], "aliases"] = ["+1", "@SUM(A1)", '=HYPERLINK("http://x")']
    row = read_csv(sites_csv(sites))[0]
    assert row["name"] == '\'=HYPERLINK("http://x","click")'
    # each item is guarded: a spreadsheet splitting on ";" (many locales) sees no formula either
    assert row["aliases"] == "'+1;'@SUM(A1);'=HYPERLINK(\"http://x\")"


def test_a_site_with_no_location_exports_with_a_null_geometry(fixture_layers):
    sites = fixture_layers.sites.copy()
    sites.loc[sites.index[0], "geometry"] = None
    collection = json.loads(sites_geojson(sites))
    assert collection["features"][0]["geometry"] is None
    assert validate(collection) == []
    row = read_csv(sites_csv(sites))[0]
    assert (row["lon"], row["lat"]) == ("", "")


def test_downloads_carry_the_credits_and_records_as_json(fixture_layers):
    exported = json.loads(sites_geojson(fixture_layers.sites, ["Data: a credit."]))
    assert exported["attribution"] == ["Data: a credit."]
    rows = read_csv(sites_csv(fixture_layers.sites))
    qarmet = next(row for row in rows if row["id"] == "qarmet-karagandy")
    assert json.loads(qarmet["records"])[0]["key"] == "gem-gist:FIXTURE1"
    assert json.loads(qarmet["value_sources"]) == {}


# --- GeoPackage and KML ------------------------------------------------------------------------


def test_geopackage_reads_back_with_the_same_sites_properties_and_credits(fixture_layers, tmp_path):
    sites, credits = fixture_layers.sites, fixture_layers.stats["credits"]
    path = tmp_path / "sites.gpkg"
    path.write_bytes(sites_gpkg(sites, credits))
    table = pyogrio.read_dataframe(path, layer=GPKG_LAYER)
    assert list(table["id"]) == list(sites["id"])
    assert [c for c in table.columns if c != "geometry"] == list(SITE_PROPERTIES)
    kuirektykol = table.set_index("id").loc["kuirektykol"]
    assert json.loads(kuirektykol["aliases"])[1] == "Куйректыколь"
    assert json.loads(kuirektykol["facts"])[0]["text"] == "28.2 million tons"
    assert kuirektykol.geometry.x == sites.set_index("id").loc["kuirektykol"].geometry.x
    assert pyogrio.read_info(path, layer=GPKG_LAYER)["layer_metadata"]["attribution"] == " · ".join(credits)
    assert table.crs.to_epsg() == 4326


def test_kml_parses_with_a_placemark_per_site_and_every_property(fixture_layers):
    sites, credits = fixture_layers.sites, fixture_layers.stats["credits"]
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ElementTree.fromstring(sites_kml(sites, credits))
    placemarks = root.findall("k:Document/k:Placemark", ns)
    assert [p.get("id") for p in placemarks] == list(sites["id"])
    assert root.find("k:Document/k:description", ns).text == "\n".join(credits)
    hostile = next(p for p in placemarks if p.get("id") == "hostile")
    assert hostile.find("k:name", ns).text == "<img src=x onerror=alert(1)>"  # text, escaped by the XML writer
    names = [d.get("name") for d in hostile.findall("k:ExtendedData/k:Data", ns)]
    assert names == list(SITE_PROPERTIES)
    lon, lat = map(float, placemarks[0].find("k:Point/k:coordinates", ns).text.split(","))
    first = sites.iloc[0].geometry
    assert (round(lon, 6), round(lat, 6)) == (round(first.x, 6), round(first.y, 6))
