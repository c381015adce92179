"""Context: a table row shown where it was printed — its paragraph in the
article, with the paragraph before and after and the mention marked.

Every row of every table keeps ``source`` and a half-open ``[start, end)``
span into the decoded text; the layout table tiles that text with one row
per printed block (a paragraph, a caption, the headline…).  ``context``
finds the blocks of the row's article that the span touches, and the
article's blocks just before and after them.  Nothing is re-read from disk.

>>> import pandas as pd, types
>>> layout = pd.DataFrame({
...     "source": ["p.txt"] * 4, "article_id": ["a1"] * 4,
...     "start": [0, 5, 17, 26], "end": [4, 16, 25, 31],
...     "role": ["headline", "body", "body", "body"],
...     "text": ["安全检查", "全市排查隐患699个。", "已整改593处。", "下一步工作"]})
>>> t = types.SimpleNamespace(layout=layout, articles=pd.DataFrame({"article_id": ["a1"], "headline": ["安全检查"]}))
>>> c = context(t, {"source": "p.txt", "article_id": "a1", "start": 11, "end": 15})
>>> c.before, c.lead, c.mention, c.tail, c.after, c.paragraph
('安全检查', '全市排查隐患', '699个', '。', '已整改593处。', 1)
>>> context_html(c).count("<mark>")
1
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

# Blocks that are text of the article an editor reads around a figure.
READABLE = ("headline", "kicker", "deck", "subhead", "body", "caption")
ROLE_NAMES = {"headline": "标题", "kicker": "引题", "deck": "副题", "subhead": "小标题", "body": "正文", "caption": "图片说明"}


@dataclass(frozen=True)
class Context:
    """A mention in its article: ``lead + mention + tail`` is the block (or
    blocks) holding it, ``before``/``after`` the article's blocks around it.
    ``paragraph`` counts the article's body paragraphs up to the mention
    (0 when it is not in the body); ``role`` is the block's role."""

    source: str
    start: int
    end: int
    headline: str = ""
    role: str = ""
    paragraph: int = 0
    before: str = ""
    lead: str = ""
    mention: str = ""
    tail: str = ""
    after: str = ""

    @property
    def found(self) -> bool:
        return bool(self.lead or self.mention or self.tail)

    @property
    def where(self) -> str:
        """Where an editor finds it: 《headline》 第N段 (or the block's role)."""
        place = f"第{self.paragraph}段" if self.role == "body" and self.paragraph else ROLE_NAMES.get(self.role, "")
        title = f"《{self.headline}》" if self.headline else self.source
        return f"{title} {place}".strip()


def _value(row, key: str, default=None):
    value = row.get(key, default) if hasattr(row, "get") else getattr(row, key, default)
    return default if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def context(t, row) -> Context:
    """The row (a dict, Series or namedtuple with source, start, end and
    optionally article_id) in its article, from the tables ``t`` (their
    layout and articles); an empty Context (``found`` false) when the
    layout has no block for it."""
    layout, articles = t.layout, t.articles
    source, start, end = str(_value(row, "source", "")), int(_value(row, "start", 0)), int(_value(row, "end", 0))
    article_id = str(_value(row, "article_id", ""))
    blocks = layout[(layout["source"] == source) & layout["role"].isin(READABLE)]
    if article_id:
        blocks = blocks[blocks["article_id"] == article_id]
    blocks = blocks.sort_values("start").reset_index(drop=True)
    headline = _headline(articles, article_id)
    paragraphs = _paragraphs(blocks)
    touched = [k for k, (a, b) in enumerate(paragraphs)
               if int(blocks["start"].iloc[a]) < max(end, start + 1) and int(blocks["end"].iloc[b]) > start]
    if not touched:
        return Context(source, start, end, headline)
    first, last = touched[0], touched[-1]
    hit = blocks.loc[paragraphs[first][0] : paragraphs[last][1]]
    text = "".join(hit["text"])  # the paragraphs the span touches, as printed
    lo, hi = _offsets(hit)(start), _offsets(hit)(end)
    role = str(hit["role"].iloc[0])
    roles = [blocks["role"].iloc[a] for a, _ in paragraphs]
    return Context(
        source, start, end, headline, role=role,
        paragraph=roles[: first + 1].count("body") if role == "body" else 0,
        before=_joined(blocks, paragraphs[first - 1]) if first > 0 else "",
        lead=text[:lo], mention=text[lo:hi], tail=text[hi:],
        after=_joined(blocks, paragraphs[last + 1]) if last + 1 < len(paragraphs) else "",
    )


