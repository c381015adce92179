"""Layout: give every character of a page text exactly one role.

Roles: headline, kicker, deck, subhead, byline, body, caption, furniture,
blank.  The stage works on lines (LF, CRLF and CR all end a line) and cuts
only; it never edits the text.  Its answer, a ``Layout``, also says which
lines form which page and which article, and which body lines the printed
layout broke apart and belong to one paragraph again.

How lines are told apart, in order:

1. furniture — editor credit lines, dated page headers, page numbers, and
   short section labels printed beside them; a group of them holding a
   credit line or header starts a new page;
2. caption — photo captions (…摄, …供图, 图为…);
3. byline — a dateline with the credit in brackets (the body may follow on
   the same line), or a line of role words and names;
4. title block — the short heading lines right above a byline: kicker
   (ends in a colon, or a much shorter line above the main title),
   headline (the first line otherwise), deck (starts with a dash, or the
   line below the headline);
5. articles without a byline open on evidence, each recorded as the
   reason of its title lines (``BY_*``): a title above a web release line
   (发布时间/来源, see ``chrome``), above a paragraph closing with a credit,
   at the top of a page, followed by a lead (本报讯, 近日, 4月20日,
   记者从…), or under a box label (应急科普); a heading numbered like a
   series (第一招, 举措一:, 一、) stays a subhead;
6. inside an article, a line without closing punctuation is either a
   subhead (short, heading-like, followed by body) or a fragment that the
   layout broke off, joined to the next body line across blank lines and
   captions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import chrome, credits
from .wordcut import prepared_jieba

ROLES = ("headline", "kicker", "deck", "subhead", "byline", "body", "caption", "furniture", "blank")

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TERMINAL = set("。！？!?…；;")
_CLOSERS = "”’」』)）》】]\"'"
_CONTINUES = set(",，、;；:：的和与及或在对把将为被从向给等之以其并而且" "0123456789０１２３４５６７８９.．万亿千百十“‘《(（[【—-")
_PAGE_HEADER = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]"
    r"|^第?\s*[A-Za-z]?\d{1,3}\s*版\s*(?:[:：\s]|$)"
)
MAX_HEADER = 40  # a dated page header is a short line (株洲日报 2021年5月12日 星期三)
# A credit closing a paragraph: …300余人。（记者 陈思远）
_CLOSING_CREDIT = re.compile(r"(?<=[。！？!?”…])\s*[(（][^()（）]{2,30}[)）]$")
_PAGE_NUMBER = re.compile(r"^[—\-－–\s]*(?:[A-Za-z]?\d{1,3}|\d{5,})[—\-－–\s]*$")
_LABEL = re.compile(r"^[\u4e00-\u9fff·・]{2,10}$")
_DECK_MARK = re.compile(r"^[—－\-–]{1,2}")
# The first words of an article's lead: a dateline, 近日, 记者从…获悉.
_LEAD = re.compile(
    r"^(?:本报讯|[^,，。:：]{0,16}讯[(（]|日前|近日|近期|连日来|昨天|昨日|今天|今日|\d{1,2}月\d{1,2}日"
    r"|记者(?:近日)?从|据[^,，。]{0,12}(?:消息|获悉|统计|报道))"
)
# A subhead of a series: 一、 （二） 3. 第一招 举措一: 其三
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．]"
    r"|第[一二三四五六七八九十\d]{1,3}[招步条点个部篇章]|[^\s:：]{0,6}[一二三四五六七八九十]{1,2}[:：]|其[一二三四五六七八九十])"
)
# The label of a box printed beside the news: 应急科普, 小贴士, 相关链接
_BOX_LABEL = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:科普|小贴士|贴士|链接|提醒|速递|快讯|简讯|延伸阅读|知多少|小知识)$")
# Why a line opened an article (the layout table's reason column).
BY_BYLINE = "title above a byline"
BY_CREDIT = "title above a paragraph closing with a credit"
BY_PAGE = "title opening a page"
BY_LEAD = "title, then a lead (dateline or 近日/记者从…)"
BY_BOX = "title under a box label (科普, 小贴士…)"
BY_WEB = "title above a web release line (发布时间/来源…)"
ABOVE_WEB_TITLE = "site text above the web title"
SUBHEAD_NUMBERED = "numbered like a subhead series"
SUBHEAD_NO_LEAD = "heading inside an article: no byline, lead or box label follows"
MAX_TITLE = 50
MAX_SUBHEAD = 30


@dataclass(frozen=True)
class Line:
    """One printed line: [start, end) without its terminator; [lo, hi) its ink."""

    start: int
    end: int
    lo: int
    hi: int


@dataclass(frozen=True)
class Span:
    """A run of characters with one role, on a page, maybe in an article."""

    start: int
    end: int
    role: str
    page_no: int
    article_no: int | None = None
    reason: str = ""  # why a title or subhead line was read so


@dataclass(frozen=True)
class PageBlock:
    """A printed page inside a file: its extent and its furniture lines."""

    page_no: int
    start: int
    end: int
    furniture: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ArticleBlock:
    """Where an article's parts lie; every pair is a [start, end) page span."""

    article_no: int
    page_no: int
    title: tuple[tuple[str, int, int], ...]  # (role, start, end) in printed order
    byline: tuple[int, int] | None
    subheads: tuple[tuple[tuple[int, int], ...], ...]
    paragraphs: tuple[tuple[tuple[int, int], ...], ...]
    captions: tuple[tuple[int, int], ...]
    closing: tuple[tuple[int, int], ...] = ()  # credits printed at a paragraph's end

    @property
    def start(self) -> int:
        return min(s for s, _ in self._all())

    @property
    def end(self) -> int:
        return max(e for _, e in self._all())

    def _all(self) -> list[tuple[int, int]]:
        spans = [(s, e) for _, s, e in self.title] + list(self.captions) + list(self.closing)
        spans += [p for group in self.subheads + self.paragraphs for p in group]
        return spans + ([self.byline] if self.byline else [])


