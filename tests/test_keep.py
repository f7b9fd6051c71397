import shutil
from pathlib import Path

import pytest

from geo.cli import main
from geo.keep import article_file_name, keep_article
from geo.output import OutputError, write_layers
from geo.pipeline import build
from geo.validation import InputError

ROOT = Path(__file__).resolve().parents[1]
# Written for this test: a made-up site in the style of a news article.
ARTICLE = (
    b"Geologists report a new tungsten find\n\n"
    b"Geologists have found the Zharsai tungsten deposit about 60 km north-west of Karkaraly in Karaganda Region. "
    b"Its resources are estimated at 12,000 tons of tungsten trioxide.\n"
)


@pytest.fixture
def workspace(tmp_path):
    """A copy of the seeds and a layer folder built from them (no open data, to stay small)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    out = tmp_path / "layers"
    write_layers(build(seeds, ROOT / "data").files, out)
    return seeds, out


def snapshot(*folders):
    return {str(p): p.read_bytes() for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_kept_article_is_saved_with_its_metadata_and_its_site_enters_the_layers(workspace):
    seeds, out = workspace
    kept = keep_article(
        ARTICLE,
        title="A new tungsten find",
        outlet="Test Wire",
        published="2026-11-30",
        url="https://example.org/find",
        seeds=seeds,
        out=out,
        data_dir=ROOT / "data",
    )
    assert kept.file == article_file_name(ARTICLE, {p.name for p in seeds.glob("*.txt")} - {kept.file})
    assert (seeds / kept.file).read_bytes() == ARTICLE
    metadata = (seeds / "metadata.csv").read_text(encoding="utf-8").splitlines()
    assert metadata[-1] == f"{kept.file},1,A new tungsten find,Test Wire,2026-11-30,https://example.org/find"
    layer = (out / "sites.geojson").read_text(encoding="utf-8")
    assert '"name":"Zharsai"' in layer and f'"{kept.file}"' in layer


@pytest.mark.parametrize(
    ("data", "fields", "message"),
    [
        (b"\xff\xfe binary", {}, "the article cannot be read"),
        (b"   \n", {}, "empty file"),
        (b"x" * 1_000_001, {}, "may have at most 1,000,000"),
        (ARTICLE, {"published": "30 Nov 2026"}, "published"),
        (ARTICLE, {"url": "javascript:alert(1)"}, "url"),
    ],
)
def test_bad_input_writes_nothing(workspace, data, fields, message):
    seeds, out = workspace
    before = snapshot(seeds, out)
    with pytest.raises(InputError, match=message):
        keep_article(data, seeds=seeds, out=out, data_dir=ROOT / "data", **fields)
    assert snapshot(seeds, out) == before


def test_the_same_text_is_not_kept_twice(workspace):
    seeds, out = workspace
    kept = keep_article(ARTICLE, seeds=seeds, out=out, data_dir=ROOT / "data")
    with pytest.raises(InputError, match=f"already kept as {kept.file}"):
        keep_article(ARTICLE, seeds=seeds, out=out, data_dir=ROOT / "data")


def test_a_foreign_layer_folder_refuses_and_nothing_is_written(workspace, tmp_path):
    seeds, _ = workspace
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep me", encoding="utf-8")
    before = snapshot(seeds, foreign)
    with pytest.raises(OutputError):
        keep_article(ARTICLE, seeds=seeds, out=foreign, data_dir=ROOT / "data")
    assert snapshot(seeds, foreign) == before


def test_the_command_line_add(workspace, tmp_path, capsys):
    seeds, out = workspace
    article = tmp_path / "find.txt"
    article.write_bytes(ARTICLE)
    args = ["add", str(article), "--title", "Find", "--date", "2026-11-30", "--seeds", str(seeds), "--out", str(out)]
    assert main([*args, "--data", str(ROOT / "data"), "--open-data", str(ROOT / "data" / "missing")]) == 2
    assert "--open-data" in capsys.readouterr().err
    assert main([*args, "--data", str(ROOT / "data"), "--url", "ftp://x"]) == 2
    assert "nothing written" in capsys.readouterr().err
    assert len(list(seeds.glob("*.txt"))) == 5
    assert main([*args, "--data", str(ROOT / "data")]) == 0
    assert "kept" in capsys.readouterr().out
    assert len(list(seeds.glob("*.txt"))) == 6 and '"name":"Zharsai"' in (out / "sites.geojson").read_text()
