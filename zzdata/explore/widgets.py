"""Widgets: filters over a table, a sortable and searchable grid of what
they pick, the picked row in its article, and downloads of the selection.

The filtering is a plain function (``filter_frame``) and the grid's
content another (``table_frame``), so both are tested without a browser;
an ``Explorer`` wires ipywidgets to them.  The grid is itables' ``ITable``
widget (DataTables bundled in the package: it works offline, in JupyterLab
and in Voilà), with Chinese headers and coded values in Chinese
(``labels.display_frame``) and every figure as printed
(``labels.printed_figure``).  Clicking a row shows its sentence in the
article, the paragraphs before and after, the figure marked
(``Explorer.detail``).  ``Explorer.selection`` and ``Explorer.figure`` are
what the widgets currently show.

>>> import pandas as pd
>>> frame = pd.DataFrame({"unit": ["条", "立方"], "sentence": ["编织袋63.6万条", "砂石料3.54万立方"]})
>>> filter_frame(frame, {"unit": "立方"}).sentence.tolist()
['砂石料3.54万立方']
>>> filter_frame(frame, {"unit": ALL}, search="编织袋").unit.tolist()
['条']
"""

from __future__ import annotations

import html
import re
import time
from typing import Callable

import pandas as pd

from . import labels

ALL = "全部"
# DataTables' own words in Chinese, given inline (a language file would be
# fetched from the network).
GRID_LANGUAGE = {
    "search": "在表中查找:",
    "lengthMenu": "每页 _MENU_ 行",
    "info": "第 _START_–_END_ 行,共 _TOTAL_ 行",
    "infoEmpty": "没有行",
    "infoFiltered": "(共 _MAX_ 行中)",
    "zeroRecords": "没有符合的行",
    "emptyTable": "没有符合筛选的行",
    "select": {"rows": {"_": "已选 %d 行", "0": "", "1": "已选 1 行"}},
}
# Columns the explorers add to a table, with their Chinese names.
DERIVED_LABELS = {"beat": "条线"}
CHART_CACHE = 32  # charts kept per explorer, by selection (a filter set back is drawn at once)
GRID_BYTES = 2**22  # itables shows a notice when a selection is larger and it shows part of it
HINT = "<p>点击表中一行,查看它在稿件中的上下文(前后各一段,数字标亮)。</p>"


def filter_frame(
    frame: pd.DataFrame,
    equals: dict[str, object],
    search: str = "",
    search_columns: tuple[str, ...] = ("sentence",),
    dates: tuple[str, str] = (ALL, ALL),
    date_column: str = "date",
) -> pd.DataFrame:
    """Rows whose columns equal the chosen values (ALL means any), whose
    search columns contain ``search``, and whose date lies in ``dates``
    (ISO prefixes such as "2021-04"; rows without a date drop out once a
    bound is set)."""
    keep = pd.Series(True, index=frame.index)
    for column, value in equals.items():
        if value not in (ALL, None):
            keep &= frame[column].astype("string").fillna("") == str(value)
    if search.strip():
        hit = pd.Series(False, index=frame.index)
        for column in search_columns:
            hit |= frame[column].astype("string").fillna("").str.contains(search.strip(), regex=False)
        keep &= hit
    low, high = dates
    if low != ALL or high != ALL:
        when = frame[date_column].astype("string").fillna("")
        keep &= when != ""
        if low != ALL:
            keep &= when.str[: len(low)] >= low
        if high != ALL:
            keep &= when.str[: len(high)] <= high
    return frame[keep]


def options(frame: pd.DataFrame, column: str) -> list:
    """ALL, then the column's distinct non-empty values in sorted order; a
    coded column gives (Chinese label, code) pairs.

    >>> options(pd.DataFrame({"unit": ["条", "立方", "条"]}), "unit")
    ['全部', '条', '立方']
    >>> options(pd.DataFrame({"qualifier": ["under", "exact"]}), "qualifier")
    [('全部', '全部'), ('确数', 'exact'), ('不足(近)', 'under')]
    """
    values = sorted(v for v in frame[column].dropna().astype(str).unique() if v)
    named = [(labels.code_label(column, v), v) for v in values]
    if all(label == value for label, value in named):
        return [ALL, *values]
    return [(ALL, ALL), *named]


