"""Extraction: which sites each article mentions, and the facts it states about them.

A site is mentioned by one of its names or aliases in any spelling or script, or by a
description from the registry ("tungsten+plant+Almaty": all words in one sentence).
A sentence that names no site but follows one about a single site in the same article
("These were initially estimated to contain 935,400 tons") is about that site, until a
heading or a sentence about the country at large breaks the thread. Every fact keeps its
document, its sentence and the document's date; conflicting figures are all kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass

from geo.figures import Figure
from geo.names import NameIndex, skeleton, spans, tokens
from geo.reading import AnnotatedDocument, as_annotated, commodities_in
from geo.regions import normalise_region, with_legacy
from geo.registry import Site, UnlocatedSite
from geo.sources import Document, is_heading

__all__ = [
    "Extraction",
    "Fact",
    "Mention",
    "RegionClaim",
    "allowed_in_regions",
    "commodities_in",
    "company_keys",
    "extract",
    "text_names",
]

# Words that turn a sentence from one site to the country, the sector or the world at large.
_BROAD_WORDS = frozenset(
    tokens("Kazakhstan Kazakhstani country nationwide national government sector industry global world worldwide")
)
# Company names by their legal form, before ("LLP Tsentrgeolszemnadzor") or after ("HMS Bergbau AG").
_NAME = r"[A-Z][\w&’'.-]*(?:[ -][A-Z][\w&’'.-]*){0,3}"
_COMPANY = re.compile(
    rf"\b(?:LLP|JSC|RSE|LLC|TOO)\s+[«\"“]?(?P<after>{_NAME})"
    rf"|[«\"“]?(?P<before>{_NAME})[»\"”]?\s+(?P<form>LLP|JSC|LLC|AG|Ltd|Inc|PLC|GmbH|Corporation)\b"
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


class _Matcher:
    """Finds sites (by name or description) and companies in sentences."""

    def __init__(
        self,
        sites: list[Site],
        unlocated: Iterable[str],
        places: frozenset[str] = frozenset(),
        links: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        links = links or {}
        self.sites = {site.id: site for site in sites}
        companies = company_keys(sites)
        names = [(name, site.id) for site in sites for name in text_names(site, places, companies)]
        names += [(name, site_id) for site_id, more in links.items() for name in more if site_id in self.sites]
        names += [(name, f"?{name}") for name in unlocated]
        self.names = NameIndex(names)
        self.namesakes: dict[tuple[str, ...], list[str]] = {}
        for name, target in names:
            self.namesakes.setdefault(tuple(tokens(name)), []).append(target)
        self.descriptions = [
            (site.id, [tuple(tokens(word)) for word in description.split("+")])
            for site in sites
            for description in site.descriptions
        ]
        operators = {_operator_name(part) for site in sites for part in re.split(r"[()\[\];]", site.operator)}
        self.operators = NameIndex([(name, name) for name in sorted(operators - {""})])

    def sites_in(
        self, sentence: str, allowed: Callable[[str], bool] | None = None
    ) -> list[tuple[str, tuple[int, int], str]]:
        """(site id or '?name', character span, matched words) of each site named or described.

        ``allowed`` tells whether a site may be meant here; a name of one that may not is
        taken for a namesake that may, or for no known site at all.
        """
        words = spans(sentence)
        keys = [key for key, _, _ in words]
        found = []
        for start, end, target in self.names.find(keys):
            span = (words[start][1], words[end - 1][2])
            if allowed is not None and not allowed(target):
                target = next((other for other in self.namesakes[tuple(keys[start:end])] if allowed(other)), "")
            if target and not _glued(sentence, span):
                found.append((target, span, sentence[span[0] : span[1]]))
        named = {target for target, _, _ in found}
        for site_id, parts in self.descriptions:
            if site_id not in named and all(_position(keys, part) is not None for part in parts):
                first = min(_position(keys, part) for part in parts)
                found.append((site_id, (words[first][1], words[first][2]), " + ".join(" ".join(p) for p in parts)))
                named.add(site_id)
        return sorted(found, key=lambda hit: hit[1])

    def companies_in(self, sentence: str) -> list[tuple[str, int, int]]:
        """(company name, start, end) of companies named by legal form or as a known operator."""
        found: dict[str, tuple[int, int]] = {}
        for match in _COMPANY.finditer(sentence):
            name = (match["after"] or f"{match['before']} {match['form']}").rstrip(".,;:’'")
            found.setdefault(name, (match.start(), match.end()))
        words = spans(sentence)
        for start, end, name in self.operators.find([key for key, _, _ in words]):
            if not any(skeleton(name) in skeleton(other) or skeleton(other) in skeleton(name) for other in found):
                found[name] = (words[start][1], words[end - 1][2])
        return sorted(((name, start, end) for name, (start, end) in found.items()), key=lambda hit: hit[1])


def _glued(sentence: str, span: tuple[int, int]) -> bool:
    """Whether a matched name is only part of a hyphenated word: 'Jomart' of 'Kassym-Jomart'."""
    before = sentence[max(0, span[0] - 2) : span[0]]
    after = sentence[span[1] : span[1] + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalnum()) or (
        len(after) == 2 and after[0] == "-" and after[1].isalnum()
    )


def _operator_name(part: str) -> str:
    """An operator cell's part as a company name: 'ERG' yes, a remark such as 'state-owned' no."""
    part = part.strip(" ,;")
    return part if part[:1].isupper() else ""


