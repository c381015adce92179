"""Charts: the curated charts of the notebooks, one function each.

Every function takes the tables (DataFrames) and returns a matplotlib
Figure that an editor can trust:

- each bar is annotated with the figure as the paper printed it
  (近6千人次, 13万余家, 0.84万立方), a fall drawn below zero and
  annotated −36%（偏少）;
- a panel holds one family of figures (a beat's category, or a figure's
  dimension) in one unit; people counted with any classifier (人, 名, 位)
  share the unit 人, while 人次 (attendances: one person may count twice)
  and 户 (households) stay apart;
- bars carry what they count, made distinct by subject, place or year;
- a vague figure (几十年: a wide interval) gets no bar of a false length;
- a figure a failed check disputes is marked ⚠, the check's message below;
- titles, axes and legends are in Chinese (``labels``), counts on integer
  ticks, and an empty selection says so in words;
- the figure is sized and laid out from the measured widths of its labels
  (``fit_panels``: a row of panels as tall as its bars, no label cut off),
  so that ``png_bytes`` draws it once.

A bar chart is planned first (``bar_chart``: a frozen ``BarChart`` of
panels and bars, every text as shown), then drawn: by matplotlib
(``draw_bars``, what the functions return) or as HTML (``bars_html``, what
an explorer shows on screen, in a few hundredths of a second: within
``planned()`` the functions return the plan).

>>> format_value(636000), format_value(35400), format_value(718), format_value(0.84)
('63.6万', '3.54万', '718', '0.84')
>>> normal_unit("名"), normal_unit("位"), normal_unit("人次"), normal_unit("立方")
('人', '人', '人次', '立方米')
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import html
import io
import re
import textwrap
from dataclasses import dataclass

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .fonts import use_chinese_fonts
from .labels import code_label, column_label, format_number, printed_figure, shown_date

COLOURS = ("#1f5c99", "#c8553d", "#588b8b", "#f28f3b", "#8e6c8a", "#6a994e")
CAPTION_WIDTH = 70
PANELS_PER_ROW = 3
MAX_PANELS = 6
MAX_BARS = 15
CAPTION_CHARS = 160
EMPTY = "没有符合条件的数字"
VAGUE_RATIO = 1.5  # an interval whose top is 1.5 times its bottom or more (几十, 三四百) is vague
WARNING = "⚠"
DISPUTED_COLOUR = "#b00020"  # a disputed figure's note

# One unit for one quantity: people with any classifier are 人 (人次, a count
# of attendances, and 户, households, are not people); 立方 and 方 are 立方米.
UNIT_ALIASES = {"名": "人", "位": "人", "人": "人", "个人": "人", "立方": "立方米", "方": "立方米"}
PEOPLE_DIMENSIONS = {"people"}

format_value = format_number  # the older name, kept for the notebooks


def normal_unit(unit) -> str:
    """The unit a panel's axis is in: 人/名/位 → 人, 立方/方 → 立方米."""
    unit = "" if unit is None or pd.isna(unit) else str(unit)
    return UNIT_ALIASES.get(unit, unit)


def signed(rows: pd.DataFrame) -> pd.Series:
    """Values with a fall below zero: direction "down" (beat tables) or
    comparison_direction "less" (figures) makes 偏少36% -36."""
    down = pd.Series(False, index=rows.index)
    for column, word in (("direction", "down"), ("comparison_direction", "less")):
        if column in rows:
            down |= rows[column].astype("string").fillna("") == word
    values = rows["value"].astype(float)
    return values.where(~down, -values.abs())


def printed(row) -> str:
    """What a bar is annotated with: the figure as printed (see
    ``labels.printed_figure``).

    >>> printed(pd.Series({"text": "36%", "direction": "down", "sentence": "较历年同期偏少36%。", "value": 36.0, "unit": "%"}))
    '−36%（偏少）'
    """
    return printed_figure(row)


def _cell(row, column: str) -> str:
    """A row's text in ``column``, '' when missing or NA."""
    value = row.get(column)
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# ---------------------------------------------------------------- what a row is

_VAGUE_WORDS = re.compile(r"[几数]\s*[十百千万亿]|[十百千万]\s*[几数]|若干|成[百千万]|上[百千万]")


def is_vague(row) -> bool:
    """A figure whose printed words allow a wide interval: 几十年, 数百人,
    上千人, 三四百 (value_high at least 1.5 × value_low).  13万余 [13万, 14万)
    and 近6千 are hedged but not vague: they keep their bar.

    >>> is_vague({"text": "几十年", "value": 10.0}), is_vague({"text": "13万余家", "value": 130000.0})
    (True, False)
    >>> is_vague({"text": "三四百人", "value_low": 300.0, "value_high": 500.0})
    True
    """
    low, high = row.get("value_low"), row.get("value_high")
    if low is not None and high is not None and not pd.isna(low) and not pd.isna(high) and float(low) > 0:
        if float(high) / float(low) >= VAGUE_RATIO:
            return True
    return bool(_VAGUE_WORDS.search(_cell(row, "text")))


_QUOTED = re.compile(r"「([^」]{1,30})」")
MAX_CHECKED_SPAN = 40  # a check whose span is longer speaks of a passage, not of one figure


