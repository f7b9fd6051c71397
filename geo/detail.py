"""A site's detail panel: everything known about it, each fact dated and cited, conflicts side by side.

``fact_groups`` is the data (facts grouped by what they measure, newest first); ``detail_html``
renders it, every text escaped with ``mapview.escape``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.mapview import KIND_COLOURS, PRECISION_LABELS, escape
from geo.schema import COMMODITIES, KINDS, STATUSES

__all__ = ["MENTION_KINDS", "QUALIFIERS", "FactGroup", "detail_html", "fact_groups", "qualifiers", "text_or_empty"]

#: Kinds of fact that name something (a company, a commodity) rather than give a figure:
#: listed after the figures, folded away, and never a conflict.
MENTION_KINDS: tuple[str, ...] = ("company", "commodity")

#: Words that say which quantity an unlabelled figure is (28.2 Mt "in total" is not 1 Mt "in new areas").
QUALIFIERS: tuple[str, ...] = (
    "total",
    "combined",
    "new",
    "additional",
    "initial",
    "predicted",
    "forecast",
    "projected",
    "proven",
    "confirmed",
    "probable",
    "inferred",
    "indicated",
    "measured",
    "viable",
    "recoverable",
    "annual",
    "capacity",
)
#: Words either side of a figure searched for its qualifiers.
_QUALIFIER_WINDOW = 5


def text_or_empty(value: Any) -> str:
    """A value as display text: missing values (``None``, NaN, the strings "nan" and "None") as ``""``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text in {"nan", "NaN", "None", "NaT"} else text


def qualifiers(fact: Mapping[str, Any]) -> tuple[str, ...]:
    """The words of ``QUALIFIERS`` within a few words of the figure in its sentence, in sentence order.

    >>> qualifiers({"text": "one million tons", "sentence": "These areas hold a combined one million tons of metals."})
    ('combined',)
    """
    sentence, figure = str(fact.get("sentence") or "").casefold(), str(fact.get("text") or "").casefold()
    at = sentence.find(figure) if figure else -1
    if at < 0:
        return ()
    before = re.findall(r"\w+", sentence[:at])[-_QUALIFIER_WINDOW:]
    after = re.findall(r"\w+", sentence[at + len(figure) :])[:_QUALIFIER_WINDOW]
    return tuple(dict.fromkeys(word for word in (*before, *after) if word in QUALIFIERS))


@dataclass(frozen=True)
class FactGroup:
    """The facts about one quantity of a site, newest first.

    One quantity is one ``kind``, ``label`` and ``unit``; a figure with no label is also told
    apart by the ``QUALIFIERS`` around it in its sentence (its ``qualified`` words).
    """

    kind: str
    label: str | None
    facts: tuple[Mapping[str, Any], ...]
    qualified: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """What the facts measure, e.g. ``"Resources (mass)"``, ``"Mass, combined"`` or ``"Grade"``."""
        text = f"{self.label} ({self.kind})" if self.label else self.kind
        text = text.replace("_", " ") + "".join(f", {word}" for word in self.qualified)
        return text[:1].upper() + text[1:]

    @property
    def mention(self) -> bool:
        """Whether the facts name something (``MENTION_KINDS``) rather than give a figure."""
        return self.kind in MENTION_KINDS

    @property
    def conflicting(self) -> bool:
        """Whether the sources give different figures for this quantity (mentions never conflict)."""
        figures = {
            (f.get("value"), f.get("unit")) if f.get("value") is not None else str(f.get("text")).casefold()
            for f in self.facts
        }
        return not self.mention and len(figures) > 1


def fact_groups(facts: Iterable[Mapping[str, Any]]) -> list[FactGroup]:
    """Group facts by (kind, label): figures first, mentions last, otherwise in order of first appearance.

    Each group lists its facts newest first, undated ones last. Figures in other units, or
    unlabelled figures that other words qualify, are other quantities: they never "differ".

    >>> [(g.title, [f["text"] for f in g.facts]) for g in fact_groups([
    ...     {"kind": "mass", "label": "resources", "text": "20 Mt", "published": None},
    ...     {"kind": "mass", "label": "resources", "text": "28 Mt", "published": "2025-09-05"},
    ...     {"kind": "grade", "label": None, "text": "700 g/t", "published": "2025-01-01"}])]
    [('Resources (mass)', ['28 Mt', '20 Mt']), ('Grade', ['700 g/t'])]
    """
    groups: dict[tuple[str, str | None, str, tuple[str, ...]], list[Mapping[str, Any]]] = {}
    for fact in facts:
        label = fact.get("label")
        kind = str(fact.get("kind") or "fact")
        qualified = () if label or kind in MENTION_KINDS else qualifiers(fact)
        groups.setdefault((kind, label, text_or_empty(fact.get("unit")), qualified), []).append(fact)
    ordered = [
        FactGroup(kind, label, tuple(sorted(items, key=lambda f: f.get("published") or "", reverse=True)), qualified)
        for (kind, label, _, qualified), items in groups.items()
    ]
    return sorted(ordered, key=lambda group: group.mention)


