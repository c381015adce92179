"""Numerals: a whole numeral string, Chinese or Arabic, to a value and an interval.

``parse_numeral`` reads a string that is *entirely* a numeral (a later stage
cuts the span out of prose) and returns a :class:`Numeral`: a ``value`` and
the interval ``[low, high)`` the words allow, with a ``qualifier``:

* ``exact``  — 63.6, 1,200, 一千二百, 3.54万, 三分之一; ``low == high == value``.
* ``over``   — 3万余, 300多, 十几, 几十: ``[low, high)``, ``value == low``.
  余/多 (and 几/数 after a numeral) add one unit of the last non-zero place:
  150余 is [150, 160), 3万余 is [30000, 40000), 1.5万余 is [15000, 16000),
  二十几 is [20, 30); before 万/亿 they work inside it: 十余万 is
  [100000, 200000).  That unit must be ten or more (not 5多, 19余).
  几/数 before a unit span one order of magnitude: 几千 is [1000, 10000).
* ``approx`` — 十来, 上百: ``low`` and ``high`` are None.
* ``range``  — 三四百, 七八十, 两三: two adjacent digits; ``low`` and ``high``
  are the two values as printed (三四百 is low 300, high 400) and ``value``
  is ``low``.

Conventions (decisions, with reasons):

* 万 and 亿 are multipliers folded into the value; arithmetic is done in
  :class:`decimal.Decimal`, so 3.54万 is exactly 35400.  ``value`` is an int
  when integral, else a float.
* A whole string of bare digits (二〇二一, 一九九八) is read digit by
  digit, as years and codes are printed: 二〇二一 is 2021 (but 二〇二一万
  is rejected).  A *pair* of adjacent ascending digits (一二, 两三, 七八,
  and the idiom 三五) is an approximate range instead.
* A bare 十/百/千 is 10/100/1000 (十五, 百余, 千余); a bare 万/亿 is not a
  numeral.  Chinese words are checked place by place before cn2an reads
  them, since cn2an accepts some junk (十百零).
* A fraction N分之M is M/N, so 百分之三十六 is 0.36 here; use
  :func:`parse_percent` for the number of percent (36).
* A single digit after 万/亿 is shorthand for the next place down
  (一万二 is 12000, 1万2 is 12000), as people say and print it.
* 半百, 半千, 半万 are half of the place: 50, 500, 5000 (年过半百).
* A sign (负, -, − U+2212) is allowed on exact numerals only.
* A slash fraction of Arabic digits is a fraction: 3/4 is 0.75 (issue 15).
* Rejected with ValueError (TypeError for a non-str): empty strings, ordinals (第一),
  inner whitespace, letters, units (%, 个), connectors (3至5, 1万-5万: the
  caller splits ranges), a trailing 两 after a unit (二百两 is 200 taels),
  strings longer than ``MAX_LENGTH`` characters.

>>> parse_numeral("3.54万").value
35400
>>> parse_numeral("13万余")
Numeral(value=130000, low=130000, high=140000, qualifier='over')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

__all__ = ["MAX_LENGTH", "NORMALISE_TABLE", "Numeral", "normalise", "parse_numeral", "parse_percent"]

MAX_LENGTH = 40
QUALIFIERS = ("exact", "approx", "over", "range")

# One character to one character, so offsets into the original text survive.
NORMALISE_TABLE = {
    **{0xFF01 + i: chr(0x21 + i) for i in range(94)},  # full-width ASCII forms
    0x3000: " ",  # ideographic space
    0x2212: "-",  # minus sign
    ord("○"): "〇",  # white circle, often typed for the zero in years
    **{ord(old): new for old, new in zip("萬億兩貳陸點負幾餘馀佰仟拾", "万亿两贰陆点负几余余百千十")},
}

# Finding the few characters to change is faster than str.translate over a whole page.
_TO_NORMALISE = re.compile("[" + "".join(re.escape(chr(c)) for c in NORMALISE_TABLE) + "]+")
_PAIR_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DIGIT_TABLE = str.maketrans("〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖", "00123456789123456789")
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}

_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_ARABIC_TERMS = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?[十百千])+")
_ARABIC_TERM = re.compile(r"([0-9]+(?:\.[0-9]+)?)([十百千])")
_CHINESE = re.compile(r"[〇零一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟点]+")
_D, _Z = "[一二两三四五六七八九壹贰叁肆伍陆柒捌玖]", "[零〇]"
# A Chinese number below 万, place by place (cn2an itself accepts junk such as 十百零):
# [D]千 [Z] D百 | [D]百, then [Z][D]十, then [Z]D; a bare 千/百 only leads (百三, 千余).
_CHINESE_BELOW_WAN = re.compile(
    rf"(?=.)(?!{_Z})(?:{_D}?[千仟](?:{_Z}?{_D}[百佰])?|{_D}?[百佰])?(?:{_Z}?{_D}?[十拾])?(?:{_Z}?{_D})?|{_Z}"
)
_BARE_DIGITS = re.compile(r"[〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖]+(?:点[〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖]+)?")
_DIGIT_STRING = re.compile(r"[〇零一二两三四五六七八九点]{3,}")
_PAIR_RUN = re.compile(r"[一二两三四五六七八九]{2,}")
_SINGLE_DIGIT = re.compile(r"[1-9一二两三四五六七八九壹贰叁肆伍陆柒捌玖]")
_UNIT_TAIL = r"(?:[十百千]?(?:万|亿|万亿)?)"
_MULTIPLIER_TAIL = r"(?:万|亿|万亿)?"

_SIGNED = re.compile(r"[-负](?P<rest>[^-负].*)?")
_FRACTION = re.compile(r"(?:(?P<whole>.+)又)?(?P<den>.+)分之(?P<num>.+)|(?P<snum>[0-9]+)/(?P<sden>[0-9]+)")
_VAGUE_HEAD = re.compile(rf"(?P<head>[几数上])(?P<tail>{_UNIT_TAIL})")
_ROUND = re.compile(rf"(?P<base>.+)来(?P<tail>{_MULTIPLIER_TAIL})")
_OVER = re.compile(rf"(?P<base>.+)(?P<mark>[余多几数])(?P<tail>{_MULTIPLIER_TAIL})")
_HALF_ROUND = ("半百", "半千", "半万")
_LIANG = re.compile(r"[俩倆](?=[十百千万亿])")
_PERCENT = re.compile(r"百分之(?P<a>.+)|(?P<b>.+)%")


@dataclass(frozen=True)
class Numeral:
    """A parsed numeral: ``value`` and the interval ``[low, high)`` it allows."""

    value: float | int
    low: float | int | None
    high: float | int | None
    qualifier: str

    def __post_init__(self) -> None:
        if self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")


def normalise(text: str) -> str:
    """Full-width and traditional forms to the plain ones, length unchanged.

    >>> normalise("６３．６萬")
    '63.6万'
    """
    if not _TO_NORMALISE.search(text):
        return text
    return _TO_NORMALISE.sub(lambda m: m.group().translate(NORMALISE_TABLE), text)


def parse_numeral(text: str) -> Numeral:
    """Parse a string that is entirely a numeral; raise ValueError otherwise.

    >>> parse_numeral("1，200")
    Numeral(value=1200, low=1200, high=1200, qualifier='exact')
    >>> parse_numeral("十几")
    Numeral(value=10, low=10, high=20, qualifier='over')
    >>> parse_numeral("三四百")
    Numeral(value=300, low=300, high=400, qualifier='range')
    >>> parse_numeral("十来").qualifier
    'approx'
    >>> parse_numeral("第一")
    Traceback (most recent call last):
    ...
    ValueError: not a numeral: '第一' (unexpected characters in '第一')
    """
    s = _prepare(text)
    try:
        with localcontext() as ctx:
            ctx.prec = 1000  # exact for anything MAX_LENGTH characters can spell
            return _parse(s)
    except ValueError as exc:
        raise ValueError(f"not a numeral: {text!r} ({exc})") from None


def parse_percent(text: str) -> Numeral:
    """A percentage in percent: 百分之三十六, 36%, ３６％ are all 36.

    The number may be any form parse_numeral takes (百分之二三十 is 20..30).

    >>> parse_percent("百分之三十六").value, parse_percent("2.4%").value
    (36, 2.4)
    """
    match = _PERCENT.fullmatch(_prepare(text))
    if not match:
        raise ValueError(f"not a percentage: {text!r} (want 百分之X or X%)")
    return parse_numeral(match["a"] or match["b"])


def _prepare(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    s = _LIANG.sub("两", normalise(text).strip())  # 俩千 is 两千
    if not s:
        raise ValueError(f"not a numeral: {text!r} (empty)")
    if len(s) > MAX_LENGTH:
        raise ValueError(f"not a numeral: {text[:20]!r}… (longer than {MAX_LENGTH} characters)")
    if any(c.isspace() for c in s):
        raise ValueError(f"not a numeral: {text!r} (inner whitespace)")
    return s


def _parse(s: str) -> Numeral:
    if s.endswith("%"):
        raise ValueError("a percentage: use parse_percent")
    if s in _HALF_ROUND:  # 半百 is 50: half of a bare 百/千/万
        return _exact_numeral(Decimal(_UNITS[s[1]]) / 2)
    for parse in (_signed, _fraction, _vague_head, _round, _over, _pair_range, _bare_digits):
        numeral = parse(s)
        if numeral is not None:
            return numeral
    return _exact_numeral(_exact(s))


# --- the forms: each returns None when the form does not apply -------------


def _signed(s: str) -> Numeral | None:
    """负十, -1.5: exact numerals only (负十几 has no sensible interval)."""
    match = _SIGNED.fullmatch(s)
    if not match:
        return None
    if not match["rest"]:
        raise ValueError("a sign needs one number after it")
    inner = _parse(match["rest"])
    if inner.qualifier != "exact":
        raise ValueError("a sign is allowed on exact numerals only")
    return Numeral(-inner.value, -inner.low, -inner.high, "exact")


def _fraction(s: str) -> Numeral | None:
    """三分之一 → 1/3, 百分之三十六 → 0.36, 三百五十又3分之1 → 350⅓, 3/4 → 0.75."""
    match = _FRACTION.fullmatch(s)
    if not match:
        return None
    if match["snum"]:
        match = _FRACTION.fullmatch(f"{match['sden']}分之{match['snum']}")
    denominator = _exact(match["den"])
    if denominator == 0:
        raise ValueError("zero denominator")
    whole = _exact(match["whole"]) if match["whole"] else Decimal(0)
    value = Fraction(whole) + Fraction(_exact(match["num"])) / Fraction(denominator)
    number = value.numerator if value.denominator == 1 else float(value)
    return Numeral(number, number, number, "exact")


def _vague_head(s: str) -> Numeral | None:
    """几十 / 数千 → [u, 10u); 上百 / 上万 → about u."""
    match = _VAGUE_HEAD.fullmatch(s)
    if not match:
        return None
    if not match["tail"]:
        raise ValueError(f"{match['head']!r} needs a unit after it")
    unit = _unit_value(match["tail"])
    if match["head"] == "上":
        return Numeral(_number(unit), None, None, "approx")
    return _interval(unit, unit * 10, "over")


def _round(s: str) -> Numeral | None:
    """十来, 二十来万: about a round number (a multiple of ten)."""
    match = _ROUND.fullmatch(s)
    if not match:
        return None
    base = _exact(match["base"])
    if base <= 0 or base % 10:
        raise ValueError("来 follows a round number")
    return Numeral(_number(base * _unit_value(match["tail"])), None, None, "approx")


def _over(s: str) -> Numeral | None:
    """3万余, 150余, 300多, 十几, 十余万: [x, x + one unit of x's last place)."""
    match = _OVER.fullmatch(s)
    if not match:
        return None
    base_text, mark = match["base"], match["mark"]
    if mark in "几数" and base_text.endswith("零"):  # 一百零几: 几 is the ones digit
        base, step = _exact(base_text[:-1]), Decimal(10)
    else:
        base = _exact(base_text)
        step = Decimal(1).scaleb(base.normalize().as_tuple().exponent) if base else Decimal(0)
    multiplier = _unit_value(match["tail"])
    if base <= 0 or step * multiplier < 10:  # 30余, 十几, 19余万; not 5多, 19余, 3几
        raise ValueError(f"{mark!r} follows a round number (a place of ten or more)")
    return _interval(base * multiplier, (base + step) * multiplier, "over")


def _bare_digits(s: str) -> Numeral | None:
    """二〇二一 → 2021, 一九点六 → 19.6: digit by digit, as years and codes are printed.

    Only a whole numeral is read this way: 二〇二一万 and 五八亿 are rejected.
    """
    if not _BARE_DIGITS.fullmatch(s):
        return None
    return _exact_numeral(Decimal(s.translate(_DIGIT_TABLE).replace("点", ".")))


def _pair_range(s: str) -> Numeral | None:
    """三四百 → 300..400, 七八十 → 70..80, 两三 → 2..3, 十七八 → 17..18."""
    if _DIGIT_STRING.fullmatch(s):
        return None  # 二〇一二 is a year, not 二〇一 to 二〇二
    runs = _PAIR_RUN.findall(s)
    if len(runs) != 1 or len(runs[0]) != 2:
        return None
    first, second = (_PAIR_VALUES[c] for c in runs[0])
    if not (second - first == 1 or (first, second) == (3, 5)):
        return None
    head, _, tail = s.partition(runs[0])
    low, high = _exact(head + runs[0][0] + tail), _exact(head + runs[0][1] + tail)
    return _interval(low, high, "range")


# --- exact values ----------------------------------------------------------


def _exact(s: str) -> Decimal:
    """The value of an exact numeral: digits, 万/亿 multipliers, Chinese words."""
    for char in ("亿", "万"):
        left, sep, right = s.rpartition(char)
        if sep:
            if not left:
                raise ValueError(f"{char!r} needs a number before it")
            if char in left and not left.endswith(char):  # 四万万 stacks; 一万一万 does not
                raise ValueError(f"{char!r} repeated in {s!r}")
            multiplier, coefficient = _UNITS[char], _exact(left)
            if coefficient == 0 and right:
                raise ValueError(f"zero before {char!r}")  # 0万 is 0; 零万三 is junk
            return coefficient * multiplier + _remainder(right, multiplier)
    return _section(s)


def _remainder(s: str, multiplier: int) -> Decimal:
    """What follows 万/亿: 十万零一 → 1, 一万二 → 2000 (shorthand), 点五 → 0.5."""
    if not s:
        return Decimal(0)
    if s == "两":
        raise ValueError("trailing 两 is ambiguous (a weight unit)")
    if s.startswith("零"):
        s = s[1:] or "零"
    elif _SINGLE_DIGIT.fullmatch(s):
        return _section(s) * multiplier / 10
    if s.startswith("点"):
        s = "零" + s
    value = _exact(s)
    if value >= multiplier:
        raise ValueError(f"{s!r} is too large to follow a multiplier")
    return value


def _section(s: str) -> Decimal:
    """A numeral with no 万/亿: 1,200, 63.6, 4千6百, 一千二百, 三点五四."""
    if _ARABIC.fullmatch(s):
        return Decimal(s.replace(",", ""))
    if _ARABIC_TERMS.fullmatch(s):
        return _arabic_terms(s)
    if _CHINESE.fullmatch(s):
        return _chinese(s)
    raise ValueError(f"unexpected characters in {s!r}")


def _arabic_terms(s: str) -> Decimal:
    """5千 → 5000, 4千6百 → 4600: units must fall from left to right."""
    total, last_unit = Decimal(0), 10**9
    for number, unit_char in _ARABIC_TERM.findall(s):
        unit = _UNITS[unit_char]
        if unit >= last_unit:
            raise ValueError(f"units out of order in {s!r}")
        total, last_unit = total + Decimal(number) * unit, unit
    return total


def _chinese(s: str) -> Decimal:
    """Chinese words below 万, via cn2an; decimals after 点 read here, exactly."""
    integer, point, fraction = s.partition("点")
    digits = fraction.translate(_DIGIT_TABLE)
    if point and not (integer and digits.isascii() and digits.isdigit()):
        raise ValueError(f"点 needs a number before it and digits after it in {s!r}")
    if not _CHINESE_BELOW_WAN.fullmatch(integer):
        raise ValueError(f"not a well-formed Chinese number: {integer!r}")
    if len(integer) > 1 and integer.endswith("两"):
        raise ValueError(f"trailing 两 is ambiguous (a weight unit) in {s!r}")
    if integer[0] in "百千佰仟":
        integer = "一" + integer  # 百三 is 一百三
    value = _cn2an(integer)
    return value + Decimal("0." + digits) if point else value


def _cn2an(s: str) -> Decimal:
    import cn2an  # lazy: keeps `import zzdata` fast

    try:
        result = cn2an.cn2an(s, "normal")
    except Exception as exc:  # cn2an raises ValueError, and KeyError on some input
        raise ValueError(f"cn2an cannot read {s!r}: {exc}") from None
    return Decimal(str(result))


# --- helpers ---------------------------------------------------------------


def _unit_value(tail: str) -> Decimal:
    """十 → 10, 百万 → 10**6, 万亿 → 10**12, '' → 1."""
    value = Decimal(1)
    for char in tail:
        value *= _UNITS[char]
    return value


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _exact_numeral(value: Decimal) -> Numeral:
    number = _number(value)
    return Numeral(number, number, number, "exact")


def _interval(low: Decimal, high: Decimal, qualifier: str) -> Numeral:
    return Numeral(_number(low), _number(low), _number(high), qualifier)
