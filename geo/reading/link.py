"""The readings that need the sites: which words name which known site, and which are companies.

A :class:`Linker` is made from the sites once they are known (the registry, the open data and
those found in the text, and the spellings detection linked to them); :func:`link` adds its
``site`` and ``company`` spans to an annotated document, which extraction then reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from rapidfuzz import fuzz

from geo.names import NameIndex, coordinated_names, skeleton, spans, tokens
from geo.reading.doc import AnnotatedDocument, Span
from geo.regions import normalise_region
from geo.registry import Site, UnlocatedSite

__all__ = ["Linker", "company_keys", "link", "link_known", "place_named", "text_name_pairs", "text_names"]

# Company names by their legal form, before ("LLP Tsentrgeolszemnadzor") or after ("HMS Bergbau AG").
_NAME = r"[A-Z][\w&’'.-]*(?:[ -][A-Z][\w&’'.-]*){0,3}"
_COMPANY = re.compile(
    rf"\b(?:LLP|JSC|RSE|LLC|TOO)\s+[«\"“]?(?P<after>{_NAME})"
    rf"|[«\"“]?(?P<before>{_NAME})[»\"”]?\s+(?P<form>LLP|JSC|LLC|AG|Ltd|Inc|PLC|GmbH|Corporation)\b"
)


class Linker:
    """Finds the known sites (by name or description) and the companies in sentences: the readings needing sites."""

    def __init__(
        self,
        sites: list[Site],
        unlocated: Iterable[str],
        places: frozenset[str] = frozenset(),
        links: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        links = links or {}
        self.sites = {site.id: site for site in sites}
        names = text_name_pairs(sites, places)
        names += [(name, site_id) for site_id, more in links.items() for name in more if site_id in self.sites]
        names += [(name, f"?{name}") for name in unlocated]
        self.names = NameIndex(names)
        self.linked = {(site_id, name) for site_id, more in links.items() for name in more}
        self.namesakes: dict[tuple[str, ...], list[str]] = {}
        for name, target in names:
            self.namesakes.setdefault(tuple(tokens(name)), []).append(target)
        self.descriptions = [
            (site.id, [tuple(tokens(word)) for word in description.split("+")])
            for site in sites
            for description in site.descriptions
        ]
        operators = {_operator_name(part) for site in sites for part in re.split(r"[()\[\];]", site.operator)}
        self.operators = NameIndex([(name, name) for name in sorted(operators - {""})])

    def sites_in(
        self, sentence: str, allowed: Callable[[str], bool] | None = None
    ) -> list[tuple[str, tuple[int, int], str]]:
        """(site id or '?name', character span, matched words) of each site named or described.

        ``allowed`` tells whether a site may be meant here; a name of one that may not is
        taken for a namesake that may, or for no known site at all.
        """
        words = spans(sentence)
        keys = [key for key, _, _ in words]
        found = []
        for start, end, target in self.names.find(keys):
            span = (words[start][1], words[end - 1][2])
            if allowed is not None and not allowed(target):
                target = next((other for other in self.namesakes[tuple(keys[start:end])] if allowed(other)), "")
            if target.startswith("?"):  # a known-unplaced name, unless these words were linked to a placed site
                words_here = sentence[words[start][1] : words[end - 1][2]]
                target = next(
                    (
                        other
                        for other in self.namesakes[tuple(keys[start:end])]
                        if (other, words_here) in self.linked and (allowed is None or allowed(other))
                    ),
                    target,
                )
            if (
                target
                and not _glued(sentence, span)
                and not _a_place_here(sentence, span)
                and not _in_brackets_after_a_name(sentence, span)
            ):
                found.append((target, span, sentence[span[0] : span[1]]))
        found += self._coordinated_in(sentence, allowed, {span for _, span, _ in found})
        named = {target for target, _, _ in found}
        for site_id, parts in self.descriptions:
            if site_id not in named and all(_position(keys, part) is not None for part in parts):
                first = min(_position(keys, part) for part in parts)
                found.append((site_id, (words[first][1], words[first][2]), " + ".join(" ".join(p) for p in parts)))
                named.add(site_id)
        return sorted(found, key=lambda hit: hit[1])

    def _coordinated_in(
        self, sentence: str, allowed: Callable[[str], bool] | None, taken: set[tuple[int, int]]
    ) -> list[tuple[str, tuple[int, int], str]]:
        """Known sites named by a direction word sharing the next one's name ('East' of 'East and West Saryoba')."""
        found = []
        for name, start, end in coordinated_names(sentence):
            keys = tokens(name)
            hits = [target for first, last, target in self.names.find(keys) if (first, last) == (0, len(keys))]
            target = next((t for t in hits if allowed is None or allowed(t)), "")
            if target and (start, end) not in taken:
                found.append((target, (start, end), sentence[start:end]))
        return found

    def is_operator(self, name: str) -> bool:
        """Whether a company name is one a known site names as its operator."""
        return bool(self.operators.find(tokens(name)))

    def companies_in(self, sentence: str) -> list[tuple[str, int, int]]:
        """(company name, start, end) of companies named by legal form or as a known operator."""
        found: dict[str, tuple[int, int]] = {}
        for match in _COMPANY.finditer(sentence):
            name = (match["after"] or f"{match['before']} {match['form']}").rstrip(".,;:’'")
            found.setdefault(name, (match.start(), match.end()))
        words = spans(sentence)
        for start, end, name in self.operators.find([key for key, _, _ in words]):
            if not any(skeleton(name) in skeleton(other) or skeleton(other) in skeleton(name) for other in found):
                found[name] = (words[start][1], words[end - 1][2])
        return sorted(((name, start, end) for name, (start, end) in found.items()), key=lambda hit: hit[1])


