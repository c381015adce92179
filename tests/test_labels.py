# The display names (zzdata/explore/labels.py): every column of every table
# (core and registered beats) has a Chinese label, every code the schema
# documents and the sample's tables hold has one, and figures read as
# printed.  The printed-figure cases come from reading the sample page
# (近6千人次, 13万余家, 0.84万立方, 较历年同期偏少36%) and from made-up
# sentences written for the rise and sign cases; the property tests make
# up mentions.
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import zzdata as zz
from zzdata.explore import labels
from zzdata.schema import TABLES, table_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_schema_column_has_a_chinese_label():
    names = {c.name for _, cols in TABLES.values() for c in cols}
    missing = sorted(n for n in names if n not in labels.COLUMN_LABELS)
    assert missing == []
    assert all(re.search(r"[\u4e00-\u9fff]", labels.column_label(n)) for n in names)


def test_labels_are_distinct_within_each_table():
    # two columns of one table with one label would be one column in Excel
    for table, (_, cols) in TABLES.items():
        shown = [labels.column_label(c.name) for c in cols]
        assert len(shown) == len(set(shown)), table


# the codes as docs/tables.md lists them, column by column
DOCUMENTED = {
    "qualifier": "exact approx over under at_least at_most range",
    "role": "headline kicker deck subhead byline body caption furniture blank",
    "date_basis": "manifest page web dateline filename text",
    "granularity": "year half quarter month period day hour",
    "direction": "up down",
    "comparison_direction": "less more",
    "routed_by": "sentence paragraph article",
    "place_level": "county town village",
    "status": "fail pass not_applicable",
    "severity": "error warning info",
    "check": "headline_vs_body parts_vs_whole place_name repeated_word percent_range date_after_publication beat_coverage",
    "beat_note": "not_amount duration age background not_action dropped",
    "kind": "undecodable unreadable empty no_articles",
    "dimension": "count people money area volume length mass percent age duration ordinal address name code level",
}


@pytest.mark.parametrize("column", sorted(DOCUMENTED))
def test_codes_listed_in_the_data_dictionary_have_labels(column):
    codes = DOCUMENTED[column].split()
    assert [c for c in codes if c not in labels.CODE_LABELS[column]] == []
    assert len({labels.code_label(column, c) for c in codes}) == len(codes)  # no two codes read alike


@pytest.fixture(scope="module")
def t():
    return zz.load(ROOT / "data")


def test_every_code_in_the_sample_tables_has_a_label(t):
    for table in table_names():
        frame = getattr(t, table)
        for column in set(frame.columns) & set(labels.CODE_LABELS):
            for value in frame[column].dropna().astype(str).unique():
                for part in value.split("|") if column == "categories" else [value]:
                    if part.isascii():  # flood_prep's status is Chinese (储备), shown as it is
                        assert part == "" or part in labels.CODE_LABELS[column], (table, column, part)


def test_display_frame_keeps_no_machine_name(t):
    shown = labels.display_frame(t.flood_prep)
    assert not set(shown.columns) & set(t.flood_prep.columns)
    text = " ".join(shown.astype(str).to_numpy().ravel()) + " ".join(shown.columns)
    for code in ("stockpile", "exact", "under", "down", "paragraph"):
        assert not re.search(rf"\b{code}\b", text)
    assert "物资储备" in set(shown["类别"])


