"""Text from the data or the URL, made safe for Streamlit's Markdown: shown as typed, never interpreted.

Streamlit renders GitHub-flavoured Markdown with LaTeX (``$…$``) and colour and icon directives
(``:red[…]``): a value such as ``[Verify login](https://evil.co)`` or ``![x](https://…)`` would
become a live link or a third-party image. :func:`escape_markdown` backslash-escapes every ASCII
punctuation mark, which CommonMark then shows literally; :func:`summarise` keeps a notice about
many values short.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

__all__ = ["MAX_LISTED", "escape_markdown", "markdown_link", "summarise"]

#: Values named in one notice or caption; the rest are counted.
MAX_LISTED = 5
#: Characters of one value quoted in a notice.
MAX_QUOTED = 40

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


# Where GitHub-flavoured Markdown would turn bare text into a link even when escaped: after a scheme
# ("https", "www") and before the "@" of an e-mail address. A word joiner (U+2060) there is invisible.
_AUTOLINK = re.compile(r"(?i)(?<=\bhttps)(?=\\:)|(?<=\bhttp)(?=\\:)|(?<=\bwww)(?=\\\.)|(?=\\@)")


def escape_markdown(text: Any) -> str:
    r"""Text that Markdown shows exactly as typed: ASCII punctuation backslash-escaped, line breaks as spaces.

    Bare addresses are no links either: an invisible word joiner (U+2060) stops the autolinking
    that GitHub-flavoured Markdown applies to ``https://…``, ``www.…`` and e-mail addresses.

    >>> escape_markdown("[Verify login](https://evil.co/x) $x$ :red[y]")
    '\\[Verify login\\]\\(https\u2060\\:\\/\\/evil\\.co\\/x\\) \\$x\\$ \\:red\\[y\\]'
    """
    flat = " ".join(("" if text is None else str(text)).split())
    return _AUTOLINK.sub("\u2060", _PUNCTUATION.sub(r"\\\1", flat))


def markdown_link(text: Any, url: str) -> str:
    """A Markdown link with escaped text to an http(s) address; escaped text alone for any other address."""
    if not url.startswith(("https://", "http://")):
        return escape_markdown(text)
    return f"[{escape_markdown(text)}](<{quote(url, safe=string.punctuation.replace('<', '').replace('>', ''))}>)"


def _quoted(value: str) -> str:
    """A value as a notice quotes it: control characters dropped, long values cut."""
    printable = "".join(ch for ch in value if ch.isprintable())
    return f"“{printable[:MAX_QUOTED]}…”" if len(printable) > MAX_QUOTED else f"“{printable}”"


def summarise(values: Sequence[str], limit: int = MAX_LISTED) -> str:
    """At most ``limit`` values, quoted and cut, then how many more there are.

    >>> summarise(["a", "b", "c"], limit=2)
    '“a”, “b” and 1 more'
    """
    shown = ", ".join(_quoted(value) for value in values[:limit])
    return f"{shown} and {len(values) - limit:,} more" if len(values) > limit else shown
