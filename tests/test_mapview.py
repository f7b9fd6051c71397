import doctest
import itertools
import json
import re

import folium
import pytest
import shapely
from shapely.geometry import Point

from geo import assets, mapview
from geo.mapview import KIND_COLOURS, build_map, clicked_site, count_classes, display_regions, escape
from geo.schema import KINDS
from geo.selection import Selection, filter_sites

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna.bootstrapcdn.com", "unpkg.com")


@pytest.fixture(scope="module")
def regions(fixture_layers):
    return display_regions(fixture_layers.regions)


def render(sites, regions, survey_areas, **kwargs) -> str:
    return build_map(sites, regions, survey_areas, **kwargs).get_root().render()


def marker_rows(html: str) -> list[list]:
    """The cluster layer's data rows, as the browser receives them."""
    return json.loads(re.search(r"var data = (\[.*?\]);\n", html).group(1))


def circle_rows(html: str) -> list[list]:
    found = re.search(r"L\.featureGroup\((\[.*?\])\.map\(", html)
    return json.loads(found.group(1)) if found else []


def region_tooltips(html: str) -> dict[str, str]:
    """Each region's tooltip text (tags stripped), keyed by region name."""
    tips = [json.loads(f'"{t}"') for t in re.findall(r'"tooltip": "((?:[^"\\]|\\.)*)"', html)]
    texts = [re.sub(r"<[^>]+>", " ", tip) for tip in tips if "shown" in tip]
    return {text.split("  ")[0].strip(): " ".join(text.split()) for text in texts}


def test_docstring_examples():
    assert doctest.testmod(mapview).failed == 0


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
    html = render(fixture_layers.sites, regions, fixture_layers.survey_areas)
    hostile = next(row for row in marker_rows(html) if 'data-site="hostile"' in row[3])
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile[4]
    assert "<img" not in hostile[4]
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "alert(4)" not in html  # the operator is not on the map at all


# --- Offline: every script and stylesheet is local -----------------------------------------------


def test_map_loads_scripts_and_styles_only_from_the_app(fixture_layers, regions):
    html = render(fixture_layers.sites, regions, fixture_layers.survey_areas)
    links = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert sorted(links) == sorted([*assets.JS.values(), *assets.CSS.values()])
    assert not any(host in html for host in CDN_HOSTS)


def test_localising_leaves_folium_class_lists_alone(fixture_layers, regions):
    before = (list(folium.Map.default_js), list(folium.plugins.MarkerCluster.default_css))
    build_map(fixture_layers.sites, regions, fixture_layers.survey_areas).get_root().render()
    assert (folium.Map.default_js, folium.plugins.MarkerCluster.default_css) == before
    assert "code.jquery.com" in str(folium.Map.default_js)


# --- One layer per kind of thing, not one object per marker ------------------------------------


def test_markers_are_rows_of_one_cluster_layer(fixture_layers, regions):
    sites = fixture_layers.sites
    html = render(sites, regions, fixture_layers.survey_areas)
    rows = marker_rows(html)
    assert len(rows) == len(sites)
    assert html.count("L.markerClusterGroup(") == 1
    assert html.count("L.marker(") == 1  # the one callback that builds every marker
    assert [re.search(r'data-site="([^"]+)"', row[3]).group(1) for row in rows] == list(sites["id"])


def test_markers_are_styled_by_kind_precision_and_commodity(fixture_layers, regions):
    rows = {
        re.search(r'data-site="([^"]+)"', row[3]).group(1): row
        for row in marker_rows(render(fixture_layers.sites, regions, fixture_layers.survey_areas))
    }
    assert rows["kuirektykol"][2] == "atlas-pin atlas-deposit atlas-approx"  # district precision
    assert rows["qarmet-karagandy"][2] == "atlas-pin atlas-plant"
    assert rows["kuirektykol"][3].endswith(">REE</span>")
    assert "± 25 km" in rows["kuirektykol"][4]


def test_sites_found_only_in_text_are_marked_apart(fixture_layers, regions):
    html = render(fixture_layers.sites, regions, fixture_layers.survey_areas)
    rows = {re.search(r'data-site="([^"]+)"', row[3]).group(1): row for row in marker_rows(html)}
    assert rows["akhmetkino"][2].endswith(" atlas-extracted")
    assert "Found in the text only, not in the registry (confidence 70%)" in rows["akhmetkino"][4]
    assert "atlas-extracted" not in rows["kuirektykol"][2]
    assert "not in the registry" not in rows["kuirektykol"][4]
    assert "Found in the text only, not in the curated registry" in html  # the legend says what the ring means


def test_only_imprecise_sites_get_an_uncertainty_circle(fixture_layers, regions):
    html = render(fixture_layers.sites, regions, fixture_layers.survey_areas)
    circles = {(round(lat, 3), round(lon, 3)): (metres, colour) for lat, lon, metres, colour in circle_rows(html)}
    assert circles == {
        (49.41, 75.47): (25_000, KIND_COLOURS["deposit"]),
        (48.7, 74.1): (30_000, KIND_COLOURS["prospective_area"]),
        (49.5, 82.0): (150_000, KIND_COLOURS["deposit"]),
        (47.9, 80.4): (20_000, KIND_COLOURS["smelter"]),
    }


