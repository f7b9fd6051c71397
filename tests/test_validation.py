import pytest

from geo.validation import MAX_PROBLEMS, InputError, NationalRow, layer_problems, loads_strict, read_table

HEADER = "key,label,value,unit,as_of,published,source,note\n"


def table(tmp_path, body: str):
    path = tmp_path / "national.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_good_table_is_read_with_typed_values(tmp_path):
    (row,) = read_table(table(tmp_path, "k,l,1.5,km2,2024,2025-01-02,https://x.org,\n"), NationalRow)
    assert (row.value, row.published) == (1.5, "2025-01-02")


def test_every_bad_cell_is_named_by_line_and_column(tmp_path):
    path = table(tmp_path, "k,l,nan,km2,,,https://x.org,\nk,l,1,km2,,2025-13-01,ftp://x,\n")
    with pytest.raises(InputError) as raised:
        read_table(path, NationalRow)
    assert raised.value.problems == [
        f"{path} line 2 column value: Input should be a finite number (got 'nan')",
        f"{path} line 3 column published: month must be in 1..12",
        f"{path} line 3 column source: 'ftp://x' is not the URL of a public page (http:// or https://)",
    ]


def test_a_message_lists_at_most_a_few_problems_and_counts_the_rest(tmp_path):
    path = table(tmp_path, "k,l,nan,km2,,,https://x.org,\n" * 100)
    with pytest.raises(InputError) as raised:
        read_table(path, NationalRow)
    lines = str(raised.value).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1 and lines[-1] == f"… and {100 - MAX_PROBLEMS} more problems"


def test_json_is_strict():
    with pytest.raises(ValueError, match="NaN is not a JSON number"):
        loads_strict('{"value": NaN}')
    with pytest.raises(ValueError, match="Infinity is not a JSON number"):
        loads_strict("[Infinity]")


def test_layer_records_are_checked_and_ids_unique(fixture_folder):
    sites = loads_strict((fixture_folder / "sites.geojson").read_bytes())
    assert layer_problems("sites.geojson", sites) == []
    sites["features"][1]["properties"]["id"] = sites["features"][0]["properties"]["id"]
    (problem,) = layer_problems("sites.geojson", sites)
    assert problem.endswith("duplicate id 'kuirektykol' (first in feature 0)")
