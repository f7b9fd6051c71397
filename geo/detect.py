"""Finding sites the registry does not know, by how articles name them.

"the Koktenkol deposit", "Bakyrchik gold mine", "deposit X", "месторождение Коктенколь":
a capitalised name beside a site word is a candidate site. Candidates that are really
companies, regions, programmes or places abroad are rejected, and mentions of one site in
several spellings ("Upper Kairakty", "Verkhnee Kairakty", "Verkhnekayraktinskoye") are
merged by one key, :func:`merge_key`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from geo.morphology import is_russian_adjective, kazakh_stem, russian_gender, russian_lemma
from geo.names import DIRECTION_KEYS, NameIndex, coordinated_names, merge_key, skeleton, tokens
from geo.regions import DISTRICT_KEYS, DISTRICT_WORDS, REGION_KEYS, REGION_WORDS, normalise_region
from geo.schema import COMMODITIES, COMMODITY_WORDS
from geo.sources import Document

if TYPE_CHECKING:
    from geo.reading.doc import AnnotatedDocument

__all__ = ["Candidate", "Detection", "KeyIndex", "Reading", "adjective_base_key", "detect_sites", "read_sites"]

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_WORD = rf"[{_UPPER}][\w’'-]*"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
# A title-case name may join its words with 'and'/'of' ("Ust-Kamenogorsk Titanium and Magnesium Plant").
_TITLE_NAME = rf"{_WORD}(?:\s+(?:(?:and|of|&)\s+)?{_WORD}){{0,4}}"
# Site words in English, with the kind of site each one means.
_NOUNS = {
    "deposit": "deposit",
    "deposits": "deposit",
    "field": "deposit",
    "fields": "deposit",
    "ore field": "deposit",
    "ore fields": "deposit",
    "orefield": "deposit",
    "ore body": "deposit",
    "orebody": "deposit",
    "ore bodies": "deposit",
    "mine": "mine",
    "mines": "mine",
    "open pit": "mine",
    "open-pit mine": "mine",
    "pit": "mine",
    "quarry": "mine",
    "shaft": "mine",
    "shafts": "mine",
    "plant": "plant",
    "plants": "plant",
    "concentrator": "plant",
    "processing plant": "plant",
    "gok": "plant",
    "combine": "plant",
    "enterprise": "plant",
    "refinery": "refinery",
    "smelter": "smelter",
    "prospect": "prospective_area",
    "cluster": "prospective_area",
    "site": "deposit",
    "sites": "deposit",
    "project": "project",
    "projects": "project",
}
_PLURALS = frozenset(
    ["deposits", "fields", "ore fields", "ore bodies", "mines", "shafts", "plants", "sites", "projects"]
)
_NOUN = "|".join(sorted((re.escape(n) for n in _NOUNS), key=len, reverse=True))
# Lower-case words that may stand between a name and its site word ("Bakyrchik gold mine").
_BETWEEN = r"(?P<between>(?:\s+[a-z]+(?:-[a-z]+)*){0,4}?)"
_DESCRIPTORS = frozenset(
    [
        "ore",
        "ores",
        "open",
        "pit",
        "porphyry",
        "polymetallic",
        "stockwork",
        "sediment",
        "hosted",
        "underground",
        "processing",
        "mining",
        "beneficiation",
        "concentrating",
        "enrichment",
        "smelting",
        "metallurgical",
        "chemical",
        "refining",
        "and",
        "rare",
        "earth",
        "earths",
        "metal",
        "metals",
        "element",
        "elements",
        "base",
        "precious",
        "placer",
        "alluvial",
        "vein",
        "quartz",
        "skarn",
        "brown",
        "hard",
        "coking",
        "thermal",
        "mineral",
        "deposit",
        "graphite",
        "ferroalloy",
        "ferroalloys",
    ]
    + [part for word in COMMODITY_WORDS for part in re.split(r"[\s-]+", word)]
)
_ANY_NOUN = rf"(?i:{_NOUN})"
_NAME_NOUN = re.compile(rf"(?P<name>{_TITLE_NAME}){_BETWEEN}\s+(?P<noun>{_ANY_NOUN})\b")
# A name with its description after it: "Bozshakol, a copper open pit about 70 km west of ...".
_NAME_APPOSITION = re.compile(rf"(?P<name>{_NAME}),\s+(?:a|an)\b{_BETWEEN}\s+(?P<noun>{_NOUN})\b")
_NOUN_NAME = re.compile(
    rf"\b(?P<noun>deposit|mine|field|site|project|shaft)\s*(?P<comma>,\s*)?(?:(?:of|at|called|named)\s+)?"
    rf"[«\"“]?(?P<name>{_NAME})"
)
# Russian site words in any case ("месторождением", "рудника", "ГОКа"), and their kinds.
_RU_NOUN = (
    r"(?i:месторождени[еяюийм]\w*|рудник\w*|карьер\w*|участ(?:ок|ка|ке|ком|ки|ков)\b|уч\.|шахт\w*"
    r"|гок\w*|комбинат\w*|завод\w*|рудн\w+\s+пол\w+)"
)
_RU_NOUNS = {
    "месторожд": "deposit",
    "рудник": "mine",
    "карьер": "mine",
    "шахт": "mine",
    "участ": "deposit",
    "уч.": "deposit",
    "гок": "plant",
    "комбинат": "plant",
    "завод": "plant",
    "рудн": "deposit",
}
_RU_NOUN_NAME = re.compile(rf"(?P<noun>{_RU_NOUN})\s+(?:им\.\s+)?[«\"“]?(?P<name>{_NAME})")
# An adjectival Russian name in any case, with up to two lower-case adjectives before the site word
# ("Восточно-Аятского бокситового месторождения", "Ульбинский металлургический завод").
_RU_ADJ = r"(?i:ое|ого|ому|ом|ым|ий|ый|ой|ая|ую|ие|их|ими|ыми|ей)"
_RU_ADJ_NOUN = re.compile(
    rf"(?P<name>(?:{_WORD}\s+)?{_WORD}{_RU_ADJ})(?:\s+[а-яё]+(?:-[а-яё]+)*{_RU_ADJ}){{0,2}}\s+(?P<noun>{_RU_NOUN})"
)
# Kazakh site words after the name ("Көгадыр алтын кенішінде", "«Далабай» кені", "Шұғыл учаскесінде").
_KK_NOUN = r"(?i:кен\s+орн\w*|кен\s+көз\w*|кеніш\w*|кені\w*|учаске\w*|зауыт\w*|комбинат\w*|шахта\w*)"
_KK_NOUNS = {"кен орн": "deposit", "кен көз": "deposit", "кеніш": "mine", "кен": "deposit", "учаске": "deposit"}
# Only commodity words may stand between: after any other word "кені" means ore ("марганец кені").
_KK_COMMODITIES = (
    r"(?:алтын|мыс|темір|көмір|уран|вольфрам|литий|мырыш|қорғасын|күміс|марганец|хром|боксит|полиметалл\w*"
    r"|никель|кобальт|молибден|қалайы|титан|фосфорит|барит|сирек|металл)"
)
_KK_NAME_NOUN = re.compile(
    rf"[«\"“]?(?P<name>{_NAME})[»\"”]?(?:\s+{_KK_COMMODITIES}(?:-{_KK_COMMODITIES})?){{0,2}}\s+(?P<noun>{_KK_NOUN})"
)
# A Kazakh list before a plural site word: "A (B), C және D аталған кен көздері", "A, B кен орындары".
_KK_PLURAL = r"(?:(?:аталған|деп\s+аталатын)\s+)?(?:кен\s+орындары|кен\s+көздері|кеніштері)\w*"
_KK_ITEM = rf"[«\"“]?{_NAME}[»\"”]?(?:\s*\([^)]*\))?"
_KK_LIST = re.compile(
    rf"(?P<items>(?:{_KK_ITEM}\s*(?:,\s*(?:және\s+)?|\s+(?:және|мен|бен|пен|та|те)\s+))+{_KK_ITEM})"
    rf"(?P<gap>(?:\s+[а-яёәғқңөұүһі]+){{0,3}}?)\s+{_KK_PLURAL}"
)
# A Kazakh word in the locative ("Алатауында", "өңірде"): a place the list is in, not part of a name.
_KK_LOCATIVE = re.compile(r"\w+(?:нда|нде|ында|інде|да|де|та|те)$")
# A company named as its works, with its legal form: "«Кызылтас Смелтинг» ЖШС", "Tobol Smelting LLP".
# The works word in its name says the company is the plant, so its name is the plant's.
_WORKS_COMPANY = re.compile(
    rf"[«\"“]?(?P<name>{_WORD}(?:\s+{_WORD})?\s+(?P<noun>Smelting|Refining|Смелтинг|Рефайнинг))[»\"”]?"
    r"\s+(?:ЖШС|ТОО|АҚ|АО|LLP|JSC|LLC)\b"
)
_WORKS_KINDS = {"smelting": "smelter", "смелтинг": "smelter", "refining": "refinery", "рефайнинг": "refinery"}
# A quoted name beside a site word in any language: 'the "Molodezhnaya" mine', 'рудник «Кызыл»'.
_QUOTED = re.compile(r"[«\"“](?P<name>[" + _UPPER + r"][^«»\"“”]{1,40}?)[»\"”]")
_SITE_WORD_BEFORE = re.compile(rf"(?P<noun>\b{_ANY_NOUN}|{_RU_NOUN})\s+(?:(?:called|named)\s+)?$")
_SITE_WORD_AFTER = re.compile(rf"^(?:\s+[a-zа-яё-]+){{0,2}}\s+(?P<noun>{_ANY_NOUN}\b|{_RU_NOUN}|{_KK_NOUN})")
# A list opened by a plural site word or a count: a colon, 'include', 'including', 'such as', a dash, a bracket.
_PLURAL_NOUN = (
    r"(?i:deposits|fields|mines|shafts|plants|sites|projects|прояв\w+|месторождени[йяи]\w*|рудник(?:и|а|ов|ами)\b"
    r"|карьер(?:ы|а|ов)\b|участк\w+|объект\w+|кен\s+орындары\w*|кен\s+көздері\w*)"
)
_LIST_OPEN = re.compile(
    rf"{_PLURAL_NOUN}[^.;!?]{{0,100}}?(?P<open>:|\binclude[sd]?\b|\bincluding\b|\bsuch\s+as\b|\bnamely\b"
    r"|\bamong\s+them\b|среди\s+них|в\s+том\s+числе|включая|\s[–—-]\s|\()"
)
# A named part of a deposit: "the Vostochny site of the Zhalpak deposit", "the North block of the Foo field".
_PART_OF = re.compile(
    rf"\b(?P<part>{_WORD})\s+(?P<word>site|block|section|sector|area|flank|zone)\s+of\s+(?:the\s+)?"
    rf"(?P<name>{_NAME})\s+(?P<noun>deposit|field|ore\s+field|orefield|mine)\b"
)
# A plural site word and 'at' before a list of names: "mines deposits at Mynkuduk, Uvanas and Akdala".
_LIST_AT = re.compile(r"(?i:\b(?:deposits|fields|mines|ore\s+bodies))\s+at\s+(?=[«\"“]?[" + _UPPER + "])")
_OTHER_PLURAL = re.compile(
    r"\b(?!(?:deposits|fields|mines|shafts|plants|sites|projects|areas|objects|ones|those|this|is|was|has|its)\b)"
    r"[a-z]{3,}s\s*,?\s*$"
)
_LIST_NEXT = re.compile(
    rf"\s*[«\"“]?(?P<name>{_NAME})[»\"”]?(?:\s*\([^)]*\))?(?P<sep>\s*,\s*(?:and\s+|и\s+|та\s+|және\s+)?"
    r"|\s+(?:and|и|та|және|&)\s+|\s*;\s*|\s*\.{3}|\s*…)?"
)
_LIST_ITEM = re.compile(rf"(?P<name>{_NAME})(?:\s*\([^)]*\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|$)")

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
        "Industry Data Work Works Production Exploration Development Construction Operations Mining Processing "
        "Additionally Moreover Furthermore Besides Finally Currently Recently Similarly Likewise Separately "
        "Plus Minus Here There Today Now Then Thus Meanwhile Overall Total Current Future Pilot Joint Investment "
        "ISL ISR JORC REE REM PGM USSR CIS GOK Site Sites Project Projects Deposit Deposits Mine Mines Plant "
        "Open Opencast Underground Porphyry Skarn Epithermal Greisen Orogenic Placer Alluvial IOCG VMS VHMS SEDEX MVT "
        "Казахстан Республика Министерство Компания Группа Все Эти Это Новое Новый Крупнейшее Крупнейший "
        "Перспективные Перспективное Известные Другие Государственный Казахстанский Российский Китайский "
        "Месторождение Месторождения Рудник Завод Комбинат Участок Қазақстан Бұл Осы Жаңа Ірі "
        "Кыргызстан Киргизия Россия Китай Узбекистан Таджикистан Туркменистан Монголия"
    )
    + [skeleton(word) for word in COMMODITY_WORDS]
)
_ORGANISATION_ENDINGS = frozenset(
    tokens(
        "LLP JSC LLC AG Ltd Inc PLC GmbH Corporation Group Company Holding Directorate Administration "
        "Fund Bank Agency Ministry Committee Council Service Institute Association Exchange"
    )
)
# A name written as a company's: a legal form or a directorate after it, or a legal form before it.
_COMPANY_AFTER = re.compile(
    r"^[»\"”]?\s*(?:\w+\s+){0,2}?(?:LLP|JSC|LLC|Ltd|Inc|PLC|GmbH|AG|Corp\b|Corporation|Company|Holding|"
    r"(?:Mining\s+)?Directorate|Mining\s+Administration|ТОО|АО|ЖШС|АҚ|рудоуправлени\w*)\b"
)
_LEGAL_FORM_FIRST = re.compile(r"(?:LLP|JSC|LLC|TOO|ТОО|АО|ЖШС|АҚ)\s+[«\"“]?")
_COMPANY_BEFORE = re.compile(
    r"(?:\b(?:LLP|JSC|LLC|TOO)|(?<!\w)(?:ТОО|АО|ЖШС|АҚ|ПАО|ОАО|ЗАО|НАК))\s*[«\"“]?\s*(?:[A-ZА-Я]{2,5}\s*[«\"“]\s*)?$"
)
# A name that is a person's: after a title, or a first name joined to a surname ("Kassym-Jomart Tokayev").
_PERSON_BEFORE = re.compile(
    r"\b(?:President|Minister|Premier|Mr|Mrs|Ms|Dr|Akim|CEO|Chairman|Director|Deputy|Senator|академик|"
    r"президент\w*|министр\w*|аким\w*)\.?\s+(?:[A-ZА-Я][\w-]*\s+)?$",
)
_SURNAME_AFTER = re.compile(r"^\s+[A-ZА-Я][a-zа-я]+(?:ov|ev|yev|in|ova|eva|ina|uly|kyzy|ов|ев|ин|ова|ева|ина|ұлы)\b")
# Countries (and foreign regions) in English, and in Russian and Kazakh as written after в/на.
_COUNTRIES = (
    r"Kyrgyzstan|Kyrgyz\s+Republic|Uzbekistan|Russia|Russian\s+Federation|Buryatia|Siberia|Chita|Altai\s+Krai|"
    r"Krasnoyarsk|China|Xinjiang|Mongolia|Tajikistan|Turkmenistan|Afghanistan|Iran|Azerbaijan|Georgia|Armenia|"
    r"Chile|Peru|Australia|Canada|Serbia|Ukraine|Brazil|Argentina|Bolivia|Zimbabwe|Mali|Ghana|Indonesia|Bulgaria"
)
_COUNTRIES_RU = (
    r"Кыргызстан\w*|Киргиз\w*|Росси\w*|Бурятии|Сибири|Китае|Узбекистан\w*|Таджикистан\w*|Монголии|"
    r"Туркменистан\w*|Забайкал\w*|Красноярск\w*"
)
_COUNTRIES_KK = r"(?:Қырғызстан|Ресей|Қытай|Өзбекстан|Тәжікстан)\w*"
# Places abroad: a site near one of these is not Kazakhstan's.
_ABROAD = re.compile(
    rf"\b(?:in|of|near|,)\s+(?:neighbouring\s+|neighboring\s+|the\s+)?(?:{_COUNTRIES})\b"
    rf"|(?:\bв|\bна)\s+(?:{_COUNTRIES_RU})|{_COUNTRIES_KK}"
)
_ABROAD_REACH = 80
# Countries in Russian as a name is written with them: after a comma or in brackets (nominative),
# and after в, "in" (locative; "в Россию", "to Russia", is a direction, not a place).
_COUNTRIES_RU_NAMED = r"Кыргызстан|Киргизия|Россия|Китай|Узбекистан|Таджикистан|Туркменистан|Монголия"
_COUNTRIES_RU_IN = (
    r"Кыргызстане|Киргизии|России|Китае|Узбекистане|Таджикистане|Туркменистане|Монголии|Бурятии|Сибири|Забайкалье"
)
# A name written with its country: "KUMTOR, Kyrgyzstan --" (a dateline), "the Kumtor gold mine (Kyrgyzstan)",
# "Kumtor in Kyrgyzstan", "Кумтор в Кыргызстане"; not "Zarechnoye, Russia's ARMZ said" nor "China National ...".
_SITE_WORDS_BETWEEN = "|".join(
    sorted({*_DESCRIPTORS, *(noun for noun in _NOUNS if " " not in noun)}, key=len, reverse=True)
)
_NAME_IN_COUNTRY = re.compile(
    rf"(?P<name>{_WORD}(?:[ -]{_WORD}){{0,2}})(?:\s+(?:{_SITE_WORDS_BETWEEN})\b){{0,3}}"
    rf"(?:(?:\s*,\s*|\s*\(\s*)(?:{_COUNTRIES}|{_COUNTRIES_RU_NAMED})|\s+in\s+(?:the\s+)?(?:{_COUNTRIES})"
    rf"|\s+в\s+(?:{_COUNTRIES_RU_IN}))\b(?!['’]s)(?!\s+[{_UPPER}])"
)
# A word for a region or a district after a name: "(Джалал-Абадская область)", "Zhanatas district".
_UNIT_WORDS = tuple(word.lower() for word in (*REGION_WORDS, *DISTRICT_WORDS))
# Russian and Kazakh unit words in any case ("области", "районе", "облысында", "ауданындағы"); English ones
# as written or plural ("districts"), not "regional".
_LATIN_UNITS = "|".join(word for word in _UNIT_WORDS if word.isascii())
_OTHER_UNITS = "|".join(word.rstrip("ьы") for word in _UNIT_WORDS if not word.isascii())
_UNIT_AFTER = re.compile(rf"\s+(?P<unit>(?:{_LATIN_UNITS})(?:s|['’]s)?\b|(?:{_OTHER_UNITS})\w*)", re.IGNORECASE)
_UNIT_KEYS = REGION_KEYS | DISTRICT_KEYS
_RUSSIAN_UNITS = ("област", "район")
# Kazakhstan named right after a site's name (and its site words): the site is at home, whatever was named before.
_HOME = re.compile(r"^(?:\s+[a-zа-яё-]+){0,3}?,?\s+(?:in\s+Kazakhstan|в\s+Казахстане|Қазақстанда)\b")


@dataclass(frozen=True)
class Candidate:
    """One mention of a possible site: its name as written, its kind, and where it was read."""

    name: str
    kind: str
    document: str
    sentence: str
    position: int
    pattern: str
    text: str = ""
    #: The number of the sentence in its document (set by the reading pass; -1 when read alone).
    index: int = field(default=-1, compare=False)
    #: Another name written in brackets after this one ("Кок-Жон (уч. Болаттобе)"): an alias, not a site.
    also: str = field(default="", compare=False)

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


def _is_unit_possessive(word: str) -> bool:
    """Whether a word is a region's or district's possessive: "Region's", "District’s"."""
    return word.endswith(("'s", "’s")) and word[:-2].lower() in _UNIT_WORDS


def _before_unit(raw: str, sentence: str, end: int) -> str:
    """The name without the region or district that a unit word after it names ('' when that is all of it).

    "(Джалал-Абадская область)" names a region, "Акбакай Жамбылской области" the deposit Акбакай in
    one; a Russian unit word names the word before it only when that word is an adjective
    ("Бестобе района Биржан сал" is Бестобе, of the district Биржан сал).
    """
    unit = _UNIT_AFTER.match(sentence, end)
    if not unit:
        return raw
    words = raw.split()
    if unit["unit"].lower().startswith(_RUSSIAN_UNITS) and not is_russian_adjective(words[-1].split("-")[-1]):
        return raw
    return " ".join(words[:-1])


def _clean_name(raw: str) -> str | None:
    """The site name inside a matched phrase, or None when it is no name (a description, a company)."""
    words = raw.replace("\n", " ").split()
    if len(words) > 2 and words[1] in ("of", "from") and tokens(words[0])[:1] and tokens(words[0])[0] in DIRECTION_KEYS:
        words = words[2:]  # "25km East of Acktogay ore body": the body is Acktogay
    owner = next((n for n in range(len(words) - 1, -1, -1) if _is_unit_possessive(words[n])), -1)
    words = words[owner + 1 :]  # "Karaganda Region's Kuirektykol deposit": the deposit is Kuirektykol
    while words and tokens(words[0]) and tokens(words[0])[0] in _NOT_NAMES:
        words = words[1:]
    while words and (
        (tokens(words[-1]) and tokens(words[-1])[-1] in _SITE_WORDS) or _is_symbols(words[-1])
    ):  # "the Dzhezkazgan Cu deposits", "the Zorgan Au-Cu mine": the symbols say what, not which
        words = words[:-1]
    if not words:
        return None
    keys = tokens(" ".join(words))
    if not keys or all(key in _NOT_NAMES or key in DIRECTION_KEYS for key in keys) or keys[-1] in _ORGANISATION_ENDINGS:
        return None
    if keys[-1] in _UNIT_KEYS:  # "Suzak District": a district, not a site in it
        return None
    name = " ".join(words).strip("’'-«»\"“”")
    if name.isupper() and len(name) > 4:  # a heading in capitals: "НАУРЫЗБАЙСКОЕ"
        name = name.title()
    if normalise_region(name) or len(name) < 3:
        return None
    return name


def _is_symbols(word: str) -> bool:
    """Whether a word is commodity symbols only, as written: 'Cu', 'Au-Cu', 'Pb-Zn'."""
    return all(len(part) > 1 and part in COMMODITIES for part in word.strip("’'-«»\"“”,").split("-"))


_SITE_WORDS = frozenset(tokens("deposit mine plant GOK combine site project field ГОК месторождение рудник"))


def _kind(noun: str) -> str:
    """The kind of site a site word in any of the three languages means."""
    noun = " ".join(noun.lower().split())
    if noun in _NOUNS:
        return _NOUNS[noun]
    for table in (_RU_NOUNS, _KK_NOUNS):
        for stem, kind in sorted(table.items(), key=lambda item: -len(item[0])):
            if noun.startswith(stem):
                return kind
    return "deposit"


def _is_company(sentence: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` is written as a company's ('Inkai LLP', 'ТОО «Шубарколь»')."""
    before = sentence[max(0, start - 20) : start]
    return bool(_COMPANY_AFTER.match(sentence[end : end + 40]) or _COMPANY_BEFORE.search(before))


