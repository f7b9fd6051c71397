"""One reading pass: each article read once into annotated spans that every later stage consumes.

:func:`annotate` reads what needs only the text; :mod:`geo.reading.link` what needs the sites.
"""

from geo.reading.annotate import annotate, annotate_all, as_annotated, commodities_in, describe_clue
from geo.reading.doc import SPAN_TYPES, AnnotatedDocument, Span

__all__ = [
    "SPAN_TYPES",
    "AnnotatedDocument",
    "Span",
    "annotate",
    "annotate_all",
    "as_annotated",
    "commodities_in",
    "describe_clue",
]
