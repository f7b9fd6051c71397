"""What a valid row of every input table and a valid record of every layer file is, declared once.

The declarations are pydantic models: column types, required columns, finite numbers in range,
allowed values from :mod:`geo.schema`. :func:`read_table` checks a curated CSV against one and
names every bad cell by file, line and column; :func:`layer_problems` checks a parsed layer
file, for ``python -m geo check`` and for the app's loader alike, so that both refuse the same
damage with the same message. JSON is read strictly: ``NaN`` and ``Infinity`` are not JSON.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Collection, Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from geo.schema import (
    COMMODITIES,
    DATASETS,
    KAZAKHSTAN_BOUNDS,
    KINDS,
    ORIGINS,
    PRECISIONS,
    REGIONS,
    STATUSES,
    UNKNOWN_PRECISION,
)

__all__ = [
    "MAX_PROBLEMS",
    "DistrictRow",
    "InputError",
    "MetadataRow",
    "NationalRow",
    "SurveyAreaRow",
    "UnlocatedRow",
    "declared_properties",
    "layer_problems",
    "loads_strict",
    "read_table",
    "split_list",
    "table_lines",
    "unknown_value",
]

#: Problems listed in one message; the rest are counted, so a broken table gives a readable message.
MAX_PROBLEMS = 20


class InputError(ValueError):
    """An input table or layer file that cannot be used; ``problems`` names each bad cell or record."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_PROBLEMS]
        more = [f"… and {len(problems) - MAX_PROBLEMS} more problems"] if len(problems) > MAX_PROBLEMS else []
        super().__init__("\n".join(shown + more))
        self.problems = problems

    def __reduce__(self) -> tuple[type, tuple[list[str]]]:
        """Pickled with its problems (as an exception raised in another process travels back)."""
        return type(self), (self.problems,)


def split_list(value: str) -> tuple[str, ...]:
    """Split a ``;``-separated cell into stripped, non-empty values."""
    return tuple(part.strip() for part in value.split(";") if part.strip())


def unknown_value(value: Any, allowed: Collection[str], what: str) -> str | None:
    """The message for a value that is not one of ``allowed``, or None when it is."""
    return None if value in allowed else f"unknown {what} {value!r} (expected one of: {', '.join(allowed)})"


def _member(allowed: Collection[str], what: str) -> AfterValidator:
    """A check that a value is one of ``allowed`` (looked up when checking, so schema additions count)."""

    def check(value: Any) -> Any:
        if (problem := unknown_value(value, allowed, what)) is not None:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _each(check: AfterValidator) -> AfterValidator:
    """Apply a value check to each item of a list or tuple."""
    return AfterValidator(lambda values: tuple(check.func(value) for value in values))


def _empty_is_none(value: Any) -> Any:
    """An empty CSV cell is a missing value, not the text ''."""
    return None if isinstance(value, str) and not value.strip() else value


def _required(value: str) -> str:
    """A cell that may not be empty."""
    if not value.strip():
        raise ValueError("empty, but required")
    return value.strip()


def _iso_date(value: str) -> str:
    """A date written YYYY-MM-DD, or nothing (kept as written, so the stats keep their bytes)."""
    if value:
        date.fromisoformat(value)
    return value


def _url(value: str) -> str:
    """The address of a public page."""
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not the URL of a public page (http:// or https://)")
    return value


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"id {value!r} is not a lower-case slug (letters, digits, hyphens)")
    return value


