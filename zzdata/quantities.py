"""Quantities: the span grammar of a quantity mention — value, unit, qualifier.

This module owns the span grammar: where a quantity starts and ends, its
qualifier words and its unit.  Numerals themselves are read by
``numerals.parse_numeral`` (whole strings only); units come from the
lexicon ``lexicon/units.tsv``.  What a figure counts, where and when is
added by ``figures`` and ``context``.

A mention is: [第] [qualifier word] [百分之] numeral [connector numeral]
[unit] [connector numeral unit] [(含)] [qualifier word].  Matching runs on
a copy normalised one character to one character (full-width digits →
ASCII), so every offset is an offset into the text as printed.

>>> [(m.text, m.value, m.unit, m.qualifier) for m in find_quantities("共筹集爱心款3万余元")]
[('3万余元', 30000, '元', 'over')]
>>> [(m.text, m.value, m.qualifier) for m in find_quantities("参加人员近６千人次")]
[('近６千人次', 6000, 'under')]
>>> [(m.text, m.value, m.high, m.qualifier) for m in find_quantities("每户补助2至3万元")]
[('2至3万元', 20000, 30000, 'range')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .lexicon import read_tsv
from .numerals import normalise, parse_numeral, parse_percent
from .wordcut import tagged, tokens  # jieba itself loads only when needed

_CN = "零〇一二两三四五六七八九十百千万亿"
# Banker's numerals (壹仟玖佰; 佰/仟/拾 are normalised to 百/千/十): a run that starts with
# one of their digits and holds at least two characters, so 伍 in 队伍355 is no numeral.
_CAPITAL = "[壹贰叁肆伍陆柒捌玖][壹贰叁肆伍陆柒捌玖零十百千万亿]+"
_MULTIPLIERS = "百千万亿佰仟"
_DIGITS = r"[0-9]+(?:[.,][0-9]+)*"  # separators only between digits: a trailing comma is prose
_NUMERAL = (
    rf"(?:负|(?<![0-9)）])-(?=[0-9]))?(?:半百|[0-9]+/[0-9]+(?![0-9/])|{_CAPITAL}|(?:上(?=[百千万亿])|[数几](?=[十百千万亿]))?"
    rf"(?:{_DIGITS}|[{_CN}](?![0-9]))(?:{_DIGITS}|[{_CN}拾佰仟点几余多来]|分之|个(?=亿))*)"
)
# The first characters a mention can start with besides the qualifier words: 第, 零下, 百分之 and the numeral's.
_FIRST_CHARS = f"第零百负-半上数几0123456789壹贰叁肆伍陆柒捌玖{_CN}"
_CONNECTOR = r"\s?(?:至|到|~|～|-{1,2}|－{1,2}|—{1,2}|–)\s?"
_PRE = {
    "exact": "共计|总计|合计|累计|共有|共|达到|达|多达|高达",
    "approx": "大约|大概|约",
    "under": "将近|接近|不到|不足|未满|少于|小于|低于|近",
    "over": "超过|超出|多于|大于|高于|逾|突破|年过|超|过",
    "at_least": "至少|最少|不少于|不低于|不小于|≥",
    "at_most": "最多|不超过|不高于|不大于|至多|≤",
}
_POST = {
    "approx": "左右|上下",
    "at_least": "或以上|以上|开外",
    "at_most": "或以下|以下|以内",
    "exact": "之多|整",
    "over": "多|余",
    "half": "半",
}
_PRE_WORD = {w: q for q, words in _PRE.items() for w in words.split("|")}
_POST_WORD = {w: q for q, words in _POST.items() for w in words.split("|")}
# 多/余/半 after the unit (两年多, 10吨多, 一吨半) only for measures, not for counted things.
_CONTINUOUS = {"duration", "mass", "length", "money", "area", "volume", "age"}
_DATE_AFTER = re.compile(r"(?:年(?!龄|纪|级|均|度|轻)|月(?!薪)|日|号|时|许时|点(?![0-9])|分(?!钟|之)|秒|:[0-9]|：[0-9])")
_NAME_AFTER = re.compile(r"[厂所院校]")
_CODE_WORDS = re.compile(r"热线|电话|拨打|手机|编号|代码|邮编|工号|车牌|证号|账号|QQ|微信号|平台|平臺")
_ADDRESS_BEFORE = re.compile(r"(?:路|街|巷|道|弄|里|村|组|号|栋|楼|幢|区)$")
_ADDRESS_AFTER = re.compile(r"^(?:号|栋|幢|楼|单元|室|层|弄)")
_QUOTED = re.compile(r"“[^”“]{1,14}”|‘[^’‘]{1,14}’|「[^」「]{1,14}」")
_COUNTED = {"count", "people"}
_CHINESE_DECIMAL = re.compile(r"负?[零〇一二两三四五六七八九十百千万]+点[零〇一二三四五六七八九]+")
_LOOK = 12  # characters of context the dimension rules look at on each side
# Compiled once: each is tried on every candidate mention.
_PLACE_LAST = re.compile(r"(?:负|-)?[0-9.]+[万亿]?[千百十]")  # 12千 (米), 2万千 (瓦)
_TAEL_LAST = re.compile(rf"[{_CN}]*[十百千]两|[{_CN}]+[一二三四五六七八九]两")  # 三千两百两, 二十三两; not 三两, 一万两
_MULTIPLIER_END = re.compile(rf"[{_MULTIPLIERS}]+$")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_OR_COLON_END = re.compile(r"[A-Za-z][-_]?$|[:：]$")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_TIME_AFTER = re.compile(r"[分刻时]")
_RECENT_AFTER = re.compile(r"来|以来|平均|内|间|里|中")  # 近三年来, 近5年平均: 近 is recent


@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str
    dimension: str
    factor: int
    arabic_only: bool
    one_counts: bool = False  # 一 before it counts one thing (一座桥), not the indefinite article (一场)


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
    unit_known: bool = field(default=True, kw_only=True)  # False: a measure word the lexicon lacks


@dataclass(frozen=True)
class _Parts:
    """What the grammar matched, once the unit has taken back its
    multiplier (12千米 is 12 千米, not 12000 米)."""

    start: int
    end: int
    ordinal: bool
    pre: str
    percent: bool
    num: str
    num_start: int
    upper: str
    unit: Unit | None
    post: str
    below: bool = False  # 零下五摄氏度: the value is negative
    recent: bool = False  # 近三年来: 近 (recent) left out of the span

    @property
    def arabic(self) -> bool:
        return self.num.lstrip("上数几-")[:1].isdigit()


@lru_cache(maxsize=1)
def units() -> tuple[dict[str, Unit], re.Pattern]:
    """The unit lexicon and a regex matching any surface, longest first."""
    table = {
        r["surface"]: Unit(
            r["surface"], r["unit"], r["dimension"], int(r["factor"]), r["needs"] == "arabic", r["one"] == "count"
        )
        for r in read_tsv("units.tsv")
    }
    alternatives = "|".join(re.escape(s) for s in sorted(table, key=len, reverse=True))
    return table, re.compile(alternatives)


@lru_cache(maxsize=1)
def _grammar() -> re.Pattern:
    # 过 alone (占比过30%) only before Arabic digits: 过三关 is no qualifier.
    pre = "|".join(w if w != "过" else "过(?=[0-9])" for w in sorted(_PRE_WORD, key=len, reverse=True))
    post = "|".join(sorted(_POST_WORD, key=len, reverse=True))
    # Every mention starts with one of these characters; the lookahead lets the engine pass over
    # the other positions with one test each instead of trying every alternative (4x faster).
    first = re.escape("".join(sorted({w[0] for w in _PRE_WORD} | set(_FIRST_CHARS))))
    return re.compile(
        rf"(?=[{first}])(?P<ordinal>第)?(?P<pre>{pre})?(?P<below>零下)?(?P<percent>百分之)?"
        rf"(?P<num>{_NUMERAL})(?:(?:[(（]含[)）])?{_CONNECTOR}(?P<num2>{_NUMERAL}))?"
        rf"(?P<unit>{units()[1].pattern})?(?:{_CONNECTOR}(?P<num3>{_NUMERAL})(?P=unit))?"
        rf"(?P<incl>[(（]含[)）])?(?P<post>{post})?"
    )


def find_quantities(text: str) -> list[Quantity]:
    """All quantity mentions in ``text`` with value, unit and qualifier.

    Dates and times are left to ``dates``; ordinals, addresses, codes and
    numbers inside short quoted slogans get their own dimension so they are
    never summed with amounts.
    """
    norm = normalise(text)
    found = [q for q in (_quantity(text, norm, match) for match in _grammar().finditer(norm)) if q]
    found = _without_overlaps([_extended(_unknown_unit(q, text, norm), text, norm) for q in found])
    return _with_spaced(_with_levels(_with_halves(found, text, norm), text, norm), text, norm)


# A space between the digits and their 万/亿 or unit, as PDF and web exports
# print them (198.21 万人, 28.85 亿元, 40 人): read as if it were not there.
_SPACED = re.compile(r"(?<![0-9.,])[0-9]+(?:\.[0-9]+)?(?P<gap>[ \u3000\xa0]{1,2})(?=[\u4e00-\u9fff%℃])")


def _with_spaced(found: list[Quantity], text: str, norm: str) -> list[Quantity]:
    """``found`` with each number whose multiplier or unit stands after a
    space read whole, over the bare number the grammar saw.

    >>> [(q.text, q.value, q.unit) for q in find_quantities("转移安置 198.21 万人,损失 28.85 亿元")]
    [('198.21 万人', 1982100, '人'), ('28.85 亿元', 2885000000, '元')]
    """
    if not _SPACED.search(norm):
        return found
    done = 0
    for m in _SPACED.finditer(norm):
        if m.start() < done:
            continue  # a later gap of a figure already read whole (1 万-5 万元)
        window = norm[m.start() : m.end() + 16].replace("\n", "。")
        gaps = {i for g in _SPACED.finditer(window) for i in range(g.start("gap"), g.end("gap"))}
        kept = [i for i in range(len(window)) if i not in gaps]  # where each squeezed character stands
        whole = next((q for q in find_quantities("".join(window[i] for i in kept)) if q.start == 0), None)
        if whole is None or kept[whole.end - 1] < m.end("gap") - m.start() or whole.dimension in ("ordinal", "code"):
            continue
        start, end = m.start(), m.start() + kept[whole.end - 1] + 1
        spaced = replace(whole, start=start, end=end, text=text[start:end])
        found = [q for q in found if not (q.start < end and start < q.end)] + [spaced]
        done = end
    return sorted(found, key=lambda q: q.start)


def _without_overlaps(found: list[Quantity]) -> list[Quantity]:
    """Drop a mention an earlier, extended one swallowed (the 6角 of 45元6角7分)."""
    kept: list[Quantity] = []
    for q in found:
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    return kept


# Measure words jieba does not tag q (床 n, 具 v, 眼 n): nouns of containers, shapes and
# structures that count things in official reports.  jieba's q tag does the rest.
_CLASSIFIER_CHARS = set("床具眼樘榀宗枚尾羽头匹盏孔扇面幅尊株丛蔸副桩笔杆")
_NOT_MEASURE = re.compile(r"[万亿千百十年月日号时点分秒]")


def _unknown_unit(q: Quantity, text: str, norm: str) -> Quantity:
    """A bare number followed by a measure word the lexicon lacks keeps it as
    its unit, with ``unit_known`` False; any other next word leaves the unit empty.

    >>> [(q.text, q.unit, q.unit_known) for q in find_quantities("新增病床300床,门窗5樘,共有3个")]
    [('300床', '床', False), ('5樘', '樘', False), ('共有3个', '个', True)]
    """
    if q.unit or q.dimension != "number" or q.qualifier not in ("exact", "range") or not (q.text[-1:].isdigit() or q.text[-1:] in "万亿"):
        return q
    char = norm[q.end : q.end + 1]
    if not ("\u4e00" <= char <= "\u9fff") or _NOT_MEASURE.match(char):
        return q
    word, tag = tagged(norm[q.end : q.end + 4])[0]
    if word != char or not (tag == "q" or char in _CLASSIFIER_CHARS):
        return q
    return replace(q, end=q.end + 1, text=text[q.start : q.end + 1], unit=char, dimension="count", unit_known=False)


_D1 = "[0-9一二两三四五六七八九]"
_SUB_YUAN = re.compile(rf"零?(?P<jiao>{_D1})[角毛](?:零?(?P<fen>{_D1})分(?!钟|之))?|零?(?P<fen_only>{_D1})分(?!钟|之)")
_METRE_TAIL = re.compile(rf"(?P<d>{_D1}|[0-9]{{2}})(?![0-9一二两三四五六七八九十百千万亿点.个米厘分毫])")
_ABOUT_BEFORE = re.compile(r"约[占有为是达计][^，,。；;！？、：:]{0,8}$")


def _digit(char: str) -> int:
    return int(char) if char.isdigit() else "一二三四五六七八九".index(char.replace("两", "二")) + 1


def _extended(q: Quantity, text: str, norm: str) -> Quantity:
    """Forms that run past the unit, and 约 a few words before the number.

    >>> [(m.text, m.value, m.unit) for m in find_quantities("花了45元6角7分,身高一米八")]
    [('45元6角7分', 45.67, '元'), ('一米八', 1.8, '米')]
    >>> [(m.text, m.value, m.qualifier) for m in find_quantities("约占全市的三成")]
    [('三成', 3, 'approx')]
    """
    tail, add = None, 0.0
    if q.unit in ("元", "块") and q.qualifier == "exact" and (m := _SUB_YUAN.match(norm, q.end)):
        fen = m["fen"] or m["fen_only"]
        tail, add = m, (_digit(m["jiao"]) / 10 if m["jiao"] else 0) + (_digit(fen) / 100 if fen else 0)
    elif q.unit == "米" and q.qualifier == "exact" and float(q.value).is_integer() and (m := _METRE_TAIL.match(norm, q.end)):
        digits = m["d"] if m["d"].isdigit() else str(_digit(m["d"]))
        tail, add = m, int(digits) / 10 ** len(digits)  # 一米八, 1米75: trailing digits are the decimals
    if tail is not None and q.value >= 0:
        value = round(q.value + add, 2)
        return replace(q, end=tail.end(), text=text[q.start : tail.end()], value=value, low=value, high=value)
    if q.qualifier == "exact" and q.dimension not in ("ordinal", "address", "name", "code") and _ABOUT_BEFORE.search(norm[max(0, q.start - 12) : q.start]):
        return replace(q, low=None, high=None, qualifier="approx")  # 约占全市的三成
    return q


_HALF = re.compile(r"(?<![上下前后一二两三四五六七八九十0-9个多大])半")


def _with_halves(found: list[Quantity], text: str, norm: str) -> list[Quantity]:
    """半吨, 半公里, 半年, 半个月: half of a unit of measure (not 上半年, 半斤八两).

    >>> [(q.text, q.value, q.unit) for q in find_quantities("运来半吨沙,走了半公里")]
    [('半吨', 0.5, '吨'), ('半公里', 0.5, '公里')]
    """
    table, pattern = units()
    halves = []
    for m in _HALF.finditer(norm):
        unit_match = pattern.match(norm, m.end())
        unit = table.get(unit_match.group()) if unit_match else None
        if unit is None or unit.arabic_only or unit.dimension not in ("mass", "length", "area", "volume", "duration"):
            continue
        end = unit_match.end()
        if any(q.start < end and m.start() < q.end for q in found) or _inside_word(norm, m.start(), end):
            continue
        value = _scale(0.5, unit.factor)
        halves.append(Quantity(m.start(), end, text[m.start() : end], value, value, value, unit.unit, unit.dimension, "exact"))
    return sorted(found + halves, key=lambda q: q.start) if halves else found


# Response and warning levels printed in Roman numerals (Ⅳ级应急响应, IV级):
# the numeral grammar above reads no Roman digit, so they are found apart.
_ROMAN = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_ROMAN.update({"一": 1, "二": 2, "三": 3, "四": 4})
# A Roman level anywhere (Ⅳ级, IV 级); a Chinese one (四级) only before a
# response or warning, since 四级 is as often a grade of something else.
_LEVEL = re.compile(
    r"(?=[ⅠⅡⅢⅣⅤIV一二三四])(?:(?<![A-Za-z])(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|III|II|IV|I|V) ?级"
    r"|(?<![一二三四五六七八九十第])([一二三四])级(?=[\u4e00-\u9fff]{0,8}?(?:应急响应|响应|预警)))"
)  # the lookahead first: one test per position instead of every alternative


def _with_levels(found: list[Quantity], text: str, norm: str) -> list[Quantity]:
    """``found`` with the Roman-numeral levels that overlap none of it, in order.

    >>> [(q.text, q.value, q.unit, q.dimension) for q in find_quantities("启动防汛Ⅳ级应急响应,后提升至III级")]
    [('Ⅳ级', 4, '级', 'level'), ('III级', 3, '级', 'level')]
    >>> [(q.text, q.value) for q in find_quantities("启动防汛四级应急响应,IV 级预警;四级公路")]
    [('四级', 4), ('IV 级', 4)]
    """
    levels = [
        Quantity(m.start(), m.end(), text[m.start() : m.end()], n, n, n, "级", "level", "exact")
        for m in _LEVEL.finditer(norm)
        for n in [_ROMAN[m.group(1) or m.group(2)]]
        if not any(q.start < m.end() and m.start() < q.end for q in found)
    ]
    return sorted(found + levels, key=lambda q: q.start) if levels else found


def _parts(norm: str, match: re.Match) -> _Parts:
    num, unit_text = match.group("num"), match.group("unit") or ""
    table = units()[0]
    shifted = num[-1] + unit_text
    if unit_text and not match.group("num2") and _PLACE_LAST.fullmatch(num) and shifted in table:
        if table[shifted].unit != table[unit_text].unit:
            num, unit_text = num[:-1], shifted  # 12千米 is 12 千米, 2万千瓦 is 20000 千瓦
    if not unit_text and not match.group("num2") and _TAEL_LAST.fullmatch(num):
        num, unit_text = num[:-1], "两"  # 三千两百两: the last 两 is the tael (a numeral ends in 二, never 两)
    post = match.group("post") or ""
    end = match.end()
    unit = table.get(unit_text)
    arabic = num.lstrip("上数几-")[:1].isdigit()
    if unit and unit.arabic_only and (not arabic or _starts_word(norm, match.start("unit"), unit)):
        unit, post = None, ""
        end = match.end("num2") if match.group("num2") else match.end("num")
    if post and not _post_fits(post, unit, match):
        end -= len(post)
        post = ""
    pre = match.group("pre") or ""
    recent = pre == "近" and unit is not None and unit.dimension == "duration" and not post
    recent = recent and bool(_RECENT_AFTER.match(norm, end))
    if recent:
        pre = ""  # 近三年平均值, 近5年来: the recent three years, not nearly three
    if match.group("ordinal"):
        start = match.start("ordinal")
    else:
        start = match.start("pre") if pre else match.end("pre") if recent else match.start()
    return _Parts(
        start, end, bool(match.group("ordinal")), pre, bool(match.group("percent")),
        num, match.start("num"), match.group("num2") or match.group("num3") or "", unit, post,
        bool(match.group("below")), recent,
    )


def _starts_word(norm: str, at: int, unit: Unit) -> bool:
    """A one-character abbreviation (300平, 20立, 3方) that begins a longer
    word (12345平台, 3方面) is no unit."""
    if len(unit.surface) > 1 or not "\u4e00" <= norm[at + 1 : at + 2] <= "\u9fff":
        return False
    return len(tokens(norm[at : at + 4])[0]) > 1


def _post_fits(post: str, unit: Unit | None, match: re.Match) -> bool:
    """以上/左右 may follow a bare number; 多/余/半 only a measure's unit."""
    if _POST_WORD[post] in ("over", "half"):
        return unit is not None and unit.dimension in _CONTINUOUS
    if post == "整":
        return unit is not None and unit.dimension == "money"
    return True


