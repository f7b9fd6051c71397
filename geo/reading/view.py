"""The reading made visible: the article with its spans highlighted, and a small offline map of what it places.

Both are pure functions that return HTML, tested without a browser. The article's words are
always escaped (:func:`geo.mapview.escape`), never interpreted as HTML or Markdown; each
highlighted span explains itself in a ``title`` (hover) and an ``aria-label``, and takes the
keyboard focus (``tabindex``). The map page draws with the Leaflet files the app serves
itself (``static/vendor``), so it works with no network; its data travel as JSON that no
``</script>`` in an article can end, and names are put on the map as text, never as HTML.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from geo.assets import URL_PREFIX
from geo.mapview import escape
from geo.reading.article import ArticleReading
from geo.reading.doc import SPAN_TYPES, Span

__all__ = [
    "SPAN_COLOURS",
    "SPAN_NAMES",
    "facts_table",
    "highlight_html",
    "reading_map_data",
    "reading_map_html",
    "sites_table",
    "table_html",
    "unused_table",
]

#: What each span type is called in the legend.
SPAN_NAMES = {
    "site": "site",
    "candidate": "name not kept",
    "place": "place",
    "distance": "distance or bearing",
    "region": "region",
    "coordinates": "coordinates",
    "figure": "figure",
    "date": "date",
    "commodity": "commodity",
    "company": "company",
}
#: Background of each span type (colour-blind-safe pairs are told apart by the legend's words too).
SPAN_COLOURS = {
    "site": "#fecaca",
    "candidate": "#e5e7eb",
    "place": "#bfdbfe",
    "distance": "#ddd6fe",
    "region": "#c7d2fe",
    "coordinates": "#a5f3fc",
    "figure": "#fde68a",
    "date": "#fed7aa",
    "commodity": "#bbf7d0",
    "company": "#f5d0fe",
}
_CSS = (
    ".atlas-reading p { line-height: 1.9; margin: 0 0 .6rem; }\n"
    ".atlas-reading mark { padding: 1px 2px; border-radius: 3px; color: inherit; cursor: help; }\n"
    ".atlas-reading mark:focus { outline: 2px solid #0f766e; outline-offset: 1px; }\n"
    ".atlas-reading mark mark { padding: 0 1px; border-bottom: 2px solid rgba(0,0,0,.35); }\n"
    ".atlas-reading .legend span { display: inline-block; margin: 0 .4rem .3rem 0; padding: 0 4px; }\n"
    + "".join(f".atlas-reading .span-{kind} {{ background: {colour}; }}\n" for kind, colour in SPAN_COLOURS.items())
    + ".atlas-reading .span-site { font-weight: 600; }\n"
)


def _nest(spans: Sequence[Span]) -> list[tuple[Span, list]]:
    """The spans of one sentence as a tree: a span inside another is its child; one that crosses another is left out."""
    order = sorted(spans, key=lambda s: (s.start, -s.end, SPAN_TYPES.index(s.type)))
    roots: list[tuple[Span, list]] = []
    stack: list[tuple[Span, list]] = []
    for span in order:
        if span.start == span.end:
            continue
        while stack and stack[-1][0].end <= span.start:
            stack.pop()
        if stack and span.end > stack[-1][0].end:
            continue  # crosses its parent: shown only through the parent
        node: tuple[Span, list] = (span, [])
        (stack[-1][1] if stack else roots).append(node)
        stack.append(node)
    return roots


def _render(sentence: str, nodes: list[tuple[Span, list]], start: int, end: int) -> str:
    """The sentence from ``start`` to ``end`` with the spans of ``nodes`` marked, every character escaped."""
    out, position = [], start
    for span, children in nodes:
        out.append(escape(sentence[position : span.start]))
        label = f"{SPAN_NAMES[span.type]}: {span.explanation}"
        out.append(
            f'<mark class="span span-{span.type}" data-type="{span.type}" tabindex="0" '
            f'title="{escape(label)}" aria-label="{escape(label)}">'
            f"{_render(sentence, children, span.start, span.end)}</mark>"
        )
        position = span.end
    out.append(escape(sentence[position:end]))
    return "".join(out)


def highlight_html(reading: ArticleReading) -> str:
    """The article, a paragraph per sentence, with every span it was read into marked and explained."""
    kinds = [kind for kind in SPAN_TYPES if any(span.type == kind for spans in reading.spans for span in spans)]
    legend = "".join(f'<span class="span-{kind}">{escape(SPAN_NAMES[kind])}</span>' for kind in kinds)
    paragraphs = "".join(
        f'<p data-sentence="{number}">{_render(sentence, _nest(spans), 0, len(sentence))}</p>'
        for number, (sentence, spans) in enumerate(zip(reading.sentences, reading.spans, strict=True))
    )
    return f'<style>{_CSS}</style><div class="atlas-reading"><div class="legend">{legend}</div>{paragraphs}</div>'


def _clue_data(clue: Any, site: Any) -> dict[str, Any] | None:
    """A clue as the map draws it: its place, the other end of a 'between', its distance and bearing."""
    if clue.place is None or clue.kind == "coordinates":
        return None
    data = {
        "kind": clue.kind,
        "text": clue.text,
        "place": {"name": clue.place.name, "kind": clue.place.kind, "lat": clue.place.lat, "lon": clue.place.lon},
        "distance_km": clue.distance_km,
        "bearing_deg": clue.bearing_deg,
        "site": site.id,
    }
    if clue.other is not None:
        data["other"] = {"name": clue.other.name, "lat": clue.other.lat, "lon": clue.other.lon}
    return data


def reading_map_data(reading: ArticleReading, regions: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the map draws: each placed site, its clues, the regions (outlines) and those the sites lie in."""
    sites = [
        {
            "id": site.id,
            "name": site.name,
            "status": site.status,
            "lat": site.lat,
            "lon": site.lon,
            "radius_km": site.radius_km,
            "region": site.region,
            "explanation": site.explanation,
        }
        for site in reading.sites
        if site.lat is not None and site.lon is not None
    ]
    clues = [data for site in reading.sites for clue in site.clues if (data := _clue_data(clue, site))]
    named = sorted({clue.place.name for site in reading.sites for clue in site.clues if clue.kind == "region"})
    named = named or sorted({site.region for site in reading.sites if site.status == "new" and site.region})
    return {"sites": sites, "clues": clues, "regions": regions, "named_regions": named}


