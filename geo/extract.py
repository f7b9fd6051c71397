"""Extraction: which sites each article mentions, and the facts it states about them.

A site is mentioned by one of its names or aliases in any spelling or script, or by a
description from the registry ("tungsten+plant+Almaty": all words in one sentence).
A sentence that names no site but follows one about a single site in the same article
("These were initially estimated to contain 935,400 tons") is about that site, until a
heading or a sentence about the country at large breaks the thread. Every fact keeps its
document, its sentence and the document's date; conflicting figures are all kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass

from geo.detect import KeyIndex
from geo.figures import Figure
from geo.names import NameIndex, tokens
from geo.opendata.resolve import distance_km
from geo.reading import AnnotatedDocument, as_annotated, commodities_in
from geo.reading.link import Linker, company_keys, link, text_name_pairs, text_names
from geo.regions import with_legacy
from geo.registry import Site
from geo.sources import Document, is_heading

__all__ = [
    "Extraction",
    "Fact",
    "Mention",
    "RegionClaim",
    "allowed_in_regions",
    "allowed_near",
    "commodities_in",
    "company_keys",
    "document_anchors",
    "extract",
    "meant_by",
    "name_bearers",
    "name_keys",
    "text_names",
]

# Words that turn a sentence from one site to the country, the sector or the world at large.
_BROAD_WORDS = frozenset(
    tokens("Kazakhstan Kazakhstani country nationwide national government sector industry global world worldwide")
)


@dataclass(frozen=True)
class Mention:
    """A site named in a sentence of a document."""

    site_id: str
    document: str
    file: str
    item: int
    sentence: str
    words: str


@dataclass(frozen=True)
class Fact:
    """One cited fact about a site: a figure, a date, a commodity or a company."""

    site_id: str
    kind: str
    label: str | None
    value: float | None
    unit: str | None
    text: str
    document: str
    item: int
    published: str | None
    sentence: str

    def as_dict(self) -> dict[str, object]:
        """The fact as a plain dict, keys in the order of ``schema.FACT_FIELDS``."""
        return asdict(self)


@dataclass(frozen=True)
class RegionClaim:
    """A region an article names in a sentence about a site, and the site's region by its point."""

    site_id: str
    document: str
    sentence: str
    claimed: str
    actual: str
    published: str | None = None


@dataclass(frozen=True)
class Extraction:
    """All that the articles say: mentions, facts, region claims, and names with no location."""

    mentions: list[Mention]
    facts: list[Fact]
    region_claims: list[RegionClaim]
    unlocated: list[Mention]

    def disagreements(self) -> list[RegionClaim]:
        """Region claims that differ from the region of the site's point."""
        return [claim for claim in self.region_claims if claim.claimed != claim.actual]


def _distance(span: tuple[int, int], position: int) -> int:
    """Characters between a position and a span (0 inside it)."""
    return max(span[0] - position, position - span[1], 0)


def _nearest(targets: list[tuple[str, tuple[int, int]]], position: int) -> str:
    """The site whose mention is nearest to a character position in the sentence."""
    return min(targets, key=lambda target: (_distance(target[1], position), target[0]))[0]


def _figure_fact(site_id: str, figure: Figure, document: Document, sentence: str) -> Fact:
    """A figure found in a sentence as a fact about a site."""
    return Fact(
        site_id=site_id,
        kind=figure.kind,
        label=figure.label,
        value=figure.value,
        unit=figure.unit or None,
        text=figure.text,
        document=document.file,
        item=document.item,
        published=document.published,
        sentence=sentence,
    )


#: How far (characters) a commodity may stand from a site's name to be about that site.
_COMMODITY_REACH = 60


