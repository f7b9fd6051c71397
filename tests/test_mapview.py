import doctest
import itertools
import json
import re

import folium
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import assets, mapview, payload
from geo.mapview import (
    KIND_COLOURS,
    build_map,
    count_classes,
    decode_mask,
    display_regions,
    encode_mask,
    escape,
    map_message,
)
from geo.payload import decode_payload, encode_payload, publish_map, sites_payload
from geo.schema import KINDS
from geo.selection import Selection, filter_sites

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna.bootstrapcdn.com", "unpkg.com")


@pytest.fixture(scope="module")
def regions(fixture_layers):
    return display_regions(fixture_layers.regions)


def render(regions, survey_areas) -> str:
    return build_map(regions, survey_areas, "sites.bin").get_root().render()


def rows(sites) -> dict[str, dict]:
    """The payload as one dict per site, keyed by id."""
    columns = sites_payload(sites)
    names = [name for name, value in columns.items() if isinstance(value, list)]
    return {
        values[0]: dict(zip(names, values, strict=True)) for values in zip(*(columns[n] for n in names), strict=True)
    }


def message(layers, selection=None, **kwargs) -> dict:
    shown = filter_sites(layers.sites, selection or Selection())
    ids = pd.Index(mapview.placed(layers.sites)["id"])
    areas = np.ones(len(layers.survey_areas), dtype=bool)
    return map_message(shown, ids, layers.regions, areas, **kwargs)


def shown_ids(layers, msg) -> list[str]:
    ids = list(mapview.placed(layers.sites)["id"])
    return [site for site, keep in zip(ids, decode_mask(msg["mask"], len(ids)), strict=True) if keep]


def region_tooltips(msg) -> dict[str, str]:
    """Each region's tooltip text (tags stripped), keyed by region name."""
    texts = [" ".join(re.sub(r"<[^>]+>", " ", tip).split()) for _, tip in msg["regions"]]
    return {text.split(" ")[0] if " " not in text else text.rsplit(" ", 3)[0]: text for text in texts}


def test_docstring_examples():
    assert doctest.testmod(mapview).failed == 0
    assert doctest.testmod(payload).failed == 0


# --- Escaping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("`${alert(2)}`", "&#96;&#36;{alert(2)}&#96;"),
        ("a\\b", "a&#92;b"),
        ("\"quoted\" & 'single'", "&quot;quoted&quot; &amp; &#x27;single&#x27;"),
        ("Куйректыколь", "Куйректыколь"),
        (None, ""),
        (12.5, "12.5"),
    ],
)
def test_escape(text, escaped):
    assert escape(text) == escaped


def test_escaped_text_has_nothing_a_template_literal_or_html_parser_acts_on():
    escaped = escape("<script>`${alert(1)}`\\</script>'\"")
    assert not set("<>`$\\'\"") & set(escaped)


def test_hostile_site_reaches_the_map_only_escaped(fixture_layers, regions):
    hostile = rows(fixture_layers.sites)["hostile"]
    assert hostile["name"].startswith("&lt;img src=x onerror=alert(1)&gt;")
    data = json.dumps(sites_payload(fixture_layers.sites), ensure_ascii=False)
    assert "<img" not in data and "alert(4)" not in data  # the operator is not on the map at all
    html = render(regions, fixture_layers.survey_areas)
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html


# --- Offline: every script and stylesheet is local -----------------------------------------------


def test_map_loads_scripts_and_styles_only_from_the_app(fixture_layers, regions):
    html = render(regions, fixture_layers.survey_areas)
    links = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert sorted(links) == sorted([*assets.JS.values(), *assets.CSS.values()])
    assert not any(host in html for host in CDN_HOSTS)


def test_localising_leaves_folium_class_lists_alone(fixture_layers, regions):
    before = (list(folium.Map.default_js), list(folium.plugins.Fullscreen.default_css))
    render(regions, fixture_layers.survey_areas)
    assert (folium.Map.default_js, folium.plugins.Fullscreen.default_css) == before
    assert "code.jquery.com" in str(folium.Map.default_js)


# --- The sites are sent once, as columns; each selection is a mask ---------------------------


def test_the_payload_holds_every_placed_site_in_layer_order(fixture_layers):
    columns = sites_payload(fixture_layers.sites)
    assert columns["id"] == list(mapview.placed(fixture_layers.sites)["id"])
    assert {len(value) for value in columns.values() if isinstance(value, list)} == {len(columns["id"])}


def test_the_payload_codes_kind_precision_and_commodity(fixture_layers):
    site = rows(fixture_layers.sites)["kuirektykol"]
    codes = sites_payload(fixture_layers.sites)["codes"]
    assert codes["kind"][site["kind"]] == "deposit"
    assert codes["precision"][site["precision"]] == "district"
    assert site["label"] == "REE" and site["radius_km"] == 25
    assert rows(fixture_layers.sites)["qarmet-karagandy"]["precision"] == 0  # an exact site


