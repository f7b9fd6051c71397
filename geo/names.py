"""Comparing names across scripts and spellings: folding, transliteration and token keys.

Articles spell one place many ways (Kuirektykol, Kuyrektykol, Куйректыколь; Jezkazgan,
Zhezkazgan, Zhezqazghan). :func:`skeleton` maps all of them to one key, so matching
is done once, here, for the extractor, the gazetteer, the regions and the app's search.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "DIRECTION_KEYS",
    "NameIndex",
    "coordinated_names",
    "fold",
    "merge_key",
    "skeleton",
    "spans",
    "tokens",
    "transliterate",
]

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip

# Spelling variants of Kazakh and Russian names in Latin script, folded to one form, in order.
_VARIANTS = (
    ("shch", "sh"),
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("ts", "c"),
)
_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_s][^\W_]*)*")
_REPEAT = re.compile(r"([^\W\d])\1+")  # doubled letters, not digits: "11" is no "1"


def transliterate(text: str) -> str:
    """Write Cyrillic (Russian and Kazakh letters) in Latin letters, leaving other text as it is.

    >>> transliterate("Жезказган")
    'Zhezkazgan'
    """
    out = []
    for char in text:
        latin = _CYRILLIC.get(char.lower())
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


def fold(text: str) -> str:
    """Lower-case, transliterate, strip accents and apostrophes, and fold white space.

    >>> fold("  Qarağandy  OBLYSY ")
    'qaragandy oblysy'
    """
    text = unicodedata.normalize("NFKD", transliterate(unicodedata.normalize("NFC", text)).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’`ʼ]", "", text)
    return " ".join(text.split())


def _word_key(word: str) -> str:
    """The spelling-tolerant key of one folded word."""
    for old, new in _VARIANTS:
        word = word.replace(old, new)
    return _REPEAT.sub(r"\1", word)


def spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of a text as (spelling-tolerant key, start, end); a possessive 's is no word."""
    return [
        (_word_key(fold(m.group())), m.start(), m.end())
        for m in _WORD.finditer(text)
        if not (m.group() == "s" and text[m.start() - 1 : m.start()] in ("'", "’"))
    ]


def tokens(text: str) -> list[str]:
    """Spelling-tolerant keys of the words of a text, in order.

    >>> tokens("Upper Kayrakty") == tokens("upper KAIRAKTY")
    True
    """
    return [key for key, _, _ in spans(text)]


def skeleton(text: str) -> str:
    """One key for all spellings of a name: ``tokens`` joined by spaces.

    >>> skeleton("Zhezqazghan") == skeleton("Jezkazgan") == skeleton("Жезказган")
    True
    >>> skeleton("Kuyrektykol") == skeleton("Куйректыколь") == skeleton("Kuirektykol")
    True
    """
    return " ".join(tokens(text))


_DIRECTION_WORDS = {
    "upper": "upper verkhnee verkhniy verkhne zhogargy",
    "lower": "lower nizhnee nizhniy nizhne tomengi",
    "north": "north northern severny severnyy severo soltustik",
    "south": "south southern yuzhny yuzhnyy yuzhno ontustik",
    "east": "east eastern vostochny vostochnyy shygys",
    "west": "west western zapadny zapadnyy batys",
    "central": "central tsentralny tsentralnoye ortalyk",
    "new": "new novy novyy zhana",
}
#: Direction words in every spelling (as word keys) and what each means; Russian compound prefixes too.
DIRECTION_KEYS = {key: meaning for meaning, words in _DIRECTION_WORDS.items() for key in tokens(words)}
_DIRECTION_PREFIXES = tuple(tokens("verkhne nizhne severo yuzhno"))
# Site words are not part of a name: "Satpaev ore field" and "Satpaev" are one site.
_SITE_WORD_KEYS = frozenset(tokens("deposit mine field ore plant smelter pit месторождение рудник карьер"))
_SUFFIXES = tuple(
    sorted(
        [
            "ovskoie",
            "evskoie",
            "inskoie",
            "enskoie",
            "ovskoe",
            "evskoe",
            "inskoe",
            "enskoe",
            "skoie",
            "skoe",
            "skii",
            "skogo",
            "skom",
            "ska",
            "ski",
            "oie",
        ],
        key=len,
        reverse=True,
    )
)


