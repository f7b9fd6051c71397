import doctest
import re
from dataclasses import fields
from pathlib import Path

import pytest

from geo import selection as selection_module
from geo.layers import load_layers
from geo.schema import QUERY_PARAMS, REGIONS
from geo.selection import (
    MAX_QUERY,
    Selection,
    download_name,
    filter_facts,
    filter_sites,
    filter_survey_areas,
    headline,
    in_period,
    parse_query,
    search_sites,
    to_query,
)

SITE_IDS = {"kuirektykol", "hostile", "akhmetkino"}


def ids(frame):
    return set(frame["id"])


# --- Reading the URL ---------------------------------------------------------------------------


def test_docstring_examples():
    assert doctest.testmod(selection_module).attempted and not doctest.testmod(selection_module).failed


def test_selection_fields_are_the_url_parameters():
    assert tuple(f.name for f in fields(Selection)) == QUERY_PARAMS


def test_known_values_in_any_case_and_spelling_are_kept_in_canonical_form():
    selection, notices = parse_query(
        {
            "region": "karaganda region, Қарағанды облысы,Abay",
            "commodity": "li,Rare earth elements",
            "kind": "Prospective area,mine",
            "status": "OPERATING",
            "q": "  Куйректыколь   deposit ",
            "site": "kuirektykol",
        },
        SITE_IDS,
    )
    assert notices == []
    assert selection == Selection(
        region=("Karaganda Region", "Abai Region"),
        commodity=("Li", "REE"),
        kind=("prospective_area", "mine"),
        status=("operating",),
        q="Куйректыколь deposit",
        site="kuirektykol",
    )


def test_repeated_parameters_add_values():
    selection, notices = parse_query({"region": ["Astana", "Almaty,Shymkent"]}, SITE_IDS)
    assert selection.region == ("Astana", "Almaty", "Shymkent")
    assert notices == []


def test_unknown_values_are_dropped_with_a_notice_naming_them():
    selection, notices = parse_query(
        {"region": "Atlantis,Astana", "kind": "volcano", "status": "", "commodity": ",,", "site": "nowhere"}, SITE_IDS
    )
    assert selection == Selection(region=("Astana",))
    assert notices == [
        "Ignored unknown region “Atlantis” in the URL.",
        "Ignored unknown kind “volcano” in the URL.",
        "Ignored unknown site “nowhere” in the URL.",
    ]


def test_hostile_and_overlong_values_are_quoted_safely_in_notices():
    long_value = "x" * 500
    _, notices = parse_query({"region": f"<img src=x onerror=alert(1)>\x00\x1b,{long_value}"}, SITE_IDS)
    (notice,) = notices
    assert notice.startswith("Ignored 2 values of unknown region in the URL: “<img src=x onerror=alert(1)>”, “xxx")
    assert len(notice) < 150 and notice.endswith("…”.")


def test_a_notice_for_a_thousand_bad_values_names_a_few_and_counts_the_rest():
    _, notices = parse_query({"region": ",".join(f"[x{n}](https://evil.co)" for n in range(1000))}, SITE_IDS)
    (notice,) = notices
    assert notice.endswith("and 995 more.")
    assert len(notice) < 300


def test_a_long_search_is_shortened_with_a_notice():
    selection, notices = parse_query({"q": "ab " * 100}, SITE_IDS)
    assert len(selection.q) == MAX_QUERY
    assert "Shortened the search" in notices[0]


def test_only_one_site_opens():
    selection, notices = parse_query({"site": "kuirektykol,akhmetkino"}, SITE_IDS)
    assert selection.site == "kuirektykol"
    assert "one site's detail opens at a time" in notices[0]


def test_query_round_trip():
    selection = Selection(region=("Karaganda Region", "Astana"), kind=("mine",), q="Тау Кен", site="hostile")
    params = to_query(selection)
    assert params == {"region": "Karaganda Region,Astana", "kind": "mine", "q": "Тау Кен", "site": "hostile"}
    assert parse_query(params, SITE_IDS) == (selection, [])
    assert to_query(Selection()) == {}


# --- Filtering ---------------------------------------------------------------------------------


