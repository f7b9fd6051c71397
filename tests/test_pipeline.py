import json
import shutil
from pathlib import Path

import pytest

from geo.cli import main
from geo.pipeline import build
from geo.registry import RegistryError
from geo.schema import LAYER_FILES, SITE_PROPERTIES

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data" / "geojson"
OPEN_DATA = ROOT.parent / "shared" / "open-data"
needs_open_data = pytest.mark.skipif(not OPEN_DATA.is_dir(), reason="../shared/open-data is not beside the checkout")


@pytest.fixture(scope="module")
def report():
    if not OPEN_DATA.is_dir():
        pytest.skip("the committed layers are built with ../shared/open-data, which is not beside the checkout")
    return build(ROOT / "seeds", ROOT / "data", OPEN_DATA)


@pytest.fixture(scope="module")
def seeds_only():
    return build(ROOT / "seeds", ROOT / "data")


def test_build_reproduces_the_committed_layers_byte_for_byte(report):
    assert sorted(report.files) == sorted(LAYER_FILES)
    for name, data in report.files.items():
        assert data == (COMMITTED / name).read_bytes(), f"{name} differs: run `python -m geo build`"


def test_build_is_deterministic(report):
    again = build(ROOT / "seeds", ROOT / "data", OPEN_DATA)
    assert again.files == report.files


def test_curated_sites_keep_their_cited_facts_when_the_open_data_joins(report, seeds_only):
    with_open = sites_by_id(report)
    for site_id, feature in sites_by_id(seeds_only).items():
        assert with_open[site_id]["properties"]["facts"] == feature["properties"]["facts"], site_id
        assert with_open[site_id]["geometry"] == feature["geometry"], site_id
    assert len(sites_by_id(seeds_only)) == 27


KAZATOMPROM_MINES = {
    "akdala",
    "budenovskoye",
    "inkai",
    "irkol",
    "kanzhugan",
    "karamurun",
    "moinkum",
    "mynkuduk",
    "north-kharasan",
    "semizbay",
    "zarechnoye",
    "zhalpak",
}


def test_the_curated_uranium_mines_are_in_the_committed_layers_with_their_sources_and_regions():
    features = json.loads((COMMITTED / "sites.geojson").read_text(encoding="utf-8"))["features"]
    sites = {f["properties"]["id"]: f for f in features}
    inkai = sites["inkai"]
    assert inkai["properties"]["origin"] == "registry"
    assert inkai["properties"]["commodities"] == ["U"]
    assert inkai["properties"]["region"] == "Turkistan Region"
    assert inkai["properties"]["location_precision"] == "site"
    assert inkai["properties"]["location_source"] == "https://www.wikiwand.com/en/articles/Inkai_Uranium_Project"
    assert inkai["geometry"]["coordinates"] == pytest.approx([67.536667, 45.282222])
    curated_uranium = {
        site_id
        for site_id, f in sites.items()
        if f["properties"]["origin"] == "registry" and "U" in f["properties"]["commodities"]
    }
    assert curated_uranium == KAZATOMPROM_MINES
    for site_id in KAZATOMPROM_MINES:
        props = sites[site_id]["properties"]
        assert props["region"] in {"Turkistan Region", "Kyzylorda Region", "North Kazakhstan Region"}, site_id
        assert props["location_source"].startswith(("http://", "https://")), site_id
        assert props["info_source"], site_id


def test_the_open_data_gives_hundreds_of_located_sites_and_every_record_is_accounted_for(report):
    sites = sites_by_id(report).values()
    located = [f for f in sites if f["geometry"] and f["properties"]["origin"] == "open_data"]
    assert len(located) >= 400
    counts = report.open_data.sites.counts
    assert counts["records"] == len(report.open_data.records) == 1035
    assert (
        counts["in_open_data_sites"]
        + counts["in_sites_with_no_point"]
        + counts["in_curated_sites"]
        + counts["set_aside"]
        == counts["records"]
    )
    members = [row for row in report.files["site_records.csv"].decode().splitlines() if row.startswith("member,")]
    assert len(members) + counts["set_aside"] == 1035
    assert "open data: 1035 records from 5 files" in report.summary()


def test_curated_sites_gain_their_open_data_records(report):
    sites = sites_by_id(report)
    assert {r["key"] for r in sites["upper-kairakty"]["properties"]["records"]} >= {
        "usgs:major-deposits:1484",
        "usgs:major-deposits:1485",
    }
    qarmet = sites["qarmet-karaganda-metallurgical-plant"]["properties"]
    assert "gem-gist:P100000120710" in {r["key"] for r in qarmet["records"]}
    assert qarmet["datasets"][0] == "registry" and "gem-gist" in qarmet["datasets"]


def sites_by_id(report):
    return {f["properties"]["id"]: f for f in json.loads(report.files["sites.geojson"])["features"]}


