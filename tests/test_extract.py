from pathlib import Path

import pytest

from geo.extract import extract, name_keys, vouched_by_commodity
from geo.reading import as_annotated
from geo.registry import Site, read_registry
from geo.sources import Document, read_documents

ROOT = Path(__file__).resolve().parents[1]


def site(id_: str, name: str, *aliases: str, region: str = "Karaganda Region", descriptions=()) -> Site:
    return Site(
        id=id_,
        name=name,
        aliases=aliases,
        kind="deposit",
        region=region,
        lat=49.0,
        lon=75.0,
        precision="region",
        uncertainty_km=100.0,
        location_source="test",
        descriptions=tuple(descriptions),
    )


def document(*sentences: str, published: str | None = "2025-01-02") -> Document:
    return Document("doc.txt", 1, "T", "Outlet", published, "", tuple(sentences))


KUI = site("kuirektykol", "Kuirektykol", "Kuyrektykol", "Куйректыколь")


@pytest.fixture(scope="module")
def seeds():
    documents, _ = read_documents(ROOT / "seeds")
    sites = read_registry(ROOT / "data" / "sites.csv")
    return extract(documents, sites, ["Karatas", "Zhosabai", "Kazakhsteel"])


@pytest.mark.parametrize("spelling", ["Kuirektykol", "Kuyrektykol", "KUIREKTYKOL", "Куйректыколь"])
def test_a_site_is_found_in_any_spelling(spelling):
    result = extract([document(f"Work at the {spelling} deposit began in 2022.")], [KUI])
    assert [m.site_id for m in result.mentions] == ["kuirektykol"]


def test_a_name_inside_a_longer_word_is_not_a_mention():
    jez = site("jez", "Jezkazganredmet", region="Ulytau Region")
    result = extract([document("The Zhezkazgan copper smelter works.")], [jez])
    assert result.mentions == []


def test_facts_keep_document_sentence_and_date():
    sentence = "The Kuirektykol deposit holds 28.2 million tons of rare earths."
    (mass, commodity) = extract([document(sentence)], [KUI]).facts
    assert (mass.kind, mass.value, mass.unit, mass.text) == ("mass", 28_200_000.0, "t", "28.2 million tons")
    assert (mass.document, mass.item, mass.published, mass.sentence) == ("doc.txt", 1, "2025-01-02", sentence)
    assert (commodity.kind, commodity.label) == ("commodity", "REE")


def test_following_sentences_about_the_same_site_inherit_it():
    doc = document(
        "Exploration of the Kuirektykol site began in 2022.",
        "These were initially estimated to contain total resources of 935,400 tons.",
        "Kazakhstan holds 9,000 deposits and invested 100 billion tenge.",
        "Output reached 5 million tons.",
    )
    facts = extract([doc], [KUI]).facts
    assert [(f.kind, f.value) for f in facts] == [("year", 2022.0), ("mass", 935_400.0)]


def test_a_heading_breaks_the_thread():
    doc = document("The Kuirektykol deposit is large.", "Regional Potential Expands", "Gold output was 4 tons.")
    assert [f.kind for f in extract([doc], [KUI]).facts] == []


def test_figures_go_to_the_nearest_site_in_a_sentence():
    nk = site("north-katpar", "North Katpar")
    uk = site("upper-kairakty", "Upper Kairakty", "Upper Kayrakty")
    doc = document(
        "Pilot projects at the Karatas (copper), Zhosabai (gold), North Katpar, and Upper Kayrakty (tungsten) deposits."
    )
    result = extract([doc], [nk, uk], ["Karatas", "Zhosabai"])
    assert {(f.site_id, f.label) for f in result.facts} == {("upper-kairakty", "W")}
    assert sorted(m.site_id for m in result.unlocated) == ["Karatas", "Zhosabai"]


def test_commodities_far_from_the_name_are_not_the_sites():
    akh = site("akhmetkino", "Akhmetkino", region="East Kazakhstan Region")
    doc = document(
        "Kazakhstan is expanding its rare and rare-earth metal projects with an $8 million investment "
        "in lithium exploration at the Akhmetkino deposit."
    )
    assert {f.label for f in extract([doc], [akh]).facts if f.kind == "commodity"} == {"Li"}


def test_a_description_finds_an_unnamed_site():
    plant = site("tungsten-plant", "Boguty", region="Almaty Region", descriptions=["tungsten+plant+Almaty"])
    doc = document("A new tungsten processing plant was inaugurated in the Almaty Region on November 1, 2024.")
    result = extract([doc], [plant])
    assert [m.site_id for m in result.mentions] == ["tungsten-plant"]
    assert [f.text for f in result.facts if f.kind == "date"] == ["2024-11-01"]


def test_a_region_the_article_names_is_checked_against_the_point():
    jez = site("jez", "Jezkazganredmet", region="Ulytau Region")
    result = extract([document("Jezkazganredmet in the Karaganda region refines rhenium.")], [jez])
    (claim,) = result.disagreements()
    assert (claim.claimed, claim.actual) == ("Karaganda Region", "Ulytau Region")


def test_a_document_with_no_site_gives_nothing():
    result = extract([document("Kazakhstan plans to invest $500 million in 2026.")], [KUI])
    assert (result.mentions, result.facts) == ([], [])


