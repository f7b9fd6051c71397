"""Finding sites the registry does not know, by how articles name them.

"the Koktenkol deposit", "Bakyrchik gold mine", "deposit X", "месторождение Коктенколь":
a capitalised name beside a site word is a candidate site. Candidates that are really
companies, regions, programmes or places abroad are rejected, and mentions of one site in
several spellings ("Upper Kairakty", "Verkhnee Kairakty", "Verkhnekayraktinskoye") are
merged by one key, :func:`merge_key`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from geo.names import DIRECTION_KEYS, NameIndex, merge_key, skeleton, spans, tokens
from geo.regions import normalise_region
from geo.schema import COMMODITY_WORDS
from geo.sources import Document

__all__ = ["Candidate", "Detection", "detect_sites"]

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_WORD = rf"[{_UPPER}][\w’'-]*"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
# Site words in English, with the kind of site each one means.
_NOUNS = {
    "deposit": "deposit",
    "deposits": "deposit",
    "field": "deposit",
    "fields": "deposit",
    "ore field": "deposit",
    "mine": "mine",
    "mines": "mine",
    "open pit": "mine",
    "open-pit mine": "mine",
    "pit": "mine",
    "quarry": "mine",
    "plant": "plant",
    "concentrator": "plant",
    "processing plant": "plant",
    "refinery": "plant",
    "smelter": "smelter",
    "prospect": "prospective_area",
}
_NOUN = "|".join(sorted((re.escape(n) for n in _NOUNS), key=len, reverse=True))
# Lower-case words that may stand between a name and its site word ("Bakyrchik gold mine").
_BETWEEN = r"(?P<between>(?:\s+[a-z]+(?:-[a-z]+)*){0,3}?)"
_DESCRIPTORS = frozenset(
    [
        "ore",
        "ores",
        "open",
        "pit",
        "open-pit",
        "porphyry",
        "polymetallic",
        "stockwork",
        "sediment-hosted",
        "underground",
        "processing",
        "mining",
        "beneficiation",
        "and",
        "rare",
        "earth",
        "rare-earth",
        "metal",
        "metals",
        "element",
        "elements",
        "base",
        "precious",
        "placer",
        "alluvial",
        "vein",
        "quartz-vein",
        "skarn",
        "brown",
        "hard",
        "coking",
        "thermal",
        "mineral",
        "deposit",
    ]
    + [part for word in COMMODITY_WORDS for part in word.replace("-", " ").split()]
)
_NAME_NOUN = re.compile(rf"(?P<name>{_NAME}){_BETWEEN}\s+(?P<noun>{_NOUN})\b")
_NOUN_NAME = re.compile(rf"\b(?P<noun>deposit|mine|field)\s+(?:of\s+)?(?P<name>{_NAME})")
_RU_NOUN_NAME = re.compile(rf"(?P<noun>месторождени[еяюи]|рудник[аеу]?|карьер[аеу]?)\s+[«\"“]?(?P<name>{_NAME})")
_RU_ADJ_NOUN = re.compile(rf"(?P<name>{_WORD}(?:ое|ого|ом|ий|ая))\s+(?P<noun>месторождени[еяюи]|рудник)")
_LIST_ITEM = re.compile(rf"(?P<name>{_NAME})(?:\s*\([^)]*\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|$)")

_RU_NOUNS = {"месторожд": "deposit", "рудник": "mine", "карьер": "mine"}
# Words that never start or make a site's name: articles, descriptions, the country, institutions.
_NOT_NAMES = frozenset(
    tokens(
        "The A An This That These Those Its Their Our Any Each Every Some Several Many Most Other Another New Old "
        "Largest Large Biggest Big Giant Major Main Key Top First Second Third Last Next Local Regional Soviet "
        "Promising Prospective Potential Proven Known Major Rare Earth Earths Metal Metals Mineral Minerals "
        "Kazakhstan Kazakh Kazakhstani Central Asia Asian Republic National State Government Ministry Committee "
        "Agency Service Company Corporation Group Fund Bank Exchange Platform Program Programme Plan Strategy "
        "Code Week Forum Expo Congress Summit Conference Park Zone Council Office Department Institute University "
        "Chinese Russian American German British European Japanese Korean Western Eastern Northern Southern "
        "In At On Of For From With By As To And Or But If When While After Before During Since Until Both "
        "Explainer Roundup Update Analysis Opinion Interview Report Photo Video Few Such Only Also However Ore "
        "Industry Data Work Works Production Exploration Development Construction Operations Mining Processing"
    )
    + [skeleton(word) for word in COMMODITY_WORDS]
)
_ORGANISATION_ENDINGS = frozenset(tokens("LLP JSC LLC AG Ltd Inc PLC GmbH Corporation Group Company Holding"))
_ABROAD = re.compile(
    r"\bin (?:neighbouring |neighboring )?(?:Kyrgyzstan|Uzbekistan|Russia|China|Mongolia|Tajikistan|Turkmenistan|"
    r"Afghanistan|Iran|Azerbaijan|Georgia|Armenia|Chile|Peru|Australia|Canada|Serbia|Ukraine)\b"
)


@dataclass(frozen=True)
class Candidate:
    """One mention of a possible site: its name as written, its kind, and where it was read."""

    name: str
    kind: str
    document: str
    sentence: str
    position: int
    pattern: str

    @property
    def key(self) -> str:
        """The merge key shared by all spellings of the name."""
        return merge_key(self.name)


@dataclass(frozen=True)
class Detection:
    """A site found in text: its best name, every spelling seen, its kind and each mention."""

    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    mentions: tuple[Candidate, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents that mention it, in order."""
        return tuple(dict.fromkeys(m.document for m in self.mentions))


