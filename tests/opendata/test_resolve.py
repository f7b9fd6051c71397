import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.opendata.records import SourceRecord
from geo.opendata.resolve import Anchor, Override, link_names, name_score, read_overrides, resolve
from geo.opendata.sites import sites_from_records


def record(key, name, lon, lat, *, aliases=(), kind="deposit", radius=1.0, database="db-a", commodities=("W",)):
    dataset = key.split(":")[0]
    return SourceRecord(
        key=key,
        dataset=dataset,
        database=database,
        release="test release",
        licence="test licence",
        record_id=key.split(":")[-1],
        url=None,
        file="test.csv",
        row=3,
        name=name,
        aliases=tuple(aliases),
        kind=kind,
        commodities=tuple(commodities),
        commodities_raw=";".join(commodities),
        status="unknown",
        status_raw="",
        owner="",
        capacity="",
        lat=lat,
        lon=lon,
        uncertainty_km=radius if lat is not None else None,
        precision_note="test",
    )


def groups_of(resolution):
    return sorted(sorted(r.key for r in group) for group in resolution.groups if group)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Verkhnee Qairaqty", "Verkhnekajraktinskoe"),
        ("Katpar North", "North Katpar"),
        ("Qarmet steel plant", "KarMet"),
        ("Kundybai", "Kundybaiskoe"),
    ],
)
def test_spellings_of_one_site_score_high(one, other):
    assert name_score([one], [other]) >= 85


@pytest.mark.parametrize(
    ("one", "other"),
    [("Kairakty", "Upper Kairakty"), ("North Katpar", "South Katpar"), ("Geophizicheskoe IX", "Geophizicheskoe X")],
)
def test_different_sites_score_low(one, other):
    assert name_score([one], [other]) < 85


def test_close_records_with_one_name_merge_across_and_within_sources():
    records = [
        record("usgs:a:1", "Verkhnee Qairaqty", 73.25, 48.683),
        record("usgs:a:2", "Verkhnekajraktinskoe", 73.2167, 48.6486),
        record("icmm:X1", "Upper Kairakty", 73.26, 48.69, database="icmm", radius=10),
        record("usgs:a:3", "Kairakty", 73.21, 48.46),
    ]
    resolution = resolve(records)
    assert groups_of(resolution) == [["icmm:X1", "usgs:a:1", "usgs:a:2"], ["usgs:a:3"]]
    rules = {(link.a, link.b): link.rule for link in resolution.links if link.taken}
    assert set(rules.values()) == {"near-name"}


def test_same_name_far_apart_merges_only_across_sources_and_says_the_points_disagree():
    records = [
        record("usgs:major:1", "Nurkazgan", 73.0167, 50.15, database="major", commodities=("Au",)),
        record("icmm:N", "Nurkazgan", 72.98, 50.16, database="icmm", radius=10, commodities=("Cu", "Au")),
        record("usgs:porcu:2", "Nurkazgan", 76.727, 50.027, database="porcu", commodities=("Cu", "Au")),
    ]
    built, resolution = sites_from_records(records, [], [])
    assert groups_of(resolution) == [["icmm:N", "usgs:major:1", "usgs:porcu:2"]]
    (site,) = built.sites
    assert "points_disagree" in site.flags
    assert site.uncertainty_km > 260  # covers the record 265 km away
    assert "disagree" in site.location_note and "usgs:major:1" in site.location_note
    assert (site.lon, site.lat) == (73.0167, 50.15)  # two of three agree; the more precise of those


def test_a_name_used_twice_in_one_database_does_not_merge_far_apart():
    records = [
        record("usgs:a:1", "Oktyabrskoe", 60.0, 50.0),
        record("usgs:a:2", "Oktyabrskoe", 62.0, 50.5),
        record("icmm:O", "Oktyabrskoe", 61.0, 50.2, database="icmm"),
    ]
    assert groups_of(resolve(records)) == [["icmm:O"], ["usgs:a:1"], ["usgs:a:2"]]


def test_a_plant_is_not_the_deposit_beside_it():
    records = [
        record("usgs:a:1", "Boshchekul", 74.27, 51.76),
        record("icmm:P", "Boshchekul Plant", 74.27, 51.765, kind="plant"),
    ]
    assert len(groups_of(resolve(records))) == 2


def test_group_lists_and_listed_names_do_not_chain_sites():
    shevchenko = record("usgs:a:1", "Shevchenkovskoe", 60.9, 51.5)
    pair = record("usgs:a:2", "Kundybajskoe, Shevchenkovskoe", 60.77, 51.73)
    group = record("icmm:G", "Kazzinc Group", 60.8, 51.6, aliases=("Kundybai", "Shevchenko", "Tishin", "Ridder"))
    assert link_names(pair.name, pair.aliases) == ("Kundybajskoe",)
    assert link_names(group.name, group.aliases) == ("Kazzinc Group",)
    assert link_names("Molodezhnoe (Kempirsai group)", ()) == ("Molodezhnoe",)
    assert len(groups_of(resolve([shevchenko, pair, group]))) == 3


