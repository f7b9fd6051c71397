"""Entity resolution: source records of one real site, across datasets and within one, become one site.

Two records are one site when their names agree (spelling-tolerant, by :func:`geo.names.merge_key`
and ``rapidfuzz``) and their points are close enough for their precisions, or when a name that is
unique in each source is the same and the points disagree within :data:`FAR_KM` (the site then
shows the disagreement). Curated registry sites take part as fixed nodes: records that match one
become its further sources, and its hand-researched point and names win. A person can force a
merge or a split in ``data/merge_overrides.csv``; every link taken or refused is a row of the
merge table, so each decision is visible and reversible.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
from pyproj import Geod
from rapidfuzz import fuzz

from geo.names import merge_key
from geo.opendata.records import SourceRecord
from geo.schema import COMMODITY_WORDS

__all__ = [
    "FAR_KM",
    "NAME_ONLY_SCORE",
    "NEAR_SLACK_KM",
    "OVERRIDES_FILE",
    "Anchor",
    "Link",
    "Override",
    "Resolution",
    "name_keys",
    "name_score",
    "read_overrides",
    "resolve",
]

_GEOD = Geod(ellps="WGS84")

#: The curated file of a person's merge and split decisions, in the data folder.
OVERRIDES_FILE = "merge_overrides.csv"

#: How far apart two records with one close name may lie and still be one site, beyond their radii:
#: a deposit is kilometres across and old databases place it at its centre, a shaft or a town.
NEAR_SLACK_KM = 25.0

#: The farthest two records with the same name (unique in each source) may lie and still be
#: merged as one site whose sources disagree on the point.
FAR_KM = 300.0

#: Name scores (0–100, rapidfuzz ratio of merge keys) for a close-by merge and a same-name merge.
NEAR_SCORE = 85.0
SAME_SCORE = 100.0

#: The name score a record with no point needs to join a located site (which must be the only one that close).
NAME_ONLY_SCORE = 90.0

# Record kinds that are facilities, and kinds that are ground: a plant is not the deposit beside it.
_FACILITIES = frozenset({"plant", "smelter", "refinery"})

# Words that describe a site rather than name it: dropped before names are compared.
_GENERIC_WORDS = (
    "coal steel iron works combine gok complex group metallurgical kazakhstan concentrator refinery mines "
    "open pit underground project occurrence unnamed polymetallic uchastok area " + " ".join(COMMODITY_WORDS)
)
_GENERIC_KEYS = frozenset(merge_key(word) for word in _GENERIC_WORDS.split()) - {""}
_PARTS = re.compile(r"[,;/()]")
_ROMAN = re.compile(r"[ivx]+")
# A parenthesis that names the group a site belongs to, not another name of it: "(Kempirsai group)".
_GROUP_NOTE = re.compile(r"\([^)]*\b(?:group|grou|complex|district)\b[^)]*\)?", re.IGNORECASE)
_PROJECTION = "+proj=aeqd +lat_0=48 +lon_0=67 +datum=WGS84 +units=km"


def name_keys(name: str) -> frozenset[str]:
    """Merge keys of each part of a name, generic words dropped ('Kundybajskoe, Shevchenkovskoe' → two).

    >>> sorted(name_keys("Qarmet steel plant")) == sorted(name_keys("KarMet"))
    True
    """
    keys = set()
    for part in _PARTS.split(name):
        words = [word for word in merge_key(part).split() if word not in _GENERIC_KEYS]
        if words:
            keys.add(" ".join(words))
    return frozenset(keys)


#: A record with more distinct aliases than this lists a group of assets (ICMM's group names), not one site's names.
GROUP_ALIASES = 3


def link_names(name: str, aliases: Sequence[str]) -> tuple[str, ...]:
    """The names a record may be linked by: a listed name ('A, B') by its first part, aliases unless they list a group.

    A USGS row named "Kundybajskoe, Shevchenkovskoe" describes two deposits, and "Molodezhnoe
    (Kempirsai group)" names its group in parentheses; an ICMM row whose
    group names run to "Tishin; Ridder; Kazzinc; Ognevka Plant" lists a group. Linking by every one
    of those names would chain separate sites into one, so they are shown but not linked by.
    """
    first = _GROUP_NOTE.sub("", name).split(",")[0].strip()
    alias_keys = {key for alias in aliases for key in name_keys(alias)}
    kept = tuple(aliases) if len(alias_keys) <= GROUP_ALIASES else ()
    return tuple(found for found in (first, *kept) if found)


def _numbers(key: str) -> frozenset[str]:
    """The numbers and Roman numerals in a name key: 'Geophizicheskoe IX' and '... X' are two ore bodies."""
    return frozenset(word for word in key.split() if word.isdigit() or _ROMAN.fullmatch(word))


def name_score(names_a: Iterable[str], names_b: Iterable[str]) -> float:
    """The best rapidfuzz token-sort ratio (word order ignored) between the name keys of two sides (0–100).

    Keys whose numbers differ never match: numbered ore bodies of one field are separate sites.
    """
    keys_a = {key for name in names_a for key in name_keys(name)}
    keys_b = {key for name in names_b for key in name_keys(name)}
    scores = (fuzz.token_sort_ratio(a, b) for a in keys_a for b in keys_b if _numbers(a) == _numbers(b))
    return max(scores, default=0.0)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two (lon, lat) points in km."""
    return _GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


