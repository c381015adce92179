"""Dates: when a page was published, from the best evidence there is.

Evidence, best first: the manifest (an editor's word), a dated page header
printed on the page (2021年4月23日 星期五), a full date in the file name,
and last the text itself — the latest event date that opens a clause
(4月22日,…) in a year the text names.  Only the manifest and a printed
header count as known; the rest is marked inferred.

>>> infer_publication_date("2021年春。4月12日,甲。4月22日,乙于5月1日起施行。", "x.txt")
('2021-04-22', 'text')

Date mentions: :func:`find_dates` finds every date a text names and
resolves it against a reference date (the article's publication date):

>>> [(m.text, m.date) for m in find_dates("去年6月编制预案;4月21日夜间至22日白天有雨。", "2021-04-22")]
[('去年6月', '2020-06'), ('4月21日', '2021-04-21'), ('22日', '2021-04-22')]

Conventions (decisions, with reasons):

* ``date`` is always an ISO prefix: ``2021``, ``2021-04``, ``2021-04-12`` or
  ``2021-04-21T17:00``.  ISO has no half years, quarters or ten-day periods,
  so those carry the smallest ISO unit holding them (上半年 → ``2021``,
  6月上旬 → ``2021-06``) and the exact bounds in ``date_start``/``date_end``.
* A year needs four digits in 1900–2100 before 年 (2021年, 二〇二一年); any
  other number before 年 is a duration or an age (83年党龄, 近40年, 两年).
* With no year, a month-day takes the reference's year, or the year before
  when it would fall after the reference (papers report the past).  A month
  alone, a period (6月上旬) or a quarter keeps the reference's year: those are
  often plans and forecasts.
* The end of a range takes its year from the start: a mention with no year
  of its own, joined by a connector (至/到/、/和/与/及/或/-/~) to the last
  month mention in the same sentence, takes that mention's year (a year later
  if it would fall before it: 2020年12月1日至1月5日), and a bare day (22日)
  its month too.  A bare day with no such link is skipped: 7日内, 3日后 are
  durations.
* Words that point at the story's own event, not the paper's date (当天,
  当日, 次日, 同年, 当年), are skipped, and so are clock times with no day
  (当天上午10时, 10时): the reader, not this module, knows which day they mean.
* With no reference, mentions that need one take the year the text names most
  (none is guessed when it names none), and 今天/昨天 are skipped.
* 农历 months (a month right after 历) are skipped: they are not Gregorian.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from .chrome import chrome_kind, plain
from .numerals import normalise, parse_numeral

_HEADER = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:星期|周)[一二三四五六日天]")
_FILENAME = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_CLAUSE_DATE = re.compile(
    r"(?:^|(?<=[。！？!?;；,，\n)）”…]))\s*(\d{1,2})月(\d{1,2})日(?=\s*(?:[,，]|上午|下午|晚上|晚|凌晨|当天|早上|中午))"
)

KNOWN_SOURCES = ("manifest", "page", "web", "dateline")  # printed or given; filename and text are inferred
_YMD = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
# A web export's release line: 发布时间：2021-04-22 10:31, or a date and
# time followed by 来源/作者/浏览次数 on a short line.
_RELEASE = re.compile(
    rf"(?:(?:发布|发表|更新)(?:时间|日期)\s*[:：]|发表于|^\s*(?:时间|日期)\s*[:：])\s*[\[【]?\s*{_YMD}"
    rf"|^\s*{_YMD}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?:来源|作者|编辑|责任编辑|浏览|次浏览|点击|阅读)"
    rf"|^\s*{_YMD}\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*$"
    rf"|^(?:\S{{1,10}}\s+){{2,}}{_YMD}\s*$"
)
# A dated dateline at the head of a line: 本报2021年4月21日讯, 新华社北京2021年4月21日电
_DATELINE = re.compile(r"^\s*[^\s,，。:：]{0,12}?(\d{4})年(\d{1,2})月(\d{1,2})日(?:讯|电)")
MAX_RELEASE_LINE = 100


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def header_date(line: str) -> str | None:
    """The date of a printed page header line, if it is one.

    >>> header_date("2021年4月23日 星期五")
    '2021-04-23'
    """
    match = _HEADER.search(line)
    return _iso(*map(int, match.groups())) if match else None


def release_date(text: str) -> str | None:
    """The date of the first web release line (发布时间：…) of a text.

    >>> release_date("标题\\n发布时间：2021-04-22 10:31 来源：株洲日报\\n正文。")
    '2021-04-22'
    """
    for line in normalise(text).splitlines():
        line = plain(line)
        match = _RELEASE.search(line) if len(line) <= MAX_RELEASE_LINE and chrome_kind(line) in ("release", "forum") else None
        if match:
            groups = [int(g) for g in match.groups() if g is not None]
            found = _iso(*groups[:3])
            if found:
                return found
    return None


def dateline_date(text: str) -> str | None:
    """The date of the first dated dateline (本报2021年4月21日讯) of a text.

    >>> dateline_date("标题\\n本报2021年4月21日讯(记者 王小明)昨日……")
    '2021-04-21'
    """
    for line in normalise(text).splitlines():
        match = _DATELINE.match(line)
        if match and _iso(*map(int, match.groups())):
            return _iso(*map(int, match.groups()))
    return None


def filename_date(name: str) -> str | None:
    """A full date in a file name: 2021-04-23, 20210423, 2021_04_23.

    >>> filename_date("zzrb-20210423-A3.txt"), filename_date("zhuzhou-2021-04.txt")
    ('2021-04-23', None)
    """
    for match in _FILENAME.finditer(name):
        iso = _iso(*map(int, match.groups()))
        if iso:
            return iso
    return None


def text_date(text: str) -> str | None:
    """The latest clause-opening event date, in the year the text names most."""
    years = Counter(int(y) for y in _YEAR.findall(text))
    if not years:
        return None
    year = years.most_common(1)[0][0]
    dates = [_iso(year, int(m), int(d)) for m, d in _CLAUSE_DATE.findall(text)]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def infer_publication_date(
    text: str, source: str, manifest_date: str | None = None, printed_date: str | None = None
) -> tuple[str | None, str]:
    """(ISO date or None, its basis: manifest/page/web/dateline/filename/text/''),
    in that order of trust.  ``printed_date`` is the date of a page header
    the layout found; web is a release line (发布时间：…), dateline a dated
    dateline (本报2021年4月21日讯); text (clause dates) is the last resort."""
    for evidence, how in (
        (lambda: manifest_date, "manifest"),
        (lambda: printed_date, "page"),
        (lambda: release_date(text), "web"),
        (lambda: dateline_date(text), "dateline"),
        (lambda: filename_date(source), "filename"),
        (lambda: text_date(text), "text"),
    ):
        found = evidence()
        if found:
            return found, how
    return None, ""


# --- date mentions -----------------------------------------------------------

GRANULARITIES = ("year", "half", "quarter", "month", "period", "day", "hour")
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class DateMention:
    """A date named in a text: its span ``[start, end)`` and the days it covers."""

    start: int
    end: int
    text: str
    date: str
    date_start: str
    date_end: str
    granularity: str
    is_relative: bool


@dataclass(frozen=True)
class _Found:
    """What a mention resolved to, before it is spelled out as ISO strings."""

    year: int
    month: int = 0
    day: int = 0
    granularity: str = "year"
    part: int = 0  # half 1–2, quarter 1–4, period 1–3 (上/中/下旬)
    hour: int = 0
    minute: int = 0
    relative: bool = False


@dataclass(frozen=True)
class _Reference:
    day: dt.date | None
    year: int | None


_Anchor = tuple[_Found, int] | None  # the last mention with a month, and where it ends


_CN_NUMERAL = "〇零一二两三四五六七八九十百千万亿"
_CN_DAY = "[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九十]"
# Characters that make a Chinese-numeral month part of a word: 统一月, 同一月, 周一, 农历三月.
_CN_MONTH_BLOCK = "统唯同单第逐万之专划归合不如任某每其另初周期拜历"
_RELATIVE_YEAR = {"今年": 0, "去年": -1, "前年": -2, "明年": 1}
_RELATIVE_DAY = {"今": 0, "昨": -1, "前": -2, "明": 1}

_YEAR_PART = (
    r"(?:(?<![\d.])(?P<ay>\d{4})|(?<![" + _CN_NUMERAL + r"])(?P<cy>[〇零一二三四五六七八九]{4}))"
    r" ?年(?!代|级|龄|历史|之久)"
    r"|(?P<ry>(?<![如现迄而])今年|(?<![过失回离])去年|(?<![提之以此目当空从年])前年|(?<![光聪透文黎])明年)"
    r"(?![轻纪龄级代味])"
)
_MONTH_PART = (
    r"(?P<month>(?<![\d.第每历])\d{1,2}(?!\d)|(?<![" + _CN_NUMERAL + _CN_MONTH_BLOCK + r"])(?:十[一二]|[一二三四五六七八九十]))"
    r" ?月(?![亮球光饼嫂])份?"
)
_DAY_PART = r"(?P<day>\d{1,2}(?!\d)|" + _CN_DAY + r") ?[日号號]"
_MAIN = (
    r"(?:" + _YEAR_PART + r")? ?"
    r"(?:(?P<half>[上下])半年"
    r"|(?<![前后近头每个两三四首末\d])第?(?P<quarter>[一二三四1-4])季度"
    r"|" + _MONTH_PART + r"(?: ?" + _DAY_PART + r"| ?(?P<period>[上中下])旬)?)?"
)
_ISO_DATE = r"(?<![\d.])(?P<iy>\d{4})(?P<sep>[-./])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})(?!\d|[-./]\d)"
_OPEN_YEAR = r"(?<![\d.])(?P<oy>\d{4})(?=[-—–~～至到] ?\d{4} ?年)"  # the 2021 of 2021-2022年
_REL_DAY = r"(?P<rday>(?:(?<![之以提目])前天(?![气然空色津桥堂])|[今昨明]天(?!然气))|[今昨明]日(?![头之报]))"
_BARE_DAY = (
    r"(?P<bday>(?<![\d.])\d{1,2}(?!\d)|(?<![" + _CN_NUMERAL + r"])(?:" + _CN_DAY + r"))"
    r" ?[日号號](?![内后前间期来])"
)
# Order matters: _MAIN can match the empty string, so it goes last.  The lookahead skips,
# cheaply, every position where no mention can start.
_MENTION = re.compile(
    r"(?=[\d〇零一二三四五六七八九十今去前明昨上下第])(?:"
    + "|".join(f"(?:{p})" for p in (_ISO_DATE, _OPEN_YEAR, _REL_DAY, _BARE_DAY, _MAIN))
    + ")",
    re.ASCII,  # \d is 0-9 only: normalise has already folded full-width digits
)
_CLOCK = re.compile(
    r" ?(?P<tod>上午|下午|中午|晚上|傍晚|夜间|夜里|凌晨|早上|早晨|清晨|晚)? ?"
    r"(?P<hour>\d{1,2}(?!\d)|[一二]?十[一二三四]?|[〇零一二两三四五六七八九十]) ?"
    r"(?:[时時](?![间候期代段刻])|点)(?:(?P<minute>\d{1,2})(?!\d) ?分|(?P<halfhour>半))?(?![\d.])",
    re.ASCII,
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_CONNECTORS = "至到、和与及或-~～—–"
_MONTHS_IN = {"year": 12, "half": 6, "quarter": 3}
_AFTERNOON = {"下午", "傍晚"}
_NIGHT = {"晚上", "晚", "夜间", "夜里"}


def find_dates(text: str, reference: dt.date | str | None = None) -> list[DateMention]:
    """Every date mention in ``text``, resolved against ``reference`` (ISO or date).

    >>> [m.date for m in find_dates("今年3月,4月12日17时;6月上旬至7月上旬", "2021-04-22")]
    ['2021-03', '2021-04-12T17:00', '2021-06', '2021-07']
    >>> m = find_dates("2021年至2022年")[1]
    >>> m.text, m.date_start, m.date_end, m.granularity, m.is_relative
    ('2022年', '2022-01-01', '2022-12-31', 'year', False)
    >>> find_dates("4月12日"), find_dates("83年党龄,近40年,7天,当天上午10时", "2021-04-22")
    ([], [])
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    return list(_found_dates(text, reference))


