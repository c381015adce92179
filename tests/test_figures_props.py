# Property tests (hypothesis) for zzdata.extract_figures.
#
# Where the cases come from: generated here. Arbitrary Unicode text (st.text()); a "token soup" that mixes ASCII and
# full-width digits, Chinese numerals, 万/亿 and the qualifier words, units, punctuation, brackets and control
# characters; and template sentences whose expected values are computed from the generated numbers (cn2an.an2cn
# writes the Chinese numerals). Nothing here was taken from zzdata's output.
#
# The interval invariants checked for every row follow the contract and the decisions in
# tests/golden/figures/README.md: exact -> low == high == value; approx -> no bounds; over -> low == value and
# high above it or open (NaN); under -> no low, high == value; at_least -> low == value, open high;
# at_most -> no low, high == value; range -> low == value <= high.
from __future__ import annotations

import math
import re
from decimal import Decimal

import cn2an
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zzdata as zz
from nulls import eq, is_null

COLUMNS = [
    "figure_id", "article_id", "source", "start", "end", "text", "value", "value_low", "value_high",
    "unit", "dimension", "qualifier", "subject", "comparison_direction", "comparison_baseline",
    "place", "date", "sentence",
]
QUALIFIERS = {"exact", "approx", "over", "under", "at_least", "at_most", "range"}
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
FULL_WIDTH_NUMBER = str.maketrans("0123456789.", "０１２３４５６７８９．")

TOKENS = [
    *"0123456789", *"０１２３４５６７８９", ".", "．", ",", "，",
    *"〇零一二两三四五六七八九十百千万亿", "壹", "贰", "拾", "佰", "仟", "萬", "億", "兩", "點", "点", "半", "负", "第",
    "余", "多", "几", "数", "来", "上", "近", "约", "共", "共计", "总计", "累计", "达", "达到", "共有", "大约", "左右",
    "上下", "逾", "超过", "突破", "年过", "将近", "不到", "不足", "以上", "以下", "以内", "至少", "不少于", "最多",
    "不超过", "分之", "百分之", "同比", "增长", "减少", "较", "比", "去年", "历年同期", "偏少",
    "个", "人", "元", "万元", "亿元", "亩", "平方米", "立方", "立方米", "%", "％", "岁", "年", "月", "日", "时",
    "次", "人次", "条", "家", "户", "名", "位", "件", "罐", "处", "座", "支", "项", "米", "公里", "毫米", "吨", "公斤",
    "至", "到", "-", "－", "—", "——", "~", "～", "、", "。", "；", ";", ":", "：", "!", "？", " ", "\u3000",
    "(", ")", "（", "）", "“", "”", "‘", "’", "《", "》", "【", "】", "[", "]", "⟦", "⟧", "……",
    "\n", "\n\n", "\r\n", "\r", "\t", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\u200b", "\ufeff", "\u2028", "\U0001F600",
    "编织袋", "全市", "群众", "第一招", "两委", "2021年", "4月12日", "人民路38栋", "八仙过海", "一场", "一名",
]
SOUP = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)

PROPERTY_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100)


def extract(text: str) -> pd.DataFrame:
    return zz.extract_figures(text)


def same(a, b) -> bool:
    return not is_null(a) and not is_null(b) and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def check_invariants(frame: pd.DataFrame, text: str) -> None:
    assert isinstance(frame, pd.DataFrame)
    missing = [c for c in COLUMNS if c not in frame.columns]
    assert not missing, f"missing columns {missing}"
    assert frame["figure_id"].notna().all() and frame["figure_id"].is_unique
    for row in frame.to_dict("records"):
        start, end = row["start"], row["end"]
        assert not is_null(start) and not is_null(end), row
        assert int(start) == start and int(end) == end, row
        assert 0 <= start < end <= len(text), row
        assert eq(row["text"], text[int(start):int(end)]), row
        assert is_null(row["article_id"]) and is_null(row["source"]), row
        assert isinstance(row["unit"], str), row
        value, low, high, q = row["value"], row["value_low"], row["value_high"], row["qualifier"]
        assert q in QUALIFIERS, row
        assert not is_null(value) and math.isfinite(float(value)), row
        if q == "exact":
            assert same(low, value) and same(high, value), row
        elif q == "approx":
            assert is_null(low) and is_null(high), row
        elif q == "over":
            assert same(low, value) and (is_null(high) or float(high) > float(value)), row
        elif q == "under":
            assert is_null(low) and same(high, value), row
        elif q == "at_least":
            assert same(low, value) and is_null(high), row
        elif q == "at_most":
            assert is_null(low) and same(high, value), row
        elif q == "range":
            assert same(low, value) and not is_null(high) and float(high) >= float(value), row
        if not is_null(row["comparison_direction"]):
            assert row["comparison_direction"] in ("less", "more"), row  # not null here
        if not is_null(row["date"]):
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(row["date"])), row