def _merge_form(word: str) -> str:
    """A word's merge form: direction words normalised, adjectival endings and final vowels dropped."""
    for prefix in _DIRECTION_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 3:
            return f"{DIRECTION_KEYS[prefix]} {_merge_form(word[len(prefix) :])}"
    if word in DIRECTION_KEYS:
        return DIRECTION_KEYS[word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word.rstrip("aeiouy") or word


# Two direction words sharing one name: "East and West Saryoba", "North & South Karamurun", "Северный и Южный Катпар".
_CAPITAL = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]"
_COORDINATED = re.compile(
    rf"\b(?P<first>{_CAPITAL}[\w-]*)\s+(?:and|&|и|және)\s+(?P<second>{_CAPITAL}[\w-]*)"
    rf"\s+(?P<name>{_CAPITAL}[\w’'-]*(?:\s+{_CAPITAL}[\w’'-]*)?)"
)


def _is_direction(word: str) -> bool:
    """Whether a word is a direction word in any spelling ('East', 'Vostochny', 'Южный')."""
    keys = tokens(word)
    return len(keys) == 1 and (keys[0] in DIRECTION_KEYS or _merge_form(keys[0]) in DIRECTION_KEYS.values())


def coordinated_names(sentence: str) -> list[tuple[str, int, int]]:
    """Each name two direction words share, spelt out with the first ('East Saryoba' of 'East and West Saryoba').

    Returns (name, start, end) with the span of the first direction word; the second keeps its
    name as written ("West Saryoba").

    >>> coordinated_names("Deposits include East and West Saryoba and Itauz.")
    [('East Saryoba', 17, 21)]
    """
    found = []
    for match in _COORDINATED.finditer(sentence):
        if _is_direction(match["first"]) and _is_direction(match["second"]):
            found.append((f"{match['first']} {match['name']}", match.start("first"), match.end("first")))
    return found


_ROMAN = re.compile(r"(?=[IVX])(X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman(word: str) -> str:
    """A Roman number written after a name as its Arabic digits ('Ushkatyn III' is 'Ushkatyn-3'), else the word."""
    if not _ROMAN.fullmatch(word):
        return word
    values = [_ROMAN_VALUES[letter] for letter in word]
    return str(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))


def merge_key(name: str) -> str:
    """One key for the spellings of a site's name, so that mentions of one site merge.

    >>> merge_key("Upper Kairakty") == merge_key("Verkhnee Kairakty") == merge_key("Verkhnekayraktinskoye")
    True
    >>> merge_key("Koktenkol") == merge_key("Коктенкольское")
    True
    >>> merge_key("Ushkatyn III") == merge_key("Ushkatyn-3") != merge_key("Ushkatyn I")
    True
    """
    written = [_roman(word) if number else word for number, word in enumerate(name.replace("-", " ").split())]
    words = [word for word in fold(" ".join(written)).replace("-", " ").split() if word]
    keys = [_merge_form(key) for key in tokens(" ".join(words)) if key not in _SITE_WORD_KEYS]
    return " ".join(keys)


class NameIndex:
    """Find known names in tokenised text, longest name first, whatever their spelling.

    >>> index = NameIndex([("Upper Kairakty", "uk"), ("Kairakty", "k")])
    >>> index.find(tokens("Work at Upper Kayrakty and at Kairakty."))
    [(2, 4, 'uk'), (6, 7, 'k')]
    """

    def __init__(self, names: list[tuple[str, str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name, target in names:
            keys = tuple(tokens(name))
            if keys:
                self._by_first.setdefault(keys[0], []).append((keys, target))
        for candidates in self._by_first.values():
            candidates.sort(key=lambda c: (-len(c[0]), c[1]))

    def find(self, keys: list[str]) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, target) matches in a list of word keys, left to right."""
        found: list[tuple[int, int, str]] = []
        position = 0
        while position < len(keys):
            for name, target in self._by_first.get(keys[position], ()):
                if tuple(keys[position : position + len(name)]) == name:
                    found.append((position, position + len(name), target))
                    position += len(name)
                    break
            else:
                position += 1
        return found