def test_a_record_with_no_point_joins_the_one_site_its_name_matches():
    records = [record("usgs:a:1", "Shevchenko", 60.9, 51.5), record("usgs:ree:2", "Schevchenko", None, None)]
    built, resolution = sites_from_records(records, [], [])
    assert groups_of(resolution) == [["usgs:a:1", "usgs:ree:2"]]
    assert [link.rule for link in resolution.links if link.taken] == ["name-only"]
    assert not built.unplaced


def test_curated_sites_win_and_gain_the_matching_records(tmp_path):
    from geo.registry import read_registry

    registry = read_registry(Path(__file__).resolve().parents[2] / "data" / "sites.csv")
    upper = next(site for site in registry if site.id == "upper-kairakty")
    records = [record("usgs:a:1", "Verkhnee Qairaqty", 73.25, 48.683), record("usgs:a:9", "Elsewhere", 80.0, 45.0)]
    built, _ = sites_from_records(records, [upper], [])
    (curated,) = built.registry
    assert [r.key for r in curated.records] == ["usgs:a:1"]
    assert (curated.lat, curated.lon, curated.name) == (upper.lat, upper.lon, upper.name)
    assert [site.name for site in built.sites] == ["Elsewhere"]
    assert built.site_of == {"usgs:a:1": "upper-kairakty", "usgs:a:9": "elsewhere"}


def test_two_curated_sites_never_merge_even_at_one_point():
    anchors = [
        Anchor("a", ("Katpar",), "deposit", (73.0, 48.0), 5),
        Anchor("b", ("Katpar",), "deposit", (73.0, 48.0), 5),
    ]
    resolution = resolve([record("usgs:a:1", "Katpar", 73.0, 48.0)], anchors)
    assert sorted(anchor for anchor in resolution.anchors) == ["a", "b"]
    assert any(not link.taken and "kept apart" in link.note for link in resolution.links)


def test_an_override_splits_and_merges(tmp_path):
    records = [
        record("usgs:a:1", "Verkhnee Qairaqty", 73.25, 48.683),
        record("usgs:a:2", "Verkhnekajraktinskoe", 73.2167, 48.6486),
        record("usgs:a:3", "Kairakty", 73.21, 48.46),
    ]
    assert groups_of(resolve(records)) == [["usgs:a:1", "usgs:a:2"], ["usgs:a:3"]]
    path = tmp_path / "merge_overrides.csv"
    path.write_text(
        "action,record,other,reason\n"
        "split,usgs:a:1,usgs:a:2,two ore bodies per the survey report\n"
        "merge,usgs:a:2,usgs:a:3,one licence area\n",
        encoding="utf-8",
    )
    overrides = read_overrides(path)
    assert groups_of(resolve(records, overrides=overrides)) == [["usgs:a:1"], ["usgs:a:2", "usgs:a:3"]]
    refused = [link for link in resolve(records, overrides=overrides).links if not link.taken]
    assert any(link.rule == "override-split" for link in refused)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("action,record,other\n", "missing column(s) reason"),
        ("action,record,other,reason\njoin,a,b,why\n", "merge_overrides.csv:2: action 'join'"),
        ("action,record,other,reason\nmerge,a,,why\n", "merge_overrides.csv:2: record, other and reason"),
    ],
)
def test_a_bad_override_file_names_the_line(tmp_path, text, message):
    path = tmp_path / "merge_overrides.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_overrides(path)


def test_an_override_naming_an_unknown_record_is_refused():
    with pytest.raises(ValueError, match="unknown record or site 'usgs:zz:9'"):
        resolve([record("usgs:a:1", "A", 70, 48)], overrides=[Override("merge", "usgs:a:1", "usgs:zz:9", "x", 2)])


_KEPT_APART = """
from geo.opendata.records import SourceRecord
from geo.opendata.resolve import Anchor, resolve
anchors = [Anchor(name, ("Katpar",), "deposit", (73.0, 48.0), 5) for name in ("north", "south", "west")]
record = SourceRecord(key="usgs:a:1", dataset="usgs", database="db", release="r", licence="l", record_id="1",
    url=None, file="t.csv", row=3, name="Katpar", aliases=(), kind="deposit", commodities=("W",),
    commodities_raw="W", status="unknown", status_raw="", owner="", capacity="", lon=73.0, lat=48.0, uncertainty_km=1.0,
    precision_note="test")
print(sorted(link.note for link in resolve([record], anchors).links if not link.taken))
"""


def test_the_reason_two_sites_are_kept_apart_is_the_same_in_every_process():
    notes = {
        subprocess.run(
            [sys.executable, "-c", _KEPT_APART],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(notes) == 1
    assert "kept apart" in notes.pop()
