# Pages in traditional characters (繁體) read as their simplified twins.
#
# Where the cases come from:
# - the real sample data/zhuzhou-daily-2021-04.txt, converted to traditional
#   characters here by OpenCC's s2t, one character at a time (so the length
#   and every offset stay); the test checks that every character of the
#   sample comes back through t2s (it does: none is lost), then that the
#   traditional page gives the same articles, figures and dates as the
#   simplified one, with the text as printed in traditional characters;
# - made-up sentences and a made-up two-article page, written by hand for
#   this file in traditional characters, with a simplified twin written by
#   hand too (people such as 王小明, 劉芳, 陳思遠 and the district 青竹區 are
#   fictitious); expected values come from reading them;
# - properties (hypothesis): the reading copy keeps the length of any text,
#   and leaves any text of GB2312 (simplified) characters as it is.
from __future__ import annotations

import math
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zzdata as zz
from zzdata.numerals import NORMALISE_TABLE
from zzdata.pipeline import file_rows, process_page
from zzdata.read import Page
from zzdata.script import looks_traditional, reading_copy

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")


def _s2t_table(text: str) -> dict[int, str]:
    """OpenCC s2t for each character of ``text``, alone (phrase conversion
    may change the length); a character it makes two of is kept."""
    chars = sorted(set(text) - {"\n", "\r"})
    converted = opencc.OpenCC("s2t.json").convert("\n".join(chars)).split("\n")
    assert len(converted) == len(chars)
    return {ord(a): b for a, b in zip(chars, converted) if len(b) == 1}


S2T = _s2t_table(TEXT)


def to_traditional(text: str) -> str:
    """A string of the sample (or taken from its tables) in traditional characters."""
    return text.translate(S2T)


TRADITIONAL = to_traditional(TEXT)


# --- the sample page in traditional characters ------------------------------


def test_the_traditional_sample_is_traditional_and_comes_back_whole():
    assert len(TRADITIONAL) == len(TEXT)
    assert sum(a != b for a, b in zip(TEXT, TRADITIONAL)) > 1000  # about a third of the characters differ
    assert looks_traditional(TRADITIONAL) and not looks_traditional(TEXT)
    assert reading_copy(TEXT) == TEXT
    assert reading_copy(TRADITIONAL) == TEXT  # every character of the sample round-trips s2t → t2s


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("traditional")
    (folder / "page.txt").write_text(TRADITIONAL, encoding="utf-8")
    return zz.load(SAMPLE), zz.load(folder / "page.txt")


def test_same_articles_with_the_text_as_printed(both):
    simplified, traditional = both
    a, b = simplified.articles, traditional.articles
    assert len(b) == len(a) == 7
    assert b["start"].tolist() == a["start"].tolist() and b["end"].tolist() == a["end"].tolist()
    for names in ("reporters", "correspondents", "photographers"):  # names are derived: read in simplified
        assert b[names].tolist() == a[names].tolist()
    assert b["publication_date"].tolist() == a["publication_date"].tolist()
    for column in ("headline", "kicker", "deck", "subheads", "byline", "body", "section"):
        assert b[column].tolist() == [to_traditional(s) for s in a[column]], column
    assert b["headline"].iloc[4] == "2021年防汛抗旱“大考”來臨 看株洲如何答題?"
    assert "組成30餘人的黨員先鋒隊" in b["body"].iloc[0]


def test_same_pages_and_layout_as_printed(both):
    simplified, traditional = both
    assert traditional.pages["section"].tolist() == [to_traditional(s) for s in simplified.pages["section"]]
    assert traditional.pages["editors"].tolist() == simplified.pages["editors"].tolist()
    layout = traditional.layout
    assert layout["role"].tolist() == simplified.layout["role"].tolist()
    assert "".join(layout["text"]) == TRADITIONAL
    assert int(traditional.coverage()["unassigned"].sum()) == 0


def test_same_figures_and_dates(both):
    simplified, traditional = both
    key = ["value", "unit", "qualifier", "start", "end", "subject", "place", "date"]
    a, b = simplified.figures, traditional.figures
    # 75 in the bodies and furniture, plus (issue 14) the headline's 1.3万家 and
    # the ordinals of the subheads 第一招…第五招, read from the sample
    assert len(b) == len(a) == 81
    assert b[key].astype(str).values.tolist() == a[key].astype(str).values.tolist()
    assert b["text"].tolist() == [to_traditional(s) for s in a["text"]]
    assert b["sentence"].tolist() == [to_traditional(s) for s in a["sentence"]]
    assert all(text in sentence for text, sentence in zip(b["text"], b["sentence"]))
    dates = ["start", "end", "date", "granularity"]
    assert traditional.dates[dates].values.tolist() == simplified.dates[dates].values.tolist()
    assert traditional.dates["text"].tolist() == [to_traditional(s) for s in simplified.dates["text"]]


