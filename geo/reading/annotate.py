"""The reading pass: each sentence of a document read once, by each annotator, into spans.

The annotators that need only the text (and the gazetteer) run here: figures and dates
(:mod:`geo.figures`), commodities, regions named as regions (:mod:`geo.regions`), coordinates
and place names with the distances and bearings around them (:mod:`geo.locate`), and names
beside a site word (:mod:`geo.detect`). Those that need to know the sites (which name is which
site's, which company is an operator) run in :mod:`geo.reading.link` once the sites are known.
Every pattern lives in one module; the stages after this read the spans, never the sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache, partial

from geo.detect import _candidates_in
from geo.figures import parse_dates, parse_figures
from geo.geocode import Gazetteer
from geo.locate import Clue, clues_from, coordinates_in, place_mentions
from geo.morphology import russian_normal_form
from geo.names import NameIndex, spans, tokens
from geo.reading.doc import AnnotatedDocument, Span
from geo.regions import region_phrases
from geo.schema import COMMODITIES, COMMODITY_WORDS, RUSSIAN_COMMODITY_LEMMAS
from geo.sources import Document

__all__ = ["annotate", "annotate_all", "as_annotated", "commodities_in", "describe_clue"]


@cache
def _commodity_indexes() -> tuple[NameIndex, dict[tuple[str, ...], str]]:
    """Multi-word commodity names as a NameIndex, and one-word names by their key (built once)."""
    phrases = NameIndex([(word, symbol) for word, symbol in COMMODITY_WORDS.items() if " " in word or "-" in word])
    return phrases, {tuple(tokens(word)): symbol for word, symbol in COMMODITY_WORDS.items()}


def _russian_commodity(word: str) -> str | None:
    """The commodity a Russian word names in any case or number ('бокситового', 'меди'), by its dictionary form."""
    return RUSSIAN_COMMODITY_LEMMAS.get(russian_normal_form(word))


def commodities_in(sentence: str) -> list[tuple[str, int, str]]:
    """(symbol, character position, word) of each commodity a sentence names, multi-word names first.

    >>> commodities_in("A tungsten and rare-earth deposit")
    [('W', 2, 'tungsten'), ('REE', 15, 'rare-earth')]
    """
    phrases, single = _commodity_indexes()
    words = spans(sentence)
    found = []
    taken: set[int] = set()
    for start, end, symbol in phrases.find([key for key, _, _ in words]):
        found.append((symbol, words[start][1], sentence[words[start][1] : words[end - 1][2]]))
        taken.update(range(start, end))
    for number, (key, begin, end) in enumerate(words):
        symbol = single.get((key,)) or _russian_commodity(sentence[begin:end])
        if symbol and number not in taken and key != "lead":  # "lead" is more often a verb
            found.append((symbol, begin, sentence[begin:end]))
    return sorted(found, key=lambda hit: hit[1])


def _quantity(value: float | None, unit: str) -> str:
    """A figure's value in its base unit, for an explanation: '28,200,000 t'."""
    if value is None:
        return ""
    number = f"{value:,.0f}" if value == int(value) else f"{value:,.6g}"
    return f"{number} {unit}".strip()


def _figures(number: int, sentence: str) -> list[Span]:
    found = []
    for figure in parse_figures(sentence):
        label = f"{figure.label} " if figure.label else ""
        explanation = f"{label}{figure.kind}: {_quantity(figure.value, figure.unit)}".strip()
        end = figure.start + len(figure.text)
        found.append(Span(number, figure.start, end, "figure", figure.text, explanation, figure))
    return found


def _dates(number: int, sentence: str) -> list[Span]:
    found = []
    for figure in parse_dates(sentence):
        end = _date_end(sentence, figure.start, figure.text)
        explanation = f"{figure.kind} {figure.text}"
        found.append(Span(number, figure.start, end, "date", figure.text, explanation, figure))
    return found


def _date_end(sentence: str, start: int, text: str) -> int:
    """Where a date ('November 1, 2024', kept as '2024-11-01') ends: after its year."""
    year = text[:4]
    at = sentence.find(year, start)
    return at + 4 if at >= 0 else start + len(text)


def _commodities(number: int, sentence: str) -> list[Span]:
    found = []
    for symbol, position, word in commodities_in(sentence):
        explanation = f"commodity {COMMODITIES.get(symbol, symbol)}"
        hit = (symbol, position, word)
        found.append(Span(number, position, position + len(word), "commodity", symbol, explanation, hit))
    return found


def _regions(number: int, sentence: str) -> list[Span]:
    found = []
    for region, start, end in region_phrases(sentence):
        found.append(Span(number, start, end, "region", region, f"names the region {region}", region))
    return found


