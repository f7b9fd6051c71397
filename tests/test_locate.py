import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.geocode import load_gazetteer
from geo.locate import Clue, Estimate, coordinates_in, find_clues, locate
from geo.regions import load_regions, region_at
from geo.schema import PRECISIONS

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def km(lat1, lon1, lat2, lon2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def town(gazetteer, name, region=None):
    return gazetteer.lookup(name, kind="town", region=region)[0]


def expected(place, bearing, distance_km):
    """The point ``distance_km`` from a place on a bearing, as (lat, lon)."""
    lon, lat, _ = GEOD.fwd(place.lon, place.lat, bearing, distance_km * 1000.0)
    return lat, lon


def only(clues):
    assert len(clues) == 1, clues
    return clues[0]


def error_km(estimate, point):
    return km(estimate.lat, estimate.lon, *point)


# --- Reading the forms -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "distance", "bearing"),
    [
        ("The deposit lies 50 km north-east of Agadyr.", "Aqadyr", 50, 45),
        ("It is about 120 kilometres south-southwest of Ayagoz.", "Ayagoz", 120, 202.5),
        ("The field is 300 km southeast of Astana.", "Astana", 300, 135),
        ("Drilling started some 40 km NE from Balkhash.", "Balqash", 40, 45),
        ("The plant will be built 60 km to the west of Karaganda.", "Karagandy", 60, 270),
        ("The prospect is located 50-km north of Jezkazgan.", "Zhezqazghan", 50, 0),
        ("It lies roughly 35 kilometers WNW of the town of Ridder.", "Ridder", 35, 292.5),
        ("The deposit is 25 km from Semipalatinsk to the south-west.", "Semey", 25, 225),
        ("The licence area is 40-50 km north-eastern of Ust-Kamenogorsk.", "Ust-Kamenogorsk", 45, 45),
        ("Месторождение находится в 50 км к северо-востоку от Агадыря.", "Aqadyr", 50, 45),
        ("Участок расположен в 30 км севернее Жезказгана.", "Zhezqazghan", 30, 0),
    ],
)
def test_distance_and_direction_from_a_place(gazetteer, sentence, name, distance, bearing):
    clue = only(find_clues(sentence, gazetteer))
    assert (clue.kind, clue.place.name, clue.distance_km, clue.bearing_deg) == ("bearing", name, distance, bearing)
    assert clue.text in sentence


@pytest.mark.parametrize(
    ("word", "bearing"),
    [
        ("N", 0),
        ("NNE", 22.5),
        ("north-north-east", 22.5),
        ("northeast", 45),
        ("north-eastern", 45),
        ("ENE", 67.5),
        ("east-south-east", 112.5),
        ("SSW", 202.5),
        ("south west", 225),
        ("west", 270),
        ("north-westerly", 315),
    ],
)
def test_compass_words(gazetteer, word, bearing):
    assert only(find_clues(f"It lies 20 km {word} of Rudny.", gazetteer)).bearing_deg == bearing


@pytest.mark.parametrize(
    ("words", "distance"),
    [("about 30 km", 30), ("some 30 kilometres", 30), ("nearly 30 km", 30), ("30-km", 30), ("thirty km", 30)],
)
def test_distance_words(gazetteer, words, distance):
    assert only(find_clues(f"It lies {words} south of Rudny.", gazetteer)).distance_km == distance


def test_miles_become_kilometres(gazetteer):
    assert only(find_clues("It lies 30 miles south of Rudny.", gazetteer)).distance_km == pytest.approx(48.28, abs=0.01)


@pytest.mark.parametrize(
    "sentence",
    [
        "130 km to the north there is Karagandy city.",
        "Karagandy lies 130 km to the north.",
        "The nearest city, Karagandy, is 130 km to the north.",
        "Karaganda is located 130 km north of the deposit.",
    ],
)
def test_a_place_in_a_direction_from_the_site_inverts_the_bearing(gazetteer, sentence):
    clue = only(find_clues(sentence, gazetteer))
    assert (clue.kind, clue.place.name, clue.distance_km, clue.bearing_deg) == ("bearing", "Karagandy", 130, 180)
    truth = expected(clue.place, 180, 130)
    assert error_km(locate([clue]), truth) < 15