def highlight(sentence: str, mention: str) -> str:
    """HTML of a sentence with the mention marked.

    >>> highlight("共9608人<", "9608人")
    '共<mark>9608人</mark>&lt;'
    """
    at = sentence.find(mention) if mention else -1
    if at < 0:
        return html.escape(sentence)
    return html.escape(sentence[:at]) + "<mark>" + html.escape(mention) + "</mark>" + html.escape(sentence[at + len(mention) :])


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def table_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """What the grid shows: the columns in Chinese, codes in Chinese, a
    figure as printed (``text`` with its qualifier and sign: −36%（偏少）),
    a sentence with its figure marked; every cell HTML-escaped text.

    A shown figure also gets a hidden column of its value with the sign
    of a change (``SORT_COLUMN``), by which the grid sorts the figures:
    近6千 before 13万余, not as text.

    >>> rows = pd.DataFrame({"text": ["36%"], "direction": ["down"], "qualifier": ["exact"],
    ...                      "value": [36.0], "sentence": ["较历年同期偏少36%。"]})
    >>> table_frame(rows, ["text", "qualifier", "sentence"]).iloc[0].tolist()
    ['−36%（偏少）', '确数', '较历年同期偏少<mark>36%</mark>。', -36.0]
    """
    shown = labels.display_frame(frame, columns).astype("string").fillna("")
    shown.columns = [DERIVED_LABELS.get(c, labels.column_label(c)) for c in columns]
    shown = shown.apply(lambda column: column.map(html.escape)) if len(shown) else shown
    records = frame.to_dict("records")
    where = {name: k for k, name in enumerate(columns)}
    if "text" in where and ("value" in frame or "direction" in frame):
        shown.iloc[:, where["text"]] = [html.escape(labels.printed_figure(r)) for r in records]
    if "sentence" in where and "text" in frame:
        shown.iloc[:, where["sentence"]] = [highlight(_text(r["sentence"]), _text(r["text"])) for r in records]
    shown = shown.reset_index(drop=True)
    if "text" in where and "value" in frame:
        values = pd.to_numeric(frame["value"], errors="coerce").reset_index(drop=True)
        down = pd.Series(False, index=values.index)
        for column, word in (("direction", "down"), ("comparison_direction", "less")):
            if column in frame:
                down |= (frame[column].astype("string").fillna("") == word).reset_index(drop=True)
        shown[SORT_COLUMN] = values.where(~down, -values.abs()).astype(object).where(values.notna(), None)
    return shown


SORT_COLUMN = "数值（排序用）"  # hidden: what the grid sorts the shown figures by


def grid_options(shown: pd.DataFrame) -> dict:
    """The grid's options for a ``table_frame``: with its hidden value
    column, the figure column sorts by it (DataTables' orderData).

    >>> grid_options(pd.DataFrame(columns=["原文", SORT_COLUMN]))["columnDefs"]
    [{'targets': [1], 'visible': False, 'searchable': False}, {'targets': [0], 'orderData': [1]}]
    """
    names = list(shown.columns)
    if SORT_COLUMN not in names:
        return GRID_OPTIONS
    hidden, figure = names.index(SORT_COLUMN), names.index(labels.column_label("text"))
    return {**GRID_OPTIONS, "columnDefs": [{"targets": [hidden], "visible": False, "searchable": False},
                                           {"targets": [figure], "orderData": [hidden]}]}


# The grid's options, given again at each update (itables formats the data
# with them: allow_html keeps the <mark> of a sentence; every cell is
# escaped by table_frame first).  The grid sorts and pages; searching is the
# explorer's search box, so that the chart and the downloads follow it too
# (DataTables' own search box would narrow the grid alone).  A click
# anywhere on a header sorts by it (itables' default sorts only from the
# small arrows, to let the header's words be selected); the downloads
# follow that order (grid.Grid.sort_order).
GRID_OPTIONS = dict(
    select={"style": "single"}, showIndex=False, allow_html=True, maxBytes=GRID_BYTES,
    language=GRID_LANGUAGE, pageLength=10, lengthMenu=[10, 25, 100], classes="display compact",
    layout={"topStart": "pageLength", "topEnd": None, "bottomStart": "info", "bottomEnd": "paging"},
    text_in_header_can_be_selected=False,
)


def _grid(frame: pd.DataFrame):
    """The grid widget: itables' ITable that also reports its sort order
    (``grid.Grid.sort_order``), so that downloads follow it."""
    from .grid import Grid

    return Grid(frame, **grid_options(frame))


