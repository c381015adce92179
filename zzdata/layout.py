"""Layout: give every character of a page text exactly one role.

Roles: headline, kicker, deck, subhead, byline, body, caption, furniture,
blank.  The stage works on lines (LF, CRLF and CR all end a line) and cuts
only; it never edits the text.  Its answer, a ``Layout``, also says which
lines form which page and which article, and which body lines the printed
layout broke apart and belong to one paragraph again.

How lines are told apart, in order:

1. furniture — editor credit lines, dated page headers, page numbers, web
   page chrome (``chrome``) and short section labels printed beside them;
   a group of them holding a credit line or header starts a new page;
2. caption — photo captions (…摄, …供图, 图为…);
3. byline — a dateline with the credit in brackets (the body may follow on
   the same line), or a line of role words and names, or a credit closing
   a paragraph;
4. article starts and their title blocks (kicker, headline, deck) — from
   the evidence the page gives, each with its reason (``starts``);
5. inside an article, a line without closing punctuation is either a
   subhead (short, heading-like, followed by body) or a fragment that the
   layout broke off, joined to the next body line across blank lines and
   captions.

Lines and their shape come from ``lines``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import chrome, credits, starts
from .lines import LineState, is_heading_like, is_terminal, split_lines
from .wordcut import prepared_jieba

ROLES = ("headline", "kicker", "deck", "subhead", "byline", "body", "caption", "furniture", "blank")

_PAGE_HEADER = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]"
    r"|^第?\s*[A-Za-z]?\d{1,3}\s*版\s*(?:[:：\s]|$)"
)
MAX_HEADER = 40  # a dated page header is a short line (株洲日报 2021年5月12日 星期三)
# A credit closing a paragraph: …300余人。（记者 陈思远）
_CLOSING_CREDIT = re.compile(r"(?<=[。！？!?”…])\s*[(（][^()（）]{2,30}[)）]$")
_PAGE_NUMBER = re.compile(r"^[—\-－–\s]*(?:[A-Za-z]?\d{1,3}|\d{5,})[—\-－–\s]*$")
_LABEL = re.compile(r"^[\u4e00-\u9fff·・]{2,10}$")


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


def find_layout(text: str) -> Layout:
    """Decide every line's role and group lines into pages and articles."""
    state = LineState(text, split_lines(text))
    content = state.content
    _mark_furniture(state, content)
    for i in content:
        if i not in state.role and credits.is_caption(state.ink(i)):
            state.role[i] = "caption"
    for i in content:
        if i not in state.role:
            end = _byline_end(state.ink(i))
            if end is not None:
                state.byline_end[i] = state.lines[i].lo + end
            else:
                _mark_closing_credit(state, i)
    pages = _page_starts(state, content)
    articles = _articles(state, content, pages)
    return _assemble(state, pages, articles)


def _byline_end(ink: str) -> int | None:
    """How far a byline reaches into a line; a line that is a whole credit
    once its inline pinyin notes are left out (■本报(bào)见习记者 朱凌君)
    is a byline to its end.

    >>> _byline_end("■本报(bào)见习(xí)记者 朱凌君 巩持平"), _byline_end("市民(mín)说好。")
    (24, None)
    """
    end = credits.match_byline(ink)
    bare = chrome.plain(ink)
    if end is None and bare != ink and credits.match_byline(bare) == len(bare.rstrip()):
        return len(ink.rstrip())
    return end


def _mark_closing_credit(state: LineState, i: int) -> None:
    """…参演人员300余人。（记者 陈思远）: the bracket is a credit, not body."""
    ink = state.ink(i)
    match = _CLOSING_CREDIT.search(ink)
    if match:
        credit = match.group().strip()
        if credits.match_byline(credit) == len(credit):
            state.closing[i] = state.lines[i].hi - len(credit)


def _mark_furniture(state: LineState, content: list[int]) -> None:
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


def _page_starts(state: LineState, content: list[int]) -> list[int]:
    """Line indices where pages start: a furniture group with a credit line
    or page header opens a new page, unless nothing but furniture precedes
    or follows it in the file."""
    found = [0]
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
            found.append(group[0])
        k = group_end
    return found


def _articles(state: LineState, content: list[int], pages: list[int]) -> list[list[int]]:
    """Content lines grouped into articles (title lines first)."""
    page_of = _page_index(state, pages)
    opening = starts.find_starts(state, content, page_of)
    groups: list[list[int]] = []
    last_page = -1
    for k, i in enumerate(content):
        if state.role.get(i) == "furniture":
            continue
        page_opens = page_of[i] != last_page
        last_page = page_of[i]
        # Text opening a page continues the article the previous page left
        # off, unless it starts with a title of its own.
        if i in opening or (page_opens and starts.opens_page(state, content, k)) or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


def _page_index(state: LineState, pages: list[int]) -> dict[int, int]:
    """Line index → 1-based page number."""
    page_of, page = {}, 0
    for i in range(len(state.lines)):
        while page + 1 < len(pages) and i >= pages[page + 1]:
            page += 1
        page_of[i] = page + 1
    return page_of


def _assemble(state: LineState, pages: list[int], groups: list[list[int]]) -> Layout:
    page_of = _page_index(state, pages)
    blocks = [_article_block(state, n, group, page_of[group[0]]) for n, group in enumerate(groups)]
    article_of = {i: n for n, group in enumerate(groups) for i in group}
    spans = _spans(state, page_of, article_of)
    page_blocks = _page_blocks(state, pages)
    return Layout(tuple(spans), tuple(page_blocks), tuple(blocks))


def _article_block(state: LineState, n: int, group: list[int], page_no: int) -> ArticleBlock:
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


def _body_piece(state: LineState, i: int) -> tuple[int, int] | None:
    line = state.lines[i]
    start = state.byline_end.get(i, line.lo)
    end = state.closing.get(i, line.hi)
    ink = state.text[start:end]
    start += len(ink) - len(ink.lstrip())
    end -= len(ink) - len(ink.rstrip())
    return (start, end) if start < end else None


def _body_roles(state: LineState, body: list[int], subheads: list, paragraphs: list) -> None:
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
            state.reason[i] = (starts.SUBHEAD_NUMBERED if starts.is_numbered(ink) else starts.SUBHEAD_NO_LEAD) if first else state.reason[last_head]
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


def _spans(state: LineState, page_of: dict[int, int], article_of: dict[int, int]) -> list[Span]:
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


def _page_blocks(state: LineState, pages: list[int]) -> list[PageBlock]:
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
