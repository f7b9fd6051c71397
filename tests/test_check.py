import json
import shutil
from pathlib import Path

from geo.check import check_layers
from geo.cli import main
from geo.schema import KINDS

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "data" / "geojson"


def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "layers"
    shutil.copytree(COMMITTED, folder)
    return folder


def test_committed_layers_pass(capsys):
    assert check_layers(COMMITTED) == []
    assert main(["check", str(COMMITTED)]) == 0
    assert "ok" in capsys.readouterr().out


def test_a_missing_file_is_named(tmp_path):
    folder = copy(tmp_path)
    (folder / "facts.csv").unlink()
    assert check_layers(folder) == [f"{folder}: missing facts.csv"]


def test_an_unknown_kind_is_caught(tmp_path):
    folder = copy(tmp_path)
    sites = json.loads((folder / "sites.geojson").read_text(encoding="utf-8"))
    sites["features"][0]["properties"]["kind"] = "volcano"
    (folder / "sites.geojson").write_text(json.dumps(sites), encoding="utf-8")
    problems = check_layers(folder)
    first = sites["features"][0]["properties"]["id"]
    assert problems == [
        f"sites.geojson feature 0 ({first}): unknown kind 'volcano' (expected one of: {', '.join(KINDS)})"
    ]


def test_a_crs_member_and_a_missing_region_are_caught(tmp_path, capsys):
    folder = copy(tmp_path)
    regions = json.loads((folder / "regions.geojson").read_text(encoding="utf-8"))
    regions["features"] = regions["features"][:-1]
    (folder / "regions.geojson").write_text(json.dumps(regions), encoding="utf-8")
    assert any("expected the 20" in p for p in check_layers(folder))
    regions["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    (folder / "regions.geojson").write_text(json.dumps(regions), encoding="utf-8")
    assert main(["check", str(folder)]) == 1
    assert "'crs' member" in capsys.readouterr().out


def test_a_site_without_geometry_must_say_its_location_is_unknown(tmp_path):
    folder = copy(tmp_path)
    sites = json.loads((folder / "sites.geojson").read_text(encoding="utf-8"))
    unplaced = [f for f in sites["features"] if f["geometry"] is None]
    assert unplaced, "the committed layer keeps the sites no source places"
    unplaced[0]["properties"]["region"] = "Karaganda Region"
    (folder / "sites.geojson").write_text(json.dumps(sites), encoding="utf-8")
    problem, manifest = check_layers(folder)
    assert "must have precision 'unknown', no region and no radius" in problem
    assert manifest == f"{folder}: changed since the build wrote them: 'sites.geojson'"


def _site(site_id, name, lon, lat, kind="deposit", radius=5.0):
    props = {"id": site_id, "name": name, "aliases": [], "kind": kind, "uncertainty_km": radius}
    props |= {"origin": "open_data", "records": [{"key": f"usgs:a:{site_id}", "name": name, "aliases": []}]}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def test_one_place_under_two_names_is_reported_unless_a_person_split_it():
    from geo.check import likely_duplicates

    twins = [_site("a", "Verkhnee Qairaqty", 73.25, 48.683), _site("b", "Verkhnekajraktinskoe", 73.2167, 48.6486)]
    collection = {"type": "FeatureCollection", "features": twins}
    assert likely_duplicates(collection) == ["sites.geojson: a and b look like one place under two names"]
    assert likely_duplicates(collection, {frozenset(("usgs:a:a", "usgs:a:b"))}) == []
    far = [twins[0], _site("c", "Verkhnekajraktinskoe", 75.0, 47.0)]
    plant = [twins[0], _site("d", "Verkhnee Qairaqty plant", 73.25, 48.683, kind="plant")]
    for features in (far, plant):
        assert likely_duplicates({"type": "FeatureCollection", "features": features}) == []


def test_the_committed_layers_hold_no_likely_duplicate_but_the_two_a_person_split():
    from geo.check import _kept_apart, likely_duplicates

    folder = Path(__file__).resolve().parents[1] / "data" / "geojson"
    sites = json.loads((folder / "sites.geojson").read_text(encoding="utf-8"))
    assert likely_duplicates(sites, _kept_apart(folder / "site_records.csv")) == []
    assert len(likely_duplicates(sites)) == 2  # Kipshakpay/Kipshapskoe and Donskoy/Kempirsai massif
