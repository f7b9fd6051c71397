import pytest

from geo.geocode import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Karagandy", "Karagandy"),
        ("Qaraghandy", "Karagandy"),
        ("Караганда", "Karagandy"),
        ("Jezkazgan", "Zhezqazghan"),
        ("Semipalatinsk", "Semey"),
        ("Oskemen", "Ust-Kamenogorsk"),
        ("Agadyr", "Aqadyr"),
    ],
)
def test_towns_resolve_in_any_spelling(gazetteer, spelling, name):
    assert gazetteer.lookup(spelling)[0].name == name


def test_every_place_cites_its_source_and_knows_its_region(gazetteer):
    assert all(place.source for place in gazetteer.places)
    assert all(place.region for place in gazetteer.places)


def test_districts_come_from_the_cited_gazetteer(gazetteer):
    (district,) = gazetteer.lookup("Karkaraly District")
    assert district.kind == "district"
    assert district.region == "Karaganda Region"
    assert district.radius_km > 30


def test_ambiguous_names_narrow_by_region(gazetteer):
    everywhere = gazetteer.lookup("Aktogay", kind="town")
    assert len({place.region for place in everywhere}) > 1
    in_abai = gazetteer.lookup("Aktogay", kind="town", region="Abai Region")
    assert in_abai and all(place.region == "Abai Region" for place in in_abai)


def test_unknown_name_gives_nothing(gazetteer):
    assert gazetteer.lookup("Atlantis") == []
