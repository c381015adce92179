"""Segment: a page text and its layout → Article and PageInfo records.

An article's body is a sequence of page spans: paragraphs joined with a
newline, the pieces of a paragraph the layout broke apart joined with
nothing between them.  ``Article.to_page`` maps any body position back to
the page text, so later stages can report page offsets.

A page read through a reading copy (``script.reading_copy``, same length)
is segmented in it; given ``printed``, the text as printed, the records'
strings (headline, body, byline, section…) are sliced from that instead,
at the same offsets, while bylines and page credits are still parsed from
the reading copy.

>>> from zzdata.read import Page
>>> text = "标题一行\\n本报讯(记者 王小明)今天,全市开展演\\n\\n练。\\n"
>>> [a.body for a in split_articles(Page("x.txt", "x.txt", text, "utf-8"))]
['今天,全市开展演练。']
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from dataclasses import dataclass

from . import chrome, credits, dates
from .layout import ArticleBlock, Layout, PageBlock, find_layout
from .read import Page

MAX_SECTION = 12
_EDITION = re.compile(r"^\s*第?\s*(?P<code>[A-Za-z]?\d{1,3})\s*版\s*[:：\s]?\s*(?P<section>[^\d\s]*)")


def stable_id(prefix: str, source: str, start: int) -> str:
    """An id that depends only on the source name and a position in it.

    >>> stable_id("a", "x.txt", 10) == stable_id("a", "x.txt", 10)
    True
    """
    digest = hashlib.blake2b(f"{source}\x00{start}".encode(), digest_size=6).hexdigest()
    return f"{prefix}{digest}"


@dataclass(frozen=True)
class PageInfo:
    """A printed page: extent and furniture (section, editors, page code)."""

    page_id: str
    source: str
    page_no: int
    start: int
    end: int
    page_code: str = ""
    section: str = ""
    editors: tuple[str, ...] = ()
    art_editors: tuple[str, ...] = ()
    proofreaders: tuple[str, ...] = ()
    printed_date: str | None = None
    outlet: str = ""  # named by a web page's 来源 line


@dataclass(frozen=True)
class Article:
    """One article; ``pieces`` are (body offset, page start, page end)."""

    article_id: str
    source: str
    page_id: str
    section: str
    kicker: str
    headline: str
    deck: str
    subheads: tuple[str, ...]
    subhead_starts: tuple[int, ...]  # page offset where each subhead is printed
    headline_start: int  # page offset of the headline, -1 when there is none
    byline: str
    credit: credits.Credit
    body: str
    pieces: tuple[tuple[int, int, int], ...]
    start: int
    end: int
    outlet: str = ""
    title_lines: tuple[tuple[str, int, int, str], ...] = ()  # (role, page start, page end, text) of kicker/headline/deck lines

    def to_page(self, position: int) -> int:
        """Page offset of a body offset (a paragraph break maps to the end
        of the paragraph before it).

        >>> a = Article("a", "s", "p", "", "", "", "", (), (), -1, "", credits.Credit(), "ab\\ncd", ((0, 10, 12), (3, 20, 22)), 10, 22)
        >>> a.to_page(1), a.to_page(3), a.to_page(5)
        (11, 20, 22)
        """
        k = bisect.bisect_right(self._body_starts, position) - 1
        body_start, page_start, page_end = self.pieces[max(k, 0)]
        return min(page_start + position - body_start, page_end)

    def to_body(self, position: int) -> int | None:
        """Body offset of a page offset; None when the body does not hold
        that character (a caption, a blank line, the byline).

        >>> a = Article("a", "s", "p", "", "", "", "", (), (), -1, "", credits.Credit(), "ab\\ncd", ((0, 10, 12), (3, 20, 22)), 10, 22)
        >>> a.to_body(11), a.to_body(20), a.to_body(15)
        (1, 3, None)
        """
        k = bisect.bisect_right(self._page_starts, position) - 1  # pieces are in page order
        if k < 0:
            return None
        body_start, page_start, page_end = self.pieces[k]
        return body_start + position - page_start if position < page_end else None

    @functools.cached_property
    def _body_starts(self) -> list[int]:
        return [p[0] for p in self.pieces]

    @functools.cached_property
    def _page_starts(self) -> list[int]:
        return [p[1] for p in self.pieces]


def describe_pages(page: Page, layout: Layout, printed: str | None = None) -> list[PageInfo]:
    """PageInfo for each printed page of a file, from its furniture lines;
    the section as ``printed`` shows it, when given."""
    infos = []
    for block in layout.pages:
        infos.append(_page_info(page, block, page.text if printed is None else printed))
    return infos


def _page_info(page: Page, block: PageBlock, shown: str) -> PageInfo:
    found: dict = {"editors": (), "art_editors": (), "proofreaders": (), "page_code": ""}
    section, printed, outlet = "", None, ""
    for start, end in block.furniture:
        line = page.text[start:end]
        if chrome.is_release_line(line) and not outlet and chrome.outlet_span(line):
            o_start, o_end = chrome.outlet_span(line)
            outlet = shown[start + o_start : start + o_end]
        if credits.is_page_credit(line):
            found.update({k: v for k, v in credits.parse_page_credits(line).items() if v})
            section = section or _edition_section(line, start, shown, found)  # 第03版 要闻 责任编辑:…
        elif dates.header_date(line):
            printed = dates.header_date(line)
        elif _EDITION.match(line):  # 第A03版:要闻
            edition = _EDITION.match(line)
            found["page_code"] = found["page_code"] or edition.group("code")
            section = section or shown[start + edition.start("section") : start + edition.end("section")]
        elif not section and _is_section_label(line):
            section = shown[start:end].strip()
    return PageInfo(
        page_id=stable_id("p", page.source, block.start),
        source=page.source,
        page_no=block.page_no,
        start=block.start,
        end=block.end,
        section=section,
        printed_date=printed,
        outlet=outlet,
        **found,
    )


def _is_section_label(line: str) -> bool:
    """A short label without digits that is not web page chrome (a site
    name or breadcrumb is no section of the paper)."""
    line = line.strip()
    return 0 < len(line) <= MAX_SECTION and not any(ch.isdigit() for ch in line) and not chrome.chrome_kind(line)


def _edition_section(line: str, start: int, shown: str, found: dict) -> str:
    """The section printed after 第N版 at the head of a credit line (and
    the page code into ``found``); empty when there is none.

    >>> found = {"page_code": ""}
    >>> line = "第03版 要闻 责任编辑:周敏"
    >>> _edition_section(line, 0, line, found), found["page_code"]
    ('要闻', '03')
    """
    edition = _EDITION.match(line)
    if not edition:
        return ""
    found["page_code"] = found["page_code"] or edition.group("code")
    section = shown[start + edition.start("section") : start + edition.end("section")]
    return "" if ":" in section or "：" in section or credits.is_page_credit(section) else section


def split_articles(page: Page, layout: Layout | None = None, pages: list[PageInfo] | None = None, printed: str | None = None) -> list[Article]:
    """Articles of a page text, in printed order; their strings as
    ``printed`` shows them, when given."""
    layout = layout or find_layout(page.text)
    pages = pages or describe_pages(page, layout, printed)
    by_no = {info.page_no: info for info in pages}
    shown = page.text if printed is None else printed
    return [_article(page, block, by_no[block.page_no], shown) for block in layout.articles]


def _article(page: Page, block: ArticleBlock, info: PageInfo, shown: str) -> Article:
    text = page.text  # credits are parsed from the text read; every string is sliced from the text shown
    title = {role: "" for role in ("kicker", "headline", "deck")}
    for role, start, end in block.title:
        title[role] = (title[role] + " " + shown[start:end]).strip()
    body, pieces = _stitch(shown, block.paragraphs)
    credit = credits.Credit()
    byline = shown[slice(*block.byline)] if block.byline else ""
    if not byline and block.closing:
        byline = shown[slice(*block.closing[-1])]  # …（记者 陈思远） at the end
    for start, end in ([block.byline] if block.byline else []) + list(block.closing):
        credit = credit + credits.parse_credit(chrome.plain(text[start:end]))  # without pinyin notes: 本报(bào)记者
    for start, end in block.captions:
        credit = credit + credits.caption_credit(text[start:end])
    return Article(
        article_id=stable_id("a", page.source, block.start),
        source=page.source,
        page_id=info.page_id,
        section=info.section,
        subheads=tuple(" ".join(shown[s:e] for s, e in group) for group in block.subheads),
        subhead_starts=tuple(group[0][0] for group in block.subheads),
        headline_start=next((start for role, start, _ in block.title if role == "headline"), -1),
        byline=byline,
        credit=credit,
        body=body,
        pieces=pieces,
        start=block.start,
        end=block.end,
        outlet=info.outlet,
        title_lines=tuple((role, start, end, shown[start:end]) for role, start, end in block.title),
        **title,
    )


def _stitch(text: str, paragraphs) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    offset = 0
    for n, paragraph in enumerate(paragraphs):
        if n:
            parts.append("\n")
            offset += 1
        for start, end in paragraph:
            pieces.append((offset, start, end))
            parts.append(text[start:end])
            offset += end - start
    return "".join(parts), tuple(pieces)
