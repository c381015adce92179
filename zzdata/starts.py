"""Starts: where articles open, from the evidence a page gives.

A byline is the plainest evidence: the short heading lines right above it
are the article's title block.  An article without a byline opens on other
evidence, each recorded as the reason of its title lines (``BY_*``, the
layout table's reason column):

- a title above a web release line (发布时间/来源, see ``chrome``);
- a title above a paragraph closing with a credit (…。（记者 陈思远）);
- a title at the top of a page;
- a title followed by a lead (本报讯, 近日, 4月20日, 记者从…);
- a title under a box label (应急科普, 小贴士…);
- a heading over a short text on another topic than the article above
  (``topic``: few topic words and places shared).

A heading numbered like a series (第一招, 举措一:, 一、) stays a subhead.
A title block is named kicker / headline / deck: a line ending in a colon
is a kicker, one starting with a dash a deck, and otherwise the first line
is the headline unless it is a box label, much shorter than the next, or
a clause (a comma or a dash inside) above a title that is none (a question
title too: 杭州“大脑”究竟开了什么脑洞? is a headline).

The functions read and write a ``lines.LineState``; ``layout`` calls
``find_starts`` and ``opens_page``.
"""

from __future__ import annotations

import re

from . import chrome, topic
from .lines import LineState, is_heading_like, is_open_title, is_question_title, is_terminal, is_title_like

_DECK_MARK = re.compile(r"^[—－\-–]{1,2}")
_CLAUSE = re.compile(r"[,，]|(?<=.)(?:——|—|－－)")  # inside a line: a comma, a dash after some words
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
BY_SHIFT = "title, then text on another topic than the article above"
ABOVE_WEB_TITLE = "site text above the web title"
SUBHEAD_NUMBERED = "numbered like a subhead series"
SUBHEAD_NO_LEAD = "heading inside an article: no byline, lead, box label or short text on another topic follows"
# A heading without a byline or lead opens an article (a short item: at
# most SHORT_ITEM_LINES lines and SHORT_ITEM_CHARS characters below it) when
# its words and those below are less similar than SHIFT_SIMILARITY (cosine
# of rarity-weighted topic words, ``topic``) to the article above, if that
# holds at least SHIFT_MIN_LINES lines and SHIFT_MIN_CHARS characters (read
# back SHIFT_READ characters at most).  Subheads of real articles (the
# sample, the web development set) score 0.096–0.29, made-up short items on
# another subject 0–0.034: a wrong split costs more than a missed one.
SHIFT_SIMILARITY = 0.05
SHORT_ITEM_LINES = 4
SHORT_ITEM_CHARS = 600
SHIFT_MIN_LINES = 3
SHIFT_MIN_CHARS = 80
SHIFT_READ = 1500


def is_numbered(line: str) -> bool:
    """Is a heading numbered like one of a series of subheads?

    >>> is_numbered("举措二:上门办理"), is_numbered("（三）强化督查"), is_numbered("石桥村新建文化广场")
    (True, True, False)
    """
    return bool(_NUMBERED.match(line))


def find_starts(state: LineState, content: list[int], page_of: dict[int, int]) -> set[int]:
    """Lines that open an article inside a page's text (``opens_page``
    decides the top of a page); their title blocks get their roles and
    reasons in ``state``."""
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
    return starts


def opens_page(state: LineState, content: list[int], k: int) -> bool:
    """Does an article with no byline start at content[k], the first text
    of a page?  Its title-like first line, followed by more text, becomes
    its headline; a question title or a dashed deck right below it joins
    its title block (a clause above a question: kicker and headline)."""
    i = content[k]
    following = [j for j in content[k + 1 :] if state.role.get(j) != "furniture"]  # web chrome may come between
    if i in state.role or not following:
        return False
    if not is_title_like(state.ink(i)) or is_terminal(state.ink(i)):
        return False
    block = [i]
    for j in following[:2]:  # a question title or a dashed deck right below is part of the title
        ink = state.ink(j)
        if j in state.role or j in state.byline_end or j == following[-1]:
            break
        if not (is_question_title(ink) or _DECK_MARK.match(ink) and is_title_like(ink)):
            break
        block.append(j)
    if len(block) > 1:
        _name_title_block(state, block)
    else:
        state.role[i] = "headline"
    state.reason.update({j: BY_PAGE for j in block})
    return True


def _closing_credit(state: LineState, content: list[int], byline: int, page_of: dict[int, int]) -> bool:
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


def _credited_starts(state: LineState, content: list[int], starts: set[int], page_of: dict[int, int]) -> set[int]:
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


def _web_title_starts(state: LineState, content: list[int], starts: set[int], page_of: dict[int, int]) -> set[int]:
    """A title-shaped line right above a web release line (发布时间, 来源,
    a date and time) is an article's headline; before the first such title,
    whatever the site printed above it on the page is furniture."""
    found: set[int] = set()
    for k, i in enumerate(content[:-1]):
        following = content[k + 1]
        if i in state.role or i in state.byline_end or not chrome.is_release_line(state.ink(following)):
            continue
        if not is_open_title(state.ink(i)):
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