def test_a_sentence_that_places_another_town_gives_no_clue(gazetteer):
    assert find_clues("Ekibastuz is 130 km south-west of Pavlodar.", gazetteer) == []


def test_distance_only_is_a_ring_around_the_place(gazetteer):
    clue = only(find_clues("The mine is located 25 km from Ridder.", gazetteer))
    assert (clue.kind, clue.place.name, clue.distance_km, clue.bearing_deg) == ("distance", "Ridder", 25, None)
    estimate = locate([clue])
    for bearing in (0, 90, 180, 270):  # wherever on the ring the site is, the radius covers it
        assert error_km(estimate, expected(clue.place, bearing, 25)) <= estimate.radius_km


def test_within_a_distance_is_a_disc(gazetteer):
    clue = only(find_clues("The site lies within 30 km of Ridder.", gazetteer))
    assert (clue.kind, clue.distance_km) == ("near", 30)


def test_direction_only_is_a_sector(gazetteer):
    clue = only(find_clues("The prospect lies north of Zhezkazgan.", gazetteer))
    assert (clue.kind, clue.place.name, clue.distance_km, clue.bearing_deg) == ("direction", "Zhezqazghan", None, 0)
    estimate = locate([clue])
    assert estimate.lat > clue.place.lat + 0.2
    assert abs(estimate.lon - clue.place.lon) < 0.5
    assert estimate.radius_km >= 30
    assert error_km(estimate, expected(clue.place, 10, 40)) <= estimate.radius_km


def test_between_two_towns_is_near_the_middle(gazetteer):
    clue = only(find_clues("The area between Balkhash and Karkaraly is promising.", gazetteer))
    assert (clue.kind, clue.place.name, clue.other.name) == ("between", "Balqash", "Qarqaraly")
    span = km(clue.place.lat, clue.place.lon, clue.other.lat, clue.other.lon)
    bearing = GEOD.inv(clue.place.lon, clue.place.lat, clue.other.lon, clue.other.lat)[0]
    estimate = locate([clue])
    assert error_km(estimate, expected(clue.place, bearing, span / 2)) < 20
    assert 0.4 * span <= estimate.radius_km <= 0.75 * span


def test_on_the_road_between_two_towns(gazetteer):
    clue = only(find_clues("The quarry is on the Karaganda-Balkhash highway.", gazetteer))
    assert (clue.kind, clue.place.name, clue.other.name) == ("between", "Karagandy", "Balqash")


def test_a_town_at_a_distance_from_the_deposit_is_a_ring(gazetteer):
    clue = only(find_clues("Ridder is located 25 km from the deposit.", gazetteer))
    assert (clue.kind, clue.place.name, clue.distance_km) == ("distance", "Ridder", 25)


def test_midway_is_tighter_than_between(gazetteer):
    between = locate(find_clues("between Karaganda and Astana", gazetteer))
    midway = locate(find_clues("midway between Karaganda and Astana", gazetteer))
    assert midway.radius_km < between.radius_km


@pytest.mark.parametrize(
    ("sentence", "name", "most"),
    [
        ("The deposit is near Ridder.", "Ridder", 30),
        ("A plant just outside Semey.", "Semey", 15),
        ("Tailings on the outskirts of Ust-Kamenogorsk.", "Ust-Kamenogorsk", 15),
        ("Works in the vicinity of Oskemen.", "Ust-Kamenogorsk", 30),
        ("Месторождение вблизи Риддера.", "Ridder", 30),
    ],
)
def test_near_a_town(gazetteer, sentence, name, most):
    clue = only(find_clues(sentence, gazetteer))
    assert (clue.kind, clue.place.name) == ("near", name)
    estimate = locate([clue])
    assert error_km(estimate, (clue.place.lat, clue.place.lon)) < 2
    assert 8 <= estimate.radius_km <= most
    assert estimate.precision == "approximate"