def _quantity(text: str, norm: str, match: re.Match) -> Quantity | None:
    if match.end() - match.start() == 1 and match.group() in _CN:
        return None  # a lone 一, 三, 十 with nothing around it to make it a figure (the commonest match)
    parts = _parts(norm, match)
    dimension = _dimension(norm, parts)
    if dimension is None:
        return None
    numbers = _numbers(parts)
    if numbers is None:
        return None
    interval = _interval(parts, *numbers)
    if interval is None:
        return None
    value, low, high, qualifier = interval
    factor = parts.unit.factor if parts.unit else 1
    unit = "%" if parts.percent else parts.unit.unit if parts.unit else ""
    if parts.percent:
        dimension = "percent"
    if parts.below:  # 零下五摄氏度
        value, low, high = -value, (None if high is None else -high), (None if low is None else -low)
    if dimension in _COUNTED and not float(_scale(value, factor)).is_integer():
        dimension = "code"  # 2.2本计划: a section number, not 2.2 books
    return Quantity(
        parts.start, parts.end, text[parts.start : parts.end],
        _scale(value, factor), _scale(low, factor), _scale(high, factor), unit, dimension, qualifier,
    )


def _numbers(parts: _Parts):
    """(first numeral, second numeral or None), or None when unreadable."""
    num, upper = parts.num, parts.upper
    num = num.replace("个亿", "亿")  # 三个亿 is 3e8
    if num in ("万", "千", "百", "亿") and (parts.pre or upper) or num in ("万余", "万多", "亿余", "亿多"):
        num = "一" + num  # 逾万人, 近千人, 万余条
    if upper:
        num = _shared_multiplier(num, upper)
    try:
        first = parse_percent("百分之" + num) if parts.percent else parse_numeral(num)
        second = parse_numeral(upper) if upper else None
    except ValueError:
        return None
    return first, second


