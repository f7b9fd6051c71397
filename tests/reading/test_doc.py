"""The annotated document: spans kept by sentence and type, checked against the text they point into."""

import pytest

from geo.reading import SPAN_TYPES, AnnotatedDocument, Span
from geo.sources import Document

DOCUMENT = Document("a.txt", 1, "", "", None, "", ("The Koktenkol mine is old.", "It holds tungsten."))


def test_spans_are_kept_by_sentence_and_type_in_reading_order():
    annotated = AnnotatedDocument(DOCUMENT)
    annotated.add([Span(1, 9, 17, "commodity", "W", "commodity Tungsten"), Span(0, 4, 13, "site", "k", "x")], "t")
    assert [span.type for span in annotated] == ["site", "commodity"]
    assert annotated.spans("commodity", 0) == []
    assert annotated.spans("commodity")[0].text(DOCUMENT.sentences[1]) == "tungsten"
    assert annotated.read_by == ["t"]


def test_a_span_outside_its_sentence_or_of_an_unknown_type_is_refused():
    annotated = AnnotatedDocument(DOCUMENT)
    with pytest.raises(ValueError, match="outside"):
        annotated.add([Span(1, 0, 99, "commodity", "W", "")], "t")
    with pytest.raises(ValueError, match="outside"):
        annotated.add([Span(2, 0, 1, "commodity", "W", "")], "t")
    with pytest.raises(ValueError, match="unknown span type"):
        Span(0, 0, 1, "person", "x", "")
    with pytest.raises(ValueError, match="forward"):
        Span(0, 5, 1, "site", "x", "")


def test_discard_forgets_one_annotator():
    annotated = AnnotatedDocument(DOCUMENT)
    annotated.add([Span(0, 4, 13, "site", "k", "x")], "sites")
    annotated.add([Span(1, 9, 17, "commodity", "W", "")], "commodities")
    annotated.discard("sites", ["site"])
    assert [span.type for span in annotated] == ["commodity"] and annotated.read_by == ["commodities"]
    assert "site" in SPAN_TYPES
