import doctest
import re

from shapely.geometry import Point

from geo import detail
from geo.detail import articles_by_key, detail_html, fact_groups


def site(layers, site_id):
    return layers.sites[layers.sites["id"] == site_id].iloc[0]


def test_docstring_examples():
    assert doctest.testmod(detail).failed == 0


def test_facts_are_grouped_newest_first_with_undated_last(fixture_layers):
    groups = fact_groups(site(fixture_layers, "kuirektykol")["facts"])
    assert [g.title for g in groups] == ["Resources (mass)", "Reserves (mass)", "Grade", "Year"]
    resources = groups[0]
    assert [f["text"] for f in resources.facts] == ["28.2 million tons", "20 million tons", "935,400 tons"]
    assert [f["published"] for f in resources.facts] == ["2025-09-05", "2025-04-21", None]
    assert resources.conflicting
    assert not groups[1].conflicting


def test_the_same_figure_from_two_articles_is_no_conflict():
    same = [
        {"kind": "mass", "label": "reserves", "value": 795800, "unit": "t", "text": "795,800 tons", "published": None},
        {"kind": "mass", "label": "reserves", "value": 795800, "unit": "t", "text": "795 800 t", "published": None},
    ]
    assert not fact_groups(same)[0].conflicting
    dates = [{"kind": "date", "label": None, "value": None, "text": t, "published": None} for t in ("2024-11", "2025")]
    assert fact_groups(dates)[0].conflicting


def test_mentions_come_last_and_never_conflict():
    facts = [
        {"kind": "company", "label": None, "value": None, "text": "Tau-Ken Samruk", "published": None},
        {"kind": "company", "label": None, "value": None, "text": "ERG", "published": None},
        {"kind": "area", "label": "area", "value": 64.2, "unit": "km2", "text": "64.2 km²", "published": None},
    ]
    groups = fact_groups(facts)
    assert [g.kind for g in groups] == ["area", "company"]
    assert groups[1].mention and not groups[1].conflicting


def test_detail_shows_everything_known(fixture_layers):
    kuirektykol = site(fixture_layers, "kuirektykol")
    html = detail_html(kuirektykol)
    for text in (
        "Kuirektykol",
        "Куйректыколь",
        "Deposit",
        "Rare earth elements (REE)",
        "Tau-Ken Samruk",
        "Exploration",
        "Karaganda Region",
        "District centre, within 25 km",
        "49.4100° N, 75.4700° E",
        "figures differ, newest first",
    ):
        assert text in html, text
    for fact in kuirektykol["facts"]:
        assert detail.escape(fact["sentence"]) in html
        assert detail.escape(fact["published"] or "undated") in html
    assert html.count("</blockquote>") == len(kuirektykol["facts"])
    first, second = html.index("28.2 million tons"), html.index("20 million tons</div>")
    assert first < second, "newest first, side by side"


