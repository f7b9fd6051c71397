"""Locating sites from words: distances, bearings and place names read from text, combined into one point.

Articles place sites in words ("50 km north-east of Agadyr", "between Balkhash and Karkaraly",
"in the Shet district of Karaganda region"). :func:`find_clues` reads each such phrase as a
:class:`Clue`, resolving names through the gazetteer in any spelling; :func:`locate` scores a grid of
candidate points against every consistent clue and returns the most likely point with a radius that
covers 90 % of the plausible area, never outside the region the text names.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np
import shapely
from pyproj import Geod

from geo.figures import parse_number
from geo.geocode import Gazetteer, Place
from geo.names import NameIndex, fold, skeleton, spans
from geo.regions import (
    DISTRICT_KEYS,
    DISTRICT_WORDS,
    LEGACY_REGIONS,
    REGION_KEYS,
    REGION_WORDS,
    former_extent,
    load_regions,
    normalise_region,
    region_at,
)
from geo.schema import KAZAKHSTAN_BOUNDS, PRECISIONS

__all__ = [
    "LEGACY_REGIONS",
    "Clue",
    "Estimate",
    "PlaceMention",
    "clues_from",
    "coordinates_in",
    "find_clues",
    "locate",
    "place_mentions",
]

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Clue:
    """One constraint on a site's position, read from text.

    ``bearing_deg`` is always the bearing from ``place`` to the site (0 = north, clockwise), so
    "Karagandy lies 130 km to the north" gives 180. For 'near' clues ``distance_km`` is the
    radius the words imply ("on the outskirts of" 10 km, "near" 25 km, "within 30 km of" 30 km).
    """

    kind: str
    place: Place | None
    other: Place | None
    distance_km: float | None
    bearing_deg: float | None
    region: str | None
    text: str
    #: Where ``text`` starts in its sentence (-1 when the clue was not read from a sentence).
    start: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Estimate:
    """The best point for a site, the radius that honestly covers the doubt, and the clues used."""

    lat: float
    lon: float
    radius_km: float
    precision: str
    region: str | None
    clues: tuple[Clue, ...]


# --- Coordinates written in the text ---------------------------------------------------------------

_ANGLE = (
    r"(?P<{0}d>\d{{1,3}}(?:[.,]\d+)?)\s*°\s*(?:(?P<{0}m>\d{{1,2}}(?:[.,]\d+)?)\s*['′’]\s*)?"
    r"(?:(?P<{0}s>\d{{1,2}}(?:[.,]\d+)?)\s*[\"″”]\s*)?"
)
_COORDINATES = re.compile(
    _ANGLE.format("a") + r"(?P<ah>[NS])\s*,?\s*" + _ANGLE.format("o") + r"(?P<oh>[EW])",
)
#: The radius of a point given in degrees, minutes and seconds (the feature it is "centred on" has a size).
_COORDINATE_RADIUS_KM = 2.0


def _degrees(match: re.Match[str], prefix: str) -> float:
    """An angle of a coordinate match in decimal degrees."""
    parts = (match[f"{prefix}{unit}"] for unit in "dms")
    value = sum(float(part.replace(",", ".")) / 60**number for number, part in enumerate(parts) if part)
    return -value if match[f"{prefix}h"] in "SW" else value


def coordinates_in(sentence: str) -> list[Estimate]:
    r"""Points written as coordinates ("centred on 47° 51' 7"N, 67° 27' 22"E"), each as an estimate.

    Only points inside Kazakhstan's bounds count; the radius is that of a small feature.

    >>> [(e.lat, e.lon) for e in coordinates_in('The mine (47° 51\' 7"N, 67° 27\' 22"E) is old.')]
    [(47.851944, 67.456111)]
    """
    west, south, east, north = KAZAKHSTAN_BOUNDS
    found = []
    for match in _COORDINATES.finditer(sentence):
        lat, lon = _degrees(match, "a"), _degrees(match, "o")
        if south <= lat <= north and west <= lon <= east:
            clue = Clue("coordinates", None, None, None, None, region_at(lon, lat), match.group(0), match.start())
            found.append(
                Estimate(round(lat, 6), round(lon, 6), _COORDINATE_RADIUS_KM, "approximate", clue.region, (clue,))
            )
    return [estimate for estimate in found if estimate.region]


# --- Names in a sentence -------------------------------------------------------------------------

# The Latin spellings, which a place's name is also written with ("Karaganda oblysy").
_REGION_WORDS = tuple(word for word in REGION_WORDS if word.isascii())
_DISTRICT_WORDS = tuple(word for word in DISTRICT_WORDS if word.isascii())

#: Gazetteer aliases that are ordinary words in articles, not places.
_JUNK_NAMES = frozenset(
    skeleton(name)
    for name in (
        "Kazakh", "Kazakhstan", "Sovkhoz Kazakhstan", "Lenin", "Bayer", "Timer", "Aral Sea", "Aral'skoye More",
        "Aral'skoe More", "Jibek joly", "Druzhba", "Imeni Pervaya Maya", "Pervoye Maya",
    )
)  # fmt: skip

#: Words after a name that make it part of another name (a river, a deposit, a company), not a place.
_NOT_PLACE_AFTER = re.compile(
    r"^[\s-]*(?:river|lake|sea|reservoir|mountains?|range|ridge|hills|massif|deposits?|mines?|field|ore\s+field|"
    r"project|plant|smelter|refinery|concentrator|combine|company|llp|jsc|group|corporation|holding|"
    r"prospect|occurrence|license|licence|block|cluster|gok|mining|copper|gold|uranium|coal|tungsten|"
    r"рек[аиеу]|озер[оау]|месторождени[еяю]|рудник[аеу]?)\b",
    re.IGNORECASE,
)
_NOT_PLACE_BEFORE = re.compile(r"(?:\blake|\briver|\bmount|\bmt\.?|озер[оау]|рек[аиеу])\s*$", re.IGNORECASE)

# Russian case endings (in spelling keys) and the nominative endings a stem may take instead.
_CASE_ENDINGS = ("ami", "akh", "ogo", "omu", "om", "em", "oi", "ei", "ia", "iu", "a", "u", "e", "i", "o")
_NOMINATIVE_ENDINGS = ("", "a", "ia", "i", "e", "o")
_ADJECTIVE_REGION = re.compile(r"sk(?:aia|oi|uiu|ai)$")
_ADJECTIVE_DISTRICT = re.compile(r"sk(?:ii|ogo|omu|om|im|oi)$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class _Matcher:
    """Every usable gazetteer name as token keys, with the places each key names."""

    index: NameIndex
    places: dict[str, tuple[Place, ...]]
    known: frozenset[str]


@dataclass(frozen=True)
class PlaceMention:
    """A place name found in a sentence: its character span, its key and its candidate places."""

    start: int
    end: int
    key: str
    places: tuple[Place, ...]


def _usable(name: str) -> bool:
    """Whether a gazetteer name is worth matching in prose: a capitalised Latin or Cyrillic name, not a code."""
    letters = [char for char in name if char.isalpha()]
    if len(letters) < 3 or any(char.isdigit() for char in name) or not name[:1].isupper():
        return False
    if name.isupper() and len(letters) <= 4:
        return False
    return fold(name).isascii() and skeleton(name) not in _JUNK_NAMES


def _variants(name: str, place: Place) -> list[str]:
    """A region's or district's name with each word for 'region' or 'district' ('Karaganda oblysy')."""
    words = _REGION_WORDS if place.kind == "region" else _DISTRICT_WORDS if place.kind == "district" else ()
    head, _, last = name.rpartition(" ")
    if head and skeleton(last) in {skeleton(word) for word in words}:
        return [name, *(f"{head} {word}" for word in words)]
    return [name]


_KIND_ORDER = {"town": 0, "district": 1, "region": 2}


@lru_cache(maxsize=4)
def _matcher(gazetteer: Gazetteer) -> _Matcher:
    """The name matcher of a gazetteer, built once."""
    by_key: dict[str, list[Place]] = {}
    names: list[tuple[str, str]] = []
    for name, place in gazetteer.names():
        if not _usable(name):
            continue
        for variant in _variants(name, place):
            key = skeleton(variant)
            if place not in by_key.setdefault(key, []):
                by_key[key].append(place)
                names.append((variant, key))
    places = {
        key: tuple(sorted(found, key=lambda p: (_KIND_ORDER.get(p.kind, 9), -p.population, p.name)))
        for key, found in by_key.items()
    }
    known = frozenset(token for key in places for token in key.split())
    return _Matcher(NameIndex(names), places, known)


def _nominative(key: str, known: frozenset[str]) -> str:
    """A Russian inflected name's key in a form the gazetteer knows ('agadiria' → 'agadir'), else as it was."""
    for ending in _CASE_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= 3:
            stem = key[: len(key) - len(ending)]
            for nominative in _NOMINATIVE_ENDINGS:
                if stem + nominative in known:
                    return stem + nominative
    return key


def _sentence_keys(sentence: str, words: list[tuple[str, int, int]], known: frozenset[str]) -> list[str]:
    """The spelling keys of a sentence's words, with Russian cases folded to the forms names are written in."""
    keys = [key for key, _, _ in words]
    out = []
    for number, (key, start, end) in enumerate(words):
        text = sentence[start:end]
        following = keys[number + 1] if number + 1 < len(keys) else ""
        if _CYRILLIC.search(text):
            if key.startswith("oblast"):
                key = "oblast"
            elif key.startswith("raion"):
                key = "raion"
            elif key.startswith("oblis"):
                key = "oblisi"
            elif key.startswith("audan"):
                key = "audani"
            elif following.startswith("oblast") and _ADJECTIVE_REGION.search(key):
                key = _ADJECTIVE_REGION.sub("skaia", key)
            elif following.startswith("raion") and _ADJECTIVE_DISTRICT.search(key):
                key = _ADJECTIVE_DISTRICT.sub("skii", key)
            elif text[:1].isupper() and key not in known and len(key) >= 4:
                key = _nominative(key, known)
        out.append(key)
    return out


def _mentions(sentence: str, matcher: _Matcher) -> list[PlaceMention]:
    """Capitalised place names in a sentence, longest first, skipping names of rivers, lakes and deposits."""
    words = spans(sentence)
    keys = _sentence_keys(sentence, words, matcher.known)
    found = []
    for first, last, key in matcher.index.find(keys):
        start, end = words[first][1], words[last - 1][2]
        if not sentence[start].isupper():
            continue
        # Only the words next to the name count: a bounded window keeps this linear in the sentence's length.
        after, before = sentence[end : end + _WINDOW], sentence[max(0, start - _WINDOW) : start]
        if _NOT_PLACE_AFTER.match(after) or _NOT_PLACE_BEFORE.search(before):
            continue
        found.append(PlaceMention(start, end, key, matcher.places[key]))
    return found


def _is_bare(mention: PlaceMention) -> bool:
    """Whether a district or region is named by one word without 'district'/'region' ('Shet', 'Abai')."""
    words = mention.key.split()
    return len(words) == 1 and words[-1] not in REGION_KEYS | DISTRICT_KEYS


def _choose(places: Sequence[Place], preferred: Sequence[str]) -> Place:
    """The place a name means: a region over a small namesake village, else one in a preferred region."""
    ordered = list(places)
    regions = [p for p in ordered if p.kind == "region"]
    if regions and ordered[0].kind == "town" and ordered[0].population < 50_000:
        ordered = regions + [p for p in ordered if p.kind != "region"]
    for region in preferred:
        inside = [p for p in ordered if p.region == region]
        if inside:
            return inside[0]
    return ordered[0]


# --- Phrases around a name ------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_NUMBER = r"\d+(?:[.,]\d+)?|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b"
_QUALIFIER = (
    r"(?P<qual>(?:about|some|roughly|around|approximately|approx\.|nearly|almost|circa|just|only|over|"
    r"more\s+than|less\s+than|under|up\s+to|within|at\s+least|около|примерно|почти|более|менее|свыше|порядка)\s+|~\s*)?"
)
_DIST = (
    _QUALIFIER + rf"(?P<num>{_NUMBER})(?:\s*(?:-|–|—|to|or|до)\s*(?P<num2>{_NUMBER}))?\s*-?\s*"
    r"(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|км|километр[а-я]*)(?![\w²])"
)
_DIR_WORD = r"(?:north|south|east|west)(?:[- ]?(?:north|south|east|west)){0,2}(?:ern|erly|wards?)?"
_DIR = rf"(?P<dir>\b(?:{_DIR_WORD}|(?-i:[NSEW]{{1,3}}))\b)"
_TOWARD = r"(?:(?:(?:to|towards)\s+the|in\s+(?:the|an?))\s+)?"
_ASIDE = r"(?:\s+(?:direction|side))?"
_RU_DIR = r"(?:северо-|юго-)?(?:север|восто|юг|запад)[а-яё]*"
_FILLER = (
    r"(?:(?:the|a)\s+)?(?:(?:(?:former|small|mining|industrial|regional|district|railway|rail|nearby|nearest)\s+)?"
    r"(?:town|city|village|settlement|station|township|aul|hamlet|locality|cent(?:re|er))(?:\s+of\s+|\s*,\s*|\s+))?"
)
_FILLER_RU = r"(?:(?:города|городе|город|г\.|поселка|посёлка|поселке|посёлке|пос\.|п\.|села|селе|с\.|станции|ст\.)\s*)?"
_VERB = r"(?:there\s+(?:is|are|lies|stands)|is\s+located|is\s+situated|lies|is|are|stands|sits)"


def _prefix(pattern: str) -> re.Pattern[str]:
    """A phrase that must end right before a place name."""
    return re.compile(rf"(?:{pattern})$", re.IGNORECASE)


_BEARING = (
    _prefix(rf"{_DIST}\s+(?:away\s+)?{_TOWARD}{_DIR}{_ASIDE}\s+(?:of|from)\s+{_FILLER}"),
    _prefix(rf"{_DIST}\s+(?:к|на)\s+(?P<rdir>{_RU_DIR})\s+от\s+{_FILLER_RU}"),
    _prefix(rf"{_DIST}\s+(?P<rdir>{_RU_DIR}нее)\s+{_FILLER_RU}"),
)
_INVERTED = _prefix(rf"{_DIST}\s+(?:away\s+)?{_TOWARD}{_DIR}{_ASIDE}\s*,?\s+{_VERB}\s+{_FILLER}")
_DISTANCE = (
    _prefix(rf"{_DIST}\s+(?:away\s+)?(?:from|of|off|outside(?:\s+of)?)\s+{_FILLER}"),
    _prefix(rf"{_DIST}\s+away\s*,?\s+{_VERB}\s+{_FILLER}"),
    _prefix(rf"{_DIST}\s+от\s+{_FILLER_RU}"),
)
_DIRECTION = (
    _prefix(rf"(?:\b(?:to|towards|in)\s+the\s+|\bjust\s+|\bdue\s+)?{_DIR}\s+(?:of|from)\s+{_FILLER}"),
    _prefix(rf"(?:к|на)\s+(?P<rdir>{_RU_DIR})\s+от\s+{_FILLER_RU}"),
    _prefix(rf"(?P<rdir>{_RU_DIR}нее)\s+{_FILLER_RU}"),
)
_PART = (
    _prefix(rf"\bin\s+the\s+{_DIR}(?:\s+part)?\s+of\s+(?:the\s+)?"),
    _prefix(rf"{_DIR}\s+(?:part\s+of\s+)?(?:the\s+)?"),
    _prefix(rf"(?:на|в)\s+(?P<rdir>{_RU_DIR})(?:\s+части)?\s+"),
)
_NEAR_SCALES = (
    (r"on\s+the\s+outskirts|outskirts|just\s+outside|on\s+the\s+edge|в\s+пригороде|на\s+окраине", 10.0),
    (r"outside", 20.0),
    (r"not\s+far|a\s+short\s+distance|недалеко|неподал[её]ку|in\s+the\s+region|под", 30.0),
    (r"in\s+the\s+(?:general\s+)?area|в\s+районе", 25.0),
)
_NEAR = (
    _prefix(
        r"\b(?P<near>on\s+the\s+outskirts\s+of|outskirts\s+of|just\s+outside(?:\s+of)?|on\s+the\s+edge\s+of|"
        r"outside(?:\s+of)?|near(?:by)?|close\s+to|next\s+to|adjacent\s+to|around|not\s+far\s+(?:away\s+)?from|"
        r"in\s+the\s+(?:immediate\s+|general\s+)?(?:vicinity|environs|neighbou?rhood|surroundings|area)\s+of|"
        r"a\s+short\s+distance\s+from|in\s+the\s+region\s+of)\s+" + _FILLER
    ),
    _prefix(
        r"(?<!\w)(?P<near>вблизи|близ|возле|около|рядом\s+с|неподал[её]ку\s+от|недалеко\s+от|в\s+окрестностях|"
        r"в\s+районе|в\s+пригороде|на\s+окраине|под)\s+" + _FILLER_RU
    ),
)
_IN = (
    _prefix(rf"\b(?P<in>in|at|inside)\s+{_FILLER}"),
    _prefix(rf"(?<!\w)(?P<in>в|во|на\s+территории)\s+{_FILLER_RU}"),
)
_NOT_SITE_IN = re.compile(
    r"\b(?:based|headquartered|registered|offices?|headquarters|born|capital)\s+(?:in|at)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
_BETWEEN = (
    _prefix(
        r"\b(?:(?:midway|halfway|half-way|half\s+way)\s+)?between\s+(?:the\s+)?"
        r"(?:(?:towns|cities|villages|settlements|stations)\s+(?:of\s+)?)?"
    ),
    _prefix(
        r"(?<!\w)(?:(?:посередине|на\s+полпути)\s+)?между\s+(?:(?:городами|поселками|посёлками|селами|станциями)\s+)?"
    ),
    _prefix(rf"\b(?:road|highway|railway|railroad|route|motorway)\s+(?:from|between)\s+{_FILLER}"),
)
_MIDWAY = re.compile(r"\b(?:midway|halfway|half-way|half\s+way)\b|посередине|на\s+полпути", re.IGNORECASE)
_AND = re.compile(
    rf"^\s*(?:(?:town|city|village|station|settlement)\s+)?(?:and|&|to|и)\s+{_FILLER}{_FILLER_RU}$", re.IGNORECASE
)
_DASH = re.compile(r"^\s*[-–—]\s*$")
_ROAD_AFTER = re.compile(r"^\s*(?:road|highway|railway|railroad|motorway|route|трасс|дорог)", re.IGNORECASE)
_AFTER_LEAD = r"^\s*(?:(?:city|town|village|settlement|station)\b\s*)?,?\s*(?:(?:which|that)\s+)?"
_SUFFIX_DIRECTION = re.compile(rf"^\s*,?\s*(?:(?:to|towards)\s+the|in\s+(?:the|an?))\s+{_DIR}{_ASIDE}", re.IGNORECASE)
_SUFFIX_BEARING = re.compile(
    _AFTER_LEAD + r"(?P<verb>(?:is\s+located|is\s+situated|lies|is|are|stands|sits|located|situated|lying)\s+)?"
    rf"(?:at\s+a\s+distance\s+of\s+)?{_DIST}\s+(?:away\s+)?{_TOWARD}{_DIR}{_ASIDE}",
    re.IGNORECASE,
)
_SUFFIX_AWAY = re.compile(
    _AFTER_LEAD + r"(?:(?:is\s+located|is\s+situated|lies|is|are|stands|sits|located|situated|lying)\s+)?"
    rf"(?:at\s+a\s+distance\s+of\s+)?{_DIST}\s+(?:(?:away|distant|off)\b|(?:away\s+)?from\s+(?:the|this|that|its)\s+"
    r"(?:deposit|site|mine|field|project|plant|prospect)\b)",
    re.IGNORECASE,
)
_OF_SITE = re.compile(
    r"^\s*(?:of|from)\s+(?:the\s+|this\s+|that\s+|its\s+)?"
    r"(?:deposit|site|mine|field|project|plant|area|prospect|occurrence|licen[cs]e|it)\b",
    re.IGNORECASE,
)
_OF = re.compile(r"^\s*(?:of|from)\b", re.IGNORECASE)
_DESCRIBES_SUBJECT = re.compile(
    r"^\s*(?:(?:city|town|village|settlement|station)\b\s*)?,?\s*(?:(?:which|that)\s+)?"
    r"(?:is|lies|are|stands|sits|находится|расположен[аоы]?)\s+(?:located\s+|situated\s+)?$",
    re.IGNORECASE,
)
#: Radius (km) "near X" implies when nothing says closer or farther.
_NEAR_DEFAULT = 25.0
_UPPER_BOUNDS = ("within", "up to", "less than", "under")
_AREA_AFTER = re.compile(r"^\s*(?:area|surroundings|environs)\b", re.IGNORECASE)

_POINTS = {"north": 0.0, "east": 90.0, "south": 180.0, "west": 270.0}
_LETTERS = {"n": "north", "e": "east", "s": "south", "w": "west"}
_RU_POINTS = (
    ("северо-восто", 45.0), ("северо-запад", 315.0), ("юго-восто", 135.0), ("юго-запад", 225.0),
    ("север", 0.0), ("восто", 90.0), ("юг", 180.0), ("запад", 270.0),
)  # fmt: skip
_WINDOW = 200


def _halfway(a: float, b: float, apart: float) -> float | None:
    """The compass point halfway between two points ``apart`` degrees apart, else None."""
    diff = (b - a + 180.0) % 360.0 - 180.0
    return (a + diff / 2.0) % 360.0 if math.isclose(abs(diff), apart) else None


def _compass(word: str) -> float | None:
    """Bearing of a compass word or abbreviation: 'NE' 45, 'south-southwest' 202.5, 'north-eastern' 45.

    >>> _compass("NNE"), _compass("west-north-west"), _compass("north-south")
    (22.5, 292.5, None)
    """
    text = word.lower()
    parts = re.findall(r"north|south|east|west", text)
    if not parts and re.fullmatch(r"[nesw]{1,3}", text):
        parts = [_LETTERS[char] for char in text]
    if not 1 <= len(parts) <= 3:
        return None
    angles = [_POINTS[part] for part in parts]
    if len(angles) == 1:
        return angles[0]
    last = _halfway(angles[-2], angles[-1], 90.0)
    if last is None or len(angles) == 2:
        return last
    return _halfway(angles[0], last, 45.0)


def _russian_compass(word: str) -> float | None:
    """Bearing of a Russian direction word in any case ('северо-востоку' 45, 'южнее' 180)."""
    lowered = word.lower()
    return next((angle for stem, angle in _RU_POINTS if lowered.startswith(stem)), None)


def _number(text: str) -> float:
    """A distance number: '1,200' is a thousand and more, '12,5' (Russian) twelve and a half, 'fifty' 50."""
    lowered = text.lower()
    if lowered in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[lowered])
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return parse_number(text)
    return float(text.replace(",", "."))


def _distance(match: re.Match[str]) -> float:
    """The distance in km a matched phrase states (the middle of a range, miles converted)."""
    value = _number(match["num"])
    if match["num2"]:
        value = (value + _number(match["num2"])) / 2.0
    return value * (1.609344 if match["unit"].lower().startswith("mile") else 1.0)


def _bearing(match: re.Match[str]) -> float | None:
    """The compass bearing a matched phrase states, English or Russian."""
    groups = match.groupdict()
    if groups.get("dir"):
        return _compass(groups["dir"])
    if groups.get("rdir"):
        return _russian_compass(groups["rdir"])
    return None


def _first(patterns: Iterable[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """The first pattern's match at the end of a text."""
    return next((m for m in (p.search(text) for p in patterns) if m), None)


def _near_scale(words: str) -> float:
    """The radius (km) a 'near' phrase implies: outskirts are close, 'not far' is farther."""
    for pattern, scale in _NEAR_SCALES:
        if re.match(pattern, words, re.IGNORECASE):
            return scale
    return _NEAR_DEFAULT


@dataclass(frozen=True)
class _Around:
    """The words around one mention: before it (back to the previous mention) and after it (to the next)."""

    before: str
    offset: int
    after: str
    subject: bool


@dataclass(frozen=True)
class _Reading:
    """What the words around one mention say: the kind of clue, its numbers and the span of its text."""

    kind: str
    distance_km: float | None
    bearing_deg: float | None
    start: int
    end: int


def _read_region(around: _Around, mention: PlaceMention) -> _Reading | None:
    """A district or region mention: the whole unit, or the part a direction names ('in the north of')."""
    before = around.before
    part = _first(_DIRECTION, before) or _first(_PART, before)
    if _is_bare(mention) and not (part or _first(_IN, before)):
        return None
    kind = "region" if mention.places[0].kind == "region" else "district"
    if part and (bearing := _bearing(part)) is not None:
        return _Reading(kind, None, bearing, around.offset + part.start(), mention.end)
    return _Reading(kind, None, None, mention.start, mention.end)


def _read_after(around: _Around, mention: PlaceMention, related: bool) -> _Reading | None:
    """A distance after a name: "Karagandy lies 130 km to the north" says the place is there (inverted)."""
    after = around.after
    match = _SUFFIX_BEARING.match(after)
    if match and (bearing := _bearing(match)) is not None:
        rest = after[match.end() :]
        of_site = _OF_SITE.match(rest)
        if _OF.match(rest) and not of_site:
            return None  # "X is 50 km north of Y" places X, not the site
        inverted = bool(match["verb"]) or bool(of_site) or not related
        end = mention.end + match.end() + (of_site.end() if of_site else 0)
        return _Reading("bearing", _distance(match), (bearing + 180.0) % 360.0 if inverted else bearing, -1, end)
    if match := _SUFFIX_AWAY.match(after):
        return _Reading("distance", _distance(match), None, -1, mention.end + match.end())
    return None


def _read_measured(around: _Around, mention: PlaceMention) -> _Reading | None:
    """A distance or direction before a name: "50 km NE of", "25 km from", "north of", "130 km north lies"."""
    before, end = around.before, mention.end
    if (match := _first(_BEARING, before)) and (bearing := _bearing(match)) is not None:
        return _Reading("bearing", _distance(match), bearing, around.offset + match.start(), end)
    if (match := _INVERTED.search(before)) and (bearing := _bearing(match)) is not None:
        return _Reading("bearing", _distance(match), (bearing + 180.0) % 360.0, around.offset + match.start(), end)
    if match := _first(_DISTANCE, before):
        start = around.offset + match.start()
        side = _SUFFIX_DIRECTION.match(around.after)
        if side and (bearing := _bearing(side)) is not None:
            return _Reading("bearing", _distance(match), bearing, start, end + side.end())
        kind = "near" if (match["qual"] or "").strip().lower() in _UPPER_BOUNDS else "distance"
        return _Reading(kind, _distance(match), None, start, end)
    if (match := _first(_DIRECTION, before)) and (bearing := _bearing(match)) is not None:
        return _Reading("direction", None, bearing, around.offset + match.start(), end)
    return None


def _read_town(around: _Around, mention: PlaceMention) -> _Reading | None:
    """The relation the words give between the site and a town, or None for a bare mention.

    After a bare place name, "Ekibastuz is 130 km south-west of Pavlodar" places Ekibastuz, not the site.
    """
    measured = _first(_BEARING, around.before) or _first(_DISTANCE, around.before) or _first(_DIRECTION, around.before)
    if around.subject and measured and _DESCRIBES_SUBJECT.match(around.before[: measured.start()]):
        return None
    if reading := _read_measured(around, mention):
        return reading
    if match := _first(_NEAR, around.before):
        start = around.offset + match.start()
        if reading := _read_after(around, mention, related=True):
            return _Reading(reading.kind, reading.distance_km, reading.bearing_deg, start, reading.end)
        return _Reading("near", _near_scale(match["near"]), None, start, mention.end)
    if (match := _first(_IN, around.before)) and not _NOT_SITE_IN.search(around.before):
        start = around.offset + match.start()
        if area := _AREA_AFTER.match(around.after):
            return _Reading("near", 25.0, None, start, mention.end + area.end())
        return _Reading("in_place", None, None, start, mention.end)
    return _read_after(around, mention, related=False)


def _between(sentence: str, mentions: list[PlaceMention], number: int, around: _Around) -> int | None:
    """Where 'between A and B' starts when mention ``number`` and the next are its two ends, else None."""
    if number + 1 >= len(mentions):
        return None
    first, second = mentions[number], mentions[number + 1]
    gap = sentence[first.end : second.start]
    if (match := _first(_BETWEEN, around.before)) and _AND.match(gap):
        return around.offset + match.start()
    if _DASH.match(gap) and _ROAD_AFTER.match(sentence[second.end : second.end + _WINDOW]):
        return first.start
    return None


def _named_regions(mentions: list[PlaceMention], region_hint: str | None) -> list[str]:
    """Regions a sentence names (by a region or a district), then the hint, then their pre-2022 successors."""
    named = []
    for mention in mentions:
        kinds = {place.kind for place in mention.places}
        if not _is_bare(mention) and kinds <= {"region", "district"}:
            named.append(mention.places[0].region or "")
    hint = normalise_region(region_hint) if region_hint else None
    named += [hint] if hint else []
    named += [successor for region in named for successor in LEGACY_REGIONS.get(region, ())]
    return list(dict.fromkeys(r for r in named if r))


def _clue(sentence: str, mention: PlaceMention, around: _Around, preferred: list[str]) -> Clue | None:
    """The clue one mention gives, or None when the words around it do not relate it to the site."""
    place = _choose(mention.places, preferred)
    reading = _read_region(around, mention) if place.kind in ("region", "district") else _read_town(around, mention)
    if reading is None:
        return None
    named = preferred[0] if preferred else None
    region = place.name if place.kind == "region" else place.region if place.kind == "district" else named
    start = mention.start if reading.start < 0 else reading.start
    raw = sentence[start : reading.end]
    text = raw.strip()
    start += len(raw) - len(raw.lstrip())
    return Clue(reading.kind, place, None, reading.distance_km, reading.bearing_deg, region, text, start)


def place_mentions(sentence: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    """Every gazetteer name a sentence holds as a place (not a river's, a lake's or a deposit's), in order.

    What the words around each say of the site is read by :func:`clues_from`; this is the one scan
    of a sentence for place names, done once by the reading pass (:mod:`geo.reading`).
    """
    return _mentions(sentence, _matcher(gazetteer))


def find_clues(sentence: str, gazetteer: Gazetteer, region_hint: str | None = None) -> list[Clue]:
    """Every place clue in one sentence, in order: bearings, distances, 'between', 'near', districts, regions.

    ``region_hint`` is a region the surrounding text names ("Karaganda Region", any spelling): it picks
    among namesakes (several Aktogays) and, like a region named in the sentence, is carried on each
    clue as ``region``, which :func:`locate` treats as a hard limit. "50 km NE of Agadyr" gives
    ``Clue('bearing', <Aqadyr>, None, 50.0, 45.0, None, '50 km NE of Agadyr')``; a bare mention gives none.
    """
    return clues_from(sentence, place_mentions(sentence, gazetteer), region_hint)


def clues_from(sentence: str, mentions: Sequence[PlaceMention], region_hint: str | None = None) -> list[Clue]:
    """The clues the place ``mentions`` of a sentence (from :func:`place_mentions`) give; see :func:`find_clues`."""
    mentions = list(mentions)
    preferred = _named_regions(mentions, region_hint)
    clues: list[Clue] = []
    previous_end, subject, number = 0, False, 0
    while number < len(mentions):
        mention = mentions[number]
        offset = max(previous_end, mention.start - _WINDOW)
        following = mentions[number + 1].start if number + 1 < len(mentions) else len(sentence)
        around = _Around(
            sentence[offset : mention.start],
            offset,
            sentence[mention.end : following],
            subject and offset == previous_end,
        )
        start = _between(sentence, mentions, number, around)
        if start is not None and mention.places[0].kind == "town":
            second = mentions[number + 1]
            first_place, other = _choose(mention.places, preferred), _choose(second.places, preferred)
            raw = sentence[start : second.end]
            text, start = raw.strip(), start + len(raw) - len(raw.lstrip())
            region = preferred[0] if preferred else None
            clues.append(Clue("between", first_place, other, None, None, region, text, start))
            previous_end, subject, number = second.end, False, number + 2
            continue
        clue = _clue(sentence, mention, around, preferred)
        clues += [clue] if clue else []
        previous_end, subject, number = mention.end, clue is None and mention.places[0].kind == "town", number + 1
    return clues


# --- Where each clue puts the site ----------------------------------------------------------------

#: How much each kind of clue is trusted when clues disagree (bearings are nearly always about the site).
_WEIGHTS = {
    "bearing": 5.0,
    "between": 4.0,
    "distance": 3.0,
    "near": 3.0,
    "in_place": 3.0,
    "direction": 2.0,
    "district": 2.0,
    "region": 1.0,
}
_SOFT_KINDS = frozenset(_WEIGHTS)
_POINT_KINDS = frozenset({"bearing", "between", "distance", "near", "in_place", "direction"})
#: A clue that raises the best misfit by more than this (a squared z-score) contradicts the others.
_CONSISTENT = 9.0
#: Share of the plausible area the radius must cover.
_COVERAGE = 0.9
_COARSE, _FINE = 120, 160
_KM_PER_DEG = 111.2


def _angle_spread(bearing: float) -> float:
    """Standard error (deg) of a compass bearing: 20° for N/E/S/W, 15° for NE..., 9° for NNE...."""
    remainder = bearing % 45.0
    if min(remainder, 45.0 - remainder) > 1e-6:
        return 9.0
    return 20.0 if min(bearing % 90.0, 90.0 - bearing % 90.0) < 1e-6 else 15.0


def _distance_spread(clue: Clue) -> float:
    """Standard error (km) of a stated distance: rounding and road-versus-straight, 12 % plus 4 km."""
    place = clue.place
    extra = 0.5 * place.radius_km if place and place.kind != "town" else 0.0
    return 0.12 * (clue.distance_km or 0.0) + 4.0 + extra


def _extent(place: Place | None) -> float:
    """Radius (km) of a town itself: the gazetteer's, or more for a big city (Astana ~22 km)."""
    if place is None:
        return 5.0
    return max(place.radius_km, 0.018 * math.sqrt(place.population), 3.0)


def _near_spread(clue: Clue) -> float:
    """Standard error (km) around a place for 'near' and 'in' clues (their radius covers ~90 %)."""
    if clue.kind == "in_place":
        return _extent(clue.place) / 1.5
    return math.hypot((clue.distance_km or _NEAR_DEFAULT) / 2.15, _extent(clue.place) / 2.15)


def _district_spread(clue: Clue) -> float:
    """Standard error (km) of a site in a district known by its centre and equal-area radius."""
    return 0.55 * (clue.place.radius_km if clue.place and clue.place.radius_km else 60.0)


def _reach(clue: Clue) -> float:
    """How far (km) from its place a clue can put the site."""
    if clue.kind in ("bearing", "distance"):
        return (clue.distance_km or 0.0) + 3.0 * _distance_spread(clue) + 10.0
    if clue.kind == "direction":
        return 250.0
    if clue.kind in ("near", "in_place"):
        return 3.5 * _near_spread(clue) + 10.0
    if clue.kind == "district":
        return 3.0 * _district_spread(clue)
    if clue.kind == "between" and clue.place and clue.other:
        return _span_km(clue.place, clue.other) + 10.0
    return 0.0


def _inverse(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distances (km) and bearings (deg) from one point to many."""
    azimuth, _, metres = _GEOD.inv(np.full(lons.shape, lon), np.full(lons.shape, lat), lons, lats)
    return np.asarray(metres) / 1000.0, np.asarray(azimuth) % 360.0


def _angle_misfit(azimuth: np.ndarray, distance: np.ndarray, bearing: float, spread: float, blur: float) -> np.ndarray:
    """Squared z-score of bearings off the stated one; near the place any bearing fits."""
    diff = (azimuth - bearing + 180.0) % 360.0 - 180.0
    slack = np.degrees(np.arctan2(5.0 + blur, distance))
    return diff**2 / (spread**2 + slack**2)


@dataclass(frozen=True)
class _Grid:
    """Candidate points (flattened lon/lat arrays), their cell size in km and the region index of each."""

    lon: np.ndarray
    lat: np.ndarray
    cell_km: float
    label: np.ndarray


def _span_km(first: Place, second: Place) -> float:
    """Geodesic distance (km) between two places."""
    return float(_inverse(first.lon, first.lat, np.array([second.lon]), np.array([second.lat]))[0][0])


def _ring_misfit(clue: Clue, place: Place, grid: _Grid) -> np.ndarray:
    """Squared z-score off a stated distance from a place, and off its bearing when one is stated."""
    blur = grid.cell_km / 2.0
    distance, azimuth = _inverse(place.lon, place.lat, grid.lon, grid.lat)
    misfit = (distance - (clue.distance_km or 0.0)) ** 2 / (_distance_spread(clue) ** 2 + blur**2)
    if clue.bearing_deg is None:
        return misfit
    return misfit + _angle_misfit(azimuth, distance, clue.bearing_deg, _angle_spread(clue.bearing_deg), blur)


def _sector_misfit(clue: Clue, place: Place, grid: _Grid) -> np.ndarray:
    """Squared z-score off a direction with no distance: a wide sector, unlikely beyond ~100 km."""
    assert clue.bearing_deg is not None
    distance, azimuth = _inverse(place.lon, place.lat, grid.lon, grid.lat)
    spread = max(_angle_spread(clue.bearing_deg), 25.0)
    far = np.maximum(distance - 60.0, 0.0) / 60.0
    return _angle_misfit(azimuth, distance, clue.bearing_deg, spread, grid.cell_km / 2.0) + far**2


def _disc_misfit(lon: float, lat: float, spread: float, grid: _Grid) -> np.ndarray:
    """Squared z-score of the distance from a point, with a given standard error (km)."""
    distance, _ = _inverse(lon, lat, grid.lon, grid.lat)
    return distance**2 / (spread**2 + (grid.cell_km / 2.0) ** 2)


def _district_misfit(clue: Clue, place: Place, grid: _Grid) -> np.ndarray:
    """Squared z-score of the distance from a district's centre (or from its part a direction names)."""
    spread = _district_spread(clue)
    lon, lat = place.lon, place.lat
    if clue.bearing_deg is not None:
        lon, lat, _ = _GEOD.fwd(lon, lat, clue.bearing_deg, 0.6 * spread * 1000.0)
    return _disc_misfit(lon, lat, spread, grid)


def _between_misfit(clue: Clue, first: Place, second: Place, grid: _Grid) -> np.ndarray:
    """Squared z-score of the distance from the segment between two places ('midway' also holds to its middle)."""
    from_first, _ = _inverse(first.lon, first.lat, grid.lon, grid.lat)
    from_second, _ = _inverse(second.lon, second.lat, grid.lon, grid.lat)
    span = max(_span_km(first, second), 1.0)
    along = (from_first**2 - from_second**2 + span**2) / (2.0 * span)
    across = np.sqrt(np.maximum(from_first**2 - along**2, 0.0))
    off = np.where(along < 0, from_first, np.where(along > span, from_second, across))
    misfit = off**2 / ((0.1 * span + 5.0) ** 2 + (grid.cell_km / 2.0) ** 2)
    if _MIDWAY.search(clue.text):
        misfit = misfit + (along - span / 2.0) ** 2 / (0.15 * span + 5.0) ** 2
    return misfit


def _misfit(clue: Clue, grid: _Grid) -> np.ndarray:
    """Squared z-score of every grid point against one clue (0 where the clue fits best)."""
    place = clue.place
    if clue.kind == "region" and clue.bearing_deg is not None:
        return _part_misfit(clue, grid)
    if place is None:
        return np.zeros(grid.lon.shape)
    if clue.kind in ("bearing", "distance"):
        return _ring_misfit(clue, place, grid)
    if clue.kind == "direction" and clue.bearing_deg is not None:
        return _sector_misfit(clue, place, grid)
    if clue.kind in ("near", "in_place"):
        return _disc_misfit(place.lon, place.lat, _near_spread(clue), grid)
    if clue.kind == "between" and clue.other is not None:
        return _between_misfit(clue, place, clue.other, grid)
    if clue.kind == "district":
        return _district_misfit(clue, place, grid)
    return np.zeros(grid.lon.shape)


def _part_misfit(clue: Clue, grid: _Grid) -> np.ndarray:
    """Squared z-score of points outside the part of a region a direction names ('in the north of')."""
    name = _region_of(clue)
    geometry = _region_table().get(name or "")
    if geometry is None or clue.bearing_deg is None:
        return np.zeros(grid.lon.shape)
    centre = geometry.centroid
    east, north = math.sin(math.radians(clue.bearing_deg)), math.cos(math.radians(clue.bearing_deg))
    scale = math.cos(math.radians(centre.y)) * _KM_PER_DEG

    def along(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return (lon - centre.x) * scale * east + (lat - centre.y) * _KM_PER_DEG * north

    coords = shapely.get_coordinates(geometry)
    extent = float(np.max(along(coords[:, 0], coords[:, 1])))
    return (np.maximum(0.1 * extent - along(grid.lon, grid.lat), 0.0) / (0.1 * extent)) ** 2


# --- Regions and the grid -------------------------------------------------------------------------


@cache
def _region_table() -> dict[str, shapely.Geometry]:
    """Each region's full-resolution polygon, prepared for fast point-in-polygon."""
    table = {}
    for row in load_regions().itertuples():
        shapely.prepare(row.geometry)
        table[row.name] = row.geometry
    return table


def _labels(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Index (in :func:`_region_table` order) of the region holding each point, -1 outside Kazakhstan."""
    labels = np.full(lons.shape, -1)
    for number, geometry in enumerate(_region_table().values()):
        west, south, east, north = geometry.bounds
        candidates = (labels < 0) & (lons >= west) & (lons <= east) & (lats >= south) & (lats <= north)
        if candidates.any():
            inside = shapely.contains_xy(geometry, lons[candidates], lats[candidates])
            labels[np.flatnonzero(candidates)[inside]] = number
    return labels


def _grid(bounds: tuple[float, float, float, float], size: int) -> _Grid:
    """A size × size grid over (west, south, east, north), each point labelled with its region."""
    west, south, east, north = bounds
    lons, lats = np.meshgrid(np.linspace(west, east, size), np.linspace(south, north, size))
    lon, lat = lons.ravel(), lats.ravel()
    middle = math.cos(math.radians((south + north) / 2.0))
    cell = max((east - west) * middle, north - south) * _KM_PER_DEG / (size - 1)
    return _Grid(lon, lat, cell, _labels(lon, lat))


def _box(lon: float, lat: float, reach_km: float) -> tuple[float, float, float, float]:
    """The (west, south, east, north) box within ``reach_km`` of a point."""
    dlat = reach_km / _KM_PER_DEG
    dlon = reach_km / (_KM_PER_DEG * max(math.cos(math.radians(lat)), 0.2))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def _union(boxes: Iterable[tuple[float, float, float, float]]) -> tuple[float, float, float, float] | None:
    """The box around several boxes, or None for none."""
    boxes = list(boxes)
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _intersect(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> tuple | None:
    """The overlap of two boxes, or None if they do not overlap."""
    box = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return box if box[0] < box[2] and box[1] < box[3] else None


def _clue_box(clue: Clue) -> tuple[float, float, float, float] | None:
    """The box a soft clue can put the site in; None for a clue that only names a region."""
    if clue.place is None or clue.kind == "region":
        return None
    if clue.kind == "between" and clue.other is not None:
        lon, lat = (clue.place.lon + clue.other.lon) / 2.0, (clue.place.lat + clue.other.lat) / 2.0
        return _box(lon, lat, _reach(clue))
    return _box(clue.place.lon, clue.place.lat, _reach(clue))


# --- Combining clues ------------------------------------------------------------------------------


def _region_of(clue: Clue) -> str | None:
    """The region a clue names, canonical ('Karagandy oblysy' → 'Karaganda Region')."""
    name = clue.place.name if clue.kind == "region" and clue.place is not None else clue.region
    return normalise_region(name) if name else None


@dataclass(frozen=True)
class _Fit:
    """One choice of regions for the site: the soft clues it keeps (indices), their weight, how often it was named."""

    allowed: tuple[str, ...]
    chosen: tuple[int, ...]
    score: float
    votes: int
    legacy: bool


def _allowed_mask(grid: _Grid, allowed: tuple[str, ...]) -> np.ndarray:
    """Which grid points lie in the allowed regions (anywhere in Kazakhstan when none is named)."""
    if not allowed:
        return grid.label >= 0
    names = list(_region_table())
    return np.isin(grid.label, [names.index(name) for name in allowed])


def _bounds(soft: list[Clue], allowed: tuple[str, ...]) -> tuple[float, float, float, float]:
    """The box to search: around the soft clues, within the allowed regions and Kazakhstan."""
    table = _region_table()
    limit = _union(table[name].bounds for name in allowed) if allowed else KAZAKHSTAN_BOUNDS
    assert limit is not None
    around = _union(box for box in map(_clue_box, soft) if box)
    return (_intersect(around, limit) if around else None) or limit


def _select(fields: list[np.ndarray], soft: list[Clue], inside: np.ndarray) -> tuple[tuple[int, ...], float]:
    """The heaviest set of mutually consistent clues within the allowed area (indices into ``soft``)."""
    if not inside.any():
        return (), 0.0
    order = sorted(range(len(soft)), key=lambda i: -_WEIGHTS[soft[i].kind])
    best: tuple[tuple[int, ...], float] = ((), 0.0)
    for seed in order:
        total = np.zeros(int(inside.sum()))
        chosen = []
        for number in [seed, *(i for i in order if i != seed)]:
            trial = total + fields[number][inside]
            if trial.min() - total.min() <= _CONSISTENT:
                total, chosen = trial, [*chosen, number]
        score = sum(_WEIGHTS[soft[i].kind] for i in chosen)
        if score > best[1]:
            best = (tuple(sorted(chosen)), score)
    return best


def _fit(soft: list[Clue], allowed: tuple[str, ...], votes: int, legacy: bool) -> _Fit:
    """Score one choice of regions: which soft clues it keeps, on a coarse grid."""
    grid = _grid(_bounds(soft, allowed), _COARSE)
    fields = [_misfit(clue, grid) for clue in soft]
    chosen, score = _select(fields, soft, _allowed_mask(grid, allowed))
    return _Fit(allowed, chosen, score, votes, legacy)


def _weighted_median(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    """The point minimising the weighted sum of distances (Weiszfeld), the best guess for a median error."""
    mx, my = float(np.average(x, weights=weight)), float(np.average(y, weights=weight))
    for _ in range(100):
        inverse = weight / (np.hypot(x - mx, y - my) + 1e-3)
        nx, ny = float(np.sum(inverse * x) / inverse.sum()), float(np.sum(inverse * y) / inverse.sum())
        if math.hypot(nx - mx, ny - my) < 1e-3:
            break
        mx, my = nx, ny
    return mx, my


def _posterior(clues: list[Clue], allowed: tuple[str, ...], bounds: tuple, size: int) -> tuple[_Grid, np.ndarray]:
    """A grid over ``bounds`` and the weight of each point given the clues (0 outside the allowed regions)."""
    grid = _grid(bounds, size)
    total = sum((_misfit(clue, grid) for clue in clues), np.zeros(grid.lon.shape))
    inside = _allowed_mask(grid, allowed)
    weight = np.zeros(grid.lon.shape)
    if inside.any():
        weight[inside] = np.exp(-0.5 * (total[inside] - total[inside].min())) * np.cos(np.radians(grid.lat[inside]))
    return grid, weight


def _refined(grid: _Grid, weight: np.ndarray) -> tuple[float, float, float, float]:
    """The box around the points that carry weight on a coarse grid, padded by a cell."""
    keep = weight > weight.max() * 1e-5
    pad_lat = grid.cell_km / _KM_PER_DEG
    lat = float(np.mean(grid.lat[keep]))
    pad_lon = pad_lat / max(math.cos(math.radians(lat)), 0.2)
    box = (
        float(grid.lon[keep].min()) - pad_lon,
        float(grid.lat[keep].min()) - pad_lat,
        float(grid.lon[keep].max()) + pad_lon,
        float(grid.lat[keep].max()) + pad_lat,
    )
    return _intersect(box, KAZAKHSTAN_BOUNDS) or box


def _best_point(grid: _Grid, weight: np.ndarray, allowed: tuple[str, ...]) -> tuple[float, float, str | None]:
    """The weighted median point, moved to the nearest weighted grid point when it falls outside the allowed area."""
    lon0, lat0 = float(np.average(grid.lon, weights=weight)), float(np.average(grid.lat, weights=weight))
    scale = math.cos(math.radians(lat0))
    x, y = (grid.lon - lon0) * scale * _KM_PER_DEG, (grid.lat - lat0) * _KM_PER_DEG
    mx, my = _weighted_median(x, y, weight)
    lon, lat = lon0 + mx / (scale * _KM_PER_DEG), lat0 + my / _KM_PER_DEG
    region = region_at(lon, lat)
    if region is not None and (not allowed or region in allowed):
        return lon, lat, region
    candidates = np.flatnonzero(weight > weight.max() * 1e-3)
    for index in candidates[np.argsort(np.hypot(x[candidates] - mx, y[candidates] - my))][:50]:
        region = region_at(float(grid.lon[index]), float(grid.lat[index]))
        if region is not None and (not allowed or region in allowed):
            return float(grid.lon[index]), float(grid.lat[index]), region
    index = int(np.argmax(weight))
    return float(grid.lon[index]), float(grid.lat[index]), region_at(float(grid.lon[index]), float(grid.lat[index]))


def _radius(grid: _Grid, weight: np.ndarray, lon: float, lat: float) -> float:
    """The distance from the point within which lies :data:`_COVERAGE` of the weight."""
    keep = weight > 0
    distance, _ = _inverse(lon, lat, grid.lon[keep], grid.lat[keep])
    order = np.argsort(distance)
    cumulative = np.cumsum(weight[keep][order]) / weight[keep].sum()
    return float(distance[order][min(np.searchsorted(cumulative, _COVERAGE), len(order) - 1)]) + grid.cell_km / 2.0


def _options(clues: list[Clue]) -> list[tuple[tuple[str, ...], int, bool]]:
    """Regions the site may be confined to: (allowed regions, how often named, pre-2022 reading?)."""
    votes = Counter(region for region in map(_region_of, clues) if region)
    for region, successors in LEGACY_REGIONS.items():
        for successor in successors:
            if region in votes and successor in votes:
                votes[successor] += votes.pop(region)
    options = [((region,), count, False) for region, count in votes.most_common()]
    options += [
        ((region, *LEGACY_REGIONS[region]), count, True) for region, count in votes.items() if region in LEGACY_REGIONS
    ]
    formers = {extent for clue in clues if clue.kind == "region" and (extent := former_extent(clue.text))}
    options += [(extent, votes.get(extent[0], 1), True) for extent in sorted(formers)]
    return options or [((), 0, False)]


def _precision(kinds: set[str]) -> str:
    """The schema precision the kinds of clue used support."""
    if kinds & _POINT_KINDS:
        return "approximate"
    return "district" if "district" in kinds else "region"


def _unique(clues: Iterable[Clue]) -> list[Clue]:
    """Clues without repeats (two articles saying the same thing are one constraint, not two)."""
    seen: dict[tuple, Clue] = {}
    for clue in clues:
        key = (clue.kind, clue.place, clue.other, clue.distance_km, clue.bearing_deg, _region_of(clue))
        seen.setdefault(key, clue)
    return list(seen.values())


def locate(clues: Iterable[Clue]) -> Estimate | None:
    """The most likely point for a site given its clues, with a radius covering 90 % of the plausible area.

    Clues that contradict the weightier ones are left out; the point never leaves the region the clues
    name (or, for text written before the 2022 split, the region that was then part of it). None
    when there is no usable clue.
    """
    clues = [c for c in _unique(clues) if c.kind in _SOFT_KINDS and (c.place is not None or _region_of(c))]
    if not clues:
        return None
    soft = [c for c in clues if c.kind != "region" or c.bearing_deg is not None]
    fits = [_fit(soft, *option) for option in _options(clues)]
    fit = max(fits, key=lambda f: (f.score, f.votes, not f.legacy))
    used = [soft[i] for i in fit.chosen]
    coarse, coarse_weight = _posterior(used, fit.allowed, _bounds(used, fit.allowed), _COARSE)
    if not coarse_weight.any():
        return None
    grid, weight = _posterior(used, fit.allowed, _refined(coarse, coarse_weight), _FINE)
    if not weight.any():
        grid, weight = coarse, coarse_weight
    lon, lat, region = _best_point(grid, weight, fit.allowed)
    named = [c for c in clues if c not in used and _region_of(c) in fit.allowed]
    kept = used + [c for c in named if c.kind == "region" or not used]
    precision = _precision({c.kind for c in kept})
    radius = max(float(_radius(grid, weight, lon, lat)), PRECISIONS[precision])
    ordered = tuple(c for c in clues if c in kept)
    return Estimate(round(lat, 6), round(lon, 6), round(radius, 1), precision, region, ordered)