def test_in_a_town_is_the_town_with_a_small_radius(gazetteer):
    clue = only(find_clues("Iron ore is processed in Rudny.", gazetteer))
    assert (clue.kind, clue.place.name) == ("in_place", "Rudnyy")
    estimate = locate([clue])
    assert error_km(estimate, (clue.place.lat, clue.place.lon)) < 1
    assert 5 <= estimate.radius_km <= 12
    assert (estimate.precision, estimate.region) == ("approximate", "Kostanay Region")


def test_company_offices_are_not_sites(gazetteer):
    assert find_clues("Kazakhmys, headquartered in Karaganda, owns the mine.", gazetteer) == []


def test_lakes_rivers_and_deposit_names_are_not_places(gazetteer):
    assert find_clues("The works near Lake Balkhash and the Aktogay deposit go on.", gazetteer) == []


def test_a_sentence_without_a_place_gives_no_clue(gazetteer):
    assert find_clues("The deposit holds 2 million tonnes of ore about 50 km to the north.", gazetteer) == []
    assert locate([]) is None


# --- Names in other spellings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Karagandy", "Karagandy"),
        ("Karaganda", "Karagandy"),
        ("Qaraghandy", "Karagandy"),
        ("Jezkazgan", "Zhezqazghan"),
        ("Zhezqazghan", "Zhezqazghan"),
        ("Semipalatinsk", "Semey"),
        ("Ust-Kamenogorsk", "Ust-Kamenogorsk"),
        ("Oskemen", "Ust-Kamenogorsk"),
        ("Усть-Каменогорска", "Ust-Kamenogorsk"),
        ("Семея", "Semey"),
        ("Караганды", "Karagandy"),
    ],
)
def test_towns_in_russian_and_older_spellings(gazetteer, spelling, name):
    preposition = "от" if spelling[0] >= "А" else "from"
    sentence = f"{'в 20 км' if preposition == 'от' else '20 km'} {preposition} {spelling}"
    assert only(find_clues(sentence, gazetteer)).place.name == name


# --- Districts and regions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("It lies in the Shet district.", "Shet District"),
        ("Kuirektykol, Karkaraly District.", "Karkaraly District"),
        ("Месторождение расположено в Шетском районе.", "Shet District"),
        ("Шетский район", "Shet District"),
        ("It lies in the Bukhar-Zhyrau District.", "Bukhar-Zhyrau District"),
    ],
)
def test_district_only_falls_back_to_the_district(gazetteer, sentence, name):
    clue = only(find_clues(sentence, gazetteer))
    assert (clue.kind, clue.place.name, clue.region) == ("district", name, "Karaganda Region")
    estimate = locate([clue])
    assert estimate.precision == "district"
    assert estimate.region == "Karaganda Region"
    assert estimate.radius_km >= max(clue.place.radius_km, PRECISIONS["district"])
    assert error_km(estimate, (clue.place.lat, clue.place.lon)) < 0.5 * clue.place.radius_km


@pytest.mark.parametrize(
    "sentence",
    [
        "The deposit is in the Karaganda region.",
        "Karagandy oblysy",
        "Qaraghandy Region",
        "Карагандинская область",
        "Месторождение в Карагандинской области.",
        "Қарағанды облысы",
    ],
)
def test_region_only_falls_back_to_the_region(gazetteer, sentence):
    clue = only(find_clues(sentence, gazetteer))
    assert (clue.kind, clue.place.name, clue.region) == ("region", "Karaganda Region", "Karaganda Region")
    estimate = locate([clue])
    assert (estimate.precision, estimate.region) == ("region", "Karaganda Region")
    assert region_at(estimate.lon, estimate.lat) == "Karaganda Region"


def test_region_radius_honestly_covers_most_of_the_region(gazetteer):
    estimate = locate(find_clues("in the Karaganda region", gazetteer))
    regions = load_regions()
    polygon = regions.loc[regions["name"] == "Karaganda Region", "geometry"].iloc[0]
    rng = np.random.default_rng(0)
    west, south, east, north = polygon.bounds
    lons, lats = rng.uniform(west, east, 4000), rng.uniform(south, north, 4000)
    inside = shapely.contains_xy(polygon, lons, lats)
    distances = [km(estimate.lat, estimate.lon, lat, lon) for lon, lat in zip(lons[inside], lats[inside], strict=True)]
    assert np.mean(np.array(distances) <= estimate.radius_km) >= 0.85
    assert estimate.radius_km >= PRECISIONS["region"]