@pytest.mark.parametrize(
    ("site_id", "region"),
    [
        ("kuirektykol", "Karaganda Region"),
        ("zhana-kazakhstan", "Karaganda Region"),
        ("akhmetkino", "East Kazakhstan Region"),
        ("zhezkazganredmet", "Ulytau Region"),
        ("upper-kairakty", "Karaganda Region"),
        ("north-katpar", "Karaganda Region"),
        ("boguty-tungsten-plant", "Almaty Region"),
        ("abai-copper-smelter", "Abai Region"),
        ("qarmet-karaganda-metallurgical-plant", "Karaganda Region"),
        ("erg-rudny-hbi", "Kostanay Region"),
        ("erg-gallium-pavlodar", "Pavlodar Region"),
    ],
)
def test_every_seed_site_is_in_its_current_region_and_cites_its_articles(report, site_id, region):
    props = sites_by_id(report)[site_id]["properties"]
    assert list(props) == list(SITE_PROPERTIES)
    assert props["region"] == region
    assert props["sources"], "a seed site must name the articles it comes from"
    assert all(fact["document"] in props["sources"] for fact in props["facts"])


@pytest.mark.parametrize(("site_id", "commodity"), [("karatas", "Cu"), ("zhosabai", "Au"), ("kazakhsteel", "Fe")])
def test_sites_no_source_places_are_kept_without_a_point(report, site_id, commodity):
    site = sites_by_id(report)[site_id]
    props = site["properties"]
    assert site["geometry"] is None
    assert (props["location_precision"], props["region"], props["uncertainty_km"]) == ("unknown", None, None)
    assert props["commodities"] == [commodity]
    assert props["location_note"], "the reason it cannot be placed"
    assert props["sources"], "the article that names it"


def test_imprecise_locations_say_so(report):
    sites = sites_by_id(report)
    akhmetkino = sites["akhmetkino"]["properties"]
    assert akhmetkino["location_precision"] == "district"
    assert akhmetkino["uncertainty_km"] >= 30
    assert sites["kuirektykol"]["properties"]["location_precision"] != "site"


def test_regions_layer_counts_sites(seeds_only, report):
    regions = {
        f["properties"]["name"]: f["properties"] for f in json.loads(seeds_only.files["regions.geojson"])["features"]
    }
    assert len(regions) == 20
    assert regions["Karaganda Region"]["sites"] == 6
    regions = {
        f["properties"]["name"]: f["properties"] for f in json.loads(report.files["regions.geojson"])["features"]
    }
    placed = [f for f in sites_by_id(report).values() if f["geometry"] is not None]
    assert sum(r["sites"] for r in regions.values()) == len(placed)


def test_survey_areas_are_flagged_approximations(report):
    areas = {f["properties"]["id"]: f for f in json.loads(report.files["survey_areas.geojson"])["features"]}
    kui = areas["kuirektykol-exploration-area"]
    assert kui["geometry"]["type"] == "Polygon"
    assert kui["properties"]["approximate"] is True
    assert kui["properties"]["area_km2_geodesic"] == pytest.approx(64.2, abs=0.05)
    assert areas["zhana-kazakhstan-area"]["geometry"]["type"] == "Point"


def test_summary_lists_what_could_not_be_located(seeds_only):
    summary = seeds_only.summary()
    assert "documents read: 8 (from 5 files)" in summary
    assert "sites: 27 (0 found only in the text; 3 with no known location;" in summary
    for name in ("Karatas", "Zhosabai", "Kazakhsteel"):
        assert f"not located: '{name}'" in summary


def test_a_bad_article_is_named_and_the_rest_is_built(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "broken.txt").write_bytes(b"\xff\xfe\x00\x01binary")
    status = main(["build", "--seeds", str(seeds), "--out", str(tmp_path / "out"), "--data", str(ROOT / "data")])
    out = capsys.readouterr().out
    assert status == 1
    assert "unreadable: broken.txt: binary file" in out
    assert (tmp_path / "out" / "sites.geojson").read_bytes() == (COMMITTED / "sites.geojson").read_bytes()


def test_a_bad_registry_row_stops_the_build_and_writes_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("geojson"))
    rows = (data / "sites.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace("East Kazakhstan Region", "Atlantis Region")
    (data / "sites.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    status = main(["build", "--out", str(tmp_path / "out"), "--data", str(data), "--seeds", str(ROOT / "seeds")])
    assert status == 2
    assert "row 3 (akhmetkino): unknown region 'Atlantis Region'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(RegistryError):
        build(ROOT / "seeds", data)


def test_the_build_never_returns_layers_its_own_checks_refuse(monkeypatch):
    import geo.pipeline
    from geo.validation import InputError

    real = geo.pipeline._regions_layer

    def with_atlantis(sites):
        layer = real(sites)
        layer["features"][0]["properties"]["name"] = "Atlantis"
        return layer

    monkeypatch.setattr(geo.pipeline, "_regions_layer", with_atlantis)
    with pytest.raises(InputError, match=r"the built layers fail their own checks:\nregions\.geojson feature 0"):
        build(ROOT / "seeds", ROOT / "data")
