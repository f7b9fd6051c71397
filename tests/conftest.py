"""Fixtures shared by several test modules. Keep this small; module-specific fixtures stay in their module."""

from pathlib import Path

import pytest

from geo.layers import Layers, load_layers

# --- Fixture layers (tests/fixtures/README.md) --------------------------------------------------

FIXTURE_LAYERS = Path(__file__).parent / "fixtures" / "layers"


@pytest.fixture(scope="session")
def fixture_folder() -> Path:
    """The folder of fixture layers (what ``ATLAS_DATA_DIR`` points the app at in tests)."""
    return FIXTURE_LAYERS


@pytest.fixture(scope="session")
def fixture_layers() -> Layers:
    """The fixture layers, loaded once; tests must not modify them."""
    return load_layers(FIXTURE_LAYERS)