@dataclass(frozen=True)
class Layout:
    """The whole answer of this stage for one text."""

    spans: tuple[Span, ...]
    pages: tuple[PageBlock, ...]
    articles: tuple[ArticleBlock, ...]


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


def splits_a_word(before: str, after: str) -> bool:
    """Does a dictionary word straddle the end of ``before`` and start of ``after``?"""
    head, tail = before.strip()[-4:], after.strip()[:4]
    if not head or not tail:
        return False
    position = 0
    for token in prepared_jieba().lcut(head + tail, HMM=False):  # loaded late: only ambiguous line ends need it
        if position < len(head) < position + len(token):
            return True
        position += len(token)
    return False


@dataclass
class _Lines:
    """Working state while roles are decided; private to this module."""

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


def find_layout(text: str) -> Layout:
    """Decide every line's role and group lines into pages and articles."""
    state = _Lines(text, split_lines(text))
    content = state.content
    _mark_furniture(state, content)
    for i in content:
        if i not in state.role and credits.is_caption(state.ink(i)):
            state.role[i] = "caption"
    for i in content:
        if i not in state.role:
            end = credits.match_byline(state.ink(i))
            if end is not None:
                state.byline_end[i] = state.lines[i].lo + end
            else:
                _mark_closing_credit(state, i)
    pages = _page_starts(state, content)
    articles = _articles(state, content, pages)
    return _assemble(state, pages, articles)


def _mark_closing_credit(state: _Lines, i: int) -> None:
    """…参演人员300余人。（记者 陈思远）: the bracket is a credit, not body."""
    ink = state.ink(i)
    match = _CLOSING_CREDIT.search(ink)
    if match:
        credit = match.group().strip()
        if credits.match_byline(credit) == len(credit):
            state.closing[i] = state.lines[i].hi - len(credit)


