from geo.discover import discover_sites
from geo.geocode import load_gazetteer
from geo.pipeline import analyse
from geo.registry import Site
from geo.sources import Document


def doc(*sentences: str, name: str = "a.txt") -> Document:
    return Document(name, 1, "", "", "2025-01-01", "", tuple(sentences))


def test_a_new_site_is_located_and_marked_extracted():
    documents = [
        doc(
            "Geologists returned to the Koktenkol tungsten deposit this year.",
            "The deposit lies about 60 km north-west of Agadyr in Karaganda Region.",
        )
    ]
    (site,) = discover_sites(documents, [], load_gazetteer()).sites
    assert (site.name, site.origin, site.kind, site.region) == ("Koktenkol", "extracted", "deposit", "Karaganda Region")
    assert site.commodities == ("W",)
    assert site.precision == "approximate"
    assert 0 < site.confidence < 1
    assert "60 km north-west of Agadyr" in site.location_note
    assert site.location_source.startswith("a.txt: ")


def test_a_site_with_no_place_clue_is_unlocated_not_guessed():
    discovery = discover_sites([doc("The Zhelandy ore field lies further north.")], [], load_gazetteer())
    assert discovery.sites == []
    assert [d.name for d in discovery.unlocated] == ["Zhelandy"]


def test_extracted_sites_get_facts_like_registry_sites():
    documents = [
        doc(
            "The Akbeit gold deposit lies 40 km south of Stepnogorsk in Akmola Region.",
            "Its reserves are put at 12 tonnes of gold.",
        )
    ]
    analysis = analyse(documents)
    extracted = [s for s in analysis.sites if s.origin == "extracted"]
    assert [s.name for s in extracted] == ["Akbeit"]
    facts = [f for f in analysis.extraction.facts if f.site_id == extracted[0].id]
    assert ("mass", 12.0, "reserves") in {(f.kind, f.value, f.label) for f in facts}


def test_place_clues_come_only_from_the_documents_that_name_the_site():
    documents = [
        doc("Geologists sampled the Kyzyltas tungsten deposit.", name="a.txt"),
        doc("Kyzyltas was mentioned again.", "It lies 30 km north of Agadyr in Karaganda Region.", name="b.txt"),
    ]
    discovery = discover_sites(documents, [], load_gazetteer())
    assert discovery.sites == []
    assert [d.name for d in discovery.unlocated] == ["Kyzyltas"]


def test_a_site_the_article_places_only_by_its_region_is_at_region_precision():
    documents = [doc("The Kyzyltas tungsten deposit was licensed.", "Exploration in Kostanay Region is growing.")]
    (site,) = discover_sites(documents, [], load_gazetteer()).sites
    assert (site.region, site.precision) == ("Kostanay Region", "region")
    assert site.uncertainty_km >= 50


def test_an_article_naming_several_regions_places_no_site_by_them():
    documents = [
        doc(
            "The Kyzyltas deposit was licensed.",
            "Licences are sold at auction.",
            "Work in Kostanay Region and in Pavlodar Region grew.",
        )
    ]
    assert discover_sites(documents, [], load_gazetteer()).sites == []


def test_a_registry_unplaced_name_is_located_only_from_a_sentence_naming_it():
    documents = [doc("The Kyzyltas deposit was licensed.", "A plant opened 20 km north of Agadyr.")]
    discovery = discover_sites(documents, [], load_gazetteer(), unplaced=["Kyzyltas"])
    assert discovery.sites == []


def test_an_unlocated_named_site_enters_the_layers_with_no_geometry():
    analysis = analyse([doc("Drilling began at the Kyzyltas tungsten deposit.")])
    (site,) = [s for s in analysis.unlocated if s.name == "Kyzyltas"]
    assert (site.origin, site.id) == ("extracted", "x-kiziltas")
    assert "named in the text" in site.reason


def test_a_document_that_names_no_site_adds_nothing():
    analysis = analyse([doc("Investment in the sector grew by 40% in 2024.")])
    assert not [s for s in analysis.sites if s.origin == "extracted"]
    assert not [s for s in analysis.unlocated if s.origin == "extracted"]


def test_a_region_named_for_another_site_does_not_place_the_rest_of_the_article():
    """The region belongs to the deposit its sentence names; the mines listed later get no region from it."""
    documents = [
        doc(
            "The company begins work on the new Quxaly deposit in Pavlodar Region.",
            "It runs three mines: Zorgan, Wibble and Plumbat.",
        )
    ]
    discovery = discover_sites(documents, [], load_gazetteer())
    assert [(site.name, site.region) for site in discovery.sites] == [("Quxaly", "Pavlodar Region")]
    assert sorted(d.name for d in discovery.unlocated) == ["Plumbat", "Wibble", "Zorgan"]