Text = Annotated[str, BeforeValidator(lambda v: "" if v is None else v), AfterValidator(str.strip)]
Required = Annotated[str, AfterValidator(_required)]
Listed = Annotated[tuple[str, ...], BeforeValidator(lambda v: split_list(v) if isinstance(v, str) else v)]
Slug = Annotated[str, AfterValidator(_slug)]
Kind = Annotated[str, _member(KINDS, "kind")]
Status = Annotated[str, _member(STATUSES, "status")]
Region = Annotated[str, _member(REGIONS, "region")]
Commodities = Annotated[Listed, _each(_member(COMMODITIES, "commodity"))]
Lon = Annotated[float, Field(ge=KAZAKHSTAN_BOUNDS[0], le=KAZAKHSTAN_BOUNDS[2])]
Lat = Annotated[float, Field(ge=KAZAKHSTAN_BOUNDS[1], le=KAZAKHSTAN_BOUNDS[3])]
Km = Annotated[float, Field(gt=0, le=3000)]
OptionalKm = Annotated[Km | None, BeforeValidator(_empty_is_none)]
OptionalLon = Annotated[Lon | None, BeforeValidator(_empty_is_none)]
OptionalLat = Annotated[Lat | None, BeforeValidator(_empty_is_none)]
OptionalDate = Annotated[str, AfterValidator(_iso_date)]
Url = Annotated[str, AfterValidator(_url)]
OptionalUrl = Annotated[str, AfterValidator(lambda value: _url(value) if value else value)]


class _Row(BaseModel):
    """A CSV row: every declared column present, numbers finite, no column the declaration does not know."""

    model_config = ConfigDict(allow_inf_nan=False, extra="forbid", frozen=True)


class MetadataRow(_Row):
    """A row of ``seeds/metadata.csv``: an article's file and number on its page, headline, outlet, date and URL."""

    file: Required
    item: Annotated[int, Field(ge=1)]
    title: Text
    outlet: Text
    published: OptionalDate
    url: OptionalUrl


class UnlocatedRow(_Row):
    """A row of ``data/unlocated.csv``: a site the articles name that no source places."""

    name: Required
    aliases: Listed
    kind: Kind
    commodities: Commodities
    operator: Text
    status: Status
    reason: Required
    info_source: Text