def test_no_filter_shows_every_site(fixture_layers):
    assert len(filter_sites(fixture_layers.sites, Selection(site="hostile"))) == 10


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(region=("Karaganda Region",)), {"kuirektykol", "zhana-kazakhstan", "qarmet-karagandy"}),
        (
            Selection(region=("Karaganda Region", "Ulytau Region")),
            {"kuirektykol", "zhana-kazakhstan", "qarmet-karagandy", "jezkazganredmet"},
        ),
        (Selection(commodity=("REE",)), {"kuirektykol", "zhana-kazakhstan"}),
        (Selection(commodity=("Os", "W")), {"jezkazganredmet", "almaty-tungsten-plant"}),
        (Selection(kind=("deposit",)), {"kuirektykol", "akhmetkino"}),
        (Selection(status=("operating",), region=("East Kazakhstan Region",)), {"ukmtp"}),
        (Selection(kind=("plant",), commodity=("Fe",)), {"qarmet-karagandy"}),
        (Selection(region=("Astana",)), set()),
    ],
)
def test_filters_combine(fixture_layers, selection, expected):
    assert ids(filter_sites(fixture_layers.sites, selection)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("куйректыколь", {"kuirektykol"}),  # a Cyrillic alias, lower case
        ("ҚУИРЕКТІКӨЛ", {"kuirektykol"}),  # a Kazakh alias, upper case
        ("KUIREKTYKOL", {"kuirektykol"}),
        ("tungsten almaty", {"almaty-tungsten-plant"}),  # every word, in any order
        ("almaty tungsten", {"almaty-tungsten-plant"}),
        ("Богуты", {"almaty-tungsten-plant"}),
        ("<img", {"hostile"}),
        ("${alert(3)}", {"hostile"}),
        ("no such place", set()),
    ],
)
def test_search_covers_names_and_aliases_in_any_script(fixture_layers, query, expected):
    assert ids(filter_sites(fixture_layers.sites, Selection(q=query))) == expected


def test_survey_areas_follow_their_sites(fixture_layers):
    layers = fixture_layers
    for selection, expected in [
        (Selection(), {"kuirektykol-area", "zhana-kazakhstan-area"}),
        (Selection(kind=("deposit",)), {"kuirektykol-area"}),
        (Selection(region=("Karaganda Region",)), {"kuirektykol-area", "zhana-kazakhstan-area"}),
        (Selection(region=("Abai Region",)), set()),
    ]:
        shown = filter_sites(layers.sites, selection)
        areas = filter_survey_areas(layers.survey_areas, shown, layers.regions, selection)
        assert ids(areas) == expected, selection


def test_a_survey_area_without_a_site_follows_the_region_filter(fixture_layers):
    layers = fixture_layers
    loose = layers.survey_areas.assign(site_id=None)
    karaganda = Selection(region=("Karaganda Region",))
    shown = filter_sites(layers.sites, karaganda)
    assert len(filter_survey_areas(loose, shown, layers.regions, karaganda)) == 2
    abai = Selection(region=("Abai Region",))
    assert len(filter_survey_areas(loose, filter_sites(layers.sites, abai), layers.regions, abai)) == 0
    assert len(filter_survey_areas(loose, layers.sites, layers.regions, Selection())) == 2


# --- Words and names ---------------------------------------------------------------------------


def test_headline():
    assert headline(12, 31) == "12 of 31 sites"
    assert headline(0, 31) == "0 of 31 sites"
    assert headline(1, 1) == "1 of 1 site"


@pytest.mark.parametrize(
    ("selection", "name"),
    [
        (Selection(), "kz-sites_all.geojson"),
        (Selection(site="hostile"), "kz-sites_all.geojson"),
        (Selection(region=("Karaganda Region",)), "kz-sites_region-karaganda-region.geojson"),
        (
            Selection(region=("Abai Region", "Astana"), commodity=("REE",), kind=("mine",), status=("planned",)),
            "kz-sites_region-abai-region+astana_commodity-ree_kind-mine_status-planned.geojson",
        ),
        (Selection(q="Куйректыколь"), "kz-sites_q-куйректыколь.geojson"),
        (Selection(q="../../etc/passwd"), "kz-sites_q-etc-passwd.geojson"),
        (Selection(q="///"), "kz-sites_all.geojson"),
        (Selection(since="2025-04-01", until="2025-09-30"), "kz-sites_since-2025-04-01_until-2025-09-30.geojson"),
    ],
)
def test_download_name_says_what_the_selection_is(selection, name):
    assert download_name(selection, "geojson") == name


def test_download_name_stays_short():
    selection = Selection(region=tuple(sorted(REGIONS[:7])))
    name = download_name(selection, "csv")
    assert len(name) <= 154 and name.endswith(".csv") and "/" not in name


