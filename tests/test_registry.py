import csv
from pathlib import Path

import pytest

from geo.registry import RegistryError, read_registry, read_unlocated
from geo.schema import KINDS, REGISTRY_COLUMNS
from geo.validation import InputError

ROOT = Path(__file__).resolve().parents[1]

GOOD = {
    "id": "upper-kairakty",
    "name": "Upper Kairakty",
    "aliases": "Upper Kayrakty;Верхнее Кайракты",
    "kind": "deposit",
    "commodities": "W;Mo",
    "operator": "Tau-Ken Samruk",
    "status": "pre_development",
    "region": "Karaganda Region",
    "lat": "48.683889",
    "lon": "73.258611",
    "precision": "site",
    "uncertainty_km": "5",
    "location_source": "https://example.org/deposit",
    "location_note": "",
    "info_source": "003_413ce00ee0b7452c.txt",
    "descriptions": "",
}


def write(path: Path, *rows: dict) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REGISTRY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_committed_registry_is_valid():
    sites = read_registry(ROOT / "data" / "sites.csv")
    assert len(sites) >= 10
    assert all(site.location_source for site in sites)


def test_a_good_row_reads_with_its_lists(tmp_path):
    (site,) = read_registry(write(tmp_path / "sites.csv", GOOD))
    assert site.aliases == ("Upper Kayrakty", "Верхнее Кайракты")
    assert site.commodities == ("W", "Mo")
    assert (site.lon, site.lat) == (73.258611, 48.683889)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lat": "148.7"}, "outside the range of WGS84"),
        ({"lat": "73.258611", "lon": "48.683889"}, "outside Kazakhstan (lat and lon look swapped)"),
        ({"lat": "55.75", "lon": "37.61"}, "outside Kazakhstan"),
        ({"lat": "north"}, "lat 'north' is not a number"),
        ({"kind": "volcano"}, "unknown kind 'volcano'"),
        ({"region": "Karagandy"}, "unknown region 'Karagandy'"),
        ({"region": "Ulytau Region"}, "region is 'Ulytau Region' but the point lies in 'Karaganda Region'"),
        ({"status": "dreaming"}, "unknown status"),
        ({"commodities": "W;Unobtainium"}, "unknown commodity 'Unobtainium'"),
        ({"precision": "region", "uncertainty_km": "5"}, "too small for precision 'region'"),
        ({"location_source": ""}, "every coordinate needs its source"),
        ({"id": "Upper Kairakty"}, "not a lower-case slug"),
    ],
)
def test_a_bad_row_stops_the_build_naming_the_row(tmp_path, change, message):
    path = write(tmp_path / "sites.csv", {**GOOD, "id": "other"}, {**GOOD, **change})
    with pytest.raises(RegistryError) as error:
        read_registry(path)
    assert len(error.value.problems) == 1
    assert f"{path} row 3" in error.value.problems[0]
    assert message in error.value.problems[0]


def test_duplicate_id_names_both_rows(tmp_path):
    path = write(tmp_path / "sites.csv", GOOD, GOOD)
    with pytest.raises(
        RegistryError, match=r"row 3 \(upper-kairakty\): duplicate id 'upper-kairakty' \(first on row 2\)"
    ):
        read_registry(path)


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path / "sites.csv", {**GOOD, "kind": "x"}, {**GOOD, "id": "b", "region": "y"})
    with pytest.raises(RegistryError) as error:
        read_registry(path)
    assert len(error.value.problems) == 2


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("id,name\na,b\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="missing columns"):
        read_registry(path)


def test_unlocated_sites_are_read_and_checked(tmp_path):
    path = tmp_path / "unlocated.csv"
    header = "name,aliases,kind,commodities,operator,status,reason,info_source\n"
    path.write_text(header + "Karatas,,deposit,Cu,Tau-Ken Samruk,pre_development,no page places it,003.txt\n", "utf-8")
    (site,) = read_unlocated(path)
    assert (site.id, site.kind, site.commodities) == ("karatas", "deposit", ("Cu",))
    path.write_text(header + "Karatas,,volcano,Cu,,unknown,,003.txt\n", "utf-8")
    with pytest.raises(InputError) as error:
        read_unlocated(path)
    assert error.value.problems == [
        f"{path} line 2 column kind: unknown kind 'volcano' (expected one of: {', '.join(KINDS)})",
        f"{path} line 2 column reason: empty, but required",
    ]
