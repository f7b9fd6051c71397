"""From resolved groups of source records to the atlas's sites, each value traced to the record it came from.

A curated site keeps its own point, names and description and gains the records that match it
as further sources. A site known only from open data takes each value from the record that
knows it best (:data:`DATASET_RANK`, then the most precise point), records which record that
was (``value_sources``), and, where its records disagree on the point by more than their radii,
says so and widens its radius to cover every record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from geo.ids import slug
from geo.names import skeleton
from geo.opendata.records import SourceRecord
from geo.opendata.resolve import Anchor, Override, Resolution, distance_km, resolve
from geo.regions import regions_at
from geo.registry import Site, UnlocatedSite
from geo.schema import COMMODITIES

__all__ = [
    "BORDER_REACH_KM",
    "DATASET_RANK",
    "SetAside",
    "SiteBuild",
    "build_sites",
    "sites_from_records",
    "within_reach",
]

#: Which dataset's name, status and owner win, best first: current trackers before historic databases.
DATASET_RANK: tuple[str, ...] = ("gem-gist", "gem-giomt", "gem-gcmt", "icmm", "usgs")

#: A record just across the border (a rounding or a datum shift) is kept in the nearest region within this reach.
BORDER_REACH_KM = 25.0

#: The largest radius that still counts as the site's own point (precision ``site``).
SITE_RADIUS_KM = 2.0

# Which record kind names the site, most facility-like first.
_KIND_ORDER = ("smelter", "refinery", "plant", "mine", "project", "deposit", "prospective_area", "occurrence")


@dataclass(frozen=True)
class SetAside:
    """A record that makes no site, and why."""

    record: SourceRecord
    reason: str


@dataclass(frozen=True)
class SiteBuild:
    """Curated sites with their matching records, open-data sites, unplaced ones, and records set aside."""

    registry: list[Site]
    unlocated: list[UnlocatedSite]
    sites: list[Site]
    unplaced: list[UnlocatedSite]
    set_aside: list[SetAside]
    site_of: dict[str, str]

    @property
    def counts(self) -> dict[str, int]:
        """How many records went where: into located sites, sites with no point, curated sites, or aside."""
        placed = {site.id for site in self.sites}
        unplaced = {site.id for site in self.unplaced}
        values = list(self.site_of.values())
        return {
            "records": len(values) + len(self.set_aside),
            "in_open_data_sites": sum(v in placed for v in values),
            "in_sites_with_no_point": sum(v in unplaced for v in values),
            "in_curated_sites": sum(v not in placed and v not in unplaced for v in values),
            "set_aside": len(self.set_aside),
        }


def within_reach(records: Sequence[SourceRecord]) -> tuple[list[SourceRecord], list[SetAside]]:
    """Records to resolve, and those set aside because their point lies farther than the reach outside the country."""
    located = [record for record in records if record.located]
    _, distance = regions_at(np.array([r.lon for r in located]), np.array([r.lat for r in located]), BORDER_REACH_KM)
    far = {record.key: km for record, km in zip(located, distance.tolist(), strict=True) if km > BORDER_REACH_KM}
    kept = [record for record in records if record.key not in far]
    set_aside = [
        SetAside(
            record, f"point lies {far[record.key]:.0f} km outside Kazakhstan, beyond the {BORDER_REACH_KM:.0f} km reach"
        )
        for record in records
        if record.key in far
    ]
    return kept, set_aside


def _rank(record: SourceRecord) -> tuple[int, float, str]:
    """Sort key: better dataset first, then the smaller radius, then the key (deterministic)."""
    dataset = DATASET_RANK.index(record.dataset) if record.dataset in DATASET_RANK else len(DATASET_RANK)
    return dataset, record.uncertainty_km if record.uncertainty_km is not None else 1e9, record.key


def _choose_point(records: Sequence[SourceRecord]) -> tuple[SourceRecord, float, str]:
    """The record whose point the site takes, the radius that covers every record, and the rule said in words.

    Among records that agree (within both radii plus a few km), the largest agreeing set wins,
    and within it the most precise point; the radius then covers every record's point and doubt.
    """
    located = sorted((r for r in records if r.located), key=lambda r: (r.uncertainty_km or 0.0, _rank(r)))

    def agreeing(center: SourceRecord) -> int:
        return sum(
            distance_km((other.lon, other.lat), (center.lon, center.lat))
            <= (center.uncertainty_km or 0) + (other.uncertainty_km or 0) + 5
            for other in located
        )

    best = max(located, key=agreeing)  # max keeps the first (most precise) of equal counts
    radius = max(
        (
            best.uncertainty_km or 0.0,
            *(distance_km((r.lon, r.lat), (best.lon, best.lat)) + (r.uncertainty_km or 0.0) for r in located),
        )
    )
    spread = max(distance_km((r.lon, r.lat), (best.lon, best.lat)) for r in located)
    rule = f"point of {best.key} ({best.precision_note})"
    if len(located) > 1:
        rule += f", the most precise of the {agreeing(best)} of {len(located)} records that agree"
    if spread > (best.uncertainty_km or 0.0) + 5 and len(located) > 1:
        rule += f"; records disagree by up to {spread:.0f} km, so the radius covers them all"
    return best, round(max(radius, 1.0), 1), rule


def _record_label(record: SourceRecord) -> str:
    """A name for an unnamed record: what it is and which record it is."""
    kind = record.kind.replace("_", " ")
    holds = "/".join(record.commodities[:2])
    return f"Unnamed {holds + ' ' if holds else ''}{kind} ({record.key})"


def _names(records: Sequence[SourceRecord]) -> tuple[str, tuple[str, ...], str]:
    """The site's name (from the best-ranked named record), its other names, and the record named after."""
    ranked = sorted(records, key=_rank)
    named = [r for r in ranked if r.name]
    chosen = named[0] if named else ranked[0]
    name = chosen.name or _record_label(chosen)
    seen = {skeleton(name)}
    aliases = []
    for record in ranked:
        for other in record.names:
            if skeleton(other) not in seen:
                seen.add(skeleton(other))
                aliases.append(other)
    return name, tuple(aliases), chosen.key


