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
