"""Widgets: filter dropdowns and search boxes over the tables, for notebooks.

The filtering itself is a plain function (``filter_frame``) so it is tested
without a browser; an ``Explorer`` wires ipywidgets to it and redraws a table
and a chart whenever a filter changes.  ``Explorer.selection`` and
``Explorer.figure`` are what the widgets currently show.

>>> import pandas as pd
>>> frame = pd.DataFrame({"unit": ["条", "立方"], "sentence": ["编织袋63.6万条", "砂石料3.54万立方"]})
>>> filter_frame(frame, {"unit": "立方"}).sentence.tolist()
['砂石料3.54万立方']
>>> filter_frame(frame, {"unit": ALL}, search="编织袋").unit.tolist()
['条']
"""

from __future__ import annotations

import html
from typing import Callable

import pandas as pd

ALL = "全部"


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


def options(frame: pd.DataFrame, column: str) -> list[str]:
    """ALL, then the column's distinct non-empty values in sorted order."""
    values = frame[column].dropna().astype(str)
    return [ALL] + sorted(v for v in values.unique() if v)


def highlight(sentence: str, mention: str) -> str:
    """HTML of a sentence with the mention marked.

    >>> highlight("共9608人<", "9608人")
    '共<mark>9608人</mark>&lt;'
    """
    at = sentence.find(mention) if mention else -1
    if at < 0:
        return html.escape(sentence)
    return html.escape(sentence[:at]) + "<mark>" + html.escape(mention) + "</mark>" + html.escape(sentence[at + len(mention) :])


def html_table(frame: pd.DataFrame, columns: list[str], limit: int = 50) -> str:
    """A small HTML table; a ``sentence`` column shows the mention highlighted."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for _, row in frame.head(limit).iterrows():
        cells = []
        for c in columns:
            if c == "sentence" and "text" in row:
                cells.append(highlight(str(row["sentence"]), str(row["text"])))
            else:
                value = row[c]
                cells.append(html.escape("" if pd.isna(value) else str(value)))
        body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    more = f"<p>…共 {len(frame)} 行,显示前 {limit} 行</p>" if len(frame) > limit else f"<p>共 {len(frame)} 行</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


class Explorer:
    """Dropdown filters (and optionally a search box and a date range) over
    a frame; the table and chart below follow them."""

    def __init__(
        self,
        frame: pd.DataFrame,
        filters: dict[str, str],
        columns: list[str],
        chart: Callable[[pd.DataFrame], object] | None = None,
        search: tuple[str, ...] = (),
        date_column: str | None = None,
    ):
        import ipywidgets as w

        self.frame = frame
        self.columns = columns
        self.chart = chart
        self.search_columns = search
        self.date_column = date_column
        self.dropdowns = {col: w.Dropdown(description=label, options=options(frame, col)) for col, label in filters.items()}
        self.search_box = w.Text(description="搜索", placeholder="句中包含的字词") if search else None
        self.date_boxes = self._date_boxes(w) if date_column else ()
        self.table = w.HTML()
        # The chart is a PNG in an Image widget, not a figure displayed in an
        # Output widget: Output's capture of display messages stalled headless
        # runs (nbclient) for large figures; an Image is one comm message.
        # flex-start: drawn at its own size (a VBox would stretch it to the
        # full width and blur a small chart), shrunk only to fit.
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", align_self="flex-start"))
        self.figure = None
        for control in self.controls:
            control.observe(lambda change: self.refresh(), names="value")
        rows = [w.HBox(part, layout=w.Layout(flex_flow="row wrap")) for part in (self.controls[:3], self.controls[3:])]
        self.widget = w.VBox([*rows, self.image, self.table])  # rows wrap in a narrow notebook
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
        """Redraw the table and the chart for the current selection."""
        import io

        import matplotlib.pyplot as plt

        selection = self.selection
        self.table.value = html_table(selection, self.columns)
        if self.chart is None:
            self.image.layout.display = "none"
            return
        self.figure = self.chart(selection)
        png = io.BytesIO()
        self.figure.savefig(png, format="png", dpi=96, bbox_inches="tight")
        plt.close(self.figure)
        self.image.value = png.getvalue()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
