"""One reading of the commodity fields of every open dataset: symbols, names, minerals, oxides and words.

Sources write commodities in many ways: element symbols (``Cu``, ``Ni;Co``), element names
(``Uranium``, ``Lanthanum``), mineral names (``chromite``, ``sylvite``), oxides (``WO3``),
product words (``iron ore``, ``thermal coal``), the USGS potash codes (``K  HAL``) and, in
the Ni-Co laterite database, a deposit's whole mineralogy followed by its metals. The rules:

* Items are split on ``;``, ``,``, ``/`` and runs of two or more spaces (``HAL  K`` is two codes).
* An element symbol is read case-sensitively (``Co`` cobalt, not ``CO``); names, minerals,
  oxides and words are read case-insensitively.
* Each lanthanide name (and ``rare earths``, ``lanthanides``, ``REO``) is ``REE``; yttrium and
  scandium keep their own symbols ``Y`` and ``Sc``.
* Gangue and rock-forming minerals (quartz, serpentine, nontronite, pyrite, feldspar...) and
  non-critical industrial products (halite ``HAL``, salt, gypsum, brine, talc, asbestos,
  vermiculite, sulphuric acid) are known and ignored: they are not commodities of the atlas.
* **A list that names elements and minerals together is a mineral inventory**: the Ni-Co
  laterite rows list goethite, magnetite, chromite, garnierite... and then ``Ni;Co``. When a
  list gives any element (symbol or name), its mineral names describe the mineralogy and are
  ignored, so such a row is ``Ni, Co`` and not ``Fe, Cr, Ni, Co``. Product words (``iron ore``)
  always count.
* Anything else is not guessed: :func:`unknown_commodity_words` returns it so an adapter can
  report it.

A *database-level* list — the same list on every row of a database, e.g. the porphyry copper
database's ``Cu;Mo;Au;Ag`` — says what the database records, not what was found at each
deposit; :func:`shared_commodity_list` detects it so an adapter can say so in its records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["normalise_commodities", "shared_commodity_list", "split_commodities", "unknown_commodity_words"]

#: Element symbols read as themselves (case-sensitive), plus the potash database's upper-case codes.
_ELEMENT_SYMBOLS = (
    "Li",
    "Be",
    "B",
    "C",
    "F",
    "Mg",
    "Al",
    "P",
    "S",
    "K",
    "Sc",
    "Ti",
    "V",
    "Cr",
    "Mn",
    "Fe",
    "Co",
    "Ni",
    "Cu",
    "Zn",
    "Ga",
    "As",
    "Se",
    "Br",
    "Sr",
    "Y",
    "Zr",
    "Nb",
    "Mo",
    "Rh",
    "Pd",
    "Ag",
    "Cd",
    "In",
    "Sn",
    "Sb",
    "Te",
    "Ba",
    "La",
    "Ce",
    "Ta",
    "W",
    "Re",
    "Os",
    "Pt",
    "Au",
    "Hg",
    "Pb",
    "Bi",
    "U",
    "REE",
    "PGE",
)

#: Element symbols read as themselves (case-sensitive), plus the potash database's upper-case codes.
_SYMBOLS: dict[str, str] = {
    **{symbol: symbol for symbol in _ELEMENT_SYMBOLS},
    "MG": "Mg",
    "BR": "Br",
}

_LANTHANIDES = (
    *("lanthanum", "cerium", "praseodymium", "neodymium", "promethium", "samarium", "europium", "gadolinium"),
    *("terbium", "dysprosium", "holmium", "erbium", "thulium", "ytterbium", "lutetium"),
)

#: Element names (lower case) → symbol.
_ELEMENT_NAMES: dict[str, str] = {
    **dict.fromkeys(_LANTHANIDES, "REE"),
    "yttrium": "Y",
    "scandium": "Sc",
    "lithium": "Li",
    "beryllium": "Be",
    "boron": "B",
    "fluorine": "F",
    "magnesium": "Mg",
    "aluminium": "Al",
    "aluminum": "Al",
    "phosphorus": "P",
    "sulphur": "S",
    "sulfur": "S",
    "potassium": "K",
    "titanium": "Ti",
    "vanadium": "V",
    "chromium": "Cr",
    "manganese": "Mn",
    "iron": "Fe",
    "cobalt": "Co",
    "nickel": "Ni",
    "copper": "Cu",
    "zinc": "Zn",
    "gallium": "Ga",
    "arsenic": "As",
    "selenium": "Se",
    "bromine": "Br",
    "strontium": "Sr",
    "zirconium": "Zr",
    "niobium": "Nb",
    "molybdenum": "Mo",
    "rhodium": "Rh",
    "palladium": "Pd",
    "silver": "Ag",
    "cadmium": "Cd",
    "indium": "In",
    "tin": "Sn",
    "antimony": "Sb",
    "tellurium": "Te",
    "barium": "Ba",
    "tantalum": "Ta",
    "tungsten": "W",
    "rhenium": "Re",
    "osmium": "Os",
    "platinum": "Pt",
    "gold": "Au",
    "mercury": "Hg",
    "lead": "Pb",
    "bismuth": "Bi",
    "uranium": "U",
}

#: Ore minerals (lower case) → the commodity they are mined for; ignored inside a list that names elements.
_MINERALS: dict[str, str] = {
    "chromite": "Cr",
    "garnierite": "Ni",
    "pentlandite": "Ni",
    "magnetite": "Fe",
    "hematite": "Fe",
    "goethite": "Fe",
    "limonite": "Fe",
    "siderite": "Fe",
    "bauxite": "Al",
    "sylvite": "K",
    "sylvinite": "K",
    "carnallite": "K",
    "apatite": "P",
    "fluorapatite": "P",
    "phosphorite": "P",
    "barite": "Ba",
    "baryte": "Ba",
    "wolframite": "W",
    "scheelite": "W",
    "cassiterite": "Sn",
    "spodumene": "Li",
    "lepidolite": "Li",
    "magnesite": "Mg",
    "fluorite": "F",
    "fluorspar": "F",
    "mn-hydroxide": "Mn",
    "pyrolusite": "Mn",
    "ilmenite": "Ti",
    "rutile": "Ti",
    "zircon": "Zr",
    "monazite": "REE",
    "xenotime": "Y",
    "bastnaesite": "REE",
    "chalcopyrite": "Cu",
    "sphalerite": "Zn",
    "galena": "Pb",
    "molybdenite": "Mo",
    "stibnite": "Sb",
    "beryl": "Be",
    "columbite": "Nb",
    "tantalite": "Ta",
    "uraninite": "U",
    "colemanite": "B",
    "celestite": "Sr",
}

#: Oxides and grades (lower case) → symbol.
_OXIDES: dict[str, str] = {
    "wo3": "W",
    "p2o5": "P",
    "k2o": "K",
    "kcl": "K",
    "cr2o3": "Cr",
    "tio2": "Ti",
    "u3o8": "U",
    "v2o5": "V",
    "al2o3": "Al",
    "fe2o3": "Fe",
    "li2o": "Li",
    "nb2o5": "Nb",
    "ta2o5": "Ta",
    "mno": "Mn",
    "mgo": "Mg",
    "b2o3": "B",
    "reo": "REE",
    "treo": "REE",
}

#: Product and family words (lower case) → symbol.
_WORDS: dict[str, str] = {
    "rare earths": "REE",
    "rare earth": "REE",
    "rare earth elements": "REE",
    "rare-earth elements": "REE",
    "lanthanides": "REE",
    "iron ore": "Fe",
    "pig iron": "Fe",
    "steel": "Fe",
    "crude steel": "Fe",
    "coal": "C",
    "thermal coal": "C",
    "metallurgical coal": "C",
    "coking coal": "C",
    "lignite": "C",
    "alumina": "Al",
    "potash": "K",
    "phosphate": "P",
    "phosphate rock": "P",
    "ferrochrome": "Cr",
    "ferrochromium": "Cr",
    "platinum group elements": "PGE",
    "platinum-group elements": "PGE",
}

#: Known and deliberately ignored: gangue and rock-forming minerals, non-critical industrial products.
_IGNORED = frozenset(
    {
        *("hal", "halite", "salt", "rock salt", "gyp", "gypsum", "anhydrite", "bri", "brine", "talc", "opal"),
        *("beidellite", "nontronite", "kerolite", "saponite", "chlorite", "montmorillonite", "dolomite"),
        *("serpentine", "quartz", "kaolinite", "olivine", "pyrite", "feldspar", "muscovite", "mica", "asbestos"),
        *("vermiculite", "calcite", "clay", "limestone", "sand", "gravel", "sulphuric acid", "sulfuric acid"),
    }
)

_SEPARATORS = re.compile(r"\s*(?:[;,/]|\s{2,})\s*")


def split_commodities(raw: str) -> list[str]:
    """The items of a commodity field, stripped, empty ones dropped.

    >>> split_commodities("K;HAL;HAL  K")
    ['K', 'HAL', 'HAL', 'K']
    """
    return [item for item in _SEPARATORS.split(raw.strip()) if item]


def _read(item: str) -> tuple[str, str | None]:
    """What one item is (``element``, ``mineral``, ``word``, ``ignored`` or ``unknown``) and its symbol."""
    if item in _SYMBOLS:
        return "element", _SYMBOLS[item]
    key = " ".join(item.lower().split())
    if key in _ELEMENT_NAMES:
        return "element", _ELEMENT_NAMES[key]
    if key in _MINERALS:
        return "mineral", _MINERALS[key]
    if key in _OXIDES:
        return "element", _OXIDES[key]
    if key in _WORDS:
        return "word", _WORDS[key]
    if key in _IGNORED:
        return "ignored", None
    return "unknown", None


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def normalise_commodities(raw: str) -> tuple[str, ...]:
    """Commodity symbols of a source's commodity field, in order of first appearance, without repeats.

    >>> normalise_commodities("Ni;Co;Ni")
    ('Ni', 'Co')
    >>> normalise_commodities("Uranium;Lanthanum;Cerium;Yttrium")
    ('U', 'REE', 'Y')
    >>> normalise_commodities("goethite;chromite;garnierite;serpentine;Ni;Co")  # mineralogy + metals
    ('Ni', 'Co')
    >>> normalise_commodities("chromite")
    ('Cr',)
    >>> normalise_commodities("HAL;K;HAL  K")
    ('K',)
    >>> normalise_commodities("")
    ()
    """
    read = [_read(item) for item in split_commodities(raw)]
    inventory = any(what == "element" for what, _ in read)
    keep = ("element", "word") if inventory else ("element", "word", "mineral")
    return _dedupe(symbol for what, symbol in read if what in keep and symbol)


def unknown_commodity_words(raw: str) -> tuple[str, ...]:
    """The items of a commodity field that no rule reads (neither a commodity nor known gangue).

    >>> unknown_commodity_words("Cu;unobtainium;quartz")
    ('unobtainium',)
    """
    return _dedupe(item for item in split_commodities(raw) if _read(item)[0] == "unknown")


def shared_commodity_list(raws: Iterable[str], min_rows: int = 3, min_items: int = 3) -> tuple[str, ...]:
    """The items every row of a database shares, when that is a *database-level* list, else ``()``.

    A list is database-level when at least ``min_rows`` rows all carry the same ``min_items``
    or more items (in any order) and no row adds more than one item of its own (the REE
    database puts one word of its own before the shared lanthanide list). The Ni-Co laterite
    rows share a few minerals but each lists its own mineralogy: not database-level.

    >>> shared_commodity_list(["Cu;Mo;Au;Ag"] * 3)
    ('Cu', 'Mo', 'Au', 'Ag')
    >>> shared_commodity_list(["Cu", "Cu;Ag", "Cu"])
    ()
    """
    lists = [list(dict.fromkeys(split_commodities(raw))) for raw in raws]
    if len(lists) < min_rows or not lists[0]:
        return ()
    common = set(lists[0]).intersection(*map(set, lists[1:]))
    if len(common) < min_items or any(len(items) - len(common) > 1 for items in lists):
        return ()
    return tuple(item for item in lists[0] if item in common)