def _mark_furniture(state: _Lines, content: list[int]) -> None:
    for i in content:
        ink = state.ink(i)
        if credits.is_page_credit(ink) or (len(ink) <= MAX_HEADER and _PAGE_HEADER.search(ink)):
            state.role[i] = "furniture"
            state.anchors.add(i)
        elif _PAGE_NUMBER.match(ink):
            state.role[i] = "furniture"
        elif chrome.chrome_kind(ink):
            state.role[i] = "furniture"
            state.reason[i] = "web page chrome: " + chrome.chrome_kind(ink)
    for k, i in enumerate(content):
        near = content[max(0, k - 1) : k] + content[k + 1 : k + 2]
        if i not in state.role and _LABEL.match(state.ink(i)) and any(j in state.anchors for j in near):
            following = content[k + 1] if k + 1 < len(content) else None
            if following is None or credits.match_byline(state.ink(following)) is None:
                state.role[i] = "furniture"


def _page_starts(state: _Lines, content: list[int]) -> list[int]:
    """Line indices where pages start: a furniture group with a credit line
    or page header opens a new page, unless nothing but furniture precedes
    or follows it in the file."""
    starts = [0]
    k = 0
    while k < len(content):
        if state.role.get(content[k]) != "furniture":
            k += 1
            continue
        group_end = k
        while group_end < len(content) and state.role.get(content[group_end]) == "furniture":
            group_end += 1
        group = content[k:group_end]
        before = any(state.role.get(j) != "furniture" for j in content[:k])
        after = group_end < len(content)
        if any(j in state.anchors for j in group) and before and after:
            starts.append(group[0])
        k = group_end
    return starts


def _articles(state: _Lines, content: list[int], pages: list[int]) -> list[list[int]]:
    """Content lines grouped into articles (title lines first)."""
    page_of = _page_index(state, pages)
    starts = set()
    for b in sorted(state.byline_end):
        block = _title_block(state, content, b, page_of)
        if not block and _closing_credit(state, content, b, page_of):
            continue  # a credit printed at the end of the article above
        if block:
            _name_title_block(state, block)
        state.reason.update({i: BY_BYLINE for i in block})
        starts.add(block[0] if block else b)
    starts |= _credited_starts(state, content, starts, page_of)
    starts |= _web_title_starts(state, content, starts, page_of)
    starts |= _evidence_starts(state, content, starts, page_of)
    groups: list[list[int]] = []
    last_page = -1
    for k, i in enumerate(content):
        if state.role.get(i) == "furniture":
            continue
        page_opens = page_of[i] != last_page
        last_page = page_of[i]
        # Text opening a page continues the article the previous page left
        # off, unless it starts with a title of its own.
        if i in starts or (page_opens and _untitled_start(state, content, k)) or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


def _closing_credit(state: _Lines, content: list[int], byline: int, page_of: dict[int, int]) -> bool:
    """A byline alone on its line, right after body text and followed by a
    new title or nothing, closes the article above instead of opening one."""
    k = content.index(byline)
    if state.byline_end[byline] < state.lines[byline].hi or k == 0:
        return False
    before = content[k - 1]
    if before in state.role or page_of[before] != page_of[byline] or not is_terminal(state.ink(before)):
        return False
    after = content[k + 1] if k + 1 < len(content) else None
    return after is None or after in state.byline_end or state.role.get(after) == "furniture" or (
        is_title_like(state.ink(after)) and not is_terminal(state.ink(after))
    )


def _credited_starts(state: _Lines, content: list[int], starts: set[int], page_of: dict[int, int]) -> set[int]:
    """A paragraph closing with a credit, inside an article that opened
    with a byline of its own, belongs to a new article without a byline:
    its headline is the nearest title-like line above it."""
    found = set()
    for i in sorted(state.closing):
        k = content.index(i)
        opened = max((s for s in starts | found if s < i), default=None)
        if opened is None or not any(opened <= b < i for b in state.byline_end):
            continue  # the credit closes the article it is in
        for j in reversed(content[content.index(opened) + 1 : k]):
            if state.role.get(j) == "caption" or j in state.byline_end:
                continue
            before = content[content.index(j) - 1]
            if is_title_like(state.ink(j)) and not is_terminal(state.ink(j)) and j not in state.role:
                if is_terminal(state.ink(before)) or before in state.byline_end:
                    state.role[j] = "headline"
                    state.reason[j] = BY_CREDIT
                    found.add(j)
                break
            if page_of[j] != page_of[i]:
                break
    return found


