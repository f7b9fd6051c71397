"""Discovery: sites found in text (not in the registry), located from the words around them.

Each detected site gathers the sentences that mention it, and the sentence after each,
from the documents that name it (never from other articles); the place clues in them
(distances and bearings from towns, districts, regions) are combined into one estimate. When
they hold none, the one region its documents name (a region and the one split from it count
as one) places it at region precision. A located site becomes a :class:`~geo.registry.Site` marked
``extracted``, with a confidence; a site with no usable clue is listed as unlocated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from geo.detect import Candidate, Detection, read_sites
from geo.geocode import Gazetteer, Place
from geo.locate import Clue, Estimate, PlaceMention, clues_from, locate, place_mentions
from geo.names import NameIndex, merge_key, skeleton, tokens
from geo.reading import AnnotatedDocument, as_annotated
from geo.regions import LEGACY_REGIONS
from geo.registry import Site
from geo.sources import Document

__all__ = ["Discovery", "discover_sites"]

#: Kinds of clue a known site's point may give: a measured relation ("10 km west of the X ore field"),
#: never 'in' or 'near' (an article's "at the X mine" says which site, not where another is).
_SITE_CLUE_KINDS = frozenset({"bearing", "distance", "direction"})

#: Confidence of an extracted site: a base, plus evidence that it is a real, placed site.
_BASE_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Discovery:
    """What discovery found: located sites (as extracted Sites) and names it could not place."""

    sites: list[Site]
    unlocated: list[Detection]
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: How each located site (by id) was placed: the point, the radius and the clues used.
    estimates: dict[str, Estimate] = field(default_factory=dict)


# A sentence that brings in another site by an indefinite article ("Kazakhstan had a manufacturing plant
# that ...", "an open-pit mine near ...") is about that one, not about the site named before it.
_ANOTHER_SITE = re.compile(
    r"\b(?:a|an|another)\s+(?:[a-z-]+\s+){0,3}(?:deposit|mine|plant|smelter|refinery|concentrator|project|field)\b"
)


def _context(
    detection: Detection, documents: dict[str, AnnotatedDocument], skeletons: dict[str, str], follow: bool = True
) -> list[tuple[AnnotatedDocument, int]]:
    """Each sentence that mentions the site, and (if ``follow``) the sentence after it, with their documents.

    The sentence after is left out when it brings in another site (``_ANOTHER_SITE``): its places are that one's.

    ``skeletons`` holds each sentence's :func:`skeleton`, made once for all detections, so
    that gathering the context of every detection stays linear in the length of the text.
    """
    keys = {skeleton(name) for name in (detection.name, *detection.aliases)}
    mentioned = {m.sentence for m in detection.mentions}
    context: dict[tuple[str, str], tuple[AnnotatedDocument, int]] = {}
    for document in (documents[name] for name in detection.documents):
        sentences = document.sentences
        for number, sentence in enumerate(sentences):
            if sentence in mentioned or any(key in skeletons[sentence] for key in keys):
                for nearby in range(number, min(number + 1 + follow, len(sentences))):
                    if nearby == number or not _ANOTHER_SITE.search(sentences[nearby]):
                        context.setdefault((document.id, sentences[nearby]), (document, nearby))
    return list(context.values())


def _about_others(detection: Detection, document: AnnotatedDocument, number: int) -> bool:
    """Whether a sentence names sites, none of them this one: a region it names is theirs, not the article's."""
    keys = {candidate.key for candidate in document.values("candidate", number)}
    return bool(keys) and detection.key not in keys


def _document_region(detection: Detection, documents: dict[str, AnnotatedDocument]) -> list[Clue]:
    """A region clue from the documents that name the site: the one region they name, if they name one.

    A region named in a sentence about other sites ("X starts work on the Y deposit in Pavlodar
    Region") is left out: it places Y, and says nothing of the article's other sites.
    """
    named = [
        region
        for name in detection.documents
        for number in range(len(documents[name].sentences))
        if not _about_others(detection, documents[name], number)
        for region in documents[name].values("region", number)
    ]
    if not named:
        return []
    old = {successor: region for region, successors in LEGACY_REGIONS.items() for successor in successors}
    distinct = {old.get(region, region) for region in named}
    if len(distinct) > 1:
        return []  # the article names several regions: it does not say which is the site's
    region = max(dict.fromkeys(named), key=named.count)
    return [Clue("region", None, None, None, None, region, f"the article names {region}")]


