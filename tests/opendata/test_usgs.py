from collections import Counter

from geo.opendata.usgs import read_usgs

HEADER = ["source_db", "source_id", "record_id", "name", "aliases", "commodities", "deposit_type", "lat", "lon"]
PGE = ("USGS PGE-Ni-Cr deposit and occurrence bibliographic database", "https://mrdata.usgs.gov/nicrpge")
PORCU = ("USGS Porphyry copper deposits of the world", "https://mrdata.usgs.gov/porcu")
SIR = ("USGS SIR 2010-5090-Z copper", "https://mrdata.usgs.gov/sir20105090z")
LAT = ("USGS Ni-Co laterite deposits of the world", "https://mrdata.usgs.gov/laterite")


def rows():
    return [
        [*PGE, "1", "Swapped", "", "Cr", "", "58.3", "50.3"],  # lat/lon swapped: (50.3N, 58.3E) is in Kazakhstan
        [*PGE, "2", "Unnamed", "", "Ni;Co", "", "48", "68"],  # 0 decimals
        [*PORCU, "3", "Aktogai", "Aktogay;Aktogai, Aktogay", "Cu;Mo;Au;Ag", "17", "46.95", "79.98"],
        [*PORCU, "4", "Nowhere", "", "Cu;Mo;Au;Ag", "17", "", ""],
        [*PORCU, "4", "Bishkek", "", "Cu;Mo;Au;Ag", "17", "42.9", "74.6"],  # Kyrgyzstan; id 4 twice
        [*SIR, "5", "Irkuduk drill hole 7", "", "Cu", "", "47.1234", "67.5"],
        [*LAT, "6", "Kempirsai", "", "goethite;magnetite;chromite;garnierite;serpentine;Ni;Co", "1", "50.33", "58.28"],
        [*LAT, "7", "sylvite occurrence", "", "sylvite;unobtainium", "", "49.5", "57.2"],
    ]


def test_rows_become_records_with_flags_kinds_and_radii(write_source):
    path = write_source("usgs_deposits_kz.csv", HEADER, rows())
    problems = []
    swapped, unnamed, aktogai, nowhere, bishkek, hole, kempirsai, occurrence = read_usgs(path, problems)
    assert (swapped.lat, swapped.lon, swapped.flags) == (50.3, 58.3, ("swapped_coordinates",))
    assert (swapped.key, swapped.kind, swapped.row) == ("usgs:nicrpge:1", "occurrence", 3)
    assert (unnamed.name, unnamed.flags, unnamed.uncertainty_km) == ("", ("unnamed",), 78.7)
    assert aktogai.aliases == ("Aktogay",) and aktogai.uncertainty_km == 1.0
    assert aktogai.url == "https://mrdata.usgs.gov/porcu/show-porcu.php?rec_id=3"
    assert "same commodity list on every row" in aktogai.precision_note
    assert (nowhere.lat, nowhere.lon, nowhere.uncertainty_km) == (None, None, None)
    assert nowhere.flags == ("no_coordinates", "duplicate_id")
    assert (bishkek.lat, bishkek.flags) == (42.9, ("outside_border", "duplicate_id"))
    assert (hole.kind, hole.flags, hole.url) == ("drill_hole", ("drill_hole",), "https://mrdata.usgs.gov/sir20105090z")
    assert hole.uncertainty_km == 7.9  # the fewer decimals (lon 67.5) count
    assert kempirsai.commodities == ("Ni", "Co") and kempirsai.precision_note.count("database") == 0
    assert (occurrence.kind, occurrence.name, occurrence.commodities) == ("occurrence", "", ("K",))
    assert problems == ["usgs_deposits_kz.csv line 10: unknown commodity word 'unobtainium'"]
    assert all(r.status == "unknown" and r.status_raw == "" and r.dataset == "usgs" for r in (swapped, hole))


def test_real_file(real_file):
    problems = []
    records = read_usgs(real_file("usgs_deposits_kz.csv"), problems)
    assert len(records) == 919
    assert len({r.key for r in records}) == 919
    flags = Counter(f for r in records for f in r.flags)
    assert flags == {
        "unnamed": 82,
        "swapped_coordinates": 22,
        "drill_hole": 13,
        "no_coordinates": 2,
        "outside_border": 1,
    }
    swapped = [r for r in records if "swapped_coordinates" in r.flags]
    assert {r.database for r in swapped} == {"USGS PGE-Ni-Cr deposit and occurrence bibliographic database"}
    assert Counter(r.kind for r in records) == {"deposit": 496, "occurrence": 410, "drill_hole": 13}
    assert Counter(r.uncertainty_km for r in records) == {1.0: 727, 7.9: 190, None: 2}
    assert problems == ["usgs_deposits_kz.csv line 374: unknown commodity word 'T'"]
    assert records[0].release == "DARPA CriticalMAAS MinMod ta2-minmod-data, commit 050de430"
    kempirsai = next(r for r in records if r.key == "usgs:laterite:65")
    assert kempirsai.commodities == ("Ni", "Co")
    ree = [r for r in records if r.key.startswith("usgs:ree:")]
    assert all(r.url.startswith("https://mrdata.usgs.gov/ree/show-ree.php?rec_id=") for r in ree)


def test_other_spellings_in_a_name_s_brackets_become_aliases_but_not_other_places_or_groups(write_source):
    made_up = [
        [*PORCU, "8", "Quxalon (Kuk Salon, Kuksalon) Mine", "", "P", "", "43.5", "69.7"],
        [*PORCU, "9", "Foobar-II (Tastau)", "", "Cu", "", "47.5", "75.5"],
        [*PORCU, "10", "Foobarskoe (Kempirsai group)", "", "Cr", "", "50.3", "58.3"],
        [*PORCU, "11", "Foobarskoe (north extension)", "", "Cu", "", "47.5", "67.5"],
    ]
    path = write_source("usgs_deposits_kz.csv", HEADER, made_up)
    spelt, other_place, group, part = read_usgs(path)
    assert spelt.aliases == ("Quxalon Mine", "Kuk Salon Mine", "Kuksalon Mine")
    assert other_place.aliases == group.aliases == part.aliases == ()
