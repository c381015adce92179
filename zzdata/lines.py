"""Lines: a page text cut into printed lines, and the shape of a line.

The layout works on lines (LF, CRLF and CR all end a line) and cuts only;
it never edits the text.  This module holds what the layout stages share:
the lines with their extents, the tests of a line's shape (does it end a
sentence, could it be a title or a subhead) and ``LineState``, the roles
decided so far while the layout (``layout``) and the article starts
(``starts``) work on a page.

>>> [(l.start, l.end, l.lo, l.hi) for l in split_lines("标题\\n 正文。")]
[(0, 2, 0, 2), (3, 7, 4, 7)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TERMINAL = set("。！？!?…；;")
_QUESTION = set("？?")
_CLOSERS = "”’」』)）》】]\"'"
_CONTINUES = set(",，、;；:：的和与及或在对把将为被从向给等之以其并而且" "0123456789０１２３４５６７８９.．万亿千百十“‘《(（[【—-")
MAX_TITLE = 50
MAX_SUBHEAD = 30


@dataclass(frozen=True)
class Line:
    """One printed line: [start, end) without its terminator; [lo, hi) its ink."""

    start: int
    end: int
    lo: int
    hi: int


def split_lines(text: str) -> list[Line]:
    """Lines with their extents; LF, CRLF and CR all end a line.

    >>> [(l.start, l.end, l.lo, l.hi) for l in split_lines("a\\r\\n b \\rc")]
    [(0, 1, 0, 1), (3, 6, 4, 5), (7, 8, 7, 8)]
    """
    lines = []
    for match in _LINE.finditer(text):
        raw = match.group()
        if not raw and match.start() == len(text) and lines:
            break
        content = raw.rstrip("\r\n")
        start, end = match.start(), match.start() + len(content)
        lo = start + (len(content) - len(content.lstrip()))
        hi = max(lo, start + len(content.rstrip()))
        lines.append(Line(start, end, lo, hi))
        if match.end() == len(text):
            break
    return lines


def is_terminal(line: str) -> bool:
    """Does a line end a sentence (so a paragraph may end here)?

    >>> is_terminal("他说:“好。”"), is_terminal("共同呵护绿色家园”“组织党员志愿者,对安置")
    (True, False)
    """
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def is_title_like(line: str) -> bool:
    """Short, no full stop: could be a headline, kicker or deck."""
    line = line.strip()
    return 0 < len(line) <= MAX_TITLE and "。" not in line and line[-1] not in ",，、;；"


def is_question_title(line: str) -> bool:
    """A title that asks: short, one sentence, ending in a question mark.
    A question is a headline as much as a statement is; a paragraph that
    ends in one is longer or holds more than one sentence.

    >>> is_question_title("杭州“大脑”究竟开了什么脑洞?"), is_question_title("要投多少钱?这个问题有些外行,而且不好回答。")
    (True, False)
    >>> is_question_title("为什么?怎么办?")
    False
    """
    stripped = line.strip().rstrip(_CLOSERS)
    if not stripped or stripped[-1] not in _QUESTION or not is_title_like(line):
        return False
    return not any(ch in _TERMINAL for ch in stripped[:-1])


def is_open_title(line: str) -> bool:
    """Title-shaped and unfinished as a sentence, or a question title.

    >>> is_open_title("青竹区开展安全大检查"), is_open_title("怎么办?"), is_open_title("检查已结束。")
    (True, True, False)
    """
    return is_title_like(line) and (not is_terminal(line) or is_question_title(line))


def is_heading_like(line: str) -> bool:
    """Could this unfinished line be a subhead rather than a broken sentence?

    >>> is_heading_like("第一招:雪中送炭"), is_heading_like("会议指出,要突出钢铁、铝加工、煤气、粉")
    (True, False)
    """
    line = line.strip()
    if not line or len(line) > MAX_SUBHEAD or line[-1] in _CONTINUES:
        return False
    outside = re.sub(r"“[^”]*”|‘[^’]*’|《[^》]*》|[(（][^)）]*[)）]", "", line)
    return "、" not in outside and not any(ch in _TERMINAL for ch in line[:-1])


@dataclass
class LineState:
    """Working state while the roles of a page's lines are decided; shared
    by ``layout`` and ``starts`` only, never passed further."""

    text: str
    lines: list[Line]
    role: dict[int, str] = field(default_factory=dict)  # whole-line roles
    byline_end: dict[int, int] = field(default_factory=dict)  # byline then body
    closing: dict[int, int] = field(default_factory=dict)  # body then a closing credit (its start)
    anchors: set[int] = field(default_factory=set)  # credit lines and headers
    reason: dict[int, str] = field(default_factory=dict)  # why a line opened an article, or stayed a subhead

    def ink(self, i: int) -> str:
        line = self.lines[i]
        return self.text[line.lo : line.hi]

    @property
    def content(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.hi > line.lo]