#: Kinds of site that take their town's name ("the Ust-Kamenogorsk titanium-magnesium plant"), and how
#: far (km) from the town such a plant may stand. Deposits are named after villages, rivers and deserts
#: with no such promise (the Moinkum deposits are not at Moiynkum), so they are not placed this way.
_TOWN_NAMED_KINDS = frozenset({"plant", "smelter", "refinery"})
_TOWN_PLANT_KM = 30.0


def _town_in_name(detection: Detection, gazetteer: Gazetteer) -> list[Clue]:
    """A 'near' clue at the town a plant's name holds, when it holds exactly one town."""
    if detection.kind not in _TOWN_NAMED_KINDS:
        return []
    towns = {
        town
        for name in (detection.name, *detection.aliases)
        for mention in place_mentions(name, gazetteer)
        if (town := _one_town(mention.places))
    }
    if len(towns) != 1:
        return []
    (town,) = towns
    return [Clue("near", town, None, _TOWN_PLANT_KM, None, town.region, f"named after {town.name}")]


def _one_named_town(detection: Detection, gazetteer: Gazetteer) -> Place | None:
    """The one town a site's name (or an alias) is also the name of, if it names exactly one."""
    towns = {
        town
        for name in (detection.name, *detection.aliases)
        for mention in place_mentions(name, gazetteer)
        if (town := _one_town(mention.places))
    }
    return next(iter(towns)) if len(towns) == 1 else None


def _one_town(places: Sequence[Place]) -> Place | None:
    """The town a name means when it means one town, or one city and the region it is (Shymkent, Almaty, Astana)."""
    towns = [place for place in places if place.kind == "town"]
    if len(towns) != 1 or any(place.kind != "town" and place.name != towns[0].name for place in places):
        return None
    return towns[0]


#: How far (km) a site may lie from coordinates the text gives once for several sites (an ore field's centre).
_SHARED_POINT_KM = 10.0


#: What may stand between two names of one list: "A, B and C", "(«A» и «B»)", "A, B және C".
_LIST_GAP = re.compile(r"[\s,;\"'«»“”()]*(?:(?:and|&|и|или|және|or)[\s\"'«»“”()]*)?", re.IGNORECASE)


def _same_list(candidates: list[Candidate], mention: Candidate) -> list[Candidate]:
    """The names of the list ``mention`` is in: the run of listed names around it with only separators between."""
    listed = sorted((c for c in candidates if c.pattern == "list"), key=lambda c: c.position)
    runs: list[list[Candidate]] = []
    for candidate in listed:
        if runs:
            previous = runs[-1][-1]
            gap = mention.sentence[previous.position + len(previous.text or previous.name) : candidate.position]
            if _LIST_GAP.fullmatch(gap):
                runs[-1].append(candidate)
                continue
        runs.append([candidate])
    return next((run for run in runs if any(c.position == mention.position for c in run)), [mention])


def _list_region(
    detection: Detection,
    documents: dict[str, AnnotatedDocument],
    names: NameIndex,
    regions: Mapping[str, str],
    allowed: Callable[[Document, str], bool] | None,
    town_region: str | None = None,
) -> list[Clue]:
    """A region clue from the sites listed with this one ('six deposits: A, B, C and D'), when they agree.

    At least two of the others in the list must be placed, all in one region (a region and the one
    split from it count as one), and the article may name no other region (but for one it names
    in a sentence about other sites, see :func:`_about_others`). One placed other is enough when it
    is the list's only other name ("two shafts, Molodezhnaya and Central'naya"), or when the name
    is also that of one town (``town_region``) in the same region: "three mines: Аятский, Белинский
    and Краснооктябрьский" beside the town Ayatskiy, both in Kostanay Region.
    """
    found: set[str] = set()  # the placed sites the lists name (not others the sentence names)
    mates: set[str] = set()  # those of a list of two
    for mention in detection.mentions:
        if mention.pattern != "list":
            continue
        document = documents[mention.document]
        listed = [c for c in _same_list(document.values("candidate", mention.index), mention) if c.key != detection.key]
        targets = {
            target
            for candidate in listed
            for words in {candidate.name, candidate.text or candidate.name}
            for _, _, target in names.find(tokens(words))
            if target in regions
            and (allowed is None or target.startswith("new:") or allowed(document.document, target))
        }
        found |= targets
        if len({candidate.key for candidate in listed}) == 1:
            mates |= targets
    found.discard(f"new:{_slug(detection.key)}")
    old = {successor: region for region, successors in LEGACY_REGIONS.items() for successor in successors}
    placed = {old.get(regions[target], regions[target]) for target in found}
    named = {
        old.get(region, region)
        for name in detection.documents
        for number in range(len(documents[name].sentences))
        if not _about_others(detection, documents[name], number)
        for region in documents[name].values("region", number)
    }
    town = old.get(town_region, town_region) if town_region else None
    by_pair = len(found) == 1 and found <= mates
    by_town = len(found) == 1 and not by_pair and placed == {town}
    if not (len(found) >= 2 or by_pair or by_town) or len(placed) != 1 or not named <= placed:
        return []
    region = max((regions[target] for target in found), key=[regions[t] for t in found].count)
    listed = "listed with the other of a pair" if by_pair else f"listed with {len(found)} sites"
    also = ", as is the town its name is" if by_town else ""
    return [Clue("region", None, None, None, None, region, f"{listed} in {region}{also}")]