def test_sites_found_only_in_text_are_marked_apart(fixture_layers, regions):
    by_id = rows(fixture_layers.sites)
    assert by_id["akhmetkino"]["confidence"] == 70
    assert by_id["kuirektykol"]["confidence"] == -1
    assert "Found in the text only, not in the curated registry" in render(regions, fixture_layers.survey_areas)


def test_only_imprecise_sites_have_an_uncertainty_radius(fixture_layers):
    radii = {site: row["radius_km"] for site, row in rows(fixture_layers.sites).items() if row["radius_km"] > 0}
    assert radii == {"kuirektykol": 25, "zhana-kazakhstan": 30, "akhmetkino": 150, "abai-copper-smelter": 20}


def test_the_map_page_does_not_grow_with_the_sites(fixture_layers, regions):
    base = fixture_layers.sites
    many = base.loc[base.index.repeat(300)].reset_index(drop=True)  # 3,000 sites
    many["id"] = [f"site-{n}" for n in range(len(many))]
    data = len(encode_payload(sites_payload(many)))
    assert data / len(many) < 100, "bytes of payload per site"
    assert "site-1" not in render(regions, fixture_layers.survey_areas)


def test_a_selection_reaches_the_map_as_a_mask(fixture_layers):
    layers = fixture_layers
    everything = message(layers)
    assert shown_ids(layers, everything) == list(mapview.placed(layers.sites)["id"])
    deposits = message(layers, Selection(kind=("deposit",)))
    expected = filter_sites(layers.sites, Selection(kind=("deposit",)))
    assert shown_ids(layers, deposits) == list(mapview.placed(expected)["id"])
    assert len(json.dumps(deposits)) < 3000


def test_masks_round_trip():
    for size in (0, 1, 7, 8, 9, 1000):
        bits = np.random.default_rng(size).random(size) < 0.5
        assert decode_mask(encode_mask(bits), size).tolist() == bits.tolist()


def test_publish_writes_the_page_and_payload_once_per_version(fixture_layers, regions, tmp_path):
    folder = publish_map(fixture_layers.sites, regions, fixture_layers.survey_areas, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "sites.bin"]
    assert decode_payload((folder / "sites.bin").read_bytes())["id"] == sites_payload(fixture_layers.sites)["id"]
    assert publish_map(fixture_layers.sites, regions, fixture_layers.survey_areas, tmp_path) == folder
    fewer = publish_map(fixture_layers.sites.iloc[1:], regions, fixture_layers.survey_areas, tmp_path)
    assert fewer != folder


def test_the_page_asks_for_its_gzipped_payload_from_its_head(fixture_layers, regions, tmp_path):
    folder = publish_map(fixture_layers.sites, regions, fixture_layers.survey_areas, tmp_path)
    page = (folder / "index.html").read_text()
    gzipped = f"../../app/static/atlas/{folder.name}.sites.bin.gz"
    assert (tmp_path / f"{folder.name}.sites.bin.gz").is_file()
    asked = "window.atlasPayload = atlasFetchPayload("
    assert f'{asked}\n            "{gzipped}", "sites.bin");' in page
    assert page.index(asked) < page.index("<script src=") < page.index("<body>")  # before Leaflet stops the parser


# --- The choropleth, the view and the controls -------------------------------------------------


def test_regions_are_coloured_and_labelled_by_the_sites_shown(fixture_layers):
    layers = fixture_layers
    everything = region_tooltips(message(layers))
    assert len(everything) == 20
    assert everything["Karaganda Region"] == "Karaganda Region 3 sites shown"
    assert everything["Astana"] == "Astana 0 sites shown"
    some = region_tooltips(message(layers, Selection(kind=("deposit",))))
    assert some["Karaganda Region"] == "Karaganda Region 1 site shown"


def test_count_classes_cover_every_count(fixture_layers):
    for top in (1, 2, 5, 6, 31, 1000):
        classes = count_classes(top)
        assert 1 <= len(classes) <= 5
        assert classes[0][0] == 1 and classes[-1][1] >= top
        assert all(high + 1 == low for (_, high), (low, _) in itertools.pairwise(classes))
    assert count_classes(0) == []


def test_the_map_has_basemaps_controls_and_a_legend(fixture_layers, regions):
    html = render(regions, fixture_layers.survey_areas)
    assert "tile.openstreetmap.org" in html and "World_Imagery" in html and "No tiles (works offline)" in html
    assert "L.control.layers(" in html and "L.control.scale()" in html and "L.control.fullscreen(" in html
    assert "tileerror" in html  # falls back to the no-tiles basemap when tiles cannot load
    legend = json.loads(re.search(r"div\.innerHTML = (\".*?\");\n", html).group(1))
    for label in KINDS.values():
        assert escape(label) in legend
    assert set(KIND_COLOURS) == set(KINDS)


def test_the_map_opens_on_the_country_or_on_the_chosen_regions(fixture_layers):
    assert message(fixture_layers)["bounds"] == [[40.5, 46.4], [55.5, 87.4]]
    regions = fixture_layers.regions
    west, south, east, north = regions[regions["name"] == "Karaganda Region"].total_bounds
    focused = message(fixture_layers, focus_regions=["Karaganda Region"])["bounds"]
    assert [*focused[0], *focused[1]] == pytest.approx([south, west, north, east])


