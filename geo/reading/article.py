"""Reading one pasted article the way the build reads a kept one, and saying what it would add.

:func:`read_article` checks the text and its metadata as the build and ``python -m geo add`` do,
cuts it into sentences with the build's own reader, and runs the build's own analysis
(:func:`geo.pipeline.analyse`: the reading pass, linking, discovery, extraction) against the
known sites. Nothing is written: :func:`geo.keep.keep_article` keeps an article. The result lists
the sites the article names (linked ones at their registry point, new ones at the point and
radius the words give, with the clues), the facts it would add beside the figures already held
for the same quantity, and what it could not use, with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from geo.keep import metadata_row
from geo.locate import Clue
from geo.pipeline import Knowledge, analyse
from geo.reading.annotate import describe_clue
from geo.reading.doc import AnnotatedDocument, Span
from geo.sources import MAX_BYTES, MAX_SENTENCE, decode_article, read_document_text, split_front_matter
from geo.validation import InputError

__all__ = [
    "PASTED_FILE",
    "ArticleReading",
    "FactReading",
    "FoundSite",
    "Unused",
    "from_upload",
    "read_article",
    "sites_of_file",
]

#: The file name a pasted article is read under (kept articles get a seeds name when kept).
PASTED_FILE = "pasted.txt"
#: Fact kinds that are quantities: a new one is shown beside the older ones for the same quantity.
_QUANTITIES = frozenset({"mass", "grade", "area", "distance", "length", "percent", "money", "count"})


@dataclass(frozen=True)
class FoundSite:
    """A site the article names: linked to a known one, or new and placed by the words (``clues``)."""

    id: str
    name: str
    status: str
    kind: str
    lat: float | None
    lon: float | None
    radius_km: float | None
    precision: str
    region: str | None
    explanation: str
    clues: tuple[Clue, ...] = ()


@dataclass(frozen=True)
class FactReading:
    """A fact the article would add, its sentence, and the older figures for the same quantity of the same site."""

    site_id: str
    site_name: str
    kind: str
    label: str | None
    text: str
    sentence: str
    change: str
    older: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Unused:
    """Something the article says that the atlas could not use, and why."""

    text: str
    reason: str
    sentence: str = ""


@dataclass(frozen=True)
class ArticleReading:
    """What the atlas reads in one article; ``documents`` hold every span read, ``spans`` those to show."""

    documents: tuple[AnnotatedDocument, ...]
    sentences: tuple[str, ...]
    spans: tuple[tuple[Span, ...], ...]
    sites: tuple[FoundSite, ...]
    facts: tuple[FactReading, ...]
    unused: tuple[Unused, ...]
    notes: tuple[str, ...] = field(default=())


def _document(text: str, title: str, outlet: str, published: str, url: str) -> list:
    """The pasted text as the build's documents; ``InputError`` says what is wrong (size, encoding, metadata)."""
    data = text.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise InputError([f"the article is {len(data):,} bytes; an article may have at most {MAX_BYTES:,}"])
    row = metadata_row(PASTED_FILE, title, outlet, published, url)
    try:
        decoded = decode_article(data)
        documents = read_document_text(decoded, PASTED_FILE, {(PASTED_FILE, 1): row.model_dump()})
    except ValueError as error:
        raise InputError([f"the article cannot be read: {error}"]) from None
    return documents


def _how_placed(site: Any, clues: Sequence[Clue]) -> str:
    """A new site's explanation: where the words put it and from which clues."""
    used = "; ".join(describe_clue(clue) for clue in clues if clue.kind != "coordinates") or "coordinates in the text"
    return (
        f"new site {site.name} (not in the atlas), placed at {site.lat:.3f}° N, {site.lon:.3f}° E "
        f"within {site.uncertainty_km:g} km ({site.precision}) from: {used}"
    )


def _found_sites(analysis: Any, ids: set[str]) -> list[FoundSite]:
    """The sites the article names: new ones (with their clues) first, then linked ones, each once."""
    by_id = {site.id: site for site in analysis.sites}
    found = []
    for site in analysis.discovery.sites:
        estimate = analysis.discovery.estimates.get(site.id)
        placed = by_id.get(site.id, site)
        clues = estimate.clues if estimate else ()
        found.append(
            FoundSite(placed.id, placed.name, "new", placed.kind, placed.lat, placed.lon, placed.uncertainty_km,
                      placed.precision, placed.region, _how_placed(placed, clues), tuple(clues))
        )  # fmt: skip
    new = {site.id for site in found}
    for site_id in sorted(ids - new):
        site = by_id[site_id]
        origin = site.origin.replace("_", " ")
        explanation = f"{site.name} ({origin}): at its point in the atlas, within {site.uncertainty_km:g} km"
        found.append(
            FoundSite(site.id, site.name, "linked", site.kind, site.lat, site.lon, site.uncertainty_km,
                      site.precision, site.region, explanation)
        )  # fmt: skip
    return found