# Figures and the dates table read the same sentences of an article.
@lru_cache(maxsize=1024)
def _found_dates(text: str, reference) -> tuple[DateMention, ...]:
    norm = normalise(text)
    matches = list(_MENTION.finditer(norm))
    ref = _reference(reference, matches)
    mentions: list[DateMention] = []
    anchor: _Anchor = None
    consumed = 0
    for match in matches:
        start, end = _trim(norm, *match.span())
        if start >= end or start < consumed:
            continue
        found = _resolve(match, ref, norm, start, anchor)
        if found is None:
            continue
        found, end = _with_clock(norm, found, end)
        mention = _mention(text, start, end, found)
        if mention is None:
            continue
        mentions.append(mention)
        consumed = end
        if found.month:
            anchor = (found, end)
    return tuple(mentions)


def _reference(reference: dt.date | str | None, matches: list[re.Match]) -> _Reference:
    """The reference day, or failing that the year the text names most."""
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    if isinstance(reference, str):
        reference = _parse_reference(reference)
    if reference is not None:
        return _Reference(reference, reference.year)
    years = Counter(y for y in map(_explicit_year, matches) if y is not None)
    return _Reference(None, years.most_common(1)[0][0] if years else None)


def _parse_reference(reference: str) -> dt.date:
    try:
        return dt.date.fromisoformat(reference)
    except ValueError:
        return dt.datetime.fromisoformat(reference).date()