def _untitled_start(state: _Lines, content: list[int], k: int) -> bool:
    """Does an article with no byline start at content[k]?  Its title-like
    first line, followed by more text, becomes its headline."""
    i = content[k]
    following = next((j for j in content[k + 1 :] if state.role.get(j) != "furniture"), None)  # web chrome may come between
    if i in state.role or following is None:
        return False
    if not is_title_like(state.ink(i)) or is_terminal(state.ink(i)):
        return False
    state.role[i] = "headline"
    state.reason[i] = BY_PAGE
    return True


def _web_title_starts(state: _Lines, content: list[int], starts: set[int], page_of: dict[int, int]) -> set[int]:
    """A title-shaped line right above a web release line (发布时间, 来源,
    a date and time) is an article's headline; before the first such title,
    whatever the site printed above it on the page is furniture."""
    found: set[int] = set()
    for k, i in enumerate(content[:-1]):
        following = content[k + 1]
        if i in state.role or i in state.byline_end or not chrome.is_release_line(state.ink(following)):
            continue
        if not is_title_like(state.ink(i)) or is_terminal(state.ink(i)):
            continue
        state.role[i] = "headline"
        state.reason[i] = BY_WEB
        if not found and not any(j in starts or j in state.byline_end for j in content[:k] if page_of[j] == page_of[i]):
            for j in content[:k]:
                if page_of[j] == page_of[i] and state.role.get(j) != "furniture":
                    state.role[j] = "furniture"
                    state.reason[j] = ABOVE_WEB_TITLE
        found.add(i)
    return found


def _evidence_starts(state: _Lines, content: list[int], starts: set[int], page_of: dict[int, int]) -> set[int]:
    """Articles without a byline inside the text of another: a stand-alone
    title line after a finished paragraph, not numbered like a subhead,
    whose block (kicker, title, deck) is followed by a lead (本报讯, 近日,
    4月20日, 记者从…) or sits under a box label (应急科普)."""
    found: set[int] = set()
    for k, i in enumerate(content):
        if k == 0 or not _may_open(state, content, k, starts | found, page_of):
            continue
        block = _title_run(state, content, k, page_of)
        after = next((j for j in content[content.index(block[-1]) + 1 :] if state.role.get(j) != "caption"), None)
        if after is None or after in state.byline_end or after in state.role:
            continue
        if _BOX_LABEL.match(state.ink(i)) and len(block) > 1:
            reason = BY_BOX
        elif _LEAD.match(state.ink(after)):
            reason = BY_LEAD
        else:
            continue
        _name_title_block(state, block)
        state.reason.update({j: reason for j in block})
        found.add(i)
    return found


def _may_open(state: _Lines, content: list[int], k: int, starts: set[int], page_of: dict[int, int]) -> bool:
    """A title-shaped line after a finished paragraph of the same page."""
    i = content[k]
    if i in state.role or i in state.byline_end or i in state.closing or i in starts:
        return False
    ink = state.ink(i)
    if not is_title_like(ink) or is_terminal(ink) or _NUMBERED.match(ink):
        return False
    before = next((j for j in reversed(content[:k]) if state.role.get(j) != "caption"), None)
    if before is None or page_of[before] != page_of[i] or state.role.get(before) == "furniture":
        return False
    return before in state.closing or (before not in state.role and is_terminal(state.ink(before)))


