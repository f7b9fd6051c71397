"""Numbers as the atlas writes them, everywhere: one helper, so a figure reads the same in every view."""

from __future__ import annotations

import math

__all__ = ["UNITS", "format_number", "format_quantity"]

#: How a unit is written after a number.
UNITS: dict[str, str] = {"km2": "km²", "%": "%", "t": "t"}

_SCALES = ((1e9, "billion"), (1e6, "million"))


def format_number(value: float | int | None) -> str:
    """A number with thousands separated, millions and billions in words, at most 3 significant digits there.

    >>> [format_number(v) for v in (2014400.0, 2.2e6, 67e9, 1332.04, 64.2, 0.5, 25.0, None)]
    ['2.01 million', '2.2 million', '67 billion', '1,332', '64.2', '0.5', '25', '–']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{value / scale:.3g} {word}"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def format_quantity(value: float | int | None, unit: str | None) -> str:
    """A number and its unit, e.g. ``"2.2 million km²"``, ``"2.4%"``, ``"38 deposits"``.

    >>> format_quantity(2.2e6, "km2"), format_quantity(2.4, "%"), format_quantity(67e9, "KZT")
    ('2.2 million km²', '2.4%', '67 billion KZT')
    """
    written = UNITS.get(unit or "", unit or "")
    number = format_number(value)
    return f"{number}{written}" if written == "%" else f"{number} {written}".rstrip()