def _pick(records: Sequence[SourceRecord], value: str) -> tuple[str, str]:
    """The best-ranked record's non-empty value of an attribute (and that record's key), else ('', '')."""
    for record in sorted(records, key=_rank):
        found = getattr(record, value)
        if found and found != "unknown":
            return found, record.key
    return "", ""


def _commodities(records: Sequence[SourceRecord]) -> tuple[str, ...]:
    """Every commodity of every record that the schema knows, in rank order of the records."""
    found = (symbol for record in sorted(records, key=_rank) for symbol in record.commodities)
    return tuple(symbol for symbol in dict.fromkeys(found) if symbol in COMMODITIES)


def _kind(records: Sequence[SourceRecord]) -> tuple[str, str]:
    """The most facility-like kind among the records, and the record it comes from."""
    for kind in _KIND_ORDER:
        for record in sorted(records, key=_rank):
            if record.kind == kind:
                return kind, record.key
    return records[0].kind, records[0].key


def _open_site(records: Sequence[SourceRecord], site_id: str) -> Site | UnlocatedSite:
    """One site from its records alone: each value from the record that knows it best."""
    name, aliases, name_from = _names(records)
    kind, kind_from = _kind(records)
    status, status_from = _pick(records, "status")
    operator, operator_from = _pick(records, "owner")
    flags = tuple(sorted({flag for record in records for flag in record.flags}))
    sources = [("name", name_from), ("kind", kind_from), ("status", status_from), ("operator", operator_from)]
    common = {
        "name": name,
        "aliases": aliases,
        "kind": kind,
        "commodities": _commodities(records),
        "operator": operator,
        "status": status or "unknown",
        "info_source": "; ".join(record.url or record.key for record in records),
        "origin": "open_data",
        "records": tuple(records),
    }
    if not any(record.located for record in records):
        return UnlocatedSite(
            **common,
            reason="no source record gives a point",
            value_sources=tuple((k, v) for k, v in sources if v),
            flags=flags,
            id=site_id,
        )
    best, radius, rule = _choose_point(records)
    sources.append(("point", best.key))
    return Site(
        id=site_id,
        **common,
        region="",
        lat=best.lat,
        lon=best.lon,
        precision="site" if radius <= SITE_RADIUS_KM else "approximate",
        uncertainty_km=radius,
        location_source=best.url or best.key,
        location_note=rule,
        value_sources=tuple((k, v) for k, v in sources if v),
        flags=flags + (("points_disagree",) if "disagree" in rule else ()),
    )


