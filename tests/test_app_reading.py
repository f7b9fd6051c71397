"""The "Read an article" view through ``AppTest``: what it shows, keeping, refusals, and the time budget."""

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.layers import load_layers

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
# Written for this test: a registry site in another spelling and a new site placed by the words.
ARTICLE = (
    "Drilling at the Verkhnee Kairakty deposit confirmed reserves of 30 million tons of ore.\n"
    "A new tungsten deposit, Kyzyltas, lies 60 km north-west of Karkaraly in the Karaganda region.\n"
)


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """A copy of the seeds and an empty layer folder; the committed curated data; no open data."""
    seeds, layers = tmp_path / "seeds", tmp_path / "layers"
    shutil.copytree(ROOT / "seeds", seeds)
    layers.mkdir()
    monkeypatch.setenv("ATLAS_DATA_DIR", str(layers))
    monkeypatch.setenv("ATLAS_SEEDS_DIR", str(seeds))
    monkeypatch.setenv("ATLAS_INPUTS_DIR", str(ROOT / "data"))
    monkeypatch.setenv("ATLAS_OPEN_DATA", "")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield seeds, layers
    st.cache_resource.clear()


def read(text: str, **fields: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.sidebar.radio(key="view").set_value("Read an article").run()
    at.text_area(key="read_text").set_value(text)
    for name, value in fields.items():
        at.text_input(key=f"read_{name}").set_value(value)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html(at: AppTest) -> str:
    return "".join(element.proto.body for element in at.get("html"))


def test_the_view_shows_the_spans_sites_and_facts_and_keeps_the_article(folders):
    seeds, layers = folders
    at = read(ARTICLE, date="2025-03-03")
    page = html(at)
    assert 'title="site: linked to Upper Kairakty (registry) by alias Verkhnee Kairakty"' in page
    assert 'title="distance or bearing: distance 60 km, bearing north-west of Qarqaraly"' in page
    assert "a first reserves figure for Upper Kairakty" in page
    before = set(p.name for p in seeds.iterdir())
    at.button(key="keep").click().run()
    (added,) = set(p.name for p in seeds.iterdir()) - before
    assert (seeds / added).read_bytes() == ARTICLE.encode("utf-8")
    assert "Kyzyltas (extracted)" in at.success[0].value.replace("\\", "")  # shown Markdown-escaped
    assert load_layers(layers).sites.set_index("id").loc["x-kiziltas", "name"] == "Kyzyltas"


def test_keeping_the_same_text_twice_writes_nothing_the_second_time(folders):
    seeds, _ = folders
    at = read(ARTICLE)
    at.button(key="keep").click().run()
    kept = sorted(p.name for p in seeds.iterdir())
    at.button(key="keep").click().run()
    assert "this text is already kept as" in at.error[0].value
    assert sorted(p.name for p in seeds.iterdir()) == kept


def test_a_paste_that_names_no_site_says_so(folders):
    page = html(read("Prices of concentrate rose by 12% this year."))
    assert "It names no site." in page and "It states no fact about a site." in page
    assert "a figure in a sentence that names no site it could be about" in page


def test_bad_metadata_and_an_oversized_paste_are_refused_with_the_reason(folders):
    at = read(ARTICLE, date="March 2025")
    assert "published" in at.error[0].value and not html(at)
    at = read("word " * 400_000)
    assert "an article may have at most 1,000,000" in at.error[0].value.replace("\\", "")


def test_a_reading_over_its_time_budget_is_stopped_with_a_message(folders, monkeypatch):
    monkeypatch.setenv("ATLAS_READ_SECONDS", "0.001")
    at = read(ARTICLE)
    assert "the reading was stopped after 0.001 s" in at.error[0].value.replace("\\", "")


def test_an_open_data_folder_that_is_not_there_is_named_and_nothing_is_kept(folders, monkeypatch, tmp_path):
    seeds, _ = folders
    monkeypatch.setenv("ATLAS_OPEN_DATA", str(tmp_path / "missing"))
    at = read(ARTICLE)
    assert "is no folder" in at.warning[0].value
    before = sorted(p.name for p in seeds.iterdir())
    at.button(key="keep").click().run()
    error = at.error[0].value.replace("\\", "")  # shown Markdown-escaped
    assert "ATLAS_OPEN_DATA=" in error and "is no folder" in error
    assert sorted(p.name for p in seeds.iterdir()) == before
