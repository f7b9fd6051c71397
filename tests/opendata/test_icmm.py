from geo.opendata.icmm import read_icmm

HEADER = [
    "icmm_id",
    "name",
    "group_names",
    "asset_type",
    "primary_commodity",
    "secondary_commodity",
    "other_commodities",
    "confidence",
    "lat",
    "lon",
    "country",
]


def test_rows_become_records(write_source):
    path = write_source(
        "icmm_mining_2025_kz.csv",
        HEADER,
        [
            [
                "ICMM1",
                "Alpha Smelter",
                "Alpha;Alpha Smelter;Alpha Refinery;Alpha",
                "Smelter;Refinery",
                "copper",
                "zinc",
                "lanthanides;sulphuric acid",
                "High",
                "49.98",
                "82.61",
                "Kazakhstan",
            ],
            ["ICMM2", "Beta Mine", "", "Mine;Plant", "chromite", "chromium", "", "Very Low", "", "", "Kazakhstan"],
            ["ICMM2", "Unnamed", "", "Mine", "thermal coal", "", "", "Moderate", "51.6", "75.4", "Kazakhstan"],
        ],
    )
    alpha, beta, unnamed = read_icmm(path)
    assert (alpha.key, alpha.kind, alpha.url, alpha.uncertainty_km) == ("icmm:ICMM1", "smelter", None, 2.0)
    assert alpha.aliases == ("Alpha", "Alpha Refinery")
    assert alpha.commodities == ("Cu", "Zn", "REE")
    assert "Smelter;Refinery" in alpha.precision_note
    assert (beta.kind, beta.commodities, beta.flags) == ("plant", ("Cr",), ("no_coordinates", "duplicate_id"))
    assert (unnamed.name, unnamed.commodities, unnamed.uncertainty_km) == ("", ("C",), 10.0)
    assert unnamed.flags == ("unnamed", "duplicate_id")


def test_real_file(real_file):
    problems = []
    records = read_icmm(real_file("icmm_mining_2025_kz.csv"), problems)
    assert len(records) == 81 and problems == []
    assert all(not r.flags for r in records)
    kinds = {}
    for r in records:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    assert kinds == {"mine": 63, "smelter": 11, "plant": 7}
    pavlodar = next(r for r in records if r.record_id == "ICMM13731")
    assert pavlodar.commodities == ("Al", "Ga") and pavlodar.kind == "smelter"
