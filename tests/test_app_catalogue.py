"""The app's side of the bad-input catalogue (issue 10): damaged layers and hostile URLs, never a traceback.

Each damaged layer folder is refused by ``geo check`` (status 1, the file named), ``geo stats``
(status 2) and by the app
(an error naming the file, no exception); hostile URL values and data text are shown as text.
"""

import json
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.check import check_layers
from geo.cli import main
from geo.markup import escape_markdown

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
FIXTURES = Path(__file__).parent / "fixtures" / "layers"


def unescaped_markup(markdown: str) -> list[str]:
    """Markdown, HTML and LaTeX characters left active (not backslash-escaped) in a text."""
    return re.findall(r"(?<!\\)[][<>$()`*_!]", markdown)


@pytest.fixture
def layers(tmp_path, monkeypatch):
    """A copy of the fixture layers that the app is pointed at; tests damage it."""
    folder = tmp_path / "layers"
    shutil.copytree(FIXTURES, folder)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(folder))
    st.cache_data.clear()
    yield folder
    st.cache_data.clear()


def run_app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def write(folder: Path, name: str, data) -> None:
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def edit(folder: Path, name: str, change) -> None:
    """Apply ``change`` (which mutates it) to the parsed JSON of a layer file and write it back."""
    data = json.loads((folder / name).read_text(encoding="utf-8"))
    change(data)
    write(folder, name, data)


def first_site(data):
    return data["features"][0]["properties"]


DAMAGE = {
    "sites.geojson is []": (lambda f: write(f, "sites.geojson", []), "sites.geojson: not a FeatureCollection"),
    "stats.json is []": (lambda f: write(f, "stats.json", []), "stats.json: Input should be a valid dictionary"),
    "a site without region": (
        lambda f: edit(f, "sites.geojson", lambda d: first_site(d).pop("region")),
        "sites.geojson feature 0 (kuirektykol): region: missing",
    ),
    "bare NaN in stats.json": (
        lambda f: (f / "stats.json").write_text('{"programme": {"target_km2": NaN}}'),
        "stats.json: not readable as JSON (NaN is not a JSON number)",
    ),
    "a zero target in stats.json": (
        lambda f: edit(f, "stats.json", lambda d: d["programme"].update(target_km2=0)),
        "stats.json: programme.target_km2: Input should be greater than 0",
    ),
    "a programme figure that is text": (
        lambda f: edit(f, "stats.json", lambda d: d["programme"]["history"][0].update(value="lots")),
        "stats.json: programme.history.0.value: Input should be a valid number",
    ),
    "duplicate site ids": (
        lambda f: edit(f, "sites.geojson", lambda d: d["features"][1]["properties"].update(id="kuirektykol")),
        "duplicate id 'kuirektykol' (first in feature 0)",
    ),
    "an empty site id": (
        lambda f: edit(f, "sites.geojson", lambda d: first_site(d).update(id="")),
        "id '' is not a lower-case slug",
    ),
    "an unknown kind": (
        lambda f: edit(f, "sites.geojson", lambda d: first_site(d).update(kind="volcano")),
        "unknown kind 'volcano'",
    ),
    "a confidence over 1": (
        lambda f: edit(f, "sites.geojson", lambda d: first_site(d).update(confidence=7)),
        "confidence: Input should be less than or equal to 1",
    ),
    "a region feature without name": (
        lambda f: edit(f, "regions.geojson", lambda d: d["features"][0]["properties"].pop("name")),
        "regions.geojson feature 0 (None): name: missing",
    ),
    "a survey area that is a string": (
        lambda f: edit(f, "survey_areas.geojson", lambda d: d["features"].__setitem__(0, "area")),
        "survey_areas.geojson feature 0: not a Feature",
    ),
    "sites.geojson is not JSON": (
        lambda f: (f / "sites.geojson").write_bytes(b"\xff{"),
        "sites.geojson: not readable as JSON",
    ),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_layers_are_refused_by_check_and_by_the_app_with_a_clear_message(layers, capsys, case):
    damage, message = DAMAGE[case]
    damage(layers)
    before = {p.name: p.read_bytes() for p in layers.iterdir()}
    assert any(message in problem for problem in check_layers(layers)), check_layers(layers)
    assert main(["check", str(layers)]) == 1
    assert main(["stats", str(layers)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert message in captured.err
    at = run_app()
    (error,) = at.error
    assert "The atlas cannot read its layers" in error.value
    assert escape_markdown(message) in error.value
    assert {p.name: p.read_bytes() for p in layers.iterdir()} == before


def test_a_layer_with_no_site_shows_an_empty_atlas(layers):
    edit(layers, "sites.geojson", lambda d: d.update(features=[]))
    edit(layers, "survey_areas.geojson", lambda d: d.update(features=[]))
    at = run_app()
    assert at.subheader[0].value == "0 of 0 sites"
    assert not at.error


def test_a_notice_for_a_thousand_bad_values_is_short_and_inert(layers):
    at = run_app(region=",".join(f"[Verify login](https://evil.co/{n})" for n in range(1000)))
    (warning,) = at.warning
    assert len(warning.value) < 600
    assert "and 995 more" in warning.value
    assert unescaped_markup(warning.value) == []


@pytest.mark.parametrize(
    "value",
    ["[Verify login](https://evil.co/x)", "![x](https://evil.co/pixel.png)", "$\\alpha$ :red[alarm]", "<b>x</b>"],
)
def test_url_values_in_notices_are_shown_as_text(layers, value):
    (warning,) = run_app(region=value).warning
    assert unescaped_markup(warning.value) == []
    assert "evil.co" not in warning.value or "https\\:\\/\\/evil\\.co" in warning.value


def test_unlocated_site_names_are_not_read_as_markdown(layers):
    def hostile_unplaced(data):
        unplaced = data["features"][0]
        unplaced["geometry"] = None
        unplaced["properties"].update(
            name="[Verify login](https://evil.co/x) ![x](https://evil.co/p.png)",
            region=None,
            location_precision="unknown",
            uncertainty_km=None,
        )

    edit(layers, "sites.geojson", hostile_unplaced)
    at = run_app()
    caption = next(c.value for c in at.caption if "Not on the map" in c.value)
    assert unescaped_markup(caption) == []


def test_hostile_credits_and_programme_notes_are_inert(layers):
    def hostile(data):
        data["credits"] = ["![x](https://evil.co/p.png)"]
        data["external"][0]["note"] = "[Verify login](https://evil.co/x)"  # shown among the national figures
        data["national"][0]["sentence"] = "[Verify login](https://evil.co/y)"

    edit(layers, "stats.json", hostile)
    at = run_app()
    credits = next(c.value for c in at.caption if "evil" in c.value)
    notes = [m.value for m in at.markdown if "Verify" in m.value]
    assert unescaped_markup(credits) == []
    assert notes and all("\\[Verify login\\]\\(https" in note for note in notes)
