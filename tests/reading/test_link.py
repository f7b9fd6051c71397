"""The readings that need the sites: known names linked to their site, companies by legal form or as operators."""

from pathlib import Path

from geo.reading import annotate
from geo.reading.link import Linker, link
from geo.registry import Site, read_registry
from geo.sources import Document

REGISTRY = Path(__file__).resolve().parents[2] / "data" / "sites.csv"
SENTENCES = (
    "Tau-Ken Samruk plans a plant at the Verkhnekayraktinskoye deposit, with Qazaq Metals LLP.",
    "Upper Kairakty holds tungsten.",
)


def _linked():
    annotated = annotate(Document("a.txt", 1, "", "", None, "", SENTENCES))
    link(annotated, Linker(read_registry(REGISTRY), ["Zhosabai"]))
    return annotated


def test_a_known_site_named_by_an_alias_says_so():
    spans = _linked().spans("site")
    assert [(span.sentence, span.label) for span in spans] == [(0, "upper-kairakty"), (1, "upper-kairakty")]
    assert spans[0].explanation == "linked to Upper Kairakty (registry) by alias Verkhnekayraktinskoye"
    assert spans[1].explanation == "linked to Upper Kairakty (registry) by its name Upper Kairakty"


def test_companies_by_legal_form_and_as_operators():
    found = {span.label: span.explanation for span in _linked().spans("company")}
    assert found["Qazaq Metals LLP"] == "company Qazaq Metals LLP (by its legal form)"
    assert found["Tau-Ken Samruk"] == "company Tau-Ken Samruk (an operator of a known site)"


def test_linking_again_replaces_the_earlier_reading():
    annotated = _linked()
    link(annotated, Linker([], []))
    assert annotated.spans("site") == [] and annotated.read_by.count("sites") == 1


def test_words_linked_to_a_placed_site_win_over_a_known_unplaced_name():
    """'Zorgan' is both a registry name with no place and an open-data site; where detection linked the
    words to the placed site, they are that site; other words stay the unplaced one's."""
    placed = Site(
        "zorgan-usgs", "Zorgan", "deposit", "Karaganda Region", 46.6, 73.8, "site", 1.0, "t", origin="open_data"
    )
    sentences = ("The Zorgan ore body lies west of the lake.", "Зорган is a pilot project.")
    annotated = annotate(Document("a.txt", 1, "", "", None, "", sentences))
    link(annotated, Linker([placed], ["Zorgan"], links={"zorgan-usgs": ["Zorgan"]}))
    assert [(span.sentence, span.label) for span in annotated.spans("site")] == [(0, "zorgan-usgs"), (1, "?Zorgan")]


def test_a_known_name_beside_a_place_word_or_in_brackets_after_another_name_is_not_the_site():
    linker = Linker([], ["Kyzyltas", "Кызылтас"])
    assert [hit[0] for hit in linker.sites_in("Work began at Kyzyltas last year.")] == ["?Kyzyltas"]
    for sentence in (
        "Herders crossed the desert Kyzyltas in spring.",
        "The Kyzyltas district lies to the west.",
        "Кызылтас ауданындағы кен іске қосылды.",
        "Тау бөктерінде Шаған (Кызылтас), Жарық аталған кен көздері бар.",
    ):
        assert linker.sites_in(sentence) == [], sentence


def test_a_direction_word_sharing_its_name_with_the_next_names_its_own_site():
    sites = [
        Site(id_, name, "deposit", "Ulytau Region", 48.0, 67.0, "site", 5.0, "test")
        for id_, name in (("east-quxal", "East Quxal"), ("west-quxal", "West Quxal"))
    ]
    found = Linker(sites, []).sites_in("Drilling covered East and West Quxal last year.")
    assert [(target, words) for target, _, words in found] == [("east-quxal", "East"), ("west-quxal", "West Quxal")]
