"""The command line: ``python -m geo build | check | stats | evaluate | assets``, one command per batch job."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.check import check_layers
from geo.output import OutputError
from geo.pipeline import DATA_DIR, build, write_layers
from geo.registry import RegistryError

__all__ = ["main"]

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("data/geojson")


def _build(args: argparse.Namespace) -> int:
    """Rebuild every layer; exit 1 when an article could not be read (the rest is still built)."""
    try:
        report = build(args.seeds, args.data)
        notes = write_layers(report.files, args.out)
    except (RegistryError, OutputError, ValueError, FileNotFoundError) as error:
        print(f"build stopped:\n{error}", file=sys.stderr)
        return 2
    print("\n".join([report.summary(), *notes]))
    print(f"wrote {', '.join(sorted(report.files))} to {args.out}")
    return 0 if report.ok else 1


def _check(args: argparse.Namespace) -> int:
    """Validate a layer folder; print each problem; exit 1 if there are any."""
    problems = check_layers(args.folder)
    for problem in problems:
        print(problem)
    print(f"{args.folder}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def _stats(args: argparse.Namespace) -> int:
    """Print the national figures and the per-region table of a layer folder."""
    from geo.layers import load_layers
    from geo.stats import region_table

    try:
        layers = load_layers(args.folder)
    except (FileNotFoundError, ValueError) as error:
        print(f"cannot read the layers:\n{error}", file=sys.stderr)
        return 2
    print(json.dumps(layers.stats.get("programme"), ensure_ascii=False, indent=1, allow_nan=False))
    table = region_table(layers.sites, layers.regions, layers.survey_areas)
    print(table.to_string(index=False))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    """Run discovery on a labelled set of articles and print recall, precision and location errors."""
    from geo.evaluate import evaluate, read_key
    from geo.pipeline import analyse
    from geo.sources import read_documents

    documents, problems = read_documents(args.articles)
    for problem in problems:
        print(f"unreadable: {problem}", file=sys.stderr)
    analysis = analyse(documents, args.data)
    print(evaluate(read_key(args.key), analysis.sites, analysis.extraction).report())
    return 1 if problems else 0


def _assets(args: argparse.Namespace) -> int:
    """Copy the map's JavaScript and CSS from installed packages into the static folder."""
    from geo.assets import vendor

    for path in vendor(args.dest):
        print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so tests can compare its help with the README)."""
    main_parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    commands = main_parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="rebuild the layers from the articles and the registry")
    build_cmd.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of articles (default: seeds)")
    build_cmd.add_argument("--out", type=Path, default=DEFAULT_OUT, help="layer folder (default: data/geojson)")
    build_cmd.add_argument("--data", type=Path, default=DATA_DIR, help="curated data folder (default: data)")
    build_cmd.set_defaults(run=_build)
    check_cmd = commands.add_parser("check", help="validate a layer folder")
    check_cmd.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT, help="default: data/geojson")
    check_cmd.set_defaults(run=_check)
    stats_cmd = commands.add_parser("stats", help="print the survey statistics of a layer folder")
    stats_cmd.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT, help="default: data/geojson")
    stats_cmd.set_defaults(run=_stats)
    evaluate_cmd = commands.add_parser("evaluate", help="measure site discovery against a labelled set")
    evaluate_cmd.add_argument("key", type=Path, help="answer key CSV (see eval/README.md)")
    evaluate_cmd.add_argument("articles", type=Path, help="folder of the labelled articles")
    evaluate_cmd.add_argument("--data", type=Path, default=DATA_DIR, help="curated data folder (default: data)")
    evaluate_cmd.set_defaults(run=_evaluate)
    assets_cmd = commands.add_parser("assets", help="vendor the map's JavaScript/CSS for offline use")
    assets_cmd.add_argument("--dest", type=Path, default=Path("static/vendor"), help="default: static/vendor")
    assets_cmd.set_defaults(run=_assets)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    args = parser().parse_args(argv)
    return args.run(args)
