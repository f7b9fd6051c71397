from geo.opendata.gem import read_gcmt, read_giomt, read_gist

GIST = [
    "plant_id",
    "name",
    "name_other",
    "other_names",
    "status",
    "start_date",
    "equipment",
    "crude_steel_ttpa_operating",
    "crude_steel_ttpa_announced",
    "owner",
    "parent",
    "province",
    "coordinate_accuracy",
    "lat",
    "lon",
    "wiki",
]
GIOMT = [
    "asset_id",
    "name",
    "status",
    "design_capacity_ttpa",
    "production_2022_ttpa",
    "production_2023_ttpa",
    "start_date",
    "owner",
    "parent",
    "municipality",
    "province",
    "coordinate_accuracy",
    "lat",
    "lon",
    "wiki",
]
GCMT = [
    "id",
    "project",
    "status",
    "owner",
    "parent",
    "capacity",
    "production",
    "mine-type",
    "coal_type",
    "coal-grade",
    "opening_year",
    "coalfield",
    "lat",
    "lng",
    "url",
]


def test_steel_plants(write_source):
    path = write_source(
        "gem_iron_steel_2025-03_kz.csv",
        GIST,
        [
            [
                "P1",
                "Works A",
                "Завод А",
                "Works A Old (predecessor), Works Alpha",
                "operating",
                "1960",
                "BF",
                "6000",
                "0",
                "A LLP",
                "A Group",
                "Qaraghandy oblysy",
                "exact",
                "50.03",
                "72.99",
                "https://www.gem.wiki/A",
            ],
            [
                "P2",
                "Works B",
                "",
                "",
                "mothballed",
                "",
                "",
                "0",
                "800",
                "B LLP",
                "B LLP",
                "unknown",
                "approximate",
                "52.9775",
                "63.18",
                "",
            ],
        ],
    )
    a, b = read_gist(path)
    assert (a.key, a.kind, a.status, a.status_raw) == ("gem-gist:P1", "plant", "operating", "operating")
    assert a.aliases == ("Завод А", "Works A Old", "Works Alpha")
    assert (a.owner, a.capacity) == ("A LLP (parent: A Group)", "crude steel 6,000 thousand t/yr operating")
    assert (a.region_hint, a.uncertainty_km, a.url, a.commodities) == (
        "Karaganda Region",
        1.0,
        "https://www.gem.wiki/A",
        ("Fe",),
    )
    assert (b.status, b.owner, b.capacity, b.region_hint) == (
        "suspended",
        "B LLP",
        "crude steel 800 thousand t/yr announced",
        None,
    )
    assert (b.uncertainty_km, b.url) == (10.0, None)


def test_iron_ore_mines(write_source):
    path = write_source(
        "gem_iron_ore_mines_2024-11_kz.csv",
        GIOMT,
        [
            [
                "P9",
                "Mine",
                "proposed",
                "1700",
                "unknown",
                "unknown",
                "",
                "O LLP",
                "",
                "",
                "Akmola",
                "",
                "52.7",
                "71.5",
                "",
            ],
        ],
    )
    (mine,) = read_giomt(path)
    assert (mine.kind, mine.status, mine.capacity) == (
        "mine",
        "planned",
        "design capacity 1,700 thousand t/yr iron ore",
    )
    assert (mine.region_hint, mine.uncertainty_km) == ("Akmola Region", 7.9)  # no accuracy given: by decimals


def test_coal_phases_merge_into_one_mine(write_source):
    path = write_source(
        "gem_coal_mines_2024_kz.csv",
        GCMT,
        [
            [
                "M1",
                "Pit",
                "proposed",
                "Owner",
                "",
                "7.5",
                "",
                "surface",
                "Bituminous",
                "thermal",
                "2030",
                "",
                "51.7",
                "75.4",
                "u",
            ],
            [
                "M1",
                "Pit",
                "operating",
                "Owner",
                "",
                "32.0",
                "32.5",
                "surface",
                "Bituminous",
                "thermal",
                "1979",
                "",
                "51.655495",
                "75.4336006",
                "u",
            ],
            [
                "M2",
                "Shaft",
                "retired",
                "Owner",
                "",
                "",
                "1.0",
                "underground",
                "Bituminous",
                "met",
                "1950",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    pit, shaft = read_gcmt(path)
    assert (pit.key, pit.row, pit.flags) == ("gem-gcmt:M1", 3, ())
    assert (pit.status, pit.status_raw) == ("operating", "proposed; operating")
    assert pit.capacity == "proposed: 7.5 Mt/yr; operating: 32.0 Mt/yr"
    assert (pit.lat, pit.lon, pit.uncertainty_km) == (51.655495, 75.4336006, 1.0)
    assert "phases give different points" in pit.precision_note
    assert (shaft.status, shaft.flags, shaft.commodities) == ("closed", ("no_coordinates",), ("C",))
    assert shaft.capacity == "retired: production 1.0 Mt/yr"


def test_real_files(real_file):
    gist = read_gist(real_file("gem_iron_steel_2025-03_kz.csv"))
    giomt = read_giomt(real_file("gem_iron_ore_mines_2024-11_kz.csv"))
    gcmt = read_gcmt(real_file("gem_coal_mines_2024_kz.csv"))
    assert (len(gist), len(giomt), len(gcmt)) == (8, 6, 21)  # 28 coal rows are the phases of 21 mines
    assert [r.status for r in gist].count("planned") == 5
    assert sorted({r.status for r in gcmt}) == ["closed", "operating", "suspended"]
    assert sum(r.status_raw.count(";") for r in gcmt) == 7
    assert all(not r.flags for r in gist + giomt + gcmt)
    bogatyr = next(r for r in gcmt if r.record_id == "M0717")
    assert (bogatyr.status, bogatyr.capacity) == ("operating", "operating: 32.0 Mt/yr; proposed: 7.5 Mt/yr")
    assert (
        next(r for r in giomt if r.record_id == "P100000128574").capacity
        == "design capacity 1,700 thousand t/yr iron ore"
    )