# A place word beside a name says the name is the place's ("the desert Moyinkum", "Көксу ауданындағы",
# "в Кызылтасском районе"): a site named after that place is not meant there.
_PLACE_BEFORE = re.compile(
    r"\b(?:desert|district|river|village|town|lake|пустын[яиюе]|район[ае]?|сел[оа]|посёлок|поселок|река|реки|озер[оа])"
    r"\s+$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    r"^\s+(?:district|desert|river|village|town|lake|район\w*|аудан\w*|өзен\w*|ауыл\w*|кент\w*|қала\w*|шөл\w*|көл\w*)\b",
    re.IGNORECASE,
)


def _a_place_here(sentence: str, span: tuple[int, int]) -> bool:
    """Whether a place word beside the name makes it the place's name (see ``_PLACE_BEFORE``, ``_PLACE_AFTER``)."""
    return bool(
        _PLACE_BEFORE.search(sentence[max(0, span[0] - 20) : span[0]]) or _PLACE_AFTER.match(sentence[span[1] :])
    )


# A name alone in brackets right after another name is that one's other name ("Тентек (Көксу)",
# "Kyzyltas (Ushbulak)"): whatever it names, it is not named here on its own.
_NAME_BEFORE_BRACKET = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w’'-]+\s*\($")


def _in_brackets_after_a_name(sentence: str, span: tuple[int, int]) -> bool:
    """Whether the name at ``span`` stands alone in brackets right after another capitalised name."""
    return (
        bool(_NAME_BEFORE_BRACKET.search(sentence[max(0, span[0] - 40) : span[0]]))
        and sentence[span[1] : span[1] + 1] == ")"
    )


def _glued(sentence: str, span: tuple[int, int]) -> bool:
    """Whether a matched name is only part of a hyphenated word: 'Jomart' of 'Kassym-Jomart'."""
    before = sentence[max(0, span[0] - 2) : span[0]]
    after = sentence[span[1] : span[1] + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalnum()) or (
        len(after) == 2 and after[0] == "-" and after[1].isalnum()
    )


def _operator_name(part: str) -> str:
    """An operator cell's part as a company name: 'ERG' yes, a remark such as 'state-owned' no."""
    part = part.strip(" ,;")
    return part if part[:1].isupper() else ""


def _position(keys: list[str], part: tuple[str, ...]) -> int | None:
    """Index where a word sequence first occurs in ``keys``, or None."""
    for index in range(len(keys) - len(part) + 1):
        if tuple(keys[index : index + len(part)]) == part:
            return index
    return None


