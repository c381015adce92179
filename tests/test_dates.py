# Tests for zzdata.dates.find_dates (date mentions).
#
# Where the cases come from:
# - The sample page data/zhuzhou-daily-2021-04.txt (Zhuzhou Daily, published 2021-04-22), read by hand: every date
#   mention on it, in reading order (checked against a grep of the page for 年/月/日/天/旬/季), and the values of
#   those the brief names (4月12日, 今年3月, 6月上旬至7月上旬, 4月21日17时, 4月21日夜间至22日白天, 当天上午10时, …).
# - tests/golden/dates/*.jsonl: made_up.jsonl (one or more sentences per resolution rule), negative.jsonl (durations,
#   ages, quantities and words that must give no date), duckling.jsonl (inputs from facebook/duckling
#   Duckling/Time/ZH/Corpus.hs) and recognizers_text.jsonl (inputs from microsoft/Recognizers-Text
#   Specs/DateTime/Chinese/DateParser.json and DatePeriodParser.json). Peers' expected values are converted to our
#   convention by hand; each line names its source and notes where we differ by design. Lines starting "#" are comments.
# - Expected values are worked out from the words and the reference date, never pasted from the program's output.
# - The property tests generate their own text (date-like mixtures of digits, Chinese numerals and 年月日, and any text).
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zzdata.dates import GRANULARITIES, DateMention, find_dates

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "data" / "zhuzhou-daily-2021-04.txt").read_text(encoding="utf-8")
SAMPLE_DATE = "2021-04-22"
GOLDEN = Path(__file__).parent / "golden" / "dates"
FIELDS = ("text", "start", "date", "date_start", "date_end", "granularity", "is_relative")


def _as_dicts(mentions: list[DateMention]) -> list[dict]:
    return [{field: getattr(m, field) for field in FIELDS} for m in mentions]


def _cases() -> list:
    params = []
    for path in sorted(GOLDEN.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                case = json.loads(line)
                params.append(pytest.param(case, id=case["id"]))
    return params


CASES = _cases()


# ---------------------------------------------------------------- golden cases


@pytest.mark.parametrize("case", CASES)
def test_golden(case: dict) -> None:
    mentions = find_dates(case["text"], case["reference"])
    assert _as_dicts(mentions) == case["mentions"]
    for m in mentions:
        assert m.end == m.start + len(m.text)


def test_golden_counts_by_source() -> None:
    by_file = {}
    for path in sorted(GOLDEN.glob("*.jsonl")):
        lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]
        by_file[path.stem] = len(lines)
        for line in lines:
            case = json.loads(line)
            assert case["source"], case["id"]
            assert set(case) <= {"id", "text", "reference", "mentions", "source", "note"}, case["id"]
    assert by_file["duckling"] + by_file["recognizers_text"] >= 20
    ids = [c.values[0]["id"] for c in CASES]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the sample page

# Every date mention on the sample page, in reading order (read by hand).
SAMPLE_MENTIONS = [
    "今年", "今年3月", "4月12日", "4月16日", "4月13日", "4月16日", "4月22日", "4月份", "4月20日",
    "2021年", "2021年", "今年", "6月上旬", "今年", "今年", "今年", "6月上旬", "7月上旬",
    "4月21日17时", "4月21日", "22日", "2021年", "2021年", "今年", "今年", "去年6月", "2021年", "2022年",
]

