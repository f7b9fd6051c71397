import re
from pathlib import Path

import pytest

from geo.extract import extract
from geo.sources import (
    MAX_BYTES,
    Document,
    is_heading,
    read_article_file,
    read_articles,
    read_documents,
    split_sentences,
    strip_clutter,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seed_documents():
    documents, problems = read_documents(SEEDS)
    assert problems == []
    return {doc.id: doc for doc in documents}


def test_ticker_lines_and_repeats_are_dropped():
    page = "\n".join(["  • KZT/USD = 0.00196 0%", "  • TJS/USD = 0.10769 -0.37%"] * 4 + ["", "Real text here."])
    assert [line for line in strip_clutter(page) if line] == ["Real text here."]


def test_everything_after_latest_news_is_dropped():
    page = "Body sentence.\nOriginal Author: Someone\nLatest news\n- Baimsky project news\n- More"
    assert [line for line in strip_clutter(page) if line] == ["Body sentence."]


def test_author_blurb_protected_notice_and_photo_credit_are_dropped():
    page = (
        "Photo: Orda\nText one.\n\nDmitry Pokidaev\n\nDmitry Pokidaev\n\n"
        "Dmitry Pokidaev is a journalist based in Astana, Kazakhstan.\nerror: Content is protected !!"
    )
    assert [line for line in strip_clutter(page) if line] == ["Text one."]


def test_sentences_keep_decimals_and_abbreviations():
    text = "It holds 28.2 million tons. U.S. trade tariffs apply. Work began in 2022."
    assert split_sentences(text) == ["It holds 28.2 million tons.", "U.S. trade tariffs apply.", "Work began in 2022."]


def test_headings_are_short_and_unpunctuated():
    assert is_heading("Regional Potential Expands")
    assert not is_heading("Exploration work began in 2022.")


def test_listing_page_is_split_into_its_articles(seed_documents):
    items = [doc for doc in seed_documents.values() if doc.file == "003_413ce00ee0b7452c.txt"]
    assert [doc.item for doc in items] == [1, 2, 3, 4]
    assert items[1].title == "Kuirektykol Deposit May Elevate Kazakhstan to Global Leader in Rare-Earth Reserves"
    assert items[1].id == "003_413ce00ee0b7452c.txt#2"
    assert items[2].sentences[1].startswith("Kazakhstan’s national mining company, Tau-Ken Samruk")


def test_seed_clutter_never_reaches_the_text(seed_documents):
    text = "\n".join(doc.text for doc in seed_documents.values())
    for clutter in ("KZT/USD", "Latest news", "Baimsky", "Content is protected", "Related posts", "is a journalist"):
        assert clutter not in text
    assert "Kuirektykol" in text


def test_metadata_sidecar_gives_titles_dates_and_urls(seed_documents):
    doc = seed_documents["002_0ad9be908612bcb9.txt"]
    assert doc.published == "2025-09-05"
    assert doc.outlet == "The Times of Central Asia"
    assert doc.url.startswith("https://")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("latin1.txt", "Kazakhstan’s déposit".encode("cp1252"), "not UTF-8"),
        ("huge.txt", b"word " * (MAX_BYTES // 5 + 1), "too large"),
        ("clutter.txt", b"  \xe2\x80\xa2 KZT/USD = 0.00196 0%\nLatest news\n- a\n", "no article text"),
    ],
)
def test_bad_file_is_reported_by_name_and_the_rest_still_read(tmp_path, name, content, message):
    (tmp_path / "good.txt").write_text("The Kuirektykol deposit holds 28.2 million tons.\n", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    documents, problems = read_documents(tmp_path)
    assert [doc.file for doc in documents] == ["good.txt"]
    assert len(problems) == 1
    assert problems[0].file == name
    assert message in str(problems[0])
    assert str(problems[0]).startswith(f"{name}: ")


def test_malformed_metadata_row_is_named(tmp_path):
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "file,item,title,outlet,published,url\na.txt,1,T,O,5 Sept 2025,\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"metadata.csv line 2 column published: Invalid isoformat string"):
        read_documents(tmp_path)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a.txt,x,T,O,,", "line 2 column item"),
        ("a.txt,1,T,O,,javascript:alert(1)", "line 2 column url: 'javascript:alert(1)' is not the URL"),
        ("a.txt,1,T,O,,\na.txt,1,T2,O,,", "line 3: duplicate 'a.txt#1'"),
    ],
)
def test_every_metadata_cell_is_checked(tmp_path, row, message):
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(f"file,item,title,outlet,published,url\n{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        read_documents(tmp_path)


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        read_documents(tmp_path / "nope")


# --- Articles with YAML front matter (the news-dev format); made-up text only. ---

FRONT = (
    '---\ntitle: "Made-up headline"\noutlet: "Example Wire"\nurl: "https://example.org/a"\n'
    "date: 2024-05-06\nlang: ru\n---\n"
)


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_gives_the_metadata_and_the_language(tmp_path):
    write_article(tmp_path, "001.md", FRONT + "\nПервое предложение о руднике. Второе предложение.\n\nЕщё абзац.\n")
    documents, problems = read_articles(tmp_path)
    assert problems == []
    (doc,) = documents
    assert (doc.file, doc.item, doc.id) == ("001.md", 1, "001.md")
    assert (doc.title, doc.outlet, doc.url, doc.published, doc.lang) == (
        "Made-up headline",
        "Example Wire",
        "https://example.org/a",
        "2024-05-06",
        "ru",
    )
    assert doc.sentences == ("Первое предложение о руднике.", "Второе предложение.", "Ещё абзац.")


def test_the_article_text_is_cleaned_like_a_saved_page(tmp_path):
    ticker = "• KZT/USD = 0.00196 0%\n" * 3
    body = f"{ticker}\nThe Foo deposit is made up.\n\nLatest news\n- Another story\n"
    write_article(tmp_path, "002.md", FRONT.replace("date: 2024-05-06", "date: null") + "\n" + body)
    (doc,), _ = read_articles(tmp_path)
    assert doc.sentences == ("The Foo deposit is made up.",)
    assert doc.published is None


def test_a_document_without_a_language_has_none():
    assert Document("a.txt", 1, "", "", None, "", ("x",)).lang is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("No front matter at all.\n", "must start with a '---' line"),
        ("---\ntitle: x\n\nText never closed.\n", "not closed"),
        ("---\ntitle: [unclosed\n---\n\nText.\n", "not valid YAML"),
        ("---\n- a list\n---\n\nText.\n", "not a set of 'key: value' lines"),
        ('---\ntitle: "t"\noutlet: "o"\n---\n\nText.\n', "lacks url, date, lang"),
        (FRONT.replace("2024-05-06", "May 2024") + "\nText.\n", "is not YYYY-MM-DD"),
        (FRONT + "\n\n", "no article text"),
    ],
)
def test_bad_front_matter_is_a_problem_naming_the_file(tmp_path, text, reason):
    write_article(tmp_path, "bad.md", text)
    write_article(tmp_path, "good.md", FRONT + "\nA fine made-up sentence.\n")
    documents, problems = read_articles(tmp_path)
    assert [doc.file for doc in documents] == ["good.md"]
    assert [problem.file for problem in problems] == ["bad.md"]
    assert reason in problems[0].message
    assert str(problems[0]).startswith("bad.md: ")