def test_detail_escapes_every_text_from_the_data(fixture_layers):
    html = detail_html(site(fixture_layers, "hostile"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html
    assert "&#96;&#36;{alert(3)}&#96;" in html
    assert "&#36;{alert(2)}" in html and "&lt;/script&gt;&lt;script&gt;alert(5)" in html
    assert "5 t &lt;b&gt;bold&lt;/b&gt;" in html
    text_outside_tags = re.sub(r"<[^>]*>", "", html)
    assert "<" not in text_outside_tags and ">" not in text_outside_tags
    assert not re.search(r"<(img|script|b)\b", html)
    assert "${" not in html and "`" not in html


def test_only_web_addresses_become_links(fixture_layers):
    registry = site(fixture_layers, "ukmtp")
    assert '<a href="https://example.org/registry/ukmtp"' in detail_html(registry)
    tricky = registry.copy()
    tricky["location_source"] = "javascript:alert(1)"
    tricky["info_source"] = "seeds/001.txt;https://example.org/a?b=1&c=2"
    html = detail_html(tricky)
    assert 'href="javascript' not in html
    assert '<a href="https://example.org/a?b=1&amp;c=2"' in html and "seeds/001.txt<br>" in html


def test_citations_name_the_article_and_link_it():
    articles = articles_by_key(
        [
            {"file": "002.txt", "item": 1, "title": "Reserves <Surpass>", "outlet": "TCA", "url": "https://t.ca/a"},
            {"file": "003.txt", "item": 2, "title": "", "outlet": "", "url": ""},
        ]
    )
    fact = {"kind": "mass", "label": "resources", "text": "28.2 million tons", "published": "2025-09-05"}
    site_row = {
        "name": "K", "aliases": [], "kind": "deposit", "commodities": [], "operator": "", "status": "exploration",
        "region": "Karaganda Region", "location_precision": "site", "uncertainty_km": 1.0, "location_source": "",
        "location_note": "", "info_source": "", "origin": "registry", "confidence": 1.0,
        "sources": ["002.txt", "004.txt"],
        "geometry": Point(75.0, 49.0),
        "facts": [
            {**fact, "document": "002.txt", "item": 1, "sentence": "s1"},
            {**fact, "document": "003.txt", "item": 2, "sentence": "s2"},
        ],
    }  # fmt: skip
    html = detail_html(site_row, articles)
    assert (
        '“<a href="https://t.ca/a" target="_blank" rel="noopener noreferrer">Reserves &lt;Surpass&gt;</a>” — TCA'
        in html
    )
    assert "(002.txt, article 1)" in html
    assert "003.txt, article 2" in html  # no title known: file and number only
    assert "004.txt" in html  # a file that mentions the site without a fact


def test_a_site_with_no_location_says_so(fixture_layers):
    row = site(fixture_layers, "kuirektykol").copy()
    row["geometry"], row["region"], row["location_precision"] = None, None, "unknown"
    html = detail_html(row)
    assert "Location not known" in html
    assert "not known" in html.split("Region")[1][:120]


def test_source_records_are_shown_side_by_side_with_what_each_gave(fixture_layers):
    from geo.detail import detail_html

    site = fixture_layers.sites.set_index("id").loc["qarmet-karagandy"].to_dict()
    site["value_sources"] = {"point": "gem-gist:FIXTURE1"}
    site["region_history"] = [{"region": "Karaganda Region", "named_by": "gem-gist:FIXTURE1", "as_of": "2025"}]
    html = detail_html(site)
    assert "Source records (1)" in html
    assert 'href="https://example.org/gem/FIXTURE1"' in html
    assert "gave point" in html
    assert "50.0300° N, 72.9900° E (GEM coordinate accuracy: exact)" in html
    assert "Qarmet steel plant (fixture record) · Karaganda Steel Works" in html
    assert "Karaganda Region (named by gem-gist:FIXTURE1, 2025)" in html


def test_a_site_with_no_region_never_shows_nan(fixture_layers):
    row = site(fixture_layers, "kuirektykol").copy()
    row["region"], row["operator"], row["location_note"] = float("nan"), None, "None"
    html = detail_html(row)
    assert "nan" not in re.sub(r"<[^>]*>", " ", html).split() and ">None<" not in html
    assert "not known" in html.split("Region")[1][:120]


def test_long_urls_wrap_inside_the_panel(fixture_layers):
    row = site(fixture_layers, "ukmtp").copy()
    row["info_source"] = "https://example.org/" + "a-very-long-path-segment-" * 20
    html = detail_html(row)
    assert html.startswith('<div class="atlas-detail"') and "overflow-wrap:anywhere" in html.split(">", 1)[0]
    assert 'padding:2px 0;overflow-wrap:anywhere"><a href="https://example.org/a-very-long' in html


def test_unlike_quantities_are_not_figures_that_differ():
    total = {
        "kind": "mass",
        "label": None,
        "value": 28.2e6,
        "unit": "t",
        "text": "28.2 million tons",
        "published": None,
        "sentence": "The site holds in total 28.2 million tons of commercially viable rare earth elements.",
    }
    new_areas = {
        "kind": "mass",
        "label": None,
        "value": 1e6,
        "unit": "t",
        "text": "one million tons",
        "published": None,
        "sentence": "These new areas are believed to contain a combined one million tons of rare-earth metals.",
    }
    grade = {"kind": "mass", "label": None, "value": 700, "unit": "g/t", "text": "700 g/t", "sentence": "700 g/t."}
    groups = fact_groups([total, new_areas, grade])
    assert [g.title for g in groups] == ["Mass, total, viable", "Mass, combined", "Mass"]
    assert not any(g.conflicting for g in groups)
    again = {
        **total,
        "value": 20e6,
        "text": "20 million tons",
        "sentence": "It holds in total 20 million tons of viable ore.",
    }
    assert fact_groups([total, again])[0].conflicting  # same words, same unit: the same quantity
    assert detail.qualifiers({"text": "5 t", "sentence": "no figure here"}) == ()


def test_an_article_without_a_known_address_says_so():
    articles = articles_by_key([{"file": "003.txt", "item": 1, "title": "Auction", "outlet": "TCA", "url": ""}])
    fact = {"kind": "year", "label": None, "text": "2022", "published": None, "document": "003.txt", "item": 1}
    html = detail._citation("003.txt", 1, articles, fact["published"])
    assert html == "“Auction” — TCA, undated (003.txt, article 1; no link: its web address was not found)"


def test_an_information_source_file_is_shown_as_its_articles(fixture_layers):
    row = site(fixture_layers, "ukmtp").copy()
    row["info_source"] = "002.txt; https://example.org/x"
    articles = articles_by_key(
        [{"file": "002.txt", "item": 1, "title": "Reserves", "outlet": "TCA", "published": "2025-09-05", "url": ""}]
    )
    html = detail_html(row, articles)
    assert "“Reserves” — TCA, 2025-09-05 (002.txt, article 1; no link: its web address was not found)<br>" in html