def test_the_north_of_a_region_is_north_of_its_middle(gazetteer):
    whole = locate(find_clues("in the Karaganda region", gazetteer))
    north = locate(find_clues("in the north of the Karaganda region", gazetteer))
    assert north.lat > whole.lat + 0.5
    assert north.region == "Karaganda Region"


def test_district_and_region_and_bearing_in_one_sentence(gazetteer):
    sentence = "The deposit lies in the Shet district of Karaganda region, 50 km north-east of Agadyr."
    clues = find_clues(sentence, gazetteer)
    assert [c.kind for c in clues] == ["district", "region", "bearing"]
    assert {c.region for c in clues} == {"Karaganda Region"}
    estimate = locate(clues)
    assert error_km(estimate, expected(town(gazetteer, "Agadyr"), 45, 50)) < 10
    assert (estimate.precision, estimate.region) == ("approximate", "Karaganda Region")
    assert 10 <= estimate.radius_km <= 35


# --- Combining and limiting ------------------------------------------------------------------------------


def test_bearing_estimate_is_near_the_described_point_and_covers_it(gazetteer):
    agadyr = town(gazetteer, "Agadyr")
    estimate = locate(find_clues("The deposit lies 50 km north-east of Agadyr.", gazetteer))
    truth = expected(agadyr, 45, 50)
    assert error_km(estimate, truth) < 5
    assert 15 <= estimate.radius_km <= 40
    # the true point anywhere within the usual rounding (±22.5°, ±15 %) stays inside the radius
    for bearing, distance in ((25, 45), (65, 55), (45, 42), (45, 58)):
        assert error_km(estimate, expected(agadyr, bearing, distance)) <= estimate.radius_km


def test_far_bearing_has_a_wide_honest_radius(gazetteer):
    astana = town(gazetteer, "Astana")
    estimate = locate(find_clues("The field is 300 km southeast of Astana.", gazetteer))
    assert error_km(estimate, expected(astana, 135, 300)) < 40
    assert estimate.radius_km >= 0.3 * 300


def test_two_sentences_narrow_the_radius(gazetteer):
    first = find_clues("The deposit lies 50 km north-east of Agadyr.", gazetteer)
    second = find_clues("It is 50 km south-east of Zharyk.", gazetteer)
    alone, together = locate(first), locate(first + second)
    assert together.radius_km < 0.8 * alone.radius_km
    assert error_km(together, expected(town(gazetteer, "Agadyr"), 45, 50)) < 8
    assert len(together.clues) == 2


def test_repeating_a_clue_does_not_narrow_the_radius(gazetteer):
    clues = find_clues("The deposit lies 50 km north-east of Agadyr.", gazetteer)
    assert locate(clues * 3).radius_km == locate(clues).radius_km


def test_a_contradicting_clue_is_left_out(gazetteer):
    bearing = find_clues("The deposit lies 50 km north-east of Agadyr.", gazetteer)
    stray = find_clues("The company also has an office near Ridder.", gazetteer)
    estimate = locate(bearing + stray)
    assert estimate.clues == tuple(bearing)
    assert error_km(estimate, expected(town(gazetteer, "Agadyr"), 45, 50)) < 5


def test_never_outside_the_named_region(gazetteer):
    balkhash = town(gazetteer, "Balkhash")
    truth = expected(balkhash, 180, 60)
    assert region_at(truth[1], truth[0]) != "Karaganda Region"  # the bearing alone crosses the lake
    clues = find_clues("The deposit is 60 km south of Balkhash in the Karaganda Region.", gazetteer)
    estimate = locate(clues)
    assert estimate.region == "Karaganda Region"
    assert region_at(estimate.lon, estimate.lat) == "Karaganda Region"
    assert error_km(estimate, truth) <= estimate.radius_km + 50