def test_a_plant_named_after_its_town_is_placed_near_the_town_but_a_deposit_is_not():
    documents = [doc("JSC Pavlodar Titanium and Magnesium Plant paid a dividend.", "The Moinkum deposit is old.")]
    discovery = discover_sites(documents, [], load_gazetteer())
    (plant,) = discovery.sites
    assert (plant.region, plant.precision, plant.kind) == ("Pavlodar Region", "approximate", "plant")
    assert 25 <= plant.uncertainty_km <= 60 and "named after Pavlodar" in plant.location_note
    assert [d.name for d in discovery.unlocated] == ["Moinkum"]


def test_coordinates_given_once_for_several_sites_are_their_group_s_centre():
    one = discover_sites(
        [doc("The Zorgan mine (centred on 47° 51' 7\"N, 67° 27' 22\"E) is old.")], [], load_gazetteer()
    )
    (alone,) = one.sites
    group = doc("Ore came from the Zorgan, Quxaly and Wibble mines (centred on 47° 51' 7\"N, 67° 27' 22\"E).")
    shared = discover_sites([group], [], load_gazetteer()).sites
    assert alone.uncertainty_km == 2.0
    assert len(shared) == 3 and all(site.uncertainty_km == 10.0 for site in shared)
    assert {(site.lat, site.lon) for site in shared} == {(alone.lat, alone.lon)}


def _listed(*sentences: str):
    known = [
        Site("quxaly", "Quxaly", "deposit", "East Kazakhstan Region", 49.9, 82.6, "site", 1.0, "t"),
        Site("wibble", "Wibble", "deposit", "East Kazakhstan Region", 50.1, 83.0, "site", 1.0, "t"),
        Site("plumbat", "Plumbat", "deposit", "Aktobe Region", 50.3, 58.5, "site", 1.0, "t"),
    ]
    regions = {site.id: site.region for site in known}
    names = {site.name: site.id for site in known}
    return discover_sites([doc(*sentences)], names, load_gazetteer(), site_regions=regions)


def test_a_site_with_no_clue_takes_the_region_its_list_agrees_on():
    discovery = _listed("The balance lists four lithium deposits: Quxaly, Zorgan, Wibble and Dombra.")
    assert sorted((site.name, site.region, site.precision) for site in discovery.sites) == [
        ("Dombra", "East Kazakhstan Region", "region"),
        ("Zorgan", "East Kazakhstan Region", "region"),
    ]
    assert "listed with 2 sites in East Kazakhstan Region" in discovery.sites[0].location_note


def test_a_list_whose_sites_disagree_or_name_one_placed_site_places_nothing():
    assert _listed("The balance lists four deposits: Quxaly, Zorgan, Plumbat and Dombra.").sites == []
    assert _listed("The balance lists three deposits: Quxaly, Zorgan and Dombra.").sites == []
    named = _listed("It lists deposits: Quxaly, Zorgan, Wibble and Dombra.", "Work in Pavlodar Region grew.").sites
    assert {site.region for site in named} == {"Pavlodar Region"}  # the article's own region, not the list's
    assert not any("listed with" in site.location_note for site in named)


def test_a_smelting_company_is_its_smelter_placed_at_the_city_in_its_name():
    documents = [doc("Өнеркәсіп аймағында «Шымкент Смелтинг» ЖШС жаңа пешті іске қосты.")]
    discovery = discover_sites(documents, [], load_gazetteer())
    (plant,) = discovery.sites
    assert (plant.name, plant.kind, plant.region) == ("Шымкент Смелтинг", "smelter", "Shymkent")
    assert "named after Shymkent" in plant.location_note


def test_the_sentence_after_a_site_is_not_its_context_when_it_brings_in_another_site():
    documents = [
        doc(
            "The country mined the Quxaly tin deposit for decades.",
            "It also had a processing plant that worked in Balkhash.",
        )
    ]
    discovery = discover_sites(documents, [], load_gazetteer())
    assert discovery.sites == []
    assert [d.name for d in discovery.unlocated] == ["Quxaly"]


def test_a_kazakh_district_phrase_places_a_site_in_that_district():
    documents = [doc("Зерттеу нәтижесінде Көксу ауданындағы «Кұхалы» кені биыл іске қосылды.")]
    (site,) = discover_sites(documents, [], load_gazetteer()).sites
    assert (site.name, site.region, site.precision) == ("Кұхалы", "Jetisu Region", "district")
    assert "Көксу ауданындағы" in site.location_note and abs(site.lat - 45.0) < 0.1