def key(frame: pd.DataFrame) -> list[tuple]:
    """Rows as comparable tuples (NaN as None), in offset order."""
    out = []
    for row in frame.to_dict("records"):
        out.append(tuple(
            None if is_null(row[c]) else (float(row[c]) if c.startswith("value") else row[c])
            for c in ("start", "end", "value", "value_low", "value_high", "unit", "qualifier", "dimension")
        ))
    return sorted(out, key=lambda t: (t[0], t[1]))


def only_row(frame: pd.DataFrame, text: str) -> dict:
    rows = frame.to_dict("records")
    assert len(rows) == 1, (text, [(r["text"], r["value"], r["unit"]) for r in rows])
    return rows[0]


# ---------------------------------------------------------------- never raises, always well-formed

@PROPERTY_SETTINGS
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    check_invariants(extract(text), text)


@PROPERTY_SETTINGS
@given(SOUP)
def test_token_soup(text: str) -> None:
    frame = extract(text)
    check_invariants(frame, text)
    assert key(extract(text)) == key(frame), "not deterministic"


def test_empty_text() -> None:
    frame = extract("")
    check_invariants(frame, "")
    assert len(frame) == 0


# ---------------------------------------------------------------- numbers from the generator

@PROPERTY_SETTINGS
@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_gongyou_digits(n: int) -> None:
    text = f"共有{n}个"
    row = only_row(extract(text), text)
    assert (row["start"], row["end"]) == (0, len(text)), "共有 is adjacent: in the span"
    assert eq(row["value"], n) and eq(row["unit"], "个") and eq(row["qualifier"], "exact")


@PROPERTY_SETTINGS
@given(st.integers(min_value=2, max_value=10**9 - 1))
def test_gongyou_chinese_numerals(n: int) -> None:
    text = f"共有{cn2an.an2cn(n)}个"
    row = only_row(extract(text), text)
    assert (row["start"], row["end"]) == (0, len(text))
    assert eq(row["value"], n) and eq(row["unit"], "个") and eq(row["qualifier"], "exact")


@PROPERTY_SETTINGS
@given(st.integers(min_value=1000, max_value=10**9 - 1))
def test_thousands_separators(n: int) -> None:
    for separator in (",", "，"):
        printed = f"{n:,}人".replace(",", separator)
        text = f"全市新增就业{printed}。"
        row = only_row(extract(text), text)
        assert eq(row["text"], printed)
        assert eq(row["value"], n) and eq(row["unit"], "人") and eq(row["qualifier"], "exact")


@PROPERTY_SETTINGS
@given(st.integers(min_value=1, max_value=10**6), st.sampled_from([("万", 10**4), ("亿", 10**8)]))
def test_wan_yi_folded(n: int, multiplier: tuple[str, int]) -> None:
    word, factor = multiplier
    text = f"项目计划投资{n}{word}元。"
    row = only_row(extract(text), text)
    assert eq(row["text"], f"{n}{word}元")
    assert eq(row["value"], n * factor) and eq(row["unit"], "元") and eq(row["qualifier"], "exact")


# ---------------------------------------------------------------- full-width digits

@PROPERTY_SETTINGS
@given(SOUP)
def test_full_width_digits_same_rows(text: str) -> None:
    wide = text.translate(FULL_WIDTH_DIGITS)
    assert key(extract(wide)) == key(extract(text))


