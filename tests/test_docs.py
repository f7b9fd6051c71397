import re
from pathlib import Path

import pytest

from geo.cli import parser
from geo.schema import FACT_FIELDS, KINDS, REGISTRY_COLUMNS, SITE_PROPERTIES, STATUSES

ROOT = Path(__file__).resolve().parents[1]
DATA_DOC = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def documented(name: str) -> bool:
    return re.search(rf"^\| [^|]*`{re.escape(name)}`", DATA_DOC, re.MULTILINE) is not None


@pytest.mark.parametrize("name", [*SITE_PROPERTIES, *FACT_FIELDS, *REGISTRY_COLUMNS])
def test_every_property_and_column_is_in_the_data_dictionary(name):
    assert documented(name), f"docs/data.md has no table row for `{name}`"


def test_every_kind_and_status_is_named_in_the_data_dictionary():
    for value in (*KINDS, *STATUSES):
        assert f"`{value}`" in DATA_DOC


def subcommands():
    action = next(a for a in parser()._actions if a.dest == "command")
    return action.choices


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_readme_shows_every_command_with_its_options(command):
    assert f"python -m geo {command}" in README
    options = [opt for a in subcommands()[command]._actions for opt in a.option_strings if opt.startswith("--")]
    for option in options:
        if option != "--help":
            assert option in README, f"README does not mention {command} {option}"


def test_readme_commands_exist():
    for script in ("scripts/start", "scripts/test"):
        assert f"{script} " in README
        assert (ROOT / script).is_file()
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