def _sentence_facts(
    targets: list[tuple[str, tuple[int, int]]],
    annotated: AnnotatedDocument,
    number: int,
    named: bool,
) -> list[Fact]:
    """Every fact a sentence states, each given to the nearest site it names (or the one it is about).

    In a sentence that names sites, a commodity counts only near a name: in "rare-earth
    projects ... lithium exploration at the Akhmetkino deposit" only lithium is Akhmetkino's.
    """
    document, sentence = annotated.document, annotated.sentences[number]
    facts = [
        _figure_fact(_nearest(targets, figure.start), figure, document, sentence)
        for figure in annotated.values("figure", number) + annotated.values("date", number)
    ]
    companies = annotated.values("company", number)
    for name, start, _ in companies:
        facts.append(
            _figure_fact(_nearest(targets, start), Figure("company", None, "", name, None, start), document, sentence)
        )
    seen: set[tuple[str, str]] = set()
    for symbol, position, word in annotated.values("commodity", number):
        site_id = _nearest(targets, position)
        near = not named or min(_distance(span, position) for _, span in targets) <= _COMMODITY_REACH
        in_company = any(start <= position < end for _, start, end in companies)
        if near and not in_company and (site_id, symbol) not in seen:
            seen.add((site_id, symbol))
            facts.append(
                _figure_fact(site_id, Figure("commodity", None, "", word, symbol, position), document, sentence)
            )
    return [fact for fact in facts if not fact.site_id.startswith("?")]


def _region_claims(
    matcher: Linker, targets: list[tuple[str, tuple[int, int]]], annotated: AnnotatedDocument, number: int
) -> list[RegionClaim]:
    """Regions a sentence names ("in the Karaganda region"), each for the nearest site it names."""
    claims = []
    document, sentence = annotated.document, annotated.sentences[number]
    for span in annotated.spans("region", number):
        region, site_id = span.label, _nearest(targets, span.start)
        if not site_id.startswith("?"):
            claims.append(
                RegionClaim(site_id, document.id, sentence, region, matcher.sites[site_id].region, document.published)
            )
    return claims


def allowed_in_regions(site: Site, regions: frozenset[str]) -> bool:
    """Whether an article that names ``regions`` may mean ``site``.

    An open-data site (whose names are often shared: many deposits are called Yubileinoye) only
    if it lies in one of them, or if the article names none.
    """
    return not regions or site.origin != "open_data" or site.region in regions


#: How far (km) an open-data site may lie from all else an article places and still be the site it means.
NAMESAKE_REACH_KM = 400.0


def document_anchors(
    document: AnnotatedDocument, names: NameIndex, bearers: Mapping[str, int], sites: Mapping[str, Site]
) -> list[tuple[str, float, float]]:
    """(site id or '', lat, lon) of what an article places: the towns and districts its place clues use.

    Also the known sites it names by a name only one site bears (``bearers``: name key → how many
    sites bear it), so that a shared name does not vouch for itself. A town named with no clue
    (a dateline, "our Almaty office") places nothing.
    """
    found = [
        ("", clue.place.lat, clue.place.lon)
        for clue in document.values("distance")
        if clue.place is not None and clue.place.kind in ("town", "district")
    ]
    for sentence in document.sentences:
        keys = tokens(sentence)
        for start, end, target in names.find(keys):
            if bearers.get(" ".join(keys[start:end])) == 1 and target in sites:
                found.append((target, sites[target].lat, sites[target].lon))
    return found


def allowed_near(site: Site, anchors: list[tuple[str, float, float]]) -> bool:
    """Whether an article that places ``anchors`` may mean ``site``, judged by distance.

    An open-data site (whose names many deposits share: Yubileinoye, Tsentralnoye, Stepnoye) only
    within :data:`NAMESAKE_REACH_KM` of one of them, when there are any besides the site itself.
    """
    others = [(lon, lat) for target, lat, lon in anchors if target != site.id]
    if site.origin != "open_data" or not others:
        return True
    return min(distance_km((site.lon, site.lat), point) for point in others) <= NAMESAKE_REACH_KM


def name_bearers(sites: Iterable[Site], places: frozenset[str] = frozenset()) -> tuple[NameIndex, dict[str, int]]:
    """An index of the sites' text names and, per name key, how many sites bear it (see :func:`document_anchors`)."""
    pairs = text_name_pairs(sites, places)
    bearers: dict[str, set[str]] = {}
    for name, site_id in pairs:
        bearers.setdefault(" ".join(tokens(name)), set()).add(site_id)
    return NameIndex(pairs), {key: len(ids) for key, ids in bearers.items()}


def name_keys(sites: Iterable[Site], places: frozenset[str] = frozenset()) -> KeyIndex:
    """The :func:`~geo.names.merge_key` of every text name of the sites, with the ids of the sites bearing it."""
    return KeyIndex(text_name_pairs(sites, places))