# (context that occurs once on the page, the mention inside it, date, date_start, date_end, granularity, is_relative)
SAMPLE_CASES = [
    ("4月12日,芦淞区12位", "4月12日", "2021-04-12", "2021-04-12", "2021-04-12", "day", True),
    ("”今年3月,芦淞区董家堰", "今年3月", "2021-03", "2021-03-01", "2021-03-31", "month", True),
    ("4月16日,来园社区", "4月16日", "2021-04-16", "2021-04-16", "2021-04-16", "day", True),
    ("4月16日,芦淞区建设街道", "4月16日", "2021-04-16", "2021-04-16", "2021-04-16", "day", True),
    ("4月13日,芦淞区龙泉", "4月13日", "2021-04-13", "2021-04-13", "2021-04-13", "day", True),
    ("预计6月上旬湘江", "6月上旬", "2021-06", "2021-06-01", "2021-06-10", "period", True),
    ("集中在6月上旬至7月上旬", "6月上旬", "2021-06", "2021-06-01", "2021-06-10", "period", True),
    ("6月上旬至7月上旬", "7月上旬", "2021-07", "2021-07-01", "2021-07-10", "period", True),
    ("于4月21日17时联合", "4月21日17时", "2021-04-21T17:00", "2021-04-21", "2021-04-21", "hour", True),
    ("预警:4月21日夜间", "4月21日", "2021-04-21", "2021-04-21", "2021-04-21", "day", True),
    ("夜间至22日白天", "22日", "2021-04-22", "2021-04-22", "2021-04-22", "day", True),
    ("去年6月,市防办", "去年6月", "2020-06", "2020-06-01", "2020-06-30", "month", True),
    ("2021年防汛抗旱“大考”", "2021年", "2021", "2021-01-01", "2021-12-31", "year", False),
    ("2021年至2022年为", "2021年", "2021", "2021-01-01", "2021-12-31", "year", False),
    ("至2022年为", "2022年", "2022", "2022-01-01", "2022-12-31", "year", False),
    ("4月份,市科技局", "4月份", "2021-04", "2021-04-01", "2021-04-30", "month", True),
    ("4月20日,市自然资源", "4月20日", "2021-04-20", "2021-04-20", "2021-04-20", "day", True),
    ("李湘莲)4月22日,", "4月22日", "2021-04-22", "2021-04-22", "2021-04-22", "day", True),
    ("今年以来全市", "今年", "2021", "2021-01-01", "2021-12-31", "year", True),
]


@pytest.fixture(scope="module")
def sample_mentions() -> list[DateMention]:
    return find_dates(SAMPLE, SAMPLE_DATE)


def test_sample_all_mentions_in_order(sample_mentions) -> None:
    assert [m.text for m in sample_mentions] == SAMPLE_MENTIONS


@pytest.mark.parametrize("case", SAMPLE_CASES, ids=[f"{c[1]}@{c[0]}" for c in SAMPLE_CASES])
def test_sample_mention(sample_mentions, case) -> None:
    context, text, date, first, last, granularity, relative = case
    assert SAMPLE.count(context) == 1, context
    start = SAMPLE.index(context) + context.index(text)
    found = [m for m in sample_mentions if m.start == start]
    assert len(found) == 1, (text, start)
    assert (found[0].text, found[0].end) == (text, start + len(text))
    assert (found[0].date, found[0].date_start, found[0].date_end) == (date, first, last)
    assert (found[0].granularity, found[0].is_relative) == (granularity, relative)


def test_sample_dangtian_clock_is_not_a_date(sample_mentions) -> None:
    # Decision: 当天上午10时 names the story's own event day (4月22日, the sentence before) plus a clock time.
    # 当天 is skipped by rule and a clock time with no day of its own is skipped, so no mention covers it.
    start = SAMPLE.index("当天上午10时")
    end = start + len("当天上午10时")
    assert not [m for m in sample_mentions if m.start < end and m.end > start]


def test_sample_durations_and_ages_are_not_dates(sample_mentions) -> None:
    for phrase in ("7天时间", "近40年党龄", "83年党龄", "十来岁", "1000亩", "103岁", "为期两天"):
        start = SAMPLE.index(phrase)
        end = start + len(phrase)
        assert not [m for m in sample_mentions if m.start < end and m.end > start], phrase


def test_sample_without_reference_uses_the_named_year() -> None:
    # The page names 2021 five times and 2022 once, so 今年 is 2021 and 4月12日 is 2021-04-12; 去年6月 is 2020-06.
    by_start = {m.start: m for m in find_dates(SAMPLE)}
    assert by_start[SAMPLE.index("4月12日")].date == "2021-04-12"
    assert by_start[SAMPLE.index("去年6月")].date == "2020-06"
    assert by_start[SAMPLE.index("今年3月")].date == "2021-03"


# ---------------------------------------------------------------- rules in isolation


