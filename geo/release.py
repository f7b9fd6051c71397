"""The data release: a version derived from the built layers themselves, the newest date among the inputs, the licences.

Never the wall clock: a rebuild from the same inputs must give the same bytes (the manifest
and ``tests/test_pipeline.py`` check it), so the version is a hash of what was built and the
date is the newest publication date the inputs carry.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["release"]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Hex digits of the content hash kept in the version.
_HASH_DIGITS = 10


def _digest(files: Mapping[str, bytes], stats: Mapping[str, Any]) -> str:
    """A SHA-256 over every layer file (by name, in name order) and the rest of ``stats.json``."""
    hasher = hashlib.sha256()
    for name in sorted(files):
        hasher.update(name.encode("utf-8") + b"\0" + files[name] + b"\0")
    hasher.update(json.dumps(stats, ensure_ascii=False, sort_keys=True, allow_nan=False).encode("utf-8"))
    return hasher.hexdigest()


def release(
    files: Mapping[str, bytes], stats: Mapping[str, Any], dates: Iterable[str | None], licences: list[dict[str, str]]
) -> dict[str, Any]:
    """The ``release`` block of ``stats.json``.

    ``version`` is the newest input date and a hash of the content (``2025-09-05+1a2b3c4d5e``),
    so two builds of the same inputs share it and any change to the data changes it;
    ``data_as_of`` is that date (the newest full date among ``dates``: articles and public
    pages); ``licences`` names what each part of the data is under.

    >>> release({"a.csv": b"x"}, {}, ["2025-03-12", None, "2024", "2025-09-05"], [])["version"]
    '2025-09-05+ced71f7ce5'
    """
    days = [day for day in dates if day and _ISO_DAY.fullmatch(day)]
    as_of = max(days, default="undated")
    digest = _digest(files, stats)
    return {
        "version": f"{as_of}+{digest[:_HASH_DIGITS]}",
        "data_as_of": as_of,
        "content_sha256": digest,
        "licences": licences,
    }