def test_an_empty_selection_still_colours_the_regions(fixture_layers):
    nothing = message(fixture_layers, Selection(region=("Astana",)))
    assert shown_ids(fixture_layers, nothing) == []
    assert len(region_tooltips(nothing)) == 20


def test_survey_areas_known_only_as_points_are_not_drawn(fixture_layers, regions):
    html = render(regions, fixture_layers.survey_areas)
    assert "Kuirektykol exploration area" in html
    assert "Zhana Kazakhstan prospective area" not in html


def test_display_regions_are_simpler_and_still_tile_the_country(fixture_layers, regions):
    full = fixture_layers.regions
    assert list(regions["name"]) == list(full["name"])
    assert (
        shapely.get_num_coordinates(regions.geometry.values).sum()
        < shapely.get_num_coordinates(full.geometry.values).sum()
    )
    assert regions.geometry.is_valid.all()
    assert regions.union_all().area == pytest.approx(full.union_all().area, rel=0.01)


def test_a_site_with_no_location_is_not_in_the_payload(fixture_layers):
    sites = fixture_layers.sites.copy()
    unplaced_id = sites["id"].iloc[0]
    sites.loc[sites.index[0], "geometry"] = None
    ids = sites_payload(sites)["id"]
    assert unplaced_id not in ids and len(ids) == len(sites) - 1


# --- The view in the URL, the map's bounds ---------------------------------------------------------


def test_a_valid_view_is_kept_as_written_and_a_bad_one_named():
    view, notices = mapview.parse_view({"center": ["48.1234,67.5"], "zoom": ["6.25"], "basemap": ["none"]})
    assert view == {"center": "48.1234,67.5", "zoom": "6.25", "basemap": "none"} and notices == []
    bad = {"center": "91,10", "zoom": "40", "basemap": "<b>x</b>"}
    view, notices = mapview.parse_view(bad)
    assert view == {} and len(notices) == 3
    assert mapview.parse_view({"center": "48,67,1"})[0] == {} and mapview.parse_view({"zoom": "1"})[0] == {}
    assert mapview.parse_view({"center": None, "zoom": []}) == ({}, [])
    assert set(mapview.BASEMAPS) >= {"osm", "satellite", "none"}


@pytest.mark.parametrize(
    "value",
    [None, "50,45,70,52", [50, 45, 70], [70, 45, 50, 52], [50, 52, 70, 45], [50, 45, "x", 52], [1, 2, float("nan"), 4]],
)
def test_malformed_bounds_are_refused(value):
    assert mapview.parse_bounds(value) is None


def test_sites_in_view_are_the_placed_ones_inside_the_bounds(fixture_layers):
    sites = fixture_layers.sites
    west, south, east, north = sites[sites["id"] == "kuirektykol"].total_bounds
    around = (west - 0.01, south - 0.01, east + 0.01, north + 0.01)
    assert list(mapview.in_view(sites, around)["id"]) == ["kuirektykol"]
    everything = mapview.in_view(sites, (-180, -90, 180, 90))
    assert list(everything["id"]) == list(mapview.placed(sites)["id"])
    assert mapview.in_view(sites, (0, 0, 1, 1)).empty


def test_the_map_is_asked_for_its_bounds_only_for_sites_in_view(fixture_layers):
    assert message(fixture_layers)["report_bounds"] is False
    assert message(fixture_layers, report_bounds=True)["report_bounds"] is True


def test_the_map_script_keeps_the_view_in_the_url_and_offers_no_tiles(fixture_layers, regions):
    html = render(regions, fixture_layers.survey_areas)
    options = json.loads(re.search(r"\}, (\{\"basemap_names\".*?\})\);\n", html).group(1))
    assert options["view_params"] == ["center", "zoom", "basemap"]
    assert options["offline_basemap"] == "none" and set(options["basemap_names"]) == set(mapview.BASEMAPS)
    assert '"osm": tile_layer_' in html and '"none": tile_layer_' in html  # each basemap handed to the script
    assert "pushState" in html and "popstate" in html and "aria-label" in html


def test_a_search_fits_the_map_to_what_it_found(fixture_layers):
    (south, west), (north, east) = message(fixture_layers, Selection(q="Kuirektykol"), fit_found=True)["bounds"]
    point = fixture_layers.sites.set_index("id").loc["kuirektykol"].geometry
    assert [south, west, north, east] == pytest.approx([point.y - 0.5, point.x - 0.5, point.y + 0.5, point.x + 0.5])
    several = filter_sites(fixture_layers.sites, Selection(q="plant"))
    west, south, east, north = mapview.placed(several).total_bounds
    bounds = message(fixture_layers, Selection(q="plant"), fit_found=True)["bounds"]
    assert [*bounds[0], *bounds[1]] == pytest.approx([south, west, north, east])
    nothing = message(fixture_layers, Selection(q="zzzz"), fit_found=True)["bounds"]
    assert nothing == message(fixture_layers)["bounds"] == [[40.5, 46.4], [55.5, 87.4]]
