import re

import pytest

from geo.markup import escape_markdown, markdown_link, summarise


@pytest.mark.parametrize(
    "text",
    ["[Verify login](https://evil.co/x)", "![x](https://evil.co/p.png)", "$x$ :red[y] **b** `c` <i>", "a\nb\r\n# h"],
)
def test_escaped_text_has_no_active_markup_and_shows_as_typed(text):
    escaped = escape_markdown(text)
    assert re.findall(r"(?<!\\)[][<>$()`*_!#:]", escaped) == []
    assert re.sub(r"\\(.)", r"\1", escaped).replace("\u2060", "") == " ".join(text.split())


@pytest.mark.parametrize("text", ["https://evil.co/x", "see www.evil.co", "mail me@evil.co"])
def test_bare_addresses_cannot_autolink(text):
    escaped = escape_markdown(text)
    assert "\u2060" in escaped
    assert not re.search(r"https?\\:|www\\\.|\w\\@", escaped)


def test_links_only_to_web_addresses_with_escaped_text():
    assert markdown_link("a [b]", "https://x.org/a b>") == "[a \\[b\\]](<https://x.org/a%20b%3E>)"
    assert markdown_link("doc.txt", "javascript:alert(1)") == "doc\\.txt"


def test_a_summary_names_a_few_values_and_counts_the_rest():
    assert summarise([str(n) for n in range(1000)]) == "“0”, “1”, “2”, “3”, “4” and 995 more"
    assert summarise(["x" * 500]) == "“" + "x" * 40 + "…”"
