import doctest
from pathlib import Path

import pytest

from geo import release as release_module
from geo.layers import load_layers
from geo.release import release
from geo.sources import read_documents
from geo.stats import (
    commodity_table,
    national_facts,
    national_figures,
    programme,
    read_external,
    region_summary,
    region_table,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def layers():
    return load_layers(ROOT / "data" / "geojson")


@pytest.fixture(scope="module")
def national():
    documents, _ = read_documents(ROOT / "seeds")
    return national_facts(documents)


def values(national, key):
    return {(fact["value"], fact["document"]) for fact in national if fact["key"] == key}


def test_national_figures_are_read_with_their_citations(national):
    assert values(national, "ree_sites_studied") == {
        (25.0, "000_2a1f05202e3fdfd4.txt"),
        (25.0, "002_0ad9be908612bcb9.txt"),
    }
    assert values(national, "ree_area_studied_km2") == {
        (100_000.0, "000_2a1f05202e3fdfd4.txt"),
        (100_000.0, "002_0ad9be908612bcb9.txt"),
    }
    assert {v for v, _ in values(national, "promising_sites_2024")} == {38.0}
    assert values(national, "survey_target_km2") == {(2_200_000.0, "000_2a1f05202e3fdfd4.txt")}
    assert {v for v, _ in values(national, "state_funding_since_2018_kzt")} == {67e9}
    assert values(national, "state_funding_per_year_kzt") == {(9.5e9, "000_2a1f05202e3fdfd4.txt")}
    assert all(fact["sentence"] for fact in national)


def test_programme_progress_uses_the_latest_published_figure(national):
    progress = programme(national, read_external(ROOT / "data" / "national.csv"))
    assert progress["surveyed_km2"] == 2_014_400.0
    assert progress["surveyed"]["source"].startswith("https://")
    assert progress["progress_pct"] == pytest.approx(91.6, abs=0.05)


def test_external_figures_need_a_url(tmp_path):
    path = tmp_path / "national.csv"
    path.write_text("key,label,value,unit,as_of,published,source,note\nk,l,1,km2,2024,,a book,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2 column source: 'a book' is not the URL of a public page"):
        read_external(path)


def test_region_table_counts_and_areas(layers):
    table = region_table(layers.sites, layers.regions, layers.survey_areas).set_index("region")
    assert len(table) == 20
    placed = layers.sites.geometry.notna().sum()
    assert table["sites"].sum() == layers.sites["region"].notna().sum() == placed > 400
    curated = layers.sites[layers.sites["origin"] == "registry"]
    karaganda = region_table(curated, layers.regions, layers.survey_areas).set_index("region").loc["Karaganda Region"]
    assert (karaganda["sites"], karaganda["deposit"], karaganda["plant"]) == (6, 4, 1)
    assert karaganda["survey_area_km2"] == pytest.approx(64.2, abs=0.05)
    assert "surveyed_pct" not in karaganda  # mapped outlines are no share of the region surveyed
    assert table["area_km2"].sum() == pytest.approx(2_724_900, rel=0.005)


def test_region_table_follows_a_selection(layers):
    only_ulytau = layers.sites[layers.sites["region"] == "Ulytau Region"]
    table = region_table(only_ulytau, layers.regions, layers.survey_areas).set_index("region")
    assert table["sites"].sum() == len(only_ulytau) == table.loc["Ulytau Region", "sites"] > 1
    assert table["survey_area_km2"].sum() == 0


def test_commodity_table_is_long_form(layers):
    table = commodity_table(layers.sites)
    assert list(table.columns) == ["region", "commodity", "sites"]
    ree = table[(table["region"] == "Karaganda Region") & (table["commodity"] == "REE")]
    karaganda_ree = layers.sites[
        (layers.sites["region"] == "Karaganda Region") & layers.sites["commodities"].map(lambda c: "REE" in c)
    ]
    assert ree["sites"].tolist() == [len(karaganda_ree)] and len(karaganda_ree) >= 2
    assert commodity_table(layers.sites.iloc[0:0]).empty


def test_region_summary_fits_a_side_column(layers):
    summary = region_summary(layers.sites, layers.regions, layers.survey_areas)
    assert list(summary.columns) == ["Region", "Sites", "By kind", "Top commodities", "Mapped survey areas, km²"]
    assert summary.iloc[0]["Sites"] == f"{int(layers.sites['region'].value_counts().max()):,}"
    karaganda = summary.set_index("Region").loc["Karaganda Region"]
    assert karaganda["Mapped survey areas, km²"] == "64.2"
    assert all(len(text.split(" · ")) <= 5 for text in summary["Top commodities"])


def test_national_figures_keep_every_figure_with_its_source_and_mark_conflicts(layers):
    groups = {group["key"]: group for group in national_figures(layers.stats)}
    assert sum(len(g["figures"]) for g in groups.values()) == len(layers.stats["national"]) + len(
        layers.stats["external"]
    )
    surveyed = groups["surveyed_area_km2"]
    assert surveyed["differ"] and [f["text"] for f in surveyed["figures"]] == ["1.6 million km²", "2.01 million km²"]
    assert surveyed["figures"][1]["outlet"] == "qazinform.com" and surveyed["figures"][1]["published"] == "2025-06-13"
    promising = groups["promising_sites_2024"]  # 38 sites, 38 deposits, 38 areas: one number
    assert not promising["differ"] and len(promising["figures"]) == 3
    target = groups["survey_target_km2"]["figures"][0]
    assert target["title"] == "Bektenov Pushes for Modernization as Rare Metals Lag Behind"
    assert target["outlet"] == "Orda.kz" and target["url"].startswith("https://en.orda.kz/")


def test_the_release_is_derived_from_the_content_not_the_clock(layers):
    assert not doctest.testmod(release_module).failed
    built = layers.stats["release"]
    assert built["version"] == f"{built['data_as_of']}+{built['content_sha256'][:10]}"
    assert built["data_as_of"] == "2025-09-05"  # the newest article date
    assert {"data": "ICMM Global Mining Dataset, September 2025 (V1) release.", "licence": "CC BY 4.0"} in built[
        "licences"
    ]
    files = {"a.csv": b"1"}
    assert release(files, {}, [], []) == release(files, {}, [], [])
    assert release(files, {}, [], [])["version"] != release({"a.csv": b"2"}, {}, [], [])["version"]