class SurveyAreaRow(_Row):
    """A row of ``data/survey_areas.csv``: a described area; a circle needs its stated area."""

    id: Slug
    name: Required
    site_id: Required
    area_km2: Annotated[Annotated[float, Field(gt=0, le=3_000_000)] | None, BeforeValidator(_empty_is_none)]
    shape: Literal["circle", "point"]
    lat: OptionalLat
    lon: OptionalLon
    source: Text
    sentence: Text
    note: Text

    @model_validator(mode="after")
    def _circle_has_area(self) -> SurveyAreaRow:
        if self.shape == "circle" and self.area_km2 is None:
            raise ValueError("a circle needs area_km2")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither (the site's point is used)")
        return self


class DistrictRow(_Row):
    """A row of ``data/districts.csv``: a cited district centre inside Kazakhstan; no radius means 60 km."""

    name: Required
    aliases: Listed
    region: Region
    lat: Lat
    lon: Lon
    radius_km: OptionalKm
    source: Required


class NationalRow(_Row):
    """A row of ``data/national.csv``: a national figure from a public page, finite and not negative."""

    key: Required
    label: Text
    value: Annotated[float, Field(ge=0)]
    unit: Text
    as_of: Text
    published: OptionalDate
    source: Url
    note: Text


#: Characters of a bad value quoted in a message.
_QUOTED = 60


def _message(error: dict[str, Any]) -> str:
    """One pydantic error as a sentence: our own checks' words, else pydantic's with (the start of) the value."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    if error["type"] == "missing":
        return "missing"
    given = repr(error["input"])
    return f"{error['msg']} (got {given[:_QUOTED]}{'…' if len(given) > _QUOTED else ''})"


def _column(error: dict[str, Any]) -> str:
    """Where in a record an error is: the dotted path of field names and list positions."""
    return ".".join(str(part) for part in error["loc"])


def _located(where: str, error: dict[str, Any]) -> str:
    """A problem for a layer record: where, the field (unless our own message names it), what is wrong."""
    column = _column(error)
    return (
        f"{where}: {_message(error)}"
        if error["type"] == "value_error" or not column
        else f"{where}: {column}: {_message(error)}"
    )


def table_lines(path: Path) -> list[str]:
    """A table's lines; ``InputError`` for a missing file, a file that is no regular file, or text that is not UTF-8."""
    try:
        if not path.is_file():
            raise InputError([f"{path}: missing, or not a regular file"])
        data = path.read_bytes()
        return data.decode("utf-8-sig").splitlines(keepends=True)
    except UnicodeDecodeError as error:
        raise InputError([f"{path}: not UTF-8 text (byte {error.start})"]) from None
    except OSError as error:
        raise InputError([f"{path}: cannot be read ({error.strerror})"]) from None


Row = TypeVar("Row", bound=_Row)


def read_table(path: Path, model: type[Row], unique: Callable[[Row], str] | None = None) -> list[Row]:
    """Read a curated CSV, checking every row against ``model``; ``InputError`` lists every bad cell.

    Each problem names the file, the line and the column. ``unique`` gives a key no two rows may
    share (an id, a name). Nothing is returned unless the whole table is sound.
    """
    path = Path(path)
    reader = csv.DictReader(table_lines(path))
    header = reader.fieldnames or []
    columns = list(model.model_fields)
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError([f"{path} line 1: missing columns {missing} (the table needs {columns})"])
    rows: list[Row] = []
    problems: list[str] = []
    first: dict[str, int] = {}
    line = 1
    for row in reader:
        start, line = line + 1, reader.line_num
        if None in row or None in row.values():
            cells = sum(value is not None for key, value in row.items() if key is not None) + len(row.get(None, ()))
            problems.append(f"{path} line {start}: {cells} cells, the header has {len(header)}")
            continue
        try:
            record = model.model_validate({key: row[key] for key in columns})
        except ValidationError as error:
            problems += [f"{path} line {start} column {_column(e)}: {_message(e)}" for e in error.errors()]
            continue
        key = unique(record) if unique else None
        if key is not None and key in first:
            problems.append(f"{path} line {start}: duplicate {key!r} (first on line {first[key]})")
            continue
        first.setdefault(key, start)
        rows.append(record)
    if problems:
        raise InputError(problems)
    return rows


# --- Layer files --------------------------------------------------------------------------------


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def loads_strict(text: str | bytes) -> Any:
    """Parse JSON, refusing ``NaN`` and ``Infinity`` (Python writes them, JSON does not have them)."""
    return json.loads(text, parse_constant=_reject_constant)


class _Record(BaseModel):
    """A layer record: the properties the app and the checks rely on; others are allowed (schemas grow)."""

    model_config = ConfigDict(allow_inf_nan=False, extra="allow", strict=True)


class Fact(_Record):
    """One cited fact of a site."""

    sentence: Annotated[str, Field(min_length=1)]
    document: Annotated[str, Field(min_length=1)]


_PRECISION = _member([*PRECISIONS, UNKNOWN_PRECISION], "location_precision")


class SourceRecordProperties(_Record):
    """One open-data source record of a site, as ``sites.geojson`` lists it."""

    key: Annotated[str, Field(min_length=1)]
    dataset: Annotated[str, _member(DATASETS, "dataset")]
    record_id: str
    url: str | None
    name: str
    kind: Kind
    lat: Annotated[float, Field(ge=-90, le=90)] | None
    lon: Annotated[float, Field(ge=-180, le=180)] | None
    uncertainty_km: Annotated[float, Field(ge=0)] | None


class SiteProperties(_Record):
    """The properties of a feature of ``sites.geojson``."""

    id: Annotated[str, AfterValidator(_slug)]
    name: Annotated[str, Field(min_length=1)]
    aliases: list[str]
    kind: Kind
    commodities: Annotated[list[str], _each(_member(COMMODITIES, "commodity"))]
    status: Status
    operator: str
    region: Region | None
    location_precision: Annotated[str, _PRECISION]
    uncertainty_km: Annotated[float, Field(ge=0)] | None
    location_source: str
    location_note: str
    info_source: str
    origin: Annotated[str, _member(ORIGINS, "origin")]
    confidence: Annotated[float, Field(ge=0, le=1)]
    sources: list[str]
    datasets: Annotated[list[str], _each(_member(DATASETS, "dataset"))]
    records: list[SourceRecordProperties]
    value_sources: dict[str, str]
    flags: list[str]
    region_history: list[dict[str, str | None]]
    facts: list[Fact]


class RegionProperties(_Record):
    """The properties of a feature of ``regions.geojson``."""

    name: Region
    aliases: list[str]
    area_km2: Annotated[float, Field(gt=0)]
    sites: Annotated[int, Field(ge=0)]


class SurveyProperties(_Record):
    """The properties of a feature of ``survey_areas.geojson``."""

    id: Annotated[str, AfterValidator(_slug)]
    name: str
    site_id: str | None
    region: Region | None
    area_km2: Annotated[float, Field(gt=0)] | None
    area_km2_geodesic: Annotated[float, Field(gt=0)] | None
    approximate: bool
    shape_note: str
    document: str
    sentence: str


class Figure(_Record):
    """A national figure from a public page, as the app cites it."""

    value: Annotated[float, Field(ge=0)]
    source: str
    as_of: str | None = None
    note: str | None = None


class Target(_Record):
    """The programme's target, with the article sentence that states it."""

    value: Annotated[float, Field(gt=0)]
    document: str
    item: int
    sentence: str
    url: str | None = None


class Programme(_Record):
    """The national survey programme's progress in ``stats.json``: finite figures, a target above zero."""

    target_km2: Annotated[float, Field(gt=0)]
    surveyed_km2: Annotated[float, Field(ge=0)]
    target: Target
    surveyed: Figure
    history: list[Figure]


class DocumentEntry(_Record):
    """An article listed in ``stats.json``."""

    file: str
    item: int
    title: str
    outlet: str
    published: str | None
    url: str


class Licence(_Record):
    """What one part of the data is under."""

    data: Annotated[str, Field(min_length=1)]
    licence: Annotated[str, Field(min_length=1)]


class Release(_Record):
    """The data release in ``stats.json``: a version derived from the content, the newest input date, licences."""

    version: Annotated[str, Field(min_length=1)]
    data_as_of: str
    content_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    licences: list[Licence]


class Stats(_Record):
    """``stats.json``: the articles, the national figures, the programme, the credits and the release."""

    documents: list[DocumentEntry] = []
    programme: Programme | None = None
    credits: list[str] = []
    release: Release | None = None


_FEATURES: dict[str, tuple[type[_Record], str]] = {
    "sites.geojson": (SiteProperties, "id"),
    "regions.geojson": (RegionProperties, "name"),
    "survey_areas.geojson": (SurveyProperties, "id"),
}


def declared_properties(name: str) -> list[str]:
    """The properties the declaration of a layer file requires, in order (so an empty layer still has its columns)."""
    return list(_FEATURES[name][0].model_fields)


def _record_problems(model: type[_Record], value: Any, where: str) -> list[str]:
    """Every way ``value`` differs from its declaration, each named by ``where`` and the field."""
    try:
        model.model_validate(value)
    except ValidationError as error:
        return [_located(where, e) for e in error.errors()]
    return []


def _features(collection: Any) -> Iterable[tuple[int, dict[str, Any]]]:
    """The features of a parsed FeatureCollection that are objects, with their numbers."""
    features = collection.get("features") if isinstance(collection, dict) else None
    return [(n, f) for n, f in enumerate(features if isinstance(features, list) else []) if isinstance(f, dict)]


def layer_problems(name: str, data: Any) -> list[str]:
    """Every record of a parsed layer file that breaks its declaration, and every duplicate id.

    ``name`` is the file name (``sites.geojson``, ``regions.geojson``, ``survey_areas.geojson``
    or ``stats.json``); RFC 7946 structure is checked by :func:`geo.geojson.validate`.
    """
    if name == "stats.json":
        return _record_problems(Stats, data, name)
    model, key = _FEATURES[name]
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        return [f"{name}: not a FeatureCollection"]
    problems: list[str] = []
    seen: dict[Any, int] = {}
    for number, feature in _features(data):
        props = feature.get("properties")
        label = props.get(key) if isinstance(props, dict) else None
        where = f"{name} feature {number} ({label})"
        problems += _record_problems(model, props, where)
        if label in seen and isinstance(label, str):
            problems.append(f"{where}: duplicate {key} {label!r} (first in feature {seen[label]})")
        seen.setdefault(label, number)
    return problems