def _coordinates(number: int, sentence: str) -> list[Span]:
    found = []
    for estimate in coordinates_in(sentence):
        clue = estimate.clues[0]
        explanation = f"coordinates {estimate.lat:.4f}° N, {estimate.lon:.4f}° E ({estimate.region})"
        found.append(
            Span(number, clue.start, clue.start + len(clue.text), "coordinates", clue.text, explanation, estimate)
        )
    return found


def describe_clue(clue: Clue) -> str:
    """A clue in words: 'distance 60 km, bearing north-west of Karkaraly'."""
    place = clue.place.name if clue.place else clue.region or ""
    if clue.kind == "between" and clue.other:
        return f"between {place} and {clue.other.name}"
    parts = []
    if clue.distance_km is not None:
        parts.append(f"{'within' if clue.kind == 'near' else 'distance'} {clue.distance_km:g} km")
    if clue.bearing_deg is not None:
        parts.append(f"bearing {_compass_name(clue.bearing_deg)}")
    if clue.kind == "in_place":
        parts.append("in")
    elif clue.kind in ("district", "region") and clue.bearing_deg is None:
        parts.append(f"in the {clue.kind}")
    elif not parts:
        parts.append(clue.kind)
    return (
        f"{', '.join(parts)} of {place}"
        if clue.kind not in ("in_place", "district", "region")
        else f"{' '.join(parts)} {place}"
    )


_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")


def _compass_name(bearing: float) -> str:
    """The nearest of eight compass points: 315 → 'north-west'."""
    return _COMPASS[round(bearing / 45.0) % 8]


def _places(number: int, sentence: str, *, gazetteer: Gazetteer) -> list[Span]:
    mentions = place_mentions(sentence, gazetteer)
    found = []
    for mention in mentions:
        place = mention.places[0]
        where = f", {place.region}" if place.region and place.kind != "region" else ""
        others = f" (or {len(mention.places) - 1} namesake(s))" if len(mention.places) > 1 else ""
        explanation = f"{place.kind} {place.name}{where}{others}"
        found.append(Span(number, mention.start, mention.end, "place", place.name, explanation, mention))
    for clue in clues_from(sentence, mentions):
        if clue.kind in ("bearing", "distance", "direction", "near", "between", "in_place", "district", "region"):
            end = clue.start + len(clue.text)
            found.append(Span(number, clue.start, end, "distance", clue.kind, describe_clue(clue), clue))
    return found


def _candidates(number: int, sentence: str, *, document: Document) -> list[Span]:
    found = []
    for candidate in _candidates_in(sentence, document.id):
        written = candidate.text or candidate.name
        inside = written.find(candidate.name)  # the name without the words before it ("the", a legal form)
        start = candidate.position + max(inside, 0)
        end = start + len(candidate.name) if inside >= 0 else candidate.position + len(written)
        explanation = f"a name beside a site word ({candidate.kind}): {candidate.name}"
        read = replace(candidate, index=number)
        found.append(Span(number, start, end, "candidate", candidate.name, explanation, read))
    return found


def _read(annotated: AnnotatedDocument, name: str, reader: Callable[[int, str], list[Span]]) -> None:
    """Let one annotator read every sentence of a document."""
    sentences = annotated.sentences
    annotated.add((span for number, sentence in enumerate(sentences) for span in reader(number, sentence)), name)


def annotate(document: Document, gazetteer: Gazetteer | None = None) -> AnnotatedDocument:
    """Read a document once into spans of every kind that needs only the text (places only with a gazetteer)."""
    annotated = AnnotatedDocument(document)
    for name, reader in (
        ("figures", _figures),
        ("dates", _dates),
        ("commodities", _commodities),
        ("regions", _regions),
        ("coordinates", _coordinates),
        ("candidates", partial(_candidates, document=document)),
    ):
        _read(annotated, name, reader)
    if gazetteer is not None:
        _read(annotated, "places", partial(_places, gazetteer=gazetteer))
    return annotated


def annotate_all(documents: Iterable[Document], gazetteer: Gazetteer | None = None) -> list[AnnotatedDocument]:
    """:func:`annotate` each document."""
    return [annotate(document, gazetteer) for document in documents]


def as_annotated(
    documents: Iterable[Document | AnnotatedDocument], gazetteer: Gazetteer | None = None
) -> list[AnnotatedDocument]:
    """The documents as annotated ones, so that the stages take either.

    A plain document is read now; an annotated one read without a gazetteer has its places read
    now when one is given (each annotator still reads each sentence once).
    """
    found = [d if isinstance(d, AnnotatedDocument) else annotate(d, gazetteer) for d in documents]
    for annotated in found:
        if gazetteer is not None and "places" not in annotated.read_by:
            _read(annotated, "places", partial(_places, gazetteer=gazetteer))
    return found
