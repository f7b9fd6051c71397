"""The YAML (news-dev) key, the matching rules, and the evaluate command on ../shared/news-dev.

Every fixture here is made up; the news-dev excerpts are third-party text and stay in the
shared folder.
"""

import re
from pathlib import Path

import pytest
import yaml

from geo.cli import main
from geo.evaluate import Key, KeyRow, evaluate, load_key, read_news_key
from geo.extract import Extraction, Mention
from geo.registry import Site, UnlocatedSite
from geo.sources import Document

ROOT = Path(__file__).resolve().parents[1]
NEWS_DEV = ROOT.parent / "shared" / "news-dev"
OPEN_DATA = ROOT.parent / "shared" / "open-data"

KEY_YAML = """\
'001':
  sites:
  - name: Zorgan deposit
    aliases_in_text: [Зорганское]
    canonical: zorgan
    kind: deposit
    commodities: [W]
    region: Karaganda Region
    region_source: text
    location_text: [30 km north of Nowhere]
    lat: 48.0
    lon: 73.0
    coord_source: made up
    precision_km: 5
    core: true
    name_given_in_text: true
  - name: a big made-up plant
    aliases_in_text: []
    region: null
    lat: null
    lon: null
    core: true
    name_given_in_text: false
  - name: Quxaly field
    aliases_in_text: []
    region: null
    lat: null
    lon: null
    core: false
    name_given_in_text: true
  not_sites: [Zorgan Holding, Plumtown]
'002':
  sites: []
  not_sites: []
"""


def write_key(tmp_path: Path, text: str = KEY_YAML) -> Path:
    path = tmp_path / "key.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def site(id_: str, name: str, lat: float = 48.1, lon: float = 73.0, region: str = "Karaganda Region", **kw) -> Site:
    return Site(id_, name, "deposit", region, lat, lon, "approximate", 20.0, "text", origin="extracted", **kw)


def mention(site_id: str, article: str, words: str = "w") -> Mention:
    return Mention(site_id, article, article, 1, "s", words)


def row(article: str, name: str, *aliases: str, core: bool = True, named: bool = True, region=None) -> KeyRow:
    return KeyRow(article, name, aliases, region, None, None, "", core, named)


def doc(file: str, lang: str | None) -> Document:
    return Document(file, 1, "", "", None, "", ("s",), lang)


def test_the_yaml_key_is_read_into_rows_not_sites_and_articles(tmp_path):
    key = read_news_key(write_key(tmp_path))
    assert key.articles == ("001.md", "002.md")
    zorgan, described, distractor = key.rows
    assert (zorgan.article, zorgan.name, zorgan.aliases) == ("001.md", "Zorgan deposit", ("Зорганское",))
    assert (zorgan.region, zorgan.lat, zorgan.lon, zorgan.relative) == ("Karaganda Region", 48.0, 73.0, True)
    assert zorgan.required and not described.required and not distractor.required
    assert (described.core, described.named, distractor.core, distractor.named) == (True, False, False, True)
    assert key.not_sites == {"001.md": ("Zorgan Holding", "Plumtown"), "002.md": ()}


