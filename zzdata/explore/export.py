"""Export: what an editor hands on.

In a notebook or the dashboard, ``download_links`` gives the browser the
current selection — an Excel workbook with Chinese headers, a CSV keeping
the machine names (UTF-8 with BOM, so Excel opens it without mojibake) and
the chart as PNG and SVG — as ``data:`` links: nothing is written on the
server or into notebooks/.  ``zzdata export`` (``export_all``) writes every
table, the workbook and the curated charts into a folder, for batch use.

Every text cell is formula-safe (``zzdata.cells``: a leading quote before
= + - @ tab CR) and Excel cells holding text are stored as text, never as
formulas.

>>> import pandas as pd
>>> frame = pd.DataFrame({"headline": ["=HYPERLINK(1)"], "value": [-3.0]})
>>> csv_bytes(frame).decode("utf-8-sig").splitlines()
['headline,value', "'=HYPERLINK(1),-3.0"]
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd

from .. import schema
from ..cells import safe_frame
from . import labels

MAX_WIDTH = 60
PROVENANCE = ("source", "start", "end")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def editor_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The columns an editor sees, in Chinese, figures as printed, then
    where each row was printed (source, start, end).

    >>> rows = pd.DataFrame({"text": ["近6千人次"], "value": [6000.0], "qualifier": ["under"],
    ...                      "source": ["p.txt"], "start": [5], "end": [10]})
    >>> editor_frame(rows, ["text", "qualifier"]).to_dict("records")
    [{'原文': '近6千人次', '限定': '不足(近)', '来源文件': 'p.txt', '起始位置': 5, '结束位置': 10}]
    """
    columns = list(columns if columns is not None else frame.columns)
    columns += [c for c in PROVENANCE if c in frame and c not in columns]
    shown = labels.display_frame(frame, columns)
    if "text" in columns and ("value" in frame or "direction" in frame):
        shown.iloc[:, columns.index("text")] = [labels.printed_figure(r) for r in frame.to_dict("records")]
    return shown.reset_index(drop=True)


def write_sheet(sheet, frame: pd.DataFrame) -> None:
    """A frame into an openpyxl sheet: header row frozen, text as text
    (formula-safe), numbers as numbers, columns sized to their contents."""
    from openpyxl.utils import get_column_letter

    frame = safe_frame(frame.astype(object).where(frame.notna(), None))
    sheet.append([str(c) for c in frame.columns])
    for values in frame.itertuples(index=False):
        sheet.append([_excel_value(v) for v in values])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, whatever it starts with
    sheet.freeze_panes = "A2"
    for k, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
        sheet.column_dimensions[get_column_letter(k)].width = min(MAX_WIDTH, longest + 2)


def _excel_value(value):
    if value is None or isinstance(value, (int, float, str)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook, one sheet per frame."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        write_sheet(book.create_sheet(title=name[:31]), frame)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV with the machine names, UTF-8 with BOM, formula-safe."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def chart_bytes(figure, fmt: str) -> bytes:
    """A matplotlib figure as PNG or SVG bytes."""
    out = io.BytesIO()
    figure.savefig(out, format=fmt, dpi=150, bbox_inches="tight")
    return out.getvalue()


def download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """An <a download> link carrying the file in a data: URI (base64): the
    browser saves it; nothing is written on the server."""
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<a download="{html.escape(filename)}" href="{uri}" class="zz-download" style="margin-right:1em">{html.escape(label)}</a>'


def download_links(frame: pd.DataFrame, columns: list[str], figure=None, name: str = "zzdata") -> str:
    """Download links for a selection, its rows in the order given (the
    explorer passes the grid's sort order): Excel (the shown columns in
    Chinese, then its provenance), CSV (every column, machine names) and,
    with a chart, PNG and SVG."""
    links = [
        download_link(workbook_bytes({"所选": editor_frame(frame, columns)}), f"{name}.xlsx", XLSX, f"Excel({len(frame)} 行)"),
        download_link(csv_bytes(frame), f"{name}.csv", "text/csv", "CSV"),
    ]
    if figure is not None:
        links.append(download_link(chart_bytes(figure, "png"), f"{name}.png", "image/png", "图表 PNG"))
        links.append(download_link(chart_bytes(figure, "svg"), f"{name}.svg", "image/svg+xml", "图表 SVG"))
    return "".join(links)


def export_workbook(t, path: Path) -> Path:
    """One sheet per table, headers in Chinese (labels.column_label), text
    cells formula-safe, the header row frozen and columns sized."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.xlsx")
    partial.write_bytes(workbook_bytes({name: labels.display_frame(getattr(t, name)) for name in schema.TABLES}))
    partial.replace(path)
    return path


def export_charts(t, folder: Path) -> list[Path]:
    """The curated charts, each as PNG and SVG."""
    import matplotlib.pyplot as plt

    from .charts import CURATED

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in CURATED.items():
        fig = draw(t)
        for suffix in ("png", "svg"):
            target = folder / f"{name}.{suffix}"
            fig.savefig(target, dpi=150, bbox_inches="tight")
            written.append(target)
        plt.close(fig)
    return written


def export_all(t, out: Path) -> list[Path]:
    """Tables (CSV with BOM and Parquet), the workbook and the charts."""
    out = Path(out)
    written = t.write(out)
    written.append(export_workbook(t, out / "zzdata.xlsx"))
    written += export_charts(t, out / "charts")
    return written


def export_button(t, out=None):
    """A button that hands the browser every table as one Excel workbook
    (Chinese headers): nothing is written on the server.  ``out`` is
    ignored (kept for old notebooks; ``zzdata export`` writes folders)."""
    import ipywidgets as w

    button = w.Button(description="下载全部表格(Excel)", layout=w.Layout(width="auto"))
    link = w.HTML()

    def run(_) -> None:
        data = workbook_bytes({name: labels.display_frame(getattr(t, name)) for name in schema.TABLES})
        link.value = download_link(data, "zzdata.xlsx", XLSX, "保存 zzdata.xlsx")

    button.on_click(run)
    return w.HBox([button, link])