def _unique_ids(groups: Sequence[Sequence[SourceRecord]], taken: set[str]) -> list[str]:
    """An id per group: the slug of its name, made unique with its first record's id where names repeat."""
    ids = []
    for records in groups:
        name, _, chosen = _names(records)
        base = slug(name)
        site_id = base if base not in taken else f"{base}-{slug(chosen.split(':')[-1])}"
        number = 2
        while site_id in taken:
            site_id, number = f"{base}-{number}", number + 1
        taken.add(site_id)
        ids.append(site_id)
    return ids


def _with_regions(sites: list[Site]) -> list[Site]:
    """Give each open-data site its region by its point, in one bulk query (a point just across the border: nearest)."""
    if not sites:
        return []
    regions, _ = regions_at(np.array([s.lon for s in sites]), np.array([s.lat for s in sites]), BORDER_REACH_KM)
    return [replace(site, region=region) for site, region in zip(sites, regions, strict=True)]


def build_sites(
    resolution: Resolution, registry: Sequence[Site], unlocated: Sequence[UnlocatedSite], set_aside: list[SetAside]
) -> SiteBuild:
    """Turn resolved groups into sites: curated ones gain their records, the rest become open-data sites."""
    by_id: dict[str, Site | UnlocatedSite] = {site.id: site for site in (*registry, *unlocated)}
    gained: dict[str, list[SourceRecord]] = {}
    open_groups = []
    for group, anchor in zip(resolution.groups, resolution.anchors, strict=True):
        if anchor is not None:
            gained[anchor] = group
        else:
            open_groups.append(group)
    ids = _unique_ids(open_groups, set(by_id))
    built = [_open_site(group, site_id) for group, site_id in zip(open_groups, ids, strict=True)]
    site_of = {record.key: site_id for site_id, group in gained.items() for record in group}
    site_of |= {record.key: site_id for site_id, group in zip(ids, open_groups, strict=True) for record in group}
    return SiteBuild(
        registry=[replace(site, records=tuple(gained.get(site.id, ()))) for site in registry],
        unlocated=[replace(site, records=tuple(gained.get(site.id, ()))) for site in unlocated],
        sites=_with_regions([site for site in built if isinstance(site, Site)]),
        unplaced=[site for site in built if isinstance(site, UnlocatedSite)],
        set_aside=set_aside,
        site_of=site_of,
    )


def sites_from_records(
    records: Sequence[SourceRecord],
    registry: Sequence[Site],
    unlocated: Sequence[UnlocatedSite],
    overrides: Sequence[Override] = (),
) -> tuple[SiteBuild, Resolution]:
    """Resolve open-data records against the curated sites and build every site: the open-data stage in one call."""
    kept, set_aside = within_reach(records)
    anchors = [Anchor(s.id, s.names, s.kind, (s.lon, s.lat), s.uncertainty_km) for s in registry]
    anchors += [Anchor(s.id, s.names, s.kind, None, 0.0) for s in unlocated]
    resolution = resolve(kept, anchors, overrides)
    return build_sites(resolution, registry, unlocated, set_aside), resolution