def test_html_grows_slowly_with_thousands_of_sites(fixture_layers, regions):
    base = fixture_layers.sites
    many = base.loc[base.index.repeat(300)].reset_index(drop=True)  # 3,000 sites
    many["id"] = [f"site-{n}" for n in range(len(many))]
    small = len(render(base, regions, fixture_layers.survey_areas))
    large = len(render(many, regions, fixture_layers.survey_areas))
    assert (large - small) / (len(many) - len(base)) < 400, "bytes of HTML per extra site"


# --- The choropleth, the view and the controls -------------------------------------------------


def test_regions_are_coloured_and_labelled_by_the_sites_shown(fixture_layers, regions):
    layers = fixture_layers
    everything = region_tooltips(render(layers.sites, regions, layers.survey_areas))
    assert len(everything) == 20
    assert everything["Karaganda Region"] == "Karaganda Region 3 sites shown"
    assert everything["Astana"] == "Astana 0 sites shown"
    deposits = filter_sites(layers.sites, Selection(kind=("deposit",)))
    some = region_tooltips(render(deposits, regions, layers.survey_areas))
    assert some["Karaganda Region"] == "Karaganda Region 1 site shown"


def test_count_classes_cover_every_count(fixture_layers):
    for top in (1, 2, 5, 6, 31, 1000):
        classes = count_classes(top)
        assert 1 <= len(classes) <= 5
        assert classes[0][0] == 1 and classes[-1][1] >= top
        assert all(high + 1 == low for (_, high), (low, _) in itertools.pairwise(classes))
    assert count_classes(0) == []


def test_the_map_has_basemaps_controls_and_a_legend(fixture_layers, regions):
    html = render(fixture_layers.sites, regions, fixture_layers.survey_areas)
    assert "tile.openstreetmap.org" in html and "World_Imagery" in html and "No tiles (works offline)" in html
    assert "L.control.layers(" in html and "L.control.scale()" in html and "L.control.fullscreen(" in html
    assert "tileerror" in html  # falls back to the no-tiles basemap when tiles cannot load
    legend = json.loads(re.search(r"div\.innerHTML = (\".*?\");\n", html).group(1))
    for label in KINDS.values():
        assert escape(label) in legend
    assert set(KIND_COLOURS) == set(KINDS)


def test_the_map_opens_on_the_country_or_on_the_chosen_regions(fixture_layers, regions):
    def bounds(html):
        return json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.DOTALL).group(1))

    country = bounds(render(fixture_layers.sites, regions, fixture_layers.survey_areas))
    assert country == [[40.5, 46.4], [55.5, 87.4]]
    west, south, east, north = regions[regions["name"] == "Karaganda Region"].total_bounds
    focused = bounds(
        render(fixture_layers.sites, regions, fixture_layers.survey_areas, focus_regions=["Karaganda Region"])
    )
    assert [*focused[0], *focused[1]] == pytest.approx([south, west, north, east])


def test_an_empty_selection_still_draws_the_regions(fixture_layers, regions):
    nothing = filter_sites(fixture_layers.sites, Selection(region=("Astana",)))
    html = render(nothing, regions, fixture_layers.survey_areas.iloc[0:0])
    assert marker_rows(html) == [] and circle_rows(html) == []
    assert len(region_tooltips(html)) == 20


def test_survey_areas_known_only_as_points_are_not_drawn(fixture_layers, regions):
    html = render(fixture_layers.sites, regions, fixture_layers.survey_areas)
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


# --- Clicks ------------------------------------------------------------------------------------


def click(lat, lng, tooltip=None):
    return {"last_object_clicked": {"lat": lat, "lng": lng}, "last_object_clicked_tooltip": tooltip}


def test_a_marker_click_names_its_site(fixture_layers):
    sites = fixture_layers.sites
    site = sites[sites["id"] == "qarmet-karagandy"].iloc[0]
    assert clicked_site(click(site.geometry.y, site.geometry.x, site["name"] + "PlantOperating"), sites) == (
        "qarmet-karagandy"
    )


def test_sites_at_one_point_are_told_apart_by_the_tooltip(fixture_layers):
    sites = fixture_layers.sites.copy()
    sites.loc[sites["id"] == "hostile", "geometry"] = Point(72.96, 50.06)  # on top of Qarmet
    assert clicked_site(click(50.06, 72.96, "<img src=x onerror=alert(1)>Mine · Unknown"), sites) == "hostile"
    assert clicked_site(click(50.06, 72.96, "Qarmet Karagandy metallurgical plantPlant"), sites) == "qarmet-karagandy"


@pytest.mark.parametrize(
    "value",
    [None, {}, {"last_object_clicked": None}, click(48.0, 70.0), click("50", "72"), click(50.06, 72.9601)],
)
def test_clicks_elsewhere_name_no_site(fixture_layers, value):
    assert clicked_site(value, fixture_layers.sites) is None


def test_a_site_with_no_location_is_neither_drawn_nor_clickable(fixture_layers, regions):
    sites = fixture_layers.sites.copy()
    unplaced_id = sites["id"].iloc[0]
    point = sites.geometry.iloc[0]
    sites.loc[sites.index[0], "geometry"] = None
    html = render(sites, regions, fixture_layers.survey_areas)
    ids = [re.search(r'data-site="([^"]+)"', row[3]).group(1) for row in marker_rows(html)]
    assert unplaced_id not in ids and len(ids) == len(sites) - 1
    assert list(mapview.placed(sites)["id"]) == ids
    click = {"last_object_clicked": {"lat": point.y, "lng": point.x}}
    assert clicked_site(click, sites) != unplaced_id
