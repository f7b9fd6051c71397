"""Helpers of the open-data adapter tests: made-up source files, and the real folder when present."""

import csv
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "open-data"


@pytest.fixture
def write_source(tmp_path):
    """Write a source file as the real ones are: a note line, a header, rows."""

    def write(name, header, rows):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as file:
            file.write("# Source: made-up rows for a test. Skip this line.\n")
            writer = csv.writer(file)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def real_file():
    """The path of a real open-data file; the test is skipped where the shared folder is missing."""

    def find(name):
        path = REAL / name
        if not path.is_file():
            pytest.skip(f"{path} not available")
        return path

    return find