def _shared_multiplier(num: str, upper: str) -> str:
    """2至3万 is 2万 to 3万; 八到九百亿 is 八百亿 to 九百亿; 8500到3万 stays."""
    tail = _MULTIPLIER_END.search(upper)
    if not tail or num[-1] in _MULTIPLIERS:
        return num
    try:
        if parse_numeral(num + tail.group()).value <= parse_numeral(upper).value:
            return num + tail.group()
    except ValueError:
        pass
    return num


def _dimension(norm: str, parts: _Parts) -> str | None:
    """The dimension, or None when the match is not a quantity at all."""
    # Only a few characters either side matter; bounded windows keep a page
    # that is one enormous line linear (a slice to the text's end is not).
    before = norm[max(0, parts.start - _LOOK) : parts.start]
    after = norm[parts.num_start + len(parts.num) : parts.end + _LOOK]
    unit = parts.unit
    if parts.ordinal:
        return "ordinal"
    glued_before = norm[max(0, parts.num_start - _LOOK) : parts.num_start]  # before the numeral itself, not a 达到 before it
    if parts.arabic and (_LATIN.match(norm, parts.end) or _LATIN_OR_COLON_END.search(glued_before)):
        return None  # 5A级, G20, COVID-19, 2:00: part of a name, code or time
    if parts.percent:
        return "percent"
    if _ADDRESS_BEFORE.search(before) and (unit and unit.surface in ("栋", "号") or _ADDRESS_AFTER.match(after)):
        return "address"  # 人民路38栋, 3号楼2单元
    if unit is None:
        return _unitless(parts, norm, after)
    if unit.surface == "年" and (_YEAR.fullmatch(parts.num) or after[len("年") :].startswith("代")):
        return None  # 2021年, 80年代: dates
    if parts.num == "一" and not (parts.pre or parts.upper) and unit.dimension in _COUNTED:
        return unit.dimension if _counts_one(norm, parts, unit) else None  # 一场, 一名有着…: the indefinite article
    if not parts.arabic and not parts.recent and _inside_word(norm, parts.start, parts.end):
        return None
    if _in_quotes(norm, parts.start, parts.end):
        return "name"
    if unit.dimension == "duration" and norm[parts.end : parts.end + 1] == "大":
        return "age"  # 十个月大
    if unit.surface == "块" and _means_yuan(norm, parts):
        return "money"
    return unit.dimension


