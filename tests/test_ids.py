import pytest

from geo.ids import FALLBACK_ID, slug, unique_ids


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kuirektykol", "kuirektykol"),
        ("Куйректыколь", "kuirektykol"),
        ("Қарағанды", "karagandy"),
        ("★ ☆", FALLBACK_ID),
    ],
)
def test_ids_are_latin_slugs_in_any_script_and_never_empty(name, expected):
    assert slug(name) == expected


def test_ids_are_made_unique_against_taken_ones_and_each_other():
    assert unique_ids(["a", "a", "b", "a"], taken=["b"]) == ["a", "a-2", "b-2", "a-3"]