def _json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` as such."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_SCRIPT = """
const data = JSON.parse(document.getElementById("reading-data").textContent);
const map = L.map("map", {zoomSnap: 0.25}).setView([48.0, 67.0], 4);
const bounds = L.latLngBounds([]);
const around = (point, km) => bounds.extend(L.latLng(point).toBounds(2000 * (km || 1)));
const tip = (layer, text, label) => { const node = document.createElement("span"); node.textContent = text;
  layer.bindTooltip(node); if (label) {
    const name = document.createElement("span"); name.textContent = label;
    layer.bindPopup(node); layer.unbindTooltip(); layer.bindTooltip(name, {permanent: true, direction: "right"});
  } return layer; };
if (data.regions) {
  L.geoJSON(data.regions, {interactive: false, style: (f) => {
    const named = data.named_regions.includes(f.properties.name);
    return {color: named ? "#b45309" : "#9ca3af", weight: named ? 2 : 1, fillColor: "#fde68a",
            fillOpacity: named ? 0.2 : 0, className: named ? "reading-region" : "reading-outline"};
  }}).addTo(map);
}
for (const clue of data.clues) {
  const town = [clue.place.lat, clue.place.lon];
  if (clue.kind === "region") continue;
  tip(L.circleMarker(town, {radius: 5, color: "#374151", fillOpacity: 1,
    className: "reading-town"}), `${clue.place.name} (${clue.text})`, clue.place.name).addTo(map);
  around(town, 5);
  if (clue.distance_km) {
    tip(L.circle(town, {radius: clue.distance_km * 1000, color: "#6d28d9", weight: 1.5,
      dashArray: "6 5", fill: false, className: "reading-ring"}), clue.text).addTo(map);
    around(town, clue.distance_km);
  }
  const site = data.sites.find((s) => s.id === clue.site);
  if (site && clue.bearing_deg !== null) {
    L.polyline([town, [site.lat, site.lon]], {color: "#6d28d9", weight: 1.5,
      className: "reading-bearing"}).addTo(map);
  }
  if (clue.other) {
    L.polyline([town, [clue.other.lat, clue.other.lon]], {color: "#6d28d9", weight: 1.5,
      dashArray: "2 4", className: "reading-between"}).addTo(map);
    around([clue.other.lat, clue.other.lon], 5);
  }
}
for (const site of data.sites) {
  const colour = site.status === "new" ? "#b45309" : "#0f766e";
  const point = [site.lat, site.lon];
  if (site.radius_km) {
    L.circle(point, {radius: site.radius_km * 1000, color: colour, weight: 2, fillOpacity: 0.12,
      className: `reading-radius reading-${site.status}`}).addTo(map);
  }
  tip(L.circleMarker(point, {radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1,
    className: `reading-site reading-${site.status}`}), `${site.name}: ${site.explanation}`, site.name).addTo(map);
  around(point, site.radius_km);
}
if (bounds.isValid()) map.fitBounds(bounds.pad(0.1), {maxZoom: 9});
document.body.dataset.drawn = String(data.sites.length);
"""


def reading_map_html(reading: ArticleReading, regions: dict[str, Any] | None = None, prefix: str = URL_PREFIX) -> str:
    """A standalone map page of the article's sites and clues, drawn with the app's own Leaflet (``prefix``)."""
    data = reading_map_data(reading, regions)
    listed = "".join(
        f'<li data-id="{escape(site["id"])}" data-status="{site["status"]}" data-lat="{site["lat"]}" '
        f'data-lon="{site["lon"]}" data-radius-km="{site["radius_km"]}">{escape(site["name"])}</li>'
        for site in data["sites"]
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{prefix}/leaflet/leaflet.css">'
        f'<script src="{prefix}/leaflet/leaflet.js"></script>'
        "<style>html, body, #map { height: 100%; margin: 0; } body { font: 13px sans-serif; }</style></head><body>"
        '<div id="map" role="region" aria-label="Map of the sites the article names and the clues placing them"></div>'
        f'<ul id="found" hidden>{listed}</ul>'
        f'<script type="application/json" id="reading-data">{_json(data)}</script>'
        f"<script>{_SCRIPT}</script></body></html>"
    )


def table_html(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], empty: str) -> str:
    """A small table of text (every cell escaped), or the ``empty`` sentence when there are no rows."""
    if not rows:
        return f'<p class="atlas-reading-empty">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        "<style>.atlas-reading-table { border-collapse: collapse; width: 100%; font-size: .9rem; }"
        ".atlas-reading-table th, .atlas-reading-table td { border-bottom: 1px solid #e5e7eb; padding: 4px 6px;"
        " text-align: left; vertical-align: top; }</style>"
        f'<table class="atlas-reading-table" aria-label="{escape(caption)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def sites_table(reading: ArticleReading) -> str:
    """The sites the article names: linked or new, where, and why."""
    rows = [
        (site.name, site.status, _where(site), site.explanation)
        for site in reading.sites
    ]  # fmt: skip
    return table_html("Sites the article names", ("Site", "Read as", "Where", "Why"), rows, "It names no site.")


def _where(site: Any) -> str:
    if site.lat is None or site.lon is None:
        return "not placed"
    radius = f" ± {site.radius_km:g} km" if site.radius_km else ""
    return f"{site.lat:.3f}° N, {site.lon:.3f}° E{radius} ({site.region})"


def facts_table(reading: ArticleReading) -> str:
    """The facts the article would add, each with its sentence and what it changes."""
    rows = [
        (fact.site_name, f"{fact.label or fact.kind}: {fact.text}", fact.change, fact.sentence)
        for fact in reading.facts
    ]
    headers = ("Site", "Fact", "What it changes", "Sentence")
    return table_html("Facts the article would add", headers, rows, "It states no fact about a site.")


def unused_table(reading: ArticleReading) -> str:
    """What the article says that the atlas could not use, and why."""
    rows = [(item.text, item.reason, item.sentence) for item in reading.unused]
    headers = ("What", "Why it could not be used", "Sentence")
    return table_html("What the atlas could not use", headers, rows, "Everything it read was used.")
