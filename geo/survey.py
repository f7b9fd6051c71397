"""Survey areas the articles describe, shaped as far as the sources allow.

Articles give an area ("a 64.2 square kilometer area") but no outline. Such an area is
drawn as a geodesic circle of the same area on the site's point and flagged as an
approximation; an area with neither size nor outline stays a point, flagged too.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo.regions import geodesic_area_km2
from geo.registry import Site

__all__ = ["SURVEY_COLUMNS", "SurveyArea", "geodesic_circle", "read_survey_areas"]

#: Columns of ``data/survey_areas.csv``.
SURVEY_COLUMNS = ("id", "name", "site_id", "area_km2", "shape", "lat", "lon", "source", "sentence", "note")

_SHAPES = ("circle", "point")
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


def _shape(row: dict[str, str], site: Site, where: str) -> tuple[BaseGeometry, str]:
    """The geometry for a row, and a note saying how it was drawn."""
    lon = float(row["lon"]) if row["lon"] else site.lon
    lat = float(row["lat"]) if row["lat"] else site.lat
    if row["shape"] == "circle":
        if not row["area_km2"]:
            raise ValueError(f"{where}: a circle needs area_km2")
        radius = math.sqrt(float(row["area_km2"]) / math.pi)
        note = f"circle of the stated area (radius {radius:.2f} km) on the site's point; no outline published"
        return geodesic_circle(lon, lat, radius), note
    return shapely.Point(lon, lat), "no size or outline published: shown as the site's point"


def read_survey_areas(path: Path, sites: list[Site]) -> list[SurveyArea]:
    """Read ``survey_areas.csv`` and shape each area; ``ValueError`` names a bad row."""
    by_id = {site.id: site for site in sites}
    areas = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path} row {line} ({row.get('id') or 'no id'})"
            if row["site_id"] not in by_id:
                raise ValueError(f"{where}: unknown site_id {row['site_id']!r}")
            if row["shape"] not in _SHAPES:
                raise ValueError(f"{where}: unknown shape {row['shape']!r} (expected one of: {', '.join(_SHAPES)})")
            geometry, note = _shape(row, by_id[row["site_id"]], where)
            areas.append(
                SurveyArea(
                    id=row["id"],
                    name=row["name"],
                    site_id=row["site_id"],
                    area_km2=float(row["area_km2"]) if row["area_km2"] else None,
                    geometry=geometry,
                    approximate=True,
                    shape_note=f"{note}; {row['note']}" if row["note"] else note,
                    source=row["source"],
                    sentence=row["sentence"],
                )
            )
    return sorted(areas, key=lambda area: area.id)