def _as_place(site: Site) -> Place:
    """A known located site as a place that distances may be measured from, with its point's uncertainty."""
    return Place(site.name, "town", site.lat, site.lon, site.region, site.uncertainty_km, site.location_source)


def _site_clues(document: AnnotatedDocument, number: int, anchors: Mapping[str, Site], hint: str | None) -> list[Clue]:
    """Clues measured from the known sites a sentence names: "Taskura is 10 km west of the Zhaman-Aybat ore field".

    A site name that is also a gazetteer place is left to the gazetteer's reading.
    """
    places = document.spans("place", number)
    mentions = [
        PlaceMention(span.start, span.end, skeleton(anchors[span.label].name), (_as_place(anchors[span.label]),))
        for span in document.spans("site", number)
        if span.label in anchors and not any(place.start < span.end and span.start < place.end for place in places)
    ]
    if not mentions:
        return []
    found = clues_from(document.sentences[number], sorted(mentions, key=lambda m: m.start), hint)
    return [clue for clue in found if clue.kind in _SITE_CLUE_KINDS]


def _region_hint(context: list[tuple[AnnotatedDocument, int]]) -> str | None:
    """The region the context names most often ("in Karaganda Region"), the first named on a tie, if any."""
    named = [region for document, number in context for region in document.values("region", number)]
    return max(dict.fromkeys(named), key=named.count) if named else None


def _mentioned(detection: Detection, documents: dict[str, AnnotatedDocument]) -> list[tuple[AnnotatedDocument, int]]:
    """Each sentence that mentions the site, once (the first of several equal sentences), with its document."""
    first: dict[str, tuple[AnnotatedDocument, int]] = {}
    for mention in detection.mentions:
        first.setdefault(mention.sentence, (documents[mention.document], mention.index))
    return list(first.values())


def _commodities(mentioned: list[tuple[AnnotatedDocument, int]]) -> tuple[str, ...]:
    """Commodity symbols named in the sentences that mention the site, in order of first mention."""
    found = (symbol for document, number in mentioned for symbol in document.spans("commodity", number))
    return tuple(dict.fromkeys(span.label for span in found))


def _confidence(detection: Detection, precision: str, commodities: tuple[str, ...]) -> float:
    """How sure we are this is a real site, well placed: more documents, commodities and a close fix add to it."""
    score = _BASE_CONFIDENCE + 0.1 * min(len(detection.documents) - 1, 2)
    score += 0.15 if commodities else 0.0
    score += 0.1 if precision == "approximate" else 0.0
    return round(min(score, 0.95), 2)


def _slug(key: str) -> str:
    """A registry-style id for an extracted site: 'x-' and its merge key."""
    return "x-" + "-".join(key.split())