def _title_run(state: _Lines, content: list[int], k: int, page_of: dict[int, int]) -> list[int]:
    """content[k] and at most two more title-shaped lines right below it."""
    block = [content[k]]
    for j in content[k + 1 : k + 3]:
        ink = state.ink(j)
        if j in state.role or j in state.byline_end or page_of[j] != page_of[content[k]]:
            break
        if not is_title_like(ink) or is_terminal(ink) or _NUMBERED.match(ink):
            break
        block.append(j)
    return block


def _page_index(state: _Lines, pages: list[int]) -> dict[int, int]:
    """Line index → 1-based page number."""
    page_of, page = {}, 0
    for i in range(len(state.lines)):
        while page + 1 < len(pages) and i >= pages[page + 1]:
            page += 1
        page_of[i] = page + 1
    return page_of


def _title_block(state: _Lines, content: list[int], byline: int, page_of: dict[int, int]) -> list[int]:
    """Heading lines right above a byline, captions skipped, at most three."""
    block: list[int] = []
    k = content.index(byline) - 1
    while k >= 0 and len(block) < 3:
        j = content[k]
        k -= 1
        if page_of[j] != page_of[byline]:
            break
        if state.role.get(j) == "caption" or state.reason.get(j, "").startswith("web page chrome"):
            continue  # a web release line may stand between a title and its byline
        if j in state.role or j in state.byline_end or not is_title_like(state.ink(j)):
            break
        block.insert(0, j)
    return block


def _name_title_block(state: _Lines, block: list[int]) -> None:
    """kicker / headline / deck for the lines of a title block."""
    rest = []
    for i in block:
        ink = state.ink(i)
        if ink[-1] in ":：" and i != block[-1]:
            state.role[i] = "kicker"
        elif _DECK_MARK.match(ink) and i != block[0]:
            state.role[i] = "deck"
        else:
            rest.append(i)
    if not rest:
        state.role[block[-1]] = "headline"
        return
    main = _main_title(state, rest)
    for i in rest:
        state.role[i] = "headline" if i == main else ("kicker" if i < main else "deck")


def _main_title(state: _Lines, rest: list[int]) -> int:
    """The headline among title lines without a colon or dash: the first,
    unless it is a box label or much shorter than the next (a kicker: a
    place or slogan above); a line below it is a deck.

    >>> s = _Lines("为民办实事\\n青竹区建成十座口袋公园\\n", split_lines("为民办实事\\n青竹区建成十座口袋公园\\n"))
    >>> _main_title(s, [0, 1])
    1
    """
    if len(rest) >= 3:
        return rest[1]
    first = rest[0]
    if len(rest) == 2 and (_BOX_LABEL.match(state.ink(first)) or len(state.ink(first)) * 5 <= len(state.ink(rest[1])) * 3):
        return rest[1]
    return first


def _assemble(state: _Lines, pages: list[int], groups: list[list[int]]) -> Layout:
    page_of = _page_index(state, pages)
    blocks = [_article_block(state, n, group, page_of[group[0]]) for n, group in enumerate(groups)]
    article_of = {i: n for n, group in enumerate(groups) for i in group}
    spans = _spans(state, page_of, article_of)
    page_blocks = _page_blocks(state, pages)
    return Layout(tuple(spans), tuple(page_blocks), tuple(blocks))


def _article_block(state: _Lines, n: int, group: list[int], page_no: int) -> ArticleBlock:
    title, captions, subheads, paragraphs, closing = [], [], [], [], []
    byline = None
    body = [i for i in group if state.role.get(i) is None or i in state.byline_end]
    for i in group:
        line = state.lines[i]
        role = state.role.get(i)
        if role in ("headline", "kicker", "deck"):
            title.append((role, line.lo, line.hi))
        elif role == "caption":
            captions.append((line.lo, line.hi))
        if i in state.byline_end:
            byline = (line.lo, state.byline_end[i])
        if i in state.closing:
            closing.append((state.closing[i], line.hi))
    _body_roles(state, body, subheads, paragraphs)
    return ArticleBlock(n, page_no, tuple(title), byline, tuple(subheads), tuple(paragraphs), tuple(captions), tuple(closing))


