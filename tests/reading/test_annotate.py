"""The reading pass: each kind of span read from a sentence, with its explanation, and what later stages take."""

import pytest

from geo.figures import Figure
from geo.geocode import load_gazetteer
from geo.reading import annotate, as_annotated, commodities_in, describe_clue
from geo.sources import Document

SENTENCES = (
    "The Sarykol copper prospect lies 60 km north-west of Karkaraly in the Karaganda region.",
    "It holds 28.2 million tons of ore, found in March 2024.",
    "The old mine (47° 51' 7\"N, 67° 27' 22\"E) is closed.",
)


@pytest.fixture(scope="module")
def annotated():
    return annotate(Document("a.txt", 1, "", "", None, "", SENTENCES), load_gazetteer())


def _read(annotated, kind):
    return [(span.sentence, span.text(SENTENCES[span.sentence]), span.explanation) for span in annotated.spans(kind)]


def test_a_name_beside_a_site_word_is_a_candidate_spanning_the_name_only(annotated):
    assert _read(annotated, "candidate")[0] == (0, "Sarykol", "a name beside a site word (prospective_area): Sarykol")
    assert annotated.values("candidate")[0].index == 0


def test_a_distance_and_bearing_explain_themselves(annotated):
    read = _read(annotated, "distance")
    assert read[0] == (0, "60 km north-west of Karkaraly", "distance 60 km, bearing north-west of Qarqaraly")
    clue = annotated.values("distance")[0]
    assert (clue.kind, clue.distance_km, clue.bearing_deg) == ("bearing", 60.0, 315.0)


def test_places_regions_figures_dates_commodities_and_coordinates(annotated):
    assert [text for _, text, _ in _read(annotated, "place")] == ["Karkaraly", "Karaganda region"]
    assert _read(annotated, "region") == [(0, "Karaganda region", "names the region Karaganda Region")]
    figures = annotated.values("figure", 1)
    assert isinstance(figures[0], Figure) and figures[0].value == 28_200_000.0
    assert _read(annotated, "date") == [(1, "March 2024", "date 2024-03")]
    assert [span.label for span in annotated.spans("commodity")] == ["Cu"]
    assert _read(annotated, "coordinates")[0][1] == "47° 51' 7\"N, 67° 27' 22\"E"


def test_without_a_gazetteer_no_places_are_read_until_one_is_given():
    document = Document("b.txt", 1, "", "", None, "", SENTENCES[:1])
    plain = annotate(document)
    assert plain.spans("place") == [] and "places" not in plain.read_by
    (again,) = as_annotated([plain], load_gazetteer())
    assert again is plain and [span.label for span in plain.spans("place")] == ["Qarqaraly", "Karaganda Region"]


def test_commodities_in_reads_multi_word_names_first_and_not_the_verb_lead():
    assert commodities_in("rare earth metals and tungsten will lead") == [
        ("REE", 0, "rare earth"),
        ("W", 22, "tungsten"),
    ]


def test_describe_clue_names_the_kind_of_each_clue(annotated):
    (clue,) = [c for c in annotated.values("distance") if c.kind == "region"]
    assert describe_clue(clue) == "in the region Karaganda Region"


def test_commodities_in_reads_russian_words_in_any_case_by_their_dictionary_form():
    assert [symbol for symbol, _, _ in commodities_in("добыча бокситов, медного и урановых руд, олова")] == [
        "Al",
        "Cu",
        "U",
        "Sn",
    ]
    assert commodities_in("Рудник Белозерский и его рудоуправление") == []
