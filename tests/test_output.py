"""Writing layer folders: nothing lost (foreign files refuse the build), whole at every instant of the swap."""

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import geo.output
from geo.cli import main
from geo.output import MANIFEST, OutputError, manifest, manifest_problems, write_layers
from geo.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
OLD = {"a.geojson": b"old", "b.csv": b"old"}
NEW = {"a.geojson": b"new", "b.csv": b"new"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (recursively) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_committed_manifest_lists_the_committed_layers():
    open_data = ROOT.parent / "shared" / "open-data"
    if not open_data.is_dir():
        pytest.skip("the committed layers are built with ../shared/open-data, which is not beside the checkout")
    report = build(ROOT / "seeds", ROOT / "data", open_data)
    assert (ROOT / "data" / "geojson" / MANIFEST).read_bytes() == manifest(report.files)
    assert manifest_problems(ROOT / "data" / "geojson") == []


def test_a_build_writes_its_manifest_and_replaces_a_previous_build(tmp_path):
    out = tmp_path / "layers"
    write_layers(OLD, out)
    listed = json.loads((out / MANIFEST).read_text())["files"]
    assert [entry["name"] for entry in listed] == ["a.geojson", "b.csv"]
    assert listed[0]["bytes"] == 3
    write_layers(NEW, out)
    assert snapshot(out) == {**NEW, MANIFEST: manifest(NEW)}
    assert [p.name for p in tmp_path.iterdir()] == ["layers"]


def foreign_file(out: Path) -> None:
    out.mkdir()
    (out / "notes.txt").write_text("mine")


def previous_build_plus_a_file(out: Path) -> None:
    write_layers(OLD, out)
    (out / "extra.csv").write_text("mine")


def previous_build_changed_by_hand(out: Path) -> None:
    write_layers(OLD, out)
    (out / "a.geojson").write_bytes(b"edited")


def previous_build_with_a_subfolder(out: Path) -> None:
    write_layers(OLD, out)
    (out / "sub").mkdir()
    (out / "sub" / "keep.txt").write_text("mine")


def a_file(out: Path) -> None:
    out.write_text("mine")


def a_symlink(out: Path) -> None:
    (out.parent / "elsewhere").mkdir()
    (out.parent / "elsewhere" / "keep.txt").write_text("mine")
    out.symlink_to(out.parent / "elsewhere")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (foreign_file, "not empty and not a previous build (no manifest.json); it holds 'notes.txt'"),
        (previous_build_plus_a_file, "holds files the build did not write: 'extra.csv'"),
        (previous_build_changed_by_hand, "changed since the build wrote them: 'a.geojson'"),
        (previous_build_with_a_subfolder, "holds files the build did not write: 'sub'"),
        (a_file, "not a folder"),
        (a_symlink, "not a folder"),
    ],
)
def test_an_out_folder_that_is_not_a_previous_build_is_refused_and_nothing_is_deleted(tmp_path, make, message):
    out = tmp_path / "layers"
    make(out)
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match="nothing was written") as raised:
        write_layers(NEW, out)
    assert message in str(raised.value)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("folder", ["data", "seeds"])
def test_build_out_onto_the_inputs_refuses_with_status_2_and_deletes_nothing(tmp_path, capsys, folder):
    for name in ("data", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    before = snapshot(tmp_path)
    status = main(
        ["build", "--seeds", str(tmp_path / "seeds"), "--data", str(tmp_path / "data"), "--out", str(tmp_path / folder)]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert f"{tmp_path / folder}: not empty and not a previous build" in err
    assert "Traceback" not in err
    assert snapshot(tmp_path) == before


def test_an_out_folder_that_cannot_be_written_stops_with_status_2_and_the_next_build_works(tmp_path, capsys):
    (tmp_path / "plain-file").write_text("x")
    args = ["build", "--seeds", str(ROOT / "seeds"), "--data", str(ROOT / "data")]
    assert main([*args, "--out", str(tmp_path / "plain-file" / "layers")]) == 2
    assert "cannot write the layers to" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain-file"]
    assert main([*args, "--out", str(tmp_path / "layers")]) == 0
    assert manifest_problems(tmp_path / "layers") == []


@pytest.mark.parametrize("step", ["write", "exchange"])
def test_a_crash_at_any_step_leaves_the_old_build_whole_and_the_next_build_tidies_up(tmp_path, monkeypatch, step):
    out = tmp_path / "layers"
    write_layers(OLD, out)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(geo.output, "_exchange" if step == "exchange" else "manifest", crash)
    with pytest.raises(KeyboardInterrupt):
        write_layers(NEW, out)
    monkeypatch.undo()
    assert snapshot(out) == {**OLD, MANIFEST: manifest(OLD)}
    write_layers(NEW, out)
    assert snapshot(out) == {**NEW, MANIFEST: manifest(NEW)}


def test_without_an_atomic_exchange_a_crash_between_the_renames_is_repaired_by_the_next_build(tmp_path, monkeypatch):
    out = tmp_path / "layers"
    write_layers(OLD, out)

    def unsupported(first, second):
        raise OSError(errno.ENOSYS, "no renameat2")

    real_rename = Path.rename

    def crash_second(self, target):
        if "-new-" in self.name and Path(target) == out:
            raise KeyboardInterrupt  # killed after the old build was moved aside
        return real_rename(self, target)

    monkeypatch.setattr(geo.output, "_exchange", unsupported)
    monkeypatch.setattr(Path, "rename", crash_second)
    with pytest.raises(KeyboardInterrupt):
        write_layers(NEW, out)
    monkeypatch.setattr(Path, "rename", real_rename)
    assert not out.exists()
    notes = write_layers(NEW, out)
    assert any(note.startswith(f"put back {out}") for note in notes)
    assert snapshot(out) == {**NEW, MANIFEST: manifest(NEW)}
    assert [p.name for p in tmp_path.iterdir()] == ["layers"]


def test_a_stale_folder_holding_other_files_is_reported_not_deleted(tmp_path):
    out = tmp_path / "layers"
    stale = tmp_path / ".layers-new-999999999-abc"
    stale.mkdir()
    (stale / "precious.txt").write_text("mine")
    notes = write_layers(OLD, out)
    assert notes == [f"left {stale}: an interrupted build's folder that now holds other files"]
    assert (stale / "precious.txt").read_text() == "mine"


_WRITER = """
import sys
from geo.output import write_layers
out = sys.argv[1]
n = 0
while True:
    n += 1
    write_layers({"a.geojson": str(n).encode() * 50_000, "b.csv": str(n).encode()}, out)
    if n == 1:
        print("writing", flush=True)
"""


def test_a_build_killed_at_random_moments_always_leaves_a_complete_out_folder(tmp_path):
    out = tmp_path / "layers"
    write_layers(OLD, out)
    for attempt in range(12):
        writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(out)], cwd=ROOT, stdout=subprocess.PIPE)
        assert writer.stdout.readline() == b"writing\n"
        time.sleep(0.0037 * attempt)  # killed at a different moment of a write each time
        os.kill(writer.pid, signal.SIGKILL)
        writer.stdout.close()
        writer.wait()
        assert manifest_problems(out) == [], f"attempt {attempt}"
    write_layers(NEW, out)
    assert [p.name for p in tmp_path.iterdir()] == ["layers"], "stale temporary folders are removed"
