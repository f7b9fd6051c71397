"""Keeping an article: add it to the seeds folder with its metadata row and rebuild, or write nothing.

The article is first built together with every kept article in a temporary copy of the seeds
folder, with exactly the build's own reading and checks. Only when that build reads it and the
layers can be written are the article and its metadata row added to the seeds folder; a bad file,
bad metadata or a refused layer folder leaves everything as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from geo.output import write_layers
from geo.pipeline import DATA_DIR, BuildReport, build
from geo.sources import MAX_BYTES, METADATA_FILE
from geo.validation import InputError, MetadataRow

__all__ = ["Kept", "article_file_name", "keep_article", "metadata_row"]


@dataclass(frozen=True)
class Kept:
    """What keeping an article did: the file it was saved as, the build that took it in, and the build's notes."""

    file: str
    report: BuildReport
    notes: list[str]


def article_file_name(data: bytes, taken: set[str]) -> str:
    """A seeds-style name, the next number and the start of the text's hash: ``005_1f3a….txt``."""
    numbers = [int(name[:3]) for name in taken if name[:3].isdigit()]
    return f"{max(numbers, default=-1) + 1:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def metadata_row(file: str, title: str, outlet: str, published: str, url: str) -> MetadataRow:
    """The new article's metadata row, checked as the build checks every row; ``InputError`` names the field."""
    try:
        return MetadataRow(file=file, item=1, title=title, outlet=outlet, published=published, url=url)
    except ValidationError as error:
        raise InputError([f"{e['loc'][0]}: {e['msg']}" for e in error.errors()]) from None


def _with_row(metadata: Path, row: MetadataRow) -> bytes:
    """``metadata.csv`` with one row more (a new file with its header if there is none)."""
    old = metadata.read_bytes().decode("utf-8-sig") if metadata.exists() else ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(MetadataRow.model_fields), lineterminator="\n")
    if not old:
        writer.writeheader()
    writer.writerow(row.model_dump())
    prefix = old if not old or old.endswith("\n") else old + "\n"
    return (prefix + buffer.getvalue()).encode("utf-8")


def _replace(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then one rename."""
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def keep_article(
    data: bytes,
    *,
    title: str = "",
    outlet: str = "",
    published: str = "",
    url: str = "",
    seeds: Path = Path("seeds"),
    out: Path = Path("data/geojson"),
    data_dir: Path = DATA_DIR,
    open_data: Path | None = None,
) -> Kept:
    """Add an article (its bytes, verbatim) to ``seeds`` with its metadata and rebuild the layers in ``out``.

    Raises ``InputError`` (nothing written) when the text is no article the build can read
    (too large, not UTF-8, empty, binary), when the metadata is bad or the same text is already
    kept, and ``OutputError`` (nothing written) when ``out`` is not a build's own folder.
    Only regular files of ``seeds`` take part in the trial build, as only those are read.
    """
    if len(data) > MAX_BYTES:
        raise InputError([f"the article is {len(data):,} bytes; an article may have at most {MAX_BYTES:,}"])
    seeds = Path(seeds)
    kept = {path.name for path in seeds.glob("*.txt") if path.is_file() and not path.is_symlink()}
    name = article_file_name(data, kept)
    duplicate = next((f for f in sorted(kept) if f.endswith(name[3:])), None)
    if duplicate:
        raise InputError([f"this text is already kept as {duplicate}"])
    row = metadata_row(name, title, outlet, published, url)
    with tempfile.TemporaryDirectory(prefix="atlas-keep-") as scratch:
        trial = Path(scratch) / "seeds"
        trial.mkdir()
        for file in sorted(kept):
            shutil.copyfile(seeds / file, trial / file)
        (trial / name).write_bytes(data)
        (trial / METADATA_FILE).write_bytes(_with_row(seeds / METADATA_FILE, row))
        report = build(trial, data_dir, open_data)
    refused = [str(problem) for problem in report.problems if problem.file == name]
    if refused:
        raise InputError([f"the article cannot be read: {problem}" for problem in refused])
    notes = write_layers(report.files, out)
    _replace(seeds / name, data)
    _replace(seeds / METADATA_FILE, _with_row(seeds / METADATA_FILE, row))
    return Kept(name, report, notes)