def _clean_name(raw: str) -> str | None:
    """The site name inside a matched phrase, or None when it is no name (a description, a company)."""
    words = raw.split()
    while words and tokens(words[0]) and tokens(words[0])[0] in _NOT_NAMES:
        words = words[1:]
    if not words:
        return None
    keys = tokens(" ".join(words))
    if not keys or all(key in _NOT_NAMES or key in DIRECTION_KEYS for key in keys) or keys[-1] in _ORGANISATION_ENDINGS:
        return None
    name = " ".join(words).strip("’'-")
    if normalise_region(name) or len(name) < 3:
        return None
    return name


def _russian_name(name: str) -> str:
    """The nominative stem of a Russian adjectival name: 'Коктенкольское' → 'Коктенколь'."""
    return re.sub(r"(ское|ского|ском|ский|ская|ое|ого|ом|ий|ая)$", "", name) or name


def _list_names(sentence: str, noun_start: int) -> list[tuple[str, int]]:
    """Names listed before a plural site word: 'the A (copper), B (gold), and C deposits'."""
    head = sentence[:noun_start].rstrip()
    cut = max(head.rfind(" at "), head.rfind(" the "), head.rfind(": "))
    segment_start = cut + 1 if cut >= 0 else 0
    segment = head[segment_start:]
    return [(m["name"], segment_start + m.start("name")) for m in _LIST_ITEM.finditer(segment) if m["name"]]


def _candidates_in(sentence: str, document: str) -> list[Candidate]:
    """Every candidate site mention in one sentence."""
    found: list[Candidate] = []

    def add(raw: str, noun: str, position: int, pattern: str) -> None:
        name = _clean_name(raw)
        if name:
            kind = _NOUNS.get(noun.lower()) or next(
                (k for stem, k in _RU_NOUNS.items() if noun.startswith(stem)), "deposit"
            )
            found.append(Candidate(name, kind, document, sentence, position, pattern))

    for match in _NAME_NOUN.finditer(sentence):
        if not set(match["between"].split()) <= _DESCRIPTORS:
            continue
        if match["noun"].endswith("s") and match["noun"] != "prospect":
            for name, position in _list_names(sentence, match.start("noun")):
                add(name, match["noun"], position, "list")
        else:
            add(match["name"], match["noun"], match.start("name"), "name-noun")
    for match in _NOUN_NAME.finditer(sentence):
        add(match["name"], match["noun"], match.start("name"), "noun-name")
    for match in _RU_NOUN_NAME.finditer(sentence):
        add(match["name"], match["noun"], match.start("name"), "noun-name")
    for match in _RU_ADJ_NOUN.finditer(sentence):
        add(_russian_name(match["name"]), match["noun"], match.start("name"), "name-noun")
    return found


def _abroad(candidate: Candidate) -> bool:
    """Whether the sentence places the candidate in another country ('... mine in Kyrgyzstan')."""
    tail = candidate.sentence[candidate.position : candidate.position + len(candidate.name) + 60]
    return bool(_ABROAD.search(tail))


def _best_name(spellings: list[str]) -> str:
    """The name to show: the most frequent Latin spelling, else the most frequent one."""
    latin = [s for s in spellings if s.isascii()] or spellings
    return max(dict.fromkeys(latin), key=lambda s: (latin.count(s), -len(s)))


def _known_spans(sentence: str, known: NameIndex) -> list[tuple[int, int]]:
    """Character spans of known site names in a sentence."""
    words = spans(sentence)
    return [(words[start][1], words[end - 1][2]) for start, end, _ in known.find([key for key, _, _ in words])]


def detect_sites(documents: list[Document], known: Iterable[str] = ()) -> list[Detection]:
    """Sites named in the documents that are not among ``known`` names, merged across spellings.

    ``known`` holds every name and alias of sites already in the registry (or known to be
    unlocatable), so that their mentions, even inside a longer phrase ("the Qarmet Karagandy
    metallurgical plant"), are not taken for new sites.
    """
    known = list(known)
    known_keys = {merge_key(name) for name in known}
    known_index = NameIndex([(name, "known") for name in known])
    candidates = []
    for document in documents:
        for sentence in document.sentences:
            taken = _known_spans(sentence, known_index)
            for candidate in _candidates_in(sentence, document.id):
                end = candidate.position + len(candidate.name)
                overlaps = any(start < end and candidate.position < stop for start, stop in taken)
                if candidate.key and candidate.key not in known_keys and not overlaps and not _abroad(candidate):
                    candidates.append(candidate)
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.key, []).append(candidate)
    detections = []
    for key, mentions in groups.items():
        kinds = [m.kind for m in mentions]
        spellings = [m.name for m in mentions]
        name = _best_name(spellings)
        aliases = tuple(sorted(set(spellings) - {name}))
        detections.append(Detection(key, name, aliases, max(dict.fromkeys(kinds), key=kinds.count), tuple(mentions)))
    return sorted(detections, key=lambda d: d.key)
