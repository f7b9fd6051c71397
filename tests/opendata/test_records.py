import pytest

from geo.opendata import ADAPTERS, CITATIONS, DATASETS, flag_counts, read_open_data
from geo.opendata.checks import (
    decimals,
    duplicated,
    is_drill_hole,
    is_unnamed,
    order_flags,
    place,
    radius_from_decimals,
    split_names,
)
from geo.opendata.records import FLAGS


def test_place_swaps_flags_and_keeps():
    inside, swapped, outside, missing, bad = place(
        ["50.3", "58.3", "42.9", "", "x"], ["58.3", "50.3", "74.6", "70", "1"]
    )
    assert (inside.lat, inside.lon, inside.flags, inside.decimals) == (50.3, 58.3, (), 1)
    assert (swapped.lat, swapped.lon, swapped.flags) == (50.3, 58.3, ("swapped_coordinates",))
    assert (outside.lat, outside.flags) == (42.9, ("outside_border",))
    assert missing.flags == bad.flags == ("no_coordinates",) and missing.lat is None


def test_decimals_and_radius():
    assert [decimals(t) for t in ("58", "50.30", "51.655495")] == [0, 2, 6]
    assert [radius_from_decimals(d) for d in (0, 1, 2, 3)] == [78.7, 7.9, 1.0, 1.0]


@pytest.mark.parametrize(
    ("name", "unnamed"),
    [("", True), ("unnamed", True), ("Unnamed 2", True), ("sylvite occurrence", True), ("Kempirsai", False)],
)
def test_unnamed(name, unnamed):
    assert is_unnamed(name) is unnamed


def test_drill_holes_ids_flags_and_names():
    assert all(is_drill_hole(n) for n in ("Drill-hole 138", "Irkuduk drill hole 7", "Drill hole U-23"))
    assert not is_drill_hole("Holey Mine")
    assert duplicated(["a", "b", "a", "", ""]) == {"a"}
    assert order_flags(["duplicate_id", "no_coordinates", "duplicate_id"]) == ("no_coordinates", "duplicate_id")
    with pytest.raises(ValueError, match="unknown flag"):
        order_flags(["odd"])
    assert split_names("A, B (x), a", ",") == ("A", "B (x)")


def test_read_open_data_reports_unknown_files_and_missing_columns(tmp_path, write_source):
    write_source("icmm_mining_2025_kz.csv", ["icmm_id", "name"], [["I1", "X"]])
    write_source(
        "gem_coal_mines_2024_kz.csv",
        ["id", "project", "status", "owner", "parent", "capacity", "production", "coal-grade", "lat", "lng", "url"],
        [["M1", "Pit", "operating", "", "", "1", "", "thermal", "50.1", "73.1", ""]],
    )
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    data = read_open_data(tmp_path)
    assert [r.key for r in data.records] == ["gem-gcmt:M1"]
    assert data.problems[0] == "notes.txt: unknown file, not read"
    assert data.problems[1].startswith("icmm_mining_2025_kz.csv: missing column(s) group_names, asset_type")
    assert flag_counts(data.records) == {flag: {} for flag in FLAGS}


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        read_open_data(tmp_path / "no-such-folder")


def test_every_dataset_is_credited():
    assert set(CITATIONS) == set(DATASETS) and len(DATASETS) == len(ADAPTERS)


def test_real_folder(real_file):
    folder = real_file("README.md").parent
    data = read_open_data(folder)
    assert len(data.records) == 919 + 81 + 8 + 6 + 21
    assert len({r.key for r in data.records}) == len(data.records)
    assert data.problems == ["usgs_deposits_kz.csv line 374: unknown commodity word 'T'"]
    counts = {flag: sum(c.values()) for flag, c in flag_counts(data.records).items()}
    assert counts == {
        "no_coordinates": 2,
        "swapped_coordinates": 22,
        "outside_border": 1,
        "unnamed": 82,
        "drill_hole": 13,
        "duplicate_id": 0,
    }
