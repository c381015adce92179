"""Quantities: the span grammar of a quantity mention — value, unit, qualifier.

This module owns the span grammar: where a quantity starts and ends, its
qualifier words and its unit.  Numerals themselves are read by
``numerals.parse_numeral`` (whole strings only); units come from the
lexicon ``lexicon/units.tsv``.  What a figure counts, where and when is
added by ``context`` (subjects, comparisons, places, dates).

Matching runs on a copy normalised one character to one character
(full-width digits → ASCII), so every offset is an offset into the text
as printed.

>>> [(m.text, m.value, m.unit, m.qualifier) for m in find_quantities("共筹集爱心款3万余元")]
[('3万余元', 30000, '元', 'over')]
>>> [(m.text, m.value, m.qualifier) for m in find_quantities("参加人员近６千人次")]
[('近６千人次', 6000, 'under')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import read_tsv
from .numerals import normalise, parse_numeral, parse_percent

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
# Digits keep their separators only between digits (a trailing comma is prose).
_NUMERAL = rf"(?:[上数几]?(?:[0-9]+(?:[.,][0-9]+)*|[{_CN_DIGITS}])(?:[0-9]+(?:[.,][0-9]+)*|[{_CN_DIGITS}几余多来])*)"
_CONNECTOR = r"(?:至|到|~|～|-|－|—)"
_PRE = {
    "exact": "共计|总计|合计|累计|共有|共|达到|达|多达|高达",
    "approx": "大约|大概|约",
    "under": "将近|接近|不到|不足|近",
    "over": "超过|逾|突破|年过|超",
    "at_least": "至少|不少于|不低于",
    "at_most": "最多|不超过|不高于|至多",
}
_POST = {"approx": "左右|上下", "at_least": "以上|开外", "at_most": "以下|以内", "exact": "之多"}
_PRE_WORD = {w: q for q, words in _PRE.items() for w in words.split("|")}
_POST_WORD = {w: q for q, words in _POST.items() for w in words.split("|")}
_DATE_AFTER = re.compile(r"(?:年(?!龄|纪|级|代|均|度|轻)|月(?!薪)|日|号|时|点(?![0-9])|分(?!钟|之)|秒)")
_ADDRESS_BEFORE = re.compile(r"(?:路|街|巷|道|弄|里|村|组|号|栋|楼|幢|区)$")
_ADDRESS_AFTER = re.compile(r"^(?:号|栋|幢|楼|单元|室|层|弄)")
_QUOTED = re.compile(r"“[^”“]{1,14}”|‘[^’‘]{1,14}’|「[^」「]{1,14}」")
_PERCENT_WORDS = re.compile(rf"百分之[0-9.{_CN_DIGITS}几]+")
_FRACTION = re.compile(rf"[0-9{_CN_DIGITS}]+分之[0-9.{_CN_DIGITS}]+")


@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str
    dimension: str
    factor: int
    arabic_only: bool


@dataclass(frozen=True)
class Quantity:
    """A quantity mention: [start, end) in the text searched."""

    start: int
    end: int
    text: str
    value: float | int
    low: float | int | None
    high: float | int | None
    unit: str
    dimension: str
    qualifier: str


@lru_cache(maxsize=1)
def units() -> tuple[dict[str, Unit], re.Pattern]:
    """The unit lexicon and a regex matching any surface, longest first."""
    table = {
        r["surface"]: Unit(r["surface"], r["unit"], r["dimension"], int(r["factor"]), r["needs"] == "arabic")
        for r in read_tsv("units.tsv")
    }
    alternatives = "|".join(re.escape(s) for s in sorted(table, key=len, reverse=True))
    return table, re.compile(alternatives)


@lru_cache(maxsize=1)
def _grammar() -> re.Pattern:
    pre = "|".join(sorted(_PRE_WORD, key=len, reverse=True))
    post = "|".join(sorted(_POST_WORD, key=len, reverse=True))
    return re.compile(
        rf"(?P<ordinal>第)?(?P<pre>{pre})?"
        rf"(?P<num>{_NUMERAL})(?:{_CONNECTOR}(?P<num2>{_NUMERAL}))?"
        rf"(?P<unit>{units()[1].pattern})?(?:{_CONNECTOR}(?P<num3>{_NUMERAL})(?P=unit))?(?P<post>{post})?"
    )


def find_quantities(text: str) -> list[Quantity]:
    """All quantity mentions in ``text`` with value, unit and qualifier.

    Dates and times are left to ``dates``; ordinals, addresses and numbers
    inside short quoted slogans get their own dimension so they are never
    summed with amounts.
    """
    norm = normalise(text)
    found: list[Quantity] = []
    taken = [False] * len(text)
    for special in (_PERCENT_WORDS, _FRACTION):
        for match in special.finditer(norm):
            if any(taken[match.start() : match.end()]):
                continue
            quantity = _special(text, norm, match)
            if quantity:
                found.append(quantity)
                taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    for match in _grammar().finditer(norm):
        if any(taken[match.start() : match.end()]):
            continue
        quantity = _quantity(text, norm, match)
        if quantity:
            found.append(quantity)
    return sorted(found, key=lambda q: q.start)


def _special(text: str, norm: str, match: re.Match) -> Quantity | None:
    surface = norm[match.start() : match.end()]
    try:
        if surface.startswith("百分之"):
            n = parse_percent(surface)
            unit, dimension = "%", "percent"
        else:
            n = parse_numeral(surface)
            unit, dimension = "", "ratio"
    except ValueError:
        return None
    return Quantity(match.start(), match.end(), text[match.start() : match.end()], n.value, n.low, n.high, unit, dimension, n.qualifier)


def _quantity(text: str, norm: str, match: re.Match) -> Quantity | None:
    start, end = match.start(), match.end()
    num, unit_text = match.group("num"), match.group("unit") or ""
    if match.group("post") and not unit_text:
        end -= len(match.group("post"))  # 以上/左右 only count after a unit
    try:
        numeral = parse_numeral(num)
        upper = match.group("num2") or match.group("num3")
        second = parse_numeral(upper) if upper else None
    except ValueError:
        return None
    arabic = num[0].isdigit() or num[0] in "上数几" and num[1:2].isdigit()
    unit = units()[0].get(unit_text)
    if unit and unit.arabic_only and not arabic:
        unit, end = None, end - len(unit_text) - len(match.group("post") or "")
        unit_text = ""
    dimension = _dimension(norm, match, num, unit, arabic, start, end)
    if dimension is None:
        return None
    if match.group("ordinal"):
        start = match.start("ordinal")
    elif match.group("pre") and dimension not in ("ordinal",):
        start = match.start("pre")
    else:
        start = match.start("num")
    value, low, high, qualifier = _interval(numeral, second, match, unit_text)
    factor = unit.factor if unit else 1
    return Quantity(
        start, end, text[start:end], _scale(value, factor), _scale(low, factor), _scale(high, factor),
        unit.unit if unit else "", dimension, qualifier,
    )


def _dimension(norm: str, match: re.Match, num: str, unit: Unit | None, arabic: bool, start: int, end: int) -> str | None:
    """The dimension, or None when the match is not a quantity at all."""
    after = norm[match.end("num2") if match.group("num2") else match.end("num") :]
    if match.group("ordinal"):
        return "ordinal"
    if arabic and (re.match(r"[A-Za-z]", after) or re.search(r"[A-Za-z][-_]?$", norm[: match.start()])):
        return None  # 5A级, G20, COVID-19: part of a name or code
    if not unit:
        if not arabic:
            return None  # a Chinese numeral needs a unit to be a quantity (千万, 一些)
        if _DATE_AFTER.match(after) or match.group("num").count(".") > 1:
            return None  # dates, times and version numbers belong elsewhere
        if re.fullmatch(r"\d{7,}", num):
            return "code"
    elif unit.surface == "年" and re.fullmatch(r"(?:1[89]|20)\d\d", num):
        return None  # 2021年 is a date
    if not arabic and _single_indefinite(num, norm, match):
        return None
    if _inside_word(norm, match.start("num"), end):
        return None
    if _ADDRESS_BEFORE.search(norm[: match.start()]) and (unit and unit.surface in ("栋", "号") or _ADDRESS_AFTER.match(after)):
        return "address"
    if _in_quotes(norm, match.start(), end):
        return "name"
    return unit.dimension if unit else "number"


def _single_indefinite(num: str, norm: str, match: re.Match) -> bool:
    """一场, 一张, 一名有着…: a lone 一 is the indefinite article, not data."""
    return num == "一"


def _in_quotes(norm: str, start: int, end: int) -> bool:
    return any(q.start() < start and end < q.end() for q in _QUOTED.finditer(norm, max(0, start - 15), end + 15))


def _inside_word(norm: str, start: int, end: int) -> bool:
    """Is a Chinese-numeral candidate part of a longer dictionary word
    (千家万户, 千里之堤)?  Arabic numerals never are."""
    if norm[start].isdigit():
        return False
    from .context import tokens  # jieba, loaded only when needed

    window_start = max(0, start - 4)
    position = window_start
    for token in tokens(norm[window_start : end + 4]):
        token_end = position + len(token)
        if position < end and token_end > start and (position < start or token_end > end) and len(token) > 2:
            return True
        position = token_end
    return False


def _interval(numeral, second, match: re.Match, unit_text: str):
    """(value, low, high, qualifier) from the numeral and qualifier words."""
    if second is not None:
        return numeral.value, numeral.value, second.high if second.qualifier != "exact" else second.value, "range"
    value, low, high, qualifier = numeral.value, numeral.low, numeral.high, numeral.qualifier
    word = match.group("post") if unit_text and match.group("post") else None
    word_qualifier = _POST_WORD.get(word) if word else _PRE_WORD.get(match.group("pre") or "")
    if qualifier != "exact" or word_qualifier in (None, "exact"):
        return value, low, high, qualifier
    bounds = {
        "approx": (None, None),
        "under": (None, value),
        "over": (value, None),
        "at_least": (value, None),
        "at_most": (None, value),
    }[word_qualifier]
    return (value, *bounds, word_qualifier)


def _scale(number, factor: int):
    if number is None:
        return None
    scaled = number * factor
    return int(scaled) if float(scaled).is_integer() else scaled