@dataclass(frozen=True)
class Anchor:
    """A curated site as a fixed node of the resolution: its id, names, kind and point (None if unplaced)."""

    id: str
    names: tuple[str, ...]
    kind: str
    point: tuple[float, float] | None
    uncertainty_km: float


@dataclass(frozen=True)
class Override:
    """A person's decision: ``merge`` two nodes into one site, or ``split`` them apart; with the reason."""

    action: str
    record: str
    other: str
    reason: str
    line: int


@dataclass(frozen=True)
class Link:
    """One link considered between two nodes (record keys or ``registry:<id>``), and what became of it."""

    a: str
    b: str
    rule: str
    score: float
    distance_km: float | None
    taken: bool
    note: str = ""


@dataclass
class Resolution:
    """Records grouped into sites: each group's records, its anchor (a curated site) if any, every link."""

    groups: list[list[SourceRecord]]
    anchors: list[str | None]
    links: list[Link] = field(default_factory=list)


class _Groups:
    """Union–find over nodes with cannot-link pairs: a split override or two curated sites never join."""

    def __init__(self, nodes: Sequence[str]) -> None:
        self.parent = {node: node for node in nodes}
        self.members = {node: {node} for node in nodes}
        self.apart: set[frozenset[str]] = set()

    def find(self, node: str) -> str:
        """The representative of a node's group."""
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def forbid(self, a: str, b: str) -> None:
        """Never let ``a`` and ``b`` into one group."""
        self.apart.add(frozenset((a, b)))

    def blocked(self, a: str, b: str) -> str:
        """Why the groups of ``a`` and ``b`` may not join ('' when they may).

        The pairs are read in sorted order, so the same inputs give the same reason in every run
        (a set's order follows string hashing, which changes from one process to the next).
        """
        group_a, group_b = self.members[self.find(a)], self.members[self.find(b)]
        for x, y in sorted(tuple(sorted(pair)) for pair in self.apart):
            if (x in group_a and y in group_b) or (y in group_a and x in group_b):
                return f"kept apart: {x} and {y}"
        return ""

    def join(self, a: str, b: str) -> None:
        """Put the groups of ``a`` and ``b`` together."""
        root_a, root_b = sorted((self.find(a), self.find(b)))
        if root_a != root_b:
            self.parent[root_b] = root_a
            self.members[root_a] |= self.members.pop(root_b)


