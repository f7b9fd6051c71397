"""The annotated document: an article's sentences and the spans one reading pass found in them.

Modelled on spaCy's ``Doc``: the text is never changed, and every reading (a site's name, a
place, a distance, a figure) is a :class:`Span` that points into one sentence by character
offsets and says in words why it was read so. The later stages (detection, locating,
extraction) take their readings from here instead of scanning the sentences again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from geo.sources import Document

__all__ = ["SPAN_TYPES", "AnnotatedDocument", "Span"]

#: The kinds of span, in the order the reading view lists them.
SPAN_TYPES = (
    "site",
    "candidate",
    "place",
    "distance",
    "region",
    "coordinates",
    "figure",
    "date",
    "commodity",
    "company",
)


@dataclass(frozen=True)
class Span:
    """One reading of a stretch of a sentence: where it is, what it is, and why.

    ``label`` is the reading in short (a site's id, a commodity's symbol, a figure's words);
    ``value`` the object the stage that consumes the span needs (a ``Figure``, a ``Candidate``,
    a ``PlaceMention``, a ``Clue``); ``explanation`` says it for people.

    >>> Span(0, 4, 12, "commodity", "W", "commodity Tungsten").text("The tungsten mine")
    'tungsten'
    """

    sentence: int
    start: int
    end: int
    type: str
    label: str
    explanation: str
    value: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.type not in SPAN_TYPES:
            raise ValueError(f"unknown span type {self.type!r}; one of {', '.join(SPAN_TYPES)}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"a span runs forward from 0: {self.start}..{self.end}")

    def text(self, sentence: str) -> str:
        """The words of the span in its sentence."""
        return sentence[self.start : self.end]


@dataclass
class AnnotatedDocument:
    """A :class:`~geo.sources.Document` and its spans, kept by sentence and type, each list in reading order."""

    document: Document
    _spans: dict[tuple[int, str], list[Span]] = field(default_factory=dict, repr=False)
    #: The annotators (names) that have read the document.
    read_by: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The document's id (``file`` or ``file#item``)."""
        return self.document.id

    @property
    def sentences(self) -> tuple[str, ...]:
        """The document's sentences."""
        return self.document.sentences

    def add(self, spans: Iterable[Span], by: str) -> None:
        """Add the spans one annotator read (each sentence's spans of a type in the order given)."""
        count = len(self.sentences)
        for span in spans:
            if not 0 <= span.sentence < count or span.end > len(self.sentences[span.sentence]):
                raise ValueError(f"span {span} lies outside the document {self.id}")
            self._spans.setdefault((span.sentence, span.type), []).append(span)
        self.read_by.append(by)

    def discard(self, by: str, kinds: Iterable[str]) -> None:
        """Forget what one annotator read (spans of ``kinds``), so that it may read the document again."""
        for key in [key for key in self._spans if key[1] in set(kinds)]:
            del self._spans[key]
        self.read_by = [name for name in self.read_by if name != by]

    def spans(self, kind: str, sentence: int | None = None) -> list[Span]:
        """The spans of one type, in one sentence or in all of them (by sentence, then as read)."""
        if sentence is not None:
            return list(self._spans.get((sentence, kind), ()))
        return [span for number in range(len(self.sentences)) for span in self._spans.get((number, kind), ())]

    def values(self, kind: str, sentence: int | None = None) -> list[Any]:
        """The ``value`` of each span of one type (see :meth:`spans`)."""
        return [span.value for span in self.spans(kind, sentence)]

    def in_sentence(self, number: int) -> list[Span]:
        """Every span of one sentence, by start (a longer span first, then by type)."""
        found = [span for kind in SPAN_TYPES for span in self._spans.get((number, kind), ())]
        return sorted(found, key=lambda span: (span.start, -span.end, SPAN_TYPES.index(span.type)))

    def __iter__(self) -> Iterator[Span]:
        """Every span, by sentence, then by start."""
        for number in range(len(self.sentences)):
            yield from self.in_sentence(number)