# A block ending without one of these was broken by the page (a column or
# line break inside a paragraph): the next block of its role goes on with it.
_PARAGRAPH_END = tuple("。！？!?…”」』）)：:；;")


def _paragraphs(blocks: pd.DataFrame) -> list[tuple[int, int]]:
    """The blocks grouped into paragraphs, as (first, last) positions: a
    block of the same role right after one that ends mid-sentence joins it."""
    out: list[tuple[int, int]] = []
    roles, texts = blocks["role"].tolist(), blocks["text"].astype(str).tolist()
    for k, (role, text) in enumerate(zip(roles, texts)):
        if out and roles[k - 1] == role == "body" and not texts[k - 1].rstrip().endswith(_PARAGRAPH_END):
            out[-1] = (out[-1][0], k)
        else:
            out.append((k, k))
    return out


def _joined(blocks: pd.DataFrame, paragraph: tuple[int, int]) -> str:
    return "".join(blocks["text"].iloc[paragraph[0] : paragraph[1] + 1].astype(str))


def _offsets(hit: pd.DataFrame):
    """A function from a source offset to an index into the joined text of
    ``hit`` (blocks may have gaps between them: line breaks, a caption)."""
    spans = list(zip(hit["start"].astype(int), hit["end"].astype(int)))

    def at(offset: int) -> int:
        index = 0
        for low, high in spans:
            if offset <= low:
                return index
            if offset < high:
                return index + offset - low
            index += high - low
        return index

    return at


def _headline(articles: pd.DataFrame, article_id: str) -> str:
    if not article_id or "headline" not in articles:
        return ""
    found = articles.loc[articles["article_id"] == article_id, "headline"]
    return str(found.iloc[0]) if len(found) else ""


def context_html(c: Context, title: bool = True) -> str:
    """The context as HTML: where it is, the paragraph before (grey), the
    paragraph with the mention in <mark>, the paragraph after (grey)."""
    if not c.found:
        return f"<p>在版面文本中找不到这一行({html.escape(c.source)})。</p>"
    grey = "color:#666"
    parts = [f"<p><b>{html.escape(c.where)}</b></p>"] if title else []
    if c.before:
        parts.append(f'<p style="{grey}">{html.escape(c.before)}</p>')
    parts.append(f"<p>{html.escape(c.lead)}<mark>{html.escape(c.mention)}</mark>{html.escape(c.tail)}</p>")
    if c.after:
        parts.append(f'<p style="{grey}">{html.escape(c.after)}</p>')
    return '<div class="zz-context">' + "".join(parts) + "</div>"


def side_by_side(left: str, right: str, titles: tuple[str, str] = ("标题", "正文")) -> str:
    """Two HTML fragments in two columns (a headline and its body, say)."""
    cells = "".join(
        f'<div style="flex:1;min-width:16em"><h4>{html.escape(name)}</h4>{part}</div>'
        for name, part in zip(titles, (left, right))
    )
    return f'<div class="zz-side-by-side" style="display:flex;gap:2em;flex-wrap:wrap">{cells}</div>'


_QUOTED = re.compile(r"「([^」]+)」")


def counterpart(t, row) -> dict | None:
    """For a headline/body finding (a checks row on a headline figure), the
    body figure its message names (quoted in 「」), as a figures row; None
    when the message quotes no other figure of the article's body."""
    article_id = str(_value(row, "article_id", ""))
    own = str(_value(row, "text", ""))
    quoted = [q for q in _QUOTED.findall(str(_value(row, "message", ""))) if q != own]
    figures = t.figures
    body = figures[(figures["article_id"] == article_id) & (figures["role"] == "body")]
    for text in quoted:
        hit = body[body["text"] == text]
        if len(hit):
            return hit.sort_values("start").iloc[0].to_dict()
    return None


def finding_html(t, row) -> str:
    """A check finding in its article; a headline/body finding shows both
    sides, the headline and the body sentence, side by side."""
    own = context(t, row)
    other = counterpart(t, row) if own.role in ("headline", "deck", "kicker") else None
    if other is None:
        return context_html(own)
    return side_by_side(context_html(own), context_html(context(t, other)), (ROLE_NAMES.get(own.role, "标题"), "正文"))
