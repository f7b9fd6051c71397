"""The load test's protocol client against a real app process: it is served the map as a browser is."""

import asyncio
import math
import sys
from pathlib import Path

import pytest
from appserver import free_port, start_app, stop

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import loadtest


@pytest.fixture(scope="module")
def app_url(fixture_folder, tmp_path_factory):
    process, url = start_app({"ATLAS_DATA_DIR": str(fixture_folder)}, tmp_path_factory.mktemp("log") / "app.log")
    yield url
    stop(process, seconds=30)


def test_a_protocol_session_gets_the_page_one_script_run_and_the_maps_payload(app_url):
    ((seconds, runs),) = asyncio.run(loadtest.clients_at_once(app_url, 1, bound=60))
    assert math.isfinite(seconds)
    assert runs == 1  # the page load made one script run, and no second one came within 2 s


def test_sessions_at_once_are_each_served(app_url):
    results = asyncio.run(loadtest.clients_at_once(app_url, 3, bound=60))
    assert len(results) == 3
    assert all(math.isfinite(seconds) and runs == 1 for seconds, runs in results)


def test_a_server_that_is_not_there_is_counted_as_not_served():
    ((seconds, runs),) = asyncio.run(loadtest.clients_at_once(f"http://127.0.0.1:{free_port()}", 1, bound=5))
    assert seconds == math.inf
    assert runs == 0
