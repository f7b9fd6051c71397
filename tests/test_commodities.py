import pytest

from geo.commodities import normalise_commodities, shared_commodity_list, split_commodities, unknown_commodity_words
from geo.schema import COMMODITIES


@pytest.mark.parametrize(
    ("raw", "symbols"),
    [
        ("Cu", ("Cu",)),
        ("Ni;Co;Ni", ("Ni", "Co")),
        ("Co;Ni", ("Co", "Ni")),
        ("Copper;Zinc;Lead", ("Cu", "Zn", "Pb")),
        ("Uranium;Lanthanum;Cerium;Yttrium;Scandium", ("U", "REE", "Y", "Sc")),
        ("chromite", ("Cr",)),
        ("garnierite", ("Ni",)),
        ("magnetite", ("Fe",)),
        ("bauxite;alumina;aluminium", ("Al",)),
        ("sylvite", ("K",)),
        ("potash;carnallite", ("K",)),
        ("phosphorite;apatite", ("P",)),
        ("P;fluorapatite", ("P",)),
        ("barite", ("Ba",)),
        ("wolframite;scheelite", ("W",)),
        ("WO3", ("W",)),
        ("P2O5;K2O", ("P", "K")),
        ("rare earths", ("REE",)),
        ("lanthanides", ("REE",)),
        ("iron ore", ("Fe",)),
        ("thermal coal", ("C",)),
        ("metallurgical coal", ("C",)),
        ("steel", ("Fe",)),
        ("coal", ("C",)),
        ("HAL;K;HAL  K", ("K",)),  # halite ignored; two-space lists split
        ("K;HAL;B;BR;GYP;K  HAL  B  GYP  BR", ("K", "B", "Br")),
        ("salt", ()),
        ("PGE;Pt", ("PGE", "Pt")),
        ("", ()),
        # the laterite mineral inventory: with element symbols present, its minerals are mineralogy, not commodities
        ("goethite;magnesite;talc;chromite;garnierite;serpentine;Ni;Co", ("Ni", "Co")),
        ("hematite;nontronite;serpentine;limonite;Ni;Co", ("Ni", "Co")),
        ("Pyrite;Lanthanum;Neodymium", ("REE",)),
    ],
)
def test_normalise(raw, symbols):
    assert normalise_commodities(raw) == symbols


def test_every_symbol_is_in_the_schema():
    raws = [
        "Li Be B F Mg Al P S K Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga As Se Br Sr Y Zr Nb Mo Rh Pd Ag Cd In Sn Sb Te Ba",
        "La Ce Ta W Re Os Pt Au Hg Pb Bi U REE PGE C",
    ]
    for raw in raws:
        for symbol in normalise_commodities(raw.replace(" ", ";")):
            assert symbol in COMMODITIES


def test_unknown_words_are_reported_not_guessed():
    assert unknown_commodity_words("Cu;T;quartz;unobtainium;T") == ("T", "unobtainium")
    assert normalise_commodities("Cu;T;unobtainium") == ("Cu",)
    assert unknown_commodity_words("HAL  K;goethite") == ()


def test_split():
    assert split_commodities(" K  HAL ; B, Cu/Zn ") == ["K", "HAL", "B", "Cu", "Zn"]


def test_database_level_lists():
    assert shared_commodity_list(["Zn;Pb;Cu;Ag;Au"] * 14) == ("Zn", "Pb", "Cu", "Ag", "Au")
    lanthanides = "Lanthanum;Cerium;Yttrium;Neodymium"
    assert shared_commodity_list([f"Uranium;{lanthanides}", f"Pyrite;{lanthanides}", f"Feldspar;{lanthanides}"]) == (
        "Lanthanum",
        "Cerium",
        "Yttrium",
        "Neodymium",
    )
    laterite = [
        "goethite;magnetite;chromite;nontronite;serpentine;Ni;Co",
        "hematite;nontronite;serpentine;Ni;Co",
        "goethite;quartz;nontronite;serpentine;olivine;Ni;Co",
    ]
    assert shared_commodity_list(laterite) == ()
    assert shared_commodity_list(["Cu;Mo;Au;Ag"] * 2) == ()  # too few rows to tell