def _evidence_starts(state: LineState, content: list[int], starts: set[int], page_of: dict[int, int]) -> set[int]:
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
        elif _topic_shifts(state, content, k, block, starts | found, page_of):
            reason = BY_SHIFT
        else:
            continue
        _name_title_block(state, block)
        state.reason.update({j: reason for j in block})
        found.add(i)
    return found


def _topic_shifts(state: LineState, content: list[int], k: int, block: list[int], starts: set[int], page_of: dict[int, int]) -> bool:
    """Is the heading at content[k] the title of a short item (one with no
    byline or lead of its own) on another subject than the article above?
    It is when it reads as a heading, a few paragraphs follow it (a subhead
    heads a longer section) and they share few topic words and places with
    the article above (``topic``)."""
    if not is_heading_like(state.ink(content[k])) or is_terminal(state.ink(content[k])):
        return False  # a question alone (怎么办?) may be a paragraph: it needs stronger evidence
    above = _article_above(state, content, k, starts, page_of)
    below = _text_below(state, content, content.index(block[-1]) + 1, page_of)
    if len(above) < SHIFT_MIN_LINES or sum(map(len, above)) < SHIFT_MIN_CHARS:
        return False
    if not below or len(below) > SHORT_ITEM_LINES or sum(map(len, below)) > SHORT_ITEM_CHARS:
        return False
    titles = [state.ink(j) for j in block]
    return topic.similarity(topic.topic_words(titles + below), topic.topic_words(above)) < SHIFT_SIMILARITY


def _article_above(state: LineState, content: list[int], k: int, starts: set[int], page_of: dict[int, int]) -> list[str]:
    """The title and body lines of the article content[k] would leave, the
    nearest last (at most SHIFT_READ characters)."""
    i = content[k]
    opened = max((s for s in starts if s < i), default=-1)
    found: list[str] = []
    for j in reversed(content[:k]):
        if j < opened or page_of[j] != page_of[i] or sum(map(len, found)) >= SHIFT_READ:
            break
        if state.role.get(j) in (None, "headline", "kicker", "deck"):
            found.append(state.ink(j)[state.byline_end.get(j, state.lines[j].lo) - state.lines[j].lo :])
    return found


def _text_below(state: LineState, content: list[int], k: int, page_of: dict[int, int]) -> list[str]:
    """Body lines from content[k] on, up to the next line holding a role,
    a byline, another page or the next title-shaped line after a finished
    paragraph (one more line than a short item may have, at most)."""
    found: list[str] = []
    for j in content[k:]:
        if state.role.get(j) == "caption":
            continue
        if j in state.role or j in state.byline_end or page_of[j] != page_of[content[k]] or len(found) > SHORT_ITEM_LINES:
            break
        ink = state.ink(j)
        if found and is_open_title(ink) and is_terminal(found[-1]):
            break
        found.append(ink)
    return found


def _may_open(state: LineState, content: list[int], k: int, starts: set[int], page_of: dict[int, int]) -> bool:
    """A title-shaped line after a finished paragraph of the same page."""
    i = content[k]
    if i in state.role or i in state.byline_end or i in state.closing or i in starts:
        return False
    ink = state.ink(i)
    if not is_open_title(ink) or _NUMBERED.match(ink):
        return False
    before = next((j for j in reversed(content[:k]) if state.role.get(j) != "caption"), None)
    if before is None or page_of[before] != page_of[i] or state.role.get(before) == "furniture":
        return False
    return before in state.closing or (before not in state.role and is_terminal(state.ink(before)))


def _title_run(state: LineState, content: list[int], k: int, page_of: dict[int, int]) -> list[int]:
    """content[k] and at most two more title-shaped lines right below it."""
    block = [content[k]]
    for j in content[k + 1 : k + 3]:
        ink = state.ink(j)
        if j in state.role or j in state.byline_end or page_of[j] != page_of[content[k]]:
            break
        if not is_open_title(ink) or _NUMBERED.match(ink):
            break
        block.append(j)
    return block


def _title_block(state: LineState, content: list[int], byline: int, page_of: dict[int, int]) -> list[int]:
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


def _name_title_block(state: LineState, block: list[int]) -> None:
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


def _main_title(state: LineState, rest: list[int]) -> int:
    """The headline among title lines without a colon or dash: the first,
    unless it is a box label or much shorter than the next (a kicker: a
    place or slogan above); a line below it is a deck.

    >>> from zzdata.lines import split_lines
    >>> s = LineState("为民办实事\\n青竹区建成十座口袋公园\\n", split_lines("为民办实事\\n青竹区建成十座口袋公园\\n"))
    >>> _main_title(s, [0, 1])
    1
    """
    if len(rest) >= 3:
        return rest[1]
    first = rest[0]
    if len(rest) == 2:
        above, below = state.ink(first), state.ink(rest[1])
        if _BOX_LABEL.match(above) or len(above) * 5 <= len(below) * 3:
            return rest[1]
        if _is_clause(above) and not _is_clause(below):
            return rest[1]  # a fuller clause above a title is its kicker
    return first


def _is_clause(line: str) -> bool:
    """Does a title line read as a clause (a comma, or a dash inside it)?

    >>> _is_clause("从信息化到智能化——城市具备思考的能力,这不是投钱能解决的"), _is_clause("杭州“大脑”开了什么脑洞?")
    (True, False)
    """
    return bool(_CLAUSE.search(line.strip()))