_NOT_ONE_BEFORE = re.compile(r"[第统唯每同逐任另某哪万之专单划归这那前后上下]$")  # 最后一台: which, not how many
_NOUN_TAGS = ("n", "vn")


def _counts_one(norm: str, parts: _Parts, unit: Unit) -> bool:
    """一 + a classifier of concrete things (``one=count`` in units.tsv) before a
    noun is a count of one: jieba must cut 一 and the classifier as a numeral
    (m, q) of their own, so 一条心, 进一步, 一套房 are not; 每一座, 同一条 are not.

    >>> [(q.text, q.value, q.unit) for q in find_quantities("邻居因一堵围墙争执,开展了一次检查")]
    [('一堵', 1, '堵')]
    """
    if not unit.one_counts or _NOT_ONE_BEFORE.search(norm[max(0, parts.start - 1) : parts.start]):
        return False
    window_start = max(0, parts.start - 2)
    position, inside, noun_next = window_start, False, False
    for word, tag in tagged(norm[window_start : parts.end + 6]):
        if position == parts.start:
            inside = True
        if inside and position >= parts.end:
            noun_next = position == parts.end and tag.startswith(_NOUN_TAGS)
            break
        if inside and tag not in ("m", "q", "mq"):
            return False
        position += len(word)
        if position > parts.end or (not inside and position > parts.start):
            return False
    return inside and noun_next