def test_fullwidth_digits_give_the_same_mentions() -> None:
    half = "据悉,4月12日至13日,2021年第一季度"
    full = "据悉,４月１２日至１３日,２０２１年第一季度"
    a, b = find_dates(half, "2021-04-22"), find_dates(full, "2021-04-22")
    assert [(m.start, m.end, m.date, m.granularity) for m in a] == [(m.start, m.end, m.date, m.granularity) for m in b]
    assert [m.text for m in b] == ["４月１２日", "１３日", "２０２１年第一季度"]


def test_reference_accepts_date_datetime_and_iso_string() -> None:
    text = "昨天,4月30日"
    expected = [("昨天", "2021-04-21"), ("4月30日", "2020-04-30")]
    for reference in ("2021-04-22", dt.date(2021, 4, 22), dt.datetime(2021, 4, 22, 8, 0), "2021-04-22T08:00"):
        assert [(m.text, m.date) for m in find_dates(text, reference)] == expected


def test_month_day_after_reference_goes_to_the_year_before_but_month_alone_does_not() -> None:
    got = [(m.text, m.date) for m in find_dates("5月3日,5月,5月上旬", "2021-04-22")]
    assert got == [("5月3日", "2020-05-03"), ("5月", "2021-05"), ("5月上旬", "2021-05")]


def test_bare_day_inherits_from_its_anchor_without_shift() -> None:
    # The anchor (4月21日) is not after the reference, so 23日 keeps 2021 although it is after 4-22.
    got = [(m.text, m.date) for m in find_dates("4月21日至23日", "2021-04-22")]
    assert got == [("4月21日", "2021-04-21"), ("23日", "2021-04-23")]


def test_is_relative() -> None:
    got = {m.text: m.is_relative for m in find_dates("2020年5月,去年,今天,5月1日,2021-01-02", "2021-04-22")}
    assert got == {"2020年5月": False, "去年": True, "今天": True, "5月1日": True, "2021-01-02": False}


def test_existing_functions_unchanged() -> None:
    from zzdata.dates import filename_date, header_date, infer_publication_date, text_date

    assert header_date("2021年4月23日 星期五") == "2021-04-23"
    assert filename_date("zzrb-20210423-A3.txt") == "2021-04-23"
    assert text_date("2021年。4月12日,甲。") == "2021-04-12"
    assert infer_publication_date("x", "zzrb-20210423.txt") == ("2021-04-23", "filename")


# ---------------------------------------------------------------- properties

DATE_ALPHABET = (
    "0123456789０１２３４５６７８９〇○零一二两三四五六七八九十百"
    "年月日号號时点分半份上中下旬季度第今去前明昨天当至到、和-./~ ,，。;\n"
)
DATE_PIECES = st.sampled_from(
    ["2021", "1998", "二〇二一", "4", "12", "31", "十二", "二十二", "三十一", "年", "月", "日", "号", "份", "时", "点",
     "上旬", "下半年", "一季度", "今年", "去年", "昨天", "今天", "当天", "至", "、", "下午", "夜间", ",", "。", "-", ".",
     "０", "２", "亩", "岁", "天", "个"]
)
DATE_LIKE = st.one_of(
    st.text(alphabet=DATE_ALPHABET, max_size=40),
    st.lists(DATE_PIECES, max_size=14).map("".join),
    st.text(max_size=40),
)
REFERENCES = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?)?)?")


def _check_mention(text: str, m: DateMention) -> None:
    assert 0 <= m.start < m.end <= len(text)
    assert text[m.start : m.end] == m.text
    assert m.granularity in GRANULARITIES
    assert ISO.fullmatch(m.date), m
    first, last = dt.date.fromisoformat(m.date_start), dt.date.fromisoformat(m.date_end)
    assert first <= last
    if "T" in m.date:
        dt.datetime.fromisoformat(m.date)
    assert m.date_start[: len(m.date)] == m.date[: len(m.date_start)]  # the label is a prefix of the first day


@settings(max_examples=400, deadline=None)
@given(DATE_LIKE, REFERENCES)
def test_never_raises_and_spans_slice_to_text(text: str, reference) -> None:
    mentions = find_dates(text, reference)
    for m in mentions:
        _check_mention(text, m)
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