def _body_piece(state: _Lines, i: int) -> tuple[int, int] | None:
    line = state.lines[i]
    start = state.byline_end.get(i, line.lo)
    end = state.closing.get(i, line.hi)
    ink = state.text[start:end]
    start += len(ink) - len(ink.lstrip())
    end -= len(ink) - len(ink.rstrip())
    return (start, end) if start < end else None


def _body_roles(state: _Lines, body: list[int], subheads: list, paragraphs: list) -> None:
    """Split body lines into subhead groups and rejoined paragraphs."""
    pieces = [(i, p) for i in body if (p := _body_piece(state, i))]
    current: list[tuple[int, int]] = []
    heading: list[tuple[int, int]] = []
    last_head = -1
    for k, (i, (s, e)) in enumerate(pieces):
        ink = state.text[s:e]
        nxt = state.text[slice(*pieces[k + 1][1])] if k + 1 < len(pieces) else None
        at_start = not current
        if at_start and nxt is not None and i not in state.byline_end and _is_subhead(ink, nxt):
            state.role[i] = "subhead"
            first = not heading  # a second line carries the reason of the first
            state.reason[i] = (SUBHEAD_NUMBERED if _NUMBERED.match(ink) else SUBHEAD_NO_LEAD) if first else state.reason[last_head]
            last_head = i if first else last_head
            heading.append((s, e))
            continue
        if heading:
            subheads.append(tuple(heading))
            heading = []
        state.role.setdefault(i, "body")
        current.append((s, e))
        if is_terminal(ink) or nxt is None:
            paragraphs.append(tuple(current))
            current = []
    if heading:
        subheads.append(tuple(heading))
    if current:
        paragraphs.append(tuple(current))


def _is_subhead(ink: str, following: str) -> bool:
    if is_terminal(ink) or not is_heading_like(ink):
        return False
    return not splits_a_word(ink, following)


def _spans(state: _Lines, page_of: dict[int, int], article_of: dict[int, int]) -> list[Span]:
    spans: list[Span] = []

    def add(start: int, end: int, role: str, page: int, article: int | None, reason: str = "") -> None:
        if start >= end:
            return
        last = spans[-1] if spans else None
        if last and last.role == role == "blank" and last.end == start and last.page_no == page:
            spans[-1] = Span(last.start, end, role, page, last.article_no)
        else:
            spans.append(Span(start, end, role, page, article, reason))

    cursor = 0
    for i, line in enumerate(state.lines):
        page, article = page_of[i], article_of.get(i)
        add(cursor, line.start, "blank", page_of[max(0, i - 1)], None)
        add(max(cursor, line.start), line.lo, "blank", page, None)
        role = state.role.get(i, "body")
        if i in state.byline_end:
            body = _body_piece(state, i)
            add(line.lo, state.byline_end[i], "byline", page, article)
            if body:
                add(state.byline_end[i], body[0], "blank", page, None)
                add(body[0], body[1], "body", page, article)
        elif i in state.closing:
            body = _body_piece(state, i)
            if body:
                add(line.lo, body[1], "body", page, article)
            add(body[1] if body else line.lo, state.closing[i], "blank", page, None)
            add(state.closing[i], line.hi, "byline", page, article)
        else:
            add(line.lo, line.hi, role, page, None if role == "furniture" else article, state.reason.get(i, ""))
        cursor = line.hi
    add(cursor, len(state.text), "blank", page_of.get(len(state.lines) - 1, 1), None)
    return spans


def _page_blocks(state: _Lines, pages: list[int]) -> list[PageBlock]:
    bounds = [state.lines[i].start if i else 0 for i in pages] + [len(state.text)]
    blocks = []
    for n, start in enumerate(bounds[:-1]):
        end = bounds[n + 1]
        furniture = tuple(
            (line.lo, line.hi)
            for i, line in enumerate(state.lines)
            if state.role.get(i) == "furniture" and start <= line.lo < end
        )
        blocks.append(PageBlock(n + 1, start, end, furniture))
    return blocks