_MONEY_WORDS = re.compile(r"钱|花|费|价|售|卖|买|付|赔|罚|捐|奖|薪|工资|收入|赚|挣|补贴|补助|租|贵|便宜")
_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?、：:\n]")


def _means_yuan(norm: str, parts: _Parts) -> bool:
    """块 is colloquial yuan when nothing is counted after it and the clause
    speaks of money (花费我三块), or when it has decimals (3.04块).

    >>> [(q.text, q.dimension) for q in find_quantities("花了三块,买了三块蛋糕,铺设地砖3000块")]
    [('三块', 'money'), ('三块', 'count'), ('3000块', 'count')]
    """
    following = norm[parts.end : parts.end + 1]
    if "\u4e00" <= following <= "\u9fff" and following not in "和与及或":
        return False  # 三块蛋糕: a classifier
    if "." in parts.num:
        return True
    clause = _CLAUSE_BREAK.split(norm[max(0, parts.start - _LOOK) : parts.start])[-1]
    return bool(_MONEY_WORDS.search(clause))


def _unitless(parts: _Parts, norm: str, after: str) -> str | None:
    num = parts.num
    if parts.pre == "年过" and num in ("半百", "五十", "六十", "七十", "八十", "九十", "花甲", "古稀"):
        return "age"  # 年过半百: past fifty years of age
    if "分之" in num or "/" in num:
        return "ratio"  # 三分之一, 3/4
    if _CHINESE_DECIMAL.fullmatch(num) and not _TIME_AFTER.match(after):
        return "number"  # 零点五, 负三点五, 二点七一八二八 (not the time 三点五分)
    if not parts.arabic:
        num = num.replace("个亿", "亿")
        spelled = len(parts.num) >= 3 and any(c in num for c in "十百千万亿拾佰仟") and _exact(num)
        return "number" if parts.upper or parts.post or spelled else None  # not 千万, 一些, 十四五
    if _DATE_AFTER.match(after.lstrip(" \u3000\xa0")) or num.count(".") > 1:  # 4月, 1 日 (a PDF export's gap)
        return None  # dates, times and version numbers belong elsewhere
    digits = num.replace(",", "")
    around = norm[max(0, parts.start - 6) : parts.end + 8]
    if len(digits) >= 7 and "," not in num or (len(digits) > 1 and digits[0] == "0" and digits[1] != "."):
        return "code"  # phone numbers, page codes
    if parts.upper and (len(parts.upper) >= 7 or parts.upper.startswith("0")) or _CODE_WORDS.search(around):
        return "code"  # 12345热线, 0731-22888888
    if _NAME_AFTER.match(after):
        return "name"  # 331厂
    return "number"


