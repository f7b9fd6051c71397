import pytest

from geo.spreadsheet import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 701", "'+7 701"),
        ("-5%", "'-5%"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Kuirektykol", "Kuirektykol"),
        ("", ""),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted(value, expected):
    assert safe_cell(value) == expected