def test_a_new_site_is_placed_by_a_distance_from_a_known_site():
    known = Site("quxaly", "Quxaly", "deposit", "Ulytau Region", 47.0, 68.0, "site", 2.0, "test", origin="open_data")
    documents = [doc("The Zorkol deposit is 10 km west of the Quxaly ore field.", "It was drilled at Quxaly too.")]
    discovery = discover_sites(documents, {"Quxaly": "quxaly"}, load_gazetteer(), anchors={"quxaly": known})
    (site,) = discovery.sites
    assert (site.name, site.region) == ("Zorkol", "Ulytau Region")
    assert abs(site.lat - 47.0) < 0.05 and -0.2 < site.lon - 68.0 < -0.05
    assert "10 km west of the Quxaly" in site.location_note


def test_being_at_a_known_site_does_not_place_a_new_one():
    known = Site("quxaly", "Quxaly", "deposit", "Ulytau Region", 47.0, 68.0, "site", 2.0, "test", origin="open_data")
    documents = [doc("The Zorkol deposit, like the Quxaly mine, holds copper.")]
    discovery = discover_sites(documents, {"Quxaly": "quxaly"}, load_gazetteer(), anchors={"quxaly": known})
    assert discovery.sites == [] and [d.name for d in discovery.unlocated] == ["Zorkol"]


ZORKOL = Site("zorkol", "Zorkol", "mine", "Kostanay Region", 52.1, 62.5, "site", 5.0, "test", origin="open_data")
THREE_MINES = "The company runs three mines: {}, Quxaly and Zorkol."


def _three_mines(first: str, *more: str) -> list[Site]:
    documents = [doc(*more, THREE_MINES.format(first))]
    known = {"Zorkol": "zorkol"}
    return discover_sites(documents, known, load_gazetteer(), site_regions={"zorkol": "Kostanay Region"}).sites


def test_one_placed_sibling_places_a_listed_site_named_like_a_town_of_the_same_region():
    (site,) = _three_mines("Lisakovsk")
    assert (site.name, site.region, site.precision) == ("Lisakovsk", "Kostanay Region", "region")
    assert "as is the town its name is" in site.location_note


def test_the_one_other_site_of_a_pair_places_it():
    documents = [doc('The enterprise unites two shafts ("Zorkol" and "Quxaly") and some open pits.')]
    known = {"Zorkol": "zorkol"}
    (site,) = discover_sites(documents, known, load_gazetteer(), site_regions={"zorkol": "Kostanay Region"}).sites
    assert (site.name, site.region, site.precision) == ("Quxaly", "Kostanay Region", "region")
    assert "listed with the other of a pair in Kostanay Region)" in site.location_note


def test_placed_sites_outside_a_list_are_not_its_members():
    documents = [doc('Unlike the Zorkol and Barkol mines, the enterprise unites two shafts ("Lemmyk" and "Quxaly").')]
    known = {"Zorkol": "zorkol", "Barkol": "barkol"}
    regions = {"zorkol": "Kostanay Region", "barkol": "Kostanay Region"}
    assert discover_sites(documents, known, load_gazetteer(), site_regions=regions).sites == []


def test_a_placed_site_beside_a_pair_is_not_its_other_site():
    documents = [doc('Unlike the Zorkol mine, the enterprise unites two shafts ("Lemmyk" and "Quxaly").')]
    known = {"Zorkol": "zorkol"}
    assert discover_sites(documents, known, load_gazetteer(), site_regions={"zorkol": "Kostanay Region"}).sites == []


def test_one_placed_sibling_is_not_enough_without_such_a_town():
    assert _three_mines("Foobar") == []
    assert _three_mines("Agadyr") == []  # a town, but in Karaganda Region


def test_a_region_named_for_another_site_does_not_keep_a_listed_site_from_its_siblings_region():
    sites = _three_mines("Lisakovsk", "It also opens the Barkum deposit in Pavlodar Region.")
    assert {site.name: site.region for site in sites} == {"Barkum": "Pavlodar Region", "Lisakovsk": "Kostanay Region"}


def test_a_sibling_named_in_a_spelling_linked_to_a_known_site_counts():
    documents = [doc("The company runs three mines: Lisakovsk, Quxaly and Zorkolsky.")]
    regions = {"zorkol": "Kostanay Region"}
    sites = discover_sites(documents, {"Zorkolskoe": "zorkol"}, load_gazetteer(), site_regions=regions).sites
    assert [(site.name, site.region) for site in sites] == [("Lisakovsk", "Kostanay Region")]