def text_names(
    site: Site | UnlocatedSite, places: frozenset[str], companies: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The names by which articles may mention a site: a dataset's name that is also a place is not one.

    An ICMM record named "Karaganda" is a coal mine, but in an article "Karaganda" is the city or
    the region; curated sites keep every name (a person chose them). ``places`` holds the
    :func:`~geo.names.skeleton` keys of every gazetteer name; ``companies`` those of the operators,
    so that an open dataset's alias that is its owner's name is no name of the site.
    """
    if site.origin != "open_data":
        return site.names
    return tuple(
        name
        for number, name in enumerate(site.names)
        if skeleton(name) not in places
        and not normalise_region(name)
        and not (number and skeleton(name) in companies)  # an alias that is the owner's name: "Kazzinc"
    )


def text_name_pairs(sites: Iterable[Site], places: frozenset[str]) -> list[tuple[str, str]]:
    """(name, site id) of every :func:`text_names` name of the sites, with their operators known as companies."""
    sites = list(sites)
    companies = company_keys(sites)
    return [(name, site.id) for site in sites for name in text_names(site, places, companies)]


def place_named(site: Site | UnlocatedSite, places: frozenset[str]) -> tuple[str, ...]:
    """An open-data site's names that :func:`text_names` leaves out for being places ('Aktogay', a town).

    They may still name the site where the text says it is one ('the Aktogay copper mine').
    """
    if site.origin != "open_data":
        return ()
    return tuple(name for name in site.names if skeleton(name) in places and not normalise_region(name))


def company_keys(sites: Iterable[Site | UnlocatedSite]) -> frozenset[str]:
    """The :func:`~geo.names.skeleton` keys of every operator the sites name ('Kazzinc', 'ERG')."""
    return frozenset(
        skeleton(name)
        for site in sites
        for part in re.split(r"[()\[\];,]", site.operator)
        if (name := _operator_name(part))
    )


def _how(linker: Linker, target: str, words: str) -> str:
    """Why words were read as a known site: 'linked to Upper Kairakty (registry) by alias Verkhnekayraktinskoye'."""
    if target.startswith("?"):
        return f"{target[1:]}: a site known by name only, with no location"
    site = linker.sites[target]
    key = skeleton(words)
    same = [alias for alias in site.aliases if skeleton(alias) == key]  # the closest spelling of those that match
    alias = max(same, key=lambda alias: fuzz.ratio(alias, words)) if same else None
    if key == skeleton(site.name):
        how = f"by its name {words}"
    elif " + " in words:
        how = f"by its description {words}"
    elif alias is not None:
        how = f"by alias {alias}" + (f" (written {words})" if words != alias else "")
    elif (target, words) in linker.linked:
        how = f"by the spelling {words}"
    else:
        how = f"by the name {words}"
    return f"linked to {site.name} ({site.origin.replace('_', ' ')}) {how}"


def link(annotated: AnnotatedDocument, linker: Linker, allowed: Callable[[str], bool] | None = None) -> None:
    """Add the ``site`` spans (value: target, span, words) and ``company`` spans (value: name, start, end)."""
    annotated.discard("sites", ["site"])  # the sites may have changed since the last reading
    annotated.discard("companies", ["company"])
    sites, companies = [], []
    for number, sentence in enumerate(annotated.sentences):
        for target, (start, end), words in linker.sites_in(sentence, allowed):
            hit = (target, (start, end), words)
            sites.append(Span(number, start, end, "site", target, _how(linker, target, words), hit))
        for name, start, end in linker.companies_in(sentence):
            operator = "an operator of a known site" if linker.is_operator(name) else "by its legal form"
            companies.append(
                Span(number, start, end, "company", name, f"company {name} ({operator})", (name, start, end))
            )
    annotated.add(sites, "sites")
    annotated.add(companies, "companies")


def link_known(annotated: AnnotatedDocument, known: NameIndex, allowed: Callable[[str], bool]) -> None:
    """Add a ``site`` span for each known name (``known``: name → site id) of a site the document may mean.

    Detection reads these to leave the names of known sites, even inside a longer phrase, to them;
    :func:`link` later reads the sites again with every spelling and replaces these spans.
    """
    annotated.discard("known", ["site"])
    found = []
    for number, sentence in enumerate(annotated.sentences):
        words = spans(sentence)
        for start, end, target in known.find([key for key, _, _ in words]):
            if allowed(target):
                begin, stop = words[start][1], words[end - 1][2]
                found.append(Span(number, begin, stop, "site", target, f"a known name ({target or 'no location'})"))
    annotated.add(found, "known")