def test_load_key_chooses_the_format_by_suffix(tmp_path):
    assert len(load_key(write_key(tmp_path)).rows) == 3
    csv_key = tmp_path / "key.csv"
    csv_key.write_text(
        "article,site_name,aliases,commodities,region,lat,lon,coord_source,location_phrase\n"
        "a.txt,Zorgan,Zorgan-1,W,Karaganda Region,48,73,,near X\n",
        encoding="utf-8",
    )
    (only,) = load_key(csv_key).rows
    assert (only.article, only.aliases, only.core, only.named) == ("a.txt", ("Zorgan-1",), True, True)
    with pytest.raises(ValueError, match="unknown key format"):
        load_key(tmp_path / "key.json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just a list\n", "mapping of article ids"),
        ("'001':\n  sites: {name: x}\n", "article 001"),
        ("'001':\n  sites:\n  - aliases_in_text: []\n", "article 001 site 1: a site needs at least a name"),
        ("'001':\n  sites:\n  - name: X\n    lat: north\n", "article 001 site 1 lat"),
        ("'001': [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_yaml_key_names_the_article_and_site(tmp_path, text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        read_news_key(write_key(tmp_path, text))


def test_an_alias_matches_and_core_false_and_described_sites_are_not_required(tmp_path):
    key = read_news_key(write_key(tmp_path))
    sites = [site("x-zorgan", "Зорганское"), site("x-quxaly", "Quxaly")]
    extraction = Extraction([mention("x-zorgan", "001.md"), mention("x-quxaly", "001.md")], [], [], [])
    result = evaluate(key, sites, extraction)
    assert (result.found, result.key_rows, result.misses) == (1, 1, [])
    assert (result.described_found, result.described, result.not_core) == (0, 1, 1)
    assert (result.correct_predictions, result.predictions, result.false_alarms) == (1, 1, [])
    assert result.region_accuracy == 1.0
    assert result.median_error_km == pytest.approx(11.1, abs=0.1)
    assert "described-only sites found: 0 of 1" in result.report()


def test_a_missing_core_false_site_is_no_miss(tmp_path):
    result = evaluate(read_news_key(write_key(tmp_path)), [], Extraction([], [], [], []))
    assert [r.name for r in result.misses] == ["Zorgan deposit"]


def test_not_sites_and_unknown_names_are_false_sites(tmp_path):
    key = read_news_key(write_key(tmp_path))
    sites = [site("x-holding", "Zorgan Holding"), site("x-plum", "Plumtown"), site("x-other", "Wibble")]
    extraction = Extraction([mention(s.id, "001.md") for s in sites] + [mention("x-other", "002.md")], [], [], [])
    result = evaluate(key, sites, extraction)
    assert (result.correct_predictions, result.predictions) == (0, 4)
    assert sorted(result.false_alarms) == [
        ("001.md", "Plumtown"),
        ("001.md", "Wibble"),
        ("001.md", "Zorgan Holding"),
        ("002.md", "Wibble"),
    ]
    assert result.known_false == {("001.md", "Plumtown"), ("001.md", "Zorgan Holding")}
    report = result.report()
    assert "false site: 001.md: Plumtown (a not_sites string)" in report
    assert "false site: 001.md: Wibble\n" in report


@pytest.mark.parametrize(
    ("key_name", "predicted"),
    [
        ("Zorgan graphite project", "Zorgan"),  # generic and commodity words dropped
        ("Zorgan", "Zorgan W"),  # a commodity symbol after the name
        ("Верхнее Зорганское", "Upper Zorgan"),  # script, direction word and adjectival ending
        ("Zhezkazgan", "Zhezkagan"),  # a slip of spelling
    ],
)
def test_names_match_whatever_their_spelling(key_name, predicted):
    sites = [site("x-1", predicted)]
    result = evaluate([row("a.md", key_name)], sites, Extraction([mention("x-1", "a.md")], [], [], []))
    assert result.found == 1, (key_name, predicted)


def test_different_names_do_not_match():
    sites = [site("x-n", "North Zorgan")]
    result = evaluate([row("a.md", "South Zorgan")], sites, Extraction([mention("x-n", "a.md")], [], [], []))
    assert result.found == 0 and result.false_alarms == [("a.md", "North Zorgan")]


def test_the_words_a_site_was_read_from_match_too():
    """A registry site mentioned by a name the key uses; the registry's region and point are used."""
    registry = Site("zorgan", "Zorgan Mining Complex", "mine", "Ulytau Region", 48.0, 67.0, "exact", 2.0, "r")
    extraction = Extraction([mention("zorgan", "a.md", words="Зорганский рудник")], [], [], [])
    key = [KeyRow("a.md", "Зорганский", (), "Ulytau Region", 48.0, 67.0, "", True, True)]
    result = evaluate(key, [registry], extraction)
    assert (result.found, result.region_correct, result.within_radius) == (1, 1, 1.0)
    assert result.errors_km[0][1] == pytest.approx(0.0)


def unlocated(id_: str, name: str, *aliases: str, origin: str = "extracted", source: str = "a.md") -> UnlocatedSite:
    return UnlocatedSite(id_, name, aliases, "deposit", (), "", "unknown", "not placed", source, origin)


def test_a_site_the_layers_keep_unlocated_is_found_but_not_placed_and_has_no_region():
    extraction = Extraction([], [], [], [mention("Zorgan", "a.md", words="Zorgan")])
    key = [KeyRow("a.md", "Zorgan deposit", (), "Karaganda Region", 48.0, 73.0, "", True, True)]
    result = evaluate(key, [], extraction, unlocated=[unlocated("x-zorgan", "Zorgan", origin="registry")])
    assert (result.found, result.correct_predictions, result.predictions) == (1, 1, 1)
    assert result.unplaced == [key[0]]
    assert (result.region_checked, result.region_correct, result.errors_km) == (1, 0, [])
    assert result.placed_recall == 0.0
    assert "found, not placed: a.md: Zorgan deposit" in result.report()
    assert "wrong region: a.md: Zorgan deposit: none (key: Karaganda Region)" in result.report()


def test_an_unlocated_name_the_key_does_not_hold_is_a_false_site():
    """A name the text gives but does not place is in the layers, so a wrong one costs precision."""
    result = evaluate([row("a.md", "Zorgan")], [], Extraction([], [], [], []), unlocated=[unlocated("x-open", "Open")])
    assert (result.found, result.predictions, result.false_alarms) == (0, 1, [("a.md", "Open")])


def test_a_placed_reading_of_a_site_wins_over_an_unlocated_one():
    extraction = Extraction([mention("x-z", "a.md")], [], [], [mention("Zorgan", "a.md", words="Zorgan")])
    key = [KeyRow("a.md", "Zorgan", (), "Karaganda Region", 48.0, 73.0, "", True, True)]
    result = evaluate(key, [site("x-z", "Zorgan")], extraction, unlocated=[unlocated("a-zorgan", "Zorgan")])
    assert (result.found, result.unplaced, result.region_correct) == (1, [], 1)


def test_a_second_record_of_a_found_site_is_counted_but_not_correct():
    """The layers hold the site twice (placed and unlocated): the placed one is right, the other a second record."""
    extraction = Extraction([mention("x-z", "a.md")], [], [], [mention("Zorgan", "a.md", words="Zorgan")])
    twice = [unlocated("a-z", "Zorgan")]
    result = evaluate([row("a.md", "Zorgan")], [site("x-z", "Zorgan")], extraction, unlocated=twice)
    assert (result.correct_predictions, result.predictions, result.duplicates) == (1, 2, [("a.md", "Zorgan")])
    assert "second record: a.md: Zorgan" in result.report()


def test_which_key_row_a_prediction_confirms_does_not_depend_on_the_rows_order():
    sites = [site("x-a", "Quxaly", aliases=("Zorgan",)), site("x-b", "Zorgan")]
    extraction = Extraction([mention("x-a", "a.md"), mention("x-b", "a.md")], [], [], [])
    for rows in ([row("a.md", "Zorgan"), row("a.md", "Quxaly")], [row("a.md", "Quxaly"), row("a.md", "Zorgan")]):
        result = evaluate(rows, sites, extraction)
        assert (result.correct_predictions, result.duplicates) == (2, [])


def test_a_key_name_with_a_bracketed_section_is_found_by_the_name_alone():
    key = [row("a.md", "Zorgan (уч. Quxaly)")]
    result = evaluate(key, [site("x-z", "Zorgan")], Extraction([mention("x-z", "a.md")], [], [], []))
    assert (result.found, result.false_alarms) == (1, [])


def test_figures_are_split_by_the_language_of_each_article():
    key = Key([row("en.md", "Zorgan"), row("ru.md", "Quxaly"), row("kk.md", "Wibble")], {}, ("en.md", "ru.md", "kk.md"))
    sites = [site("x-z", "Zorgan"), site("x-q", "Quxaly"), site("x-b", "Bogus")]
    extraction = Extraction([mention("x-z", "en.md"), mention("x-q", "ru.md"), mention("x-b", "ru.md")], [], [], [])
    documents = [doc("en.md", "en"), doc("ru.md", "ru"), doc("kk.md", "kk")]
    result = evaluate(key, sites, extraction, documents)
    assert (result.found, result.key_rows, result.correct_predictions, result.predictions) == (2, 3, 2, 3)
    parts = result.by_language
    assert sorted(parts) == ["en", "kk", "ru"]
    assert [(p.found, p.key_rows, p.correct_predictions, p.predictions) for p in parts.values()] == [
        (1, 1, 1, 1),
        (0, 1, 0, 0),
        (1, 1, 1, 2),
    ]
    assert parts["ru"].false_alarms == [("ru.md", "Bogus")]
    lines = result.report().splitlines()
    assert lines[lines.index("by language:") + 1].startswith("  en (1 articles): recall 1.00 (1 of 1, 1 placed)")


def test_without_languages_there_is_no_split():
    result = evaluate([row("a.md", "Zorgan")], [], Extraction([], [], [], []), [doc("a.md", None)])
    assert result.by_language == {} and "by language:" not in result.report()


def test_the_command_reports_every_section_on_news_dev(capsys):
    if not (NEWS_DEV / "key.yaml").is_file():
        pytest.skip("../shared/news-dev is not here")
    status = main(["evaluate", str(NEWS_DEV / "key.yaml"), str(NEWS_DEV / "articles")])
    out = capsys.readouterr().out
    assert status == 0
    labels = yaml.safe_load((NEWS_DEV / "key.yaml").read_text(encoding="utf-8"))
    rows = [s for article in labels.values() for s in article["sites"]]
    named = sum(s["core"] and s["name_given_in_text"] for s in rows)
    described = sum(s["core"] and not s["name_given_in_text"] for s in rows)
    langs = {
        line.split(":", 1)[1].strip()
        for path in (NEWS_DEV / "articles").glob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()[:7]
        if line.startswith("lang:")
    }
    assert langs == {"en", "ru", "kk"}

    lines = out.splitlines()
    assert lines[0] == (
        f"key: {len(rows)} sites in {len(labels)} articles ({named} named core, "
        f"{described} described only, {len(rows) - named - described} not core)"
    )
    for prefix in (
        "site recall:",
        "site precision:",
        "region accuracy:",
        "location error (",
        "inside stated radius:",
        "described-only sites found:",
        "by language:",
    ):
        assert any(line.startswith(prefix) for line in lines), prefix
    found, total = map(int, re.search(r"\((\d+) of (\d+) named sites\)", out).groups())
    misses = [line for line in lines if line.startswith("missed: ")]
    assert total == named and found + len(misses) == named
    correct, predictions = map(int, re.search(r"\((\d+) of (\d+) predictions\)", out).groups())
    false_sites = [line for line in lines if line.startswith(("false site: ", "second record: "))]
    assert correct + len(false_sites) == predictions

    per_language = {line.split()[0]: line for line in lines if re.match(r"  (en|ru|kk) \(", line)}
    assert sorted(per_language) == ["en", "kk", "ru"]
    recall = re.compile(r"recall [\d.]+ \((\d+) of (\d+), \d+ placed\)")
    parts = [recall.search(line).groups() for line in per_language.values()]
    assert sum(int(f) for f, _ in parts) == found and sum(int(t) for _, t in parts) == named
    articles = [int(re.search(r"\((\d+) articles\)", line).group(1)) for line in per_language.values()]
    assert sum(articles) == len(labels)


def test_a_site_discovered_in_an_article_is_reported_for_it_without_a_mention():
    """Discovery read 'Zorgan' from 'Зорганское месторождение'; extraction finds no token 'Zorgan' again."""
    discovered = site("x-zorgan", "Зорган", info_source="a.md; b.md")
    result = evaluate([row("a.md", "Зорганское")], [discovered], Extraction([], [], [], []))
    assert (result.found, result.correct_predictions, result.predictions) == (1, 1, 2)
    assert result.false_alarms == [("b.md", "Зорган")]


def test_news_dev_meets_the_targets(capsys):
    """Issue 8's targets on ../shared/news-dev, with a ratchet on what is already better than them.

    Recall counts the sites the layers keep without a location; the recall of placed sites is held too,
    so that placing cannot quietly fall back (0.92 overall, Russian 18 of 26).
    """
    if not (NEWS_DEV / "key.yaml").is_file() or not OPEN_DATA.is_dir():
        pytest.skip("../shared/news-dev or ../shared/open-data is not here")
    main(["evaluate", str(NEWS_DEV / "key.yaml"), str(NEWS_DEV / "articles"), "--open-data", str(OPEN_DATA)])
    lines = capsys.readouterr().out.splitlines()
    value = {line.split(":")[0]: float(line.split(":")[1].split()[0]) for line in lines if line.startswith("site ")}
    median = next(line for line in lines if line.startswith("location error (") and "key coordinates" in line)
    inside = next(line for line in lines if line.startswith("inside stated radius:"))
    placed = next(line for line in lines if line.startswith("found but not placed:"))
    assert value["site precision"] >= 0.95
    assert value["site recall"] >= 0.99
    assert float(placed.split("recall of placed sites ")[1].rstrip(")")) >= 0.92
    recall = {line.split()[0]: float(line.split("recall ")[1].split()[0]) for line in lines if " articles): " in line}
    assert recall["en"] >= 0.99 and recall["ru"] >= 0.96 and recall["kk"] >= 1.00
    ru = next(line for line in lines if line.startswith("  ru "))
    assert int(ru.split(" placed)")[0].split()[-1]) >= 18
    assert float(next(line for line in lines if line.startswith("region accuracy:")).split()[2]) >= 0.95
    assert float(median.split("median ")[1].split(" km")[0]) <= 4.0
    assert float(inside.split()[3]) >= 0.95


def test_a_found_site_in_another_region_than_the_key_is_listed():
    sites = [site("x-z", "Zorgan", region="Aktobe Region")]
    key = [row("a.md", "Zorgan", region="Karaganda Region")]
    result = evaluate(key, sites, Extraction([mention("x-z", "a.md")], [], [], []))
    assert (result.region_checked, result.region_correct) == (1, 0)
    assert "wrong region: a.md: Zorgan: Aktobe Region (key: Karaganda Region)" in result.report()


def test_only_the_articles_read_get_predictions():
    """A site's info_source may name documents of an earlier build; they are no articles of this evaluation."""
    placed = site("x-zorgan", "Zorgan", info_source="a.md; old_seed.txt; https://example.org/page")
    result = evaluate([row("a.md", "Zorgan")], [placed], Extraction([], [], [], []), [doc("a.md", "en")])
    assert (result.found, result.predictions, result.articles, result.false_alarms) == (1, 1, 1, [])


def test_a_folder_without_the_key_articles_stops_with_a_clear_error(tmp_path, capsys):
    key = tmp_path / "key.yaml"
    key.write_text(KEY_YAML, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    status = main(["evaluate", str(key), str(tmp_path / "articles")])
    assert status == 2
    assert "none of the key's 2 articles is in" in capsys.readouterr().err


def test_articles_the_key_names_but_the_folder_lacks_are_listed(tmp_path, capsys):
    key = tmp_path / "key.yaml"
    key.write_text(KEY_YAML, encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "001.md").write_text(
        "---\ntitle: T\noutlet: O\nurl: https://example.org/1\ndate: 2025-01-01\nlang: en\n---\nNothing here.\n",
        encoding="utf-8",
    )
    status = main(["evaluate", str(key), str(folder)])
    assert status == 1
    assert "not read: 1 of the key's articles: 002.md" in capsys.readouterr().err
