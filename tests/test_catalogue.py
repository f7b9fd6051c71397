"""The bad-input catalogue (issue 10): every kind of bad input, each refused or skipped with a message.

Each case damages a copy of the inputs, runs ``python -m geo build`` (or ``geo check``) and
asserts the message, the exit status, that there is no traceback, and that the previous layers
and every input file are untouched. The app's side of the catalogue is in ``test_app_catalogue.py``.
"""

import csv
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from geo.cli import main
from geo.output import MANIFEST, manifest, write_layers

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = {"sites.geojson": b"previous sites", "stats.json": b"{}"}


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under a folder: a file's bytes, a link's target, or the kind of any other entry."""
    out: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            out[str(path.relative_to(folder))] = f"-> {os.readlink(path)}"
        elif stat.S_ISREG(mode):
            out[str(path.relative_to(folder))] = path.read_bytes()
        elif not stat.S_ISDIR(mode):
            out[str(path.relative_to(folder))] = stat.S_IFMT(mode)
    return out


@pytest.fixture
def workspace(tmp_path):
    """Copies of the seeds and the curated data, and a previous build in ``layers``."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("geojson"))
    write_layers(PREVIOUS, tmp_path / "layers")
    return tmp_path


def build_args(workspace: Path, out: str = "layers") -> list[str]:
    return [
        "build",
        "--seeds",
        str(workspace / "seeds"),
        "--data",
        str(workspace / "data"),
        "--out",
        str(workspace / out),
    ]


