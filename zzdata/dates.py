"""Dates: when a page was published, from the best evidence there is.

Evidence, best first: the manifest (an editor's word), a dated page header
printed on the page (2021年4月23日 星期五), a full date in the file name,
and last the text itself — the latest event date that opens a clause
(4月22日,…) in a year the text names.  Only the manifest and a printed
header count as known; the rest is marked inferred.

>>> infer_publication_date("2021年春。4月12日,甲。4月22日,乙于5月1日起施行。", "x.txt")
('2021-04-22', 'text')
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

_HEADER = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:星期|周)[一二三四五六日天]")
_FILENAME = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_CLAUSE_DATE = re.compile(
    r"(?:^|(?<=[。！？!?;；,，\n)）”…]))\s*(\d{1,2})月(\d{1,2})日(?=\s*(?:[,，]|上午|下午|晚上|晚|凌晨|当天|早上|中午))"
)

KNOWN_SOURCES = ("manifest", "page")


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


def infer_publication_date(text: str, source: str, manifest_date: str | None = None) -> tuple[str | None, str]:
    """(ISO date or None, where it came from: manifest/page/filename/text/'')."""
    if manifest_date:
        return manifest_date, "manifest"
    for evidence, how in ((_first_header(text), "page"), (filename_date(source), "filename"), (text_date(text), "text")):
        if evidence:
            return evidence, how
    return None, ""


def _first_header(text: str) -> str | None:
    for line in text.splitlines()[:400]:
        if len(line) < 60:
            found = header_date(line)
            if found:
                return found
    return None