def test_conflicting_kuirektykol_figures_are_all_kept_and_dated(seeds):
    masses = {(f.value, f.document, f.item) for f in seeds.facts if f.site_id == "kuirektykol" and f.kind == "mass"}
    assert (935_400.0, "003_413ce00ee0b7452c.txt", 2) in masses
    assert (20_000_000.0, "003_413ce00ee0b7452c.txt", 2) in masses
    assert (28_200_000.0, "002_0ad9be908612bcb9.txt", 1) in masses
    dated = [f for f in seeds.facts if f.document == "002_0ad9be908612bcb9.txt"]
    assert {f.published for f in dated} == {"2025-09-05"}


def test_every_seed_fact_quotes_a_sentence_of_its_document(seeds):
    documents, _ = read_documents(ROOT / "seeds")
    sentences = {(d.file, d.item): set(d.sentences) for d in documents}
    assert seeds.facts
    assert all(f.sentence in sentences[(f.document, f.item)] for f in seeds.facts)


def test_unlocatable_seed_sites_are_listed_not_lost(seeds):
    assert sorted(m.site_id for m in seeds.unlocated) == ["Karatas", "Kazakhsteel", "Zhosabai"]


def placed(id_: str, name: str, lat: float, lon: float, region: str, origin: str = "open_data") -> Site:
    return Site(id_, name, "deposit", region, lat, lon, "site", 1.0, "test", origin=origin)


# Two made-up open-data namesakes 900 km apart, and a site with a name no other site bears near the first.
EAST_NAMESAKE = placed("jubilee-east", "Jubileinoe", 49.9, 82.6, "East Kazakhstan Region")
WEST_NAMESAKE = placed("jubilee-west", "Jubileinoe", 48.9, 58.7, "Aktobe Region")
EASTERN = placed("quxaly", "Quxaly", 50.2, 83.0, "East Kazakhstan Region", origin="registry")


def test_a_namesake_far_from_all_else_the_article_places_is_not_meant():
    """No region named: the namesake near the other site the article names is the one it means."""
    extraction = extract(
        [document("Lithium is known at the Quxaly and Jubileinoe deposits.")], [WEST_NAMESAKE, EAST_NAMESAKE, EASTERN]
    )
    assert sorted({m.site_id for m in extraction.mentions}) == ["jubilee-east", "quxaly"]


def test_a_lone_far_namesake_is_not_linked_with_confidence():
    extraction = extract(
        [document("Lithium is known at the Quxaly and Jubileinoe deposits.")], [WEST_NAMESAKE, EASTERN]
    )
    assert [m.site_id for m in extraction.mentions] == ["quxaly"]


def test_with_nothing_else_placed_a_namesake_is_still_linked():
    extraction = extract([document("Drilling resumed at the Jubileinoe deposit.")], [WEST_NAMESAKE])
    assert [m.site_id for m in extraction.mentions] == ["jubilee-west"]


def test_a_site_in_a_region_the_article_names_is_meant_however_far_the_rest():
    extraction = extract(
        [document("The Quxaly deposit is well known.", "Jubileinoe in Aktobe Region was drilled too.")],
        [WEST_NAMESAKE, EASTERN],
    )
    assert sorted({m.site_id for m in extraction.mentions}) == ["jubilee-west", "quxaly"]


def commodity_site(id_: str, name: str, region: str, *commodities: str) -> Site:
    return Site(
        id_, name, "deposit", region, 52.0, 62.5, "site", 5.0, "test", commodities=commodities, origin="open_data"
    )


# A made-up Al deposit in Kostanay Region, named in an article that names Pavlodar Region only.
BELOZERO = commodity_site("belozero", "Belozerskoe", "Kostanay Region", "Al")
PAVLODAR_TEXT = "The company starts work in Pavlodar Region."


def test_a_one_bearer_name_beside_its_commodity_is_meant_whatever_region_the_article_names():
    extraction = extract([document(PAVLODAR_TEXT, "The Belozerskoe mine works a large bauxite deposit.")], [BELOZERO])
    assert [m.site_id for m in extraction.mentions] == ["belozero"]


def test_a_one_bearer_name_vouches_in_another_spelling_and_in_russian_inflection():
    russian = "Белозерский рудник разрабатывает крупное бокситовое месторождение."
    (annotated,) = as_annotated([document(PAVLODAR_TEXT, russian)])
    keys = name_keys([BELOZERO])
    assert vouched_by_commodity(annotated, {"belozero": BELOZERO}, keys) == {"belozero"}
    (far,) = as_annotated([document(russian.replace("крупное", "крупное и очень старое, давно известное всем"))])
    assert vouched_by_commodity(far, {"belozero": BELOZERO}, keys) == set()


def test_a_commodity_the_site_is_not_known_for_does_not_vouch_for_it():
    copper = commodity_site("jubilee", "Jubileinoe", "Aktobe Region", "Cu")
    text = "Lithium is found at the Jubileinoe deposit in East Kazakhstan Region."
    assert extract([document(text)], [copper]).mentions == []


def test_a_name_two_sites_bear_does_not_vouch_for_either():
    other = commodity_site("belozero-2", "Belozerskoe", "Abai Region", "Al")
    extraction = extract(
        [document(PAVLODAR_TEXT, "The Belozerskoe mine works a large bauxite deposit.")], [BELOZERO, other]
    )
    assert extraction.mentions == []