def _explicit_year(match: re.Match) -> int | None:
    digits = match["ay"] or match["cy"] or match["iy"] or match["oy"]
    return _year(digits) if digits else None


def _year(digits: str) -> int | None:
    """A four-digit year (Arabic or Chinese digits) in MIN_YEAR–MAX_YEAR."""
    year = _numeral(digits)
    return year if year is not None and MIN_YEAR <= year <= MAX_YEAR else None


def _numeral(s: str) -> int | None:
    """An exact whole number, or None: 12 → 12, 二十二 → 22, 二〇二一 → 2021."""
    if s.isascii() and s.isdigit():
        return int(s)
    try:
        numeral = parse_numeral(s)
    except ValueError:
        return None
    return numeral.value if numeral.qualifier == "exact" and isinstance(numeral.value, int) else None


def _trim(norm: str, start: int, end: int) -> tuple[int, int]:
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    return start, end


def _resolve(match: re.Match, ref: _Reference, norm: str, start: int, anchor: _Anchor) -> _Found | None:
    if match["iy"]:
        return _iso_date(match)
    if match["oy"]:
        year = _year(match["oy"])
        return _Found(year) if year else None
    if match["rday"]:
        return _relative_day(match["rday"], ref)
    link = _linked(anchor, norm, start)
    if match["bday"]:
        return _bare_day(match["bday"], link)
    return _main(match, ref, link)


