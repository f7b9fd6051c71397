"""Reading source articles: page clutter stripped, listing pages split, text cut into sentences.

Each file in a seeds folder is a saved web page. Its metadata (title, outlet, date, URL)
lives in the sidecar ``metadata.csv`` beside it, so the articles stay verbatim. A file that
cannot be read (empty, binary, not UTF-8, too large) becomes a :class:`SourceProblem`
naming the file; the other files are still read.

An article can also be a ``.md`` file whose YAML front matter (between ``---`` lines) holds
its title, outlet, url, date and language, followed by a blank line and the text
(:func:`read_articles`); the text goes through the same clutter stripping and sentence
splitting as a saved page.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from geo.validation import MetadataRow, read_table

__all__ = [
    "FRONT_MATTER_FIELDS",
    "MAX_BYTES",
    "MAX_SENTENCE",
    "METADATA_FILE",
    "Document",
    "SourceProblem",
    "decode_article",
    "is_heading",
    "read_article_file",
    "read_articles",
    "read_document_text",
    "read_documents",
    "split_front_matter",
    "split_sentences",
    "strip_clutter",
]

#: Largest article accepted, in bytes: a news article is a few kB; more is not an article.
MAX_BYTES = 1_000_000

#: Longest sentence kept whole, in characters: a longer run of text with no sentence end is no
#: sentence a reader would quote, and is cut at word boundaries so every later step stays linear.
MAX_SENTENCE = 2_000

#: The sidecar file with one row per article: file, item, title, outlet, published, url.
METADATA_FILE = "metadata.csv"

#: The keys an article's front matter must have (``date`` and ``lang`` may be null).
FRONT_MATTER_FIELDS = ("title", "outlet", "url", "date", "lang")

# A currency ticker line such as "• KZT/USD = 0.00196 0%".
_TICKER = re.compile(r"^[\s•*·-]*[A-Z]{3}/[A-Z]{3}\s*=\s*[\d.,]+\s*[-+]?[\d.,]*\s*%?\s*$")
# Headings after which the page holds only navigation: everything below them is dropped.
_TAIL_HEADINGS = re.compile(
    r"^(latest news|related posts|related articles|suggested articles|read also|read more|more news|"
    r"sidebar|popular|most read|recommended)\s*:?$",
    re.IGNORECASE,
)
# Single lines that are page furniture, not article text.
_FURNITURE = re.compile(
    r"^(photo\s*:.*|@\w+|-?\d+(\.\d+)?\s*°?\s*[CF]|mining news|supported by|advertisement|share( this)?|"
    r"error\s*:\s*content is protected.*|content is protected.*|view more articles from.*|"
    r"original (author|source)\s*:.*|viewing results \d+\s*-\s*\d+ of \d+|subscribe.*)$",
    re.IGNORECASE,
)
# An author blurb: "<Name> is a journalist/reporter/... ".
_AUTHOR_BLURB = re.compile(
    r"^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3} is an? (?:[\w-]+ )*(journalist|reporter|correspondent|editor|writer|"
    r"columnist|analyst)\b",
)
# A listing page of several articles ("Viewing results 1 - 6 of 4").
_LISTING = re.compile(r"^viewing results \d+\s*-\s*\d+ of \d+\s*$", re.IGNORECASE | re.MULTILINE)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_LINE = re.compile(rf"^(\d{{1,2}}) ({_MONTHS}) (\d{{4}})$")
_ABBREVIATIONS = (
    "U.S",
    "U.K",
    "E.U",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "No",
    "Co",
    "Inc",
    "Ltd",
    "vs",
    "approx",
    "e.g",
    "i.e",
)
# Russian and Kazakh abbreviations that end in a full stop mid-sentence ("уч. Болаттобе", "г. Семей"),
# as whole words only: a Russian sentence may end in a word that merely ends so.
_RUSSIAN_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:уч|пос|обл|им|г|с|п|ст|р-на?)\.$")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»)]?\s+(?=[\"“«(]?[A-ZА-ЯЁҚҒҮҰӨҺІ0-9])")


@dataclass(frozen=True)
class Document:
    """One article: where it comes from, what it says, and its text cut into sentences.

    ``cut`` counts the sentences longer than :data:`MAX_SENTENCE` that were cut into pieces (the build says so).
    """

    file: str
    item: int
    title: str
    outlet: str
    published: str | None
    url: str
    sentences: tuple[str, ...]
    lang: str | None = None
    cut: int = 0

    @property
    def id(self) -> str:
        """``file`` for a one-article file, ``file#item`` for an article of a listing page."""
        return self.file if self.item == 1 else f"{self.file}#{self.item}"

    @property
    def text(self) -> str:
        """The article text, one sentence a line."""
        return "\n".join(self.sentences)


