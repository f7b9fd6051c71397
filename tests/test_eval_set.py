import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_labelled_set_is_consistent():
    """Names and phrases of the key occur in the articles, regions and points are valid."""
    result = subprocess.run([sys.executable, "eval/validate.py"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 articles, 30 key rows" in result.stdout