def test_display_frame_columns_chosen():
    frame = pd.DataFrame({"status": ["fail", "pass", "not_applicable"], "check": ["place_name"] * 3, "x": [1, 2, 3]})
    shown = labels.display_frame(frame, ["check", "status"])
    assert shown.to_dict("list") == {"核查项": ["地名"] * 3, "状态": ["待核对", "通过", "无可核对"]}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # 参加人员近6千人次 (sample): the hedge stays
        ({"text": "近6千人次", "value": 6000.0, "unit": "人次", "qualifier": "under"}, "近6千人次"),
        # 工贸行业总计13万余家 (sample): the mention as printed, 总计 included
        ({"text": "13万余家", "value": 130000.0, "unit": "家", "qualifier": "over"}, "13万余家"),
        # 块石0.84万立方 (sample): not 8400
        ({"text": "0.84万立方", "value": 8400.0, "unit": "立方", "qualifier": "exact"}, "0.84万立方"),
        # 较历年同期偏少36% (sample, flood_prep direction down)
        ({"text": "36%", "value": 36.0, "direction": "down", "sentence": "全市平均累计降水量283毫米,较历年同期偏少36%。"}, "−36%（偏少）"),
        # the figures table says less, not down
        ({"text": "36%", "value": 36.0, "comparison_direction": "less", "sentence": "较历年同期偏少36%。"}, "−36%（偏少）"),
        # made up: a rise
        ({"text": "12%", "value": 12.0, "direction": "up", "sentence": "客流同比增长12%。"}, "+12%（增长）"),
        # made up: a fall printed with its own sign keeps it
        ({"text": "-3.5%", "value": 3.5, "direction": "down", "sentence": "同比-3.5%。"}, "-3.5%"),
        # a stated zero (没有发生…事故, sample) is written from its value
        ({"text": "没有发生较大及以上生产安全事故", "value": 0.0, "unit": "起", "qualifier": "exact"}, "0起"),
        # no mention: written back from value, qualifier and unit
        ({"value": 130000.0, "unit": "家", "qualifier": "over"}, "13万余家"),
        ({"value": 6000.0, "unit": "人次", "qualifier": "under"}, "近6000人次"),
    ],
)
def test_printed_figure(row, expected):
    assert labels.printed_figure(row) == expected
    assert labels.printed_figure(pd.Series(row)) == expected


def test_printed_figure_ignores_missing_cells():
    row = pd.Series({"text": pd.NA, "value": 3.0, "unit": "座", "qualifier": pd.NA, "direction": pd.NA})
    assert labels.printed_figure(row) == "3座"


mentions = st.from_regex(r"(近|约)?[0-9]{1,4}(\.[0-9]{1,2})?(万|亿)?(余)?(人|个|%|元|立方)", fullmatch=True)


@given(mentions, st.sampled_from(["", "down", "up"]))
def test_printed_figure_keeps_the_mention(text, direction):
    shown = labels.printed_figure({"text": text, "value": 1.0, "direction": direction, "sentence": f"较去年同期偏少{text}。"})
    assert text in shown
    assert shown.startswith({"down": "−", "up": "+", "": text[:1]}[direction])


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False), st.sampled_from(list(labels.CODE_LABELS["qualifier"])))
def test_printed_figure_from_any_value_never_fails(value, qualifier):
    shown = labels.printed_figure({"value": value, "unit": "人", "qualifier": qualifier})
    assert shown.endswith("人")
    assert not labels.has_ascii_code(shown)


def test_code_label_falls_back():
    assert labels.code_label("qualifier", "something_new") == "something_new"
    assert labels.code_label("place", "芦淞区") == "芦淞区"
    assert labels.code_label("status", None) == ""
    assert labels.code_label("is_amount", True) == "是"


def test_inferred_dates_say_so():
    assert labels.shown_date({"publication_date": "2021-04-22", "date_basis": "text"}) == "2021-04-22（推断）"
    assert labels.shown_date({"publication_date": "2021-04-22", "date_basis": "dateline"}) == "2021-04-22"
    assert labels.shown_date({"publication_date": "", "date_basis": ""}) == "(日期不详)"


def test_display_frame_shows_inferred_dates_as_inferred(t):
    # the sample's publication date comes from its clause dates (date_basis text)
    shown = labels.display_frame(t.articles, ["headline", "publication_date"])
    assert set(shown["出版日期"]) == {"2021-04-22（推断）"}
    given = t.articles.assign(date_basis="manifest", is_date_inferred=False)
    assert set(labels.display_frame(given, ["publication_date"])["出版日期"]) == {"2021-04-22"}


def test_a_beat_registered_later_is_named_by_its_own_label():
    """Beat tables are named from the registry, not from a list of the built-in beats (a made-up beat)."""
    from test_beat_registry import TOY

    from zzdata import beats

    assert labels.code_label("beat_table", "flood_prep") == "防汛抗旱"
    beats.register(TOY)
    try:
        assert labels.code_label("beat_table", "traffic_stats") == "道路交通"
    finally:
        beats.unregister("traffic")
    assert labels.code_label("beat_table", "traffic_stats") == "traffic_stats"