def _shown_errors(function, *args) -> None:
    """Run a deferred step; an error is printed where the notebook shows it
    (a callback's error would otherwise go only to the kernel's log)."""
    try:
        function(*args)
    except Exception:  # noqa: BLE001 - shown, not swallowed
        import traceback

        traceback.print_exc()


_AXIS_NUMBER = re.compile(r"[−\-+]?[\d.,]*(?:[万亿千%])?")  # a scale's tick: not a word of the chart


def _in_kernel() -> bool:
    """Is this code running in a Jupyter kernel (JupyterLab, Voilà)?"""
    import sys

    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return getattr(shell, "kernel", None) is not None


def _png_html(png: bytes) -> str:
    """A PNG chart as HTML for the chart's HTML widget."""
    import base64

    return f'<img class="zz-chart-png" alt="图表" style="max-width:100%" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def chart_words(figure) -> list[str]:
    """Every visible text of a matplotlib figure, in drawing order, once:
    titles, axis and bar labels, notes (the printed forms the chart shows).

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.barh(["近6千人次"], [6000]); _ = ax.set_title("人次")
    >>> "近6千人次" in chart_words(fig) and "人次" in chart_words(fig)
    True
    >>> plt.close(fig)
    """
    found: list[str] = []
    texts = [*figure.texts, *([figure._suptitle] if getattr(figure, "_suptitle", None) else [])]
    for ax in figure.axes:
        ticks = [t for t in (*ax.get_xticklabels(), *ax.get_yticklabels()) if not _AXIS_NUMBER.fullmatch(t.get_text().strip())]
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ticks, *ax.texts]
        legend = ax.get_legend()
        texts += list(legend.get_texts()) if legend else []
    for text in texts:
        words = text.get_text().strip() if text.get_visible() else ""
        if words and words not in found:
            found.append(words)
    return found