def test_region_hint_limits_the_clues_of_a_sentence(gazetteer):
    clues = find_clues("The deposit is 60 km south of Balkhash.", gazetteer, region_hint="Qaraghandy oblysy")
    assert only(clues).region == "Karaganda Region"
    assert locate(clues).region == "Karaganda Region"


def test_ambiguous_names_prefer_the_named_region(gazetteer):
    anywhere = only(find_clues("It is 25 km from Aktogay station.", gazetteer)).place
    hinted = only(find_clues("It is 25 km from Aktogay station.", gazetteer, "Karaganda Region")).place
    named = find_clues("It is 25 km from Aktogay station, Pavlodar region.", gazetteer)[0].place
    assert anywhere.population == max(p.population for p in gazetteer.lookup("Aktogay", kind="town"))
    assert hinted.region == "Karaganda Region"
    assert named.region == "Pavlodar Region"


def test_a_region_named_before_2022_admits_the_region_split_from_it(gazetteer):
    # Zhezkazgan was in Karaganda Region until Ulytau Region was made from it in 2022
    estimate = locate(find_clues("The mine is near Zhezkazgan, Karaganda region.", gazetteer))
    zhezkazgan = town(gazetteer, "Zhezkazgan")
    assert error_km(estimate, (zhezkazgan.lat, zhezkazgan.lon)) < 5
    assert estimate.region == "Ulytau Region"


def test_estimate_is_a_schema_estimate(gazetteer):
    estimate = locate(find_clues("The deposit is near Ridder.", gazetteer))
    assert isinstance(estimate, Estimate)
    assert estimate.precision in PRECISIONS
    assert all(isinstance(clue, Clue) for clue in estimate.clues)
    assert isinstance(estimate.radius_km, float)


def test_a_long_sentence_is_scanned_in_bounded_windows_around_each_name(gazetteer, monkeypatch):
    """The checks beside each place name read a bounded window, never the whole sentence before it (issue 10)."""
    import geo.locate as locate_module

    seen: list[int] = []
    real = locate_module._NOT_PLACE_BEFORE

    class Recording:
        def search(self, text):
            seen.append(len(text))
            return real.search(text)

    monkeypatch.setattr(locate_module, "_NOT_PLACE_BEFORE", Recording())
    sentence = "The deposit lies 60 km north-west of Agadyr near Karaganda, " * 200
    clues = find_clues(sentence, gazetteer)
    assert len(clues) >= 200
    assert max(seen) <= locate_module._WINDOW


def test_coordinates_written_in_the_text_are_a_point():
    (estimate,) = coordinates_in("The ore field (centred on 47° 51′ 7″N, 67° 27′ 22″E) is large.")
    assert (estimate.lat, estimate.lon, estimate.region) == (47.851944, 67.456111, "Ulytau Region")
    assert coordinates_in("A point at 10° 0′ 0″N, 10° 0′ 0″E is abroad.") == []


def test_a_former_region_name_is_a_clue_for_todays_region():
    (clue,) = find_clues("The Kyzyltas deposit lies in Shymkent Oblast.", load_gazetteer())
    assert clue.region == "Turkistan Region"


def test_a_former_region_may_mean_land_now_in_its_neighbour(gazetteer):
    """'Zhezkazgan region' reads as Ulytau today, but Balkhash was in it: a point east of Balkhash is in Karaganda."""
    balkhash = town(gazetteer, "Balkhash")
    estimate = locate(find_clues("The Zorgan deposit is in Zhezkazgan region, 150 km east of Balkhash.", gazetteer))
    assert estimate.region == "Karaganda Region"
    assert error_km(estimate, expected(balkhash, 90.0, 150.0)) <= estimate.radius_km
    alone = locate(find_clues("The Zorgan deposit is in Zhezkazgan region.", gazetteer))
    assert (alone.region, alone.precision) == ("Ulytau Region", "region")


def test_a_current_region_name_is_not_widened(gazetteer):
    """A text naming Ulytau Region (created 2022) means Ulytau: a clue outside it is the one left out."""
    estimate = locate(find_clues("The Zorgan deposit is in Ulytau Region, 150 km east of Balkhash.", gazetteer))
    assert estimate.region == "Ulytau Region"