def _fact_readings(analysis: Any, known_facts: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[FactReading]:
    """Each fact with what it changes: a figure beside the older ones for the same quantity, or a new one."""
    names = {site.id: site.name for site in analysis.sites}
    readings = []
    for fact in analysis.extraction.facts:
        older = tuple(
            dict(other)
            for other in known_facts.get(fact.site_id, ())
            if other.get("kind") == fact.kind and other.get("label") == fact.label and other.get("unit") == fact.unit
        )
        name = names.get(fact.site_id, fact.site_id)
        if fact.kind in _QUANTITIES and older:
            same = any(other.get("value") == fact.value for other in older)
            shown = ", ".join(
                f"{o.get('text')} ({o.get('document')}, {o.get('published') or 'undated'})" for o in older
            )
            change = f"{'the same figure as' if same else 'a new figure beside the older'} {shown}"
        elif older:
            change = "already held from another article"
        elif fact.kind in _QUANTITIES:
            change = f"a first {fact.label or fact.kind} figure for {name}"
        else:
            change = f"adds {fact.kind} {fact.text} to {name}"
        readings.append(
            FactReading(fact.site_id, names.get(fact.site_id, fact.site_id), fact.kind, fact.label, fact.text,
                        fact.sentence, change, older)
        )  # fmt: skip
    return readings


def _unused(analysis: Any) -> list[Unused]:
    """Names it could not place, known sites with no location, and sentences with a figure but no site."""
    unused = [
        Unused(
            detection.name,
            "a site name the text does not place: no town, distance, district or region the gazetteer knows near it",
            detection.mentions[0].sentence,
        )
        for detection in analysis.discovery.unlocated
    ]
    unused += [
        Unused(mention.words, "a site the atlas knows but cannot place (no known location)", mention.sentence)
        for mention in analysis.extraction.unlocated
    ]
    with_facts = {fact.sentence for fact in analysis.extraction.facts if fact.kind not in ("commodity", "company")}
    for annotated in analysis.read:
        for number, sentence in enumerate(annotated.sentences):
            figures = annotated.spans("figure", number)
            if figures and sentence not in with_facts:
                words = ", ".join(span.label for span in figures)
                unused.append(Unused(words, "a figure in a sentence that names no site it could be about", sentence))
    seen: dict[tuple[str, str], Unused] = {}
    for item in unused:
        seen.setdefault((item.text, item.sentence), item)
    return list(seen.values())


def _shown_spans(annotated: AnnotatedDocument, sites: Sequence[FoundSite], unplaced: set[str]) -> list[list[Span]]:
    """Each sentence's spans to show: a new site's name says where it was placed, a stray candidate why not."""
    new = {site.id: site for site in sites if site.status == "new"}
    shown = []
    for number in range(len(annotated.sentences)):
        spans = []
        named = annotated.spans("site", number)
        for span in annotated.in_sentence(number):
            if span.type == "site" and span.label in new:
                span = replace(span, explanation=new[span.label].explanation)
            elif span.type == "candidate":
                if any(site.start < span.end and span.start < site.end for site in named):
                    continue  # the name is a known site's or a new site's, shown as that
                if span.value.key in unplaced:
                    why = f"new site name {span.label}, not placed: the text gives no place the gazetteer knows"
                else:
                    why = f"{span.label}: read beside a site word but not kept as a new site (a known name, or abroad)"
                span = replace(span, explanation=why)
            spans.append(span)
        shown.append(spans)
    return shown


def read_article(
    text: str,
    knowledge: Knowledge,
    *,
    title: str = "",
    outlet: str = "",
    published: str = "",
    url: str = "",
    known_facts: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> ArticleReading:
    """Read pasted text with the build's own reading against ``knowledge``; nothing is written.

    Raises ``InputError`` naming the problem when the text is no article the build would keep
    (more than :data:`~geo.sources.MAX_BYTES`, empty, NUL bytes) or the metadata is bad (a date
    that is no ``YYYY-MM-DD``, a URL that is no http(s) address). ``known_facts`` (site id → fact
    dicts, as in the built layers) are the figures a new fact is shown beside.
    """
    documents = _document(text, title, outlet, published, url)
    analysis = analyse(documents, knowledge=knowledge)
    ids = {mention.site_id for mention in analysis.extraction.mentions}
    sites = _found_sites(analysis, ids)
    unplaced = {detection.key for detection in analysis.discovery.unlocated}
    notes = [
        f"{d.cut} sentence(s) over {MAX_SENTENCE:,} characters were cut at word boundaries" for d in documents if d.cut
    ]
    spans = tuple(
        tuple(sentence) for annotated in analysis.read for sentence in _shown_spans(annotated, sites, unplaced)
    )
    return ArticleReading(
        documents=analysis.read,
        sentences=tuple(sentence for annotated in analysis.read for sentence in annotated.sentences),
        spans=spans,
        sites=tuple(sites),
        facts=tuple(_fact_readings(analysis, known_facts or {})),
        unused=tuple(_unused(analysis)),
        notes=tuple(notes),
    )


def sites_of_file(sites_geojson: bytes, file: str) -> list[dict[str, Any]]:
    """The sites of built layers (``sites.geojson`` bytes) that a kept article file is a source of."""
    features = json.loads(sites_geojson)["features"]
    return [
        {
            "id": feature["properties"]["id"],
            "name": feature["properties"]["name"],
            "origin": feature["properties"]["origin"],
            "point": feature["geometry"]["coordinates"] if feature["geometry"] else None,
            "uncertainty_km": feature["properties"]["uncertainty_km"],
        }
        for feature in features
        if file in feature["properties"]["sources"]
    ]


def from_upload(name: str, data: bytes) -> tuple[str, dict[str, str]]:
    r"""An uploaded file's text and the metadata its front matter gives (an ``.md`` article as in news-dev).

    ``InputError`` says why the file is no article (size, encoding, bad front matter).

    >>> from_upload("a.md", b"---\ntitle: T\noutlet: O\nurl: null\ndate: 2025-01-02\nlang: en\n---\nText.")
    ('Text.', {'title': 'T', 'outlet': 'O', 'url': '', 'date': '2025-01-02'})
    """
    try:
        text = decode_article(data)
        if not (name.lower().endswith(".md") and text.startswith("---\n")):
            return text, {}
        front, body = split_front_matter(text)
    except ValueError as error:
        raise InputError([f"{name}: {error}"]) from None
    fields = {"title": front["title"], "outlet": front["outlet"], "url": front["url"], "date": front["date"]}
    return body.strip("\n"), {key: "" if value is None else str(value) for key, value in fields.items()}