def test_same_beat_rows_and_checks(both):
    simplified, traditional = both
    for name in ("flood_prep", "safety_stats", "service_actions"):
        a, b = getattr(simplified, name), getattr(traditional, name)
        key = ["indicator" if "indicator" in a else "category", "value", "unit", "start", "end"]
        assert b[key].astype(str).values.tolist() == a[key].astype(str).values.tolist(), name
        assert b["text"].tolist() == [to_traditional(s) for s in a["text"]], name
    key = ["check", "status", "start", "end"]
    assert traditional.checks[key].values.tolist() == simplified.checks[key].values.tolist()
    assert traditional.checks["text"].tolist() == [to_traditional(s) for s in simplified.checks["text"]]


# --- made-up sentences and a made-up page -----------------------------------


def test_made_up_stockpile_sentence():
    df = zz.extract_figures("全市共儲備編織袋63.6萬條、彩條布74萬平方米。")
    assert df["text"].tolist() == ["63.6萬條", "74萬平方米"]  # as printed
    assert df["value"].tolist() == [636000, 740000]
    assert df["unit"].tolist() == ["条", "平方米"]  # the units lexicon's entry
    assert df["subject"].tolist() == ["编织袋", "彩条布"]  # derived: read in simplified
    assert df["sentence"].tolist() == ["全市共儲備編織袋63.6萬條、彩條布74萬平方米。"] * 2


def test_made_up_over_twenty_thousand_people():
    df = zz.extract_figures("參加防汛演練的幹部群眾達兩萬餘人。")
    row = df[df["unit"] == "人"].iloc[0]
    assert "兩萬餘人" in row["text"]
    assert (row["value"], row["qualifier"], row["value_low"], row["value_high"]) == (20000, "over", 20000, 30000)


PAGE_TRADITIONAL = """株洲日報 2021年4月22日 星期四

青竹區防汛物資儲備到位

株洲日報·掌上株洲訊(記者/王小明 通訊員/劉芳)4月20日,青竹區共儲備編織袋63.6萬條、彩條布74萬平方米,參加防汛演練的幹部群眾達兩萬餘人。

據介紹,全區還組建了防汛應急隊伍12支。

應急管理

3104518 責任編輯:陳思遠 美術編輯:許蘋 校對:楊卓

老舊小區加裝電梯提速

株洲日報·掌上株洲訊(記者 張麗華)今年全市計劃為老舊小區加裝電梯一百二十臺。

目前,已有四十五臺電梯完成安裝並投入使用。
"""

PAGE_SIMPLIFIED = """株洲日报 2021年4月22日 星期四

青竹区防汛物资储备到位

株洲日报·掌上株洲讯(记者/王小明 通讯员/刘芳)4月20日,青竹区共储备编织袋63.6万条、彩条布74万平方米,参加防汛演练的干部群众达两万余人。

据介绍,全区还组建了防汛应急队伍12支。

应急管理

3104518 责任编辑:陈思远 美术编辑:许苹 校对:杨卓

老旧小区加装电梯提速

株洲日报·掌上株洲讯(记者 张丽华)今年全市计划为老旧小区加装电梯一百二十台。

目前,已有四十五台电梯完成安装并投入使用。
"""


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    folder = tmp_path_factory.mktemp("made_up")
    (folder / "traditional.txt").write_text(PAGE_TRADITIONAL, encoding="utf-8")
    (folder / "simplified.txt").write_text(PAGE_SIMPLIFIED, encoding="utf-8")
    return zz.load(folder / "traditional.txt"), zz.load(folder / "simplified.txt")