def disputes(rows: pd.DataFrame, checks: pd.DataFrame | None) -> dict:
    """Row index → the message of a failed check about that figure: the
    check's span overlaps the figure's, or its message quotes the figure as
    printed (「总计13万余家」) in the same article, or names its figure_id.

    >>> rows = pd.DataFrame({"source": ["a"], "article_id": ["x"], "start": [50], "end": [56], "text": ["总计13万余家"]})
    >>> checks = pd.DataFrame({"check": ["headline_vs_body"], "status": ["fail"], "source": ["a"], "article_id": ["x"],
    ...     "start": [5], "end": [10], "message": ["标题写「1.3万家」,正文写「总计13万余家」,请核对"]})
    >>> disputes(rows, checks)
    {0: '标题写「1.3万家」,正文写「总计13万余家」,请核对'}
    """
    if checks is None or not len(checks) or not len(rows) or "status" not in checks:
        return {}
    failed = checks[checks["status"].astype("string") == "fail"]
    ids, quoted, spans = {}, {}, {}
    for check in failed.to_dict("records"):  # indexed once: a row meets only what could be about it
        source, message = _cell(check, "source"), _cell(check, "message")
        for figure_id in re.split(r"[|,\s]+", _cell(check, "figure_id") + "|" + _cell(check, "figure_ids")):
            if figure_id:
                ids.setdefault((source, figure_id), message)
        if _cell(check, "check") == "beat_coverage":  # about the article's figures as a whole
            continue
        for text in _QUOTED.findall(message):
            quoted.setdefault((source, _cell(check, "article_id"), text), message)
        start, end = check.get("start"), check.get("end")
        if not any(v is None or pd.isna(v) for v in (start, end)) and end - start < MAX_CHECKED_SPAN:
            spans.setdefault(source, []).append((int(start), int(end), message))
    found = {}
    for index, row in zip(rows.index, rows.to_dict("records")):
        source = _cell(row, "source")
        message = ids.get((source, _cell(row, "figure_id"))) or quoted.get((source, _cell(row, "article_id"), _cell(row, "text")))
        start, end = row.get("start"), row.get("end")
        if not message and not any(v is None or pd.isna(v) for v in (start, end)):
            message = next((m for s, e, m in spans.get(source, ()) if int(start) < e and s < int(end)), "")
        if message:
            found[index] = message
    return found


# ---------------------------------------------------------------- bar labels


def distinct_labels(rows: pd.DataFrame, label: str) -> list[str]:
    """Bar labels that say what each bar counts: an indicator with the
    subject as printed when that says more; where two rows share a
    label, the subject, then what was done (status: 排查, 整改), the place,
    the year, then the figure as printed is added until they differ (no two
    bars read "群众").

    >>> rows = pd.DataFrame({"indicator": ["问题", "问题"], "subject": ["问题", "问题"],
    ...     "place": ["芦淞区", "荷塘区"], "year": [2021, 2021]})
    >>> distinct_labels(rows, "indicator")
    ['问题(芦淞区)', '问题(荷塘区)']
    >>> distinct_labels(pd.DataFrame({"indicator": ["老年人"], "subject": ["独居老人"]}), "indicator")
    ['老年人(独居老人)']
    """
    base = rows[label].astype("string").fillna("").replace("", "(未注明)").tolist()
    if label == "indicator" and "subject" in rows:  # a normalised name says more with its words as printed
        subjects = rows["subject"].astype("string").fillna("").tolist()
        base = [f"{name}({subject})" if subject and subject not in name and name not in subject else name
                for name, subject in zip(base, subjects)]
    out = list(base)
    for extra in ("subject", "status", "place", "year", "text"):
        if len(set(out)) == len(out) or extra not in rows or extra == label:
            continue
        values = rows[extra].astype("string").fillna("").tolist()
        clashing = {name for name in out if out.count(name) > 1}
        out = [
            f"{name}({value})" if name in clashing and value and value not in name else name
            for name, value in zip(out, values)
        ]
    seen: dict[str, int] = {}
    final = []
    for name in out:  # still alike: number them
        seen[name] = seen.get(name, 0) + 1
        final.append(name if seen[name] == 1 else f"{name}({seen[name]})")
    return final


# ---------------------------------------------------------------- captions


def _caption(rows: pd.DataFrame, articles: pd.DataFrame | None) -> str:
    """来源: the headline(s), their dates (inferred ones say so) and the
    sentence(s) the numbers came from."""
    heads, dates = {}, {}
    if articles is not None and len(articles):
        heads = dict(zip(articles["article_id"], articles["headline"]))
        if "publication_date" in articles:
            dates = {row["article_id"]: shown_date(row) for _, row in articles.iterrows()}
    lines = []
    if "article_id" not in rows or "sentence" not in rows:
        return ""
    for article_id, group in rows.groupby("article_id", sort=False):
        sentences = "；".join(dict.fromkeys(group["sentence"].astype("string").fillna("")))
        if len(sentences) > CAPTION_CHARS:
            sentences = sentences[:CAPTION_CHARS] + "……"
        date = f" {dates[article_id]} " if article_id in dates else ""
        lines.append(f"来源:《{heads.get(article_id, article_id)}》{date}{sentences}")
    wrapped = [textwrap.fill(line, CAPTION_WIDTH, break_on_hyphens=False) for line in lines[:3]]
    if len(lines) > 3:
        wrapped.append(f"……另有{len(lines) - 3}篇稿件")
    return "\n".join(wrapped)


# ---------------------------------------------------------------- layout
# A chart is laid out here, from the measured sizes of its texts, not by
# fig.tight_layout() and savefig(bbox_inches="tight"): those lay out every
# text of the figure with a renderer (a saved PNG twice), which made the
# explorer's chart follow a filter change 0.3–1.6 s late.  A line of text is
# measured once, from its unhinted outlines (the same at any dpi), and cached.

INCH = 72.0  # points
MARGIN = 0.12  # inches of white around the chart
AXES_WIDTH = 2.8  # inches of a panel's bars (more when the title or the notes need a wider figure)
COLUMN_GAP = 0.3
ROW_GAP = 0.15
BAR_INCHES = 0.3  # a panel's height per bar
MIN_AXES_HEIGHT = 0.6
SLACK = 1.04  # hinted glyphs at some dpi are up to 3 % wider than their outlines
RENDERING = {"text.hinting": "no_hinting"}  # hinting CJK outlines (FreeType's autohinter) is 4 × slower
FITTED = "_zzdata_fitted"  # set on a figure laid out here: saved as it is, no cropping pass


