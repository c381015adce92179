"""Export: what an editor hands on — an Excel workbook, CSVs Excel opens
without mojibake (UTF-8 with BOM), and the curated charts as PNG and SVG.
"""

from __future__ import annotations

from pathlib import Path

from .. import schema

MAX_WIDTH = 60


def export_workbook(t, path: Path) -> Path:
    """One sheet per table, headers as in docs/tables.md, the header row
    frozen and columns sized to their contents."""
    import pandas as pd
    from openpyxl.utils import get_column_letter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.xlsx")
    with pd.ExcelWriter(partial, engine="openpyxl") as writer:
        for name in schema.TABLES:
            frame = getattr(t, name)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for k, column in enumerate(frame.columns, start=1):
                longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                sheet.column_dimensions[get_column_letter(k)].width = min(MAX_WIDTH, longest + 2)
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


def export_button(t, out: Path | str = "build/export"):
    """A button that runs ``export_all`` and says what it wrote."""
    import ipywidgets as w

    button = w.Button(description="导出 Excel 和图表", icon="download")
    status = w.HTML()

    def run(_) -> None:
        written = export_all(t, Path(out))
        status.value = f"已写出 {len(written)} 个文件到 {html_path(out)}"

    button.on_click(run)
    return w.HBox([button, status])


def html_path(path) -> str:
    import html

    return html.escape(str(Path(path).resolve()))
