"""Survey areas the articles describe, shaped as far as the sources allow.

Articles give an area ("a 64.2 square kilometer area") but no outline. Such an area is
drawn as a geodesic circle of the same area on the site's point and flagged as an
approximation; an area with neither size nor outline stays a point, flagged too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo.regions import geodesic_area_km2
from geo.registry import Site
from geo.validation import SurveyAreaRow, read_table

__all__ = ["SurveyArea", "geodesic_circle", "read_survey_areas"]

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class SurveyArea:
    """A described area: its shape, its stated size, and the sentence that states it."""

    id: str
    name: str
    site_id: str
    area_km2: float | None
    geometry: BaseGeometry
    approximate: bool
    shape_note: str
    source: str
    sentence: str

    @property
    def area_km2_geodesic(self) -> float | None:
        """Area of the drawn shape on the ellipsoid, km² (None for a point)."""
        return round(geodesic_area_km2(self.geometry), 3) if self.geometry.geom_type == "Polygon" else None


def geodesic_circle(lon: float, lat: float, radius_km: float, segments: int = 128) -> shapely.Polygon:
    """A counter-clockwise polygon around a centre with the area of a circle of ``radius_km``."""
    step = 2 * math.pi / segments
    radius_km *= math.sqrt(step / math.sin(step))  # the inscribed polygon keeps the circle's area
    azimuths = [360.0 * n / segments for n in range(segments)]
    lons, lats, _ = _GEOD.fwd([lon] * segments, [lat] * segments, azimuths, [radius_km * 1000.0] * segments)
    return shapely.orient_polygons(shapely.Polygon(zip(lons, lats, strict=False)))


def _shape(row: SurveyAreaRow, site: Site) -> tuple[BaseGeometry, str]:
    """The geometry for a row, and a note saying how it was drawn."""
    lon = site.lon if row.lon is None else row.lon
    lat = site.lat if row.lat is None else row.lat
    if row.shape == "circle":
        radius = math.sqrt(row.area_km2 / math.pi)
        note = f"circle of the stated area (radius {radius:.2f} km) on the site's point; no outline published"
        return geodesic_circle(lon, lat, radius), note
    return shapely.Point(lon, lat), "no size or outline published: shown as the site's point"


def read_survey_areas(path: Path, sites: list[Site]) -> list[SurveyArea]:
    """Read ``survey_areas.csv`` (see :class:`geo.validation.SurveyAreaRow`) and shape each area.

    ``ValueError`` names a bad cell, a repeated id, or a ``site_id`` that is no located site.
    """
    by_id = {site.id: site for site in sites}
    rows = read_table(path, SurveyAreaRow, unique=lambda row: row.id)
    unknown = [row for row in rows if row.site_id not in by_id]
    if unknown:
        raise ValueError("\n".join(f"{path}: area {row.id!r}: unknown site_id {row.site_id!r}" for row in unknown))
    areas = []
    for row in rows:
        geometry, note = _shape(row, by_id[row.site_id])
        areas.append(
            SurveyArea(
                id=row.id,
                name=row.name,
                site_id=row.site_id,
                area_km2=row.area_km2,
                geometry=geometry,
                approximate=True,
                shape_note=f"{note}; {row.note}" if row.note else note,
                source=row.source,
                sentence=row.sentence,
            )
        )
    return sorted(areas, key=lambda area: area.id)
