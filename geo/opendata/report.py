"""What the open-data stage did, for people: the merge table (``site_records.csv``) and the build summary lines."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from geo.opendata import CITATIONS
from geo.opendata.records import FLAGS, SourceRecord
from geo.opendata.resolve import Resolution
from geo.opendata.sites import SiteBuild
from geo.spreadsheet import safe_cell

__all__ = ["MERGE_COLUMNS", "dataset_credits", "merge_table", "open_data_summary"]

#: Columns of ``site_records.csv``: one ``member`` row per record, one row per link taken or refused.
MERGE_COLUMNS: tuple[str, ...] = ("decision", "site_id", "record", "other", "rule", "name_score", "distance_km", "note")


def dataset_credits(records: Sequence[SourceRecord]) -> list[str]:
    """The credit each open dataset used asks for, with its licence, in the order of :data:`CITATIONS`."""
    licences = {record.dataset: record.licence for record in records}
    return [f"Data: {CITATIONS[key]} Licence: {licences[key]}." for key in CITATIONS if key in licences]


def merge_table(resolution: Resolution | None, built: SiteBuild | None) -> bytes:
    """``site_records.csv``: which records form which site (``member``), by which links, what was refused or set aside.

    With no open data (both None) the table has its header only, so the layer folder always has the same files.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=MERGE_COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    if resolution is None or built is None:
        return buffer.getvalue().encode("utf-8")
    rows = [{"decision": "member", "site_id": site_id, "record": key} for key, site_id in sorted(built.site_of.items())]
    for link in resolution.links:
        rows.append(
            {
                "decision": "link" if link.taken else "refused",
                "site_id": built.site_of.get(link.a, link.a.removeprefix("registry:")),
                "record": link.a,
                "other": link.b,
                "rule": link.rule,
                "name_score": f"{link.score:.0f}",
                "distance_km": "" if link.distance_km is None else f"{link.distance_km:.1f}",
                "note": link.note,
            }
        )
    rows += [
        {"decision": "set_aside", "record": aside.record.key, "note": aside.reason}
        for aside in sorted(built.set_aside, key=lambda a: a.record.key)
    ]
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return buffer.getvalue().encode("utf-8")


def open_data_summary(records: Sequence[SourceRecord], resolution: Resolution, built: SiteBuild) -> list[str]:
    """Build-summary lines: where every record went (the counts add up to the rows read), each flag with its records."""
    counts = built.counts
    lines = [
        f"open data: {len(records)} records from {len({r.file for r in records})} files → "
        f"{counts['in_open_data_sites']} in {len(built.sites)} located open-data sites, "
        f"{counts['in_sites_with_no_point']} in {len(built.unplaced)} sites with no point, "
        f"{counts['in_curated_sites']} joined to curated sites, {counts['set_aside']} set aside "
        f"(total {counts['records']})"
    ]
    rules = Counter(link.rule for link in resolution.links if link.taken)
    refused = sum(not link.taken for link in resolution.links)
    lines.append(
        "merge links: " + ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items())) + f"; refused {refused}"
    )
    for flag, meaning in FLAGS.items():
        flagged = [r.key for r in records if flag in r.flags]
        if flagged:
            lines.append(f"flag {flag} ({meaning}): {len(flagged)}: {', '.join(flagged)}")
    disagree = [site.id for site in built.sites if "points_disagree" in site.flags]
    if disagree:
        lines.append(f"sources disagree on the point (radius widened to cover them): {', '.join(disagree)}")
    lines += [
        f"set aside: {aside.record.key} ({aside.record.name or 'unnamed'}): {aside.reason}" for aside in built.set_aside
    ]
    return lines
