# Cases come from the sample page data/zhuzhou-daily-2021-04.txt (two pages of
# Zhuzhou Daily, April 2021), read by hand.  Every expected value lives in
# tests/golden/sample_articles.json, which was written by reading the page,
# never from program output.  Structural checks (tiling, offsets) are computed
# here from the file decoded with encoding="utf-8".
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import zzdata as zz

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
GOLDEN = json.loads((Path(__file__).resolve().parent / "golden" / "sample_articles.json").read_text(encoding="utf-8"))
TEXT = SAMPLE.read_text(encoding="utf-8")
GOLD_ARTICLES = GOLDEN["articles"]
IDS = [f"article{a['n']}" for a in GOLD_ARTICLES]

ARTICLE_COLUMNS = [
    "article_id", "source", "page_id", "publication_date", "is_date_inferred", "section",
    "kicker", "headline", "deck", "subheads", "byline", "reporters", "correspondents",
    "photographers", "body", "start", "end", "n_chars",
]
LAYOUT_COLUMNS = ["source", "page_id", "article_id", "start", "end", "role", "text"]
PAGE_COLUMNS = [
    "page_id", "source", "page_no", "page_code", "section", "editors", "art_editors",
    "proofreaders", "start", "end",
]
PROBLEM_COLUMNS = ["source", "line", "offset", "kind", "message"]
ROLES = {"headline", "kicker", "deck", "subhead", "byline", "body", "caption", "furniture", "blank"}


# ---------------------------------------------------------------- helpers

def names(value) -> list[str]:
    """'a|b' -> ['a', 'b']; '' -> []."""
    assert isinstance(value, str), f"expected a str, got {value!r}"
    return [] if value == "" else value.split("|")


def offset_of(s: str) -> int:
    """Offset of s in the sample text; s must occur exactly once."""
    assert TEXT.count(s) == 1, f"{s!r} should occur once in the sample, occurs {TEXT.count(s)} times"
    return TEXT.index(s)


def line_span(line_no: int) -> tuple[int, int]:
    """[start, end) of 1-based line line_no, without its terminator."""
    lines = TEXT.split("\n")
    start = sum(len(x) + 1 for x in lines[: line_no - 1])
    return start, start + len(lines[line_no - 1])