@PROPERTY_SETTINGS
@given(
    st.integers(min_value=0, max_value=9999), st.integers(min_value=0, max_value=99),
    st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=99),
)
def test_full_width_template(whole: int, hundredths: int, area: int, percent: int) -> None:
    number = f"{whole}.{hundredths:02d}"
    text = f"全市共储备编织袋{number}万条、彩条布{area}平方米,较历年同期偏少{percent}%。"
    wide = text.translate(FULL_WIDTH_NUMBER)
    rows, wide_rows = extract(text), extract(wide)
    assert key(wide_rows) == key(rows)
    by_unit = {r["unit"]: r for r in rows.to_dict("records")}
    assert eq(by_unit["条"]["value"], int(Decimal(number) * 10000))
    assert eq(by_unit["平方米"]["value"], area)
    assert eq(by_unit["%"]["value"], percent)
    assert eq(by_unit["%"]["comparison_direction"], "less")


# Issue 15 item 10: a number written by cn2an.an2cn, with a random qualifier word and a unit from the lexicon,
# parses back to value, unit and qualifier. The units are the lexicon's plain measures (factor 1, read after
# Chinese numerals, spelled as their unit); the qualifier words and their bounds are the contract's.
def _lexicon_units() -> list[tuple[str, str]]:
    from zzdata.lexicon import read_tsv

    keep = {"money", "mass", "length", "area", "volume", "people"}
    return sorted(
        (r["surface"], r["dimension"]) for r in read_tsv("units.tsv")
        if r["dimension"] in keep and r["factor"] == "1" and r["needs"] != "arabic" and r["surface"] == r["unit"]
        and "traditional" not in r["note"] and not re.search(r"[\x00-\x7f零一二两三四五六七八九十百千万亿半多余个]", r["surface"])
    )


LEXICON_UNITS = _lexicon_units()
QUALIFIER_WORDS = [  # (word before, word after, qualifier)
    ("", "", "exact"), ("共", "", "exact"), ("约", "", "approx"), ("", "左右", "approx"), ("近", "", "under"),
    ("超过", "", "over"), ("逾", "", "over"), ("至少", "", "at_least"), ("", "以上", "at_least"),
    ("不少于", "", "at_least"), ("最多", "", "at_most"), ("", "以下", "at_most"), ("不超过", "", "at_most"),
]


@PROPERTY_SETTINGS
@given(st.integers(min_value=2, max_value=10**8 - 1), st.sampled_from(QUALIFIER_WORDS), st.sampled_from(LEXICON_UNITS))
def test_an2cn_with_qualifier_and_unit(n: int, words: tuple[str, str, str], unit: tuple[str, str]) -> None:
    before, after, qualifier = words
    printed = f"{before}{cn2an.an2cn(n)}{unit[0]}{after}"
    text = f"全市{printed}。"
    rows = extract(text)
    rows = rows[(rows["start"] == 2) & (rows["end"] == 2 + len(printed))]
    assert len(rows) == 1, (text, extract(text)[["text", "value", "unit"]].values.tolist())
    row = rows.iloc[0]
    assert eq(row["value"], n) and eq(row["unit"], unit[0]) and eq(row["qualifier"], qualifier), (text, row.to_dict())


# Issue 15 (throughput): the grammar starts with a lookahead on the characters a mention can start with, so the
# regex engine passes over other positions cheaply. It must skip no mention: the same matches as without it.
@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_grammar_lookahead_skips_nothing(text: str) -> None:
    from zzdata.numerals import normalise
    from zzdata.quantities import _grammar

    grammar = _grammar()
    assert grammar.pattern.startswith("(?=[")
    plain = re.compile(grammar.pattern.split("])", 1)[1])
    norm = normalise(text)
    assert [m.span() for m in grammar.finditer(norm)] == [m.span() for m in plain.finditer(norm)]


# Issue 15, 一 + classifier: 每一/同一/第一 before any classifier that counts one thing (one=count in units.tsv) is
# never an amount, whatever noun follows (README decision).
def _one_classifiers() -> list[str]:
    from zzdata.lexicon import read_tsv

    return sorted(r["surface"] for r in read_tsv("units.tsv") if r["one"] == "count")


@PROPERTY_SETTINGS
@given(st.sampled_from(["每一", "同一", "第一", "唯一"]), st.sampled_from(_one_classifiers()),
       st.sampled_from(["道路", "设备", "桥梁", "隐患", "房屋", "车辆"]))
def test_every_one_is_no_count(word: str, classifier: str, noun: str) -> None:
    rows = extract(f"村里{word}{classifier}{noun}都要检查。")
    amounts = rows[rows["dimension"].map(lambda d: d not in {"ordinal", "address", "name", "code", "level"})]
    assert amounts.empty, amounts[["text", "value", "unit"]].values.tolist()
