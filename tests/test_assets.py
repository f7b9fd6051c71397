import json
import re
import tomllib
from pathlib import Path

import folium
import pytest
import xstatic.pkg.leaflet
from folium import plugins

from geo import assets

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def vendored(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("vendor")
    assets.vendor(dest)
    return dest


def local_path(url: str, dest: Path) -> Path:
    assert url.startswith(assets.URL_PREFIX + "/")
    return dest / url.removeprefix(assets.URL_PREFIX + "/")


def test_every_file_the_map_loads_is_vendored(vendored):
    for url in [*assets.JS.values(), *assets.CSS.values()]:
        path = local_path(url, vendored)
        assert path.is_file() and path.stat().st_size > 500, url


def test_vendor_returns_what_it_wrote(tmp_path):
    written = assets.vendor(tmp_path)
    assert sorted(written) == sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert assets.vendor(tmp_path) == written  # running it again is harmless


def test_every_image_a_stylesheet_refers_to_is_vendored(vendored):
    for url in assets.CSS.values():
        css = local_path(url, vendored)
        for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", css.read_text(encoding="utf-8")):
            if not ref.startswith(("data:", "#")):
                assert (css.parent / ref).is_file(), f"{css.name} needs {ref}"


def cdn_version(links, name: str) -> str:
    url = dict(links)[name]
    return re.search(r"(\d+\.\d+\.\d+)", url).group(1)


def test_versions_are_those_folium_expects():
    locked = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert locked["node_modules/leaflet.fullscreen"]["version"] == cdn_version(
        plugins.Fullscreen.default_js, "Control.Fullscreen.js"
    )
    assert cdn_version(folium.Map.default_js, "leaflet") == xstatic.pkg.leaflet.VERSION
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pinned.values()), "pin exact versions"


def test_vendored_leaflet_is_the_pinned_version(vendored):
    assert f'version="{xstatic.pkg.leaflet.VERSION}"' in (vendored / "leaflet" / "leaflet.js").read_text(
        encoding="utf-8"
    )


def test_localise_sets_instance_lists_and_drops_unused_libraries():
    fmap = assets.localise(folium.Map())
    assert fmap.default_js == [("leaflet", assets.JS["leaflet"])]
    assert fmap.default_css == [("leaflet_css", assets.CSS["leaflet_css"])]
    assert "jquery" in dict(folium.Map.default_js), "the class list is untouched"
    assert dict(folium.Map().default_js)["leaflet"].startswith("https://")


def test_localise_refuses_a_plugin_it_does_not_vendor():
    with pytest.raises(KeyError, match="Draw"):
        assets.localise(plugins.Draw())


def test_vendor_names_the_missing_install_step(tmp_path, monkeypatch):
    missing = tmp_path / "node_modules"
    monkeypatch.setattr(assets, "_NODE_MODULES", missing)
    monkeypatch.setattr(
        assets, "_FILES", ((missing / "leaflet.fullscreen", "Control.FullScreen.js", "fullscreen/x.js"),)
    )
    with pytest.raises(FileNotFoundError, match="npm ci"):
        assets.vendor(tmp_path / "out")


def test_streamlit_serves_the_static_folder():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert assets.STATIC_VENDOR == ROOT / "static" / "vendor"
    assert "static/vendor/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