def _source(source: str) -> str:
    """A source as HTML: a link when it is an http(s) URL, escaped text otherwise."""
    if source.startswith(("https://", "http://")):
        return f'<a href="{escape(source)}" target="_blank" rel="noopener noreferrer">{escape(source)}</a>'
    return escape(source)


Articles = Mapping[tuple[str, int], Mapping[str, Any]]


def _sources(sources: str, articles: Articles | None = None) -> str:
    """Several ``;``-separated sources, one per line; an article file as its articles' headlines, not its name."""
    by_file: dict[str, list[int]] = {}
    for file, item in articles or {}:
        by_file.setdefault(file, []).append(item)
    lines = []
    for part in (part.strip() for part in sources.split(";")):
        if part in by_file:
            lines += [_citation(part, item, articles or {}) for item in sorted(by_file[part])]
        elif part:
            lines.append(_source(part))
    return "<br>".join(lines)


def articles_by_key(documents: Iterable[Mapping[str, Any]]) -> Articles:
    """Index ``stats.json``'s ``documents`` by (file, item), the way facts name their article."""
    return {(doc["file"], int(doc["item"])): doc for doc in documents}


#: Said of an article whose web address is not known, instead of a link.
NO_LINK = "no link: its web address was not found"


def _citation(file: Any, item: Any, articles: Articles, published: Any = None) -> str:
    """An article as HTML: headline (linked when its URL is known), outlet, date, then file and number.

    ``published`` is the fact's date, used when the article list gives none.
    """
    where = f"{escape(file)}, article {escape(item)}" if item is not None else escape(file)
    article = articles.get((str(file), int(item))) if str(item).isdigit() else None
    if not article or not article.get("title"):
        return where
    title = escape(article["title"])
    url = text_or_empty(article.get("url"))
    if url.startswith(("https://", "http://")):
        title = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    else:
        where += f"; {NO_LINK}"
    outlet = f" — {escape(article['outlet'])}" if text_or_empty(article.get("outlet")) else ""
    day = text_or_empty(article.get("published")) or text_or_empty(published) or "undated"
    return f"“{title}”{outlet}, {escape(day)} ({where})"


def _fact_card(fact: Mapping[str, Any], articles: Articles) -> str:
    """One dated, cited fact."""
    date = escape(fact.get("published") or "undated")
    cite = _citation(fact.get("document"), fact.get("item"), articles, fact.get("published"))
    return (
        '<div style="flex:1 1 165px;max-width:340px;border:1px solid #d1d5db;border-radius:6px;padding:6px 9px;'
        'background:#fff">'
        f'<div style="font-weight:700;font-size:1.05em">{escape(fact.get("text"))}</div>'
        f'<div style="color:#4b5563;font-size:.85em">{date} · {cite}</div>'
        f'<blockquote style="margin:4px 0 0;padding-left:8px;border-left:3px solid #cbd5e1;color:#374151;'
        f'font-size:.88em">{escape(fact.get("sentence"))}</blockquote></div>'
    )


def _group_html(group: FactGroup, articles: Articles) -> str:
    """One group: its title, and its facts side by side, newest on the left."""
    note = (
        ' <span style="color:#b45309;font-weight:600">· figures differ, newest first</span>'
        if group.conflicting
        else ""
    )
    cards = "".join(_fact_card(fact, articles) for fact in group.facts)
    return (
        f'<div style="margin:8px 0 3px;font-weight:600">{escape(group.title)}{note}</div>'
        f'<div style="display:flex;flex-wrap:wrap;gap:8px">{cards}</div>'
    )


def _facts_html(facts: Iterable[Mapping[str, Any]], articles: Articles) -> str:
    """Every fact, grouped: figures first, then mentions of companies and commodities folded away."""
    groups = fact_groups(facts)
    figures = "".join(_group_html(group, articles) for group in groups if not group.mention)
    mentions = [group for group in groups if group.mention]
    if mentions:
        count = sum(len(group.facts) for group in mentions)
        figures += (
            f'<details style="margin-top:10px"><summary style="cursor:pointer;color:#374151">'
            f"Mentions of companies and commodities ({count})</summary>"
            f"{''.join(_group_html(group, articles) for group in mentions)}</details>"
        )
    return figures or '<p style="color:#6b7280">No figures have been extracted for this site yet.</p>'


