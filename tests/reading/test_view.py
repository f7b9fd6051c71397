"""The reading made visible, as HTML: nested and crossing spans, escaping, the map page's data."""

from geo.reading.article import ArticleReading
from geo.reading.doc import Span
from geo.reading.view import highlight_html, reading_map_html, table_html

SENTENCE = "Lies 60 km north-west of Karkaraly & <b>more</b>."


def _reading(spans):
    return ArticleReading(documents=(), sentences=(SENTENCE,), spans=(tuple(spans),), sites=(), facts=(), unused=())


def test_a_span_inside_another_is_nested_and_one_that_crosses_it_is_left_out():
    clue = Span(0, 5, 34, "distance", "bearing", "distance 60 km, bearing north-west of Qarqaraly")
    town = Span(0, 25, 34, "place", "Qarqaraly", "town Qarqaraly")
    crossing = Span(0, 30, 40, "company", "x", "crosses the clue's end")
    page = highlight_html(_reading([town, crossing, clue]))
    assert page.index('data-type="distance"') < page.index('data-type="place"')  # the place inside the clue
    assert 'data-type="company"' not in page
    assert ">Karkaraly</mark></mark>" in page


def test_every_character_of_the_sentence_is_escaped_and_shown_once():
    page = highlight_html(_reading([Span(0, 0, 4, "figure", "x", 'a "quoted" <title>')]))
    assert "&amp; &lt;b&gt;more&lt;/b&gt;." in page and "<b>" not in page
    assert 'title="figure: a &quot;quoted&quot; &lt;title&gt;"' in page


def test_the_map_page_with_no_site_still_draws_and_lists_nothing():
    page = reading_map_html(_reading([]), prefix="/static")
    assert '<script src="/static/leaflet/leaflet.js"></script>' in page and '<ul id="found" hidden></ul>' in page


def test_a_table_escapes_its_cells_and_says_when_it_is_empty():
    assert "&lt;script&gt;" in table_html("t", ["a"], [["<script>"]], "none")
    assert table_html("t", ["a"], [], "Nothing here.") == '<p class="atlas-reading-empty">Nothing here.</p>'