def test_read_article_file_raises_for_a_bad_file(tmp_path):
    with pytest.raises(ValueError, match="front matter"):
        read_article_file(write_article(tmp_path, "x.md", "plain text\n"))


def test_an_over_long_sentence_is_cut_at_word_boundaries(tmp_path):
    from geo.sources import MAX_SENTENCE

    (tmp_path / "long.txt").write_text("Title\n\n" + "Koktenkol lies near Agadyr, " * 3000 + ".\n", encoding="utf-8")
    (document,), problems = read_documents(tmp_path)
    assert problems == []
    assert max(len(sentence) for sentence in document.sentences) <= MAX_SENTENCE
    assert " ".join(document.sentences[1:]).count("Koktenkol") == 3000
    assert document.cut == 1


def test_the_build_says_which_article_had_sentences_cut(tmp_path):
    from geo.pipeline import BuildReport
    from geo.sources import MAX_SENTENCE

    (tmp_path / "long.txt").write_text("Title\n\n" + "word " * 3000 + ".\n\nShort one.\n", encoding="utf-8")
    documents, _ = read_documents(tmp_path)
    summary = BuildReport(documents, [], [], extract(documents, [])).summary()
    assert f"cut: long.txt: 1 sentence(s) over {MAX_SENTENCE:,} characters cut at word boundaries" in summary


def test_a_double_spaced_dump_reads_its_wrapped_lines_as_one_sentence(tmp_path):
    lines = [
        "Tin.—The country had been mining the Foobar",
        "tin deposit in the far west, which was one",
        "of the three tin deposits of the region.",
        "Work there stopped in 1992 and the pit was",
        "flooded by the river.",
        "A Short Heading",
        "The next paragraph starts here.",
    ]
    write_article(tmp_path, "003.md", FRONT + "\n" + "\n\n".join(lines) + "\n")
    (doc,), _ = read_articles(tmp_path)
    assert doc.sentences[0] == (
        "Tin.—The country had been mining the Foobar tin deposit in the far west, which was one of the three tin "
        "deposits of the region."
    )
    assert doc.sentences[1:] == (
        "Work there stopped in 1992 and the pit was flooded by the river.",
        "A Short Heading",
        "The next paragraph starts here.",
    )


def test_paragraphs_a_blank_line_apart_stay_apart_when_the_text_is_not_a_dump(tmp_path):
    body = "The Foo deposit is made up\n\nand this line is a paragraph of its own.\n\nSo is this.\n"
    write_article(tmp_path, "004.md", FRONT + "\n" + body)
    (doc,), _ = read_articles(tmp_path)
    assert doc.sentences == ("The Foo deposit is made up", "and this line is a paragraph of its own.", "So is this.")