@dataclass(frozen=True)
class SourceProblem:
    """A file that could not be read as an article, and why."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; ``ValueError`` for anything else.

    The file is opened without blocking and checked on the open descriptor, so a FIFO, a device
    or a folder named like an article is refused, never waited on or read without end.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file (a folder, FIFO, socket or device), not an article")
        if info.st_size > MAX_BYTES:
            raise ValueError(f"too large ({info.st_size:,} bytes; an article may have at most {MAX_BYTES:,})")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES:
        raise ValueError(f"too large (more than {MAX_BYTES:,} bytes; an article may have at most {MAX_BYTES:,})")
    return data


def _decode(path: Path) -> str:
    """Read a file as UTF-8 text, raising ``ValueError`` with a reason a person can act on."""
    return decode_article(_read_regular(path))


def decode_article(data: bytes) -> str:
    """An article's bytes as text, as the build reads a file; ``ValueError`` says why they are no article.

    >>> decode_article(b"")
    Traceback (most recent call last):
    ...
    ValueError: empty file
    """
    if len(data) > MAX_BYTES:
        raise ValueError(f"too large ({len(data):,} bytes; an article may have at most {MAX_BYTES:,})")
    if b"\x00" in data:
        raise ValueError("binary file (it holds NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte {error.start}: {data[error.start : error.start + 1]!r})") from None
    if not text.strip():
        raise ValueError("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_clutter(text: str) -> list[str]:
    """Return the article lines of a saved page, without tickers, menus, blurbs and repeats.

    Drops currency-ticker lines, lines that repeat three or more times (page furniture),
    photo credits, "Content is protected" notices, author blurbs and bylines, and every
    line after a navigation heading such as "Latest news" or "Related posts". Blank lines
    are kept as paragraph breaks.
    """
    lines = [line.strip() for line in text.split("\n")]
    counts = Counter(line for line in lines if line)
    kept: list[str] = []
    for line in lines:
        if _TAIL_HEADINGS.match(line):
            break
        if line and (counts[line] >= 3 or _TICKER.match(line) or _FURNITURE.match(line) or _AUTHOR_BLURB.match(line)):
            continue
        kept.append(line)
    return _drop_byline_names(kept)


def _drop_byline_names(lines: list[str]) -> list[str]:
    """Drop a short name line that appears twice (an author box: name, name, blurb)."""
    counts = Counter(line for line in lines if line)
    repeated = {line for line, n in counts.items() if n == 2 and len(line.split()) <= 4 and not line.endswith(".")}
    return [line for line in lines if line not in repeated]


def split_sentences(paragraph: str) -> list[str]:
    """Cut a paragraph into sentences, keeping abbreviations (U.S., Ltd.) and decimals whole.

    >>> split_sentences("It holds 2.2 million t. U.S. firms bid. Work began in 2022.")
    ['It holds 2.2 million t.', 'U.S. firms bid.', 'Work began in 2022.']
    """
    return [part for parts in _split(paragraph) for part in parts]


def _split(paragraph: str) -> list[list[str]]:
    """Each sentence of a paragraph as its pieces: one piece, or several where it was over-long and cut."""
    paragraph = " ".join(paragraph.split())
    if not paragraph:
        return []
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(paragraph):
        if (
            pieces
            and pieces[-1].endswith(".")
            and (pieces[-1].rstrip(".").endswith(_ABBREVIATIONS) or _RUSSIAN_ABBREVIATION.search(pieces[-1]))
        ):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return [[part for part in _cut(piece.strip()) if part] for piece in pieces]


def _cut(sentence: str) -> list[str]:
    """A sentence as pieces of at most ``MAX_SENTENCE`` characters, cut at the last space before the limit.

    >>> [len(part) for part in _cut("word " * 1000)]
    [1999, 1999, 999]
    """
    parts = []
    while len(sentence) > MAX_SENTENCE:
        cut = sentence.rfind(" ", 0, MAX_SENTENCE + 1)
        cut = cut if cut > 0 else MAX_SENTENCE
        parts.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*parts, sentence]


def _continues(line: str, following: str) -> bool:
    """Whether ``following`` continues the paragraph of ``line`` (a hard-wrapped text)."""
    return not line.endswith((".", "!", "?", ":", '"', "”", "»")) and following[:1].islower()


#: The share of a text's lines that must run on across one blank line for it to be a double-spaced dump.
_DOUBLE_SPACED_SHARE = 1 / 3


def _double_spaced(lines: list[str]) -> bool:
    """Whether a text is hard-wrapped with a blank line after every line (a PDF's text dump).

    Many of its lines then run on mid-sentence across one blank line ("mining the Melovoye",
    "", "rare-earth-metals deposit"): at least :data:`_DOUBLE_SPACED_SHARE` of its lines.
    """
    text = [line for line in lines if line]
    runs = sum(
        1
        for line, blank, following in zip(lines, lines[1:], lines[2:], strict=False)
        if line and not blank and following and _continues(line, following)
    )
    return len(text) >= 6 and runs >= _DOUBLE_SPACED_SHARE * len(text)


def _paragraphs(lines: list[str]) -> list[str]:
    """Join lines into paragraphs: each line is one, unless it was hard-wrapped mid-sentence.

    In a double-spaced dump (:func:`_double_spaced`) one blank line is a wrapped line's end, not a paragraph's.
    """
    paragraphs: list[str] = []
    previous = ""
    spaced = _double_spaced(lines)
    for number, line in enumerate(lines):
        if line and previous and _continues(previous, line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        elif line:
            paragraphs.append(line)
        if line or not spaced or not number or not lines[number - 1]:
            previous = line  # in a double-spaced dump, one blank line keeps the line before it
    return paragraphs


def is_heading(paragraph: str) -> bool:
    """A short paragraph with no closing punctuation: a headline or a section heading."""
    return len(paragraph) <= 160 and not paragraph.endswith((".", "!", "?", ":", '"', "”", "…"))


def _sentences(paragraphs: list[str]) -> tuple[tuple[str, ...], int]:
    """Every sentence of the paragraphs (a list item "- x" or heading is one of its own), and how many were cut."""
    split = [
        [_cut(paragraph[2:].strip())] if paragraph.startswith(("- ", "• ", "* ")) else _split(paragraph)
        for paragraph in paragraphs
    ]
    sentences = [parts for paragraph in split for parts in paragraph if parts]
    return tuple(part for parts in sentences for part in parts), sum(len(parts) > 1 for parts in sentences)


def _date_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split off standalone date lines ("5 September 2025"): they are page dates, not text."""
    dates = [line for line in lines if _DATE_LINE.match(line)]
    return [line for line in lines if not _DATE_LINE.match(line)], dates


def _iso(date_line: str) -> str:
    """'5 September 2025' → '2025-09-05'."""
    return datetime.strptime(date_line, "%d %B %Y").date().isoformat()


def _split_items(paragraphs: list[str], listing: bool) -> list[tuple[str, list[str]]]:
    """Split a page into (title, paragraphs) articles: several on a listing page, else one.

    On a listing page every heading followed by body text starts a new article.
    """
    if not listing:
        return [(paragraphs[0] if is_heading(paragraphs[0]) else "", paragraphs)]
    items: list[tuple[str, list[str]]] = []
    for paragraph in paragraphs:
        if is_heading(paragraph) or not items:
            items.append((paragraph if is_heading(paragraph) else "", [paragraph]))
        else:
            items[-1][1].append(paragraph)
    return [item for item in items if len(item[1]) > 1]


def read_metadata(folder: Path) -> dict[tuple[str, int], dict[str, str]]:
    """Read ``metadata.csv`` into {(file, item): row}; a missing sidecar means no metadata.

    Each row is checked by :class:`geo.validation.MetadataRow`; a bad one raises ``InputError``
    naming the file, line and column (an item that is no number, a bad date or URL, a repeated article).
    """
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    rows = read_table(path, MetadataRow, unique=lambda row: f"{row.file}#{row.item}")
    return {(row.file, row.item): row.model_dump() for row in rows}


def read_document_file(path: Path, metadata: dict[tuple[str, int], dict[str, str]]) -> list[Document]:
    """Read one saved page into its articles; ``ValueError`` says why a file is no article."""
    return read_document_text(_decode(path), path.name, metadata)


def read_document_text(text: str, name: str, metadata: dict[tuple[str, int], dict[str, str]]) -> list[Document]:
    """Read the text of a saved page called ``name`` into its articles, as :func:`read_document_file` reads a file."""
    path = Path(name)
    lines, dates = _date_lines(strip_clutter(text))
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        raise ValueError("no article text left after removing page clutter")
    listing = bool(_LISTING.search(text)) or (path.name, 2) in metadata
    documents = []
    for number, (title, body) in enumerate(_split_items(paragraphs, listing), start=1):
        meta = metadata.get((path.name, number), {})
        sentences, cut = _sentences(body)
        documents.append(
            Document(
                file=path.name,
                item=number,
                title=meta.get("title") or title,
                outlet=meta.get("outlet", ""),
                published=meta.get("published") or (_iso(dates[-1]) if dates and not listing else None),
                url=meta.get("url", ""),
                sentences=sentences,
                cut=cut,
            )
        )
    return documents


def read_documents(folder: Path) -> tuple[list[Document], list[SourceProblem]]:
    """Read every ``*.txt`` article in a folder, in file-name order.

    Returns the documents and one problem per file that could not be read; a bad file
    never stops the others from being read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of articles")
    metadata = read_metadata(folder)
    paths, problems = _article_paths(folder)
    documents: list[Document] = []
    for path in paths:
        try:
            documents.extend(read_document_file(path, metadata))
        except (ValueError, OSError) as error:
            problems.append(SourceProblem(path.name, str(error)))
    return documents, sorted(problems, key=lambda problem: problem.file)


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split an article into its front matter and its text; ``ValueError`` says what is wrong."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter: the file must start with a '---' line")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ValueError("front matter is not closed by a '---' line")
    try:
        front = yaml.safe_load(text[4:end])
    except yaml.YAMLError as error:
        raise ValueError(f"front matter is not valid YAML ({' '.join(str(error).split())})") from None
    if not isinstance(front, dict):
        raise ValueError("front matter is not a set of 'key: value' lines")
    missing = [name for name in FRONT_MATTER_FIELDS if name not in front]
    if missing:
        raise ValueError(f"front matter lacks {', '.join(missing)}")
    published = front["date"]
    if published is not None:
        try:
            published = date.fromisoformat(str(published)).isoformat()
        except ValueError:
            raise ValueError(f"front matter date {published!r} is not YYYY-MM-DD") from None
    front["date"] = published
    return front, text[end + len("\n---\n") :]


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """An ``.md`` article's front matter (title, outlet, url, date as ISO text or None, lang) and its text.

    ``ValueError`` says what is wrong, as :func:`read_article_file` does for a file.
    """
    return _front_matter(text)


def read_article_file(path: Path) -> Document:
    """Read one ``.md`` article with front matter; ``ValueError`` says why the file is no article.

    The text is cleaned and split like a saved page; title, outlet, url, date and language
    come from the front matter, and the language is kept as given (``en``, ``ru``, ``kk``).
    """
    front, body = _front_matter(_decode(path))
    paragraphs = _paragraphs(strip_clutter(body))
    if not paragraphs:
        raise ValueError("no article text after the front matter")
    sentences, cut = _sentences(paragraphs)
    return Document(
        file=path.name,
        item=1,
        title=str(front["title"] or ""),
        outlet=str(front["outlet"] or ""),
        published=front["date"],
        url=str(front["url"] or ""),
        sentences=sentences,
        lang=str(front["lang"]) if front["lang"] else None,
        cut=cut,
    )


def read_articles(folder: Path) -> tuple[list[Document], list[SourceProblem]]:
    """Read every ``*.md`` article (front matter, then text) in a folder, in file-name order.

    Like :func:`read_documents`, a file that cannot be read, including one with bad front
    matter, becomes a :class:`SourceProblem` naming it, and the other files are still read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of articles")
    documents: list[Document] = []
    paths, problems = _article_paths(folder, ".md")
    for path in paths:
        try:
            documents.append(read_article_file(path))
        except (ValueError, OSError) as error:
            problems.append(SourceProblem(path.name, str(error)))
    return documents, problems


def _article_paths(folder: Path, suffix: str = ".txt") -> tuple[list[Path], list[SourceProblem]]:
    """The ``*.txt`` (or other ``suffix``) entries of a folder that may be read, by name, and a problem for each other.

    A name that is not valid UTF-8 is reported by its bytes; a link that leads out of the folder
    is not followed (what is not a regular file is refused when it is opened).
    """
    root = folder.resolve()
    paths: list[Path] = []
    problems: list[SourceProblem] = []
    for raw in sorted(os.listdir(os.fsencode(folder))):
        if not raw.endswith(os.fsencode(suffix)):
            continue
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(SourceProblem(repr(raw), "file name is not valid UTF-8; rename the file"))
            continue
        path = folder / name
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            problems.append(SourceProblem(name, "a link to a file outside the folder; not followed"))
            continue
        paths.append(path)
    return paths, problems