def _exact(num: str) -> bool:
    try:
        return parse_numeral(num).qualifier == "exact"
    except ValueError:
        return False


def _in_quotes(norm: str, start: int, end: int) -> bool:
    return any(q.start() < start and end < q.end() for q in _QUOTED.finditer(norm, max(0, start - 15), end + 15))


def _inside_word(norm: str, start: int, end: int) -> bool:
    """Is a Chinese-numeral candidate part of a longer dictionary word
    (千家万户, 千里之堤)?"""
    window_start = max(0, start - 4)
    position = window_start
    for token in tokens(norm[window_start : end + 4]):
        token_end = position + len(token)
        if position < end and token_end > start and (position < start or token_end > end) and len(token) > 2:
            return True
        position = token_end
    return False


def _interval(parts: _Parts, numeral, second):
    """(value, low, high, qualifier) from the numerals and qualifier words."""
    if second is not None:
        high = second.high if second.qualifier != "exact" and second.high is not None else second.value
        if high < numeral.value:
            return None  # 1至0 is no range
        return numeral.value, numeral.value, high, "range"
    value, low, high, qualifier = numeral.value, numeral.low, numeral.high, numeral.qualifier
    word = _POST_WORD.get(parts.post) or _PRE_WORD.get(parts.pre)
    surface = parts.unit.surface if parts.unit else ""
    if "多" in surface and qualifier == "exact":
        return value, value, value + 1, "over"  # 1个多月
    if "半" in surface:
        value = low = high = value + 0.5  # 两个半小时
    if parts.post == "半":
        value = low = high = value + 0.5
        word = _PRE_WORD.get(parts.pre)
    elif parts.post in ("多", "余") and qualifier == "exact":
        return value, value, value + 1, "over"  # 两年多: [2, 3) years
    if qualifier != "exact" or word in (None, "exact"):
        return value, low, high, qualifier
    bounds = {
        "approx": (None, None),
        "under": (None, value),
        "over": (value, None),
        "at_least": (value, None),
        "at_most": (None, value),
    }[word]
    return (value, *bounds, word)


def _scale(number, factor: int):
    if number is None:
        return None
    scaled = number * factor
    return int(scaled) if float(scaled).is_integer() else scaled
