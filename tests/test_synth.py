"""Synthetic benchmark layers: loadable like built ones, labelled synthetic, sites inside the country."""

from geo.cli import main
from geo.layers import load_layers
from geo.regions import regions_at
from geo.synth import SYNTHETIC_NOTE


def test_synth_writes_loadable_layers_labelled_synthetic(fixture_folder, tmp_path, capsys):
    assert main(["synth", "--n", "60", "--out", str(tmp_path), "--source", str(fixture_folder)]) == 0
    assert "60 synthetic sites" in capsys.readouterr().out
    layers = load_layers(tmp_path)
    sites = layers.sites
    assert len(sites) == 60 and sites["id"].is_unique and sites["id"].str.startswith("synthetic-").all()
    assert sites["name"].str.contains("synthetic").all()
    assert layers.stats["credits"][0] == SYNTHETIC_NOTE
    found, _ = regions_at(sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy())
    assert all(name is not None for name in found)
    assert set(sites["kind"]) <= set(load_layers(fixture_folder).sites["kind"])
