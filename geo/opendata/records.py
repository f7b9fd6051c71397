"""The one record type every open-data adapter produces, and the checks all sources share.

Each row of a public dataset becomes a :class:`SourceRecord`: the source's own id and link,
what it says the site is (name, kind, commodities, status, owner, capacity) and where (the
point and how precisely the source gives it), with flags for what is odd about the row.
Nothing is dropped here: a record with no point or a point outside the country is kept and
flagged, and the resolver decides what becomes of it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["FLAGS", "SourceRecord"]

#: What can be odd about a source row, and what each flag means (shown in the build summary).
FLAGS: dict[str, str] = {
    "no_coordinates": "no point given: kept as unlocated",
    "swapped_coordinates": "latitude and longitude swapped in the source (the swapped point lies in Kazakhstan): fixed",
    "outside_border": "the point lies outside Kazakhstan's border",
    "unnamed": "the source gives no name",
    "drill_hole": "a drill hole, not a deposit",
    "duplicate_id": "the source uses this record id more than once",
}


@dataclass(frozen=True)
class SourceRecord:
    """One row of an open dataset, read into the atlas's terms, with its provenance.

    ``key`` is unique across all sources (``dataset:record_id``, with the USGS database
    in between); ``row`` is the line of the file the record was read from (1-based,
    counting the note line and the header), so a problem can be traced to the file.
    """

    key: str
    dataset: str
    database: str
    release: str
    licence: str
    record_id: str
    url: str | None
    file: str
    row: int
    name: str
    aliases: tuple[str, ...]
    kind: str
    commodities: tuple[str, ...]
    commodities_raw: str
    status: str
    status_raw: str
    owner: str
    capacity: str
    lat: float | None
    lon: float | None
    uncertainty_km: float | None
    precision_note: str
    flags: tuple[str, ...] = ()
    region_hint: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases) if self.name else self.aliases

    @property
    def located(self) -> bool:
        """Whether the record has a point."""
        return self.lat is not None and self.lon is not None

    def properties(self) -> dict[str, Any]:
        """The record as plain JSON values, as ``sites.geojson`` lists it under a site's ``records``."""
        values = asdict(self)
        return {key: list(value) if isinstance(value, tuple) else value for key, value in values.items()}