def read_overrides(path: Path) -> list[Override]:
    """Read ``merge_overrides.csv`` (action, record, other, reason); a bad row raises naming file and line."""
    if not path.exists():
        return []
    overrides, problems = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"action", "record", "other", "reason"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            values = {key: (row.get(key) or "").strip() for key in ("action", "record", "other", "reason")}
            if values["action"] not in ("merge", "split"):
                problems.append(f"{path}:{line}: action {values['action']!r} is not 'merge' or 'split'")
            elif not (values["record"] and values["other"] and values["reason"]):
                problems.append(f"{path}:{line}: record, other and reason must all be given")
            else:
                overrides.append(Override(**values, line=line))
    if problems:
        raise ValueError("\n".join(problems))
    return overrides


def kind_group(kind: str) -> str:
    """'facility' for plants, smelters and refineries; 'ground' for everything else."""
    return "facility" if kind in _FACILITIES else "ground"


def near_pairs(points: np.ndarray, limit_km: float) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of points within ``limit_km`` of each other, from one bulk spatial-index query."""
    if len(points) < 2:
        return []
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(points[:, 0], points[:, 1]), crs="EPSG:4326")
    projected = frame.to_crs(_PROJECTION)
    left, right = projected.sindex.query(projected.geometry, predicate="dwithin", distance=limit_km)
    keep = left < right
    return [
        (i, j, distance_km(tuple(points[i]), tuple(points[j])))
        for i, j in zip(left[keep].tolist(), right[keep].tolist(), strict=True)
    ]


def _unique_names(records: Sequence[SourceRecord]) -> dict[str, set[str]]:
    """For each record key, its name keys that no other record of the same database uses."""
    per_database: Counter[tuple[str, str]] = Counter(
        (record.database, key)
        for record in records
        for key in {k for n in link_names(record.name, record.aliases) for k in name_keys(n)}
    )
    return {
        record.key: {
            key
            for name in link_names(record.name, record.aliases)
            for key in name_keys(name)
            if per_database[(record.database, key)] == 1
        }
        for record in records
    }


def resolve(
    records: Sequence[SourceRecord], anchors: Sequence[Anchor] = (), overrides: Sequence[Override] = ()
) -> Resolution:
    """Group source records into sites; anchors (curated sites) are fixed nodes that records may join.

    Rules, strongest first: a person's ``merge`` override; ``near-name`` (name score ≥
    :data:`NEAR_SCORE`, same kind group, points within both radii plus :data:`NEAR_SLACK_KM`);
    ``same-name`` (an identical name key, unique in each record's database, commodities in
    common or unknown, points within :data:`FAR_KM`); ``name-only`` for a record with no point
    whose name matches exactly one located group. Unnamed records join nothing by name.
    """
    by_key = {record.key: record for record in records}
    nodes = [*by_key, *(f"registry:{anchor.id}" for anchor in anchors)]
    groups = _Groups(nodes)
    links: list[Link] = []
    for number, anchor in enumerate(anchors):  # curated sites are distinct by definition
        for other in anchors[number + 1 :]:
            groups.forbid(f"registry:{anchor.id}", f"registry:{other.id}")
    for override in overrides:
        for node in (override.record, override.other):
            if node not in groups.parent:
                raise ValueError(f"merge_overrides.csv:{override.line}: unknown record or site {node!r}")
        if override.action == "split":
            groups.forbid(override.record, override.other)
    for override in overrides:
        if override.action == "merge":
            groups.join(override.record, override.other)
            links.append(Link(override.record, override.other, "override-merge", 100.0, None, True, override.reason))
        else:
            links.append(Link(override.record, override.other, "override-split", 0.0, None, False, override.reason))

    candidates = _candidate_links(records, anchors)
    for link in sorted(candidates, key=lambda c: (-c.score, c.distance_km or 0.0, c.a, c.b)):
        reason = groups.blocked(link.a, link.b)
        if groups.find(link.a) == groups.find(link.b):
            continue
        if reason:
            links.append(Link(link.a, link.b, link.rule, link.score, link.distance_km, False, reason))
            continue
        groups.join(link.a, link.b)
        links.append(link)
    links += _attach_unplaced(records, groups)

    members: dict[str, list[str]] = {}
    for node in nodes:
        members.setdefault(groups.find(node), []).append(node)
    result_groups, result_anchors = [], []
    for root in sorted(members):
        nodes_in = members[root]
        anchor = next((node.removeprefix("registry:") for node in nodes_in if node.startswith("registry:")), None)
        group = sorted((by_key[node] for node in nodes_in if node in by_key), key=lambda r: r.key)
        if group or anchor:
            result_groups.append(group)
            result_anchors.append(anchor)
    return Resolution(result_groups, result_anchors, links)


class _Node(NamedTuple):
    """A located node of the resolution: a record or a placed curated site."""

    key: str
    names: tuple[str, ...]
    kind: str
    point: tuple[float, float]
    radius: float
    commodities: frozenset[str]
    database: str


def _candidate_links(records: Sequence[SourceRecord], anchors: Sequence[Anchor]) -> list[Link]:
    """Every link the name-and-distance rules propose between located nodes (records and placed anchors)."""
    located = [r for r in records if r.located]
    nodes = [
        _Node(
            r.key,
            link_names(r.name, r.aliases),
            r.kind,
            (r.lon, r.lat),
            r.uncertainty_km or 0.0,
            frozenset(r.commodities),
            r.database,
        )
        for r in located
    ]
    nodes += [
        _Node(f"registry:{a.id}", a.names, a.kind, a.point, a.uncertainty_km, frozenset(), "registry")
        for a in anchors
        if a.point is not None
    ]
    points = np.array([node.point for node in nodes], dtype=float).reshape(-1, 2)
    unique = _unique_names(located)
    links = []
    for i, j, distance in near_pairs(points, FAR_KM):
        a, b = nodes[i], nodes[j]
        if not (a.names and b.names) or kind_group(a.kind) != kind_group(b.kind):
            continue
        score = name_score(a.names, b.names)
        shared = not (a.commodities and b.commodities) or bool(a.commodities & b.commodities)
        if score >= NEAR_SCORE and distance <= a.radius + b.radius + NEAR_SLACK_KM:
            links.append(Link(a.key, b.key, "near-name", score, round(distance, 1), True))
        elif score == SAME_SCORE and a.database != b.database and shared and _same_unique_name(a, b, unique):
            links.append(Link(a.key, b.key, "same-name", score, round(distance, 1), True, "points disagree"))
    return links


def _same_unique_name(a: _Node, b: _Node, unique: dict[str, set[str]]) -> bool:
    """Whether two nodes share a name key that is unique within each one's database (curated sites count as unique)."""
    keys_a = unique.get(a.key, {key for name in a.names for key in name_keys(name)})
    keys_b = unique.get(b.key, {key for name in b.names for key in name_keys(name)})
    return bool(keys_a & keys_b)


def _attach_unplaced(records: Sequence[SourceRecord], groups: _Groups) -> list[Link]:
    """Join each record that has no point to the one located group whose names match it, if exactly one does."""
    located = [record for record in records if record.located]
    links = []
    for record in records:
        if record.located or not link_names(record.name, record.aliases):
            continue
        scores = {}
        for other in located:
            score = name_score(link_names(record.name, record.aliases), link_names(other.name, other.aliases))
            root = groups.find(other.key)
            if score >= NAME_ONLY_SCORE and score > scores.get(root, 0):
                scores[root] = score
        if len(scores) == 1:
            ((root, score),) = scores.items()
            reason = groups.blocked(record.key, root)
            if not reason:
                groups.join(record.key, root)
            links.append(Link(record.key, root, "name-only", score, None, not reason, reason or "record has no point"))
        elif scores:
            note = f"name matches {len(scores)} sites: not merged"
            links.append(Link(record.key, "", "name-only", max(scores.values()), None, False, note))
    return links