@functools.lru_cache(maxsize=8192)
def _line_size(line: str, points: float, families: tuple[str, ...]) -> tuple[float, float]:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, height, _ = text_to_path.get_text_width_height_descent(line, FontProperties(family=list(families), size=points), ismath=False)
    return width / INCH, height / INCH


def text_size(text: str, points: float) -> tuple[float, float]:
    """Width and height in inches of ``text`` (lines split at \\n) at
    ``points``, in the current fonts, with room to spare for hinting; a CJK
    glyph is about one em wide.

    >>> _ = use_chinese_fonts()
    >>> width, height = text_size("防汛物资", 10)
    >>> 4 * 10 / 72 <= width <= 1.06 * 4 * 10 / 72, 0.1 < height < 0.25
    (True, True)
    """
    families = tuple(mpl.rcParams["font.family"])
    lines = str(text).split("\n")
    width = max(_line_size(line, float(points), families)[0] for line in lines)
    pitch = _line_size("国lp", float(points), families)[1] * 1.2  # matplotlib's line spacing
    return width * SLACK, pitch * len(lines)


def _points(size) -> float:
    """A font size (10, "medium", …) in points."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=size).get_size_in_points()


def _overhang(ax, width: float) -> tuple[float, float]:
    """How far (inches) the panel's texts reach out of an axes ``width``
    wide, to the left and to the right: the notes beside the bars (drawn
    from their x to the right), the panel's title (from the left edge) and
    the x tick labels (centred on their tick)."""
    x0, x1 = ax.get_xlim()
    span = (x1 - x0) or 1.0
    left = right = 0.0
    for loc, share in (("left", (0.0, 1.0)), ("center", (0.5, 0.5)), ("right", (1.0, 0.0))):
        title = ax.get_title(loc=loc)
        if title:
            beyond = text_size(title, _points(mpl.rcParams["axes.titlesize"]))[0] - width
            left, right = max(left, beyond * share[0]), max(right, beyond * share[1])
    for text in ax.texts:
        if text.get_visible() and text.get_transform() is ax.transData:
            at = (text.get_position()[0] - x0) / span * width
            right = max(right, at + text_size(text.get_text(), text.get_fontsize())[0] - width)
    if ax.axison:
        formatter, size = ax.xaxis.get_major_formatter(), _points(mpl.rcParams["xtick.labelsize"])
        ticks = [x for x in ax.xaxis.get_major_locator().tick_values(x0, x1) if min(x0, x1) <= x <= max(x0, x1)]
        for x in ticks:
            half, at = text_size(formatter(x, 0), size)[0] / 2, (x - x0) / span * width
            left, right = max(left, half - at), max(right, at + half - width)
    return left, max(right, 0.0)


def _below(ax, ticks_height: float) -> float:
    """Inches under an axes: its x tick labels and x axis label, if shown."""
    if not ax.axison:
        return 0.0
    label = ax.xaxis.label
    named = label.get_text() and label.get_visible()
    return ticks_height + (text_size(label.get_text(), label.get_fontsize())[1] + mpl.rcParams["axes.labelpad"] / INCH if named else 0.0)


def fit_panels(fig, grid, labels: dict, footnote=None, axes_width: float = AXES_WIDTH) -> None:
    """Size ``fig`` and place the visible axes of ``grid`` (rows × columns)
    so that every text lies inside it: a column as wide as its longest bar
    label (``labels``: axes → its bar labels), its bars and what its notes
    and title reach beyond them; a row as tall as its bars; the suptitle
    above and the ``footnote`` (a figure text) below; the figure as wide as
    the widest of those; an x axis label below its ticks.  Marks the figure
    as fitted (``png_bytes`` saves it without a cropping pass)."""
    rc = mpl.rcParams
    tick_size, title_size = _points(rc["ytick.labelsize"]), _points(rc["axes.titlesize"])
    tick_pad = (rc["ytick.major.size"] + rc["ytick.major.pad"]) / INCH
    title_height = text_size("国", title_size)[1] + rc["axes.titlepad"] / INCH
    ticks_height = (rc["xtick.major.size"] + rc["xtick.major.pad"]) / INCH + text_size("0", _points(rc["xtick.labelsize"]))[1]
    rows, columns = len(grid), max(len(line) for line in grid)
    lefts, rights, heights = [0.0] * columns, [0.0] * columns, [0.0] * rows
    for r, line in enumerate(grid):
        for c, ax in enumerate(line):
            if not ax.get_visible():
                continue
            names = labels.get(ax, [])
            out_left, out_right = _overhang(ax, axes_width)
            widest = max((text_size(name, tick_size)[0] for name in names), default=0.0)
            lefts[c] = max(lefts[c], widest + tick_pad if names else 0.0, out_left)
            rights[c] = max(rights[c], out_right)
            heights[r] = max(heights[r], MIN_AXES_HEIGHT, BAR_INCHES * len(names) + 0.2)
    suptitle = fig._suptitle
    top = MARGIN + (text_size(suptitle.get_text(), suptitle.get_fontsize())[1] + 0.1 if suptitle else 0.0)
    foot = text_size(footnote.get_text(), footnote.get_fontsize()) if footnote and footnote.get_text() else (0.0, 0.0)
    used = sum(lefts) + sum(rights) + columns * axes_width + (columns - 1) * COLUMN_GAP
    width = 2 * MARGIN + max(used, foot[0], text_size(suptitle.get_text(), suptitle.get_fontsize())[0] if suptitle else 0.0)
    axes_width += (width - 2 * MARGIN - used) / columns  # room left over widens the bars
    below = [max((_below(ax, ticks_height) for ax in line), default=0.0) for line in grid]
    blocks = [title_height + h + low + ROW_GAP for h, low in zip(heights, below)]
    height = top + sum(blocks) + foot[1] + MARGIN
    fig.set_size_inches(width, height)
    for r, line in enumerate(grid):
        bottom = height - top - sum(blocks[:r]) - title_height - heights[r]
        x = MARGIN
        for c, ax in enumerate(line):
            x += lefts[c]
            ax.set_position([x / width, bottom / height, axes_width / width, heights[r] / height])
            x += axes_width + rights[c] + COLUMN_GAP
    if suptitle:
        suptitle.set_y(1 - MARGIN / height)
    if footnote:
        footnote.set_position((MARGIN / width, (MARGIN + foot[1]) / height))
        footnote.set_verticalalignment("top")
    setattr(fig, FITTED, True)


def png_bytes(figure, dpi: int = 96) -> bytes:
    """The chart as PNG bytes, text unhinted (``RENDERING``).  A figure
    laid out by ``fit_panels`` is saved as it is; any other is cropped to
    its texts (bbox_inches="tight", which draws it twice)."""
    out = io.BytesIO()
    with mpl.rc_context(RENDERING):
        figure.savefig(out, format="png", dpi=dpi, bbox_inches=None if getattr(figure, FITTED, False) else "tight",
                       pil_kwargs={"compress_level": 1})  # zlib's fastest level: 0.03 s less, and no larger here
    return out.getvalue()


# ---------------------------------------------------------------- on screen
# An explorer's chart follows every filter change.  Drawn by matplotlib,
# a large selection (6 panels, 80 figures) took the kernel 0.6–0.9 s, most
# of it laying out and rasterising ~180 texts, so its PNG reached the page
# up to 1.1 s after the change (issue #16 asks for 0.5 s).  On screen the
# same ``BarChart`` is HTML: bars are sized boxes and the browser sets the
# words, as it does the grid's, so no label is measured in advance or cut
# off.  matplotlib still draws the downloads (PNG, SVG), the notebooks'
# figures and the README's pictures, from the same BarChart.

TRACK_PIXELS = 260  # a panel's width for its longest bar
BARS_STYLE = """<style>
.zz-bars { font-size: 13px; line-height: 1.35; color: #222; background: #fff; padding: 4px 6px; }
.zz-bars-title { font-size: 16px; font-weight: 600; margin: 0 0 6px; }
.zz-bars-empty { font-size: 15px; color: #666; margin: 12px 0; }
.zz-panels { display: flex; flex-wrap: wrap; gap: 10px 32px; align-items: flex-start; }
.zz-panel { border-collapse: collapse; }
.zz-panel caption { text-align: left; font-weight: 600; padding: 0 0 4px; white-space: nowrap; }
.zz-panel th { font-weight: normal; text-align: right; padding: 2px 6px 2px 0; white-space: nowrap; }
.zz-panel td { padding: 2px 0; white-space: nowrap; }
.zz-track > span { display: inline-block; vertical-align: middle; }
.zz-bar { height: 16px; }
.zz-bar.zz-vague { border-left: 2px dashed #888; height: 14px; }
.zz-note { padding-left: 4px; font-size: 12px; }
.zz-note.zz-disputed { color: #b00020; }
.zz-bars-foot { white-space: pre-line; font-size: 11px; color: #444; margin-top: 8px; }
</style>"""


def bars_html(chart: BarChart) -> str:
    """A ``BarChart`` as HTML: the title, panels side by side (each a table
    of label, bar and its note as printed), a fall drawn left of a zero
    line, a disputed note in red with ⚠, the footnote; an empty selection
    is its sentence.  Every text is escaped.

    >>> page = bars_html(bar_chart(pd.DataFrame({"indicator": ["来客量"], "value": [12.0], "direction": ["down"],
    ...     "text": ["12%"], "sentence": ["来客量同比下降12%"], "unit": ["%"]}), "indicator", "来客<同比>"))
    >>> "来客&lt;同比&gt;" in page, "−12%（下降）" in page, 'class="zz-bar"' in page
    (True, True, True)
    >>> "没有符合条件的数字" in bars_html(bar_chart(pd.DataFrame(columns=["indicator", "value"]), "indicator", "空"))
    True
    """
    e = html.escape
    parts = [BARS_STYLE, '<div class="zz-bars">', f'<div class="zz-bars-title">{e(chart.title)}</div>']
    if chart.empty:
        parts.append(f'<p class="zz-bars-empty">{e(chart.empty)}</p>')
    if chart.panels:
        parts += ['<div class="zz-panels">', *(_panel_html(panel) for panel in chart.panels), "</div>"]
    if chart.footnote:
        parts.append(f'<div class="zz-bars-foot">{e(chart.footnote)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _panel_html(panel: Panel, track: int = TRACK_PIXELS) -> str:
    """One panel as a table: each row a label, a bar from the zero line
    (pixels of ``track`` for the panel's range) and its note."""
    e = html.escape
    lengths = [bar.length for bar in panel.bars]
    low, high = min(0.0, *lengths), max(0.0, *lengths)
    span = (high - low) or 1.0
    zero = (0.0 - low) / span * track  # shares of the range first: no overflow for tiny ranges
    line = f' style="background: linear-gradient(#888, #888) no-repeat {zero:.1f}px 0 / 1px 100%"' if low < 0 else ""
    rows = [f"<table class=\"zz-panel\"><caption>{e(panel.title)}</caption><tbody>"]
    for bar in panel.bars:
        width = abs(bar.length) / span * track
        width = max(width, 1.0) if bar.length else 0.0  # a tiny figure still shows
        start = max(zero - width, 0.0) if bar.length < 0 else zero
        kind = "zz-bar zz-vague" if bar.vague else "zz-bar"
        note = "zz-note zz-disputed" if bar.disputed else "zz-note"
        rows.append(
            f"<tr><th>{e(bar.label)}</th><td class=\"zz-track\"{line}><span style=\"width:{start:.1f}px\"></span>"
            f"<span class=\"{kind}\" style=\"width:{width:.1f}px;background:{panel.colour}\"></span>"
            f"<span class=\"{note}\">{e(bar.note)}</span></td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


# ---------------------------------------------------------------- panels


def families(rows: pd.DataFrame) -> pd.Series:
    """Each row's family, as a Chinese title: a beat row's category
    (物资储备); a figure's beat table and dimension (防汛抗旱 · 个数), so
    counts of different beats never share an axis; '' when neither.

    >>> families(pd.DataFrame({"beat_table": ["flood_prep", ""], "dimension": ["count", "people"]})).tolist()
    ['防汛抗旱 · 个数', '人数']
    """
    def column(name: str) -> pd.Series:
        if name not in rows:
            return pd.Series("", index=rows.index, dtype="string")
        return rows[name].astype("string").fillna("").map(lambda v: code_label(name, v)).astype("string")

    if "category" in rows and rows["category"].astype("string").fillna("").ne("").any():
        return column("category")
    parts = [column("beat_table"), column("dimension")]
    return parts[0].str.cat(parts[1], sep=" · ").str.strip(" ·")


def panels(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The rows split like with like: one panel per family (``families``)
    and normalised unit, the fullest panels first.

    >>> rows = pd.DataFrame({"category": ["beneficiary", "beneficiary", "fund"], "unit": ["名", "位", "元"], "value": [10.0, 12.0, 3e4]})
    >>> [(title, len(part)) for title, part in panels(rows)]
    [('受益群众 · 单位:人', 2), ('资金 · 单位:元', 1)]
    """
    return [(title, rows.iloc[positions]) for title, positions in _panel_positions(rows)]


def _panel_positions(rows: pd.DataFrame) -> list[tuple[str, list[int]]]:
    """``panels`` as row positions (a frame is cut only for a panel drawn)."""
    units = rows["unit"].map(normal_unit).tolist() if "unit" in rows else [""] * len(rows)
    where: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(families(rows).tolist(), units)):
        where.setdefault(key, []).append(i)
    groups = []
    for (family, unit), positions in where.items():  # first seen first
        title = " · ".join(p for p in (family, f"单位:{unit}" if unit else "") if p)
        groups.append((title, positions))
    return sorted(groups, key=lambda g: -len(g[1]))


@dataclass(frozen=True)
class Bar:
    """One bar of a ``BarChart``: what it counts, its value with the sign
    of a change, the length drawn (0 for a vague figure), and the note
    beside it (the figure as printed, ⚠ first when a check disputes it)."""

    label: str
    value: float
    length: float
    note: str
    disputed: bool = False
    vague: bool = False


@dataclass(frozen=True)
class Panel:
    """Bars of one family in one unit; ``whole``: integer ticks (counts)."""

    title: str
    bars: tuple[Bar, ...]
    colour: str
    whole: bool


@dataclass(frozen=True)
class BarChart:
    """What ``bars_by_unit`` shows, before it is drawn: the title (saying
    when panels were cut to the top N), the panels, the footnote (notes on
    vague and disputed figures, panels left out, the sources) and, for an
    empty selection, the sentence shown instead.  Drawn by ``draw_bars``
    (matplotlib: notebooks, downloads) or ``bars_html`` (the explorers'
    on-screen chart).

    >>> chart = bar_chart(pd.DataFrame({"indicator": ["救生衣"], "value": [12000.0], "unit": ["件"], "text": ["1.2万件"]}), "indicator", "物资")
    >>> [(p.title, [(b.label, b.note) for b in p.bars]) for p in chart.panels]
    [('单位:件', [('救生衣', '1.2万件')])]
    >>> chart.words()
    ['物资', '单位:件', '救生衣', '1.2万件']
    """

    title: str
    panels: tuple[Panel, ...]
    footnote: str = ""
    empty: str = ""

    def words(self) -> list[str]:
        """Every text the chart shows, once, in reading order: title, each
        panel's title, bar labels and notes, then the footnote (or the
        sentence of an empty selection)."""
        found = [self.title, self.empty]
        for panel in self.panels:
            found += [panel.title, *(x for bar in panel.bars for x in (bar.label, bar.note))]
        found.append(self.footnote)
        return [w for w in dict.fromkeys(w.strip() for w in found) if w]


_PLANNING: contextvars.ContextVar[bool] = contextvars.ContextVar("zzdata_chart_planning", default=False)


@contextlib.contextmanager
def planned():
    """Within it, ``bars_by_unit`` (and so every curated bar chart) returns
    its ``BarChart`` instead of drawing a figure: an explorer shows it as
    HTML at once and draws the matplotlib figure only for a download.

    >>> with planned():
    ...     isinstance(bars_by_unit(pd.DataFrame(columns=["indicator", "value", "unit"]), "indicator", "空"), BarChart)
    True
    """
    token = _PLANNING.set(True)
    try:
        yield
    finally:
        _PLANNING.reset(token)


def bars_by_unit(rows: pd.DataFrame, label: str, title: str, articles: pd.DataFrame | None = None, **options):
    """Horizontal bars of ``rows.value`` labelled by ``rows[label]`` (made
    distinct), one panel per family and unit (``panels``), at most
    ``MAX_PANELS`` panels of at most ``limit`` bars (the title says when it
    was cut); each bar annotated with its figure as printed, a disputed one
    marked ⚠, a vague one left without a bar; captioned with the sentences
    of ``sources`` (by default the rows themselves).  ``counts``: the values
    are counts (integer ticks); ``options`` (``sources``, ``checks``,
    ``limit``, ``counts``) are ``bar_chart``'s.  A matplotlib Figure
    (``draw_bars``), or within ``planned()`` the ``BarChart`` it draws."""
    chart = bar_chart(rows, label, title, articles, **options)
    return chart if _PLANNING.get() else draw_bars(chart)


def bar_chart(
    rows: pd.DataFrame,
    label: str,
    title: str,
    articles: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    checks: pd.DataFrame | None = None,
    limit: int = MAX_BARS,
    counts: bool = False,
) -> BarChart:
    """The ``BarChart`` of ``bars_by_unit`` (same arguments), not drawn."""
    groups = _panel_positions(rows) if len(rows) else []
    shown, hidden = groups[:MAX_PANELS], groups[MAX_PANELS:]
    sizes = rows["value"].astype(float).abs().tolist() if len(rows) else []
    keys = (rows["subject"] if "subject" in rows else rows[label]).astype("string").fillna("").tolist() if len(rows) else []
    notes, cut, drawn = [], False, []
    disputed = disputes(rows, checks)
    for (panel_title, positions), colour in zip(shown, COLOURS * 10):
        if len(positions) > limit:
            positions, cut = _largest_positions(positions, sizes, limit), True
        part = rows.iloc[_paired_positions(positions, keys)]
        names = distinct_labels(part, label) if label in part else [""] * len(part)
        bars = _bars(part, names, disputed, notes)
        whole = counts or all(float(bar.length).is_integer() for bar in bars)
        drawn.append(Panel(panel_title, bars, colour, whole))
    if hidden:
        notes.append(f"另有{len(hidden)}组(类别或单位不同)未画出:" + "、".join(t for t, _ in hidden[:4]) + ",请用筛选器选择类别。")
    if cut:
        title += f"(每组只画数值最大的{limit}项)"
    sources = rows if sources is None else sources
    text = "\n".join([textwrap.fill(n, CAPTION_WIDTH, break_on_hyphens=False) for n in dict.fromkeys(notes)] + [_caption(sources, articles)])
    return BarChart(title, tuple(drawn), text.strip(), "" if drawn else EMPTY)


def _bars(part: pd.DataFrame, names: list[str], disputed: dict, notes: list[str]) -> tuple[Bar, ...]:
    """A panel's bars, labelled ``names``; the notes for under the chart are added to ``notes``."""
    values = signed(part)
    bars = []
    for name, (index, row), value in zip(names, zip(part.index, part.to_dict("records")), values):
        note = printed_figure(row) if "text" in part or "qualifier" in part else format_number(value)
        vague = is_vague(row)
        if vague:
            note += "(约数,不画柱)"
            notes.append(f"「{_cell(row, 'text')}」是约数,原文没给出确数,图中不画它的长度。")
        if index in disputed:
            note = f"{WARNING}{note}"
            notes.append(f"{WARNING} 核查未通过:{disputed[index]}")
        bars.append(Bar(name, float(value), 0.0 if vague else float(value), note, index in disputed, vague))
    return tuple(bars)


def draw_bars(chart: BarChart):
    """A ``BarChart`` as a matplotlib Figure: its panels in rows of
    ``PANELS_PER_ROW``, laid out by ``fit_panels``."""
    use_chinese_fonts()
    columns = max(1, min(len(chart.panels), PANELS_PER_ROW))
    lines = max(1, -(-len(chart.panels) // columns))
    fig = plt.figure()  # sized by fit_panels
    axes = [fig.add_subplot(lines, columns, n + 1) for n in range(max(1, len(chart.panels)))]  # only the panels drawn
    names = {}
    for ax, panel in zip(axes, chart.panels):
        names[ax] = [bar.label for bar in panel.bars]
        _draw_panel(ax, panel)
    if not chart.panels:
        _say_empty(axes[0], chart.empty or EMPTY)
    fig.suptitle(chart.title, fontsize=13)
    footnote = fig.text(0, 0, chart.footnote, fontsize=8, va="top", color="#444444")
    fit_panels(fig, [axes[n : n + columns] for n in range(0, len(axes), columns)], names, footnote)
    plt.close(fig)  # shown once, by the notebook's display of the returned figure
    return fig


def paired(rows: pd.DataFrame, label: str) -> pd.DataFrame:
    """Rows of one subject (else one label) side by side, in the order
    their first row was printed: found beside fixed, collected beside
    solved, this year beside last year.

    >>> rows = pd.DataFrame({"subject": ["问题", "建议", "问题"], "indicator": ["问题", "建议", "已解决"]})
    >>> paired(rows, "indicator")["indicator"].tolist()
    ['问题', '已解决', '建议']
    """
    key = rows["subject"] if "subject" in rows else rows[label]
    return rows.iloc[_paired_positions(range(len(rows)), key.astype("string").fillna("").tolist())]


def _paired_positions(positions, keys: list[str]) -> list[int]:
    """``positions`` ordered as ``paired`` orders rows, by ``keys[position]``."""
    positions = list(positions)
    first: dict[str, int] = {}
    for n, position in enumerate(positions):
        first.setdefault(keys[position], n)
    return [positions[n] for n in sorted(range(len(positions)), key=lambda n: (first[keys[positions[n]]], n))]


def _largest_positions(positions: list[int], sizes: list[float], limit: int) -> list[int]:
    """The ``limit`` positions of largest ``sizes`` (magnitudes), in their printed order.

    >>> _largest_positions([0, 2, 3, 5], [9.0, 0, 1.0, 7.0, 0, 1.0], 2)
    [0, 3]
    """
    def order(p: int) -> float:  # stable sort: the first printed of equals; a missing value last
        return -sizes[p] if sizes[p] == sizes[p] else float("inf")

    keep = set(sorted(positions, key=order)[:limit])
    return [p for p in positions if p in keep]


def _say_empty(ax, sentence: str = EMPTY) -> None:
    """An empty selection: a sentence, not an axis from −0.04 to 0.04."""
    ax.set_visible(True)
    ax.axis("off")
    ax.text(0.5, 0.5, sentence, ha="center", va="center", fontsize=12, color="#666666", transform=ax.transAxes)


def _draw_panel(ax, panel: Panel) -> None:
    """One panel's bars, each with its note beside it."""
    lengths = [bar.length for bar in panel.bars]
    bars = ax.barh([bar.label for bar in panel.bars], lengths, color=panel.colour)
    for y, bar in enumerate(panel.bars):
        if bar.vague:
            bars[y].set_hatch("//")
        ax.text(max(bar.length, 0), y, f" {bar.note}", va="center", fontsize=9,
                color=DISPUTED_COLOUR if bar.disputed else "#222222")
    if any(bar.value < 0 for bar in panel.bars):
        ax.axvline(0, color="#888888", linewidth=0.8)
        top = max(max(lengths), 0)
        ax.set_xlim(left=min(lengths) * 1.15, right=max(top * 1.5, abs(min(lengths)) * 0.9))  # room for the notes
    elif max(lengths, default=0) == 0:
        ax.set_xlim(0, 1)  # stated zeros only: an axis from 0, never from −0.05
    else:
        ax.margins(x=0.45)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_number(x)))
    ax.xaxis.set_major_locator(MaxNLocator(4, integer=panel.whole))
    ax.set_title(panel.title, fontsize=10, loc="left", y=1.0)  # y given: no search for ticks on top at each draw
    ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)


# ---------------------------------------------------------------- curated charts


def stockpile_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None, checks: pd.DataFrame | None = None):
    """防汛物资储备: the rows of category stockpile, one panel per unit."""
    rows = flood_prep[flood_prep["category"] == "stockpile"]
    return bars_by_unit(rows, "indicator", "防汛物资储备", articles, checks=checks)


FOUND, FIXED = ("排查", "发现", "查出", "排查出"), ("整改", "销号", "治理", "消除")


def hazards_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None, checks: pd.DataFrame | None = None):
    """Hazards found vs fixed, pairs by subject: a hazard row whose status
    says found (排查, 发现) beside the row of the same subject whose status
    says fixed (整改…); danger zones and other hazard rows with neither are
    left out (they are no pair).  个 and 处 both count hazards."""
    hazards = flood_prep[flood_prep["category"] == "hazard"]
    status = hazards["status"].astype("string").fillna("")
    found, fixed = hazards[status.isin(FOUND)], hazards[status.isin(FIXED)]
    rows = pd.concat([found.assign(label="排查发现", pair=0), fixed.assign(label="已整改", pair=1)])
    rows = rows.sort_values(["subject", "pair"], kind="stable")
    if rows["subject"].nunique() > 1:  # several pairs: say which hazard each bar counts
        rows = rows.assign(label=rows["subject"].astype(str) + " " + rows["label"])
    rows = rows.assign(unit="处", category="hazard").drop(columns="pair")
    return bars_by_unit(rows, "label", "隐患排查与整改", articles, checks=checks)


def category_chart(flood_prep: pd.DataFrame, category: str, title: str, articles: pd.DataFrame | None = None,
                   checks: pd.DataFrame | None = None):
    """Any category of a beat table (team, facility, training…)."""
    rows = flood_prep[flood_prep["category"] == category]
    return bars_by_unit(rows, "indicator", title, articles, checks=checks)


RAINFALL, ANOMALY = "累计降水量", "降水距平"


def rainfall_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None, checks: pd.DataFrame | None = None):
    """Rainfall against the normal: this year's total beside the normal it
    implies (total / (1 − 0.36)), in 毫米; the change as printed (−36%
    （偏少）) in a panel of its own.  With no direction printed, no normal
    is inferred."""
    total = flood_prep[flood_prep["indicator"] == RAINFALL]
    first = total.head(1)  # the change and the normal pair with the first total, from its own article
    anomaly = flood_prep[(flood_prep["indicator"] == ANOMALY) & flood_prep["article_id"].isin(first["article_id"])].head(1)
    rows = [total.assign(label="今年累计")]
    if len(anomaly):
        change = anomaly.iloc[0]
        rows.append(anomaly.assign(label="较" + (_cell(change, "baseline") or "历年同期")))
        sign = {"down": -1, "up": 1}.get(_cell(change, "direction"), 0)
        if sign:
            normal = round(first["value"].iloc[0] / (1 + sign * change["value"] / 100))
            text = f"约{format_number(normal)}{first['unit'].iloc[0]}(推算)"
            rows.append(first.assign(label="历年同期(推算)", value=normal, text=text, direction="", baseline=""))
    return bars_by_unit(pd.concat(rows), "label", "累计降水量与历年同期", articles, checks=checks)


def safety_chart(safety_stats: pd.DataFrame, articles: pd.DataFrame | None = None, checks: pd.DataFrame | None = None):
    """安全生产: the safety figures, one panel per category and unit."""
    return bars_by_unit(safety_stats, "indicator", "安全生产数据", articles, checks=checks)


def service_crosstab(service_actions: pd.DataFrame, rows: str = "campaign", columns: str = "place") -> pd.DataFrame:
    """Number of actions (one row each) by two columns, e.g. campaign (the
    article's heading) × place; "month" is derived from the date.  Codes
    (category) read in Chinese; the axes are named in Chinese."""
    actions = service_actions.assign(month=service_actions["date"].astype("string").str[:7])
    actions = actions.drop_duplicates("action_id").fillna({rows: "", columns: ""})
    for name in (rows, columns):
        actions[name] = actions[name].map(lambda v, n=name: code_label(n, v) or "(未注明)")
    table = pd.crosstab(actions[rows], actions[columns])
    table.index.name, table.columns.name = column_label(rows), column_label(columns)
    return table


SERVICE_GROUPS = {"campaign": "小标题", "category": "类别", "place": "地点", "month": "月份"}


def service_chart(service_actions: pd.DataFrame, articles: pd.DataFrame | None = None, by: str = "campaign"):
    """我为群众办实事: how many actions (one row each, never its figures)
    under each campaign (the article's heading), or each category or place."""
    actions = service_actions.drop_duplicates("action_id")
    if by == "month":
        actions = actions.assign(month=actions["date"].astype("string").str[:7])
    names = actions[by].map(lambda v: code_label(by, v)).replace("", "(未注明)") if len(actions) else actions[by]
    counts = names.value_counts(sort=False)
    rows = pd.DataFrame({"label": counts.index.astype(str), "value": counts.to_numpy(dtype=float), "unit": "项"})
    rows = rows.assign(text=[f"{int(v)}项" for v in rows["value"]])
    title = f"为群众办实事:各{SERVICE_GROUPS.get(by, column_label(by))}的行动数"
    return bars_by_unit(rows, "label", title, articles, sources=actions, counts=True)


def figures_chart(figures: pd.DataFrame, articles: pd.DataFrame | None = None, limit: int = 12,
                  checks: pd.DataFrame | None = None):
    """The selected figures (amounts only), labelled by subject and place,
    one panel per dimension and unit; cut to ``limit`` bars a panel (the
    title says so)."""
    rows = figures[figures["is_amount"].fillna(False).astype(bool)] if "is_amount" in figures else figures
    shown = [printed_figure(row) for row in rows.to_dict("records")]  # with its sign: 降水量 −36%（偏少）
    rows = rows.assign(label=rows["subject"].astype("string").fillna("") + " " + pd.Series(shown, index=rows.index, dtype="string"))
    return bars_by_unit(rows, "label", "所选数字", articles, checks=checks, limit=limit)


CHECK_STATUSES = ("fail", "not_applicable", "pass")
STATUS_COLOURS = {"fail": "#c8553d", "not_applicable": "#b0b0b0", "pass": "#6a994e"}


def checks_summary(checks: pd.DataFrame) -> pd.DataFrame:
    """Findings by check and status (待核对, 无可核对, 通过), in Chinese."""
    table = pd.crosstab(checks["check"], checks["status"]).reindex(columns=list(CHECK_STATUSES), fill_value=0)
    table = table.rename(index=lambda c: code_label("check", c), columns=lambda s: code_label("status", s))
    table.index.name, table.columns.name = column_label("check"), column_label("status")
    return table


def checks_chart(checks: pd.DataFrame):
    """Stacked bars: how many checks failed, found nothing to check
    (not_applicable, counted apart from a pass) and passed, by check."""
    use_chinese_fonts()
    fig, ax = plt.subplots()  # sized by fit_panels
    names = []
    if not len(checks):
        _say_empty(ax, "没有核查结果")
    else:
        table = checks_summary(checks)
        table = table.loc[:, table.sum() > 0]
        names = [str(name) for name in table.index]
        colours = [STATUS_COLOURS[s] for s in CHECK_STATUSES if code_label("status", s) in table.columns]
        table.plot.barh(stacked=True, ax=ax, color=colours)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("条数")
        ax.set_ylabel("")
        ax.legend(title=column_label("status"), fontsize=8, title_fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("核查结果", y=1.0)
    fit_panels(fig, [[ax]], {ax: names}, axes_width=4.6)
    plt.close(fig)
    return fig


def sections_chart(articles: pd.DataFrame):
    """Articles and their lengths by section."""
    use_chinese_fonts()
    fig, axes = plt.subplots(1, 2, figsize=(8, 3))
    if not len(articles):
        _say_empty(axes[0], "没有稿件")
        axes[1].set_visible(False)
    else:
        section = articles["section"].astype("string").fillna("").replace("", "(无栏目)")
        table = articles.assign(section=section).groupby("section")["n_chars"].agg(["count", "sum"])
        axes[0].barh(table.index, table["count"], color=COLOURS[0])
        axes[0].set_xlabel("篇数")
        axes[0].xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[1].barh(table.index, table["sum"], color=COLOURS[1])
        axes[1].set_xlabel("正文字数")
        axes[1].xaxis.set_major_locator(MaxNLocator(integer=True))
        for ax in axes:
            ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle("各栏目稿件")
    fig.tight_layout()
    plt.close(fig)
    return fig


CURATED = {
    "01-corpus": lambda t: sections_chart(t.articles),
    "02-service": lambda t: service_chart(t.service_actions, t.articles),
    "03-stockpiles": lambda t: stockpile_chart(t.flood_prep, t.articles, t.checks),
    "03-hazards": lambda t: hazards_chart(t.flood_prep, t.articles, t.checks),
    "03-rainfall": lambda t: rainfall_chart(t.flood_prep, t.articles, t.checks),
    "04-safety": lambda t: safety_chart(t.safety_stats, t.articles, t.checks),
    "05-figures": lambda t: figures_chart(t.figures, t.articles, checks=t.checks),
    "06-checks": lambda t: checks_chart(t.checks),
}
