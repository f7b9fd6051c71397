"""Reading pasted text as the build reads a kept article: sites, facts and what it could not use; hostile text."""

from pathlib import Path

import pytest

from geo.pipeline import load_knowledge
from geo.reading.article import from_upload, read_article, sites_of_file
from geo.reading.view import facts_table, highlight_html, reading_map_data, reading_map_html, unused_table
from geo.sources import MAX_BYTES
from geo.validation import InputError

DATA = Path(__file__).resolve().parents[2] / "data"
# Written for these tests: a registry site in another spelling, a new site placed by the words.
ARTICLE = (
    "Tungsten near Karkaraly\n\n"
    "Drilling at the Verkhnee Kairakty deposit confirmed reserves of 30 million tons of ore.\n"
    "A new tungsten deposit, Kyzyltas, lies 60 km north-west of Karkaraly in the Karaganda region.\n"
    "Prices of concentrate rose by 12% in Kazakhstan this year.\n"
)
OLDER = {
    "upper-kairakty": [
        {"kind": "mass", "label": "reserves", "unit": "t", "value": 1.0, "text": "1 t", "document": "old.txt",
         "published": "2020-01-01"}
    ]
}  # fmt: skip


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(DATA, None)


@pytest.fixture(scope="module")
def reading(knowledge):
    return read_article(ARTICLE, knowledge, title="Tungsten", published="2025-03-03", known_facts=OLDER)


def test_the_registry_site_is_linked_and_the_new_one_placed_by_the_words(reading):
    by_id = {site.id: site for site in reading.sites}
    linked = by_id["upper-kairakty"]
    assert linked.status == "linked" and (linked.lat, linked.lon) == (48.683889, 73.258611)
    (new,) = [site for site in reading.sites if site.status == "new"]
    assert new.name == "Kyzyltas" and new.region == "Karaganda Region"
    assert 49.5 < new.lat < 50.1 and 74.6 < new.lon < 75.2 and 10 < new.radius_km < 60  # ~60 km NW of Karkaraly
    assert new.clues[0].kind == "bearing"


def test_spans_explain_the_link_and_the_clue(reading):
    explained = {
        span.text(reading.sentences[span.sentence]): span.explanation for spans in reading.spans for span in spans
    }
    assert explained["Verkhnee Kairakty"] == "linked to Upper Kairakty (registry) by alias Verkhnee Kairakty"
    assert explained["60 km north-west of Karkaraly"] == "distance 60 km, bearing north-west of Qarqaraly"
    assert explained["Kyzyltas"].startswith("new site Kyzyltas (not in the atlas), placed at")


def test_a_new_figure_is_shown_beside_the_older_one_for_the_same_quantity(reading):
    (fact,) = [fact for fact in reading.facts if fact.site_id == "upper-kairakty" and fact.kind == "mass"]
    assert fact.change == "a new figure beside the older 1 t (old.txt, 2020-01-01)"
    assert fact.sentence.startswith("Drilling at the Verkhnee Kairakty deposit")
    assert "a new figure beside the older" in facts_table(reading)


def test_a_figure_in_a_sentence_about_the_country_is_listed_as_not_used(reading):
    (item,) = [item for item in reading.unused if item.text == "12%"]
    assert item.reason == "a figure in a sentence that names no site it could be about"
    assert "12%" in unused_table(reading)


def test_the_map_draws_both_sites_and_the_reference_town(reading):
    data = reading_map_data(reading)
    assert {site["status"] for site in data["sites"]} == {"linked", "new"}
    bearings = [(clue["place"]["name"], clue["distance_km"]) for clue in data["clues"] if clue["kind"] == "bearing"]
    assert bearings == [("Qarqaraly", 60.0)]
    page = reading_map_html(reading)
    assert '<script src="/app/static/vendor/leaflet/leaflet.js">' in page and "https://" not in page


def test_a_paste_that_names_no_site(knowledge):
    reading = read_article("Prices rose by 5% this year across the sector.", knowledge)
    assert reading.sites == () and reading.facts == ()
    assert [item.reason for item in reading.unused] == ["a figure in a sentence that names no site it could be about"]
    assert reading_map_data(reading)["sites"] == []


HOSTILE = (
    'The <img src=x onerror="alert(1)"> Kyzyltas deposit lies 60 km north-west of Karkaraly. '
    "</script><script>alert(2)</script> **bold** [login](https://evil.example) `${alert(3)}`"
)


def test_hostile_text_is_shown_as_text_in_the_page_and_on_the_map(knowledge):
    reading = read_article(HOSTILE, knowledge)
    page = highlight_html(reading)
    assert "<img" not in page and "<script>alert" not in page and "&lt;img src=x" in page
    assert "**bold**" in page and "[login](https:" in page and "&#36;{alert(3)}" in page  # as typed, no Markdown
    assert 'tabindex="0"' in page and 'aria-label="site: new site Kyzyltas' in page
    map_page = reading_map_html(reading)
    assert "<img" not in map_page and "</script><script>alert(2)" not in map_page


def test_too_large_a_paste_is_refused_with_the_build_limit(knowledge):
    with pytest.raises(InputError, match=f"2,000,000 bytes; an article may have at most {MAX_BYTES:,}"):
        read_article("x" * 2_000_000, knowledge)


@pytest.mark.parametrize(
    ("text", "fields", "message"),
    [
        ("   ", {}, "empty file"),
        ("A\x00B", {}, "binary file"),
        ("A deposit.", {"published": "3 March"}, "published"),
        ("A deposit.", {"url": "javascript:alert(1)"}, "url"),
    ],
)
def test_bad_text_or_metadata_is_refused_as_the_build_refuses_it(knowledge, text, fields, message):
    with pytest.raises(InputError, match=message):
        read_article(text, knowledge, **fields)


def test_sites_of_file_lists_the_sites_a_kept_file_is_a_source_of():
    layer = b'{"features": [{"geometry": null, "properties": {"id": "a", "name": "A", "origin": "extracted",'
    layer += b' "sources": ["005.txt"], "uncertainty_km": null}}]}'
    assert sites_of_file(layer, "005.txt")[0]["id"] == "a" and sites_of_file(layer, "006.txt") == []


def test_an_uploaded_md_article_gives_its_text_and_its_front_matter():
    data = b'---\ntitle: "A mine"\noutlet: Outlet\nurl: "https://example.org/a"\ndate: 2025-02-01\nlang: en\n'
    data += b"---\n\nText.\n"
    assert from_upload("a.md", data) == (
        "Text.",
        {"title": "A mine", "outlet": "Outlet", "url": "https://example.org/a", "date": "2025-02-01"},
    )
    assert from_upload("a.txt", b"---\nnot front matter\n") == ("---\nnot front matter\n", {})
    with pytest.raises(InputError, match=r"a\.md: front matter lacks"):
        from_upload("a.md", b"---\ntitle: x\n---\nText.")
    with pytest.raises(InputError, match=r"b\.txt: not UTF-8"):
        from_upload("b.txt", b"\xff\xfe")


def test_reading_changes_nothing_another_reading_sees(knowledge):
    sites, unlocated = list(knowledge.sites), list(knowledge.unlocated)
    first = read_article(ARTICLE, knowledge)
    assert knowledge.sites == sites and knowledge.unlocated == unlocated
    assert [site.id for site in read_article(ARTICLE, knowledge).sites] == [site.id for site in first.sites]
    assert not any(site.id == "x-kiziltas" for site in knowledge.sites)
