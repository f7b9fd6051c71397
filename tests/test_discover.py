from geo.discover import discover_sites
from geo.geocode import load_gazetteer
from geo.pipeline import analyse
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