def vouched_by_commodity(document: AnnotatedDocument, sites: Mapping[str, Site], keys: KeyIndex) -> frozenset[str]:
    """Open-data sites a document names by a name no other known site bears, beside a commodity they are known for.

    "the Krasnooktyabrsky mine works the bauxite deposit" means the one Al deposit of that name,
    whatever region the article names (texts slip: "in Pavlodar Region" for a Kostanay mine);
    a name many sites share, or a commodity the site is not known for (lithium at a copper
    Yubileinoye), vouches for nothing. The name may differ from the known one by a slip of
    spelling or transliteration (:meth:`~geo.detect.KeyIndex.fuzzy`).
    """
    found: set[str] = set()
    for number in range(len(document.sentences)):
        stated = document.values("commodity", number)
        for candidate in document.values("candidate", number) if stated else ():
            span = (candidate.position, candidate.position + len(candidate.text or candidate.name))
            near = {symbol for symbol, position, _ in stated if _distance(span, position) <= _COMMODITY_REACH}
            ids = keys.get(candidate.key) or keys.fuzzy(candidate.key)
            site = sites.get(ids[0]) if len(ids) == 1 else None
            if site is not None and site.origin == "open_data" and near.intersection(site.commodities):
                found.add(site.id)
    return frozenset(found)


def meant_by(
    document: AnnotatedDocument,
    sites: Mapping[str, Site],
    names: NameIndex,
    bearers: Mapping[str, int],
    keys: KeyIndex | None = None,
) -> Callable[[str], bool]:
    """Which known sites a document may mean, as a test of a site id.

    By the regions it names (:func:`allowed_in_regions`) and, for a site in none of them, by what
    else it places (:func:`allowed_near`). A site outside the named regions may still be meant
    when the document vouches for it by its one-bearer name and commodity (``keys``, from
    :func:`name_keys`; see :func:`vouched_by_commodity`).
    """
    regions = with_legacy(document.values("region"))
    anchors = document_anchors(document, names, bearers, sites)
    vouched = vouched_by_commodity(document, sites, keys) if keys and regions else frozenset()

    def allowed(target: str) -> bool:
        if target not in sites:
            return True
        site = sites[target]
        if target in vouched:
            return True
        if not allowed_in_regions(site, regions):
            return False
        return site.region in regions or allowed_near(site, anchors)

    return allowed


def extract(
    documents: list[Document] | list[AnnotatedDocument],
    sites: list[Site],
    unlocated: Iterable[str] = (),
    places: frozenset[str] = frozenset(),
    links: Mapping[str, Iterable[str]] | None = None,
) -> Extraction:
    """Find every mention of a known site in the documents, and the facts about each.

    ``unlocated`` are names of sites known to exist but not to be locatable: their
    mentions are returned in ``Extraction.unlocated`` so that nothing is silently lost.
    ``places`` are the gazetteer's name keys (see :func:`text_names`); ``links`` are further
    spellings of known sites that discovery linked to them ("Восточно-Аятского", a slip of spelling).
    """
    matcher = Linker(sites, unlocated, places, links)
    names, bearers = name_bearers(sites, places)
    keys = name_keys(sites, places)
    mentions: list[Mention] = []
    unlocated_mentions: list[Mention] = []
    facts: list[Fact] = []
    claims: list[RegionClaim] = []
    for annotated in as_annotated(documents):
        document, focus = annotated.document, None
        link(annotated, matcher, meant_by(annotated, matcher.sites, names, bearers, keys))
        for number, sentence in enumerate(document.sentences):
            hits = annotated.values("site", number)
            for target, _, words in hits:
                mention = Mention(target.lstrip("?"), document.id, document.file, document.item, sentence, words)
                (unlocated_mentions if target.startswith("?") else mentions).append(mention)
            targets = [(target, position) for target, position, _ in hits]
            located = {target for target, _ in targets if not target.startswith("?")}
            if is_heading(sentence):
                focus = None
                continue
            if located:
                focus = next(iter(located)) if len(located) == 1 and len(targets) == 1 else None
                claims += _region_claims(matcher, targets, annotated, number)
            elif focus and not hits and not _BROAD_WORDS.intersection(tokens(sentence)):
                targets = [(focus, (0, 0))]
            else:
                focus = None
                continue
            facts += _sentence_facts(targets, annotated, number, named=bool(hits))
    return Extraction(mentions, facts, claims, unlocated_mentions)