def rows_overlapping(layout: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    return layout[(layout["start"] < end) & (layout["end"] > start)]


def is_null(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def loaded():
    return zz.load(SAMPLE)


@pytest.fixture(scope="module")
def articles(loaded) -> pd.DataFrame:
    return loaded.articles.reset_index(drop=True)


@pytest.fixture(scope="module")
def layout(loaded) -> pd.DataFrame:
    return loaded.layout.sort_values("start", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def pages(loaded) -> pd.DataFrame:
    return loaded.pages.reset_index(drop=True)


def article(articles: pd.DataFrame, i: int) -> pd.Series:
    assert len(articles) == GOLDEN["n_articles"]
    return articles.iloc[i]


# ---------------------------------------------------------------- shape

def test_tables_have_contract_columns(loaded):
    for frame, columns in (
        (loaded.articles, ARTICLE_COLUMNS),
        (loaded.layout, LAYOUT_COLUMNS),
        (loaded.pages, PAGE_COLUMNS),
        (loaded.problems, PROBLEM_COLUMNS),
    ):
        assert isinstance(frame, pd.DataFrame)
        missing = [c for c in columns if c not in frame.columns]
        assert not missing, f"missing columns {missing}"


def test_seven_articles(articles):
    assert len(articles) == 7


def test_no_problems(loaded):
    assert len(loaded.problems) == 0, loaded.problems.to_dict("records")


def test_source_is_file_name(loaded):
    name = SAMPLE.name
    assert set(loaded.articles["source"]) == {name}
    assert set(loaded.layout["source"]) == {name}
    assert set(loaded.pages["source"]) == {name}


def test_load_accepts_str_path():
    again = zz.load(str(SAMPLE))
    assert len(again.articles) == 7


def test_articles_ordered_by_start_and_disjoint(articles):
    starts = [int(x) for x in articles["start"]]
    ends = [int(x) for x in articles["end"]]
    assert starts == sorted(starts)
    for s, e in zip(starts, ends):
        assert 0 <= s < e <= len(TEXT)
    for e, next_s in zip(ends, starts[1:]):
        assert e <= next_s, "articles overlap"
    # Nothing follows the last article's last sentence (the file has no trailing newline).
    assert ends[-1] == len(TEXT)


def test_column_types(articles):
    for col in ("article_id", "source", "section", "kicker", "headline", "deck", "subheads",
                "byline", "reporters", "correspondents", "photographers", "body"):
        for v in articles[col]:
            assert isinstance(v, str), f"{col}: {v!r} is not a str"
    for col in ("start", "end", "n_chars"):
        for v in articles[col]:
            assert int(v) == v
    for v in articles["is_date_inferred"]:
        assert v in (True, False) and not isinstance(v, str)


# ---------------------------------------------------------------- golden fields

@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_headline_kicker_deck(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    assert a["headline"] == g["headline"]
    assert a["kicker"] == g["kicker"]
    assert a["deck"] == g["deck"]


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_subheads(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    assert names(a["subheads"]) == g["subheads"]


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_byline_and_people(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    assert a["byline"] == g["byline"]
    assert names(a["reporters"]) == g["reporters"]
    assert names(a["correspondents"]) == g["correspondents"]
    assert names(a["photographers"]) == g["photographers"]


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_section(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    assert a["section"] == g["section"]


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_body_start_end_and_paragraphs(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    body = a["body"]
    assert body.startswith(g["body_starts_with"]), body[:60]
    assert body.endswith(g["body_ends_with"]), body[-60:]
    paragraphs = body.split("\n")
    assert len(paragraphs) == g["n_paragraphs"]
    for p in paragraphs:
        assert p != "" and p == p.strip(), f"empty or untrimmed paragraph {p!r}"
    assert int(a["n_chars"]) == len(body)


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_body_must_contain(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    for s in g["body_must_contain"]:
        assert s in a["body"], f"body lacks {s!r}"


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_body_must_not_contain(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    for s in g["body_must_not_contain"] + GOLDEN["never_in_any_body"]:
        assert s not in a["body"], f"body contains {s!r}"


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_byline_not_in_body(articles, i):
    a = article(articles, i)
    assert a["byline"] and a["byline"] not in a["body"]


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_article_span_contains_its_printed_parts(articles, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    start, end = int(a["start"]), int(a["end"])
    parts = [g["headline"], g["byline"], g["body_starts_with"], g["body_ends_with"]]
    if g["kicker"]:
        parts.append(g["kicker"] + "\n")
    for s in parts:
        at = offset_of(s)
        assert start <= at and at + len(s) <= end, f"{s!r} at {at} outside [{start}, {end})"


def test_captions_and_furniture_not_in_any_body(articles, layout):
    # From the layout table's roles ...
    captions = [t.strip() for t in layout.loc[layout["role"] == "caption", "text"] if t.strip()]
    furniture = [t.strip() for t in layout.loc[layout["role"] == "furniture", "text"] if t.strip()]
    # ... and from the hand-written list.
    captions += [c["text"] for c in GOLDEN["captions"]]
    furniture += [f["text"] for f in GOLDEN["furniture_lines"]]
    assert captions and furniture
    for body in articles["body"]:
        paragraphs = body.split("\n")
        for c in captions:
            assert c not in body
        for f in furniture:
            if len(f) >= 5:
                assert f not in body
            else:
                # Short labels such as 应急管理 are also words inside sentences
                # (市应急管理局); they must not stand as, or stick to, a paragraph.
                for p in paragraphs:
                    assert p != f and not p.startswith(f) and not p.endswith(f), p


# ---------------------------------------------------------------- layout

def test_layout_tiles_text_exactly(layout):
    starts = [int(x) for x in layout["start"]]
    ends = [int(x) for x in layout["end"]]
    assert starts[0] == 0
    for prev_end, s in zip(ends, starts[1:]):
        assert s == prev_end, f"gap or overlap at {prev_end}/{s}"
    assert ends[-1] == len(TEXT)
    assert all(s < e for s, e in zip(starts, ends)), "empty layout row"


def test_layout_text_matches_offsets(layout):
    for row in layout.itertuples():
        assert row.text == TEXT[int(row.start):int(row.end)]


def test_layout_roles_and_whitespace(layout):
    assert set(layout["role"]) <= ROLES
    for row in layout.itertuples():
        if row.role == "blank":
            assert row.text.strip() == "", f"non-blank text in a blank row: {row.text!r}"
        else:
            assert row.text == row.text.strip() and row.text, f"{row.role} row not trimmed: {row.text!r}"
            assert "\n" not in row.text and "\r" not in row.text


def test_layout_page_and_article_ids_exist(loaded, layout):
    assert set(layout["page_id"]) <= set(loaded.pages["page_id"])
    ids = set(loaded.articles["article_id"])
    for v in layout["article_id"]:
        assert is_null(v) or v in ids


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_headline_is_a_headline_row_inside_article(articles, layout, i):
    a = article(articles, i)
    rows = layout[(layout["role"] == "headline") & (layout["text"] == a["headline"])]
    assert len(rows) == 1, f"no single headline row for {a['headline']!r}"
    row = rows.iloc[0]
    assert int(a["start"]) <= int(row["start"]) and int(row["end"]) <= int(a["end"])
    assert row["article_id"] == a["article_id"]


def test_role_row_counts(layout):
    assert list(layout.loc[layout["role"] == "headline", "text"]) == [g["headline"] for g in GOLD_ARTICLES]
    assert list(layout.loc[layout["role"] == "kicker", "text"]) == [g["kicker"] for g in GOLD_ARTICLES if g["kicker"]]
    assert list(layout.loc[layout["role"] == "byline", "text"]) == [g["byline"] for g in GOLD_ARTICLES]
    assert (layout["role"] == "deck").sum() == 0
    expected_subheads = [s for g in GOLD_ARTICLES for s in g["subhead_lines"]]
    assert list(layout.loc[layout["role"] == "subhead", "text"]) == expected_subheads


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_role_rows_belong_to_their_article(articles, layout, i):
    a, g = article(articles, i), GOLD_ARTICLES[i]
    mine = layout[layout["article_id"] == a["article_id"]]
    assert list(mine.loc[mine["role"] == "subhead", "text"]) == g["subhead_lines"]
    assert list(mine.loc[mine["role"] == "byline", "text"]) == [g["byline"]]
    if g["kicker"]:
        assert list(mine.loc[mine["role"] == "kicker", "text"]) == [g["kicker"]]


@pytest.mark.parametrize("i", range(7), ids=IDS)
def test_body_is_its_body_rows(articles, layout, i):
    # Rejoined halves have nothing between them and paragraphs are joined
    # with "\n", so dropping "\n" from body gives the body rows end to end.
    a = article(articles, i)
    rows = layout[(layout["article_id"] == a["article_id"]) & (layout["role"] == "body")]
    assert "".join(rows["text"]) == a["body"].replace("\n", "")


def test_caption_rows(articles, layout):
    rows = layout[layout["role"] == "caption"]
    assert list(rows["text"]) == [c["text"] for c in GOLDEN["captions"]]
    for c, (_, row) in zip(GOLDEN["captions"], rows.iterrows()):
        owner = articles.iloc[c["article"] - 1]
        assert row["article_id"] == owner["article_id"]
        assert line_span(c["line"]) == (int(row["start"]), int(row["end"]))


def test_furniture_rows_cover_credit_line_and_section_label(articles, layout):
    for f in GOLDEN["furniture_lines"]:
        start, end = line_span(f["line"])
        assert TEXT[start:end] == f["text"]
        rows = rows_overlapping(layout, start, end)
        rows = rows[rows["role"] != "blank"]
        assert set(rows["role"]) == {"furniture"}, rows[["role", "text"]].to_dict("records")
        for pos in range(start, end):
            if not TEXT[pos].isspace():
                covering = rows_overlapping(layout, pos, pos + 1)
                assert list(covering["role"]) == ["furniture"], (pos, TEXT[pos])
        assert all(is_null(v) for v in rows["article_id"])
        for a in articles.itertuples():
            assert not (int(a.start) <= start < int(a.end)), "credit line inside an article"


# ---------------------------------------------------------------- pages

def test_pages(pages):
    assert len(pages) == 2
    assert [int(x) for x in pages["page_no"]] == [1, 2]
    for g, (_, p) in zip(GOLDEN["pages"], pages.iterrows()):
        assert p["page_code"] == g["page_code"]
        assert p["section"] == g["section"]
        assert names(p["editors"]) == g["editors"]
        assert names(p["art_editors"]) == g["art_editors"]
        assert names(p["proofreaders"]) == g["proofreaders"]
    assert pages["page_id"].is_unique


def test_page_spans(pages, articles):
    p1, p2 = pages.iloc[0], pages.iloc[1]
    assert int(p1["start"]) == 0
    assert int(p2["end"]) == len(TEXT)
    assert int(p1["end"]) <= int(p2["start"])
    # The section label and credit line are the head of the second page.
    for line_no in GOLDEN["pages"][1]["header_lines"]:
        start, end = line_span(line_no)
        assert int(p2["start"]) <= start and end <= int(p2["end"])
        assert start >= int(p1["end"])
    for g, (_, p) in zip(GOLDEN["pages"], pages.iterrows()):
        for n in g["articles"]:
            a = articles.iloc[n - 1]
            assert int(p["start"]) <= int(a["start"]) and int(a["end"]) <= int(p["end"])


def test_articles_point_at_their_page(pages, articles):
    by_id = {row["page_id"]: row for _, row in pages.iterrows()}
    for g, (_, a) in zip(GOLD_ARTICLES, articles.iterrows()):
        assert a["page_id"] in by_id
        page = by_id[a["page_id"]]
        assert int(page["page_no"]) == g["page_no"]
        assert a["section"] == page["section"]


# ---------------------------------------------------------------- ids and dates

def test_article_ids_unique_and_stable(articles):
    ids = list(articles["article_id"])
    assert len(set(ids)) == len(ids)
    assert all(isinstance(x, str) and x for x in ids)
    again = zz.load(SAMPLE).articles
    assert list(again["article_id"]) == ids
    from_str = zz.load(str(SAMPLE)).articles
    assert list(from_str["article_id"]) == ids


def test_page_ids_stable(pages):
    again = zz.load(SAMPLE).pages
    assert list(again["page_id"]) == list(pages["page_id"])


def test_publication_date_is_inferred_april_2021(articles):
    for _, a in articles.iterrows():
        assert bool(a["is_date_inferred"]) is True
        date = a["publication_date"]
        assert isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), date
        assert date[:7] == GOLDEN["date_year_month"]


def test_headline_figures_are_rows_with_role_headline():
    # Issue 14: read from the sample's headline (line 159): 无较大生产安全事故
    # 1.3万家工贸行业企业运营平稳 prints one figure, 1.3万家.
    t = zz.load(SAMPLE)
    rows = t.figures[t.figures["role"] == "headline"]
    assert "1.3万家" in set(rows["text"])
    article = t.articles[t.articles["headline"].str.contains("1.3万家", regex=False)]["article_id"].iloc[0]
    assert set(rows.loc[rows["text"] == "1.3万家", "article_id"]) == {article}
    assert set(t.figures["role"]) <= {"body", "headline", "kicker", "deck", "subhead", "caption", "furniture"}


def test_headline_figures_are_rows_with_role_headline(loaded):
    # Read from the sample's seven headlines: the only amount printed in one
    # is 1.3万家 (无较大生产安全事故 1.3万家工贸行业企业运营平稳); the 2021年 of
    # "2021年防汛抗旱“大考”来临 看株洲如何答题?" is a date, not a figure.
    figures = loaded.figures
    heads = figures[figures["role"] == "headline"]
    assert list(heads["text"]) == ["1.3万家"]
    row = heads.iloc[0]
    assert int(row["start"]) == TEXT.index("1.3万家") and float(row["value"]) == 13000
    safety = loaded.articles[loaded.articles["headline"].str.contains("1.3万家", regex=False)]
    assert list(safety["article_id"]) == [row["article_id"]]
