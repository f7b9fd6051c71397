"""Reading in bounded time: the result or the error of a child, and a reading stopped when it never ends."""

import pytest

from geo.reading.bounded import ReadingTimeout, within
from geo.validation import InputError


def _forever() -> None:
    while True:
        pass


def _fail() -> None:
    raise ValueError("bad text")


def test_the_result_comes_back_from_the_child():
    assert within(60, sorted, [3, 1, 2], reverse=True) == [3, 2, 1]


def test_an_error_in_the_child_is_raised_in_the_caller():
    with pytest.raises(ValueError, match="bad text"):
        within(60, _fail)


def test_a_reading_that_never_ends_is_stopped():
    with pytest.raises(ReadingTimeout, match=r"stopped after 0\.5 s"):
        within(0.5, _forever)


def _refuse() -> None:
    raise InputError(["the article is too large", "bad date"])


def test_an_input_error_travels_back_with_its_problems():
    with pytest.raises(InputError) as raised:
        within(60, _refuse)
    assert raised.value.problems == ["the article is too large", "bad date"]