def _is_person(sentence: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` is a person's: after a title, or before a surname."""
    return bool(_PERSON_BEFORE.search(sentence[max(0, start - 40) : start]) or _SURNAME_AFTER.match(sentence[end:]))


def _russian_name(name: str, noun: str) -> str:
    """A Russian adjectival name in the nominative, agreeing with its site word: 'Жилянском' → 'Жилянское'."""
    gender = russian_gender(noun)
    return " ".join(russian_lemma(word, gender) for word in name.split())


def _list_names(sentence: str, noun_start: int) -> list[tuple[str, int]]:
    """Names listed before a plural site word: 'the A (copper), B (gold), and C deposits'."""
    head = sentence[:noun_start].rstrip()
    cut = max(head.rfind(" at "), head.rfind(" the "), head.rfind(": "))
    segment_start = cut + 1 if cut >= 0 else 0
    segment = head[segment_start:]
    return [(m["name"], segment_start + m.start("name")) for m in _LIST_ITEM.finditer(segment) if m["name"]]


def _list_after(sentence: str, start: int) -> list[tuple[str, int]]:
    """Names listed from ``start``: 'A, B (gold), C and D', up to the first thing that is no list item."""
    found = []
    position = start
    while True:
        match = _LIST_NEXT.match(sentence, position)
        if not match:
            return found
        found.append((match["name"], match.start("name")))
        if not match["sep"]:
            return found
        position = match.end()


def _candidates_in(sentence: str, document: str) -> list[Candidate]:
    """Every candidate site mention in one sentence."""
    found: list[Candidate] = []

    def add(raw: str, noun: str, position: int, pattern: str, russian: bool = False, titled: bool = False) -> None:
        end = position + len(raw)
        legal = _LEGAL_FORM_FIRST.match(raw)
        if legal and titled:
            raw, position = raw[legal.end() :], position + legal.end()
        elif legal or (_is_company(sentence, position, end) and not titled):
            return
        if _is_person(sentence, position, end):
            return
        raw = _before_unit(raw, sentence, end)
        if not raw:
            return
        name = _clean_name(_russian_name(raw, noun) if russian else raw)
        if name:
            found.append(Candidate(name, _kind(noun), document, sentence, position, pattern, raw))

    headline = _headline(sentence)
    for match in _LIST_OPEN.finditer(sentence):
        if _OTHER_PLURAL.search(sentence[: match.start("open")]):
            continue  # "partners such as Rio Tinto": the list is of something else
        noun = match.group(0).split()[0]
        for name, position in _list_after(sentence, match.end()):
            add(name, noun, position, "list", russian=bool(_CYRILLIC.search(name)))
    for match in _PART_OF.finditer(sentence):  # the part is a site of its own, named with its deposit
        written = f"{match['part']} {match['word']}"
        name = _clean_name(f"{match['name']} {match['part']}")
        if name and tokens(match["part"])[0] not in _NOT_NAMES:
            part = Candidate(name, "deposit", document, sentence, match.start(), "part-of", written, also=written)
            found.append(part)
    for match in _LIST_AT.finditer(sentence):
        noun = match.group(0).split()[0]
        for name, position in _list_after(sentence, match.end()):
            add(name, noun, position, "list", russian=bool(_CYRILLIC.search(name)))
    for match in _NAME_NOUN.finditer(sentence):
        if not set(re.split(r"[\s-]+", match["between"].strip())) <= _DESCRIPTORS | {""}:
            continue
        noun = match["noun"].lower()
        if match["noun"][0].isupper() and headline:
            continue  # in a title-case headline every word is capitalised: "to Develop Rare Earth Metals Deposit"
        if noun == "mines" and _VERB_AFTER.match(sentence[match.end() :]):
            continue  # "the directorate mines uranium": a verb
        if noun in _PLURALS:
            for name, position in _list_names(sentence, match.end("name")):
                add(name, noun, position, "list")
        else:  # "JSC Ust-Kamenogorsk Titanium and Magnesium Plant": the company named as its plant is the plant
            add(match["name"], noun, match.start("name"), "name-noun", titled=match["noun"][0].isupper())
    for match in _NAME_APPOSITION.finditer(sentence):
        described = set(re.split(r"[\s-]+", match["between"].strip())) <= _DESCRIPTORS | {""}
        adverb = re.fullmatch(r"[A-Z][a-z]{4,}ly", match["name"])  # "Additionally, a tungsten plant ..."
        if described and not adverb and match["noun"] not in _PLURALS:
            add(match["name"], match["noun"], match.start("name"), "apposition")
    for match in _NOUN_NAME.finditer(sentence):
        if match["comma"] and not re.match(r"\s*,", sentence[match.end() :]):
            continue  # an apposition is closed by a comma: "the largest tin deposit, Sarymbet, lies"
        add(match["name"], match["noun"], match.start("name"), "noun-name")
    for match in _RU_NOUN_NAME.finditer(sentence):
        add(match["name"], match["noun"], match.start("name"), "noun-name", russian=True)
        if match["noun"].lower().rstrip(".") in ("уч",) or not re.match(r"\s*,", sentence[match.end() :]):
            continue
        for name, position in _list_after(sentence, match.start("name"))[1:]:
            add(name, match["noun"], position, "list", russian=True)
    for match in _RU_ADJ_NOUN.finditer(sentence):
        if not is_russian_adjective(match["name"].split()[-1]):
            continue  # a noun with an adjective's ending: "Освоение месторождения"
        add(match["name"], match["noun"], match.start("name"), "name-noun", russian=True)
    for match in _KK_NAME_NOUN.finditer(sentence):  # "Далабайдың кен орны": a genitive name loses its ending
        add(
            " ".join(kazakh_stem(word) for word in match["name"].split()),
            match["noun"],
            match.start("name"),
            "name-noun",
        )
    for match in _KK_LIST.finditer(sentence):
        if re.search(r"(?:лар|лер|дар|дер|тар|тер)ы?і?\b", match["gap"]):
            continue  # "A, B және C компаниялары … кен орындарын": the list is of something else
        items = _list_after(sentence, match.start("items"))
        if match["gap"].strip():  # "…, D жотасының баурайында аталған кен көздері": D is a ridge
            items = items[:-1]
        for raw, position in items:
            words = raw.split()
            last_place = max((n for n, word in enumerate(words) if _KK_LOCATIVE.match(word)), default=-1)
            if last_place >= 0:  # "Жетісу Алатауында Тентек": the name starts after the place it is in
                position += len(" ".join(words[: last_place + 1])) + 1
                words = words[last_place + 1 :]
            if words:
                add(" ".join(words), "кен орны", position, "list")
    for match in _WORKS_COMPANY.finditer(sentence):
        add(match["name"], _WORKS_KINDS[match["noun"].lower()], match.start("name"), "company-works", titled=True)
    for match in _QUOTED.finditer(sentence):
        before, after = sentence[max(0, match.start() - 20) : match.start()], sentence[match.end() : match.end() + 30]
        noun = _SITE_WORD_BEFORE.search(before) or _SITE_WORD_AFTER.match(after)
        if noun:
            cyrillic = bool(_CYRILLIC.search(match["name"]))
            add(match["name"], noun["noun"], match.start("name"), "quoted", russian=cyrillic)
    for name, position, _ in coordinated_names(sentence):  # "East and West Saryoba": East Saryoba too
        if any(candidate.position <= position < candidate.position + len(candidate.text) for candidate in found):
            continue
        nouns = [c for c in found if c.position > position and c.name.endswith(name.split(maxsplit=1)[1])]
        if nouns:
            found.append(replace(nouns[0], name=name, position=position, text=name))
    return _bracketed_as_aliases(_unique(found), sentence)


# Between a name and a second one in brackets after it: "X (уч. Y)", "X (Y)", "X (also Y)".
_BRACKET_OPEN = re.compile(
    r"[»\"”]?\s*\(\s*(?:уч\.|участок|site|area|also|or|или|бывш\.|former)?\s*[«\"“]?$", re.IGNORECASE
)


def _bracketed_as_aliases(found: list[Candidate], sentence: str) -> list[Candidate]:
    """A name alone in brackets right after another (a sub-area, an other name) becomes that one's alias."""
    kept: list[Candidate] = []
    for candidate in found:
        before = kept[-1] if kept else None
        if before is not None:
            end = before.position + len(before.text or before.name)
            between = sentence[end : candidate.position]
            closes = re.match(
                r"\s*[»\"”]?\s*\)", sentence[candidate.position + len(candidate.text or candidate.name) :]
            )
            if end <= candidate.position and _BRACKET_OPEN.fullmatch(between) and closes:
                kept[-1] = replace(before, also=candidate.name)
                continue
        kept.append(candidate)
    return kept


def _headline(sentence: str) -> bool:
    """Whether a sentence is written in title case, as headlines are (most longer words capitalised)."""
    words = [word for word in re.findall(r"[^\W\d_]+", sentence) if len(word) > 3]
    return len(words) >= 5 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def _unique(found: list[Candidate]) -> list[Candidate]:
    """One candidate per position: the longest name read there by any pattern."""
    best: dict[int, Candidate] = {}
    for candidate in found:
        if candidate.position not in best or len(candidate.name) > len(best[candidate.position].name):
            best[candidate.position] = candidate
    return sorted(best.values(), key=lambda c: c.position)


_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_VERB_AFTER = re.compile(r"^\s+(?!(?:in|at|of|and|are|were|is|was|have|had|will|which|that)\b)[a-z]")


def _abroad(candidate: Candidate) -> bool:
    """Whether the sentence places the candidate in another country ('... mine in Kyrgyzstan')."""
    after = candidate.sentence[candidate.position + len(candidate.name) : candidate.position + len(candidate.name) + 40]
    if _HOME.search(after):
        return False  # "… на Ульбинский металлургический завод в Казахстане": the nearer country is its
    start = max(0, candidate.position - _ABROAD_REACH)
    window = candidate.sentence[start : candidate.position + len(candidate.name) + _ABROAD_REACH]
    return bool(_ABROAD.search(window))


def _abroad_keys(annotated: AnnotatedDocument) -> set[str]:
    """The names a document writes with a foreign country ("KUMTOR, Kyrgyzstan --"): abroad in all its sentences."""
    sentences = annotated.document.sentences
    names = [match["name"].split() for sentence in sentences for match in _NAME_IN_COUNTRY.finditer(sentence)]
    # every ending of the name as well: "Centerra's Kumtor, Kyrgyzstan" writes Kumtor with its country
    return {merge_key(" ".join(words[start:])) for words in names for start in range(len(words))} - {""}


def _best_name(spellings: list[str]) -> str:
    """The name to show: the most frequent Latin spelling, else the most frequent one."""
    latin = [s for s in spellings if s.isascii()] or spellings
    return max(dict.fromkeys(latin), key=lambda s: (latin.count(s), -len(s)))


def _meant(allowed: Callable[[Document, str], bool], document: Document, site_id: str) -> bool:
    """Whether the document may mean the known site (a registry-unplaced name, id '', always)."""
    return not site_id or allowed(document, site_id)


@dataclass(frozen=True)
class Reading:
    """What detection read: new sites, and the spellings by which known sites were named (site id → words)."""

    detections: list[Detection]
    links: dict[str, tuple[str, ...]]


#: How alike (rapidfuzz ratio) a name must be to a known name to be linked to it despite a slip of spelling.
_LINK_RATIO = 90
_LINK_MIN_LENGTH = 6


class KeyIndex:
    """Known names by their :func:`merge_key`, each with the ids bearing it, found as written or despite a slip."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self.ids: dict[str, list[str]] = {}
        for name, target in names:
            targets = self.ids.setdefault(merge_key(name), [])
            if target not in targets:
                targets.append(target)
        self.ids.pop("", None)
        self._by_first: dict[str, list[str]] = {}
        for key in self.ids:
            self._by_first.setdefault(key[:1], []).append(key)

    def get(self, key: str) -> list[str]:
        """The ids bearing a name of exactly this key."""
        return self.ids.get(key, [])

    def fuzzy(self, key: str) -> list[str]:
        """The ids bearing a name whose key differs from ``key`` by a slip of spelling (same words, same initial)."""
        if len(key) < _LINK_MIN_LENGTH:
            return []
        choices = [other for other in self._by_first.get(key[:1], ()) if len(other.split()) == len(key.split())]
        match = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=_LINK_RATIO)
        return self.ids[match[0]] if match else []


#: Kinds of site named after a town or river by a Russian adjective ("Ульбинский металлургический завод").
_FACILITY_KINDS = frozenset({"plant", "smelter", "refinery"})
# The linking vowel and consonant of a Russian relational adjective's stem: Ульба → Ульб-ин-ский, Караганда →
# Карагандинский; the merge key keeps them ("ulbin"), the base name's key does not ("ulb").
_ADJECTIVE_LINK = re.compile(r"(?<=\w{3})(?:in|ov|ev)$")


def adjective_base_key(candidate: Candidate) -> str:
    """The merge key of the name a Russian facility's adjective is made from ('Ульбинский' → that of 'Ульба'), or ''.

    Only for plants, smelters and refineries, which take their town's or river's name; a deposit's
    adjective ("Белинский") is its own name.
    """
    if candidate.kind not in _FACILITY_KINDS or not _CYRILLIC.search(candidate.name):
        return ""
    base = _ADJECTIVE_LINK.sub("", candidate.key)
    return base if base != candidate.key else ""


def detect_sites(documents: list[Document], known: Iterable[str] | Mapping[str, str] = ()) -> list[Detection]:
    """Sites named in the documents that are not among ``known`` names, merged across spellings.

    ``known`` holds every name and alias of sites already in the registry (or known to be
    unlocatable), so that their mentions, even inside a longer phrase ("the Qarmet Karagandy
    metallurgical plant"), are not taken for new sites.
    """
    return read_sites(documents, known).detections


def _with_site_word(candidate: Candidate) -> str:
    """The candidate's words together with the site word beside them: 'Aktogay copper deposit', 'рудник Акбулак'."""
    words = candidate.text or candidate.name
    start = candidate.position + max(words.find(candidate.name), 0)  # "The Aktogay": from the name on
    end = candidate.position + len(words)
    after = _SITE_WORD_AFTER.match(candidate.sentence[end:])
    if after:
        return candidate.sentence[start : end + after.end()]
    before = _SITE_WORD_BEFORE.search(candidate.sentence[:start])
    return candidate.sentence[before.start("noun") : end] if before else words


def read_sites(
    documents: list[Document] | list[AnnotatedDocument],
    known: Iterable[str] | Mapping[str, str] = (),
    allowed: Callable[[Document, str], bool] | None = None,
    beside_site_word: Mapping[str, str] | None = None,
) -> Reading:
    """Every site the documents name: linked to a ``known`` one (name → site id) first, else a new detection.

    ``allowed(document, site_id)`` tells whether the document may mean that site (by the regions
    it names); a name whose every known bearer is ruled out is read as a new site.
    ``beside_site_word`` (name → site id) holds names that are also places ('Aktogay', a town and
    a copper mine): one links only where the text calls it a site ('the Aktogay copper mine'), and
    its spelling is returned with that site word, so that the town alone is never taken for the site.

    A candidate is linked when its merge key is a known name's, or differs from one by a slip
    of spelling (rapidfuzz); its words as written are then returned as a spelling of that site,
    so that extraction finds the inflected or misspelt mention ("Восточно-Аятского").
    """
    ids = dict(known) if isinstance(known, Mapping) else dict.fromkeys(known, "")
    known_keys = KeyIndex(ids.items())
    place_keys = KeyIndex((beside_site_word or {}).items())
    allowed = allowed or (lambda _document, _site_id: True)
    known_index = NameIndex(list(ids.items()))
    candidates = []
    links: dict[str, set[str]] = {}
    from geo.reading.annotate import as_annotated  # the reading pass reads with this module's patterns
    from geo.reading.link import link_known

    for annotated in as_annotated(documents):
        document = annotated.document
        link_known(annotated, known_index, functools.partial(_meant, allowed, document))
        abroad = _abroad_keys(annotated)
        for number in range(len(document.sentences)):
            taken = [(span.start, span.end) for span in annotated.spans("site", number)]
            for candidate in annotated.values("candidate", number):
                end = candidate.position + len(candidate.name)
                overlaps = any(start < end and candidate.position < stop for start, stop in taken)
                exact = known_keys.get(candidate.key)  # 'Ushkatyn-3' is Ushkatyn III, though 'Ushkatyn' is known too
                if not candidate.key or (overlaps and not exact) or _abroad(candidate) or candidate.key in abroad:
                    continue
                base = adjective_base_key(candidate)
                targets = exact or known_keys.fuzzy(candidate.key) or known_keys.get(base)
                target = next((t for t in targets if not t or allowed(document, t)), None)
                words = candidate.text or candidate.name
                placed_by = place_keys.get(candidate.key) or place_keys.get(base)
                if target is None and placed_by:
                    target = next((t for t in placed_by if allowed(document, t)), None)
                    words = _with_site_word(candidate)
                if target is None:  # not known, or only a namesake elsewhere than the article says
                    candidates.append(candidate)
                elif target:
                    links.setdefault(target, set()).add(words)
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.key, []).append(candidate)
    detections = []
    for key, mentions in groups.items():
        kinds = [m.kind for m in mentions]
        spellings = [m.name for m in mentions]
        name = _best_name(spellings)
        aliases = tuple(sorted((set(spellings) | {m.also for m in mentions if m.also}) - {name}))
        detections.append(Detection(key, name, aliases, max(dict.fromkeys(kinds), key=kinds.count), tuple(mentions)))
    return Reading(sorted(detections, key=lambda d: d.key), {k: tuple(sorted(v)) for k, v in sorted(links.items())})
