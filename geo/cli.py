"""The command line: ``python -m geo build | check | stats | evaluate | add | synth | assets``: one command a job."""

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
#: Where the open datasets live beside a checkout (``../shared/open-data``); used when it exists.
DEFAULT_OPEN_DATA = Path("../shared/open-data")


def _open_data_folder(given: Path | None) -> Path | None:
    """The open-data folder to read: the one given (which must exist), else the default when it exists, else none."""
    if given is not None:
        if not given.is_dir():
            raise FileNotFoundError(f"--open-data {given}: no such folder")
        return given
    return DEFAULT_OPEN_DATA if DEFAULT_OPEN_DATA.is_dir() else None


def _build(args: argparse.Namespace) -> int:
    """Rebuild every layer; exit 1 when an article could not be read (the rest is still built)."""
    try:
        report = build(args.seeds, args.data, _open_data_folder(args.open_data))
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
    """Run the reader on a labelled set of articles and print recall, precision and location errors.

    A ``.yaml`` key goes with a folder of ``.md`` articles with front matter (news-dev), a
    ``.csv`` key with a folder of ``.txt`` pages (eval/).
    """
    from geo.evaluate import evaluate, load_key, missing_articles
    from geo.pipeline import analyse
    from geo.sources import read_articles, read_documents

    try:
        key = load_key(args.key)
    except (ValueError, OSError) as error:
        print(f"evaluate stopped: {error}", file=sys.stderr)
        return 2
    reader = read_articles if args.key.suffix.lower() in (".yaml", ".yml") else read_documents
    documents, problems = reader(args.articles)
    for problem in problems:
        print(f"unreadable: {problem}", file=sys.stderr)
    missing = missing_articles(key, documents)
    if missing and len(missing) == len(key.articles):
        print(f"evaluate stopped: none of the key's {len(missing)} articles is in {args.articles}", file=sys.stderr)
        return 2
    if missing:
        print(f"not read: {len(missing)} of the key's articles: {', '.join(missing)}", file=sys.stderr)
    open_data = _open_data_folder(args.open_data) if args.open_data else None
    analysis = analyse(documents, args.data, open_data)
    print(evaluate(key, analysis.sites, analysis.extraction, documents, analysis.unlocated).report())
    return 1 if problems or missing else 0


def _add(args: argparse.Namespace) -> int:
    """Keep an article: save it into the seeds folder with its metadata row and rebuild; nothing written on error."""
    from geo.keep import keep_article

    try:
        data = args.file.read_bytes()
        kept = keep_article(
            data,
            title=args.title,
            outlet=args.outlet,
            published=args.date,
            url=args.url,
            seeds=args.seeds,
            out=args.out,
            data_dir=args.data,
            open_data=_open_data_folder(args.open_data),
        )
    except (ValueError, OutputError, OSError) as error:
        print(f"add stopped, nothing written:\n{error}", file=sys.stderr)
        return 2
    print("\n".join([kept.report.summary(), *kept.notes]))
    print(f"kept {args.file} as {args.seeds / kept.file}; rebuilt {args.out}")
    return 0


def _assets(args: argparse.Namespace) -> int:
    """Copy the map's JavaScript and CSS from installed packages into the static folder."""
    from geo.assets import vendor

    for path in vendor(args.dest):
        print(path)
    return 0


def _synth(args: argparse.Namespace) -> int:
    """Write synthetic layers (labelled synthetic) of ``--n`` sites for the benchmark."""
    from geo.synth import synthesise

    print(f"wrote {args.n:,} synthetic sites to {synthesise(args.source, args.out, args.n)}")
    return 0


def _open_data_option(command: argparse.ArgumentParser) -> None:
    """The ``--open-data`` option of the commands that build layers (build, add)."""
    command.add_argument(
        "--open-data",
        type=Path,
        default=None,
        help="folder of open datasets (default: ../shared/open-data when it exists)",
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so tests can compare its help with the README)."""
    main_parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    commands = main_parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="rebuild the layers from the articles and the registry")
    build_cmd.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of articles (default: seeds)")
    build_cmd.add_argument("--out", type=Path, default=DEFAULT_OUT, help="layer folder (default: data/geojson)")
    build_cmd.add_argument("--data", type=Path, default=DATA_DIR, help="curated data folder (default: data)")
    _open_data_option(build_cmd)
    build_cmd.set_defaults(run=_build)
    check_cmd = commands.add_parser("check", help="validate a layer folder")
    check_cmd.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT, help="default: data/geojson")
    check_cmd.set_defaults(run=_check)
    stats_cmd = commands.add_parser("stats", help="print the survey statistics of a layer folder")
    stats_cmd.add_argument("folder", type=Path, nargs="?", default=DEFAULT_OUT, help="default: data/geojson")
    stats_cmd.set_defaults(run=_stats)
    evaluate_cmd = commands.add_parser("evaluate", help="measure site discovery against a labelled set")
    evaluate_cmd.add_argument("key", type=Path, help="answer key: .csv (eval/README.md) or .yaml (news-dev)")
    evaluate_cmd.add_argument("articles", type=Path, help="folder of the labelled articles (.md ones for a .yaml key)")
    evaluate_cmd.add_argument("--data", type=Path, default=DATA_DIR, help="curated data folder (default: data)")
    evaluate_cmd.add_argument(
        "--open-data", type=Path, default=None, help="also link names to the open-data sites of this folder"
    )
    evaluate_cmd.set_defaults(run=_evaluate)
    add_cmd = commands.add_parser("add", help="keep an article: save it into the seeds with its metadata and rebuild")
    add_cmd.add_argument("file", type=Path, help="the article, a UTF-8 text file (a saved page is kept verbatim)")
    add_cmd.add_argument("--title", default="", help="its headline")
    add_cmd.add_argument("--outlet", default="", help="who published it")
    add_cmd.add_argument("--date", default="", help="publication date, YYYY-MM-DD")
    add_cmd.add_argument("--url", default="", help="its public address (http:// or https://)")
    add_cmd.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of articles (default: seeds)")
    add_cmd.add_argument("--out", type=Path, default=DEFAULT_OUT, help="layer folder (default: data/geojson)")
    add_cmd.add_argument("--data", type=Path, default=DATA_DIR, help="curated data folder (default: data)")
    _open_data_option(add_cmd)
    add_cmd.set_defaults(run=_add)
    assets_cmd = commands.add_parser("assets", help="vendor the map's JavaScript/CSS for offline use")
    assets_cmd.add_argument("--dest", type=Path, default=Path("static/vendor"), help="default: static/vendor")
    assets_cmd.set_defaults(run=_assets)
    synth_cmd = commands.add_parser("synth", help="write synthetic layers of N sites (for the benchmark)")
    synth_cmd.add_argument("--n", type=int, required=True, help="number of synthetic sites")
    synth_cmd.add_argument("--out", type=Path, required=True, help="layer folder to write")
    synth_cmd.add_argument("--source", type=Path, default=DEFAULT_OUT, help="layers copied (default: data/geojson)")
    synth_cmd.set_defaults(run=_synth)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    args = parser().parse_args(argv)
    return args.run(args)