def test_source_and_record_kind_filters(fixture_layers):
    from geo.selection import filter_sites, parse_query

    selection, notices = parse_query(
        {"source": "GEM Global Iron and Steel Tracker,atlantis", "record_kind": "plant"}, []
    )
    assert selection.source == ("gem-gist",) and selection.record_kind == ("plant",)
    assert notices == ["Ignored unknown source “atlantis” in the URL."]
    assert list(filter_sites(fixture_layers.sites, selection)["id"]) == ["qarmet-karagandy"]
    news = filter_sites(fixture_layers.sites, parse_query({"source": "news"}, [])[0])
    assert len(news) == len(fixture_layers.sites)
    assert filter_sites(fixture_layers.sites, parse_query({"record_kind": "mine"}, [])[0]).empty


# --- Search over everything a site is known by ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tungsten", {"almaty-tungsten-plant"}),  # a commodity word
        ("вольфрам", {"almaty-tungsten-plant"}),  # the word in Russian
        ("W", {"almaty-tungsten-plant"}),  # a symbol: a whole word only
        ("rare earth", {"kuirektykol", "zhana-kazakhstan"}),
        ("REE", {"kuirektykol", "zhana-kazakhstan"}),
        ("Kuirektikol", {"kuirektykol"}),  # one letter wrong
        ("tungsten almaty", {"almaty-tungsten-plant"}),  # every word must match something
        ("tungsten karaganda", set()),
        ("Tau-Ken", {"kuirektykol"}),  # the operator
        ("titanium east kazakhstan", {"ukmtp"}),  # commodity and region
        ("Шығыс", {"akhmetkino", "ukmtp"}),  # a region's Kazakh name
        ("prospective", {"zhana-kazakhstan"}),  # the kind
        ("tin", set()),  # three letters begin a word: not inside "platinum" or "Qarmet Karagandy"
    ],
)
def test_search_covers_commodities_regions_operators_and_kinds(fixture_layers, query, expected):
    assert ids(filter_sites(fixture_layers.sites, Selection(q=query))) == expected


def test_search_forgives_typos_only_in_longer_words(fixture_layers):
    assert search_sites(fixture_layers.sites, "Akhmetkina").sum() == 1  # 10 letters, one edit
    assert search_sites(fixture_layers.sites, "gols").sum() == 0  # 4 letters: no typo forgiven
    assert search_sites(fixture_layers.sites, "").all()


# --- The date filter -----------------------------------------------------------------------------


def test_dates_are_read_from_the_url_and_bad_ones_named():
    selection, notices = parse_query({"since": "2025-04-01", "until": "2025-02-30"}, [])
    assert (selection.since, selection.until) == ("2025-04-01", "")
    assert notices == ["Ignored until date “2025-02-30” in the URL: dates are written YYYY-MM-DD, one of each."]
    assert to_query(selection) == {"since": "2025-04-01"}


def test_the_date_filter_keeps_sites_mentioned_in_the_period_and_narrows_their_facts(fixture_layers):
    april = Selection(since="2025-04-01", until="2025-04-30")
    assert ids(filter_sites(fixture_layers.sites, april)) == {"kuirektykol"}
    kuirektykol = fixture_layers.sites.set_index("id").loc["kuirektykol"]
    assert {fact["published"] for fact in filter_facts(kuirektykol["facts"], april)} == {"2025-04-21"}
    assert len(filter_facts(kuirektykol["facts"], Selection())) == len(kuirektykol["facts"])
    march_on = ids(filter_sites(fixture_layers.sites, Selection(since="2025-03-12")))
    assert march_on == {"kuirektykol", "akhmetkino", "almaty-tungsten-plant"}
    assert ids(filter_sites(fixture_layers.sites, Selection(until="2025-03-11"))) == set()
    assert not in_period(None, Selection(since="2025-01-01")) and in_period(None, Selection())


def test_the_readme_search_examples_find_what_it_says():
    """Every example in the README's Search row finds sites in the real layers; ``tungsten almaty`` the Boguty plant."""
    root = Path(__file__).resolve().parents[1]
    lines = (root / "README.md").read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith("| Search |"))
    examples = re.findall(r"`([^`]+)`", row)
    assert {"tungsten", "вольфрам", "W", "rare earth", "REE", "Kuirektikol", "tungsten almaty"} <= set(examples)
    sites = load_layers(root / "data" / "geojson").sites
    for example in examples:
        assert search_sites(sites, example).any(), example
    assert "boguty-tungsten-plant" in set(sites[search_sites(sites, "tungsten almaty")]["id"])
    assert list(sites[search_sites(sites, "Kuirektikol")]["id"]) == ["kuirektykol"]


def test_download_name_marks_only_the_sites_in_view():
    assert download_name(Selection(kind=("mine",)), "kml", in_view=True) == "kz-sites_kind-mine_in-view.kml"
    assert download_name(Selection(q="x" * 100), "csv", in_view=True).endswith("_in-view.csv")