class Explorer:
    """Dropdown filters (and optionally a search box and a date range) over
    a frame; the chart, the grid, the row in context and the downloads below
    follow them.

    ``filters`` maps a column to its dropdown's label (None: the column's
    Chinese name); ``detail`` turns a clicked row into HTML (its context);
    ``name`` starts the names of downloaded files."""

    def __init__(
        self,
        frame: pd.DataFrame,
        filters: dict[str, str | None],
        columns: list[str],
        chart: Callable[[pd.DataFrame], object] | None = None,
        search: tuple[str, ...] = (),
        date_column: str | None = None,
        detail: Callable[[dict], str] | None = None,
        name: str = "zzdata",
    ):
        import ipywidgets as w

        self.frame = frame.reset_index(drop=True)
        self.columns = columns
        self.chart = chart
        self.search_columns = search
        self.date_column = date_column
        self.detail_of = detail
        self.name = name
        self.shown = table_frame(self.frame, columns)  # once: a filter change only picks rows
        self.dropdowns = {
            col: w.Dropdown(description=label or DERIVED_LABELS.get(col, labels.column_label(col)), options=options(self.frame, col))
            for col, label in filters.items()
        }
        self.search_box = w.Text(description="搜索", placeholder="包含的字词:" + "、".join(labels.column_label(c) for c in search)) if search else None
        self.date_boxes = self._date_boxes(w) if date_column else ()
        self.count = w.HTML()
        self.grid = _grid(self.shown)
        self.detail = w.HTML(HINT)
        self.download_button = w.Button(description="下载所选(Excel、CSV、图表)", layout=w.Layout(width="auto"))
        self.downloads = w.HTML()
        # The chart is HTML in an HTML widget (charts.bars_html: boxes for bars,
        # words set by the browser), or for a chart that is not a BarChart a
        # PNG in it; not a figure displayed in an Output widget (its capture
        # of display messages stalled headless runs for large figures): one
        # comm message either way.  flex-start: at its own size (a VBox would
        # stretch a PNG to the full width and blur it), shrunk only to fit.
        self.chart_view = w.HTML(layout=w.Layout(max_width="100%", align_self="flex-start", overflow="auto"))
        # The chart's words (title, bar labels, notes) as text under it: for a
        # screen reader, for copying a figure as printed, and for the tests.
        self.chart_text = w.HTML()
        self.seconds = 0.0  # how long the last refresh took (filters, count, grid, an HTML chart)
        self.chart_seconds = 0.0  # how long the last chart took to make (plan and HTML, or figure and PNG)
        self._picked = self.frame
        self._charts: dict[tuple, dict] = {}  # selection → {"html", "words", "figure"}: a filter set back is shown at once
        self._unfinished: tuple | None = None  # (selection, figure) whose PNG is made after the grid is out
        self._drawn = 0  # refreshes so far: a deferred chart of an old one is skipped
        for control in self.controls:
            control.observe(lambda change: self.refresh(), names="value")
        self.grid.observe(lambda change: self.show_detail(), names="selected_rows")
        self.download_button.on_click(lambda _: self.prepare_downloads())
        rows = [w.HBox(part, layout=w.Layout(flex_flow="row wrap")) for part in (self.controls[:3], self.controls[3:])]
        self.widget = w.VBox(
            [*rows, self.chart_view, self.chart_text, self.count, self.grid, self.detail, w.HBox([self.download_button, self.downloads])]
        )
        for part, name in ((self.widget, "zz-explorer"), (self.count, "zz-count"), (self.grid, "zz-grid"),
                           (self.detail, "zz-detail"), (self.downloads, "zz-downloads"), (self.chart_view, "zz-chart"),
                           (self.chart_text, "zz-chart-text")):
            part.add_class(name)  # for the browser tests and the page's styles
        self.refresh()

    def _date_boxes(self, w) -> tuple:
        months = sorted({str(d)[:7] for d in self.frame[self.date_column].dropna() if str(d)})
        return (
            w.Dropdown(description="从", options=[ALL] + months),
            w.Dropdown(description="到", options=[ALL] + months),
        )

    @property
    def controls(self) -> list:
        return [*self.dropdowns.values(), *([self.search_box] if self.search_box else []), *self.date_boxes]

    @property
    def selection(self) -> pd.DataFrame:
        """The rows the filters currently pick."""
        equals = {col: box.value for col, box in self.dropdowns.items()}
        search = self.search_box.value if self.search_box else ""
        dates = tuple(box.value for box in self.date_boxes) if self.date_boxes else (ALL, ALL)
        return filter_frame(self.frame, equals, search, self.search_columns, dates, self.date_column or "date")

    def refresh(self) -> None:
        """Redraw the count, the chart and the grid for the current
        selection; forget the clicked row and the download links (they were
        of the last one).

        A bar chart (a ``charts.BarChart``, shown as HTML) is made here and
        sent before the grid: the browser spends 0.1–0.3 s re-rendering the
        grid (DataTables) and would apply a chart sent after it only then.
        Any other chart is drawn to PNG once the grid is out (``_later``)."""
        began = time.perf_counter()
        self._picked = self.selection
        n = len(self._picked)
        self.count.value = f"<p>共 {n} 行</p>" if n else "<p>共 0 行:没有符合这些筛选的数字,请放宽条件。</p>"
        self._drawn += 1
        shown = self._draw(self._drawn, quick=True)
        self.grid.update(self.shown.loc[self._picked.index].reset_index(drop=True), **grid_options(self.shown), selected_rows=[])
        self.detail.value = HINT if n else ""
        self.downloads.value = ""
        self.seconds = time.perf_counter() - began
        if not shown:
            self._later(self._draw, self._drawn)

    @staticmethod
    def _later(function, *args) -> None:
        """Run ``function`` once the widget messages of this change are out:
        in a kernel (a running event loop) the grid shows the new rows while
        the chart is drawn; elsewhere (tests, scripts) at once."""
        import asyncio

        try:
            loop = asyncio.get_running_loop() if _in_kernel() else None
        except RuntimeError:
            loop = None
        if loop is None:  # not in a kernel: a loop some library left marked running would never run the call
            function(*args)
            return
        loop.call_soon(_shown_errors, function, *args)

    def _draw(self, token: int | None = None, quick: bool = False) -> bool:
        """Show the chart of the current selection (unless a newer change
        came meanwhile), from the cache when it was shown before.  The chart
        function runs within ``charts.planned()``: a bar chart comes as its
        ``BarChart`` and is shown as HTML; any other as a figure, shown as a
        PNG.  With ``quick`` a figure's PNG is left for later: returns
        whether the chart is shown."""
        from . import charts  # matplotlib loads with the first chart, not with the widgets

        if self.chart is None:
            self.chart_view.layout.display = "none"
            self.chart_text.layout.display = "none"
            return True
        if token is not None and token != self._drawn:
            return True
        began = time.perf_counter()
        key = tuple(self._picked.index)
        if key not in self._charts:
            if self._unfinished is not None and self._unfinished[0] == key:
                made = self._unfinished[1]
            else:
                with charts.planned():
                    made = self.chart(self._picked)
            self._unfinished = None
            if isinstance(made, charts.BarChart):
                entry = {"html": charts.bars_html(made), "words": made.words(), "figure": None}
            elif quick:
                self._unfinished = (key, made)
                return False
            else:
                import matplotlib.pyplot as plt

                entry = {"html": _png_html(charts.png_bytes(made)), "words": chart_words(made), "figure": made}
                plt.close(made)
            if len(self._charts) >= CHART_CACHE:
                self._charts.pop(next(iter(self._charts)))
            self._charts[key] = entry
        entry = self._charts[key]
        self.chart_view.value = entry["html"]
        self.chart_seconds = time.perf_counter() - began
        # The kernel's share of the redraw, hidden, for the browser tests' timings.
        seconds = f'<span class="zz-chart-seconds" hidden>{self.chart_seconds:.3f}</span>'
        words = entry["words"]
        self.chart_text.value = (
            '<details><summary>图中文字</summary><p>' + "<br>".join(html.escape(x) for x in words) + "</p></details>" + seconds if words else seconds
        )
        return True

    @property
    def figure(self):
        """The matplotlib figure of the chart shown (for the PNG and SVG
        downloads), drawn when first asked for; None without a chart."""
        if self.chart is None:
            return None
        self._draw()
        entry = self._charts[tuple(self._picked.index)]
        if entry["figure"] is None:
            entry["figure"] = self.chart(self._picked)
        return entry["figure"]

    @property
    def picked_row(self) -> dict | None:
        """The row clicked in the grid (a dict of the table's columns), or None.

        ``selected_rows`` are positions in the frame the grid was given,
        whatever the order the editor sorted it in (DataTables' row indexes
        stay with their rows), so they index the selection as it is."""
        rows = self.grid.selected_rows
        if not rows or rows[0] >= len(self._picked):
            return None
        return self._picked.iloc[rows[0]].to_dict()

    def show_detail(self) -> None:
        """Show the clicked row in its article (the ``detail`` function)."""
        row = self.picked_row
        if row is None:
            self.detail.value = HINT if len(self._picked) else ""
        elif self.detail_of is not None:
            self.detail.value = self.detail_of(row)

    def prepare_downloads(self) -> None:
        """Links that hand the browser the current selection, its rows in
        the order the grid shows them (a header the editor clicked):
        Excel (Chinese headers), CSV (machine names) and the chart as PNG
        and SVG."""
        from .export import download_links
        from .grid import in_grid_order

        rows = in_grid_order(self._picked, self.grid.sort_order)
        self.downloads.value = download_links(rows, self.columns, self.figure, self.name)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def replace_frame(self, frame: pd.DataFrame) -> None:
        """Show ``frame`` instead of the rows given (a newer build's): each
        filter keeps its choice where the new rows still have it (else
        全部), the search words stay, the chart cache is cleared, and the
        count, grid and chart are redrawn once.

        >>> e = Explorer(pd.DataFrame({"unit": ["条", "立方"], "sentence": ["a", "b"]}), {"unit": None}, ["unit", "sentence"])
        >>> e.dropdowns["unit"].value = "立方"
        >>> e.replace_frame(pd.DataFrame({"unit": ["条", "立方", "立方"], "sentence": ["a", "b", "c"]}))
        >>> e.dropdowns["unit"].value, len(e.selection)
        ('立方', 2)
        """
        self.frame = frame.reset_index(drop=True)
        self.shown = table_frame(self.frame, self.columns)
        self._charts.clear()
        self._unfinished = None
        months = [ALL, *sorted({str(d)[:7] for d in self.frame[self.date_column].dropna() if str(d)})] if self.date_column else []
        boxes = [*((box, options(self.frame, column)) for column, box in self.dropdowns.items()), *((box, months) for box in self.date_boxes)]
        chosen = [box.value for box, _ in boxes]
        self.refresh = lambda: None  # the filters' observers wait until every filter is set
        try:
            for box, new in boxes:
                box.options = new
            for (box, _), value in zip(boxes, chosen):  # in order: a narrowing filter (category) before the one it narrows
                if value in [o[1] if isinstance(o, tuple) else o for o in box.options]:
                    box.value = value
        finally:
            del self.refresh
        self.refresh()