def _linked(anchor: _Anchor, norm: str, start: int) -> _Found | None:
    """The anchor, when a connector in the same sentence joins it to ``start``: 4月21日夜间至|22日."""
    if anchor is None:
        return None
    found, anchor_end = anchor
    between = norm[anchor_end:start].rstrip()
    if not between or between[-1] not in _CONNECTORS or _SENTENCE_END.search(between):
        return None
    return found


def _iso_date(match: re.Match) -> _Found | None:
    year = _year(match["iy"])
    return _Found(year, int(match["im"]), int(match["id"]), "day") if year else None


def _relative_day(word: str, ref: _Reference) -> _Found | None:
    """今天/今日, 昨天/昨日, 前天, 明天/明日: need a reference day."""
    if ref.day is None:
        return None
    try:
        day = ref.day + dt.timedelta(days=_RELATIVE_DAY[word[0]])
    except OverflowError:
        return None
    return _Found(day.year, day.month, day.day, "day", relative=True)


def _bare_day(word: str, link: _Found | None) -> _Found | None:
    """22日 of 4月21日夜间至22日: its month and year are those of the linked mention."""
    day = _numeral(word)
    if link is None or day is None:
        return None
    return _Found(link.year, link.month, day, "day", relative=link.relative)


def _main(match: re.Match, ref: _Reference, link: _Found | None) -> _Found | None:
    """Year, half, quarter, month, period and day forms: 2021年4月12日, 今年一季度…"""
    if not any(match[g] for g in ("ay", "cy", "ry", "half", "quarter", "month")):
        return None
    if match["ay"] or match["cy"] or match["ry"]:
        link = None  # the mention names its own year
    year, relative = _main_year(match, ref, link)
    if year is None:
        return None
    if match["half"]:
        return _Found(year, granularity="half", part=1 if match["half"] == "上" else 2, relative=relative)
    if match["quarter"]:
        return _Found(year, granularity="quarter", part=_numeral(match["quarter"]) or 0, relative=relative)
    if not match["month"]:
        return _Found(year, relative=relative)
    return _month_forms(match, ref, year, relative, link)


