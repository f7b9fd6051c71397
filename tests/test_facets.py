from geo.facets import FACETS, facet_counts
from geo.selection import Selection, filter_sites


def test_counts_with_no_filter_are_the_sites_per_value(fixture_layers):
    counts = facet_counts(fixture_layers.sites, Selection())
    assert set(counts) == set(FACETS)
    assert counts["region"]["Karaganda Region"] == 3
    assert counts["kind"]["plant"] == 4


def test_a_facet_counts_the_sites_matching_every_other_filter(fixture_layers):
    sites = fixture_layers.sites
    selection = Selection(region=("Karaganda Region",), kind=("plant",))
    counts = facet_counts(sites, selection)
    # the region facet ignores the region filter: plants per region
    assert counts["region"] == {
        "Karaganda Region": 1,
        "East Kazakhstan Region": 1,
        "Ulytau Region": 1,
        "Almaty Region": 1,
    }
    # the kind facet ignores the kind filter: Karaganda's sites per kind
    assert counts["kind"] == {"deposit": 1, "prospective_area": 1, "plant": 1}
    # other facets count the shown sites
    assert sum(counts["commodity"].values()) == len(filter_sites(sites, selection)) == 1
    assert "Ti" not in counts["commodity"]  # an option with no site is absent, so the app hides it


def test_facets_follow_the_search_and_the_dates(fixture_layers):
    counts = facet_counts(fixture_layers.sites, Selection(q="REE", since="2025-04-01"))
    assert counts["region"] == {"Karaganda Region": 1}