@settings(max_examples=200, deadline=None)
@given(st.lists(DATE_PIECES, max_size=14).map("".join), REFERENCES)
def test_fullwidth_digits_property(text: str, reference) -> None:
    full = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    key = lambda ms: [(m.start, m.end, m.date, m.date_start, m.date_end, m.granularity, m.is_relative) for m in ms]
    assert key(find_dates(text, reference)) == key(find_dates(full, reference))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_printed_full_dates_round_trip(day: dt.date) -> None:
    text = f"据悉,{day.year}年{day.month}月{day.day}日,"
    (m,) = find_dates(text)
    assert (m.text, m.date, m.granularity, m.is_relative) == (text[3:-1], day.isoformat(), "day", False)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 12, 31)), st.dates())
def test_month_day_never_after_reference(reference: dt.date, day: dt.date) -> None:
    if (day.month, day.day) == (2, 29):
        return  # not every year has one
    text = f"{day.month}月{day.day}日"
    (m,) = find_dates(text, reference)
    resolved = dt.date.fromisoformat(m.date)
    assert m.is_relative and 0 <= (reference - resolved).days < 366


# Issue 14: the publication date's basis.  Made-up lines in the shapes of web
# exports (发布时间：…, 2021-04-22 10:31 来源：…) and dated datelines; the
# expected dates are read from the lines.
@pytest.mark.parametrize("text, expected", [
    ("标题\n发布时间：2021-04-22 10:31:05  来源：株洲日报\n正文。", "2021-04-22"),
    ("标题\n发布日期:2021年4月22日 来源:青竹区政府网\n正文。", "2021-04-22"),
    ("标题\n2021-04-22 10:31  来源：掌上株洲  作者：王小明\n正文。", "2021-04-22"),
    ("标题\n时间：2021/4/22 浏览次数：312\n正文。", "2021-04-22"),
])
def test_web_release_date(text, expected) -> None:
    from zzdata.dates import infer_publication_date, release_date
    assert release_date(text) == expected
    assert infer_publication_date(text, "x.txt") == (expected, "web")


def test_dated_dateline() -> None:
    from zzdata.dates import dateline_date, infer_publication_date
    text = "标题\n本报2021年4月21日讯(记者 王小明)昨日,全市开展演练。"
    assert dateline_date(text) == "2021-04-21"
    assert infer_publication_date(text, "x.txt") == ("2021-04-21", "dateline")


def test_basis_order_of_trust() -> None:
    # manifest > page header > web 发布时间 > dateline > file name > clause dates
    from zzdata.dates import infer_publication_date
    text = "发布时间：2021-04-22\n本报2021年4月21日讯(记者 王小明)4月20日,全市开展演练。"
    assert infer_publication_date(text, "zzrb-20210419.txt", "2021-04-25", "2021-04-24") == ("2021-04-25", "manifest")
    assert infer_publication_date(text, "zzrb-20210419.txt", None, "2021-04-24") == ("2021-04-24", "page")
    assert infer_publication_date(text, "zzrb-20210419.txt") == ("2021-04-22", "web")
    assert infer_publication_date(text.split("\n")[1], "zzrb-20210419.txt") == ("2021-04-21", "dateline")
    assert infer_publication_date("4月20日,全市开展演练。", "zzrb-20210419.txt") == ("2021-04-19", "filename")


def test_body_dates_are_no_release_date() -> None:
    # a date inside a sentence is not a 发布时间 line
    from zzdata.dates import dateline_date, release_date
    text = "2021年4月22日,全市开展演练。\n据悉,2021-04-22将再次演练。"
    assert release_date(text) is None and dateline_date(text) is None


def test_release_date_with_inline_pinyin_and_tag_line() -> None:
    # shapes seen in real web exports (benchmarks/layout_devset): a site printing
    # pinyin after characters, and a tag line ending in the date
    from zzdata.dates import release_date
    # (dates reads the simplified reading copy of a page: script.reading_copy)
    assert release_date("标题\n发(fā)布时间:2023-08-26 09:55:16\n正文。") == "2023-08-26"
    assert release_date("'标题'\n株洲 湘江 茶陵 株洲日报 2019-07-29\n正文。") == "2019-07-29"


def test_a_notice_time_line_is_no_release_date() -> None:
    # made up: a printed notice lists 时间/地点; that is no web release line
    from zzdata.dates import release_date
    assert release_date("活动安排\n时间:2021年4月22日上午9时\n地点:青竹区文化馆\n") is None