def _main_year(match: re.Match, ref: _Reference, link: _Found | None) -> tuple[int | None, bool]:
    if match["ay"] or match["cy"]:
        return _year(match["ay"] or match["cy"]), False
    if link is not None:
        return link.year, link.relative
    if ref.year is None:
        return None, True
    return ref.year + _RELATIVE_YEAR.get(match["ry"] or "今年", 0), True


def _month_forms(match: re.Match, ref: _Reference, year: int, relative: bool, link: _Found | None) -> _Found | None:
    """4月, 4月份, 6月上旬, 4月12日.  The end of a range (至5月10日) takes the year of its start."""
    month = _numeral(match["month"])
    if month is None or not 1 <= month <= 12:
        return None
    if link is not None and month < link.month:
        year += 1  # 2020年12月1日至1月5日
    if match["period"]:
        return _Found(year, month, granularity="period", part="上中下".index(match["period"]) + 1, relative=relative)
    if not match["day"]:
        return _Found(year, month, granularity="month", relative=relative)
    day = _numeral(match["day"])
    if day is None:
        return None
    no_year = not (match["ay"] or match["cy"] or match["ry"] or link)
    if no_year and ref.day is not None and _after(year, month, day, ref.day):
        year -= 1  # a month-day later than the publication date belongs to the year before
    return _Found(year, month, day, "day", relative=relative)


def _after(year: int, month: int, day: int, reference: dt.date) -> bool:
    return (year, month, day) > (reference.year, reference.month, reference.day)


def _with_clock(norm: str, found: _Found, end: int) -> tuple[_Found, int]:
    """Extend a day mention by a clock time after it: 4月21日17时, 4月21日下午3时."""
    if found.granularity != "day":
        return found, end
    match = _CLOCK.match(norm, end)
    if not match:
        return found, end
    hour = _hour(_numeral(match["hour"]), match["tod"])
    minute = int(match["minute"]) if match["minute"] else 30 if match["halfhour"] else 0
    if hour is None or not 0 <= hour <= 23 or minute > 59:
        return found, end
    return replace(found, granularity="hour", hour=hour, minute=minute), match.end()


def _hour(hour: int | None, time_of_day: str | None) -> int | None:
    """The 24-hour clock hour: 下午3时 → 15, 中午1时 → 13; 晚上12时 is ambiguous (None)."""
    if hour is None or time_of_day is None:
        return hour
    if time_of_day in _AFTERNOON or (time_of_day == "中午" and hour < 6):
        return hour + 12 if hour < 12 else hour
    if time_of_day in _NIGHT:
        return None if hour == 12 else hour + 12 if 5 <= hour < 12 else hour
    return 0 if time_of_day == "凌晨" and hour == 12 else hour


def _mention(text: str, start: int, end: int, found: _Found) -> DateMention | None:
    try:
        first, last, label = _bounds(found)
    except (ValueError, OverflowError):  # 2月30日, year 0 …
        return None
    return DateMention(
        start, end, text[start:end], label, first.isoformat(), last.isoformat(), found.granularity, found.relative
    )


def _bounds(found: _Found) -> tuple[dt.date, dt.date, str]:
    """First day, last day and ISO label of a resolved mention."""
    year, month, kind = found.year, found.month, found.granularity
    if kind in _MONTHS_IN:
        size, part = _MONTHS_IN[kind], found.part or 1
        return dt.date(year, size * part - size + 1, 1), _month_end(year, size * part), f"{year:04d}"
    label = f"{year:04d}-{month:02d}"
    if kind == "month":
        return dt.date(year, month, 1), _month_end(year, month), label
    if kind == "period":
        first = 10 * found.part - 9
        last = _month_end(year, month) if found.part == 3 else dt.date(year, month, first + 9)
        return dt.date(year, month, first), last, label
    day = dt.date(year, month, found.day)
    if kind == "hour":
        return day, day, f"{day.isoformat()}T{found.hour:02d}:{found.minute:02d}"
    return day, day, day.isoformat()


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
