"""The map's JavaScript and CSS, vendored from installed packages so the map draws offline.

folium and its plugins load Leaflet and the plugins from CDNs. ``vendor`` copies the same
files from the PyPI package XStatic-Leaflet and from the npm packages pinned in
``package-lock.json`` into ``static/vendor/``, which Streamlit serves at
``/app/static/vendor/`` (``enableStaticServing``); ``localise`` points a folium element at
those copies.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import xstatic.pkg.leaflet
from folium.elements import JSCSSMixin

__all__ = ["CSS", "JS", "STATIC_VENDOR", "UNUSED", "URL_PREFIX", "localise", "vendor"]

_ROOT = Path(__file__).resolve().parent.parent

#: Where ``vendor`` writes by default: ``static/`` beside ``streamlit_app.py``.
STATIC_VENDOR = _ROOT / "static" / "vendor"

#: The URL Streamlit serves ``static/vendor/`` at.
URL_PREFIX = "/app/static/vendor"

_NODE_MODULES = _ROOT / "node_modules"

#: Files to copy: (source folder, path inside it, path under ``static/vendor/``).
#: A folder path copies the whole folder (images a stylesheet refers to).
_FILES: tuple[tuple[Path, str, str], ...] = (
    (Path(xstatic.pkg.leaflet.BASE_DIR), "leaflet.js", "leaflet/leaflet.js"),
    (Path(xstatic.pkg.leaflet.BASE_DIR), "leaflet.css", "leaflet/leaflet.css"),
    (Path(xstatic.pkg.leaflet.BASE_DIR), "images", "leaflet/images"),
    (_NODE_MODULES / "leaflet.fullscreen", "Control.FullScreen.js", "fullscreen/Control.FullScreen.js"),
    (_NODE_MODULES / "leaflet.fullscreen", "Control.FullScreen.css", "fullscreen/Control.FullScreen.css"),
    (_NODE_MODULES / "leaflet.fullscreen", "icon-fullscreen.svg", "fullscreen/icon-fullscreen.svg"),
)

#: Local URL of every script the map uses, keyed by folium's resource name.
JS: dict[str, str] = {
    "leaflet": f"{URL_PREFIX}/leaflet/leaflet.js",
    "Control.Fullscreen.js": f"{URL_PREFIX}/fullscreen/Control.FullScreen.js",
}

#: Local URL of every stylesheet the map uses, keyed by folium's resource name.
CSS: dict[str, str] = {
    "leaflet_css": f"{URL_PREFIX}/leaflet/leaflet.css",
    "Control.FullScreen.css": f"{URL_PREFIX}/fullscreen/Control.FullScreen.css",
}

#: Resources folium's Map lists that the atlas map never uses (no awesome-markers, no
#: Bootstrap popups, no jQuery), so they are not loaded at all.
UNUSED: frozenset[str] = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)


def vendor(dest: Path = STATIC_VENDOR) -> list[Path]:
    """Copy every file the map loads into ``dest``, replacing older copies; return the files written.

    Raises ``FileNotFoundError`` naming the install step when a package is missing.
    """
    dest = Path(dest)
    written: list[Path] = []
    for folder, inside, target in _FILES:
        source = folder / inside
        if not source.exists():
            step = "npm ci" if _NODE_MODULES in source.parents else "pip install -r requirements.txt"
            raise FileNotFoundError(f"{source} is missing: run `{step}` first")
        out = dest / target
        out.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, out, dirs_exist_ok=True)
            written.extend(sorted(p for p in out.rglob("*") if p.is_file()))
        else:
            shutil.copyfile(source, out)
            written.append(out)
    return written


def _local(links: Sequence[tuple[str, str]], urls: dict[str, str], element: str) -> list[tuple[str, str]]:
    """Map folium's (name, CDN URL) pairs to local URLs, dropping ``UNUSED`` ones."""
    unknown = [name for name, _ in links if name not in urls and name not in UNUSED]
    if unknown:
        raise KeyError(f"{element} loads {unknown} from a CDN and geo.assets does not vendor it")
    return [(name, urls[name]) for name, _ in links if name in urls]


def localise(element: JSCSSMixin) -> JSCSSMixin:
    """Point a folium map or plugin at the vendored files; return it.

    Sets ``default_js``/``default_css`` on the instance: the class attributes are lists
    shared by every instance (and by other apps in the same process), so they stay as they are.
    """
    kind = type(element)
    element.default_js = _local(kind.default_js, JS, kind.__name__)
    element.default_css = _local(kind.default_css, CSS, kind.__name__)
    return element
