"""Script: a reading copy of a page in simplified characters, and back.

Pages exported in traditional characters (繁體) are read through a copy
converted one character to one character, so every offset of every later
stage still points into the text as printed.  Simplified text is returned
unchanged.

The table is OpenCC's own (``t2s``), taken character by character: every
character OpenCC turns into exactly one other character, and nothing
else; phrase conversion, which may change the length, is never used.
The traditional forms of numerals that ``numerals.NORMALISE_TABLE`` folds
(萬, 億, 兩…) map as it says.

A text is converted only when it looks traditional: when at least
``TRADITIONAL_SHARE`` (5%) of its Han characters are traditional only (in
the table and outside GB2312, the character set of simplified Chinese).  A
simplified page has none, or a quoted name in thousands of characters; the
sample page in traditional characters has 37%, and a short traditional
sentence usually a quarter or more, so 5% lies far from both.  Simplified
text is thus never touched, not even the sixteen GB2312 characters OpenCC
would change (乾, 於, 後…): they are converted only on a traditional page.
A stray traditional numeral on a simplified page (3萬) is still read, by
``numerals.normalise``.  OpenCC is loaded on the first call (about 0.2 s,
once per process).

``printed_rows`` goes the other way for the tables: the stages find
mentions in the reading copy, and every column that is the text as printed
is sliced again, at the same offsets, from the text as printed.

>>> reading_copy("全市共储备编织袋63.6万条")
'全市共储备编织袋63.6万条'
>>> reading_copy("全市共儲備編織袋63.6萬條")
'全市共储备编织袋63.6万条'
"""

from __future__ import annotations

import re
from functools import cache

from .numerals import NORMALISE_TABLE

TRADITIONAL_SHARE = 0.05
# Han characters: unified ideographs with extension A and the compatibility
# ideographs, then the supplementary planes' extensions.
_HAN_BMP = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_HAN_ASTRAL = ((0x20000, 0x2FA20), (0x30000, 0x323B0))
_HAN_BMP_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def reading_copy(text: str) -> str:
    """The text the stages read: same length as ``text``, in simplified
    characters when ``text`` looks traditional, else ``text`` itself.

    >>> reading_copy("兩萬餘人參加演練")
    '两万余人参加演练'
    >>> reading_copy("乾隆年间")  # simplified (乾 is in GB2312): unchanged
    '乾隆年间'
    """
    if not looks_traditional(text):
        return text
    return text.translate(_table())


def looks_traditional(text: str) -> bool:
    """At least ``TRADITIONAL_SHARE`` of the Han characters are traditional
    only (a simplified page has none or a quoted few in thousands; the
    sample page in traditional characters, 37%).

    >>> looks_traditional("本報訊(記者 王小明)"), looks_traditional("本报讯(记者 王小明)")
    (True, False)
    """
    found = _count_traditional(text)
    if not found:
        return False
    limit, han = found / TRADITIONAL_SHARE, 0
    for run in _HAN_BMP_RUN.finditer(text):
        han += run.end() - run.start()
        if han > limit:  # a simplified page with a stray character stops here, early
            return False
    return han + sum(1 for ch in _ASTRAL.findall(text) if _is_han(ord(ch))) <= limit


@cache
def _table() -> dict[int, str]:
    """OpenCC's t2s, character by character (loaded on first use)."""
    import opencc

    han = [chr(code) for a, b in _HAN_BMP + _HAN_ASTRAL for code in range(a, b)]
    converted = opencc.OpenCC("t2s.json").convert("\n".join(han)).split("\n")
    if len(converted) != len(han):
        raise RuntimeError("OpenCC t2s changed the line breaks of the character list")
    table = {ord(old): new for old, new in zip(han, converted) if len(new) == 1 and new != old}
    for code, folded in NORMALISE_TABLE.items():
        if _is_han(code) and not _in_gb2312(chr(code)):
            table[code] = folded  # 萬 → 万, as the numeral parser reads it
    return table


def _count_traditional(text: str) -> int:
    candidates, astral = _traditional_only()
    return sum(1 for ch in candidates.findall(text) if ch < "\U00010000" or ch in astral)


@cache
def _traditional_only() -> tuple[re.Pattern, frozenset[str]]:
    """A class of the traditional-only BMP characters and of every other
    plane's character, and the traditional-only ones of those planes: ``re``
    scans a class of single BMP characters fast, a long list of others slowly."""
    found = sorted(chr(code) for code in _table() if not _in_gb2312(chr(code)))
    bmp = "".join(ch for ch in found if ch < "\U00010000")
    return re.compile(f"[{bmp}\U00010000-\U0010FFFF]"), frozenset(ch for ch in found if ch >= "\U00010000")


def _is_han(code: int) -> bool:
    return any(a <= code < b for a, b in _HAN_BMP + _HAN_ASTRAL)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def printed_rows(rows: list[dict], printed: str, reading: str, articles) -> list[dict]:
    """Rows found in a reading copy, with ``text`` and ``sentence`` as
    printed.  ``articles`` maps an article id to its (reading, printed)
    articles.  A text is taken from the page at the row's ``[start, end)``
    when it lies there whole, else from the printed body at the same body
    offsets (a mention the layout broke across lines); a sentence from the
    printed body where the reading body holds it around the mention.  A
    value found in neither place (a checks message) stays as read.

    >>> printed_rows([{"start": 2, "end": 5, "text": "3万条"}], "共計3萬條", "共计3万条", {})
    [{'start': 2, 'end': 5, 'text': '3萬條'}]
    """
    return [_printed_row(row, printed, reading, articles.get(row.get("article_id"))) for row in rows]


def _printed_row(row: dict, printed: str, reading: str, pair) -> dict:
    text, start, end = row.get("text"), row.get("start"), row.get("end")
    if not text or start is None or end is None:
        return row
    row = dict(row)
    if pair:  # an article's body, stitched from page spans
        (read, shown), at = (pair[0].body, pair[1].body), _body_span(pair[0], start, end, text)
    else:  # free text: offsets are into it
        (read, shown), at = (reading, printed), ((start, end) if reading[start:end] == text else None)
    if at is None:
        if reading[start:end] == text:  # a headline figure, say: whole on the page
            row["text"] = printed[start:end]
        return row
    s, e = at
    row["text"] = shown[s:e]
    sentence = row.get("sentence")
    if sentence:
        i = read.rfind(sentence, 0, s + len(sentence))
        if i >= 0 and i + len(sentence) >= e:
            row["sentence"] = shown[i : i + len(sentence)]
    return row


def _body_span(article, start: int, end: int, text: str) -> tuple[int, int] | None:
    """Body offsets of a page span whose text the body holds there."""
    s, last = article.to_body(start), article.to_body(end - 1)
    if s is None or last is None or article.body[s : last + 1] != text:
        return None
    return s, last + 1