def run_build(workspace: Path, capsys) -> tuple[int, str]:
    status = main(build_args(workspace))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def edit_line(path: Path, number: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on line ``number`` (1-based) of a CSV."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines[number - 1], (old, lines[number - 1])
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def drop_column(path: Path, column: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    fields = [name for name in rows[0] if name != column]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def shorten_row(path: Path, number: int) -> None:
    """Cut line ``number`` after its first two cells."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = ",".join(lines[number - 1].split(",")[:2])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def duplicate_row(path: Path, number: int) -> None:
    append(path, path.read_text(encoding="utf-8").splitlines()[number - 1])


# name: (damage to the workspace, message expected in the output)
REFUSED = {
    "nan in national.csv": (
        lambda w: edit_line(w / "data" / "national.csv", 2, ",1600000,", ",nan,"),
        "national.csv line 2 column value: Input should be a finite number (got 'nan')",
    ),
    "inf in national.csv": (
        lambda w: edit_line(w / "data" / "national.csv", 3, ",2014400,", ",inf,"),
        "national.csv line 3 column value: Input should be a finite number (got 'inf')",
    ),
    "negative value in national.csv": (
        lambda w: edit_line(w / "data" / "national.csv", 2, ",1600000,", ",-5,"),
        "national.csv line 2 column value: Input should be greater than or equal to 0",
    ),
    "missing column in national.csv": (
        lambda w: drop_column(w / "data" / "national.csv", "value"),
        "national.csv line 1: missing columns ['value']",
    ),
    "short row in national.csv": (
        lambda w: shorten_row(w / "data" / "national.csv", 2),
        "national.csv line 2: 2 cells, the header has 8",
    ),
    "not UTF-8 national.csv": (
        lambda w: (w / "data" / "national.csv").write_bytes(b"key,value\n\xff\xfe,1\n"),
        "national.csv: not UTF-8 text (byte 10)",
    ),
    "missing column in unlocated.csv": (
        lambda w: drop_column(w / "data" / "unlocated.csv", "reason"),
        "unlocated.csv line 1: missing columns ['reason']",
    ),
    "short row in unlocated.csv": (
        lambda w: shorten_row(w / "data" / "unlocated.csv", 3),
        "unlocated.csv line 3: 2 cells, the header has 8",
    ),
    "duplicated row in unlocated.csv": (
        lambda w: duplicate_row(w / "data" / "unlocated.csv", 2),
        "unlocated.csv line 5: duplicate 'karatas' (first on line 2)",
    ),
    "empty name in unlocated.csv": (
        lambda w: append(w / "data" / "unlocated.csv", " ,,deposit,Cu,,unknown,a reason,x.txt"),
        "unlocated.csv line 5 column name: empty, but required",
    ),
    "missing column in survey_areas.csv": (
        lambda w: drop_column(w / "data" / "survey_areas.csv", "shape"),
        "survey_areas.csv line 1: missing columns ['shape']",
    ),
    "short row in survey_areas.csv": (
        lambda w: shorten_row(w / "data" / "survey_areas.csv", 2),
        "survey_areas.csv line 2: 2 cells, the header has 10",
    ),
    "nan area in survey_areas.csv": (
        lambda w: edit_line(w / "data" / "survey_areas.csv", 2, ",64.2,", ",nan,"),
        "survey_areas.csv line 2 column area_km2: Input should be a finite number (got 'nan')",
    ),
    "nan district in districts.csv": (
        lambda w: edit_line(w / "data" / "districts.csv", 2, ",49.41244,", ",nan,"),
        "districts.csv line 2 column lat: Input should be a finite number (got 'nan')",
    ),
    "district outside Kazakhstan": (
        lambda w: edit_line(w / "data" / "districts.csv", 2, ",75.47228,", ",175.47228,"),
        "districts.csv line 2 column lon: Input should be less than or equal to 87.4",
    ),
    "missing column in districts.csv": (
        lambda w: drop_column(w / "data" / "districts.csv", "lat"),
        "districts.csv line 1: missing columns ['lat']",
    ),
    "short row in districts.csv": (
        lambda w: shorten_row(w / "data" / "districts.csv", 2),
        "districts.csv line 2: 2 cells, the header has 7",
    ),
    "nan radius in sites.csv": (
        lambda w: edit_line(w / "data" / "sites.csv", 3, ",district,70,", ",district,nan,"),
        "uncertainty_km 'nan' is not a finite number",
    ),
    "not UTF-8 sites.csv": (
        lambda w: (w / "data" / "sites.csv").write_bytes(b"id,name\n\xc3(,x\n"),
        "sites.csv: not UTF-8 text (byte 8)",
    ),
    "sites.csv is a FIFO": (
        lambda w: ((w / "data" / "sites.csv").unlink(), os.mkfifo(w / "data" / "sites.csv")),
        "sites.csv: missing, or not a regular file",
    ),
    "metadata.csv is a FIFO": (
        lambda w: ((w / "seeds" / "metadata.csv").unlink(), os.mkfifo(w / "seeds" / "metadata.csv")),
        "metadata.csv: missing, or not a regular file",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_table_stops_the_build_with_status_2_naming_file_line_and_column(workspace, capsys, case):
    damage, message = REFUSED[case]
    damage(workspace)
    inputs = snapshot(workspace / "data"), snapshot(workspace / "seeds")
    status, output = run_build(workspace, capsys)
    assert status == 2, output
    assert message in output
    assert "Traceback" not in output
    assert snapshot(workspace / "layers") == {**PREVIOUS, MANIFEST: manifest(PREVIOUS)}
    assert (snapshot(workspace / "data"), snapshot(workspace / "seeds")) == inputs


def link_to_dev_zero(seeds: Path) -> None:
    (seeds / "zero.txt").symlink_to("/dev/zero")


def link_out_of_the_folder(seeds: Path) -> None:
    (seeds.parent / "outside.txt").write_text("Koktenkol deposit near Agadyr.\n", encoding="utf-8")
    (seeds / "outside.txt").symlink_to(seeds.parent / "outside.txt")


SKIPPED = {
    "file name not UTF-8": (
        lambda s: (s / os.fsdecode(b"caf\xe9.txt")).write_text("Some text.\n"),
        "unreadable: b'caf\\xe9.txt': file name is not valid UTF-8",
    ),
    "symlink to /dev/zero": (link_to_dev_zero, "unreadable: zero.txt: a link to a file outside the folder"),
    "symlink out of the folder": (
        link_out_of_the_folder,
        "unreadable: outside.txt: a link to a file outside the folder",
    ),
    "FIFO named .txt": (lambda s: os.mkfifo(s / "pipe.txt"), "unreadable: pipe.txt: not a regular file"),
    "folder named .txt": (lambda s: (s / "folder.txt").mkdir(), "unreadable: folder.txt: not a regular file"),
    "binary article": (lambda s: (s / "binary.txt").write_bytes(b"\x00\x01"), "unreadable: binary.txt: binary file"),
    "article over 1 MB": (
        lambda s: (s / "huge.txt").write_bytes(b"word " * 250_000),
        "unreadable: huge.txt: too large (1,250,000 bytes",
    ),
}


@pytest.mark.parametrize("case", list(SKIPPED))
def test_a_file_that_is_no_article_is_named_skipped_and_the_rest_is_built(workspace, capsys, case):
    damage, message = SKIPPED[case]
    damage(workspace / "seeds")
    inputs = snapshot(workspace / "data"), snapshot(workspace / "seeds")
    status, output = run_build(workspace, capsys)
    assert status == 1, output
    assert message in output
    assert "Traceback" not in output
    committed = ROOT / "data" / "geojson"
    assert (workspace / "layers" / "sites.geojson").read_bytes() == (committed / "sites.geojson").read_bytes()
    assert (snapshot(workspace / "data"), snapshot(workspace / "seeds")) == inputs


@pytest.mark.parametrize(
    ("folder", "message"),
    [("data", "not empty and not a previous build"), ("seeds", "not empty and not a previous build")],
)
def test_out_onto_an_input_folder_is_refused(workspace, capsys, folder, message):
    before = snapshot(workspace)
    status = main(build_args(workspace, folder))
    output = capsys.readouterr().err
    assert (status, message in output, "Traceback" in output) == (2, True, False)
    assert snapshot(workspace) == before


def test_unlocated_sites_get_transliterated_unique_ids(workspace, capsys):
    unlocated = workspace / "data" / "unlocated.csv"
    append(unlocated, "Куйректыколь-Восток,,deposit,REE,,unknown,no page places it,x.txt")
    append(unlocated, "Kuirektykol,,deposit,REE,,unknown,a namesake no page places,x.txt")
    append(unlocated, "★,,deposit,REE,,unknown,a name with no letters,x.txt")
    status, output = run_build(workspace, capsys)
    assert status == 0, output
    ids = [f["properties"]["id"] for f in json.loads((workspace / "layers" / "sites.geojson").read_text())["features"]]
    assert len(ids) == len(set(ids)) and "" not in ids
    assert {"kuirektykol-vostok", "kuirektykol-2", "site"} <= set(ids)
    assert main(["check", str(workspace / "layers")]) == 0
