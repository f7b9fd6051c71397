import doctest

from geo import numbers
from geo.numbers import format_number, format_quantity


def test_docstring_examples():
    assert doctest.testmod(numbers).attempted and not doctest.testmod(numbers).failed


def test_one_way_of_writing_numbers():
    assert format_number(float("nan")) == "–"
    assert format_number(-2.5e6) == "-2.5 million"
    assert format_quantity(38, "deposits") == "38 deposits" and format_quantity(5, "") == "5"
