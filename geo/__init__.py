"""An atlas of Kazakhstan's critical-mineral sites: articles in, cited GeoJSON layers out.

The package is the pure core of the atlas; ``streamlit_app.py`` only wires it to widgets.
Data flows one way: :mod:`geo.sources` → :mod:`geo.extract` → :mod:`geo.pipeline`
(with :mod:`geo.registry`, :mod:`geo.regions`, :mod:`geo.survey`) → layers read back by
:mod:`geo.layers` for :mod:`geo.stats`, :mod:`geo.selection`, :mod:`geo.mapview` and
:mod:`geo.export`.
"""

from geo.check import check_layers
from geo.extract import extract
from geo.layers import load_layers
from geo.pipeline import build, write_layers
from geo.registry import read_registry
from geo.sources import read_documents
from geo.stats import commodity_table, region_table

__all__ = [
    "build",
    "check_layers",
    "commodity_table",
    "extract",
    "load_layers",
    "read_documents",
    "read_registry",
    "region_table",
    "write_layers",
]
