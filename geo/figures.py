"""Figures in a sentence: quantities with units, money, percentages, counts, dates and years.

Each figure keeps the words it was written with (``text``), a value in a base unit
(tonnes, g/t, km², m, USD, KZT, %) and a label taken from the words around it
("reserves", "investment"), so conflicting figures can be compared and all kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Figure", "parse_dates", "parse_figures", "parse_number"]

_SCALE = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_NUMBER_WORDS = {
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20, "fifty": 50, "hundred": 100,
}  # fmt: skip

_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")"
_SCALE_RE = r"(?:\s*(?P<scale>thousand|million|mln|billion|bn|trillion)\b)?"
_PREFIX = r"(?P<prefix>\$|USD\s?|US\$|KZT\s?|₸)?"

# Units after a number: (regex, kind, unit, multiplier to the base unit).
_UNITS: tuple[tuple[str, str, str, float], ...] = (
    (r"g/t|grams? per (?:metric )?ton(?:ne)?", "grade", "g/t", 1.0),
    (r"ktpa|kt(?:/y| per year| a year)", "mass", "t/yr", 1e3),
    (r"(?:metric )?(?:tons|tonnes|ton|tonne|t)\b(?: per year| a year|/y(?:ear)?)", "mass", "t/yr", 1.0),
    (r"(?:metric )?(?:tons|tonnes|ton|tonne)\b|t\b(?!-)", "mass", "t", 1.0),
    (r"kt\b", "mass", "t", 1e3),
    (r"(?:square kilomet(?:er|re)s?|sq\.? ?km|km²|km2)", "area", "km2", 1.0),
    (r"hectares?|ha\b", "area", "km2", 0.01),
    (r"(?:kilomet(?:er|re)s?|km)\b", "distance", "km", 1.0),
    (r"(?:met(?:er|re)s?|m)\b", "length", "m", 1.0),
    (r"%|percent\b|per cent\b", "percent", "%", 1.0),
    (r"(?:US )?dollars?\b|USD\b", "money", "USD", 1.0),
    (r"tenge\b|KZT\b", "money", "KZT", 1.0),
    (r"(?:(?:new|promising|prospective|registered|rare[- ]earth|solid mineral) ){0,2}"
     r"(?:sites|deposits|areas|zones|fields|projects|mines|plants)\b", "count", "", 1.0),
)  # fmt: skip
_FIGURE = re.compile(
    _PREFIX + _NUM + _SCALE_RE + r"(?:\s*(?P<unit>" + "|".join(f"(?:{u[0]})" for u in _UNITS) + r"))?",
    re.IGNORECASE,
)
_UNIT_RES = [(re.compile(rf"^(?:{pattern})$", re.IGNORECASE), kind, unit, mult) for pattern, kind, unit, mult in _UNITS]

# Words that say what a figure measures, most specific first, and the kinds of figure they fit.
_LABELS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("proven reserves", "reserves", ("mass",)),
    ("confirmed reserves", "reserves", ("mass",)),
    ("predicted resources", "predicted resources", ("mass",)),
    ("reserves", "reserves", ("mass",)),
    ("resources", "resources", ("mass",)),
    ("estimate", "estimate", ("mass",)),
    ("production", "production", ("mass", "percent")),
    ("output", "production", ("mass", "percent")),
    ("capacity", "capacity", ("mass",)),
    ("invest", "investment", ("money", "percent")),
    ("valued at", "value", ("money",)),
    ("funding", "funding", ("money",)),
    ("allocated", "funding", ("money",)),
    ("signing bonus", "signing bonuses", ("money",)),
    ("concentration", "grade", ("grade",)),
    ("grade", "grade", ("grade",)),
    ("depth", "depth", ("length",)),
    ("surveyed", "surveyed", ("area",)),
    ("studied", "studied", ("area", "count")),
    ("area", "area", ("area",)),
    ("identified", "identified", ("count",)),
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH = "|".join(_MONTHS)
_DATE = re.compile(
    rf"\b(?P<month>{_MONTH})(?: (?P<day>\d{{1,2}}),?)? (?P<year>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<day2>\d{{1,2}}) (?P<month2>{_MONTH}) (?P<year2>(?:19|20)\d{{2}})\b"
    rf"|(?<![\d$.,])\b(?P<year3>(?:19|20)\d{{2}})\b(?!\d|[.,]\d|\s*(?:tons|t\b|km|m\b|%|sites|deposits))"
)


@dataclass(frozen=True)
class Figure:
    """A figure found in a sentence: what kind, its value in a base unit, and how it was written."""

    kind: str
    value: float | None
    unit: str
    text: str
    label: str | None
    start: int


def parse_number(text: str) -> float:
    """Parse '935,400', '28.2' or a number word ('one') into a float.

    >>> parse_number("935,400"), parse_number("one")
    (935400.0, 1.0)
    """
    lowered = text.lower()
    if lowered in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[lowered])
    return float(text.replace(",", ""))


def _label(sentence: str, start: int, end: int, kind: str) -> str | None:
    """What a figure measures: the most specific fitting label before it in its clause, else the nearest after."""
    clause_start = max(sentence.rfind(sep, 0, start) for sep in (";", " — ", "(", ", up from", ", including"))
    before = sentence[max(clause_start, 0) : start].lower()
    after = sentence[end : end + 40].lower()
    fitting = [(word, label) for word, label, kinds in _LABELS if kind in kinds]
    for word, label in fitting:
        if word in before:
            return label
    found = sorted((after.find(word), label) for word, label in fitting if word in after)
    return found[0][1] if found else None


def _unit(prefix: str, unit_text: str) -> tuple[str, str, float] | None:
    """(kind, unit, multiplier) for a currency prefix or a unit word; None for a bare number."""
    if prefix:
        return ("money", "KZT", 1.0) if prefix.strip().upper() in ("KZT", "₸") else ("money", "USD", 1.0)
    for pattern, kind, unit, multiplier in _UNIT_RES:
        if unit_text and pattern.match(unit_text):
            return kind, unit if kind != "count" else unit_text.split()[-1].lower(), multiplier
    return None


def parse_figures(sentence: str) -> list[Figure]:
    """Every quantity with a unit or currency in a sentence, in order.

    Bare numbers (and years) are not figures: without a unit their meaning is a guess.

    >>> [(f.kind, f.value, f.unit) for f in parse_figures("It holds 28.2 million tons at 700 grams per ton.")]
    [('mass', 28200000.0, 't'), ('grade', 700.0, 'g/t')]
    >>> [(f.kind, f.value, f.unit, f.label) for f in parse_figures("an investment of $8 million")]
    [('money', 8000000.0, 'USD', 'investment')]
    """
    figures = []
    for match in _FIGURE.finditer(sentence):
        word_number = not match["num"][0].isdigit()
        has_unit = match["prefix"] or match["unit"]
        if not has_unit or (word_number and not match["scale"] and match["unit"] is None):
            continue
        if word_number and match["num"].lower() == "a" and not match["scale"]:
            continue
        kind, unit, multiplier = _unit(match["prefix"] or "", match["unit"] or "") or ("", "", 1.0)
        if not kind:
            continue
        value = parse_number(match["num"]) * _SCALE.get((match["scale"] or "").lower(), 1.0) * multiplier
        if kind == "money" and match["unit"] and _unit("", match["unit"]):
            unit = _unit("", match["unit"])[1]  # "KZT 67 billion tenge" and "$20 million USD" agree
        figures.append(
            Figure(
                kind=kind,
                value=round(value, 6),
                unit=unit,
                text=match.group(0).strip(),
                label=_label(sentence, match.start(), match.end(), kind),
                start=match.start(),
            )
        )
    return figures


def parse_dates(sentence: str) -> list[Figure]:
    """Dates and years in a sentence as figures of kind ``date`` (ISO text) or ``year``.

    >>> [(f.kind, f.text, f.value) for f in parse_dates("Launched on November 1, 2024; work began in 2022.")]
    [('date', '2024-11-01', None), ('year', '2022', 2022.0)]
    """
    found = []
    for match in _DATE.finditer(sentence):
        month = match["month"] or match["month2"]
        if month:
            year = match["year"] or match["year2"]
            day = match["day"] or match["day2"]
            number = _MONTHS.index(month) + 1
            iso = f"{year}-{number:02d}-{int(day):02d}" if day else f"{year}-{number:02d}"
            found.append(Figure("date", None, "", iso, None, match.start()))
        else:
            year = match["year3"]
            found.append(Figure("year", float(year), "", year, None, match.start()))
    return found
