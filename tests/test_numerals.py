# Tests for zzdata.numerals.
#
# Where the cases come from:
# - tests/golden/numerals/*.jsonl: a conformance suite read from public peers' tests — cn2an's own tests
#   (Ailln/cn2an cn2an/cn2an_test.py, cn2an/an2cn_test.py), Microsoft Recognizers-Text's Chinese specs
#   (Specs/Number/Chinese/NumberModel.json, PercentModel.json), JioNLP's money-parser tests
#   (dongrixinyu/JioNLP test/test_money_parser.py) — plus made-up cases for the forms the Zhuzhou Daily prints.
#   Each line names its source. Lines starting with "#" are comments. declined.jsonl holds peers' expectations we
#   deliberately do not meet (tests/golden/numerals/README.md says why), known_failures.jsonl strings we mean to read
#   and do not yet (empty since issue 15); both run as strict xfails.
# - The property tests below generate their own inputs (cn2an.an2cn for Chinese integers, formatted digits).
# - Issue 15: made_up.jsonl's mu-i15-* cases (Chinese decimals standing alone, signs, slash fractions, 多/几/余
#   inside a numeral) are made up; rt-slash-fraction and rt-banbai were strict xfails, cleared by that issue.
from __future__ import annotations

import json
import math
from pathlib import Path

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zzdata.numerals import NORMALISE_TABLE, Numeral, normalise, parse_numeral, parse_percent

GOLDEN = Path(__file__).parent / "golden" / "numerals"
FUNCTIONS = {"parse_numeral": parse_numeral, "parse_percent": parse_percent}
NUMERAL_ALPHABET = "〇零一二两三四五六七八九十百千万亿点余多几数来上分之又负-.,0123456789%壹拾佰萬"


def _cases() -> list:
    params = []
    for path in sorted(GOLDEN.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            case = json.loads(line)
            marks = []
            if path.stem in ("known_failures", "declined"):
                marks = [pytest.mark.xfail(strict=True, reason=case["note"])]
            params.append(pytest.param(case, id=case["id"], marks=marks))
    return params


CASES = _cases()


def _assert_number(actual, expected, field: str) -> None:
    if expected is None:
        assert actual is None, field
    elif isinstance(expected, int):
        assert type(actual) is int and actual == expected, (field, actual, expected)
    else:
        assert isinstance(actual, float), (field, actual)
        assert actual == pytest.approx(expected, rel=1e-12), (field, actual, expected)


@pytest.mark.parametrize("case", CASES)
def test_conformance(case: dict) -> None:
    parse = FUNCTIONS[case.get("func", "parse_numeral")]
    if "error" in case:
        with pytest.raises(ValueError):
            parse(case["text"])
        return
    got = parse(case["text"])
    assert got.qualifier == case["qualifier"]
    for field in ("value", "low", "high"):
        _assert_number(getattr(got, field), case[field], field)


def test_conformance_suite_is_well_formed() -> None:
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(CASES) >= 60
    for param in CASES:
        case = param.values[0]
        assert case["id"].isascii() and case["source"], case["id"]
        assert ("error" in case) != ("qualifier" in case), case["id"]


# --- properties ------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_integers_round_trip(n: int) -> None:
    got = parse_numeral(cn2an.an2cn(n))
    assert (got.value, got.qualifier) == (n, "exact")
    assert type(got.value) is int


@given(st.integers(min_value=0, max_value=10**8))
def test_digits_times_wan_and_yi(n: int) -> None:
    assert parse_numeral(f"{n}万").value == n * 10**4
    assert parse_numeral(f"{n}亿").value == n * 10**8


@given(st.integers(min_value=0, max_value=10**8))
def test_two_place_decimal_times_wan_is_exact(hundredths: int) -> None:
    text = f"{hundredths // 100}.{hundredths % 100:02d}"
    wan, yi = parse_numeral(text + "万"), parse_numeral(text + "亿")
    assert wan.value == hundredths * 100 and type(wan.value) is int
    assert yi.value == hundredths * 10**6 and type(yi.value) is int


@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_separators_and_full_width(n: int) -> None:
    full_width = str(n).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    assert parse_numeral(f"{n:,}").value == n
    assert parse_numeral(full_width).value == n


@given(st.one_of(st.text(), st.text(alphabet=NUMERAL_ALPHABET, max_size=14)))
def test_any_text_parses_or_raises_value_error(text: str) -> None:
    try:
        got = parse_numeral(text)
    except ValueError:
        return
    assert isinstance(got, Numeral)
    _assert_invariants(got)


@given(st.text(alphabet=NUMERAL_ALPHABET, max_size=10))
def test_percent_parses_or_raises_value_error(text: str) -> None:
    for candidate in (text + "%", "百分之" + text):
        try:
            parse_percent(candidate)
        except ValueError:
            pass


def _assert_invariants(got: Numeral) -> None:
    assert not (isinstance(got.value, float) and math.isnan(got.value))
    if got.qualifier == "exact":
        assert got.low == got.value == got.high
    elif got.qualifier == "approx":
        assert got.low is None and got.high is None
    else:
        assert got.low == got.value < got.high


def test_normalise_table_maps_one_character_to_one() -> None:
    for key, value in NORMALISE_TABLE.items():
        assert isinstance(key, int) and isinstance(value, str) and len(value) == 1, (key, value)


@given(st.text())
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


def test_numeral_is_frozen() -> None:
    got = parse_numeral("3.54万")
    with pytest.raises(AttributeError):
        got.value = 1  # type: ignore[misc]


# Issue 15 item 2: a sign before a number cn2an writes (负 before Chinese, - and U+2212 before digits) negates it.
@given(st.integers(min_value=1, max_value=10**12))
def test_signed_numerals_parse_back(n: int) -> None:
    assert parse_numeral("负" + cn2an.an2cn(n)).value == -n
    assert parse_numeral(f"-{n}").value == -n
    assert parse_numeral(f"\u2212{n}").value == -n


# Issue 15 item 5: a slash fraction of two integers is their quotient.
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=999))
def test_slash_fractions(a: int, b: int) -> None:
    assert math.isclose(parse_numeral(f"{a}/{b}").value, a / b, rel_tol=1e-12)


# Issue 15 (throughput): normalise changes only the characters of NORMALISE_TABLE, as str.translate does.
@given(st.text(alphabet=st.sampled_from("０１２．，％　−○萬億兩點0123456789abc中文,。、" + "".join(map(chr, range(0xFF01, 0xFF5F, 7)))), max_size=60))
def test_normalise_is_the_table(text: str) -> None:
    assert normalise(text) == text.translate(NORMALISE_TABLE) and len(normalise(text)) == len(text)
