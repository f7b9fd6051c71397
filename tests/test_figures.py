import pytest

from geo.figures import parse_dates, parse_figures, parse_number


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It holds 28.2 million tons of ore.", [("mass", 28_200_000.0, "t", None)]),
        ("resources of 935,400 tons, including 795,800 tons of proven reserves", [
            ("mass", 935_400.0, "t", "resources"), ("mass", 795_800.0, "t", "reserves")]),
        ("a combined one million tons of rare-earth metals", [("mass", 1_000_000.0, "t", None)]),
        ("approximately 700 grams per ton", [("grade", 700.0, "g/t", None)]),
        ("across a 64.2 square kilometer area", [("area", 64.2, "km2", "area")]),
        ("at depths of up to 300 meters", [("length", 300.0, "m", "depth")]),
        ("an investment of $8 million", [("money", 8_000_000.0, "USD", "investment")]),
        ("allocated only 67 billion tenge", [("money", 67e9, "KZT", "funding")]),
        ("invested KZT 67 billion (approximately $124 million)", [
            ("money", 67e9, "KZT", "investment"), ("money", 124e6, "USD", None)]),
        ("account for only 2.4% of the structure", [("percent", 2.4, "%", None)]),
        ("copper in concentrate (271 ktpa)", [("mass", 271_000.0, "t/yr", None)]),
        ("25 sites with a total area of 100,000 square kilometers", [
            ("count", 25.0, "sites", None), ("area", 100_000.0, "km2", "area")]),
        ("In 2024 the plant opened; it employs people.", []),
    ],
)  # fmt: skip
def test_figures_with_units(sentence, expected):
    assert [(f.kind, f.value, f.unit, f.label) for f in parse_figures(sentence)] == expected


def test_figure_keeps_its_written_form():
    (figure,) = parse_figures("The site holds 28.2 million tons.")
    assert figure.text == "28.2 million tons"
    assert figure.start == len("The site holds ")


def test_dates_and_years():
    found = parse_dates("Inaugurated on November 1, 2024; exploration ran from 2022 to November 2024, $2026 million.")
    assert [(f.kind, f.text) for f in found] == [("date", "2024-11-01"), ("year", "2022"), ("date", "2024-11")]


def test_years_inside_other_numbers_are_not_years():
    assert parse_dates("It holds 2024 tons and 20,250 t.") == []


def test_number_words():
    assert parse_number("935,400") == 935_400.0
    assert parse_number("one") == 1.0