def _position(keys: list[str], part: tuple[str, ...]) -> int | None:
    """Index where a word sequence first occurs in ``keys``, or None."""
    for index in range(len(keys) - len(part) + 1):
        if tuple(keys[index : index + len(part)]) == part:
            return index
    return None


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
    matcher: _Matcher,
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
    companies = matcher.companies_in(sentence)
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
    matcher: _Matcher, targets: list[tuple[str, tuple[int, int]]], annotated: AnnotatedDocument, number: int
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


def _allowed_in(document: AnnotatedDocument, sites: Mapping[str, Site]) -> Callable[[str], bool]:
    """Which sites a document may mean, by the regions it names (see :func:`allowed_in_regions`)."""
    regions = with_legacy(document.values("region"))
    return lambda target: target not in sites or allowed_in_regions(sites[target], regions)


def text_names(
    site: Site | UnlocatedSite, places: frozenset[str], companies: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The names by which articles may mention a site: a dataset's name that is also a place is not one.

    An ICMM record named "Karaganda" is a coal mine, but in an article "Karaganda" is the city or
    the region; curated sites keep every name (a person chose them). ``places`` holds the
    :func:`~geo.names.skeleton` keys of every gazetteer name; ``companies`` those of the operators,
    so that an open dataset's alias that is its owner's name is no name of the site.
    """
    if site.origin != "open_data":
        return site.names
    return tuple(
        name
        for number, name in enumerate(site.names)
        if skeleton(name) not in places
        and not normalise_region(name)
        and not (number and skeleton(name) in companies)  # an alias that is the owner's name: "Kazzinc"
    )


def company_keys(sites: Iterable[Site | UnlocatedSite]) -> frozenset[str]:
    """The :func:`~geo.names.skeleton` keys of every operator the sites name ('Kazzinc', 'ERG')."""
    return frozenset(
        skeleton(name)
        for site in sites
        for part in re.split(r"[()\[\];,]", site.operator)
        if (name := _operator_name(part))
    )


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
    matcher = _Matcher(sites, unlocated, places, links)
    mentions: list[Mention] = []
    unlocated_mentions: list[Mention] = []
    facts: list[Fact] = []
    claims: list[RegionClaim] = []
    for annotated in as_annotated(documents):
        document, focus = annotated.document, None
        allowed = _allowed_in(annotated, matcher.sites)
        for number, sentence in enumerate(document.sentences):
            hits = matcher.sites_in(sentence, allowed)
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
            facts += _sentence_facts(matcher, targets, annotated, number, named=bool(hits))
    return Extraction(mentions, facts, claims, unlocated_mentions)