def _site(
    detection: Detection, clues: list[Clue], mentioned: list[tuple[AnnotatedDocument, int]]
) -> tuple[Site, Estimate] | None:
    """The extracted Site for a detection and its estimate: from coordinates in a sentence naming it, else its clues."""
    written = [
        (estimate, len({candidate.key for candidate in document.values("candidate", number)}))
        for document, number in mentioned
        for estimate in document.values("coordinates", number)
    ]
    if len(written) == 1:
        estimate, sharing = written[0]
        if sharing > 1:  # "the A, B and C mines (centred on ...)": the point is the group's, each lies near it
            estimate = replace(estimate, radius_km=max(estimate.radius_km, _SHARED_POINT_KM))
    else:
        estimate = locate(clues)
    if estimate is None or estimate.region is None:
        return None
    commodities = _commodities(mentioned)
    used = "; ".join(clue.text for clue in estimate.clues)
    document = detection.mentions[0].document
    site = Site(
        id=_slug(detection.key),
        name=detection.name,
        aliases=detection.aliases,
        kind=detection.kind,
        commodities=commodities,
        region=estimate.region,
        lat=round(estimate.lat, 6),
        lon=round(estimate.lon, 6),
        precision=estimate.precision,
        uncertainty_km=round(estimate.radius_km, 1),
        location_source=f"{document}: {detection.mentions[0].sentence}",
        location_note=f"located from the text ({used})",
        info_source="; ".join(detection.documents),
        origin="extracted",
        confidence=_confidence(detection, estimate.precision, commodities),
    )
    return site, estimate


def discover_sites(
    documents: list[Document] | list[AnnotatedDocument],
    known: Iterable[str] | Mapping[str, str],
    gazetteer: Gazetteer,
    unplaced: Iterable[str] = (),
    allowed: Callable[[Document, str], bool] | None = None,
    beside_site_word: Mapping[str, str] | None = None,
    site_regions: Mapping[str, str] | None = None,
    anchors: Mapping[str, Site] | None = None,
) -> Discovery:
    """Link what the documents name to the ``known`` names (name → site id) first; detect and locate the rest.

    ``unplaced`` names sites the registry knows but cannot place: they are located only from a
    clue in a sentence that names them (not from the next one, nor from the article's region),
    since a person has already looked for their location and found none. ``beside_site_word``
    holds known names that are also places, linked only beside a site word (see :func:`read_sites`).
    ``site_regions`` (known site id → region) lets a site with no clue of its own take the region
    of the sites listed with it, when they agree (:func:`_list_region`). ``anchors`` (known located
    sites by id) may be measured from: "10 km west of the Zhaman-Aybat ore field" (:func:`_site_clues`).
    """
    unplaced_keys = {merge_key(name) for name in unplaced}
    documents = as_annotated(documents, gazetteer)
    by_id = {document.id: document for document in documents}
    skeletons = {sentence: skeleton(sentence) for document in documents for sentence in document.sentences}
    located: list[Site] = []
    estimates: dict[str, Estimate] = {}
    unlocated: list[Detection] = []
    reading = read_sites(documents, known, allowed, beside_site_word)
    for detection in reading.detections:
        curated = detection.key in unplaced_keys
        context = _context(detection, by_id, skeletons, follow=not curated)
        hint = _region_hint(context)
        clues = [
            clue
            for document, number in context
            for clue in clues_from(document.sentences[number], document.values("place", number), hint)
            + (_site_clues(document, number, anchors, hint) if anchors else [])
        ]
        if not clues and not curated:
            clues = _town_in_name(detection, gazetteer) or _document_region(detection, by_id)
        placed = _site(detection, clues, _mentioned(detection, by_id))
        if placed:
            located.append(placed[0])
            estimates[placed[0].id] = placed[1]
        else:
            unlocated.append(detection)
    if site_regions:
        placed_keys = {site.id: site.region for site in located}
        regions = dict(site_regions) | {f"new:{key}": region for key, region in placed_keys.items()}
        names = NameIndex(
            [(name, site_id) for name, site_id in dict(known).items() if site_id]
            + [(name, site_id) for site_id, spellings in reading.links.items() for name in spellings]
            + [(name, f"new:{site.id}") for site in located for name in site.names]
        )
        still: list[Detection] = []
        for detection in unlocated:
            clues = []
            if detection.key not in unplaced_keys:
                town = _one_named_town(detection, gazetteer)
                clues = _list_region(detection, by_id, names, regions, allowed, town.region if town else None)
            placed = _site(detection, clues, _mentioned(detection, by_id)) if clues else None
            if placed:
                located.append(placed[0])
                estimates[placed[0].id] = placed[1]
            else:
                still.append(detection)
        unlocated = still
    return Discovery(located, unlocated, reading.links, estimates)