def _cited(site: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """The articles a site's facts cite, in order, and any other file that mentions it (no article number)."""
    cited = list(dict.fromkeys((fact["document"], fact["item"]) for fact in site["facts"] or []))
    files = {file for file, _ in cited}
    return cited + [(file, None) for file in site["sources"] or [] if file not in files]


def detail_html(site: Mapping[str, Any], articles: Articles | None = None) -> str:
    """The detail panel of one site (a row of ``sites.geojson`` with its point ``geometry``), as HTML.

    ``articles`` (from :func:`articles_by_key`) turns each citation into the article's headline and link.
    """
    articles = articles or {}
    point = site["geometry"]
    precision = PRECISION_LABELS.get(site["location_precision"], site["location_precision"])
    if point is None or point.is_empty:
        location = escape(precision)
    else:
        if site["location_precision"] != "site":
            precision += f", within {site['uncertainty_km']:g} km"
        location = f"{escape(precision)} ({point.y:.4f}° N, {point.x:.4f}° E)"
    commodities = ", ".join(f"{COMMODITIES.get(s, s)} ({s})" for s in site["commodities"] or [])
    origin = {
        "registry": "curated registry",
        "open_data": "open datasets (see the source records below)",
    }.get(site["origin"], f"extracted from text, confidence {site['confidence']:.0%}")
    rows = [
        ("Kind", escape(KINDS.get(site["kind"], site["kind"]))),
        ("Commodities", escape(commodities)),
        ("Operator", escape(text_or_empty(site["operator"]) or "not known")),
        ("Status", escape(STATUSES.get(site["status"], site["status"]))),
        ("Region", escape(text_or_empty(site["region"]) or "not known")),
        ("Location", location),
        ("Location source", _source(text_or_empty(site["location_source"]))),
        ("Location note", escape(text_or_empty(site["location_note"]))),
        ("Information source", _sources(text_or_empty(site["info_source"]), articles)),
        ("Record", escape(origin)),
        ("Region history", _region_history(site.get("region_history") or [])),
        ("Articles", "<br>".join(_citation(file, item, articles) for file, item in _cited(site)) or "none"),
    ]
    table = "".join(
        f'<tr><th style="text-align:left;vertical-align:top;padding:2px 10px 2px 0;color:#4b5563;font-weight:600;'
        f'white-space:nowrap">{name}</th><td style="padding:2px 0;overflow-wrap:anywhere">{value}</td></tr>'
        for name, value in rows
        if value
    )
    aliases = escape(" · ".join(site["aliases"] or []))
    colour = KIND_COLOURS.get(site["kind"], "#52525b")
    return (
        f'<div class="atlas-detail" data-site="{escape(site.get("id", ""))}" style="border-left:5px solid {colour};'
        "padding:2px 0 2px 12px;scroll-margin-top:4.5rem;"
        f'overflow-wrap:anywhere;word-break:break-word;max-width:100%">'
        f'<h3 style="margin:0 0 2px">{escape(site["name"])}</h3>'
        f'<div style="color:#6b7280;margin-bottom:6px">{aliases}</div>'
        f'<table style="border-collapse:collapse;font-size:.92em;width:100%">{table}</table>'
        f"{_records_html(site.get('records') or [], site.get('value_sources') or {})}"
        f'<h4 style="margin:12px 0 0">Facts</h4>{_facts_html(site["facts"] or [], articles)}</div>'
    )


def _region_history(named: list[Mapping[str, Any]]) -> str:
    """Regions a record or an article names for the site, where they differ from today's, each with who and when."""
    return "<br>".join(
        escape(f"{item['region']} (named by {item['named_by']}, {item['as_of'] or 'undated'})") for item in named
    )


#: The columns of the source-record table in the detail panel: (label, record field).
_RECORD_ROWS = (
    ("Dataset", "database"),
    ("Release", "release"),
    ("Name", "name"),
    ("Kind", "kind"),
    ("Commodities", "commodities_raw"),
    ("Status", "status_raw"),
    ("Owner", "owner"),
    ("Capacity", "capacity"),
    ("Point", "point"),
    ("Flags", "flags"),
    ("Licence", "licence"),
)


def _record_value(record: Mapping[str, Any], field: str) -> str:
    """One cell of the source-record table, as escaped HTML."""
    if field == "point":
        if record["lat"] is None:
            return "no point"
        return escape(f"{record['lat']:.4f}° N, {record['lon']:.4f}° E ({record['precision_note']})")
    if field == "name":
        names = [record["name"] or "unnamed", *record["aliases"]]
        return escape(" · ".join(names))
    value = record[field]
    return escape(", ".join(value) if isinstance(value, list) else str(value or ""))


def _records_html(records: list[Mapping[str, Any]], value_sources: Mapping[str, str]) -> str:
    """Every source record of a site side by side (one column each), linked to its page, with what it gave the site."""
    if not records:
        return ""
    gave = {key: [field for field, source in value_sources.items() if source == key] for key in value_sources.values()}
    head = "".join(
        f'<th style="text-align:left;padding:2px 8px;vertical-align:bottom">'
        f"{_source(record['url']) if record['url'] else escape(record['key'])}"
        f'<div style="font-weight:400;color:#6b7280">{escape(record["key"])}'
        f"{escape(' · gave ' + ', '.join(gave[record['key']])) if gave.get(record['key']) else ''}</div></th>"
        for record in records
    )
    body = "".join(
        f'<tr><th style="text-align:left;color:#4b5563;padding:2px 8px 2px 0;white-space:nowrap">{label}</th>'
        + "".join(f'<td style="padding:2px 8px;vertical-align:top">{_record_value(r, field)}</td>' for r in records)
        + "</tr>"
        for label, field in _RECORD_ROWS
    )
    return (
        f'<h4 style="margin:12px 0 0">Source records ({len(records)})</h4>'
        f'<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:.85em">'
        f"<tr><th></th>{head}</tr>{body}</table></div>"
    )