def test_made_up_page_articles_bylines_and_credits(made_up):
    t, _ = made_up
    assert len(PAGE_TRADITIONAL) == len(PAGE_SIMPLIFIED)
    a = t.articles
    assert a["headline"].tolist() == ["青竹區防汛物資儲備到位", "老舊小區加裝電梯提速"]
    assert a["byline"].tolist()[1] == "株洲日報·掌上株洲訊(記者 張麗華)"
    assert a["reporters"].tolist() == ["王小明", "张丽华"]  # 記者 read; names derived, in simplified
    assert a["correspondents"].tolist() == ["刘芳", ""]
    assert a["body"].iloc[1] == "今年全市計劃為老舊小區加裝電梯一百二十臺。\n目前,已有四十五臺電梯完成安裝並投入使用。"
    pages = t.pages.reset_index(drop=True)
    assert len(pages) == 2
    assert (pages.loc[1, "page_code"], pages.loc[1, "section"]) == ("3104518", "應急管理")
    assert (pages.loc[1, "editors"], pages.loc[1, "art_editors"], pages.loc[1, "proofreaders"]) == ("陈思远", "许苹", "杨卓")
    furniture = "".join(t.layout.loc[t.layout["role"] == "furniture", "text"])
    assert "責任編輯:陳思遠" in furniture and "應急管理" in furniture
    assert not any("責任編輯" in body for body in a["body"])


def test_made_up_page_figures(made_up):
    t, s = made_up
    found = {(r.text, r.value, r.unit, r.qualifier) for r in t.figures.itertuples()}
    assert {("63.6萬條", 636000, "条", "exact"), ("74萬平方米", 740000, "平方米", "exact"), ("12支", 12, "支", "exact")} <= found
    assert any(text.endswith("兩萬餘人") and value == 20000 and q == "over" for text, value, _, q in found)
    assert {(v, u) for _, v, u, _ in found} >= {(120, "台"), (45, "台")}  # 臺 is read as the unit 台
    key = ["value", "unit", "qualifier", "start", "end", "subject"]
    assert t.figures[key].astype(str).values.tolist() == s.figures[key].astype(str).values.tolist()
    assert t.dates["text"].tolist() == s.dates["text"].tolist() == ["4月20日", "今年"]
    # resolved against the printed header 2021年4月22日
    assert t.dates[["date_start", "date_end"]].values.tolist() == [["2021-04-20", "2021-04-20"], ["2021-01-01", "2021-12-31"]]


def test_a_simplified_page_quoting_a_few_traditional_characters_is_left_alone():
    quoted = TEXT.replace("芦淞区政务服务中心", "芦淞区政务服务中心(臺灣同胞接待處)", 1)
    assert reading_copy(quoted) == quoted


def test_traditional_numerals_read_as_the_numeral_parser_reads_them():
    for code, folded in NORMALISE_TABLE.items():
        ch = chr(code)
        if "\u4e00" <= ch <= "\u9fff" and not _in_gb2312(ch):  # 萬 億 兩…, not 佰 仟 拾 (simplified too)
            assert reading_copy("這個數字寫作" + ch)[-1] == folded, ch


# --- properties ----------------------------------------------------------------


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _gb2312_chars() -> list[str]:
    chars = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


SIMPLIFIED = st.text(alphabet=st.sampled_from(_gb2312_chars() + list("0123456789.%\n \r")), max_size=300)
MIXED = st.text(alphabet=st.sampled_from(list("萬億兩餘條臺編織儲備報訊記者責任輯區縣鄉鎮乾於後著") + list(TEXT[:400])), max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), MIXED))
def test_the_reading_copy_keeps_the_length_of_any_text(text):
    assert len(reading_copy(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(SIMPLIFIED)
def test_simplified_text_is_read_as_it_is(text):
    assert reading_copy(text) == text


SOUP = st.text(
    alphabet=st.sampled_from(list("本報訊記者通訊員責任編輯校對萬億兩餘條臺儲備編織袋區縣鄉鎮為約近共") + list("0123456789。,，:()（）\n /")),
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(SOUP)
def test_any_traditional_text_gives_strings_as_printed(text):
    result = process_page(Page("x.txt", "x.txt", text, "utf-8"))
    for article in result.articles:
        for body_start, start, end in article.pieces:
            assert article.body[body_start : body_start + end - start] == text[start:end]
    for name, rows in file_rows(result).rows.items():
        for row in rows:
            if row.get("text") and len(row["text"]) == row["end"] - row["start"]:
                assert row["text"] == text[row["start"] : row["end"]], name


def test_figures_of_a_traditional_text_keep_offsets_into_it():
    text = "據統計,全區共有防汛應急隊伍355支,共9608人。"
    df = zz.extract_figures(text)
    assert [text[s:e] for s, e in zip(df["start"], df["end"])] == df["text"].tolist() == ["355支", "共9608人"]
    assert not any(math.isnan(v) for v in df["value"])
