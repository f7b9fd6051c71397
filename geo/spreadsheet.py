"""CSV cells that spreadsheets show as text: nothing from an article may run as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken for a
formula by Excel and LibreOffice (CSV injection); such text gets a leading apostrophe,
which spreadsheets hide, and every other value is left as it is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["safe_cell"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return ``value``, with a leading apostrophe if it is text a spreadsheet would run.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Kuirektykol"), safe_cell(-3.5)
    ("'=HYPERLINK(1)", 'Kuirektykol', -3.5)
    """
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value
